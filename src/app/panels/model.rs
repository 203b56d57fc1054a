//! View → Model: the learned proposer's latest training run (when, on how much, its held-out
//! scores against the lists and rules, the confusion table, the learning curve, how well its
//! confidence holds), whether it proposes and why not, and retraining.

use std::collections::BTreeSet;

use egui::{Color32, RichText, Stroke, Ui, pos2, vec2};

use crate::app::commands::{AppCommand, Command};
use crate::app::learning::LearnerStatus;
use crate::app::session::Session;
use crate::propose::model::report::{CurvePoint, TrainingReport};
use crate::propose::model::score::Score;

/// The window, while `open`; returns what the user asked for in it.
pub fn model_window(ctx: &egui::Context, session: &Session, open: &mut bool) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::Window::new("Model").open(open).default_width(560.0).default_height(620.0).show(ctx, |ui| {
        ui.horizontal(|ui| {
            match &session.learner.status {
                LearnerStatus::Training(since) => {
                    ui.spinner();
                    ui.label(format!("retraining in the background ({} s)…", since.elapsed().as_secs()));
                    ctx.request_repaint_after(std::time::Duration::from_millis(500));
                }
                LearnerStatus::Failed(error) => {
                    ui.label(RichText::new(format!("the last retraining failed: {error}")).color(ui.visuals().error_fg_color));
                }
                LearnerStatus::Idle => {
                    ui.label("Retrains a few seconds after your decisions.");
                }
            }
            if ui.add_enabled(!session.learner.is_training(), egui::Button::new("Retrain now")).clicked() {
                commands.push(AppCommand::RetrainModel.into());
            }
        });
        ui.separator();
        let Some(model) = session.proposers.model() else {
            ui.label("No model yet: it trains on the articles you decide (and gold), then proposes once it beats the lists and rules.");
            return;
        };
        egui::ScrollArea::vertical().show(ui, |ui| report_ui(ui, model.report(), model.passes_gate()));
        let insight = &session.learner.insight;
        if !insight.questions.is_empty() {
            ui.separator();
            ui.label(format!(
                "{} question(s) the model would learn most from (Proposals, Teach the model); {} unfinished article(s) ranked by its uncertainty.",
                insight.questions.len(),
                insight.order.len()
            ));
        }
    });
    commands
}

/// The report: gate, data, scores, confusion, curve, calibration.
fn report_ui(ui: &mut Ui, report: &TrainingReport, proposes: bool) {
    let (word, color) = if proposes { ("Proposes", Color32::from_rgb(0x3b, 0xa5, 0x5c)) } else { ("Does not propose yet", ui.visuals().warn_fg_color) };
    ui.label(RichText::new(format!("{word}: {}", report.gate.reason)).color(color).strong());
    ui.label(format!(
        "Trained {} UTC on {}: {} article(s), {} sentence(s), {} entities, in {:.1} s; scored on {} held-out sentence(s) with {} entities.",
        report.trained_at, report.source, report.documents, report.sentences, report.spans, report.seconds, report.held_out_sentences, report.held_out_spans
    ));
    ui.add_space(6.0);
    ui.label(RichText::new("Held out: the model against the lists and rules").strong());
    scores_grid(ui, &report.model, &report.baseline);
    ui.add_space(6.0);
    ui.label(RichText::new("Confusion (held out; rows: gold, columns: the model; — is no entity)").strong());
    confusion_grid(ui, report);
    if !report.curve.is_empty() {
        ui.add_space(6.0);
        ui.label(RichText::new("Learning curve (held-out F1 by share of the training data)").strong());
        curve(ui, &report.curve, report.baseline.overall.f1());
    }
    ui.add_space(6.0);
    ui.label(RichText::new(format!("Confidence (temperature {:.2}): how often spans in each band were right", report.temperature)).strong());
    egui::Grid::new("calibration").striped(true).show(ui, |ui| {
        for head in ["confidence", "spans", "right"] {
            ui.label(RichText::new(head).strong());
        }
        ui.end_row();
        for bin in &report.calibration {
            ui.label(format!("{:.1}–{:.1}", bin.from, bin.to));
            ui.label(bin.spans.to_string());
            let share = if bin.spans == 0 { 0.0 } else { bin.correct as f64 * 100.0 / bin.spans as f64 };
            ui.label(format!("{} ({share:.0} %)", bin.correct));
            ui.end_row();
        }
    });
}

