//! `tawsim check`: one line per finding, `findings=N`, JSON, exit status for CI, `--fix`.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::gold_project;

fn check(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tawsim")).arg("check").arg(dir).args(args).output().expect("runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn findings_one_per_line_and_exit_1() {
    let dir = gold_project::project();
    let output = check(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let out = stdout(&output);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 7, "{out}");
    assert!(lines[0].starts_with("labels «الجزيرة»: labelled ORG 3, LOC 1; at corpus/b.txt:"), "{out}");
    assert!(lines[1].starts_with("unlabelled «موسكو»: labelled 4 of 5 (LOC 4), unlabelled 1; at corpus/d.txt:"), "{out}");
    assert!(lines[2].starts_with("proclitic «روسيا»: a proclitic inside the span; at corpus/b.txt:") && lines[2].ends_with("«وروسيا»"), "{out}");
    assert!(lines[3].starts_with("article «القاهرة»") && lines[4].starts_with("edges «دمشق»") && lines[4].ends_with("«دمشق،»"), "{out}");
    assert_eq!(lines[5], "5 article(s), 21 span(s) of gold: labels 1, unlabelled 1, proclitic 1, article 1, edges 1");
    assert_eq!(lines[6], "findings=5");
}

#[test]
fn json_holds_the_same_findings_with_their_edits() {
    let dir = gold_project::project();
    let output = check(dir.path(), &["--json", "--from", "gold"]);
    assert_eq!(output.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(value["counts"]["labels"], 1);
    let findings = value["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 5);
    assert_eq!(findings[2]["kind"], "proclitic");
    assert_eq!(findings[2]["form"], "روسيا");
    let edit = &findings[2]["fixes"][0]["edits"][0];
    assert_eq!(edit["rel"], "b.txt");
    assert_eq!(edit["edit"]["Replace"]["after"]["text"], "روسيا");
    assert_eq!(findings[2]["fixes"][0]["mechanical"], true);
}

#[test]
fn fix_applies_the_convention_and_leaves_labels_to_a_person() {
    let dir = gold_project::project();
    let output = check(dir.path(), &["--fix"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("fixed: 3 finding(s) in 3 file(s)"), "{}", String::from_utf8_lossy(&output.stderr));
    let out = stdout(&output);
    assert!(out.ends_with("findings=2\n") && out.starts_with("labels «الجزيرة»"), "{out}");
    let saved = std::fs::read_to_string(dir.path().join("annotations/gold/a.txt.ron")).expect("saved");
    assert!(saved.contains("text: \"دمشق\"") && !saved.contains("دمشق،"), "{saved}");
    // Clean once a person has made the rest consistent.
    let validate = Command::new(env!("CARGO_BIN_EXE_tawsim")).arg("validate").arg(dir.path()).output().expect("runs");
    assert_eq!(validate.status.code(), Some(0), "{}", stdout(&validate));
}

#[test]
fn a_clean_source_exits_0_and_usage_errors_2() {
    let dir = gold_project::project();
    let root = dir.path();
    // amal has one article, consistent with itself.
    let text = gold_project::ARTICLES[4].1;
    let mut file = tawsim::model::AnnotationFile::new("corpus/e.txt", &tawsim::store::sha256_hex(text), "amal");
    file.spans.push(tawsim::model::Span::manual(1, gold_project::nth(text, "موسكو", 0), "LOC", "موسكو"));
    tawsim::store::save_annotation(&root.join("annotations/amal/e.txt.ron"), &file).expect("save");
    let output = check(root, &["--from", "amal"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).ends_with("findings=0\n"));
    assert_eq!(check(root, &["--from", "nobody"]).status.code(), Some(2));
    assert_eq!(check(&root.join("no-such-folder"), &[]).status.code(), Some(2));
    assert_eq!(check(root, &["--bogus"]).status.code(), Some(2));
}
