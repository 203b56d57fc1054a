//! `tawsim init` and `tawsim validate` from the command line.

mod common;

use std::process::Command;

use common::SampleProject;

fn tawsim(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tawsim")).args(args).output().expect("runs")
}

#[test]
fn init_makes_a_project_of_a_folder_of_articles_once() {
    let project = SampleProject::new("init");
    std::fs::remove_file(project.root.join("tawsim.ron")).expect("start without config");
    let root = project.root.to_str().expect("utf-8 path");
    let output = tawsim(&["init", root]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("5 article(s)") && said.contains("PERS, LOC, ORG, MISC"), "{said}");
    let again = tawsim(&["init", root]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already"));
}

#[test]
fn validate_prints_one_line_per_problem_and_fails() {
    let project = SampleProject::new("validate");
    let root = project.root.to_str().expect("utf-8 path");
    let clean = tawsim(&["validate", root]);
    assert_eq!(clean.status.code(), Some(0), "{}", String::from_utf8_lossy(&clean.stdout));

    let path = project.annotation("amal", "london-talks-sanctions.txt");
    std::fs::create_dir_all(path.parent().expect("folder")).expect("mkdir");
    let text = project.text("london-talks-sanctions.txt");
    let sha = tawsim::store::sha256_hex(&text);
    std::fs::write(
        &path,
        format!(
            "(format: 1, document: \"corpus/london-talks-sanctions.txt\", text_sha256: \"{sha}\", annotator: \"amal\", spans: [\n\
             (id: 1, start: 28, end: 36, label: \"PERS\", text: \"جون كيري\"),\n\
             (id: 2, start: 98, end: 103, label: \"PLACE\", text: \"موسكو\"),\n\
             (id: 3, start: 99000, end: 99005, label: \"LOC\", text: \"حلب\"),\n\
             ])"
        ),
    )
    .expect("write");
    let output = tawsim(&["validate", root]);
    assert_eq!(output.status.code(), Some(1));
    let lines = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(lines.contains("annotations/amal/london-talks-sanctions.txt.ron:span 2: label \"PLACE\""), "{lines}");
    assert!(lines.lines().any(|l| l.starts_with("annotations/amal/london-talks-sanctions.txt.ron:span 3:")), "{lines}");
    assert!(!lines.contains(":span 1:"), "the good span is not reported: {lines}");
}

#[test]
fn validate_reports_a_missing_project_clearly() {
    let output = tawsim(&["validate", "/nonexistent/folder"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent/folder"));
}
