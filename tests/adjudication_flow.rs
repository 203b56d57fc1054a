//! The reviewer's side through the window: two annotators' files of one article, review mode
//! opened from the keyboard, every kind of disagreement decided, undone and redone, the article
//! marked reviewed; then the gold file on disk, and the annotators' files untouched.

mod common;

use common::app::{app_harness, let_save_happen};
use common::{SampleProject, char_offset, wait_for_file};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use tawsim::app::TawsimApp;
use tawsim::app::agreement::AgreementState;
use tawsim::app::review_mode::ReviewMode;
use tawsim::model::{AnnotationFile, DocStatus, Origin, Span, SpanState};
use tawsim::review::{Decision, GroupKind};
use tawsim::store::{save_annotation, sha256_hex};

const ARTICLE: &str = "aleppo-street-fighting.txt";

/// A span of `word` (its first occurrence) in `text`.
fn span_of(text: &str, id: u64, word: &str, label: &str) -> Span {
    let start = char_offset(text, word);
    Span::manual(id, start..start + word.chars().count(), label, word)
}

/// What amal and badr marked: one span both have (حلب LOC), one range they label differently
/// (الأسد: PERS for amal, ORG for badr) and one name with different boundaries (amal's ORG is
/// «شبكة شام الإخبارية», badr's «شام الإخبارية»). Returns the bytes of both files.
fn write_annotators(project: &SampleProject) -> [(std::path::PathBuf, Vec<u8>); 2] {
    let text = project.text(ARTICLE);
    let marks =
        [("amal", [("حلب", "LOC"), ("الأسد", "PERS"), ("شبكة شام الإخبارية", "ORG")]), ("badr", [("حلب", "LOC"), ("الأسد", "ORG"), ("شام الإخبارية", "ORG")])];
    marks.map(|(annotator, spans)| {
        let mut file = AnnotationFile::new(&format!("corpus/{ARTICLE}"), &sha256_hex(&text), annotator);
        file.status = DocStatus::Done;
        file.spans = spans.iter().enumerate().map(|(i, (word, label))| span_of(&text, i as u64 + 1, word, label)).collect();
        file.sort_spans();
        file.next_id = 4;
        let path = project.annotation(annotator, ARTICLE);
        save_annotation(&path, &file).expect("annotator file written");
        let bytes = std::fs::read(&path).expect("annotator file");
        (path, bytes)
    })
}

fn press(harness: &mut Harness<'static, TawsimApp>, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.run_steps(2);
}

fn mode<'a>(harness: &'a Harness<'static, TawsimApp>) -> &'a ReviewMode {
    harness.state().review_mode().expect("review mode is on")
}

/// The kind of the focused group and the labels of its spans.
fn focused(harness: &Harness<'static, TawsimApp>) -> (GroupKind, Vec<String>) {
    let state = &mode(harness).state;
    let article = state.review().expect("an article under review");
    let group = &article.groups[state.focus.expect("a group has focus")];
    (group.kind, group.members.iter().map(|&m| article.diffs[m].label.clone()).collect())
}

/// The gold spans in the review session, as (text, label, annotators, decided_by, state).
type GoldRow = (String, String, Vec<String>, String, SpanState);

fn gold_rows(file: &AnnotationFile) -> Vec<GoldRow> {
    file.spans
        .iter()
        .map(|s| match &s.origin {
            Origin::Adjudicated { annotators, decided_by } => (s.text.clone(), s.label.clone(), annotators.clone(), decided_by.clone(), s.state),
            other => panic!("gold span {s:?} has origin {other:?}"),
        })
        .collect()
}

fn row(text: &str, label: &str, annotators: &[&str]) -> GoldRow {
    (text.to_owned(), label.to_owned(), annotators.iter().map(|a| (*a).to_owned()).collect(), "tester".to_owned(), SpanState::Accepted)
}

/// Opens the picker with Ctrl+Shift+R, picks amal (1) and badr (2) and starts with Enter.
fn start_review(harness: &mut Harness<'static, TawsimApp>) {
    press(harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::R);
    assert!(harness.query_by_label("Start review").is_some(), "the picker is open");
    press(harness, Modifiers::NONE, Key::Num1);
    press(harness, Modifiers::NONE, Key::Num2);
    press(harness, Modifiers::NONE, Key::Enter);
    assert_eq!(mode(harness).state.annotators, ["amal", "badr"], "picked in order");
    assert!(harness.query_by_label("Start review").is_none(), "the picker closed");
}

