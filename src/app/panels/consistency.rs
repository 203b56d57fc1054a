//! The consistency window: the findings of the active annotator's (or, in review mode, the gold)
//! files by kind, each opening onto its occurrences in context and its fixes. Drawing only; a fix
//! is an [`AppCommand::ApplyFix`], an occurrence clicked opens its article there.

use egui::{RichText, Ui};

use super::kwic::{self, RowLook};
use crate::app::commands::{AppCommand, Command, EditCommand, Place};
use crate::app::consistency_window::ConsistencyWindow;
use crate::app::corpus::CorpusIndexState;
use crate::consistency::{Finding, Kind, Report};
use crate::model::{Schema, SpanState};
use crate::search::Context;
use crate::store::GOLD;
use crate::text_view::TextRenderer;
use crate::text_view::widget::InlineText;

/// Occurrences listed under a finding before `and N more`.
const OCCURRENCES_SHOWN: usize = 200;

/// What the window knows besides its own state.
pub struct Checked<'a> {
    /// Whose files.
    pub source: &'a str,
    /// The report shown is of the files as they are now.
    pub current: bool,
    /// The project's labels.
    pub schema: &'a Schema,
}

/// Draws the window while `window.open`; returns what the user asked for.
pub fn consistency_window(
    ctx: &egui::Context,
    window: &mut ConsistencyWindow,
    corpus: &CorpusIndexState,
    checked: &Checked<'_>,
    renderer: &mut TextRenderer,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = window.open;
    kwic::bottom_window(ctx, "Consistency").open(&mut open).show(ctx, |ui| {
        let whose = if checked.source == GOLD { "the gold files".to_owned() } else { format!("{}'s files", checked.source) };
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("Consistency of {whose}")).strong());
            if kwic::index_status(ui, corpus) && !checked.current {
                ui.spinner();
                ui.label(if window.report().is_some() { "files changed; checking again…" } else { "checking…" });
            }
        });
        if let Some(why) = window.failure() {
            ui.label(RichText::new(why).color(ui.visuals().error_fg_color));
        }
        if let Some(report) = window.report() {
            summary(ui, report);
            ui.separator();
        }
        // Drawn while there is nothing to list yet too, so the window has its size from the start.
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            if let Some(report) = window.report() {
                findings(ui, report, corpus, checked, renderer, &mut commands);
            }
        });
    });
    window.open = open;
    commands
}

/// What was checked and how many findings of each kind.
fn summary(ui: &mut Ui, report: &Report) {
    let counts: Vec<String> = Kind::ALL.iter().map(|&kind| format!("{} {}", kind.name(), report.count(kind))).collect();
    ui.label(format!(
        "{} article(s), {} accepted span(s) checked: {} finding(s) ({})",
        report.articles,
        report.spans,
        report.findings.len(),
        counts.join(", ")
    ));
    if report.findings.is_empty() {
        ui.label(RichText::new("Every name is labelled the same everywhere, and every span follows the gold convention.").strong());
    } else {
        ui.label(RichText::new("Open a finding for its places (tinted and first: what it is about; click one to open it there) and its fixes.").small().weak());
    }
}

/// The heading of a kind of finding.
fn kind_title(kind: Kind) -> &'static str {
    match kind {
        Kind::Labels => "Labelled differently in different places",
        Kind::Unlabelled => "Labelled in most places, unlabelled in others",
        Kind::Proclitic => "A proclitic inside the span",
        Kind::Article => "The article left out of the span",
        Kind::Edges => "Whitespace or punctuation at a span's edge",
    }
}

/// Findings by kind, each with its occurrences and fixes.
fn findings(ui: &mut Ui, report: &Report, corpus: &CorpusIndexState, checked: &Checked<'_>, renderer: &mut TextRenderer, commands: &mut Vec<Command>) {
    for kind in Kind::ALL {
        let of_kind: Vec<&Finding> = report.findings.iter().filter(|f| f.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        ui.add_space(6.0);
        ui.label(RichText::new(format!("{} ({})", kind_title(kind), of_kind.len())).heading().size(16.0));
        for finding in of_kind {
            let id = ui.make_persistent_id(("finding", kind.name(), &finding.key));
            // The name and summary open the finding too, not only the arrow.
            let mut clicked = false;
            let mut header = egui::collapsing_header::CollapsingState::load_with_default_open(ui.ctx(), id, false).show_header(ui, |ui| {
                let name = InlineText::new(&finding.form, 16.0).color(ui.visuals().strong_text_color()).show(ui, renderer);
                let summary = ui.add(egui::Label::new(RichText::new(finding_summary(finding)).weak()).sense(egui::Sense::click()));
                clicked = name.clicked() || summary.clicked();
            });
            if clicked {
                header.toggle();
            }
            header.body(|ui| finding_body(ui, finding, corpus, checked, renderer, commands));
        }
    }
}

/// What is wrong with a finding's name, in a few words.
fn finding_summary(finding: &Finding) -> String {
    let labels = finding.labels.iter().map(|l| format!("{} {}", l.label, l.count)).collect::<Vec<_>>().join(", ");
    match finding.kind {
        Kind::Labels => labels,
        Kind::Unlabelled => {
            let labelled: usize = finding.labels.iter().map(|l| l.count).sum();
            format!("{labels}; unlabelled {} of {}", finding.unlabelled, labelled + finding.unlabelled)
        }
        Kind::Proclitic | Kind::Article | Kind::Edges => format!("{} span(s)", finding.flagged().count()),
    }
}

/// A finding's fixes as buttons, then its occurrences in context.
fn finding_body(ui: &mut Ui, finding: &Finding, corpus: &CorpusIndexState, checked: &Checked<'_>, renderer: &mut TextRenderer, commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        if finding.fixes.is_empty() {
            ui.label(RichText::new("no fix is clear: open the places and decide").weak());
        }
        for fix in &finding.fixes {
            let button = ui.add_enabled(checked.current, egui::Button::new(&fix.title));
            let why = if fix.mechanical { "follows from the gold convention" } else { "a suggestion: look at the places first" };
            if button.on_hover_text(format!("{why}; one action, Ctrl+Z takes it back in every article")).clicked() {
                commands.push(AppCommand::ApplyFix(Box::new(fix.clone())).into());
            }
        }
    });
    let index = corpus.index();
    // What the finding is about first, then the name's usual treatment.
    let (flagged, usual): (Vec<_>, Vec<_>) = finding.occurrences.iter().partition(|o| o.flagged);
    for occurrence in flagged.into_iter().chain(usual).take(OCCURRENCES_SHOWN) {
        let context = index
            .and_then(|i| i.article(&occurrence.rel))
            .map(|a| a.context(occurrence.range.clone(), kwic::CONTEXT_WORDS))
            .unwrap_or_else(|| Context { hit: occurrence.text.clone(), ..Context::default() });
        let look = RowLook { selected: occurrence.flagged, cursor: false };
        let clicked = kwic::row(ui, renderer, &context, &occurrence.rel, look, |ui| match &occurrence.label {
            Some(label) => kwic::label_tag(ui, checked.schema, label, SpanState::Accepted),
            None => {
                ui.label(RichText::new("unlabelled").italics().weak());
            }
        });
        if clicked {
            let place = Place { rel: occurrence.rel.clone(), range: occurrence.range.clone(), text: occurrence.text.clone() };
            commands.push(EditCommand::OpenAt(place).into());
        }
    }
    if finding.occurrences.len() > OCCURRENCES_SHOWN {
        ui.label(RichText::new(format!("and {} more", finding.occurrences.len() - OCCURRENCES_SHOWN)).weak());
    }
}
