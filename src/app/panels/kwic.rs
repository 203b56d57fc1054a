//! What the corpus windows list: a place in its context (keyword in context, the place in the
//! middle), how it is labelled, and its article; one row each.

use egui::{Color32, Rect, RichText, Sense, Stroke, Ui, vec2};

use super::{HIT_COLOR, label_color};
use crate::app::corpus::{CorpusIndexState, IndexStatus};
use crate::model::{Schema, SpanState};
use crate::search::{Context, HitLabel, Relation};
use crate::text_view::TextRenderer;
use crate::text_view::paragraph::LINE_HEIGHT_FACTOR;
use crate::text_view::widget::InlineText;

/// Font size of the context lines.
pub const FONT_SIZE: f32 = 15.0;
/// Words on each side of a place: enough to fill a wide window; the rest is cut at its edges.
pub const CONTEXT_WORDS: usize = 8;
/// Width of the column of labels.
const LABELS_WIDTH: f32 = 210.0;
/// Width of the column naming the article.
const ARTICLE_WIDTH: f32 = 170.0;

/// A corpus window placed at the bottom of the screen, over the lower part of the editor: the
/// editor brings a place it is asked to show to a third of its height, above the window.
pub fn bottom_window(ctx: &egui::Context, title: &str) -> egui::Window<'static> {
    let screen = ctx.content_rect();
    let size = vec2((screen.width() - 16.0).min(1100.0), (screen.height() * 0.45).max(220.0));
    egui::Window::new(title.to_owned())
        .pivot(egui::Align2::LEFT_BOTTOM)
        .default_pos(egui::pos2(screen.left() + 8.0, screen.bottom() - 30.0))
        .default_size(size)
        .min_width(560.0)
}

/// Height of one row.
pub fn row_height() -> f32 {
    (FONT_SIZE * LINE_HEIGHT_FACTOR).ceil() + 2.0
}

/// How a row is shown.
#[derive(Clone, Copy, Default)]
pub struct RowLook {
    /// Part of the selection.
    pub selected: bool,
    /// Under the keyboard's cursor.
    pub cursor: bool,
}

/// One row: the labels on the left, the context in the middle (the place centred and filled), the
/// article on the right. `labels` draws the left column. Returns whether the row was clicked.
pub fn row(ui: &mut Ui, renderer: &mut TextRenderer, context: &Context, article: &str, look: RowLook, labels: impl FnOnce(&mut Ui)) -> bool {
    let width = ui.available_width();
    let (rect, response) = ui.allocate_exact_size(vec2(width, row_height()), Sense::click());
    if look.selected {
        ui.painter().rect_filled(rect, 3.0, ui.visuals().selection.bg_fill.gamma_multiply(0.45));
    }
    if look.cursor {
        ui.painter().rect_stroke(rect, 3.0, Stroke::new(1.0, ui.visuals().selection.stroke.color), egui::StrokeKind::Inside);
    }
    let gap = 8.0;
    let labels_rect = Rect::from_min_size(rect.min + vec2(4.0, 0.0), vec2(LABELS_WIDTH, rect.height()));
    let article_rect = Rect::from_min_max(egui::pos2(rect.max.x - ARTICLE_WIDTH, rect.min.y), rect.max - vec2(4.0, 0.0));
    let line_rect = Rect::from_min_max(egui::pos2(labels_rect.max.x + gap, rect.min.y), egui::pos2(article_rect.min.x - gap, rect.max.y));
    let column = |ui: &mut Ui, area: Rect, layout: egui::Layout, add: &mut dyn FnMut(&mut Ui) -> Option<egui::Response>| {
        let mut child = ui.new_child(egui::UiBuilder::new().max_rect(area).layout(layout));
        child.set_clip_rect(area.intersect(ui.clip_rect()));
        add(&mut child)
    };
    let centred = egui::Layout::left_to_right(egui::Align::Center);
    let mut labels = Some(labels);
    column(ui, labels_rect, centred, &mut |ui| {
        if let Some(labels) = labels.take() {
            labels(ui);
        }
        None
    });
    let line = column(ui, line_rect, centred, &mut |ui| Some(context_line(ui, renderer, context, line_rect.width())));
    let article = column(ui, article_rect, egui::Layout::right_to_left(egui::Align::Center), &mut |ui| {
        Some(InlineText::new(article, 12.0).color(ui.visuals().weak_text_color()).elide(ARTICLE_WIDTH - 4.0).show(ui, renderer))
    });
    response.clicked() || [line, article].into_iter().flatten().any(|part| part.clicked())
}

