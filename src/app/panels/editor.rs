//! The editor pane: label legend, search bar, the article with its entities, the label picker
//! that appears at a fresh selection, and the context menu of an entity.

use std::ops::Range;
use std::time::Instant;

use egui::{Color32, Pos2, RichText, Ui};

use super::{label_chip, label_color};
use crate::app::commands::{Command, Scope};
use crate::app::session::{OccurrenceOffer, OpenArticle};
use crate::arabic::{NormalizeOptions, normalize};
use crate::model::{Schema, SpanState};
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

/// Editor state that is not part of the session: popups and the find bar.
#[derive(Default)]
pub struct EditorState {
    /// The find bar, when open.
    pub find: Option<FindBar>,
    /// An entity's context menu: which entity and where.
    pub context_menu: Option<(u64, Pos2)>,
    /// Character under the pointer.
    pub hovered: Option<usize>,
    picker_for: Option<Range<usize>>,
}

impl EditorState {
    /// Opens or closes the find bar.
    pub fn toggle_find(&mut self) {
        self.find = match self.find.take() {
            Some(_) => None,
            None => Some(FindBar { focus_requested: true, ..FindBar::default() }),
        };
    }

    /// Closes popups (Escape).
    pub fn close_popups(&mut self) {
        self.context_menu = None;
        self.picker_for = None;
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

/// The highlights for an article: entities by label colour (filled when accepted, dashed when
/// proposed), the focused one emphasised, spans with problems outlined in red, search hits.
pub fn article_highlights(open: &OpenArticle, schema: &Schema, find: Option<&FindBar>, now: Instant) -> Vec<Highlight> {
    let flagged: Vec<u64> = open.problems.iter().filter(|p| !p.kind.is_fixed()).filter_map(|p| p.span_id).collect();
    let flashing = open.flash_until.filter(|(_, until)| *until > now).map(|(id, _)| id);
    let length = open.view.doc.paragraphs().last().map_or(0, |p| p.chars().end);
    let mut out: Vec<Highlight> = open
        .visible_spans()
        .filter(|s| s.start < s.end && s.end <= length)
        .map(|span| {
            let color = label_color(schema, &span.label);
            let mut style = match span.state {
                SpanState::Pending => HighlightStyle::dashed(color),
                _ => HighlightStyle::filled(color),
            };
            if flashing == Some(span.id) {
                style.fill = Some(color.gamma_multiply(0.75));
            }
            if flagged.contains(&span.id) {
                style.outline = Some((Color32::from_rgb(0xd0, 0x30, 0x30), OutlineKind::Dashed));
            }
            Highlight { range: span.range(), style: style.with_focus(open.focused == Some(span.id)) }
        })
        .collect();
    if let Some(find) = find {
        let hit = Color32::from_rgb(0xf0, 0xc0, 0x20);
        out.extend(find.matches.iter().enumerate().map(|(i, range)| Highlight {
            range: range.clone(),
            style: HighlightStyle { fill: (i == find.current).then_some(hit.gamma_multiply(0.5)), ..HighlightStyle::outlined(hit) },
        }));
    }
    out.sort_by_key(|h| h.range.start);
    out
}

/// The innermost visible entity containing a character.
fn entity_at(open: &OpenArticle, c: usize) -> Option<u64> {
    open.visible_spans().filter(|s| s.start <= c && c < s.end).min_by_key(|s| s.end - s.start).map(|s| s.id)
}

/// Draws the editor pane and returns the user's commands.
pub fn editor_panel(
    ui: &mut Ui,
    open: &mut OpenArticle,
    schema: &Schema,
    renderer: &mut TextRenderer,
    state: &mut EditorState,
    offer: Option<&OccurrenceOffer>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal_wrapped(|ui| {
        for label in &schema.labels {
            let hotkey = label.hotkey.map(|k| format!("{k} ")).unwrap_or_default();
            let chip = label_chip(ui, schema, &label.name).on_hover_text(format!("{hotkey}{}: {}", label.name, label.description));
            if chip.clicked() {
                commands.push(Command::Label(label.name.clone()));
            }
            if let Some(key) = label.hotkey {
                ui.label(RichText::new(key.to_string()).monospace().weak());
            }
        }
        if open.read_only.is_some() {
            ui.label(RichText::new("Not saving: the annotation file on disk is broken").color(ui.visuals().error_fg_color));
        }
    });
    if let Some(find) = &mut state.find {
        find_bar(ui, open, find);
    }
    if let Some(offer) = offer {
        offer_bar(ui, offer, renderer, &mut commands);
    }
    ui.separator();
    commands.extend(article_view(ui, open, schema, renderer, state, &[]).0);
    commands
}

/// The article with its entities (and `extra` highlights, for review mode's diff): selection,
/// label picker, clicks and context menus. Returns the commands and what the text view saw.
pub fn article_view(
    ui: &mut Ui,
    open: &mut OpenArticle,
    schema: &Schema,
    renderer: &mut TextRenderer,
    state: &mut EditorState,
    extra: &[Highlight],
) -> (Vec<Command>, TextViewOutput) {
    let mut commands = Vec::new();
    let mut highlights = article_highlights(open, schema, state.find.as_ref(), Instant::now());
    if !extra.is_empty() {
        highlights.extend_from_slice(extra);
        highlights.sort_by_key(|h| h.range.start);
    }
    let snap_word = |text: &str, c: usize| crate::arabic::snap_to_word(text, c);
    let output = TextView::new("article", &highlights).word_at(&snap_word).show(ui, renderer, &mut open.view);
    state.hovered = output.hovered;
    if open.flash_until.is_some_and(|(_, until)| until > Instant::now()) {
        ui.ctx().request_repaint();
    }

    if output.selection_finished
        && let Some(selection) = open.view.selection.clone()
    {
        // Drags snap to whole words without their proclitics; Alt keeps the exact characters.
        if !ui.input(|i| i.modifiers.alt) {
            let snapped = crate::arabic::snap_range(&open.text, selection);
            open.view.selection = (!snapped.is_empty()).then_some(snapped);
        }
        state.picker_for = open.view.selection.clone();
        state.context_menu = None;
    }
    if open.view.selection.is_none() || open.view.selection != state.picker_for {
        state.picker_for = None;
    }
    if let Some(c) = output.clicked {
        state.context_menu = None;
        if let Some(id) = entity_at(open, c) {
            commands.push(Command::SelectEntity(id));
        }
    }
    if let Some(c) = output.secondary_clicked
        && let Some(id) = entity_at(open, c)
    {
        let at = ui.input(|i| i.pointer.interact_pos()).unwrap_or_default();
        state.context_menu = Some((id, at));
        commands.push(Command::SelectEntity(id));
    }

    if let (Some(range), Some(rect)) = (state.picker_for.clone(), output.selection_rect) {
        label_picker(ui, schema, range, rect, &mut commands);
    }
    if let Some((id, at)) = state.context_menu {
        let pending = open.annotation.span(id).is_some_and(|s| s.state == SpanState::Pending);
        let closed = entity_menu(ui, schema, id, pending, at, &mut commands);
        if closed {
            state.context_menu = None;
        }
    }
    (commands, output)
}

/// After an entity is accepted: label its other occurrences too?
fn offer_bar(ui: &mut Ui, offer: &OccurrenceOffer, renderer: &mut TextRenderer, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        InlineText::new(&offer.text, 16.0).show(ui, renderer);
        ui.label(format!("occurs {} more time(s) in this article without {}.", offer.in_article, offer.label));
        if ui.button("Label them (Shift+O)").clicked() {
            commands.push(Command::LabelOccurrences(offer.span_id, Scope::Article));
        }
        if ui.button("…and in every article (Ctrl+Shift+O)").clicked() {
            commands.push(Command::LabelOccurrences(offer.span_id, Scope::Project));
        }
        if ui.small_button("×").on_hover_text("Not now").clicked() {
            commands.push(Command::DismissOffer);
        }
    });
}