/// Per-label P/R/F1 of the model, and the lists' and rules' F1 beside it.
fn scores_grid(ui: &mut Ui, model: &Score, baseline: &Score) {
    egui::Grid::new("model-scores").striped(true).num_columns(5).show(ui, |ui| {
        for head in ["label", "P", "R", "F1", "lists + rules F1"] {
            ui.label(RichText::new(head).strong());
        }
        ui.end_row();
        let labels: BTreeSet<&String> = model.per_label.keys().chain(baseline.per_label.keys()).collect();
        let rows = labels
            .into_iter()
            .map(|l| (l.as_str(), model.per_label.get(l).copied().unwrap_or_default(), baseline.per_label.get(l).copied().unwrap_or_default()));
        for (label, ours, theirs) in rows.chain([("overall", model.overall, baseline.overall)]) {
            ui.label(label);
            for value in [ours.precision(), ours.recall(), ours.f1(), theirs.f1()] {
                ui.label(RichText::new(format!("{value:.3}")).monospace());
            }
            ui.end_row();
        }
    });
}

/// Gold labels down, the model's across.
fn confusion_grid(ui: &mut Ui, report: &TrainingReport) {
    let cells = &report.confusion.cells;
    let labels: BTreeSet<&String> = cells.keys().flat_map(|(gold, guess)| [gold, guess]).collect();
    egui::Grid::new("confusion").striped(true).show(ui, |ui| {
        ui.label("");
        for label in &labels {
            ui.label(RichText::new(label.as_str()).strong());
        }
        ui.end_row();
        for gold in &labels {
            ui.label(RichText::new(gold.as_str()).strong());
            for guess in &labels {
                let n = cells.get(&((*gold).clone(), (*guess).clone())).copied().unwrap_or(0);
                let text = RichText::new(n.to_string()).monospace();
                ui.label(if gold == guess { text.strong() } else { text });
            }
            ui.end_row();
        }
    });
}

/// F1 against the share of training data, with the lists' and rules' F1 as a dashed line.
fn curve(ui: &mut Ui, points: &[CurvePoint], baseline: f64) {
    let (rect, _) = ui.allocate_exact_size(vec2(ui.available_width().min(420.0), 140.0), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    let frame = rect.shrink2(vec2(34.0, 14.0));
    let at = |share: f32, f1: f64| pos2(frame.left() + share * frame.width(), frame.bottom() - f1 as f32 * frame.height());
    let weak = ui.visuals().weak_text_color();
    painter.rect_stroke(frame, 0.0, Stroke::new(1.0, weak.gamma_multiply(0.5)), egui::StrokeKind::Inside);
    for tick in [0.0, 0.5, 1.0] {
        painter.text(pos2(frame.left() - 4.0, at(0.0, tick).y), egui::Align2::RIGHT_CENTER, format!("{tick:.1}"), egui::FontId::proportional(10.0), weak);
    }
    painter.add(egui::Shape::dashed_line(&[at(0.0, baseline), at(1.0, baseline)], Stroke::new(1.0, weak), 4.0, 3.0));
    let line: Vec<egui::Pos2> = points.iter().map(|p| at(p.share, p.f1)).collect();
    let color = ui.visuals().selection.stroke.color;
    painter.add(egui::Shape::line(line.clone(), Stroke::new(2.0, color)));
    for (point, pos) in points.iter().zip(line) {
        painter.circle_filled(pos, 3.0, color);
        painter.text(pos + vec2(0.0, -8.0), egui::Align2::CENTER_BOTTOM, format!("{:.2}", point.f1), egui::FontId::proportional(10.0), color);
        painter.text(
            pos2(pos.x, frame.bottom() + 2.0),
            egui::Align2::CENTER_TOP,
            format!("{:.0} %", point.share * 100.0),
            egui::FontId::proportional(10.0),
            weak,
        );
    }
}