/// Says (with a spinner) that the index is being built, or why it could not be; whether it is
/// ready.
pub fn index_status(ui: &mut Ui, corpus: &CorpusIndexState) -> bool {
    match corpus.status() {
        IndexStatus::Building { articles } => {
            ui.spinner();
            ui.label(format!("indexing {articles} articles…"));
            false
        }
        IndexStatus::Failed(why) => {
            ui.label(RichText::new(why).color(ui.visuals().error_fg_color));
            false
        }
        IndexStatus::Ready => true,
    }
}

/// The context as one line, `width` wide, the place in the middle on the hit colour.
pub fn context_line(ui: &mut Ui, renderer: &mut TextRenderer, context: &Context, width: f32) -> egui::Response {
    let line = format!("{}{}{}", context.left, context.hit, context.right);
    let start = context.left.chars().count();
    let range = start..start + context.hit.chars().count();
    InlineText::new(&line, FONT_SIZE).color(ui.visuals().strong_text_color()).centre_on(range, width, HIT_COLOR.gamma_multiply(0.55)).show(ui, renderer)
}

/// A label as a small tag: filled with its colour when accepted, outlined when proposed, grey and
/// struck through when rejected.
pub fn label_tag(ui: &mut Ui, schema: &Schema, label: &str, state: SpanState) {
    let color = label_color(schema, label);
    let text = RichText::new(label).size(12.0).strong();
    let (text, fill, stroke) = match state {
        SpanState::Accepted => (text.color(Color32::from_gray(20)), color, Stroke::NONE),
        SpanState::Pending => (text.color(color), Color32::TRANSPARENT, Stroke::new(1.5, color)),
        SpanState::Rejected => (text.strikethrough().color(ui.visuals().weak_text_color()), Color32::TRANSPARENT, Stroke::new(1.0, Color32::GRAY)),
    };
    egui::Frame::new().fill(fill).stroke(stroke).corner_radius(4.0).inner_margin(egui::Margin::symmetric(5, 1)).show(ui, |ui| ui.label(text));
}

/// The spans over a hit: each as its label's tag and, in small type, whose it is and how it lies
/// over the hit when not exactly on it; `unlabelled` when there are none.
pub fn hit_labels(ui: &mut Ui, schema: &Schema, labels: &[HitLabel]) {
    ui.spacing_mut().item_spacing.x = 4.0;
    if labels.is_empty() {
        ui.label(RichText::new("unlabelled").italics().weak());
        return;
    }
    for label in labels {
        label_tag(ui, schema, &label.label, label.state);
        let mut who = label.annotator.clone();
        match label.state {
            SpanState::Pending => who.push_str(" proposed"),
            SpanState::Rejected => who.push_str(" rejected"),
            SpanState::Accepted => {}
        }
        if let Some(relation) = relation_word(label.relation) {
            who.push(' ');
            who.push_str(relation);
        }
        ui.label(RichText::new(who).small().weak()).on_hover_text(format!("{}..{}", label.range.start, label.range.end));
    }
}

/// How a span lies over a hit, in a word, when not exactly on it.
fn relation_word(relation: Relation) -> Option<&'static str> {
    match relation {
        Relation::Exact => None,
        Relation::Covers => Some("covers"),
        Relation::Inside => Some("inside"),
        Relation::Overlaps => Some("overlaps"),
    }
}
