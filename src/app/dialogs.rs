//! Modal dialogs: at most one is open, and while it is, it owns the plain keys (Enter, digits in its
//! fields). Each draws itself and returns what the user asked for as commands.

use std::path::PathBuf;

use egui::{Key, RichText};

use super::commands::{AppCommand, Command, EditCommand};
use super::dataset_dialogs::{ExportDialog, ImportClosed, ImportDialog};
use super::panels::review::annotator_toggles;
use super::review_mode::Picker;
use super::session::proposal_score;
use super::workspace::Workspace;
use crate::text_view::TextRenderer;

/// The modal dialog of the window.
pub enum Dialog {
    /// The annotator's name, asked once.
    AskName {
        /// What has been typed.
        input: String,
    },
    /// A folder without `tawsim.ron`: make it a project?
    OfferInit(PathBuf),
    /// Accept the open article's proposals above a score.
    AcceptAbove {
        /// The score chosen so far.
        threshold: f32,
    },
    /// Marking an article done that still has undecided proposals: reject them, or keep them?
    ConfirmDone {
        /// How many are undecided.
        pending: usize,
    },
    /// Whom review mode compares.
    ReviewPicker(Picker),
    /// File → Export dataset….
    Export(Box<ExportDialog>),
    /// File → Import annotations….
    Import(Box<ImportDialog>),
}

/// What a dialog did this frame.
#[derive(Default)]
pub struct DialogOutcome {
    /// The dialog closed.
    pub closed: bool,
    /// What the user asked for.
    pub commands: Vec<Command>,
}

impl DialogOutcome {
    fn close_with(commands: Vec<Command>) -> Self {
        DialogOutcome { closed: true, commands }
    }
}

impl Dialog {
    /// Whether Escape closes it (the name prompt has nothing to fall back to).
    pub fn closes_on_escape(&self) -> bool {
        !matches!(self, Dialog::AskName { .. })
    }

    /// Draws the dialog.
    pub fn show(&mut self, ctx: &egui::Context, workspace: &Workspace, renderer: &mut TextRenderer) -> DialogOutcome {
        match self {
            Dialog::AskName { input } => ask_name(ctx, input),
            Dialog::OfferInit(dir) => offer_init(ctx, dir),
            Dialog::AcceptAbove { threshold } => {
                let scores: Vec<f32> =
                    workspace.session().and_then(|s| s.open.as_ref()).map(|open| open.pending_spans().map(proposal_score).collect()).unwrap_or_default();
                accept_above(ctx, threshold, &scores)
            }
            Dialog::ConfirmDone { pending } => confirm_done(ctx, *pending),
            Dialog::ReviewPicker(picker) => review_picker(ctx, picker, workspace.review().is_some()),
            Dialog::Export(dialog) => DialogOutcome { closed: !dialog.show(ctx, renderer), commands: Vec::new() },
            Dialog::Import(dialog) => match dialog.show(ctx, renderer) {
                None => DialogOutcome::default(),
                Some(ImportClosed::Nothing) => DialogOutcome::close_with(Vec::new()),
                Some(ImportClosed::Open(root)) => DialogOutcome::close_with(vec![AppCommand::OpenProject(root).into()]),
            },
        }
    }
}

fn ask_name(ctx: &egui::Context, input: &mut String) -> DialogOutcome {
    let mut outcome = DialogOutcome::default();
    egui::Modal::new(egui::Id::unique("annotator-name")).show(ctx, |ui| {
        ui.heading("Welcome to tawsim");
        ui.label("Your name is stored with every annotation you make (annotations/<name>/…).");
        ui.label("Letters, digits, - and _ ; it is asked only once.");
        let label = ui.label("Your name");
        let edit = ui.add(egui::TextEdit::singleline(input).hint_text("e.g. amal")).labelled_by(label.id);
        edit.request_focus();
        let valid = crate::store::validate_annotator(input.trim());
        if let Err(reason) = &valid
            && !input.trim().is_empty()
        {
            ui.label(RichText::new(reason.to_string()).color(ui.visuals().error_fg_color));
        }
        let submit =
            ui.add_enabled(valid.is_ok(), egui::Button::new("Start annotating")).clicked() || (valid.is_ok() && ui.input(|i| i.key_pressed(Key::Enter)));
        if submit {
            outcome = DialogOutcome::close_with(vec![AppCommand::SetAnnotator(input.trim().to_owned()).into()]);
        }
    });
    outcome
}

