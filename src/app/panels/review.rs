//! Review mode on screen: the article with every annotator's spans drawn by how they stand
//! (agreed, held by some, conflicting) over the gold decisions, the list of groups, and the
//! agreement window. Drawing only; decisions are `ReviewCommand`s.

use egui::{Color32, RichText, Stroke, Ui};

use super::editor::{article_view, reveal_find_hit};
use super::entities::{heading_row, list_following_focus, row_frame};
use super::{label_chip, label_color};
use crate::app::agreement::{AgreementReport, AgreementState, AgreementView};
use crate::app::commands::{AppCommand, Command, EditCommand, ReviewCommand};
use crate::app::keymap::Keymap;
use crate::app::review_mode::{Picker, ReviewState, ReviewedArticle};
use crate::app::session::OpenArticle;
use crate::app::view::ArticleView;
use crate::model::{Schema, Span, SpanState};
use crate::review::{ArticleReview, Decision, Group, GroupKind, PairScores, SpanDiff};
use crate::text_view::widget::InlineText;
use crate::text_view::{Highlight, HighlightStyle, OutlineKind, TextRenderer};

/// The outline of conflicting spans.
const CONFLICT: Color32 = Color32::from_rgb(0xd0, 0x30, 0x30);

/// How an undecided span of the diff looks: agreed spans filled lightly (gold is filled and
/// underlined), spans some have outlined in their label's colour, conflicting ones outlined in
/// red over an underline in their label's colour (two labels on one range stack two underlines).
pub fn diff_style(kind: GroupKind, color: Color32) -> HighlightStyle {
    match kind {
        GroupKind::Agreed => HighlightStyle { fill: Some(color.gamma_multiply(0.18)), outline: None, underline: None, focused: false },
        GroupKind::BySome => HighlightStyle::outlined(color),
        GroupKind::Conflict => HighlightStyle { fill: None, outline: Some((CONFLICT, OutlineKind::Solid)), underline: Some(color), focused: false },
    }
}

/// Highlights for the spans of undecided groups (decided ones show as their gold spans), the
/// focused group emphasised; only spans inside the text's `length` chars.
pub fn diff_highlights(article: &ArticleReview, focus: Option<usize>, schema: &Schema, length: usize) -> Vec<Highlight> {
    let mut out = Vec::new();
    for (g, group) in article.groups.iter().enumerate().filter(|(_, g)| g.decision == Decision::Open) {
        for d in group.members.iter().map(|&m| &article.diffs[m]).filter(|d| d.start < d.end && d.end <= length) {
            let style = diff_style(group.kind, label_color(schema, &d.label)).with_focus(focus == Some(g));
            out.push(Highlight { range: d.start..d.end, style });
        }
    }
    out
}

/// The holders of a span as their tags: `A·B`.
fn holder_tags(review: &ReviewState, d: &SpanDiff) -> String {
    d.holders.iter().filter_map(|&i| review.initials.get(i).map(String::as_str)).collect::<Vec<_>>().join("·")
}

/// The editor pane in review mode: the legend of keys and kinds, the find bar, the article with
/// the diff over the gold spans and the holders' tags at the spans some annotators have.
pub fn review_editor(
    ui: &mut Ui,
    open: &OpenArticle,
    review: &ReviewState,
    schema: &Schema,
    renderer: &mut TextRenderer,
    view: &mut ArticleView,
    keymap: &Keymap,
) -> Vec<Command> {
    let mut commands = legend(ui, review, keymap);
    reveal_find_hit(ui, open, view, keymap);
    ui.separator();
    let Some(article) = review.review() else {
        return commands;
    };
    let extra = diff_highlights(article, review.focus, schema, open.len_chars());
    let area = ui.available_rect_before_wrap();
    let (clicks, output) = article_view(ui, open, schema, renderer, view, keymap, &extra);
    let on_gold = clicks.iter().any(|c| matches!(c, Command::Edit(EditCommand::SelectEntity(_))));
    commands.extend(clicks);
    if let Some(c) = output.clicked
        && !on_gold
        && let Some(g) = article.open_group_at(c)
    {
        commands.push(ReviewCommand::Focus(g).into());
    }
    paint_holder_tags(ui, view, review, article, schema, area);
    commands
}