/// The find bar: the query, its matches in the article, Enter to step through them.
pub(super) fn find_bar(ui: &mut Ui, open: &mut OpenArticle, find: &mut FindBar) {
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
            if let Some(first) = find.matches.first() {
                open.view.scroll_to_char(first.start);
            }
        }
        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if enter && !find.matches.is_empty() {
            let back = ui.input(|i| i.modifiers.shift);
            let n = find.matches.len();
            find.current = if back { (find.current + n - 1) % n } else { (find.current + 1) % n };
            open.view.scroll_to_char(find.matches[find.current].start);
            edit.request_focus();
        }
        let count = if find.matches.is_empty() { "no matches".to_owned() } else { format!("{} / {}", find.current + 1, find.matches.len()) };
        ui.label(RichText::new(count).weak());
        ui.label(RichText::new("Enter: next · Shift+Enter: previous · Ctrl+F: close").small().weak());
    });
}

fn label_picker(ui: &Ui, schema: &Schema, range: Range<usize>, at: egui::Rect, commands: &mut Vec<Command>) {
    egui::Area::new(egui::Id::unique("label-picker")).order(egui::Order::Foreground).fixed_pos(Pos2::new(at.min.x, at.max.y + 4.0)).show(ui.ctx(), |ui| {
        egui::Frame::popup(ui.style()).show(ui, |ui| {
            ui.horizontal(|ui| {
                for label in &schema.labels {
                    let hotkey = label.hotkey.map(|k| format!(" {k}")).unwrap_or_default();
                    let text = RichText::new(format!("{}{hotkey}", label.name)).color(Color32::WHITE).strong();
                    let button = egui::Button::new(text).fill(label_color(schema, &label.name));
                    if ui.add(button).on_hover_text(&label.description).clicked() {
                        commands.push(Command::LabelRange(range.clone(), label.name.clone()));
                    }
                }
            });
        });
    });
}

