//! The editor pane: label legend, search bar, the article with its entities, the label picker
//! that appears at a fresh selection, and the context menu of an entity.

use std::ops::Range;
use std::time::Instant;

use egui::{Color32, Pos2, RichText, Ui};

use super::{label_chip, label_color, position_of_label};
use crate::app::commands::{AppCommand, Command, EditCommand, Scope, ViewCommand};
use crate::app::keymap::Keymap;
use crate::app::session::{OccurrenceOffer, OpenArticle, Session};
use crate::app::view::ArticleView;
use crate::arabic::{NormalizeOptions, normalize};
use crate::model::{Schema, Span, SpanEdit, SpanState, net_span_changes};
use crate::text_view::widget::InlineText;
use crate::text_view::{Highlight, HighlightStyle, OutlineKind, TextRenderer, TextView, TextViewOutput};

/// Search state of the find bar.
#[derive(Default)]
pub struct FindBar {
    /// What is searched for.
    pub query: String,
    /// Matches (character ranges) of `query`, computed when it changes.
    pub matches: Vec<Range<usize>>,
    /// The match shown last.
    pub current: usize,
    searched: Option<(String, usize)>,
    focus_requested: bool,
}

impl FindBar {
    /// An empty find bar that takes the keyboard when it is drawn.
    pub fn focused() -> Self {
        FindBar { focus_requested: true, ..FindBar::default() }
    }
}

/// Every occurrence of `query` in `text`, matched on normalized letters (alef forms, harakat…).
pub fn find_all(text: &str, query: &str) -> Vec<Range<usize>> {
    let query = normalize(query.trim(), &NormalizeOptions::MATCHING);
    if query.text.is_empty() {
        return Vec::new();
    }
    let haystack = normalize(text, &NormalizeOptions::MATCHING);
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = haystack.text[from..].find(&query.text) {
        let byte = from + at;
        let start = haystack.text[..byte].chars().count();
        let len = query.text.chars().count();
        found.push(haystack.to_original(start..start + len));
        from = byte + query.text.len();
    }
    found
}

/// The highlights for an article as last built, kept while the schema, the problems and the
/// find hits stay the same: when the article changes, the highlights of the spans its edits
/// touched are redone and the rest kept; focus and flash are restyled in place each frame.
/// Building them all is a pass over every span, more than a frame's budget in a 1 MB article.
#[derive(Default)]
pub struct HighlightCache {
    key: Option<HighlightKey>,
    /// The highlights, sorted by start, with the id of the span each one shows (none for hits).
    list: Vec<Highlight>,
    ids: Vec<Option<u64>>,
    /// The highlights restyled for focus or flash, with the style they had before.
    restyled: Vec<(usize, HighlightStyle)>,
    /// How many times the highlights were patched rather than built.
    patches: usize,
}

/// What the cached highlights were built from.
#[derive(PartialEq)]
struct HighlightKey {
    version: (u64, u64, usize),
    schema: Schema,
    flagged: Vec<u64>,
    find: Option<(String, usize, usize)>,
}

/// How spans look: label colours in schema order, and the spans with problems.
struct SpanLook<'a> {
    schema: &'a Schema,
    names: Vec<&'a str>,
    colors: Vec<Color32>,
    flagged: &'a [u64],
    length: usize,
}

impl<'a> SpanLook<'a> {
    fn new(schema: &'a Schema, flagged: &'a [u64], length: usize) -> Self {
        let names: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
        let colors = names.iter().map(|name| label_color(schema, name)).collect();
        SpanLook { schema, names, colors, flagged, length }
    }

    /// The highlight of a span, if it shows (rejected spans and broken ranges do not).
    fn highlight(&self, span: &Span) -> Option<Highlight> {
        if span.state == SpanState::Rejected || span.start >= span.end || span.end > self.length {
            return None;
        }
        let color = position_of_label(&self.names, &span.label).map_or_else(|| label_color(self.schema, &span.label), |at| self.colors[at]);
        let mut style = match span.state {
            SpanState::Pending => HighlightStyle::dashed(color),
            _ => HighlightStyle::filled(color),
        };
        if self.flagged.contains(&span.id) {
            style.outline = Some((Color32::from_rgb(0xd0, 0x30, 0x30), OutlineKind::Dashed));
        }
        Some(Highlight { range: span.range(), style })
    }
}