/// Small holder tags above the reading start of each undecided span not everybody has, in its
/// label's colour; spans starting at the same char (a label conflict) put theirs side by side.
fn paint_holder_tags(ui: &Ui, view: &mut ArticleView, review: &ReviewState, article: &ArticleReview, schema: &Schema, area: egui::Rect) {
    let Some(text) = &mut view.text else { return };
    let mut at_start: std::collections::BTreeMap<usize, Vec<(String, Color32)>> = std::collections::BTreeMap::new();
    for group in article.groups.iter().filter(|g| g.decision == Decision::Open && g.kind != GroupKind::Agreed) {
        for d in group.members.iter().map(|&m| &article.diffs[m]) {
            at_start.entry(d.start).or_default().push((holder_tags(review, d), label_color(schema, &d.label)));
        }
    }
    let painter = ui.painter().with_clip_rect(area);
    let font = egui::FontId::proportional(10.0);
    let backdrop = ui.visuals().panel_fill.gamma_multiply(0.85);
    for (start, tags) in at_start {
        let Some(rect) = text.char_screen_rect(start).filter(|r| area.intersects(*r)) else { continue };
        // Tags run in the reading direction from the span's first character.
        let rtl = text.doc.is_rtl_at(start).unwrap_or(true);
        let mut x = if rtl { rect.max.x } else { rect.min.x };
        for (tag, color) in tags {
            let galley = painter.layout_no_wrap(tag, font.clone(), color);
            let anchor = if rtl { egui::Align2::RIGHT_BOTTOM } else { egui::Align2::LEFT_BOTTOM };
            let place = anchor.anchor_size(egui::pos2(x, rect.min.y + 3.0), galley.size());
            painter.rect_filled(place.expand(1.0), 2.0, backdrop);
            x = if rtl { place.min.x - 3.0 } else { place.max.x + 3.0 };
            painter.galley(place.min, galley, color);
        }
    }
}

/// The legend: who is compared under which key, the other keys, and what the drawings mean.
fn legend(ui: &mut Ui, review: &ReviewState, keymap: &Keymap) -> Vec<Command> {
    let mut commands = Vec::new();
    let ctx = ui.ctx().clone();
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("Reviewing as {}", review.reviewer)).strong());
        for (i, name) in review.annotators.iter().enumerate() {
            let tag = review.initials.get(i).map_or(String::new(), |t| format!(" ({t})"));
            let key = keymap.key_text(&ctx, &ReviewCommand::Take(i).into());
            if !key.is_empty() {
                ui.label(RichText::new(key).monospace().strong());
            }
            ui.label(format!("{name}{tag}"));
        }
        ui.separator();
        let hints = [
            (Command::from(ReviewCommand::Union), "union"),
            (ReviewCommand::Reject.into(), "reject"),
            (ReviewCommand::Step { delta: 1, disagreements: true }.into(), "next"),
            (ReviewCommand::Step { delta: -1, disagreements: true }.into(), "previous"),
            (ReviewCommand::AcceptAgreed.into(), "accept agreed"),
            (ReviewCommand::MarkReviewedAndNext.into(), "reviewed"),
        ]
        .map(|(command, what)| keymap.hint(&ctx, &command, what))
        .join(" · ");
        ui.label(RichText::new(hints).weak());
        if ui.small_button("Back to annotating").clicked() {
            commands.push(AppCommand::LeaveReview.into());
        }
    });
    ui.horizontal_wrapped(|ui| {
        let gray = Color32::from_gray(150);
        for (style, what) in [
            (HighlightStyle::filled(gray), "gold"),
            (diff_style(GroupKind::Agreed, gray), "agreed by all"),
            (diff_style(GroupKind::BySome, gray), "by some (tags: who)"),
            (diff_style(GroupKind::Conflict, gray), "conflicting"),
        ] {
            swatch(ui, style);
            ui.label(RichText::new(what).small());
            ui.add_space(6.0);
        }
    });
    commands
}

/// A small sample of a highlight style.
fn swatch(ui: &mut Ui, style: HighlightStyle) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(26.0, 14.0), egui::Sense::hover());
    let painter = ui.painter();
    if let Some(fill) = style.fill {
        painter.rect_filled(rect, 2.0, fill);
    }
    if let Some((color, _)) = style.outline {
        painter.rect_stroke(rect, 2.0, Stroke::new(1.2, color), egui::StrokeKind::Inside);
    }
    if let Some(color) = style.underline {
        painter.hline(rect.x_range(), rect.max.y - 1.0, Stroke::new(2.0, color));
    }
}

