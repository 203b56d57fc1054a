//! The annotator's day, driven through the window: select, label, undo, restart, move on.

mod common;

use common::app::{app_harness, char_centre, double_click, let_save_happen, open_text, saved};
use common::{SampleProject, char_offset};
use egui::{Event, Key, Modifiers, PointerButton, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use tawsim::app::commands::EditCommand;
use tawsim::app::{ProposersLoading, Settings, StartOptions, TawsimApp, setup_context};
use tawsim::model::DocStatus;

const ARTICLE: &str = "aleppo-street-fighting.txt";

#[test]
fn label_a_word_undo_it_restart_and_move_on() {
    let project = SampleProject::new("flow");
    let mut harness = app_harness(&project);
    let text = open_text(&harness);
    assert_eq!(text, project.text(ARTICLE), "the first article is open");

    // Double-click the city name in «مدينة حلب» and press 1 (PERS): wrong on purpose, relabel next.
    let aleppo = char_offset(&text, "مدينة حلب") + "مدينة ".chars().count();
    let pos = char_centre(&mut harness, aleppo + 1);
    double_click(&mut harness, pos);
    assert_eq!(harness.state().view().selection(), Some(aleppo..aleppo + 3));
    harness.key_press(Key::Num1);
    harness.run_steps(3);
    // حلب occurs again in the article: labelling the others is offered; Escape declines.
    let offer = harness.state().session().and_then(|s| s.offer.clone()).expect("an offer");
    assert_eq!((offer.text.as_str(), offer.label.as_str()), ("حلب", "PERS"));
    assert!(offer.in_article > 0);
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert!(harness.state().session().is_some_and(|s| s.offer.is_none()));
    let _ = harness.get_by_label("حلب"); // the entities panel lists it
    let file = {
        let session = harness.state().session().expect("session");
        session.open.as_ref().expect("open").annotation.clone()
    };
    assert_eq!(file.spans.len(), 1);
    assert_eq!((file.spans[0].start, file.spans[0].end, file.spans[0].text.as_str(), file.spans[0].label.as_str()), (aleppo, aleppo + 3, "حلب", "PERS"));

    // The focused entity takes another label from its hotkey: 2 is LOC.
    harness.key_press(Key::Num2);
    harness.run_steps(2);
    let_save_happen(&mut harness);
    let on_disk = saved(&project, ARTICLE, |f| f.spans.len() == 1 && f.spans[0].label == "LOC");
    assert_eq!(on_disk.spans[0].text, "حلب");
    assert_eq!(on_disk.spans[0].start, aleppo);
    assert_eq!(on_disk.status, DocStatus::InProgress);

    // Undo twice: the relabel, then the entity itself; the file on disk follows.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert!(harness.query_by_label("حلب").is_none(), "gone from the entities panel");
    let_save_happen(&mut harness);
    let on_disk = saved(&project, ARTICLE, |f| f.spans.is_empty());
    assert_eq!(on_disk.status, DocStatus::New, "undo takes the article back to new");

    // Redo both, then restart the app: the entity is there.
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run_steps(2);
    harness.state_mut().save_all();
    drop(harness);
    let mut harness = app_harness(&project);
    let session = harness.state().session().expect("session");
    let open = session.open.as_ref().expect("open");
    assert_eq!(open.annotation.spans.len(), 1);
    assert_eq!(open.annotation.spans[0].label, "LOC");
    assert!(harness.query_by_label("حلب").is_some());

    // Ctrl+Enter: done, and the next unfinished article opens.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    harness.run_steps(2);
    let session = harness.state().session().expect("session");
    assert_eq!(session.open.as_ref().map(|o| o.index), Some(1));
    assert_eq!(session.articles[0].status, DocStatus::Done);
    let on_disk = saved(&project, ARTICLE, |f| f.status == DocStatus::Done);
    assert_eq!(on_disk.spans.len(), 1);
}

#[test]
fn tab_walks_entities_and_delete_removes_the_focused_one() {
    let project = SampleProject::new("tab");
    let mut harness = app_harness(&project);
    let text = open_text(&harness);
    for word in ["روسيا", "إيران"] {
        let c = char_offset(&text, word);
        harness.state_mut().queue(EditCommand::LabelRange(c..c + word.chars().count(), "LOC".into()));
    }
    harness.run_steps(2);
    harness.key_press(Key::Tab);
    harness.run_steps(2);
    let focused_text = |h: &Harness<'static, TawsimApp>| {
        let open = h.state().session().and_then(|s| s.open.as_ref()).expect("open");
        open.focused_span().map(|s| s.text.clone())
    };
    let first = focused_text(&harness).expect("Tab focuses an entity");
    harness.key_press(Key::Tab);
    harness.run_steps(2);
    let second = focused_text(&harness).expect("focused");
    assert_ne!(first, second);
    harness.key_press_modifiers(Modifiers::SHIFT, Key::Tab);
    harness.run_steps(2);
    assert_eq!(focused_text(&harness), Some(first.clone()));
    harness.key_press(Key::Delete);
    harness.run_steps(2);
    let open = harness.state().session().and_then(|s| s.open.as_ref()).expect("open");
    assert_eq!(open.annotation.spans.len(), 1);
    assert_eq!(open.annotation.spans[0].text, second);
}