/// The context menu of an entity; returns whether it closed.
fn entity_menu(ui: &Ui, schema: &Schema, id: u64, pending: bool, at: Pos2, commands: &mut Vec<Command>) -> bool {
    let mut chosen = false;
    let area = egui::Area::new(egui::Id::unique("entity-menu")).order(egui::Order::Foreground).fixed_pos(at).show(ui.ctx(), |ui| {
        egui::Frame::popup(ui.style()).show(ui, |ui| {
            ui.set_min_width(220.0);
            if pending {
                ui.horizontal(|ui| {
                    if ui.button("Accept (A)").clicked() {
                        commands.push(Command::Accept(id));
                        chosen = true;
                    }
                    if ui.button("Reject (X)").clicked() {
                        commands.push(Command::Reject(id));
                        chosen = true;
                    }
                });
                ui.separator();
            }
            ui.label(RichText::new(if pending { "Accept as" } else { "Relabel" }).weak());
            ui.horizontal_wrapped(|ui| {
                for label in &schema.labels {
                    if label_chip(ui, schema, &label.name).clicked() {
                        commands.push(Command::Relabel(id, label.name.clone()));
                        chosen = true;
                    }
                }
            });
            ui.separator();
            if ui.button("Delete").clicked() {
                commands.push(Command::Delete(id));
                chosen = true;
            }
            if ui.button("Label every occurrence in this article").clicked() {
                commands.push(Command::LabelOccurrences(id, Scope::Article));
                chosen = true;
            }
            if ui.button("Label every occurrence in the project").clicked() {
                commands.push(Command::LabelOccurrences(id, Scope::Project));
                chosen = true;
            }
        });
    });
    let clicked_elsewhere = ui.input(|i| i.pointer.any_pressed()) && !area.response.contains_pointer();
    chosen || (clicked_elsewhere && !ui.input(|i| i.pointer.secondary_pressed()))
}