/// One line of the review list.
enum Row<'a> {
    /// A section title with its count of groups.
    Heading(&'static str, usize),
    /// A remark about the article (an annotator without a file, a file that does not load).
    Note(String),
    /// One span of a group; `first` for the group's first line, which shows its decision.
    Member { group: usize, diff: &'a SpanDiff, first: bool },
    /// A gold span the reviewer drew.
    Own(&'a Span),
}

/// The rows: disagreements (conflicts, then spans some have), then agreed spans, then the
/// reviewer's own.
fn rows<'a>(open: &'a OpenArticle, review: &ReviewState, reviewed: &'a ReviewedArticle) -> Vec<Row<'a>> {
    let mut rows: Vec<Row<'a>> = Vec::new();
    let article = &reviewed.review;
    for &i in &article.missing {
        rows.push(Row::Note(format!("{} has not annotated this article", review.annotators[i])));
    }
    rows.extend(reviewed.problems.iter().map(|p| Row::Note(p.clone())));
    let order = article.order(true);
    for (kind, title) in [(GroupKind::Conflict, "Conflicts"), (GroupKind::BySome, "Held by some"), (GroupKind::Agreed, "Agreed")] {
        let groups: Vec<usize> = order.iter().copied().filter(|&g| article.groups[g].kind == kind).collect();
        if groups.is_empty() {
            continue;
        }
        rows.push(Row::Heading(title, groups.len()));
        for g in groups {
            let members = &article.groups[g].members;
            rows.extend(members.iter().enumerate().map(|(k, &m)| Row::Member { group: g, diff: &article.diffs[m], first: k == 0 }));
        }
    }
    let own: Vec<&Span> = article.own.iter().filter_map(|&id| open.span(id)).collect();
    if !own.is_empty() {
        rows.push(Row::Heading("Added by the reviewer", own.len()));
        rows.extend(own.into_iter().map(Row::Own));
    }
    rows
}

/// Whether diff span `d` of `group` is in gold as an accepted span.
fn in_gold(open: &OpenArticle, group: &Group, d: &SpanDiff) -> bool {
    group
        .gold
        .iter()
        .filter_map(|&id| open.span(id))
        .any(|s| s.state == SpanState::Accepted && (s.start, s.end, s.label.as_str()) == (d.start, d.end, d.label.as_str()))
}

/// The entities panel in review mode: every group with its spans' label, text and holders;
/// clicking one focuses it (and the editor scrolls to it).
pub fn review_list(ui: &mut Ui, open: &OpenArticle, review: &ReviewState, schema: &Schema, renderer: &mut TextRenderer) -> Vec<Command> {
    let mut commands = Vec::new();
    let Some(reviewed) = &review.article else { return commands };
    let article = &reviewed.review;
    let total = article.groups.iter().filter(|g| g.kind != GroupKind::Agreed).count();
    ui.label(format!("{} / {total} disagreements decided · {:?}", total - article.open_disagreements(), open.annotation.status));
    ui.separator();
    let rows = rows(open, review, reviewed);
    let row_height = 26.0;
    let focus_row = review.focus.and_then(|f| rows.iter().position(|r| matches!(r, Row::Member { group, .. } if *group == f)));
    let area = list_following_focus(ui, "review-list", review.focus.map(|g| g as u64), focus_row, row_height);
    area.show_rows(ui, row_height, rows.len(), |ui, range| {
        for row in &rows[range] {
            match row {
                Row::Heading(title, count) => heading_row(ui, row_height, *count, |ui| {
                    ui.heading(*title);
                }),
                Row::Note(text) => {
                    ui.label(RichText::new(text).small().color(ui.visuals().warn_fg_color));
                }
                Row::Member { group, diff, first } => {
                    let g = &article.groups[*group];
                    // Marks the bundled monospace font has: open, in gold, rejected.
                    let mark = match (first, g.decision) {
                        (false, _) => " ",
                        (true, Decision::Open) => "○",
                        (true, Decision::Accepted) => "●",
                        (true, Decision::Rejected) => "×",
                    };
                    let gold = in_gold(open, g, diff);
                    let holders = diff.holders.iter().filter_map(|&i| review.annotators.get(i).map(String::as_str)).collect::<Vec<_>>().join(", ");
                    let side = if gold { format!("{holders} · gold") } else { holders };
                    if span_row(ui, schema, renderer, review.focus == Some(*group), mark, &diff.label, &diff.text, &side, row_height) {
                        commands.push(ReviewCommand::Focus(*group).into());
                    }
                }
                Row::Own(span) => {
                    if span_row(ui, schema, renderer, open.focused == Some(span.id), "●", &span.label, &span.text, "gold", row_height) {
                        commands.push(EditCommand::FocusEntity(span.id).into());
                    }
                }
            }
        }
    });
    commands
}

/// One span's row: decision mark, label, text, and on the far side who has it; returns whether it
/// was clicked.
#[allow(clippy::too_many_arguments)]
fn span_row(
    ui: &mut Ui,
    schema: &Schema,
    renderer: &mut TextRenderer,
    focused: bool,
    mark: &str,
    label: &str,
    text: &str,
    side: &str,
    row_height: f32,
) -> bool {
    let row = row_frame(ui, focused).show(ui, |ui| {
        ui.set_min_height(row_height - 2.0);
        ui.horizontal(|ui| {
            ui.label(RichText::new(mark).monospace());
            let chip = label_chip(ui, schema, label);
            let name = InlineText::new(text, 16.0).color(ui.visuals().strong_text_color()).elide(ui.available_width() - 110.0).show(ui, renderer);
            let clicked = chip.clicked() || name.clicked();
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(RichText::new(side).small().weak());
            });
            clicked
        })
        .inner
    });
    row.inner || row.response.interact(egui::Sense::click()).clicked()
}

