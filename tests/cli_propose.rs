//! `tawsim propose` and `tawsim gazetteer` from the command line.

mod common;

use std::process::Command;

use common::{SampleProject, char_offset};
use tawsim::model::{AnnotationFile, Span, SpanState};
use tawsim::store::{read_annotation, save_annotation, sha256_hex};

fn tawsim(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tawsim")).args(args).output().expect("runs")
}

#[test]
fn propose_fills_every_article_and_never_touches_decisions() {
    let project = SampleProject::with_proposers("propose");
    let root = project.root.to_str().expect("utf-8 path");
    let rel = "london-talks-sanctions.txt";
    let text = project.text(rel);
    let moscow = char_offset(&text, "موسكو");
    let london = char_offset(&text, "لندن");
    let mut file = AnnotationFile::new(&format!("corpus/{rel}"), &sha256_hex(&text), "amal");
    file.spans.push(Span::manual(1, moscow..moscow + 5, "ORG", "موسكو"));
    file.spans.push(Span { state: SpanState::Rejected, ..Span::manual(2, london..london + 4, "LOC", "لندن") });
    file.next_id = 3;
    let path = project.annotation("amal", rel);
    save_annotation(&path, &file).expect("saved");
    // A broken file elsewhere is reported and left as it is.
    let broken = project.annotation("amal", "aleppo-street-fighting.txt");
    std::fs::write(&broken, "(spans: [").expect("write");

    let output = tawsim(&["propose", root]);
    let said = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "a skipped article makes the exit status 1: {said}");
    assert!(said.contains("skipped corpus/aleppo-street-fighting.txt"), "{said}");
    assert!(said.contains("5 article(s): 4 file(s) of amal updated") && said.contains("2 decided span(s) kept"), "{said}");
    assert_eq!(std::fs::read_to_string(&broken).expect("read"), "(spans: [");

    let after = read_annotation(&path).expect("loads").expect("exists");
    assert_eq!(&after.spans.iter().filter(|s| s.state != SpanState::Pending).cloned().collect::<Vec<_>>(), &file.spans);
    let pending: Vec<&Span> = after.spans.iter().filter(|s| s.state == SpanState::Pending).collect();
    assert!(pending.len() > 10, "{pending:?}");
    assert!(pending.iter().all(|p| p.end <= moscow || p.start >= moscow + 5), "nothing proposed over the accepted span");
    assert!(pending.iter().all(|p| !(p.text == "لندن" && p.label == "LOC")), "the rejected proposal stays rejected");
    for other in ["east-aleppo-advance.txt", "kerry-lavrov-new-york.txt", "syria-news-digest.txt"] {
        let file = read_annotation(&project.annotation("amal", other)).expect("loads").expect("written");
        assert!(file.spans.iter().any(|s| s.state == SpanState::Pending), "{other} has proposals");
    }

    // A second run has nothing to do.
    let again = tawsim(&["propose", root, "--annotator", "amal"]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 file(s) of amal updated"));
}

