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