#[test]
fn typing_in_the_filter_never_labels() {
    let project = SampleProject::new("filter");
    let mut harness = app_harness(&project);
    let text = open_text(&harness);
    let c = char_offset(&text, "حلب");
    harness.state_mut().view_mut().text.as_mut().expect("shown").selection = Some(c..c + 3);
    harness.get_by_role(egui::accesskit::Role::TextInput).click();
    harness.run_steps(2);
    harness.event(Event::Text("1".into()));
    harness.key_press(Key::Num1);
    harness.run_steps(2);
    let open = harness.state().session().and_then(|s| s.open.as_ref()).expect("open");
    assert!(open.annotation.spans.is_empty(), "digits typed in a text field are text, not hotkeys");
}

#[test]
fn the_annotator_name_is_asked_once() {
    let project = SampleProject::new("name");
    let start = StartOptions { project: project.root.clone(), annotator: None, proposers: ProposersLoading::Before };
    let app = TawsimApp::with_settings(Settings::default(), start.clone());
    let mut harness = Harness::builder()
        .with_size(vec2(1000.0, 700.0))
        .with_step_dt(1.0 / 60.0)
        .with_context_setup(setup_context)
        .build_ui_state(|ui, app: &mut TawsimApp| app.show(ui), app);
    harness.run_steps(3);
    // The project shows behind the prompt, as a preview that writes nothing.
    assert!(harness.state().session().is_some_and(|s| s.is_preview()), "a preview of the project");
    assert!(harness.query_by_label_contains("aleppo-street-fighting.txt").is_some(), "its articles are listed");
    let offered = tawsim::store::login_name().unwrap_or_default();
    let name_field = || egui_kittest::kittest::by().role(egui::accesskit::Role::TextInput).label("Your name");
    assert_eq!(harness.get(name_field()).value().unwrap_or_default(), offered, "the login name is offered");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.event(Event::Text("amal".into()));
    harness.run_steps(2);
    assert!(!project.root.join("annotations").exists(), "nothing was written before the name was known");
    harness.get_by_label("Start annotating").click();
    harness.run_steps(3);
    let session = harness.state().session().expect("the project opens");
    assert_eq!(session.annotator, "amal");
    // The name is part of the settings saved for the next start, which then asks nothing.
    let settings = harness.state().settings();
    assert_eq!(settings.annotator.as_deref(), Some("amal"));
    let again = TawsimApp::with_settings(settings, start);
    assert!(again.session().is_some());
}

#[test]
fn right_click_an_entity_and_delete_it_from_its_menu() {
    let project = SampleProject::new("menu");
    let mut harness = app_harness(&project);
    let text = open_text(&harness);
    let c = char_offset(&text, "روسيا");
    harness.state_mut().queue(EditCommand::LabelRange(c..c + 5, "LOC".into()));
    harness.run_steps(2);
    let pos = char_centre(&mut harness, c + 2);
    harness.hover_at(pos);
    harness.step();
    for pressed in [true, false] {
        harness.event(Event::PointerButton { pos, button: PointerButton::Secondary, pressed, modifiers: Modifiers::NONE });
        harness.step();
    }
    harness.run_steps(2);
    harness.get_by_label("Label every occurrence in this article");
    harness.get_by_label("Delete").click();
    harness.run_steps(2);
    let open = harness.state().session().and_then(|s| s.open.as_ref()).expect("open");
    assert!(open.annotation.spans.is_empty());
    assert!(harness.query_by_label("Delete").is_none(), "the menu closed");
}

#[test]
fn find_highlights_matches_ignoring_harakat_and_alef_forms() {
    let found = tawsim::app::panels::editor::find_all("قال الأسد إن الاسد وأكد أنّ", "الاسد");
    assert_eq!(found, vec![4..9, 13..18]);
    let voweled = tawsim::app::panels::editor::find_all("مُحَمَّد ومحمد", "محمد");
    assert_eq!(voweled, vec![0..8, 10..14], "the match covers the marks on its letters");
}

#[test]
fn tab_walks_entities_without_giving_the_menus_focus() {
    let project = SampleProject::new("tab-menu");
    let mut harness = app_harness(&project);
    let text = open_text(&harness);
    let c = char_offset(&text, "روسيا");
    harness.state_mut().queue(EditCommand::LabelRange(c..c + 5, "LOC".into()));
    harness.run_steps(2);
    harness.key_press(Key::Tab);
    harness.run_steps(2);
    harness.key_press(Key::Space);
    harness.run_steps(2);
    assert!(harness.query_by_label("Open folder…").is_none(), "Space after Tab opened a menu");
    assert!(harness.state().active_session().and_then(|s| s.open.as_ref()).and_then(|o| o.focused).is_some(), "Tab focused the entity");
}