#[test]
fn adjudicate_an_article_from_the_keyboard_into_the_gold_file() {
    let project = SampleProject::new("adjudicate");
    let before = write_annotators(&project);
    let mut harness = app_harness(&project);
    start_review(&mut harness);
    assert!(harness.query_by_label_contains("Reviewing as tester").is_some());
    let article = mode(&harness).state.review().cloned().expect("the article is diffed");
    let kinds: Vec<GroupKind> = article.groups.iter().map(|g| g.kind).collect();
    assert_eq!(kinds, [GroupKind::Agreed, GroupKind::Conflict, GroupKind::Conflict], "{:?}", article.diffs);
    // The list shows who has what.
    assert!(harness.query_by_label("Conflicts").is_some() && harness.query_by_label("Agreed").is_some());
    assert!(harness.query_by_label("amal, badr").is_some(), "holders of the agreed span");

    // The first conflict in reading order has focus: the label conflict over الأسد.
    assert_eq!(focused(&harness), (GroupKind::Conflict, vec!["ORG".to_owned(), "PERS".to_owned()]));
    press(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::A);
    let decided = |h: &Harness<'static, TawsimApp>| -> Vec<Decision> {
        mode(h).state.review().map(|a| a.groups.iter().map(|g| g.decision).collect()).unwrap_or_default()
    };
    assert_eq!(decided(&harness), [Decision::Accepted, Decision::Open, Decision::Open], "the agreed span is gold");
    // 2 takes badr's version (ORG); focus moves to the boundary conflict, where 1 takes amal's.
    press(&mut harness, Modifiers::NONE, Key::Num2);
    assert_eq!(focused(&harness).0, GroupKind::Conflict);
    assert_eq!(focused(&harness).1, ["ORG", "ORG"], "the boundary conflict");
    press(&mut harness, Modifiers::NONE, Key::Num1);
    assert_eq!(decided(&harness), [Decision::Accepted; 3]);

    // Undo takes the last decision back, redo puts it back.
    let gold = |h: &Harness<'static, TawsimApp>| mode(h).session.open.as_ref().expect("open").annotation.clone();
    let decided_gold = gold_rows(&gold(&harness));
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(decided(&harness), [Decision::Accepted, Decision::Accepted, Decision::Open]);
    assert_eq!(gold(&harness).spans.len(), 2);
    press(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    assert_eq!(gold_rows(&gold(&harness)), decided_gold);

    // Ctrl+Enter: reviewed. No other article has disagreements, so this one stays open.
    press(&mut harness, Modifiers::COMMAND, Key::Enter);
    let_save_happen(&mut harness);
    let path = project.annotation("gold", ARTICLE);
    let text = wait_for_file(&path, |t| t.contains("status: Reviewed"));
    let on_disk: AnnotationFile = ron::from_str(&text).expect("the gold file parses");
    assert_eq!(on_disk.annotator, "gold");
    assert_eq!(on_disk.status, DocStatus::Reviewed);
    assert_eq!(gold_rows(&on_disk), [row("حلب", "LOC", &["amal", "badr"]), row("الأسد", "ORG", &["badr"]), row("شبكة شام الإخبارية", "ORG", &["amal"])]);
    let article_text = project.text(ARTICLE);
    for span in &on_disk.spans {
        let at: String = article_text.chars().skip(span.start).take(span.end - span.start).collect();
        assert_eq!(at, span.text, "offsets are the article's");
    }
    assert_eq!(mode(&harness).session.articles[0].status, DocStatus::Reviewed, "the documents list shows it");

    // Review changed nobody's own file.
    harness.state_mut().save_all();
    for (path, bytes) in before {
        assert_eq!(std::fs::read(&path).expect("annotator file"), bytes, "{} was changed", path.display());
    }
    // Back to annotating, from the legend's button.
    harness.get_by_label("Back to annotating").click();
    harness.run_steps(2);
    assert!(harness.state().review_mode().is_none());
}

#[test]
fn the_agreement_view_computes_in_the_background_and_opens_an_article_to_review() {
    let project = SampleProject::new("agreement");
    write_annotators(&project);
    let mut harness = app_harness(&project);
    // Start on another article; the ranking brings the reviewer to the one with disagreements.
    press(&mut harness, Modifiers::NONE, Key::PageDown);
    start_review(&mut harness);
    press(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::G);
    let started = std::time::Instant::now();
    while harness.query_by_label_contains("Mean pairwise exact micro-F1").is_none() {
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "the numbers never came");
        std::thread::sleep(std::time::Duration::from_millis(20));
        harness.run_steps(1);
    }
    // One span of three each is identical: F1 = 2·1/(3+3).
    assert!(harness.query_by_label("Mean pairwise exact micro-F1: 0.333").is_some());
    assert!(harness.query_by_label_contains("amal × badr").is_some());
    let view = harness.state().agreement_view().expect("the window is open");
    assert!(matches!(view.state, AgreementState::Ready(..)));
    harness.get_by_label_contains("1 − F1").click();
    harness.run_steps(3);
    let mode = harness.state().review_mode().expect("review mode");
    let open = mode.session.open.as_ref().expect("an article is open");
    assert_eq!(mode.session.articles[open.index].rel, ARTICLE);
    assert_eq!(mode.state.review().map(|a| a.groups.len()), Some(3));
}