#[test]
fn propose_asks_whose_files_when_it_cannot_tell() {
    let project = SampleProject::with_proposers("propose-who");
    let output = tawsim(&["propose", project.root.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--annotator NAME"));
}

#[test]
fn gazetteer_builds_a_list_the_project_can_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let conll = dir.path().join("train.conll");
    std::fs::write(&conll, "زار O\nلافروف B-PERS\nموسكو B-LOC\n\nفي O\nموسكو B-LOC\n").expect("write");
    let out = dir.path().join("names.ron");
    let output = tawsim(&["gazetteer", "--from", conll.to_str().expect("utf-8"), "--out", out.to_str().expect("utf-8")]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("entries"));
    let list = tawsim::propose::load_gazetteer(&out).expect("the list loads");
    assert!(list.entries().any(|(form, label, _)| form == "موسكو" && label == "LOC"));

    std::fs::write(&conll, "زار O\nلافروف I-PERS X\n").expect("write");
    std::fs::write(&conll, "زار\n").expect("write");
    let bad = tawsim(&["gazetteer", "--from", conll.to_str().expect("utf-8"), "--out", out.to_str().expect("utf-8")]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("train.conll"), "{}", String::from_utf8_lossy(&bad.stderr));
}

#[test]
fn propose_import_brings_predictions_in_and_a_new_version_replaces_them() {
    let project = SampleProject::new("propose-import");
    let root = project.root.to_str().expect("utf-8 path");
    let rel = "london-talks-sanctions.txt";
    let text = project.text(rel);
    let kerry = char_offset(&text, "جون كيري");
    let moscow = char_offset(&text, "موسكو");
    let predictions = project.root.join("model-out.jsonl");
    let line = |spans: &str| format!("{{\"id\": \"{rel}\", \"spans\": [{spans}]}}\n{{\"id\": \"elsewhere.txt\", \"spans\": []}}\n");
    let both = format!(
        "{{\"start\": {kerry}, \"end\": {}, \"label\": \"PERS\", \"score\": 0.7}}, {{\"start\": {moscow}, \"end\": {}, \"label\": \"LOC\"}}",
        kerry + 8,
        moscow + 5
    );
    std::fs::write(&predictions, line(&both)).expect("write");
    let output = tawsim(&["propose", root, "--annotator", "amal", "--import", predictions.to_str().expect("utf-8")]);
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{said}");
    assert!(said.contains("no article for") && said.contains("model-out.jsonl:2"), "the unmatched document is named by line: {said}");
    let path = project.annotation("amal", rel);
    let file = read_annotation(&path).expect("loads").expect("written");
    let found: Vec<(&str, &str, SpanState)> = file.spans.iter().map(|s| (s.text.as_str(), s.label.as_str(), s.state)).collect();
    assert_eq!(found, [("جون كيري", "PERS", SpanState::Pending), ("موسكو", "LOC", SpanState::Pending)]);
    assert!(
        matches!(&file.spans[0].origin, tawsim::model::Origin::Proposed { source, score } if source == "import:model-out.jsonl" && (*score - 0.7).abs() < 1e-6)
    );

    // The annotator accepts كيري; a new version of the file no longer predicts either span.
    let mut decided = file.clone();
    decided.spans[0].state = SpanState::Accepted;
    save_annotation(&path, &decided).expect("saved");
    std::fs::write(&predictions, line("")).expect("write");
    let output = tawsim(&["propose", root, "--annotator", "amal", "--import", predictions.to_str().expect("utf-8")]);
    assert!(String::from_utf8_lossy(&output.stdout).contains("1 withdrawn"), "{}", String::from_utf8_lossy(&output.stdout));
    let file = read_annotation(&path).expect("loads").expect("exists");
    assert_eq!(file.spans, decided.spans[..1], "the accepted one stays, the stale proposal goes");
}

/// A lock file of `holder` on `host` with process `pid`, taken and refreshed `age` seconds ago.
fn lock_file(project: &SampleProject, annotator: &str, holder: &str, host: &str, pid: u32, age: u64) -> std::path::PathBuf {
    let folder = project.root.join("annotations").join(annotator);
    std::fs::create_dir_all(&folder).expect("annotator folder");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("time").as_secs() - age;
    let path = folder.join(tawsim::store::LOCK_FILE_NAME);
    let text = format!("(holder: \"{holder}\", host: \"{host}\", pid: {pid}, since: {now}, refreshed: {now})\n");
    std::fs::write(&path, text).expect("lock file");
    path
}

#[test]
fn a_second_writer_of_an_annotators_files_is_stopped_with_the_holders_name() {
    let project = SampleProject::with_proposers("propose-lock");
    let root = project.root.to_str().expect("utf-8 path");
    let lock = lock_file(&project, "amal", "tawsim app", "laptop-of-amal", 4242, 5);
    let output = tawsim(&["propose", root, "--annotator", "amal"]);
    let said = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{said}");
    assert!(said.contains("tawsim app (pid 4242 on laptop-of-amal, for 5 s) is writing these annotation files"), "{said}");
    assert!(said.contains("--break-lock"), "{said}");
    assert!(!project.annotation("amal", "london-talks-sanctions.txt").exists(), "nothing written");
    // Imports into the project are stopped the same way.
    let source = project.root.join("x.jsonl");
    std::fs::write(&source, r#"{"id": "x", "text": "زار كيري موسكو", "spans": []}"#).expect("write");
    let output = tawsim(&["import", "--format", "jsonl", source.to_str().expect("utf-8"), "--into", root, "--as", "amal"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("tawsim app (pid 4242"), "{}", String::from_utf8_lossy(&output.stderr));
    // The user says the holder is gone.
    let output = tawsim(&["propose", root, "--annotator", "amal", "--break-lock"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("took over the lock of tawsim app (pid 4242 on laptop-of-amal"));
    assert!(!lock.exists(), "released at the end");
    // A lock of this machine whose process is gone is taken over without asking.
    let mut gone = std::process::Command::new("true").spawn().expect("spawn");
    let pid = gone.id();
    gone.wait().expect("exits");
    lock_file(&project, "amal", "tawsim propose", &tawsim::store::host_name(), pid, 60);
    let output = tawsim(&["propose", root, "--annotator", "amal"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is no longer running"), "{}", String::from_utf8_lossy(&output.stderr));
}

#[cfg(unix)]
#[test]
fn propose_never_writes_through_a_linked_annotations_folder() {
    let project = SampleProject::with_proposers("propose-link");
    let elsewhere = tempfile::tempdir().expect("temp dir");
    std::os::unix::fs::symlink(elsewhere.path(), project.root.join("annotations")).expect("link");
    let output = tawsim(&["propose", project.root.to_str().expect("utf-8 path"), "--annotator", "amal"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("annotations is a symbolic link; tawsim never writes through a link"));
    assert_eq!(std::fs::read_dir(elsewhere.path()).expect("list").count(), 0, "nothing written outside the project");
}

#[test]
fn values_that_would_break_propose_are_validation_errors_and_files_are_left_alone() {
    let project = SampleProject::with_proposers("propose-strict");
    let root = project.root.to_str().expect("utf-8 path");
    let rel = "london-talks-sanctions.txt";
    let text = project.text(rel);
    let mut file = AnnotationFile::new(&format!("corpus/{rel}"), &sha256_hex(&text), "amal");
    let moscow = char_offset(&text, "موسكو");
    file.spans.push(Span::manual(1, moscow..moscow + 5, "LOC", "موسكو"));
    file.next_id = 2;
    let path = project.annotation("amal", rel);
    save_annotation(&path, &file).expect("saved");
    let good = std::fs::read_to_string(&path).expect("read");
    let others = ["aleppo-street-fighting.txt", "east-aleppo-advance.txt", "kerry-lavrov-new-york.txt", "syria-news-digest.txt"];
    for other in others {
        std::fs::copy(&path, project.annotation("amal", other)).expect("copy");
    }
    let bad = [
        good.replace("origin: Manual", "origin: Proposed(source: \"x\", score: NaN)"),
        good.replace("next_id: 2", "next_id: 18446744073709551615"),
        "()\n".to_owned(),
        good.replace("    status: New,", "    status: New,\n    reviewer: \"z\","),
    ];
    for (other, text) in others.iter().zip(&bad) {
        std::fs::write(project.annotation("amal", other), text).expect("write");
    }
    let validate = tawsim(&["validate", root]);
    let said = String::from_utf8_lossy(&validate.stdout);
    assert_eq!(validate.status.code(), Some(1), "{said}");
    for (other, says) in others.iter().zip(["score NaN is not a number", "next_id 18446744073709551615 is above", "missing field", "reviewer"]) {
        assert!(said.lines().any(|l| l.starts_with(&format!("annotations/amal/{other}.ron:")) && l.contains(says)), "{other}: {said}");
    }
    let output = tawsim(&["propose", root, "--annotator", "amal"]);
    let said = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert_eq!(said.matches("skipped corpus/").count(), 4, "{said}");
    for (other, text) in others.iter().zip(&bad) {
        assert_eq!(&std::fs::read_to_string(project.annotation("amal", other)).expect("read"), text, "{other} untouched");
    }
}
