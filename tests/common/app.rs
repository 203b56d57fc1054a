//! Driving the app's window in tests (egui_kittest).

use std::time::Duration;

use egui::{Event, Modifiers, PointerButton, Pos2, vec2};
use egui_kittest::Harness;
use tawsim::app::{ProposersLoading, Settings, StartOptions, TawsimApp, setup_context};
use tawsim::model::AnnotationFile;

use super::{SampleProject, wait_for_file};

/// The app on `project` as annotator `tester`, after its first frames.
pub fn app_harness(project: &SampleProject) -> Harness<'static, TawsimApp> {
    let start = StartOptions { project: project.root.clone(), annotator: Some("tester".to_owned()), proposers: ProposersLoading::Before };
    let app = TawsimApp::with_settings(Settings::default(), start);
    let mut harness = Harness::builder()
        .with_size(vec2(1280.0, 800.0))
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(600)
        .with_context_setup(setup_context)
        .build_ui_state(|ui, app: &mut TawsimApp| app.show(ui), app);
    harness.run_steps(4);
    harness
}

/// The open article's text.
pub fn open_text(harness: &Harness<'static, TawsimApp>) -> String {
    harness.state().session().and_then(|s| s.open.as_ref()).map(|o| o.text.to_string()).expect("an article is open")
}

/// Screen position of a character of the open article.
pub fn char_centre(harness: &mut Harness<'static, TawsimApp>, c: usize) -> Pos2 {
    let view = harness.state_mut().view_mut().text.as_mut().expect("an article is shown");
    view.char_screen_rect(c).expect("on screen").center()
}

/// A double click at `pos`.
pub fn double_click(harness: &mut Harness<'static, TawsimApp>, pos: Pos2) {
    harness.hover_at(pos);
    harness.step();
    for _ in 0..2 {
        for pressed in [true, false] {
            harness.event(Event::PointerButton { pos, button: PointerButton::Primary, pressed, modifiers: Modifiers::NONE });
            harness.step();
        }
    }
    harness.run_steps(2);
}

/// The annotation file on disk once `check` holds for it.
pub fn saved(project: &SampleProject, rel: &str, check: impl Fn(&AnnotationFile) -> bool) -> AnnotationFile {
    let path = project.annotation("tester", rel);
    let text = wait_for_file(&path, |text| ron::from_str::<AnnotationFile>(text).is_ok_and(|f| check(&f)));
    ron::from_str(&text).expect("valid RON")
}

/// Lets the save delay pass and the saver write.
pub fn let_save_happen(harness: &mut Harness<'static, TawsimApp>) {
    std::thread::sleep(Duration::from_millis(350));
    harness.run_steps(3);
}
