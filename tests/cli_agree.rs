//! `tawsim agree` and `tawsim adjudicate`: annotator agreement on a small project whose numbers
//! are worked out by hand, and the agreed spans decided into gold in batch.

use std::path::Path;
use std::process::{Command, Output};

use tawsim::model::{AnnotationFile, Origin, Span, SpanState};
use tawsim::store::{save_annotation, sha256_hex};

const A: &str = "التقى جون كيري وسيرغي لافروف في موسكو وبحثا أزمة حلب مع الأمم المتحدة.";
const B: &str = "قالت وزارة الخارجية في دمشق إن الوفد وصل إلى بيروت.";
const C: &str = "وصل الوفد إلى حلب.";

/// An accepted span over the first occurrence of `needle` in `text`, with char offsets.
fn at(text: &str, needle: &str, label: &str) -> Span {
    let byte = text.find(needle).unwrap_or_else(|| panic!("{needle} is in the text"));
    let start = text[..byte].chars().count();
    Span::manual(0, start..start + needle.chars().count(), label, needle)
}

/// The same as a pending prediction imported from another tool.
fn predicted(text: &str, needle: &str, label: &str) -> Span {
    let mut span = at(text, needle, label);
    span.state = SpanState::Pending;
    span.origin = Origin::Imported { source: "crf.jsonl".into() };
    span
}

fn annotate(root: &Path, annotator: &str, rel: &str, text: &str, spans: Vec<Span>) {
    let mut file = AnnotationFile::new(&format!("corpus/{rel}"), &sha256_hex(text), annotator);
    for mut span in spans {
        span.id = file.alloc_id();
        file.spans.push(span);
    }
    file.sort_spans();
    let path = root.join("annotations").join(annotator).join(format!("{rel}.ron"));
    save_annotation(&path, &file).expect("save the annotation");
}

fn amal_a() -> Vec<Span> {
    vec![at(A, "جون كيري", "PERS"), at(A, "سيرغي لافروف", "PERS"), at(A, "موسكو", "LOC"), at(A, "حلب", "LOC"), at(A, "الأمم المتحدة", "ORG")]
}

fn amal_b() -> Vec<Span> {
    vec![at(B, "وزارة الخارجية", "ORG"), at(B, "دمشق", "LOC"), at(B, "بيروت", "LOC")]
}

/// Articles a, b, c; amal annotated all three, badr a and b (with one pending prediction in a),
/// gold a and b like amal plus a pending proposal it has not decided.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("corpus")).expect("corpus");
    std::fs::write(root.join("tawsim.ron"), "(name: \"t\")\n").expect("config");
    for (rel, text) in [("a.txt", A), ("b.txt", B), ("c.txt", C)] {
        std::fs::write(root.join("corpus").join(rel), text).expect("article");
    }
    annotate(root, "amal", "a.txt", A, amal_a());
    annotate(root, "amal", "b.txt", B, amal_b());
    annotate(root, "amal", "c.txt", C, vec![at(C, "حلب", "LOC")]);
    let badr_a = vec![at(A, "جون كيري", "PERS"), at(A, "لافروف", "PERS"), at(A, "موسكو", "LOC"), at(A, "الأمم المتحدة", "LOC"), predicted(A, "حلب", "LOC")];
    annotate(root, "badr", "a.txt", A, badr_a);
    annotate(root, "badr", "b.txt", B, amal_b());
    let mut gold_a = amal_a();
    gold_a.push(predicted(A, "التقى", "PERS"));
    annotate(root, "gold", "a.txt", A, gold_a);
    annotate(root, "gold", "b.txt", B, amal_b());
    dir
}

fn agree(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tawsim")).arg("agree").arg(root).args(args).output().expect("runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn row<'t>(table: &'t str, first: &str) -> Vec<&'t str> {
    let line = table.lines().find(|l| l.split_whitespace().next() == Some(first)).unwrap_or_else(|| panic!("a row {first} in\n{table}"));
    line.split_whitespace().collect()
}

