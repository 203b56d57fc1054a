//! Exports read by the tools that consume them: spaCy (`Doc.char_span` for every JSONL span),
//! seqeval (the CoNLL and BIOES exports scored against themselves) and Hugging Face `datasets`
//! (the token-classification export with its label sidecar).
//!
//! The Python side is tests/interop/check_exports.py, run with the interpreter named by
//! `TAWSIM_PYTHON`; `.ci/run` makes a venv of the pinned tests/interop/requirements.txt and sets
//! it. Without it the test says so and checks nothing, except under `CI=true`, where a missing
//! interpreter is a failure.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::SampleProject;

/// The interpreter of the pinned venv, or `None` (with a notice) outside CI.
fn python() -> Option<PathBuf> {
    match std::env::var_os("TAWSIM_PYTHON") {
        Some(python) => Some(PathBuf::from(python)),
        None if std::env::var_os("CI").is_some() => panic!("CI must set TAWSIM_PYTHON (see .ci/run)"),
        None => {
            eprintln!("TAWSIM_PYTHON is not set: exports not checked with spaCy, seqeval and datasets (see .ci/run)");
            None
        }
    }
}

/// Runs `tawsim` with `args`, failing the test with its output when it fails.
fn tawsim(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_tawsim")).args(args).output().expect("run tawsim");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "tawsim {args:?} failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    stdout
}

/// Exports `project` (its gold annotations) in the four formats the checker reads, under `out`;
/// `split` adds `--split 80,10,10`, so the files are folders of train/dev/test.
fn export_all(project: &Path, out: &Path, split: bool) -> Vec<String> {
    let project = project.to_str().expect("UTF-8 path");
    let mut checker_args = Vec::new();
    for (format, flag) in [("jsonl", "--jsonl"), ("conll", "--conll"), ("bioes", "--bioes"), ("hf", "--hf")] {
        let target = if split || format == "hf" { out.join(format) } else { out.join(format!("{format}.{format}")) };
        let data = if split || format != "hf" { target.clone() } else { target.join("data.jsonl") };
        let data_arg = data.to_str().expect("UTF-8 path").to_owned();
        let mut args = vec!["export", "--format", format, "--out", &data_arg, "--from", "gold"];
        if split {
            args.extend(["--split", "80,10,10", "--seed", "7"]);
        }
        args.push(project);
        tawsim(&args);
        let files: Vec<PathBuf> = if split && format != "hf" {
            ["train", "dev", "test"].iter().map(|part| target.join(format!("{part}.{}", if format == "jsonl" { "jsonl" } else { "conll" }))).collect()
        } else if format == "hf" {
            vec![target]
        } else {
            vec![data]
        };
        for file in files {
            assert!(file.exists(), "{} was written", file.display());
            checker_args.push(flag.to_owned());
            checker_args.push(file.to_str().expect("UTF-8 path").to_owned());
        }
    }
    checker_args
}

fn check(python: &Path, checker_args: &[String]) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/check_exports.py");
    let output = Command::new(python).arg(script).args(checker_args).output().expect("run the Python checker");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "the exports do not read as meant:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    stdout
}

#[test]
fn the_sample_gold_article_reads_in_spacy_seqeval_and_datasets() {
    let Some(python) = python() else { return };
    let project = SampleProject::new("interop-sample");
    let gold = project.annotation("gold", "london-talks-sanctions.txt");
    std::fs::create_dir_all(gold.parent().expect("folder")).expect("gold folder");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("annotations/gold/london-talks-sanctions.txt.ron"), &gold).expect("copy gold");
    let out = tempfile::tempdir().expect("temp dir");
    let report = check(&python, &export_all(&project.root, out.path(), false));
    // The hand-annotated article's 76 entities, every one a spaCy span.
    assert!(report.contains("1 documents, 76 spans"), "{report}");
    assert!(report.contains("F1 against itself = 1.0"), "{report}");
    assert!(report.contains("datasets: "), "{report}");
}

#[test]
fn anercorp_imported_and_exported_with_splits_reads_in_spacy_seqeval_and_datasets() {
    let Some(python) = python() else { return };
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/anercorp/train.conll");
    assert!(source.exists(), "{} is missing", source.display());
    let work = tempfile::tempdir().expect("temp dir");
    let project = work.path().join("anercorp");
    tawsim(&["import", "--format", "conll", source.to_str().expect("UTF-8 path"), "--into", project.to_str().expect("UTF-8 path")]);
    let out = work.path().join("out");
    let report = check(&python, &export_all(&project, &out, true));
    assert_eq!(report.matches("F1 against itself = 1.0").count(), 6, "three parts in two schemes: {report}");
    assert!(report.contains("rows in train, dev, test") || report.contains("rows in dev, test, train"), "{report}");
}
