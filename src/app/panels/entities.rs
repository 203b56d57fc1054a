//! The entities panel: proposals awaiting a decision grouped by label (with source and score),
//! then the accepted entities in reading order; the same focus as the editor.

use egui::{RichText, Ui};

use super::{label_chip, label_color, position_of_label};
use crate::app::commands::{Command, EditCommand};
use crate::app::keymap::Keymap;
use crate::app::session::{OpenArticle, proposal_score};
use crate::model::{Origin, Schema, Span, SpanEdit, SpanState, net_span_changes, partition_point_near};
use crate::store::Problem;
use crate::text_view::TextRenderer;
use crate::text_view::widget::InlineText;

/// One line of the list; spans are indices into the annotation's span list.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Row<'a> {
    /// A section or label group title with its count.
    Heading(&'a str, usize),
    /// A proposal awaiting a decision.
    Proposal(usize),
    /// An accepted entity.
    Entity(usize),
}

/// The rows for one version of an article and schema, kept between frames and patched from the
/// edits that made the next version: grouping tens of thousands of proposals by label every time
/// one is decided would cost more than the frame.
#[derive(Clone)]
struct Rows {
    version: (u64, u64, usize),
    schema: Schema,
    /// Labels of the proposal groups, in list order (the schema's, then others as met).
    labels: Vec<String>,
    /// Each label's proposals, as indices into the span list.
    groups: Vec<Vec<usize>>,
    /// The accepted entities, as indices into the span list.
    accepted: Vec<usize>,
    /// The headings with the row each stands on, in row order.
    headings: Vec<(usize, String, usize)>,
    /// Where each group's rows begin (the accepted entities' last).
    group_rows: Vec<usize>,
    /// How many rows there are.
    len: usize,
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

impl Rows {
    /// The rows: proposals by label in schema order (unknown labels last), then accepted entities.
    fn build(open: &OpenArticle, schema: &Schema) -> Rows {
        let mut rows = Rows {
            version: open.version(),
            schema: schema.clone(),
            labels: schema.labels.iter().map(|l| l.name.clone()).collect(),
            groups: vec![Vec::new(); schema.labels.len()],
            accepted: Vec::new(),
            headings: Vec::new(),
            group_rows: Vec::new(),
            len: 0,
        };
        let mut names: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
        for (at, span) in open.annotation.spans.iter().enumerate() {
            match span.state {
                SpanState::Pending => {
                    let group = position_of_label(&names, &span.label).unwrap_or_else(|| {
                        names.push(&span.label);
                        rows.labels.push(span.label.clone());
                        rows.groups.push(Vec::new());
                        names.len() - 1
                    });
                    rows.groups[group].push(at);
                }
                SpanState::Accepted => rows.accepted.push(at),
                SpanState::Rejected => {}
            }
        }
        rows.lay_out();
        rows
    }

