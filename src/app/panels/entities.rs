//! The entities panel: the article's entities in reading order, the same focus as the editor.

use egui::{RichText, Ui};

use super::{label_chip, label_color};
use crate::app::commands::Command;
use crate::app::session::OpenArticle;
use crate::model::{Schema, SpanState};
use crate::store::Problem;
use crate::text_view::TextRenderer;
use crate::text_view::widget::InlineText;

/// Draws the list; clicking an entity focuses it (and the editor scrolls to it).
pub fn entities_panel(ui: &mut Ui, open: &OpenArticle, schema: &Schema, renderer: &mut TextRenderer) -> Vec<Command> {
    let mut commands = Vec::new();
    let spans: Vec<_> = open.visible_spans().collect();
    ui.horizontal(|ui| {
        ui.heading("Entities");
        ui.label(RichText::new(spans.len().to_string()).weak());
    });
    let problems: Vec<&Problem> = open.problems.iter().filter(|p| !p.kind.is_fixed()).collect();
    if !problems.is_empty() {
        egui::CollapsingHeader::new(RichText::new(format!("⚠ {} problem(s) in this file", problems.len())).color(ui.visuals().warn_fg_color))
            .default_open(true)
            .show(ui, |ui| {
                for problem in &problems {
                    let response = ui.label(RichText::new(problem.to_string()).small());
                    if let Some(id) = problem.span_id
                        && response.on_hover_text("click to focus").clicked()
                    {
                        commands.push(Command::FocusEntity(id));
                    }
                }
            });
    }
    ui.separator();
    let row_height = 26.0;
    let focus_row = open.focused.and_then(|id| spans.iter().position(|s| s.id == id));
    let mut area = egui::ScrollArea::vertical().auto_shrink([false, false]).id_salt("entities");
    if let Some(row) = focus_row
        && ui.ctx().input(|i| i.key_pressed(egui::Key::Tab))
    {
        area = area.vertical_scroll_offset((row as f32 * (row_height + ui.spacing().item_spacing.y) - 80.0).max(0.0));
    }
    area.show_rows(ui, row_height, spans.len(), |ui, rows| {
        for span in &spans[rows] {
            let focused = open.focused == Some(span.id);
            let frame = egui::Frame::new()
                .fill(if focused { ui.visuals().selection.bg_fill.gamma_multiply(0.5) } else { egui::Color32::TRANSPARENT })
                .corner_radius(4.0)
                .inner_margin(egui::Margin::symmetric(4, 1));
            let row = frame
                .show(ui, |ui| {
                    ui.set_min_height(row_height - 2.0);
                    ui.horizontal(|ui| {
                        let chip = label_chip(ui, schema, &span.label);
                        let color = if span.state == SpanState::Pending { ui.visuals().weak_text_color() } else { ui.visuals().strong_text_color() };
                        let name = InlineText::new(&span.text, 16.0).color(color).show(ui, renderer);
                        if span.state == SpanState::Pending {
                            ui.label(RichText::new("proposed").small().color(label_color(schema, &span.label)));
                        }
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            ui.label(RichText::new(format!("{}", span.start)).small().weak());
                        });
                        chip.clicked() || name.clicked()
                    })
                    .inner
                });
            if row.inner || row.response.interact(egui::Sense::click()).clicked() {
                commands.push(Command::FocusEntity(span.id));
            }
        }
    });
    commands
}
