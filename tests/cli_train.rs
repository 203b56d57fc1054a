//! `tawsim train` and the learned model in `tawsim propose`.

mod common;

use std::path::Path;
use std::process::Command;

use tawsim::model::SpanState;
use tawsim::model::{Origin, Span};
use tawsim::store::read_annotation;

fn tawsim(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tawsim")).args(args).output().expect("runs")
}

/// A project of generated articles (25 sentences each) with their gold annotations.
fn project(dir: &Path, sentences: usize) -> String {
    let conll = dir.join("news.conll");
    std::fs::write(&conll, common::synthetic_conll(sentences, 7)).expect("write");
    let root = dir.join("project");
    let output =
        tawsim(&["import", "--format", "conll", conll.to_str().expect("utf-8"), "--into", root.to_str().expect("utf-8"), "--sentences-per-article", "25"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    root.to_str().expect("utf-8").to_owned()
}

#[test]
fn train_reports_saves_and_propose_uses_the_model() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = project(dir.path(), 300);
    let output = tawsim(&["train", &root]);
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{said}{}", String::from_utf8_lossy(&output.stderr));
    for part in
        ["on gold: 12 document(s), 300 sentence(s)", "model, held out:", "lists + rules, held out:", "confusion", "learning curve", "proposes: held-out F1"]
    {
        assert!(said.contains(part), "{part:?} missing from:\n{said}");
    }
    let model = Path::new(&root).join("models/ner.tawsim-model");
    assert!(model.exists());

    let output = tawsim(&["propose", &root, "--annotator", "amal"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stdout));
    let file = read_annotation(&Path::new(&root).join("annotations/amal/news-0001.txt.ron")).expect("loads").expect("written");
    let from_model: Vec<&Span> =
        file.spans.iter().filter(|s| s.state == SpanState::Pending && matches!(&s.origin, Origin::Proposed { source, .. } if source == "model")).collect();
    assert!(from_model.len() > 20, "{:?}", file.spans);

    // A damaged model is reported and the lists and rules propose instead.
    std::fs::write(&model, b"TAWSIM-MODEL\n garbage").expect("write");
    let output = tawsim(&["propose", &root, "--annotator", "badr"]);
    let warned = String::from_utf8_lossy(&output.stderr);
    assert!(warned.contains("learned model not used") && warned.contains("ner.tawsim-model: damaged model file"), "{warned}");
}

#[test]
fn a_small_project_trains_but_does_not_propose_and_says_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = project(dir.path(), 25);
    let output = tawsim(&["train", &root, "--no-curve"]);
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{said}");
    assert!(said.contains("does not propose: needs") && said.contains("more accepted entities"), "{said}");
    assert!(!said.contains("learning curve"), "{said}");
    let output = tawsim(&["propose", &root, "--annotator", "amal"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("learned model not proposing: needs"));
}

#[test]
fn train_refuses_an_unreadable_extra_file_by_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = project(dir.path(), 25);
    let extra = dir.path().join("bad.conll");
    std::fs::write(&extra, "كيري B-PERS\nموسكو\n").expect("write");
    let output = tawsim(&["train", &root, "--extra", extra.to_str().expect("utf-8")]);
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("bad.conll") && said.contains("line 2"), "{said}");
}