    /// Updates the rows for the spans `edits` changed, which made `open` from the version the
    /// rows were built for; false (and the rows unchanged) when a proposal of a label outside
    /// the schema came, whose group's place only a fresh build knows.
    fn patch<'e>(&mut self, open: &OpenArticle, edits: impl Iterator<Item = &'e SpanEdit>) -> bool {
        let spans = &open.annotation.spans;
        let changes = net_span_changes(edits);
        let key = |s: &Span| s.sort_key();
        let mut before: Vec<&Span> = changes.iter().filter_map(|c| c.before).collect();
        let mut after: Vec<&Span> = changes.iter().filter_map(|c| c.after).collect();
        before.sort_by_key(|s| key(s));
        after.sort_by_key(|s| key(s));
        if after.iter().any(|s| s.state == SpanState::Pending && !self.labels.contains(&s.label)) {
            return false;
        }
        // Where the added spans are now, and where the removed ones were: the span list before
        // was the kept spans with `before` among them, now it is the kept ones with `after`.
        let new_at: Vec<usize> = after.iter().map(|s| partition_point_near(spans, s.start, |t| key(t) < key(s))).collect();
        if before.len() == after.len() && before.iter().zip(&after).all(|(b, a)| key(b) == key(a)) {
            // Spans that only changed state or label keep their index: they move between lists
            // and no other row's index shifts.
            for ((b, a), &at) in before.iter().zip(&after).zip(&new_at) {
                if let Some(list) = self.list_of(b)
                    && let Ok(k) = list.binary_search(&at)
                {
                    list.remove(k);
                }
                if let Some(list) = self.list_of(a)
                    && let Err(k) = list.binary_search(&at)
                {
                    list.insert(k, at);
                }
            }
            self.version = open.version();
            self.lay_out();
            return true;
        }
        let old_at: Vec<usize> = before
            .iter()
            .enumerate()
            .map(|(j, s)| {
                let now_before = partition_point_near(spans, s.start, |t| key(t) < key(s));
                let added_before = after.partition_point(|a| key(a) < key(s));
                (now_before + j).saturating_sub(added_before)
            })
            .collect();
        // A kept span's rank among the kept ones is its old index less the removed before it;
        // its new index is that rank plus the added spans that come before it.
        let moved = |list: &mut Vec<usize>| {
            let (mut removed, mut added) = (0, 0);
            let mut out = Vec::with_capacity(list.len());
            for &old in list.iter() {
                while removed < old_at.len() && old_at[removed] < old {
                    removed += 1;
                }
                if old_at.get(removed) == Some(&old) {
                    continue;
                }
                let rank = old - removed;
                while added < new_at.len() && new_at[added] - added <= rank {
                    added += 1;
                }
                out.push(rank + added);
            }
            *list = out;
        };
        self.groups.iter_mut().for_each(moved);
        moved(&mut self.accepted);
        let names: Vec<&str> = self.labels.iter().map(String::as_str).collect();
        let mut fresh: Vec<Vec<usize>> = vec![Vec::new(); self.groups.len()];
        let mut fresh_accepted = Vec::new();
        for (span, &at) in after.iter().zip(&new_at) {
            match span.state {
                SpanState::Pending => {
                    if let Some(group) = position_of_label(&names, &span.label) {
                        fresh[group].push(at);
                    }
                }
                SpanState::Accepted => fresh_accepted.push(at),
                SpanState::Rejected => {}
            }
        }
        for (group, added) in self.groups.iter_mut().zip(fresh) {
            merge_sorted(group, added);
        }
        merge_sorted(&mut self.accepted, fresh_accepted);
        self.version = open.version();
        self.lay_out();
        true
    }

    /// Where the rows of each group and each heading fall: a heading for all proposals, one per
    /// label with any, each label's proposals, then the entities. Rows are not stored, since a
    /// decision would then rewrite tens of thousands of them.
    fn lay_out(&mut self) {
        let pending: usize = self.groups.iter().map(Vec::len).sum();
        self.headings.clear();
        self.group_rows.clear();
        let mut row = 0;
        if pending > 0 {
            self.headings.push((row, "Proposals".to_owned(), pending));
            row += 1;
        }
        for (label, group) in self.labels.iter().zip(&self.groups) {
            if !group.is_empty() {
                self.headings.push((row, label.clone(), group.len()));
                row += 1;
            }
            self.group_rows.push(row);
            row += group.len();
        }
        self.headings.push((row, "Entities".to_owned(), self.accepted.len()));
        self.group_rows.push(row + 1);
        self.len = row + 1 + self.accepted.len();
    }

    /// The group a span in its state belongs to (the accepted entities are the last), if any.
    fn group_of(&self, span: &Span) -> Option<usize> {
        match span.state {
            SpanState::Pending => self.labels.iter().position(|l| *l == span.label),
            SpanState::Accepted => Some(self.groups.len()),
            SpanState::Rejected => None,
        }
    }

    /// The list a span in its state belongs to, if any.
    fn list_of(&mut self, span: &Span) -> Option<&mut Vec<usize>> {
        let g = self.group_of(span)?;
        Some(self.groups.get_mut(g).unwrap_or(&mut self.accepted))
    }

