//! File → Export dataset… and File → Import… through the window: the preview counts what would be
//! written before anything is, Export writes it, Import brings a CoNLL file in as a new
//! annotator's files and the project reopens with them.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::SampleProject;
use common::app::app_harness;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use tawsim::app::TawsimApp;

/// A copy of the sample project with its hand-annotated gold article.
fn project_with_gold(name: &str) -> SampleProject {
    let project = SampleProject::new(name);
    let gold = project.annotation("gold", "london-talks-sanctions.txt");
    std::fs::create_dir_all(gold.parent().expect("folder")).expect("gold folder");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("annotations/gold/london-talks-sanctions.txt.ron"), &gold).expect("copy gold");
    project
}

/// Runs frames until a widget labelled with `text` shows (the dialogs work on threads).
fn wait_for_label(harness: &mut Harness<'static, TawsimApp>, text: &str) {
    let started = Instant::now();
    while harness.query_by_label_contains(text).is_none() {
        assert!(started.elapsed() < Duration::from_secs(20), "no {text:?} in the window");
        std::thread::sleep(Duration::from_millis(20));
        harness.run_steps(1);
    }
}

#[test]
fn the_export_dialog_previews_then_writes_the_gold_dataset() {
    let project = project_with_gold("export-dialog");
    let mut harness = app_harness(&project);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::E);
    harness.run_steps(2);
    wait_for_label(&mut harness, "Export dataset");
    // The preview: one gold article; the four articles without a gold file are said to be left out.
    wait_for_label(&mut harness, "Left out: 4 article(s) without a gold file");
    let out = project.root.join("exports").join("gold-jsonl.jsonl");
    assert!(!out.exists(), "nothing is written before Export");
    // Plain keys belong to the dialog: A must not accept anything in the article behind it.
    harness.key_press(Key::A);
    harness.run_steps(2);
    harness.get_by_label("Export").click();
    harness.run_steps(2);
    wait_for_label(&mut harness, "exported to");
    let written = std::fs::read_to_string(&out).expect("the export is written");
    assert_eq!(written.lines().count(), 1, "one gold article, one JSONL line");
    let line: serde_json::Value = serde_json::from_str(written.lines().next().expect("a line")).expect("JSON");
    assert_eq!(line["spans"].as_array().map(Vec::len), Some(76), "the hand-annotated article's 76 entities");
    // Written now: the preview says so, without warning that what it just wrote is in the way.
    wait_for_label(&mut harness, "Written: see below");
    assert!(harness.query_by_label_contains("choose another place").is_none(), "no warning about its own output");
    assert!(
        harness.state().session().and_then(|s| s.open.as_ref()).is_some_and(|o| o.annotation.spans.is_empty()),
        "the article behind the dialog is untouched"
    );
}

#[test]
fn the_import_dialog_brings_in_conll_as_an_annotator_and_reopens_the_project() {
    let project = SampleProject::new("import-dialog");
    let source = project.root.join("extra.conll");
    std::fs::write(&source, "زار O\nجون B-PERS\nكيري I-PERS\nموسكو B-LOC\n. O\n").expect("CoNLL file");
    let mut harness = app_harness(&project);
    let articles_before = harness.state().session().map_or(0, |s| s.articles.len());
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::I);
    harness.run_steps(2);
    wait_for_label(&mut harness, "Import annotations");
    // Typing into the path field is egui's own business; the dialog's state is what matters here.
    harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "File").click();
    harness.run_steps(1);
    harness.event(egui::Event::Text(source.display().to_string()));
    harness.run_steps(2);
    harness.get_by_label("Import").click();
    harness.run_steps(2);
    wait_for_label(&mut harness, "Imported 1 document(s)");
    // The dialog grew by the report: let its centred area settle before clicking in it.
    harness.run_steps(3);
    harness.get_by_label("Close").click();
    harness.run_steps(4);
    assert!(harness.query_by_label_contains("Imported 1").is_none(), "the dialog closed");
    let session = harness.state().session().expect("the project is open again");
    assert_eq!(session.articles.len(), articles_before + 1, "the imported article is listed");
    let imported = project.root.join("annotations").join("gold");
    assert!(std::fs::read_dir(&imported).expect("gold files").count() == 1, "one gold file in {}", imported.display());
}