impl HighlightCache {
    /// The highlights for an article: entities by label colour (filled when accepted, dashed
    /// when proposed), the focused one emphasised, the flashing one darker, spans with problems
    /// outlined in red, search hits.
    pub fn get(&mut self, open: &OpenArticle, schema: &Schema, find: Option<&FindBar>, flashing: Option<u64>) -> &[Highlight] {
        let flagged: Vec<u64> = open.problems.iter().filter(|p| !p.kind.is_fixed()).filter_map(|p| p.span_id).collect();
        let version = open.version();
        let find_key = |f: &FindBar| (f.query.clone(), f.matches.len(), f.current);
        // Newest first, so a highlight restyled twice gets its first style back.
        while let Some((at, style)) = self.restyled.pop() {
            self.list[at].style = style;
        }
        // Compared field by field, so an unchanged frame copies nothing.
        let same_inputs = self.key.as_ref().is_some_and(|k| {
            k.version.0 == version.0
                && k.schema == *schema
                && k.flagged == flagged
                && k.find.as_ref().map(|(q, n, c)| (q.as_str(), *n, *c)) == find.map(|f| (f.query.as_str(), f.matches.len(), f.current))
        });
        let cached = self.key.as_ref().map(|k| k.version);
        if !same_inputs || cached != Some(version) {
            let look = SpanLook::new(schema, &flagged, open.len_chars());
            let patched = same_inputs && cached.and_then(|(_, generation, _)| open.edits_since(generation)).is_some_and(|edits| self.patch(&look, edits));
            if patched {
                self.patches += 1;
            } else {
                (self.list, self.ids) = plain_highlights(open, &look, find).into_iter().unzip();
            }
            #[cfg(debug_assertions)]
            if patched {
                let (list, ids): (Vec<Highlight>, Vec<Option<u64>>) = plain_highlights(open, &look, find).into_iter().unzip();
                debug_assert!(list == self.list && ids == self.ids, "patched highlights differ from the rebuilt ones");
            }
            self.key = Some(HighlightKey { version, schema: schema.clone(), flagged, find: find.map(find_key) });
        }
        for (id, flash) in [(open.focused, false), (flashing, true)] {
            let Some(span) = id.and_then(|id| open.span(id)) else { continue };
            let Some(at) = self.position(span.start, span.id) else { continue };
            let style = &mut self.list[at].style;
            self.restyled.push((at, *style));
            if flash {
                style.fill = Some(label_color(schema, &span.label).gamma_multiply(0.75));
            } else {
                style.focused = true;
            }
        }
        &self.list
    }

    /// How many times the highlights were patched from an article's edits rather than built.
    pub fn patches(&self) -> usize {
        self.patches
    }

    /// Where the highlight of span `id` starting at `start` is.
    fn position(&self, start: usize, id: u64) -> Option<usize> {
        let from = self.list.partition_point(|h| h.range.start < start);
        (from..self.list.len()).take_while(|&i| self.list[i].range.start == start).find(|&i| self.ids[i] == Some(id))
    }