/// A checkbox per candidate annotator; with `keys`, digit keys toggle them too and a picked one
/// shows the key that will take its version.
pub(crate) fn annotator_toggles(ui: &mut Ui, picker: &mut Picker, keys: bool) {
    let candidates = picker.candidates.clone();
    for (i, name) in candidates.iter().enumerate() {
        let typed = keys
            && i < 9
            && char::from_digit(i as u32 + 1, 10).and_then(crate::app::keymap::key_for_hotkey).is_some_and(|k| ui.input(|inp| inp.key_pressed(k)));
        ui.horizontal(|ui| {
            let mut on = picker.picked.contains(name);
            if ui.checkbox(&mut on, name.as_str()).changed() || typed {
                picker.toggle(name);
            }
            if keys && let Some(at) = picker.picked.iter().position(|p| p == name) {
                ui.label(RichText::new(format!("key {}", at + 1)).weak());
            }
        });
    }
}

/// `0.123`, or `n/a` when undefined.
fn number(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.3}"))
}

/// The agreement window. Sets `compute` when the reviewer asks for the numbers of the picked
/// annotators; returns the article they chose to review.
pub fn agreement_window(ctx: &egui::Context, view: &mut AgreementView, open: &mut bool, compute: &mut bool) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::Window::new("Agreement").open(open).default_width(560.0).default_height(600.0).show(ctx, |ui| {
        ui.horizontal_wrapped(|ui| {
            annotator_toggles(ui, &mut view.picker, false);
            if ui.add_enabled(view.picker.ready(), egui::Button::new("Compute")).clicked() {
                *compute = true;
            }
        });
        ui.separator();
        match &view.state {
            AgreementState::Idle => {
                ui.label("Pick two or more annotators and press Compute.");
            }
            AgreementState::Computing(names, _) => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(format!("computing the agreement of {}…", names.join(", ")));
                });
            }
            AgreementState::Failed(why) => {
                ui.label(RichText::new(format!("the agreement could not be computed: {why}")).color(ui.visuals().error_fg_color));
            }
            AgreementState::Ready(names, report) => {
                egui::ScrollArea::vertical().show(ui, |ui| report_ui(ui, names, report, &mut commands));
            }
        }
    });
    commands
}

