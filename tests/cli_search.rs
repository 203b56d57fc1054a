//! `tawsim search`: one line per hit with its context and labels, then `hits=N`.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::gold_project::{self, nth};

fn search(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tawsim")).arg("search").arg(dir).args(args).output().expect("runs")
}

fn lines(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stdout).lines().map(str::to_owned).collect()
}

#[test]
fn one_line_per_hit_with_offsets_context_and_labels() {
    let dir = gold_project::project();
    let output = search(dir.path(), &["روسيا"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let lines = lines(&output);
    assert_eq!(lines.len(), 4, "{lines:#?}");
    let b = gold_project::ARTICLES[1].1;
    let range = nth(b, "روسيا", 0);
    let fields: Vec<&str> = lines[1].split('\t').collect();
    assert_eq!(fields[0], format!("corpus/b.txt:{}..{}", range.start, range.end));
    assert!(fields[1].ends_with("إلى دمشق و[روسيا] ترحب. وقالت الجزيرة إن الوفد"), "{}", fields[1]);
    assert_eq!(fields[2], format!("LOC (gold, covers {}..{})", range.start - 1, range.end));
    assert_eq!(lines[3], "hits=3");
}

#[test]
fn normalized_spellings_regex_and_filters() {
    let dir = gold_project::project();
    let hits = |args: &[&str]| lines(&search(dir.path(), args)).last().cloned().unwrap_or_default();
    assert_eq!(hits(&["الاسد"]), "hits=2", "alef forms");
    assert_eq!(hits(&["بشار", "الأسد"]), "hits=1", "the words after the folder are the phrase");
    assert_eq!(hits(&["موسكو", "--unlabelled"]), "hits=2");
    assert_eq!(hits(&["موسكو", "--label", "LOC"]), "hits=4");
    assert_eq!(hits(&["الجزيرة label:LOC"]), "hits=1", "a filter typed in the query");
    assert_eq!(hits(&["--regex", r"موس.و|دمشق"]), "hits=9");
    assert_eq!(hits(&["موسكو", "--from", "gold", "--unlabelled"]), "hits=2");
    let pending = lines(&search(dir.path(), &["موسكو", "--unlabelled"]));
    assert!(pending[0].ends_with("LOC (gold, pending)") && pending[1].ends_with("LOC (gold, rejected)"), "{pending:#?}");
    let unlabelled = lines(&search(dir.path(), &["جنيف"]));
    assert!(unlabelled[0].ends_with("\tunlabelled"), "{unlabelled:?}");
}

#[test]
fn the_current_folder_is_the_default_project() {
    let dir = gold_project::project();
    let output = Command::new(env!("CARGO_BIN_EXE_tawsim")).args(["search", "الجزيرة"]).current_dir(dir.path()).output().expect("runs");
    assert_eq!(lines(&output).last().map(String::as_str), Some("hits=4"), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn usage_errors_exit_2() {
    let dir = gold_project::project();
    for args in [&["--regex", "(موسكو"][..], &["موسكو", "--from", "amal"], &["موسكو", "--label", "LOC", "--unlabelled"], &["  "]] {
        let output = search(dir.path(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&output.stdout));
    }
    let output = search(dir.path(), &["--from", "amal", "موسكو"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("no annotator \"amal\""), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn a_file_that_does_not_load_is_named_and_exits_1() {
    let dir = gold_project::project();
    std::fs::write(dir.path().join("annotations/gold/c.txt.ron"), "(((").expect("break");
    let output = search(dir.path(), &["موسكو"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("c.txt.ron"), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(lines(&output).last().map(String::as_str), Some("hits=6"), "the article is still searched");
}