    /// Redoes the highlights of the spans `edits` touched; false when one is not where it should
    /// be (the list is then built afresh).
    fn patch<'e>(&mut self, look: &SpanLook, edits: impl Iterator<Item = &'e SpanEdit>) -> bool {
        let mut changes = Vec::new();
        // A span that keeps its place (a decision, a relabelling) is restyled where it stands:
        // rebuilding the list for it would copy every highlight of the article.
        for change in net_span_changes(edits) {
            let in_place = match (change.before, change.after) {
                (Some(before), Some(after)) if before.sort_key() == after.sort_key() && look.highlight(before).is_some() => look.highlight(after),
                _ => None,
            };
            let Some(highlight) = in_place else {
                changes.push(change);
                continue;
            };
            match change.before.and_then(|before| self.position(before.start, before.id)) {
                Some(at) => self.list[at] = highlight,
                None => return false,
            }
        }
        if changes.is_empty() {
            return true;
        }
        let mut gone = Vec::new();
        let mut added: Vec<(Highlight, u64, usize)> = Vec::new();
        for change in &changes {
            if let Some(before) = change.before.filter(|b| look.highlight(b).is_some()) {
                match self.position(before.start, before.id) {
                    Some(at) => gone.push(at),
                    None => return false,
                }
            }
            if let Some(after) = change.after
                && let Some(highlight) = look.highlight(after)
            {
                added.push((highlight, after.id, after.end));
            }
        }
        // Spans come in (start, end, id) order, before the find hits that start where they do.
        let key_at = |list: &[Highlight], ids: &[Option<u64>], i: usize| (list[i].range.start, ids[i].is_none(), list[i].range.end, ids[i].unwrap_or(0));
        // Each new highlight goes before the first old one that sorts after it (the ones going
        // away still stand in the list, which is sorted with them).
        let mut events: Vec<(usize, Option<(Highlight, u64)>)> = added
            .into_iter()
            .map(|(highlight, id, end)| {
                let key = (highlight.range.start, false, end, id);
                let at = self.list.partition_point(|h| h.range.start < key.0);
                let at = (at..self.list.len()).find(|&i| key_at(&self.list, &self.ids, i) > key).unwrap_or(self.list.len());
                (at, Some((highlight, id)))
            })
            .chain(gone.into_iter().map(|at| (at, None)))
            .collect();
        // At one place: the new highlights (in their order) first, then the old one that goes.
        events.sort_by(|(a, x), (b, y)| {
            a.cmp(b).then_with(|| match (x, y) {
                (Some((h, i)), Some((g, j))) => (h.range.start, h.range.end, i).cmp(&(g.range.start, g.range.end, j)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
        });
        // A few changes shift the tail in place; many are merged into fresh lists in one pass.
        if events.len() <= 8 {
            for (at, event) in events.into_iter().rev() {
                match event {
                    Some((highlight, id)) => {
                        self.list.insert(at, highlight);
                        self.ids.insert(at, Some(id));
                    }
                    None => {
                        self.list.remove(at);
                        self.ids.remove(at);
                    }
                }
            }
            return true;
        }
        let size = self.list.len() + events.len();
        let (mut list, mut ids) = (Vec::with_capacity(size), Vec::with_capacity(size));
        let mut from = 0;
        for (at, event) in events {
            // Whole runs of kept highlights are copied at once.
            list.extend_from_slice(&self.list[from..at]);
            ids.extend_from_slice(&self.ids[from..at]);
            from = at;
            match event {
                Some((highlight, id)) => {
                    list.push(highlight);
                    ids.push(Some(id));
                }
                None => from = at + 1,
            }
        }
        list.extend_from_slice(&self.list[from..]);
        ids.extend_from_slice(&self.ids[from..]);
        (self.list, self.ids) = (list, ids);
        true
    }
}

/// The highlights of every visible span and find hit, sorted by start, with the span each shows.
fn plain_highlights(open: &OpenArticle, look: &SpanLook, find: Option<&FindBar>) -> Vec<(Highlight, Option<u64>)> {
    let mut out: Vec<(Highlight, Option<u64>)> = Vec::with_capacity(open.annotation.spans.len());
    out.extend(open.annotation.spans.iter().filter_map(|span| Some((look.highlight(span)?, Some(span.id)))));
    if let Some(find) = find {
        let hit = super::HIT_COLOR;
        out.extend(find.matches.iter().enumerate().map(|(i, range)| {
            let style = HighlightStyle { fill: (i == find.current).then_some(hit.gamma_multiply(0.5)), ..HighlightStyle::outlined(hit) };
            (Highlight { range: range.clone(), style }, None)
        }));
        out.sort_by_key(|(h, _)| h.range.start);
    }
    out
}

/// The innermost visible entity containing a character.
fn entity_at(open: &OpenArticle, c: usize) -> Option<u64> {
    open.spans_at(c).filter(|s| s.state != SpanState::Rejected).min_by_key(|s| s.end - s.start).map(|s| s.id)
}

/// Draws the editor pane and returns the user's commands.
pub fn editor_panel(
    ui: &mut Ui,
    open: &OpenArticle,
    schema: &Schema,
    renderer: &mut TextRenderer,
    view: &mut ArticleView,
    offer: Option<&OccurrenceOffer>,
    keymap: &Keymap,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal_wrapped(|ui| {
        for label in &schema.labels {
            let command: Command = ViewCommand::Label(label.name.clone()).into();
            let key = keymap.key_text(ui.ctx(), &command);
            let chip = label_chip(ui, schema, &label.name).on_hover_text(format!("{key} {}: {}", label.name, label.description).trim_start().to_owned());
            if chip.clicked() {
                commands.push(command);
            }
            if !key.is_empty() {
                ui.label(RichText::new(key).monospace().weak());
            }
        }
        if let Some(reason) = &open.read_only {
            ui.label(RichText::new(format!("Not saving: {reason}")).color(ui.visuals().error_fg_color));
        }
    });
    reveal_find_hit(ui, open, view, keymap);
    ui.separator();
    let article_rect = ui.available_rect_before_wrap();
    commands.extend(article_view(ui, open, schema, renderer, view, keymap, &[]).0);
    if let Some(offer) = offer {
        offer_bar(ui, article_rect, offer, renderer, keymap, &mut commands);
    }
    commands
}

/// The article with its entities (and `extra` highlights, for review mode's diff): selection,
/// label picker, clicks and context menus. Returns the commands and what the text view saw.
#[allow(clippy::too_many_arguments)]
pub fn article_view(
    ui: &mut Ui,
    open: &OpenArticle,
    schema: &Schema,
    renderer: &mut TextRenderer,
    view: &mut ArticleView,
    keymap: &Keymap,
    extra: &[Highlight],
) -> (Vec<Command>, TextViewOutput) {
    let mut commands = Vec::new();
    let flashing = view.flashing(Instant::now());
    let mut highlights = view.highlights.get(open, schema, view.find.as_ref(), flashing);
    let with_extra: Vec<Highlight>;
    if !extra.is_empty() {
        with_extra = {
            let mut all = [highlights, extra].concat();
            all.sort_by_key(|h| h.range.start);
            all
        };
        highlights = &with_extra;
    }
    let Some(text_view) = &mut view.text else { return (commands, TextViewOutput::default()) };
    let snap_word = |text: &str, c: usize| crate::arabic::snap_to_word(text, c);
    let output = TextView::new("article", highlights).word_at(&snap_word).show(ui, renderer, text_view);
    view.hovered = output.hovered;
    if flashing.is_some() {
        ui.ctx().request_repaint();
    }

    if output.selection_finished
        && let Some(selection) = text_view.selection.clone()
    {
        // Drags snap to whole words without their proclitics; Alt keeps the exact characters.
        if !ui.input(|i| i.modifiers.alt) {
            let snapped = crate::arabic::snap_range(&open.text, selection);
            text_view.selection = (!snapped.is_empty()).then_some(snapped);
        }
        view.picker_for = text_view.selection.clone();
        view.context_menu = None;
    }
    if text_view.selection.is_none() || text_view.selection != view.picker_for {
        view.picker_for = None;
    }
    if let Some(c) = output.clicked {
        view.context_menu = None;
        if let Some(id) = entity_at(open, c) {
            commands.push(EditCommand::SelectEntity(id).into());
        }
    }
    if let Some(c) = output.secondary_clicked
        && let Some(id) = entity_at(open, c)
    {
        let at = ui.input(|i| i.pointer.interact_pos()).unwrap_or_default();
        view.context_menu = Some((id, at));
        commands.push(EditCommand::SelectEntity(id).into());
    }

    if let (Some(range), Some(rect)) = (view.picker_for.clone(), output.selection_rect) {
        label_picker(ui, schema, keymap, range, rect, &mut commands);
    }
    if let Some((id, at)) = view.context_menu {
        let pending = open.span(id).is_some_and(|s| s.state == SpanState::Pending);
        if entity_menu(ui, schema, keymap, id, pending, at, &mut commands) {
            view.context_menu = None;
        }
    }
    (commands, output)
}

/// After an entity is accepted: label its other occurrences too? The offer floats over the
/// bottom of the article, as wide as the article at most, so the text never moves when it comes
/// and goes and a narrow window never pushes the article aside.
fn offer_bar(ui: &mut Ui, article: egui::Rect, offer: &OccurrenceOffer, renderer: &mut TextRenderer, keymap: &Keymap, commands: &mut Vec<Command>) {
    let ctx = ui.ctx().clone();
    let here: Command = EditCommand::LabelOccurrencesOfFocused(Scope::Article).into();
    let everywhere: Command = EditCommand::LabelOccurrencesOfFocused(Scope::Project).into();
    let width = (article.width() - 24.0).max(120.0);
    egui::Area::new(egui::Id::unique("occurrence-offer"))
        .order(egui::Order::Foreground)
        .pivot(egui::Align2::CENTER_BOTTOM)
        .fixed_pos(egui::pos2(article.center().x, article.max.y - 10.0))
        .show(&ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_max_width(width);
                ui.horizontal_wrapped(|ui| {
                    InlineText::new(&offer.text, 16.0).color(ui.visuals().strong_text_color()).elide(width / 3.0).show(ui, renderer);
                    ui.label(format!("occurs {} more time(s) here without {}.", offer.in_article, offer.label));
                    if ui.button(with_key("Label them", &keymap.key_text(&ctx, &here))).clicked() {
                        commands.push(EditCommand::LabelOccurrences(offer.span_id, Scope::Article).into());
                    }
                    if ui.button(with_key("…and in every article", &keymap.key_text(&ctx, &everywhere))).clicked() {
                        commands.push(EditCommand::LabelOccurrences(offer.span_id, Scope::Project).into());
                    }
                    if ui.small_button("×").on_hover_text(keymap.hint(&ctx, &AppCommand::Escape.into(), "not now")).clicked() {
                        commands.push(EditCommand::DismissOffer.into());
                    }
                });
            });
        });
}