#[test]
fn marking_done_with_undecided_proposals_asks_first() {
    let project = SampleProject::with_proposers("ask-done");
    let mut harness = app_harness(&project);
    let pending = |h: &Harness<'static, TawsimApp>| h.state().active_session().and_then(|s| s.open.as_ref()).map_or(0, |o| o.pending_spans().count());
    assert!(pending(&harness) > 0);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    harness.run_steps(2);
    assert!(harness.query_by_label_contains("still undecided").is_some(), "the question is asked");
    assert_eq!(harness.state().active_session().and_then(|s| s.open.as_ref()).map(|o| o.index), Some(0), "nothing happened yet");
    // K: the article is done, its proposals wait.
    harness.key_press(Key::K);
    harness.run_steps(3);
    let on_disk = saved(&project, ARTICLE, |f| f.status == DocStatus::Done);
    assert!(on_disk.spans.iter().any(|s| s.state == tawsim::model::SpanState::Pending), "kept undecided");
    assert!(harness.query_by_label_contains("still undecided").is_none(), "the dialog closed");
}

/// The window at a laptop's size and a desktop's, right after an entity was labelled: the offer to
/// label its other occurrences floats over the foot of the article, never wider than it, and the
/// text does not move. Reference images in tests/snapshots/, checked by eye (regenerate with
/// `UPDATE_SNAPSHOTS=1 cargo test --test app_flow` and look again).
fn offer_snapshot(width: f32, height: f32) {
    {
        let Some(renderer) = common::gpu_renderer() else { return };
        let project = SampleProject::new(&format!("offer-{width}"));
        let start = StartOptions { project: project.root.clone(), annotator: Some("tester".to_owned()), proposers: ProposersLoading::Before };
        let app = TawsimApp::with_settings(Settings::default(), start);
        let mut harness = Harness::builder()
            .with_size(vec2(width, height))
            .with_step_dt(1.0 / 60.0)
            .with_theme(egui::Theme::Dark)
            .with_context_setup(setup_context)
            .renderer(renderer)
            .build_ui_state(|ui, app: &mut TawsimApp| app.show(ui), app);
        harness.run_steps(4);
        let text = open_text(&harness);
        let before = char_centre(&mut harness, char_offset(&text, "حلب"));
        let c = char_offset(&text, "حلب");
        harness.state_mut().queue(EditCommand::LabelRange(c..c + 3, "LOC".into()));
        harness.run_steps(3);
        assert!(harness.state().session().is_some_and(|s| s.offer.is_some()), "the offer shows");
        assert_eq!(char_centre(&mut harness, c), before, "the text did not move");
        harness.state_mut().save_all();
        harness.run_steps(3);
        harness.snapshot(format!("app_offer_{width}x{height}"));
    }
}

#[test]
fn the_offer_floats_over_the_article_in_a_small_window() {
    offer_snapshot(1024.0, 700.0);
}

#[test]
fn the_offer_floats_over_the_article_in_a_large_window() {
    offer_snapshot(1400.0, 900.0);
}

/// The highlights and the entity list are patched from each decision's edits instead of being
/// built again from every span; in a test build each patch is checked against a fresh build,
/// so a patch that went wrong fails here.
#[test]
fn highlights_and_entity_rows_follow_every_kind_of_decision() {
    let project = SampleProject::with_proposers("view-caches");
    let mut harness = app_harness(&project);
    let patches_before = harness.state().view().highlights.patches();
    let run = |harness: &mut Harness<'static, TawsimApp>, command: EditCommand| {
        harness.state_mut().active_session_mut().expect("session").apply(command);
        harness.run_steps(2);
    };
    for command in [
        EditCommand::AcceptFocused,
        EditCommand::RejectFocused,
        EditCommand::AcceptSameText,
        EditCommand::RelabelFocused("ORG".into()),
        EditCommand::NextEntity,
        EditCommand::DeleteFocused,
        EditCommand::Undo,
        EditCommand::Undo,
        EditCommand::Redo,
        EditCommand::AcceptFocused,
    ] {
        run(&mut harness, command);
    }
    let text = open_text(&harness);
    let at = char_offset(&text, "الأسد");
    run(&mut harness, EditCommand::LabelRange(at..at + "الأسد".chars().count(), "PERS".into()));
    run(&mut harness, EditCommand::Undo);
    let patches = harness.state().view().highlights.patches() - patches_before;
    assert!(patches >= 10, "the decisions were patched in, not rebuilt ({patches} patches)");
}