// The numbers, by hand. Spans that count (badr's pending حلب does not, by default):
//   a.txt  amal: PERS جون كيري, PERS سيرغي لافروف, LOC موسكو, LOC حلب, ORG الأمم المتحدة (5)
//          badr: PERS جون كيري, PERS لافروف, LOC موسكو, LOC الأمم المتحدة (4)
//          identical: جون كيري, موسكو → 2
//   b.txt  amal = badr: ORG وزارة الخارجية, LOC دمشق, LOC بيروت → 3 of 3
//   c.txt  badr has no file: skipped.
// Exact micro: matched 5, |amal| 8, |badr| 7: P = 5/7 = 0.7143, R = 5/8 = 0.6250,
//   F1 = 2·5/(8+7) = 0.6667.
// Per label: PERS 1 of 2 and 2: P = R = F1 = 0.5000. LOC amal 4 (موسكو حلب دمشق بيروت), badr 4
//   (موسكو الأمم المتحدة دمشق بيروت), 3 matched: 0.7500. ORG amal 2, badr 1, 1 matched: P = 1,
//   R = 0.5, F1 = 2/3 = 0.6667.
// Partial: سيرغي لافروف overlaps لافروف (PERS) → +1; الأمم المتحدة ORG vs LOC: no.
//   Matched 6: F1 = 12/15 = 0.8000.
// κ. Tokens of a (14): التقى جون كيري وسيرغي لافروف في موسكو وبحثا أزمة حلب مع الأمم المتحدة .
//   amal: O B-P I-P B-P I-P O B-L O O B-L O B-O I-O O
//   badr: O B-P I-P O   B-P O B-L O O O   O B-L I-L O   → 5 differ (tokens 3 4 9 11 12).
//   Tokens of b (11): قالت وزارة الخارجية في دمشق إن الوفد وصل إلى بيروت . → identical.
//   n = 25, agreed = 20. Marginals amal / badr: O 13/15, B-PERS 2/2, I-PERS 2/1, B-LOC 4/4,
//   I-LOC 0/1, B-ORG 2/1, I-ORG 2/1. Σ = 195 + 4 + 2 + 16 + 0 + 2 + 2 = 221.
//   κ = (25·20 − 221)/(25² − 221) = 279/404 = 0.6906.
// κ without the all-O tokens: a's tokens 1 2 3 4 6 9 11 12 and b's 1 2 4 9: n = 12, agreed = 7
//   (a: 1 2 6, b: all 4). Marginals: B-PERS 2/2, I-PERS 2/1, B-LOC 4/4, I-LOC 0/1, B-ORG 2/1,
//   I-ORG 2/1, O 0/2. Σ = 4 + 2 + 16 + 0 + 2 + 2 + 0 = 26. κ = (12·7 − 26)/(144 − 26) = 58/118
//   = 0.4915.
// Most disagreement: a.txt (1 − 4/9 = 0.5556, 5 spans differ), then b.txt (0).
const EXACT_F1: f64 = 10.0 / 15.0;

