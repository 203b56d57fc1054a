//! `tawsim eval`: learn a gazetteer from training CoNLL, score it on test CoNLL like conlleval.

mod common;

use std::process::Command;

fn write(name: &str, text: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("tawsim-eval-{}-{name}", std::process::id()));
    std::fs::write(&path, text).expect("write");
    path
}

fn eval(train: &std::path::Path, test: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tawsim"))
        .args(["eval", "--train", train.to_str().expect("path"), "--test", test.to_str().expect("path")])
        .output()
        .expect("runs")
}

#[test]
fn scores_exact_spans_and_ends_with_micro_f1() {
    let sentence = "وصل O\nكيري B-PERS\nإلى O\nموسكو B-LOC\n\n";
    let train = write("train.conll", &sentence.repeat(6));
    // One name known from training (found), one unknown (missed): P = 1/1, R = 1/2, F1 = 0.6667.
    let test = write("test.conll", "التقى O\nكيري B-PERS\nفي O\nطوكيو B-LOC\n\n");
    let output = eval(&train, &test);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().last(), Some("micro_f1=0.6667"), "{stdout}");
    assert!(stdout.lines().any(|l| l.starts_with("PERS") && l.contains("1.0000")), "{stdout}");
}

#[test]
fn a_malformed_training_file_names_the_line() {
    let train = write("bad.conll", "كيري B-PERS\nموسكو\n");
    let test = write("ok.conll", "كيري B-PERS\n");
    let output = eval(&train, &test);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("line 2"), "{stderr}");
}

#[test]
fn the_learned_model_proposes_once_it_passes_its_gate_and_the_curve_has_four_points() {
    let train = write("model-train.conll", &common::synthetic_conll(300, 1));
    let test = write("model-test.conll", &common::synthetic_conll(40, 2));
    let output = Command::new(env!("CARGO_BIN_EXE_tawsim"))
        .args(["eval", "--train", train.to_str().expect("path"), "--test", test.to_str().expect("path"), "--curve"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(stdout.lines().filter(|l| l.contains("% of training")).count(), 4, "{stdout}");
    assert!(stdout.contains("model: trained in") && stdout.contains("proposes"), "{stdout}");
    assert!(stdout.contains("model confidence on the test data"), "{stdout}");
    let f1: f64 = stdout.lines().last().and_then(|l| l.strip_prefix("micro_f1=")).and_then(|v| v.parse().ok()).expect("micro_f1 last");
    assert!(f1 > 0.9, "{stdout}");
    // The lists and rules alone, as before the model.
    let output = Command::new(env!("CARGO_BIN_EXE_tawsim"))
        .args(["eval", "--train", train.to_str().expect("path"), "--test", test.to_str().expect("path"), "--proposers", "gazetteer,rules"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains("model:"), "{stdout}");
    assert!(stdout.lines().last().is_some_and(|l| l.starts_with("micro_f1=")), "{stdout}");
}