/// The numbers: mean pairwise micro-F1, each pair's table and κ, and the ranked articles.
fn report_ui(ui: &mut Ui, names: &[String], report: &AgreementReport, commands: &mut Vec<Command>) {
    let agreement = &report.agreement;
    ui.label(RichText::new(format!("Mean pairwise exact micro-F1: {}", number(agreement.mean_micro_f1()))).strong());
    for pair in &agreement.pairs {
        let (a, b) = (&names[pair.a], &names[pair.b]);
        let title = format!(
            "{a} × {b}: F1 {} · κ {} ({} without all-O tokens)",
            number(pair.micro_f1()),
            number(pair.kappa.kappa()),
            number(pair.kappa_entities.kappa())
        );
        egui::CollapsingHeader::new(title).default_open(true).show(ui, |ui| pair_table(ui, a, pair));
    }
    ui.separator();
    ui.label(RichText::new("Articles by disagreement (click to review)").strong());
    for article in &agreement.ranked {
        let text = format!("{}   1 − F1 {:.3} · {} differing span(s)", article.article, article.disagreement, article.differing);
        if ui.selectable_label(false, text).clicked() {
            commands.push(AppCommand::ReviewArticle { annotators: names.to_vec(), rel: article.article.clone() }.into());
        }
    }
    if report.stale > 0 {
        let note = format!("{} annotation file(s) were made on an earlier version of their article; their offsets may be off", report.stale);
        ui.label(RichText::new(note).small().color(ui.visuals().warn_fg_color));
    }
    if !report.skipped.is_empty() {
        egui::CollapsingHeader::new(format!("{} file(s) left out", report.skipped.len())).show(ui, |ui| {
            for why in &report.skipped {
                ui.label(RichText::new(why).small());
            }
        });
    }
}

/// One pair's per-label table: exact P, R, F1 and partial F1, and the overall row.
fn pair_table(ui: &mut Ui, reference: &str, pair: &PairScores) {
    ui.label(RichText::new(format!("{} article(s) compared; P and R take {reference} as the reference", pair.articles.len())).small().weak());
    egui::Grid::new(("agreement", pair.a, pair.b)).striped(true).num_columns(5).show(ui, |ui| {
        for head in ["label", "P", "R", "F1", "partial F1"] {
            ui.label(RichText::new(head).strong());
        }
        ui.end_row();
        let overall = [("overall", pair.spans.exact.overall, pair.spans.partial.overall)];
        let labels = pair.spans.exact.per_label.iter().map(|(label, exact)| {
            let partial = pair.spans.partial.per_label.get(label).copied().unwrap_or_default();
            (label.as_str(), *exact, partial)
        });
        for (label, exact, partial) in labels.chain(overall) {
            let cells: [String; 4] = [number(exact.precision()), number(exact.recall()), number(exact.f1()), number(partial.f1())];
            ui.label(label);
            for cell in cells {
                ui.label(RichText::new(cell).monospace());
            }
            ui.end_row();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_is_drawn_its_own_way_and_decided_groups_as_gold_only() {
        let s = |start: usize, end: usize, label: &str| Span::manual(0, start..end, label, "");
        let amal = vec![s(0, 3, "LOC"), s(5, 8, "PERS"), s(10, 12, "ORG")];
        let badr = vec![s(0, 3, "LOC"), s(5, 8, "ORG")];
        let mut article = ArticleReview::from_sets(&[Some(amal), Some(badr)]);
        let schema = Schema::anercorp();
        let shown = diff_highlights(&article, Some(1), &schema, 100);
        let styles: Vec<HighlightStyle> = shown.iter().map(|h| h.style).collect();
        assert_eq!(shown.len(), 4, "agreed, two readings of the conflict, by some");
        assert!(styles[0].fill.is_some() && styles[0].outline.is_none() && styles[0].underline.is_none(), "agreed: filled only (gold is also underlined)");
        assert_eq!(styles[1].outline, Some((CONFLICT, OutlineKind::Solid)));
        assert_ne!(styles[1].underline, styles[2].underline, "the two labels underline in their colours");
        assert!(styles[1].focused && styles[2].focused && !styles[0].focused, "the focused group stands out");
        assert_eq!(styles[3].outline.map(|o| o.0), Some(label_color(&schema, "ORG")));
        assert!(styles[3].fill.is_none());
        // Once decided, a group is drawn by its gold span (article_highlights), not here.
        let gold = [Span::manual(9, 0..3, "LOC", "")];
        article.match_gold(&gold);
        assert_eq!(diff_highlights(&article, None, &schema, 100).len(), 3);
        // Spans past the text are not drawn.
        assert_eq!(diff_highlights(&article, None, &schema, 9).len(), 2);
    }
}