    /// Group `g`'s spans: a label's proposals, or (the last) the accepted entities.
    fn group(&self, g: usize) -> &[usize] {
        self.groups.get(g).unwrap_or(&self.accepted)
    }

    /// Row `i`.
    fn row(&self, i: usize) -> Option<Row<'_>> {
        // The last group starting at or before `i` holds it, unless `i` is a heading.
        let g = self.group_rows.partition_point(|&first| first <= i);
        if let Some(g) = g.checked_sub(1)
            && let Some(&at) = self.group(g).get(i - self.group_rows[g])
        {
            return Some(if g < self.groups.len() { Row::Proposal(at) } else { Row::Entity(at) });
        }
        let h = self.headings.binary_search_by_key(&i, |(row, ..)| *row).ok()?;
        let (_, title, count) = &self.headings[h];
        Some(Row::Heading(title, *count))
    }

    /// The row of the span at `at` in the span list, if it has one.
    fn row_of(&self, open: &OpenArticle, at: usize) -> Option<usize> {
        let g = self.group_of(open.annotation.spans.get(at)?)?;
        self.group(g).binary_search(&at).ok().map(|k| self.group_rows[g] + k)
    }
}

/// Adds the sorted `added` into the sorted `list`.
fn merge_sorted(list: &mut Vec<usize>, added: Vec<usize>) {
    if added.is_empty() {
        return;
    }
    let mut out = Vec::with_capacity(list.len() + added.len());
    let mut added = added.into_iter().peekable();
    for &at in list.iter() {
        while let Some(new) = added.next_if(|&new| new < at) {
            out.push(new);
        }
        out.push(at);
    }
    out.extend(added);
    *list = out;
}

/// The rows, built again only when the schema changed or the article's edits since the last
/// frame are not known, and otherwise patched from them.
fn cached_rows(ui: &Ui, open: &OpenArticle, schema: &Schema) -> std::sync::Arc<Rows> {
    let id = egui::Id::unique("entity-rows");
    let version = open.version();
    let cached = ui.data(|d| d.get_temp::<std::sync::Arc<Rows>>(id)).filter(|c| c.schema == *schema && c.version.0 == version.0);
    if let Some(cached) = &cached
        && cached.version == version
    {
        return std::sync::Arc::clone(cached);
    }
    let patched = cached.and_then(|cached| {
        let edits = open.edits_since(cached.version.1)?;
        // The list drops its copy first, so this one is the only one and is patched in place.
        ui.data_mut(|d| d.remove::<std::sync::Arc<Rows>>(id));
        let mut rows = std::sync::Arc::unwrap_or_clone(cached);
        rows.patch(open, edits).then_some(rows)
    });
    let fresh = patched.unwrap_or_else(|| Rows::build(open, schema));
    #[cfg(debug_assertions)]
    {
        let built = Rows::build(open, schema);
        debug_assert!((0..built.len.max(fresh.len)).all(|i| built.row(i) == fresh.row(i)), "patched entity rows differ from the rebuilt ones");
    }
    let fresh = std::sync::Arc::new(fresh);
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
    let spans = &open.annotation.spans;
    let row_height = 26.0;
    let focus_row = open.focused_index().and_then(|at| cached.row_of(open, at));
    let area = list_following_focus(ui, "entities", open.focused, focus_row, row_height);
    area.show_rows(ui, row_height, cached.len, |ui, range| {
        for row in range.filter_map(|i| cached.row(i)) {
            match row {
                Row::Heading(title, count) => heading_row(ui, row_height, count, |ui| {
                    if schema.contains(title) {
                        ui.add_space(8.0);
                        ui.label(RichText::new(title).color(label_color(schema, title)).strong());
                    } else {
                        ui.heading(title);
                    }
                }),
                Row::Proposal(at) | Row::Entity(at) => {
                    let Some(span) = spans.get(at) else { continue };
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
