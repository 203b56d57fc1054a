//! The entities panel: proposals awaiting a decision grouped by label (with source and score),
//! then the accepted entities in reading order; the same focus as the editor.

use egui::{RichText, Ui};

use super::{label_chip, label_color, position_of_label};
use crate::app::commands::{Command, EditCommand};
use crate::app::keymap::Keymap;
use crate::app::session::{OpenArticle, proposal_score};
use crate::model::{Origin, Schema, Span, SpanState};
use crate::store::Problem;
use crate::text_view::TextRenderer;
use crate::text_view::widget::InlineText;

/// One line of the list; spans are indices into the annotation's span list.
#[derive(Clone)]
enum Row {
    /// A section or label group title with its count.
    Heading(String, usize),
    /// A proposal awaiting a decision.
    Proposal(usize),
    /// An accepted entity.
    Entity(usize),
}

/// The rows for one version of an article and schema, kept between frames: sorting tens of
/// thousands of proposals by label every frame would cost more than the frame.
struct Rows {
    version: (u64, u64, usize),
    schema: Schema,
    rows: Vec<Row>,
}

/// Where a proposal came from, for its row: `gazetteer 0.92`, `import:x.jsonl 0.80`, `adjusted`.
pub fn provenance(span: &Span) -> String {
    match &span.origin {
        Origin::Proposed { source, .. } => format!("{source} {:.2}", proposal_score(span)),
        Origin::Imported { source } => source.clone(),
        Origin::Manual => "adjusted".to_owned(),
        Origin::Adjudicated { annotators, decided_by } => format!("{} · by {decided_by}", annotators.join("+")),
    }
}

/// The rows: proposals by label in schema order (unknown labels last), then accepted entities.
fn rows(open: &OpenArticle, schema: &Schema) -> Vec<Row> {
    let mut labels: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); labels.len()];
    let mut accepted = Vec::new();
    for (at, span) in open.annotation.spans.iter().enumerate() {
        match span.state {
            SpanState::Pending => {
                let group = position_of_label(&labels, &span.label).unwrap_or_else(|| {
                    labels.push(&span.label);
                    groups.push(Vec::new());
                    labels.len() - 1
                });
                groups[group].push(at);
            }
            SpanState::Accepted => accepted.push(at),
            SpanState::Rejected => {}
        }
    }
    let pending: usize = groups.iter().map(Vec::len).sum();
    let mut rows = Vec::with_capacity(pending + accepted.len() + labels.len() + 2);
    if pending > 0 {
        rows.push(Row::Heading("Proposals".to_owned(), pending));
        for (label, group) in labels.iter().zip(groups).filter(|(_, g)| !g.is_empty()) {
            rows.push(Row::Heading((*label).to_owned(), group.len()));
            rows.extend(group.into_iter().map(Row::Proposal));
        }
    }
    rows.push(Row::Heading("Entities".to_owned(), accepted.len()));
    rows.extend(accepted.into_iter().map(Row::Entity));
    rows
}

/// [`rows`], built again only when the article or schema changed since the last frame.
fn cached_rows(ui: &Ui, open: &OpenArticle, schema: &Schema) -> std::sync::Arc<Rows> {
    let id = egui::Id::unique("entity-rows");
    let version = open.version();
    if let Some(cached) = ui.data(|d| d.get_temp::<std::sync::Arc<Rows>>(id)).filter(|c| c.version == version && c.schema == *schema) {
        return cached;
    }
    let fresh = std::sync::Arc::new(Rows { version, schema: schema.clone(), rows: rows(open, schema) });
    ui.data_mut(|d| d.insert_temp(id, std::sync::Arc::clone(&fresh)));
    fresh
}

