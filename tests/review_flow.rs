//! The review loop through the window: proposals accepted, rejected, relabelled, adjusted and
//! undone from the keyboard, with the annotation file on disk checked after each step.

mod common;

use common::SampleProject;
use common::app::{app_harness, let_save_happen, saved};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use tawsim::app::TawsimApp;
use tawsim::model::{AnnotationFile, Origin, Span, SpanState};

const ARTICLE: &str = "aleppo-street-fighting.txt";

fn open_file(harness: &Harness<'static, TawsimApp>) -> AnnotationFile {
    harness.state().session().and_then(|s| s.open.as_ref()).map(|o| o.annotation.clone()).expect("an article is open")
}

fn focused(harness: &Harness<'static, TawsimApp>) -> Option<Span> {
    harness.state().session().and_then(|s| s.open.as_ref()).and_then(|o| o.focused_span().cloned())
}

fn span(file: &AnnotationFile, id: u64) -> Span {
    file.span(id).cloned().unwrap_or_else(|| panic!("span {id} is in the file"))
}

/// The file on disk, once the session's current annotation has been saved.
fn on_disk(harness: &mut Harness<'static, TawsimApp>, project: &SampleProject) -> AnnotationFile {
    let_save_happen(harness);
    let expected = open_file(harness);
    saved(project, ARTICLE, |file| file.spans == expected.spans)
}

fn press(harness: &mut Harness<'static, TawsimApp>, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.run_steps(2);
}

#[test]
fn accept_reject_relabel_adjust_and_undo_proposals_from_the_keyboard() {
    let project = SampleProject::with_proposers("review");
    let mut harness = app_harness(&project);
    let start = open_file(&harness);
    let pending: Vec<&Span> = start.spans.iter().filter(|s| s.state == SpanState::Pending).collect();
    assert!(pending.len() >= 4, "the sample article gets proposals: {pending:?}");
    assert!(pending.iter().all(|s| matches!(s.origin, Origin::Proposed { .. })));
    assert_eq!(on_disk(&mut harness, &project).spans, start.spans, "pending proposals are saved");

    // Opening the article focuses its first proposal; A accepts it and focus moves on.
    let first = focused(&harness).expect("the first proposal has focus");
    assert_eq!(first.id, pending[0].id);
    press(&mut harness, Modifiers::NONE, Key::A);
    let file = on_disk(&mut harness, &project);
    assert_eq!(span(&file, first.id).state, SpanState::Accepted);
    assert_eq!(span(&file, first.id).origin, first.origin, "an accepted proposal keeps its provenance");
    let second = focused(&harness).expect("focus moved to the next proposal");
    assert_eq!(second.state, SpanState::Pending);
    assert!(second.start > first.start);

    // X rejects: kept in the file as rejected, no longer shown, focus moves on.
    press(&mut harness, Modifiers::NONE, Key::X);
    let file = on_disk(&mut harness, &project);
    assert_eq!(span(&file, second.id).state, SpanState::Rejected);
    let third = focused(&harness).expect("focus moved on again");
    assert_ne!(third.id, second.id);

    // A label hotkey accepts under that label.
    let (other, hotkey) = if third.label == "ORG" { ("LOC", Key::Num2) } else { ("ORG", Key::Num3) };
    press(&mut harness, Modifiers::NONE, hotkey);
    let file = on_disk(&mut harness, &project);
    assert_eq!((span(&file, third.id).state, span(&file, third.id).label.as_str()), (SpanState::Accepted, other));

    // Boundary keys adjust the next proposal before it is accepted.
    let fourth = focused(&harness).expect("a fourth proposal");
    press(&mut harness, Modifiers::SHIFT, Key::ArrowRight);
    let adjusted = span(&open_file(&harness), fourth.id);
    assert_eq!(adjusted.state, SpanState::Pending);
    assert_ne!(adjusted.range(), fourth.range(), "Shift+→ moved its left edge");
    assert_eq!(adjusted.end - adjusted.start, fourth.end - fourth.start - 1);
    press(&mut harness, Modifiers::NONE, Key::A);
    let file = on_disk(&mut harness, &project);
    assert_eq!((span(&file, fourth.id).state, span(&file, fourth.id).range()), (SpanState::Accepted, adjusted.range()));
    assert_eq!(span(&file, fourth.id).origin, Origin::Manual, "the boundaries are the annotator's");

    // Every decision undoes, in the file too: back to the proposals as they came.
    for _ in 0..5 {
        press(&mut harness, Modifiers::COMMAND, Key::Z);
    }
    let file = on_disk(&mut harness, &project);
    assert_eq!(file.spans, start.spans);
    // And redoes.
    press(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    assert_eq!(span(&on_disk(&mut harness, &project), first.id).state, SpanState::Accepted);
}

#[test]
fn shift_a_accepts_the_same_text_and_the_dialog_accepts_above_a_score() {
    let project = SampleProject::with_proposers("review-many");
    let mut harness = app_harness(&project);
    let start = open_file(&harness);
    // A text proposed more than once in the article.
    let repeated = start
        .spans
        .iter()
        .find(|s| start.spans.iter().filter(|t| t.text == s.text && t.state == SpanState::Pending).count() > 1)
        .cloned()
        .expect("a repeated proposal");
    harness.state_mut().queue(tawsim::app::commands::EditCommand::FocusEntity(repeated.id));
    harness.run_steps(1);
    press(&mut harness, Modifiers::SHIFT, Key::A);
    let file = on_disk(&mut harness, &project);
    let same: Vec<&Span> = file.spans.iter().filter(|s| s.text == repeated.text).collect();
    assert!(same.len() > 1 && same.iter().all(|s| s.state == SpanState::Accepted), "{same:?}");
    assert!(file.spans.iter().any(|s| s.state == SpanState::Pending), "other texts are still pending");

    // Ctrl+Shift+A: the dialog opens at 0.90; Enter accepts every proposal scoring that or more.
    press(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::A);
    assert!(harness.query_by_label_contains("score 0.90 or more").is_some(), "the dialog shows what it would accept");
    press(&mut harness, Modifiers::NONE, Key::Enter);
    let file = on_disk(&mut harness, &project);
    let score = |s: &Span| match s.origin {
        Origin::Proposed { score, .. } => score,
        _ => 1.0,
    };
    assert!(file.spans.iter().filter(|s| s.state == SpanState::Pending).all(|s| score(s) < 0.9));
    assert!(file.spans.iter().any(|s| s.state == SpanState::Accepted && score(s) >= 0.9 && s.text != repeated.text));
    // One undo takes the whole batch back.
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    let file = on_disk(&mut harness, &project);
    assert!(file.spans.iter().filter(|s| s.text != repeated.text).all(|s| s.state == SpanState::Pending));
}