#[test]
fn table_of_two_annotators_worked_by_hand() {
    let dir = project();
    let output = agree(dir.path(), &["--annotators", "amal,badr"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let table = stdout(&output);
    assert!(table.contains("amal ~ badr"), "{table}");
    assert!(table.contains("2 article(s) compared; skipped 1 without a file of badr"), "{table}");
    assert_eq!(row(&table, "label"), ["label", "precision", "recall", "f1", "amal", "badr", "matched"]);
    assert_eq!(row(&table, "PERS")[1..], ["0.5000", "0.5000", "0.5000", "2", "2", "1"]);
    assert_eq!(row(&table, "LOC")[1..], ["0.7500", "0.7500", "0.7500", "4", "4", "3"]);
    assert_eq!(row(&table, "ORG")[1..], ["1.0000", "0.5000", "0.6667", "2", "1", "1"]);
    assert_eq!(row(&table, "exact")[1..], ["0.7143", "0.6250", "0.6667", "8", "7", "5"]);
    assert_eq!(row(&table, "partial")[3], "0.8000");
    assert!(table.contains("kappa, all tokens: 0.6906 (25 tokens); without all-O tokens: 0.4915 (12 tokens)"), "{table}");
    let worst = table.lines().skip_while(|l| !l.starts_with("most disagreement")).nth(2);
    assert_eq!(worst.map(|l| l.split_whitespace().collect::<Vec<_>>()), Some(vec!["0.5556", "5", "a.txt"]));
    assert_eq!(table.lines().last(), Some("micro_f1=0.6667"), "{table}");
    assert_eq!(table.matches("micro_f1=").count(), 1);
}

#[test]
fn json_has_the_same_numbers() {
    let dir = project();
    let output = agree(dir.path(), &["--annotators", "amal,badr", "--json"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = stdout(&output);
    assert!(!text.contains("micro_f1="), "{text}");
    let report: serde_json::Value = serde_json::from_str(&text).expect("one JSON object");
    let num = |pointer: &str| report.pointer(pointer).and_then(serde_json::Value::as_f64).unwrap_or_else(|| panic!("{pointer} in {text}"));
    let close = |pointer: &str, expected: f64| {
        assert!((num(pointer) - expected).abs() < 1e-9, "{pointer}: {} ≠ {expected}", num(pointer));
    };
    close("/pairs/0/exact/overall/f1", EXACT_F1);
    close("/pairs/0/exact/overall/precision", 5.0 / 7.0);
    close("/pairs/0/exact/overall/recall", 5.0 / 8.0);
    close("/pairs/0/exact/per_label/LOC/f1", 0.75);
    close("/pairs/0/exact/per_label/ORG/recall", 0.5);
    close("/pairs/0/partial/overall/f1", 0.8);
    close("/pairs/0/kappa", 279.0 / 404.0);
    close("/pairs/0/kappa_without_o", 58.0 / 118.0);
    close("/pairs/0/articles_compared", 2.0);
    close("/pairs/0/skipped_without_file_of_b", 1.0);
    close("/mean_micro_f1", EXACT_F1);
    assert_eq!(report.pointer("/most_disagreement/0/article").and_then(|v| v.as_str()), Some("a.txt"));
    close("/most_disagreement/0/disagreement", 5.0 / 9.0);
}

#[test]
fn pending_predictions_count_when_asked() {
    let dir = project();
    // badr's pending حلب counts: matched 6, |amal| 8, |badr| 8: F1 = 12/16 = 0.7500.
    let output = agree(dir.path(), &["--annotators", "amal,badr", "--pending"]);
    assert_eq!(stdout(&output).lines().last(), Some("micro_f1=0.7500"));
    // Only amal's pending spans (she has none): back to 0.6667.
    let output = agree(dir.path(), &["--annotators", "amal,badr", "--pending=amal"]);
    assert_eq!(stdout(&output).lines().last(), Some("micro_f1=0.6667"));
    // gold's undecided proposal (التقى PERS) never counts with a bare --pending; gold is amal
    // plus that proposal, so gold ~ badr is amal ~ badr with badr's prediction: 0.7500.
    let output = agree(dir.path(), &["--annotators", "gold,badr", "--pending"]);
    assert_eq!(stdout(&output).lines().last(), Some("micro_f1=0.7500"));
}

#[test]
fn labels_limit_what_is_compared() {
    let dir = project();
    // LOC only: matched 3, 4 and 4: F1 = 0.7500.
    let output = agree(dir.path(), &["--annotators", "amal,badr", "--labels", "LOC"]);
    let table = stdout(&output);
    assert_eq!(table.lines().last(), Some("micro_f1=0.7500"), "{table}");
    assert!(!table.lines().any(|l| l.starts_with("PERS")), "{table}");
}

#[test]
fn an_unknown_annotator_names_the_folder_and_the_annotators() {
    let dir = project();
    let output = agree(dir.path(), &["--annotators", "amal,zaid"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("\"zaid\""), "{stderr}");
    assert!(stderr.contains(&dir.path().join("annotations").join("zaid").display().to_string()), "{stderr}");
    assert!(stderr.contains("amal, badr, gold"), "{stderr}");
    let one = agree(dir.path(), &["--annotators", "amal"]);
    assert_eq!(one.status.code(), Some(2));
}

#[test]
fn a_broken_file_is_reported_with_its_place_and_skipped() {
    let dir = project();
    let broken = dir.path().join("annotations").join("badr").join("b.txt.ron");
    std::fs::write(&broken, "(\n    format: 1,\n    spans: [(id: oops)],\n)\n").expect("break the file");
    let output = agree(dir.path(), &["--annotators", "amal,badr"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let place = format!("{}:3:", broken.display());
    assert!(stderr.contains(&place), "{stderr}");
    // Only a.txt is compared: matched 2, 5 and 4: F1 = 2·2/9 = 0.4444.
    let table = stdout(&output);
    assert!(table.contains("1 article(s) compared; skipped 1 without a file of badr, 1 because of errors"), "{table}");
    assert_eq!(table.lines().last(), Some("micro_f1=0.4444"), "{table}");
}

fn adjudicate(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tawsim")).arg("adjudicate").arg(root).args(args).output().expect("runs")
}

#[test]
fn adjudicate_accepts_what_everyone_agrees_on_into_gold_once() {
    let dir = project();
    let root = dir.path();
    std::fs::remove_file(root.join("annotations/gold/a.txt.ron")).expect("no gold for a yet");
    let amal = std::fs::read(root.join("annotations/amal/a.txt.ron")).expect("amal's file");
    let output = adjudicate(root, &["--annotators", "amal,badr", "--accept-agreed", "--reviewer", "rana"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let printed = stdout(&output);
    // a.txt: amal and badr both have جون كيري and موسكو; لافروف, حلب and الأمم المتحدة are left.
    // b.txt: gold already has their three agreed spans; c.txt: only amal annotated it.
    assert!(printed.contains("a.txt: accepted 2 agreed span(s); 3 disagreement(s) left for review"), "{printed}");
    assert!(!printed.contains("b.txt") && !printed.contains("c.txt"), "{printed}");
    assert!(printed.trim_end().ends_with("accepted=2 articles=1 disagreements_left=3 skipped=0"), "{printed}");
    let gold = tawsim::store::read_annotation(&root.join("annotations/gold/a.txt.ron")).expect("readable").expect("written");
    let rows: Vec<(&str, &str)> = gold.spans.iter().map(|s| (s.text.as_str(), s.label.as_str())).collect();
    assert_eq!(rows, [("جون كيري", "PERS"), ("موسكو", "LOC")]);
    let provenance = Origin::Adjudicated { annotators: vec!["amal".into(), "badr".into()], decided_by: "rana".into() };
    assert!(gold.spans.iter().all(|s| s.origin == provenance && s.state == SpanState::Accepted), "{:?}", gold.spans);
    assert_eq!(gold.status, tawsim::model::DocStatus::InProgress);
    assert_eq!(std::fs::read(root.join("annotations/amal/a.txt.ron")).expect("amal's file"), amal, "annotators' files are only read");
    // What gold already decides is not decided again.
    let again = adjudicate(root, &["--annotators", "amal,badr", "--accept-agreed", "--reviewer", "rana"]);
    assert!(stdout(&again).trim_end().ends_with("accepted=0 articles=0 disagreements_left=3 skipped=0"), "{}", stdout(&again));
}

#[test]
fn adjudicate_refuses_gold_as_an_annotator_and_needs_its_decision_named() {
    let dir = project();
    let output = adjudicate(dir.path(), &["--annotators", "amal,gold", "--accept-agreed", "--reviewer", "rana"]);
    assert_eq!(output.status.code(), Some(2), "a refusal, like every error before work starts");
    assert!(String::from_utf8_lossy(&output.stderr).contains("gold itself cannot be one of them"));
    let output = adjudicate(dir.path(), &["--annotators", "amal,badr"]);
    assert_eq!(output.status.code(), Some(2), "clap's usage error: --accept-agreed is required");
}