/// Draws the list; clicking a row focuses its span (and the editor scrolls to it).
pub fn entities_panel(ui: &mut Ui, open: &OpenArticle, schema: &Schema, renderer: &mut TextRenderer, keymap: &Keymap) -> Vec<Command> {
    let mut commands = Vec::new();
    let problems: Vec<&Problem> = open.problems.iter().filter(|p| !p.kind.is_fixed()).collect();
    if !problems.is_empty() {
        egui::CollapsingHeader::new(RichText::new(format!("{} problem(s) in this file", problems.len())).color(ui.visuals().warn_fg_color))
            .default_open(true)
            .show(ui, |ui| {
                for problem in &problems {
                    let response = ui.label(RichText::new(problem.to_string()).small());
                    if let Some(id) = problem.span_id
                        && response.on_hover_text("click to focus").clicked()
                    {
                        commands.push(EditCommand::FocusEntity(id).into());
                    }
                }
            });
        ui.separator();
    }
    let cached = cached_rows(ui, open, schema);
    let rows = &cached.rows;
    let spans = &open.annotation.spans;
    let row_height = 26.0;
    let focus_row =
        open.focused.and_then(|id| rows.iter().position(|r| matches!(r, Row::Proposal(at) | Row::Entity(at) if spans.get(*at).is_some_and(|s| s.id == id))));
    let area = list_following_focus(ui, "entities", open.focused, focus_row, row_height);
    area.show_rows(ui, row_height, rows.len(), |ui, range| {
        for row in &rows[range] {
            match row {
                Row::Heading(title, count) => heading_row(ui, row_height, *count, |ui| {
                    if schema.contains(title) {
                        ui.add_space(8.0);
                        ui.label(RichText::new(title).color(label_color(schema, title)).strong());
                    } else {
                        ui.heading(title);
                    }
                }),
                Row::Proposal(at) | Row::Entity(at) => {
                    let Some(span) = spans.get(*at) else { continue };
                    let pending = matches!(row, Row::Proposal(_));
                    if entity_row(ui, open, schema, renderer, keymap, span, pending, row_height, &mut commands) {
                        commands.push(EditCommand::FocusEntity(span.id).into());
                    }
                }
            }
        }
    });
    commands
}

/// A scrolling list of rows that follows the focus (`focused`, shown on row `focus_row`) when it
/// moves by keyboard or in the text, not by a click in the list itself.
pub(super) fn list_following_focus(ui: &Ui, salt: &str, focused: Option<u64>, focus_row: Option<usize>, row_height: f32) -> egui::ScrollArea {
    let mut area = egui::ScrollArea::vertical().auto_shrink([false, false]).id_salt(salt);
    let memory_id = egui::Id::unique((salt, "last-focus"));
    let last_focus = ui.data(|d| d.get_temp::<Option<u64>>(memory_id)).flatten();
    ui.data_mut(|d| d.insert_temp(memory_id, focused));
    if let Some(row) = focus_row
        && last_focus != focused
        && !ui.ui_contains_pointer()
    {
        area = area.vertical_scroll_offset((row as f32 * (row_height + ui.spacing().item_spacing.y) - 80.0).max(0.0));
    }
    area
}

/// A section heading of a list: its title as `title` draws it, then its count.
pub(super) fn heading_row(ui: &mut Ui, row_height: f32, count: usize, title: impl FnOnce(&mut Ui)) {
    ui.horizontal(|ui| {
        ui.set_min_height(row_height - 2.0);
        title(ui);
        ui.label(RichText::new(count.to_string()).weak());
    });
}

/// The frame of one row of a list, tinted when the row has focus.
pub(super) fn row_frame(ui: &Ui, focused: bool) -> egui::Frame {
    egui::Frame::new()
        .fill(if focused { ui.visuals().selection.bg_fill.gamma_multiply(0.5) } else { egui::Color32::TRANSPARENT })
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(4, 1))
}

/// One span's row; returns whether it was clicked.
#[allow(clippy::too_many_arguments)]
fn entity_row(
    ui: &mut Ui,
    open: &OpenArticle,
    schema: &Schema,
    renderer: &mut TextRenderer,
    keymap: &Keymap,
    span: &Span,
    pending: bool,
    row_height: f32,
    commands: &mut Vec<Command>,
) -> bool {
    let focused = open.focused == Some(span.id);
    let row = row_frame(ui, focused).show(ui, |ui| {
        ui.set_min_height(row_height - 2.0);
        ui.horizontal(|ui| {
            let chip = label_chip(ui, schema, &span.label);
            let color = if pending { ui.visuals().text_color() } else { ui.visuals().strong_text_color() };
            // The source, score and buttons keep their place on the far side; a long name is cut.
            let reserved = if pending { 150.0 } else { 48.0 };
            let name = InlineText::new(&span.text, 16.0).color(color).elide(ui.available_width() - reserved).show(ui, renderer);
            let mut clicked = chip.clicked() || name.clicked();
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if pending {
                    let ctx = ui.ctx().clone();
                    let hover = |what: &str, command: EditCommand| keymap.hint(&ctx, &command.into(), what);
                    if ui.small_button("X").on_hover_text(hover("reject", EditCommand::RejectFocused)).clicked() {
                        commands.push(EditCommand::Reject(span.id).into());
                        clicked = false;
                    }
                    if ui.small_button("A").on_hover_text(hover("accept", EditCommand::AcceptFocused)).clicked() {
                        commands.push(EditCommand::Accept(span.id).into());
                        clicked = false;
                    }
                    ui.label(RichText::new(provenance(span)).small().weak());
                } else {
                    ui.label(RichText::new(format!("{}", span.start)).small().weak());
                }
            });
            clicked
        })
        .inner
    });
    row.inner || row.response.interact(egui::Sense::click()).clicked()
}