/// A button title with its key in brackets, when it has one.
pub(super) fn with_key(title: &str, key: &str) -> String {
    if key.is_empty() { title.to_owned() } else { format!("{title} ({key})") }
}

/// Draws the find bar, when open, and scrolls to the hit it moved to.
pub(super) fn reveal_find_hit(ui: &mut Ui, open: &OpenArticle, view: &mut ArticleView, keymap: &Keymap) {
    let hit = view.find.as_mut().and_then(|find| find_bar(ui, open, find, keymap));
    if let (Some(c), Some(text)) = (hit, &mut view.text) {
        text.scroll_to_char(c);
    }
}

/// The find bar: the query, its matches in the article, Enter to step through them. Returns the
/// start of the hit to bring into sight, when it moved to one.
fn find_bar(ui: &mut Ui, open: &OpenArticle, find: &mut FindBar, keymap: &Keymap) -> Option<usize> {
    let mut reveal = None;
    ui.horizontal(|ui| {
        ui.label("Find");
        let edit = ui.add(egui::TextEdit::singleline(&mut find.query).desired_width(240.0).hint_text("text or name"));
        if find.focus_requested {
            edit.request_focus();
            find.focus_requested = false;
        }
        let key = (find.query.clone(), open.text.as_ptr() as usize);
        if find.searched.as_ref() != Some(&key) {
            find.matches = find_all(&open.text, &find.query);
            find.current = 0;
            find.searched = Some(key);
            reveal = find.matches.first().map(|m| m.start);
        }
        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if enter && !find.matches.is_empty() {
            let back = ui.input(|i| i.modifiers.shift);
            let n = find.matches.len();
            find.current = if back { (find.current + n - 1) % n } else { (find.current + 1) % n };
            reveal = Some(find.matches[find.current].start);
            edit.request_focus();
        }
        let count = if find.matches.is_empty() { "no matches".to_owned() } else { format!("{} / {}", find.current + 1, find.matches.len()) };
        ui.label(RichText::new(count).weak());
        // Enter and Shift+Enter belong to the query field itself, not to the keymap.
        let back = ui.ctx().format_shortcut(&egui::KeyboardShortcut::new(egui::Modifiers::SHIFT, egui::Key::Enter));
        let close = keymap.key_text(ui.ctx(), &ViewCommand::ToggleFind.into());
        ui.label(RichText::new(format!("Enter: next · {back}: previous · {close}: close")).small().weak());
    });
    reveal
}
fn label_picker(ui: &Ui, schema: &Schema, keymap: &Keymap, range: Range<usize>, at: egui::Rect, commands: &mut Vec<Command>) {
    egui::Area::new(egui::Id::unique("label-picker")).order(egui::Order::Foreground).fixed_pos(Pos2::new(at.min.x, at.max.y + 4.0)).show(ui.ctx(), |ui| {
        egui::Frame::popup(ui.style()).show(ui, |ui| {
            ui.horizontal(|ui| {
                for label in &schema.labels {
                    let key = keymap.key_text(ui.ctx(), &ViewCommand::Label(label.name.clone()).into());
                    let text = RichText::new(format!("{} {key}", label.name).trim_end().to_owned()).color(Color32::WHITE).strong();
                    let button = egui::Button::new(text).fill(label_color(schema, &label.name));
                    if ui.add(button).on_hover_text(&label.description).clicked() {
                        commands.push(EditCommand::LabelRange(range.clone(), label.name.clone()).into());
                    }
                }
            });
        });
    });
}

