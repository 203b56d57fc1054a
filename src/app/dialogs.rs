//! Modal dialogs: at most one is open, and while it is, it owns the plain keys (Enter, digits in its
//! fields). Each draws itself and returns what the user asked for as commands.

use std::path::PathBuf;
use std::sync::Arc;

use egui::{Key, RichText};

use super::commands::{AppCommand, Command, EditCommand};
use super::dataset_dialogs::{ExportDialog, ImportClosed, ImportDialog};
use super::learning::Insight;
use super::panels::review::annotator_toggles;
use super::review_mode::Picker;
use super::session::proposal_score;
use super::workspace::Workspace;
use crate::text_view::TextRenderer;
use crate::text_view::widget::InlineText;

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
    /// Proposals → Teach: the learned proposer's questions, one at a time.
    Teach(TeachState),
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
            Dialog::Teach(state) => teach(ctx, state, workspace, renderer),
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

/// Where teach mode is: the questions it was opened with, the one shown, and those answered (in
/// order, so undo goes back).
pub struct TeachState {
    /// The model's questions when teach mode opened (retraining does not move them under the
    /// annotator).
    pub insight: Arc<Insight>,
    /// The question shown.
    pub at: usize,
    /// Questions answered, oldest first.
    pub answered: Vec<usize>,
}

impl TeachState {
    /// Teach mode over `insight`'s questions, the least certain first.
    pub fn new(insight: Arc<Insight>) -> Self {
        TeachState { insight, at: 0, answered: Vec::new() }
    }

    /// Back to the question answered last (its answer was undone).
    pub fn back(&mut self) {
        if let Some(last) = self.answered.pop() {
            self.at = last;
        }
    }

    /// On to the next question not answered yet.
    fn next(&mut self) {
        let count = self.insight.questions.len();
        self.at = (self.at + 1..count).find(|i| !self.answered.contains(i)).unwrap_or(count);
    }
}

/// One question at a time: the span in its sentence, and A (yes), X (no), a label's hotkey (yes,
/// as that label), S (skip); each answer is one undoable step over every occurrence of the text.
fn teach(ctx: &egui::Context, state: &mut TeachState, workspace: &Workspace, renderer: &mut TextRenderer) -> DialogOutcome {
    let mut outcome = DialogOutcome::default();
    let schema = workspace.project().map(|p| p.config.schema.clone()).unwrap_or_default();
    egui::Modal::new(egui::Id::unique("teach")).show(ctx, |ui| {
        ui.set_width(620.0);
        ui.heading("Teach the model");
        let total = state.insight.questions.len();
        let insight = Arc::clone(&state.insight);
        let Some(question) = insight.questions.get(state.at) else {
            let said = if total == 0 {
                "The model has no question: it asks only once it proposes (the Model window, in the View menu, says when), about spans nobody has decided."
            } else {
                "Every question is answered. The model retrains with your answers in a few seconds."
            };
            ui.label(said);
            if ui.button("Close (Escape)").clicked() {
                outcome = DialogOutcome::close_with(Vec::new());
            }
            return;
        };
        let articles: std::collections::BTreeSet<&str> = question.occurrences.iter().map(|o| o.article.as_str()).collect();
        ui.label(
            RichText::new(format!(
                "Question {} of {total}: the model is {:.0} % sure; {} place(s) in {} article(s).",
                state.answered.len() + 1,
                question.confidence * 100.0,
                question.occurrences.len(),
                articles.len()
            ))
            .weak(),
        );
        ui.add_space(8.0);
        // The sentence, reading right to left: what comes before, the span, what comes after.
        let (before, after) = insight.context.get(&question.form).cloned().unwrap_or_default();
        ui.allocate_ui_with_layout(egui::vec2(ui.available_width(), 34.0), egui::Layout::right_to_left(egui::Align::Center), |ui| {
            InlineText::new(before.trim_start(), 18.0).show(ui, renderer);
            ui.add_space(4.0);
            egui::Frame::new().fill(super::panels::label_color(&schema, &question.label).gamma_multiply(0.45)).corner_radius(3.0).show(ui, |ui| {
                InlineText::new(&question.surface, 18.0).color(ui.visuals().strong_text_color()).show(ui, renderer);
            });
            ui.add_space(4.0);
            InlineText::new(after.trim_end(), 18.0).elide(ui.available_width().max(60.0)).show(ui, renderer);
        });
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            ui.label("Is");
            InlineText::new(&question.surface, 16.0).color(ui.visuals().strong_text_color()).show(ui, renderer);
            ui.label(format!("a {}?", question.label));
        });
        let places: Vec<(String, std::ops::Range<usize>, String)> =
            question.occurrences.iter().map(|o| (o.article.clone(), o.range.clone(), o.surface.clone())).collect();
        let mut answer: Option<(String, bool)> = None;
        ui.horizontal_wrapped(|ui| {
            if ui.button("Yes (A)").clicked() || ui.input(|i| i.key_pressed(Key::A)) {
                answer = Some((question.label.clone(), true));
            }
            if ui.button("No (X)").clicked() || ui.input(|i| i.key_pressed(Key::X)) {
                answer = Some((question.label.clone(), false));
            }
            ui.separator();
            ui.label("It is a");
            for label in &schema.labels {
                let key = label.hotkey.map(|k| format!(" ({k})")).unwrap_or_default();
                let pressed = label.hotkey.and_then(super::keymap::key_for_hotkey).is_some_and(|k| ui.input(|i| i.key_pressed(k) && i.modifiers.is_none()));
                let text = RichText::new(format!("{}{key}", label.name)).color(egui::Color32::from_gray(20));
                if ui.add(egui::Button::new(text).fill(super::panels::label_color(&schema, &label.name))).clicked() || pressed {
                    answer = Some((label.name.clone(), true));
                }
            }
            ui.separator();
            if ui.button("Skip (S)").clicked() || ui.input(|i| i.key_pressed(Key::S)) {
                state.next();
            }
            if ui.button("Close (Escape)").clicked() {
                outcome = DialogOutcome::close_with(Vec::new());
            }
        });
        ui.label(RichText::new("Ctrl+Z takes the last answer back.").small().weak());
        if let Some((label, accept)) = answer {
            state.answered.push(state.at);
            state.next();
            outcome.commands.push(EditCommand::DecidePlaces { places, label, accept }.into());
        }
    });
    outcome
}