fn offer_init(ctx: &egui::Context, dir: &std::path::Path) -> DialogOutcome {
    let mut outcome = DialogOutcome::default();
    egui::Modal::new(egui::Id::unique("make-project")).show(ctx, |ui| {
        ui.heading("Not a tawsim project yet");
        ui.label(format!("{} has no tawsim.ron.", dir.display()));
        ui.label("Make it a project with the ANERcorp labels (PERS, LOC, ORG, MISC)? Its .txt files are not changed.");
        ui.horizontal(|ui| {
            if ui.button("Make project").clicked() {
                outcome = DialogOutcome::close_with(vec![AppCommand::InitProject(dir.to_owned()).into()]);
            }
            if ui.button("Cancel").clicked() {
                outcome = DialogOutcome::close_with(Vec::new());
            }
        });
    });
    outcome
}

/// A slider with the count it would accept.
fn accept_above(ctx: &egui::Context, threshold: &mut f32, scores: &[f32]) -> DialogOutcome {
    let mut outcome = DialogOutcome::default();
    egui::Modal::new(egui::Id::unique("accept-above")).show(ctx, |ui| {
        ui.heading("Accept proposals above a score");
        ui.add(egui::Slider::new(threshold, 0.0..=1.0).step_by(0.05).text("lowest score"));
        let count = scores.iter().filter(|&&s| s >= *threshold).count();
        ui.label(format!("{count} of the article's {} proposal(s) score {:.2} or more.", scores.len(), threshold));
        ui.horizontal(|ui| {
            let accept =
                ui.add_enabled(count > 0, egui::Button::new(format!("Accept {count}"))).clicked() || (count > 0 && ui.input(|i| i.key_pressed(Key::Enter)));
            if accept {
                outcome = DialogOutcome::close_with(vec![EditCommand::AcceptAbove(*threshold).into()]);
            }
            if ui.button("Cancel").clicked() {
                outcome = DialogOutcome::close_with(Vec::new());
            }
        });
    });
    outcome
}

/// Marking done with proposals undecided: they are no decision yet, so ask. R rejects them, K keeps
/// them (the article is done; they wait), Escape goes back.
fn confirm_done(ctx: &egui::Context, pending: usize) -> DialogOutcome {
    let mut outcome = DialogOutcome::default();
    let done = |reject_pending| DialogOutcome::close_with(vec![EditCommand::MarkDoneAndNext { reject_pending }.into()]);
    egui::Modal::new(egui::Id::unique("confirm-done")).show(ctx, |ui| {
        ui.heading("Mark done?");
        ui.label(format!("{pending} proposal(s) in this article are still undecided."));
        ui.horizontal(|ui| {
            if ui.button("Reject them and mark done (R)").clicked() || ui.input(|i| i.key_pressed(Key::R)) {
                outcome = done(true);
            }
            if ui.button("Keep them undecided, mark done (K)").clicked() || ui.input(|i| i.key_pressed(Key::K)) {
                outcome = done(false);
            }
            if ui.button("Go back (Escape)").clicked() {
                outcome = DialogOutcome::close_with(Vec::new());
            }
        });
    });
    outcome
}

/// The annotator picker of review mode.
fn review_picker(ctx: &egui::Context, picker: &mut Picker, reviewing: bool) -> DialogOutcome {
    let mut outcome = DialogOutcome::default();
    egui::Modal::new(egui::Id::unique("review-picker")).show(ctx, |ui| {
        ui.heading("Review annotators' work");
        if picker.candidates.len() < 2 {
            ui.label("Review compares two or more annotators; this project has folders under annotations/ for fewer.");
        } else {
            ui.label("Pick two or more, in the order of their keys (1 takes the first one's version).");
            ui.label(RichText::new("Digits pick and unpick; Enter starts.").small().weak());
        }
        annotator_toggles(ui, picker, true);
        ui.horizontal(|ui| {
            let start =
                ui.add_enabled(picker.ready(), egui::Button::new("Start review")).clicked() || (picker.ready() && ui.input(|i| i.key_pressed(Key::Enter)));
            if start {
                outcome = DialogOutcome::close_with(vec![AppCommand::StartReview(picker.picked.clone()).into()]);
            }
            if ui.button("Cancel").clicked() {
                outcome = DialogOutcome::close_with(Vec::new());
            }
            if reviewing && ui.button("Back to annotating").clicked() {
                outcome = DialogOutcome::close_with(vec![AppCommand::LeaveReview.into()]);
            }
        });
    });
    outcome
}