/// The context menu of an entity; returns whether it closed.
fn entity_menu(ui: &Ui, schema: &Schema, keymap: &Keymap, id: u64, pending: bool, at: Pos2, commands: &mut Vec<Command>) -> bool {
    let mut chosen = false;
    let key = |command: EditCommand| keymap.key_text(ui.ctx(), &command.into());
    let area = egui::Area::new(egui::Id::unique("entity-menu")).order(egui::Order::Foreground).fixed_pos(at).show(ui.ctx(), |ui| {
        egui::Frame::popup(ui.style()).show(ui, |ui| {
            ui.set_min_width(220.0);
            if pending {
                ui.horizontal(|ui| {
                    if ui.button(with_key("Accept", &key(EditCommand::AcceptFocused))).clicked() {
                        commands.push(EditCommand::Accept(id).into());
                        chosen = true;
                    }
                    if ui.button(with_key("Reject", &key(EditCommand::RejectFocused))).clicked() {
                        commands.push(EditCommand::Reject(id).into());
                        chosen = true;
                    }
                });
                ui.separator();
            }
            ui.label(RichText::new(if pending { "Accept as" } else { "Relabel" }).weak());
            ui.horizontal_wrapped(|ui| {
                for label in &schema.labels {
                    if label_chip(ui, schema, &label.name).clicked() {
                        commands.push(EditCommand::Relabel(id, label.name.clone()).into());
                        chosen = true;
                    }
                }
            });
            ui.separator();
            if ui.button("Delete").clicked() {
                commands.push(EditCommand::Delete(id).into());
                chosen = true;
            }
            if ui.button("Label every occurrence in this article").clicked() {
                commands.push(EditCommand::LabelOccurrences(id, Scope::Article).into());
                chosen = true;
            }
            if ui.button("Label every occurrence in the project").clicked() {
                commands.push(EditCommand::LabelOccurrences(id, Scope::Project).into());
                chosen = true;
            }
        });
    });
    let clicked_elsewhere = ui.input(|i| i.pointer.any_pressed()) && !area.response.contains_pointer();
    chosen || (clicked_elsewhere && !ui.input(|i| i.pointer.secondary_pressed()))
}

/// What the editor shows for an article that could not be opened.
pub fn unreadable_article(ui: &mut Ui, session: &Session) -> Vec<Command> {
    let mut commands = Vec::new();
    let Some(index) = session.unreadable_selected else {
        ui.label("No article.");
        return commands;
    };
    let entry = &session.articles[index];
    ui.heading(&entry.rel);
    if let Some(trouble) = &entry.trouble {
        ui.label(RichText::new(trouble).color(ui.visuals().warn_fg_color));
    }
    if let Some(encoding) = entry.decodable
        && ui.button(format!("Open it decoded as {encoding}")).clicked()
    {
        commands.push(EditCommand::OpenDecoded(index).into());
    }
    commands
}
