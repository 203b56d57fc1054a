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
    harness.state().session().and_then(|s| s.open.as_ref()).map(|o| AnnotationFile::clone(&o.annotation)).expect("an article is open")
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

/// A project of generated news articles (25 sentences each) whose annotator `tester` has labelled
/// them, so the learned proposer has something to learn from.
fn learning_project(sentences: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let conll = dir.path().join("news.conll");
    std::fs::write(&conll, common::synthetic_conll(sentences, 11)).expect("write");
    let root = dir.path().join("project");
    let mut options = tawsim::dataset::ImportOptions::new(tawsim::dataset::ImportFormat::Conll, &conll, &root);
    options.annotator = "tester".to_owned();
    options.sentences_per_article = 25;
    tawsim::dataset::import(&options).expect("imported");
    // The last articles are not annotated yet: what the model is asked about.
    let mut files: Vec<_> = std::fs::read_dir(root.join("annotations/tester")).expect("annotations").flatten().map(|e| e.path()).collect();
    files.sort();
    for path in files.iter().rev().take(4) {
        std::fs::remove_file(path).expect("removed");
    }
    (dir, root)
}

fn harness_on(root: &std::path::Path) -> Harness<'static, TawsimApp> {
    let start = tawsim::app::StartOptions { project: root.to_owned(), annotator: Some("tester".to_owned()), proposers: tawsim::app::ProposersLoading::Before };
    let app = TawsimApp::with_settings(tawsim::app::Settings::default(), start);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_step_dt(1.0 / 60.0)
        .with_context_setup(tawsim::app::setup_context)
        .build_ui_state(|ui, app: &mut TawsimApp| app.show(ui), app);
    harness.run_steps(3);
    harness
}

/// Runs frames until the model is retrained (the window keeps working meanwhile).
fn until_retrained(harness: &mut Harness<'static, TawsimApp>) {
    let started = std::time::Instant::now();
    while harness.state().active_session().is_some_and(|s| s.learner.is_training()) {
        assert!(started.elapsed() < std::time::Duration::from_secs(120), "training never finished");
        std::thread::sleep(std::time::Duration::from_millis(20));
        harness.run_steps(1);
    }
}

#[test]
fn the_model_retrains_in_the_background_while_the_annotator_works_and_teach_mode_asks_it() {
    let (_dir, root) = learning_project(400);
    let mut harness = harness_on(&root);
    harness.state_mut().queue(tawsim::app::commands::AppCommand::RetrainModel);
    harness.run_steps(2);
    assert!(harness.state().active_session().is_some_and(|s| s.learner.is_training()), "training started");
    // While it trains, edits go on: the window is not waiting for it.
    let open = |h: &Harness<'static, TawsimApp>| h.state().active_session().and_then(|s| s.open.as_ref()).map(|o| o.annotation.clone()).expect("open");
    let entity = open(&harness).spans.iter().find(|s| s.state == SpanState::Accepted).map(|s| s.id).expect("an accepted entity");
    harness.state_mut().queue(tawsim::app::commands::EditCommand::FocusEntity(entity));
    harness.run_steps(1);
    harness.key_press(Key::Delete);
    harness.run_steps(2);
    assert!(harness.state().active_session().is_some_and(|s| s.learner.is_training()), "still training");
    assert!(open(&harness).span(entity).is_none(), "an entity deleted while the model trained");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    until_retrained(&mut harness);
    let session = harness.state().active_session().expect("session");
    let model = session.proposers.model().expect("a model");
    assert!(model.passes_gate(), "{}", model.report().gate.reason);
    assert!(session.notices.iter().any(|n| n.text.contains("model retrained")), "{:?}", session.notices.last());
    assert!(root.join("models/ner.tawsim-model").exists());
    // View → Model shows the report.
    press(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::M);
    assert!(harness.query_by_label_contains("Proposes:").is_some(), "the Model window shows the gate");
    press(&mut harness, Modifiers::NONE, Key::Escape);

    // Teach mode: the least certain question first; A answers yes for every place it stands.
    let questions = harness.state().active_session().map_or(0, |s| s.learner.insight.questions.len());
    assert!(questions > 0, "the articles nobody annotated give the model questions");
    let first = harness.state().active_session().map(|s| s.learner.insight.questions[0].clone()).expect("a question");
    press(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::T);
    assert!(harness.query_by_label("Teach the model").is_some());
    press(&mut harness, Modifiers::NONE, Key::A);
    harness.state_mut().save_all();
    let place = &first.occurrences[0];
    let file = |rel: &str| tawsim::store::read_annotation(&root.join("annotations/tester").join(format!("{rel}.ron"))).expect("loads").expect("there");
    let labelled = |rel: &str| file(rel).spans.iter().any(|s| s.range() == place.range && s.state == SpanState::Accepted && s.label == first.label);
    assert!(labelled(&place.article), "answered yes: {} at {:?} is {}", place.surface, place.range, first.label);
    // Ctrl+Z takes the answer back and shows the question again.
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    harness.state_mut().save_all();
    assert!(!labelled(&place.article), "undone");
    assert!(harness.query_by_label_contains("Question 1 of").is_some(), "the same question again");
    // X: no such entity, kept as a rejection so it is not proposed there again.
    press(&mut harness, Modifiers::NONE, Key::X);
    harness.state_mut().save_all();
    assert!(file(&place.article).spans.iter().any(|s| s.range() == place.range && s.state == SpanState::Rejected), "answered no");
    press(&mut harness, Modifiers::NONE, Key::Escape);
    assert!(harness.query_by_label("Teach the model").is_none());
}
