//! The corpus search window: the query and its options, the hits as keyword-in-context rows
//! (right-to-left, the hit in the middle) with how each is labelled now, and the keys of the list.
//! Drawing only; what the user asks of the hits comes back as commands.

use egui::{Key, RichText, Ui};

use super::kwic::{self, RowLook};
use crate::app::commands::{Command, SearchCommand};
use crate::app::corpus::CorpusIndexState;
use crate::app::keymap::Keymap;
use crate::app::search_window::SearchWindow;
use crate::model::Schema;
use crate::text_view::TextRenderer;

/// The query field's id.
pub fn query_id() -> egui::Id {
    egui::Id::unique("tawsim-corpus-search-query")
}

/// The list's id: while it has the keyboard, its keys are the window's.
pub fn list_id() -> egui::Id {
    egui::Id::unique("tawsim-corpus-search-list")
}

/// Whether the search window's list has the keyboard (so plain keys are its own).
pub fn list_has_focus(ctx: &egui::Context) -> bool {
    ctx.memory(|m| m.has_focus(list_id()))
}

/// Whether the query field has the keyboard.
pub fn query_has_focus(ctx: &egui::Context) -> bool {
    ctx.memory(|m| m.has_focus(query_id()))
}

/// Draws the window while `window.open`; returns what the user asked for.
pub fn search_window(
    ctx: &egui::Context,
    window: &mut SearchWindow,
    corpus: &CorpusIndexState,
    schema: &Schema,
    keymap: &Keymap,
    renderer: &mut TextRenderer,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = window.open;
    kwic::bottom_window(ctx, "Corpus search").open(&mut open).show(ctx, |ui| {
        query_row(ui, window, corpus, schema, &mut commands);
        status_row(ui, window, corpus, keymap);
        ui.separator();
        hit_list(ui, window, corpus, schema, keymap, renderer, &mut commands);
    });
    window.open = open;
    commands
}

/// The query field and the options.
fn query_row(ui: &mut Ui, window: &mut SearchWindow, corpus: &CorpusIndexState, schema: &Schema, commands: &mut Vec<Command>) {
    // Down from the query goes to the list; taken before the field sees it.
    if query_has_focus(ui.ctx()) && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, Key::ArrowDown)) {
        ui.memory_mut(|m| m.request_focus(list_id()));
        commands.push(SearchCommand::Step(1).into());
    }
    let edit = egui::TextEdit::singleline(&mut window.input)
        .id(query_id())
        .desired_width(f32::INFINITY)
        .font(egui::FontId::proportional(16.0))
        .hint_text("a name or phrase; label:ORG, unlabelled, from:NAME filter");
    let response = ui.add(edit);
    if window.focus_query {
        // All of the query selected: typing replaces it, an arrow key keeps it.
        let mut state = egui::TextEdit::load_state(ui.ctx(), query_id()).unwrap_or_default();
        state.cursor.set_char_range(Some(egui::text_selection::CCursorRange::select_all_str(&window.input)));
        egui::TextEdit::store_state(ui.ctx(), query_id(), state);
        response.request_focus();
        window.focus_query = false;
    }
    if response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
        // Enter: to the hits, the first one under the cursor.
        ui.memory_mut(|m| m.request_focus(list_id()));
        if window.cursor.is_none() {
            commands.push(SearchCommand::Step(1).into());
        }
    }
    ui.horizontal(|ui| {
        ui.checkbox(&mut window.regex, "regular expression").on_hover_text("over the normalized text (Rust regex syntax); matches inside words too");
        ui.checkbox(&mut window.unlabelled, "unlabelled only");
        ui.label("label");
        egui::ComboBox::from_id_salt("corpus-search-label").selected_text(window.label.as_deref().unwrap_or("any")).show_ui(ui, |ui| {
            ui.selectable_value(&mut window.label, None, "any");
            for label in &schema.labels {
                ui.selectable_value(&mut window.label, Some(label.name.clone()), &label.name);
            }
        });
        ui.label("spans of");
        egui::ComboBox::from_id_salt("corpus-search-annotator").selected_text(window.annotator.as_deref().unwrap_or("everyone")).show_ui(ui, |ui| {
            ui.selectable_value(&mut window.annotator, None, "everyone");
            // Looked up while the list is open only: it goes over every article.
            for name in corpus.index().map(|i| i.annotators()).unwrap_or_default() {
                ui.selectable_value(&mut window.annotator, Some(name.clone()), name);
            }
        });
    });
}

/// Where the index is, how many hits, and the keys of the list.
fn status_row(ui: &mut Ui, window: &SearchWindow, corpus: &CorpusIndexState, keymap: &Keymap) {
    ui.horizontal(|ui| {
        if kwic::index_status(ui, corpus) {
            match &window.error {
                Some(why) => {
                    ui.label(RichText::new(why).color(ui.visuals().error_fg_color));
                }
                None if window.input.trim().is_empty() => {
                    ui.label(RichText::new("Type a word or name: every occurrence in the project, proclitics and spellings aside.").weak());
                }
                None => {
                    let hits = &window.hits;
                    // Hits come by article: each article starts where the path changes.
                    let articles = hits.iter().enumerate().filter(|(i, h)| *i == 0 || hits[i - 1].rel != h.rel).count();
                    ui.label(RichText::new(format!("{} hit(s) in {articles} article(s)", hits.len())).strong());
                    if !window.selected.is_empty() {
                        ui.label(format!("· {} selected", window.selected.len()));
                    }
                }
            }
        }
        if let Some(index) = corpus.index()
            && !index.unreadable().is_empty()
        {
            let list: Vec<String> = index.unreadable().iter().map(|u| u.message.clone()).collect();
            ui.label(RichText::new(format!("· {} file(s) could not be read", list.len())).color(ui.visuals().warn_fg_color)).on_hover_text(list.join("\n"));
        }
    });
    ui.label(RichText::new(list_keys(ui.ctx(), keymap)).small().weak());
}

/// The list's keys in a line: `↓ ↑ move · Enter open · 1 PERS · 2 LOC … · Delete remove`.
fn list_keys(ctx: &egui::Context, keymap: &Keymap) -> String {
    let key = |command: SearchCommand| {
        let command = Command::from(command);
        keymap.search_bindings().iter().find(|b| b.command == command).and_then(|b| b.shortcut).map(|s| ctx.format_shortcut(&s)).unwrap_or_default()
    };
    let mut parts = vec![
        format!("{} {} move", key(SearchCommand::Step(1)), key(SearchCommand::Step(-1))),
        format!("{} or click: open the article there", key(SearchCommand::Open)),
        format!("Shift+click, Ctrl+click, {}: select several", key(SearchCommand::Extend(1))),
    ];
    let labels: Vec<String> = keymap
        .search_bindings()
        .iter()
        .filter_map(|b| match &b.command {
            Command::Search(SearchCommand::Label(label)) => Some(format!("{} {label}", b.shortcut.map(|s| ctx.format_shortcut(&s)).unwrap_or_default())),
            _ => None,
        })
        .collect();
    if !labels.is_empty() {
        parts.push(format!("{}: label them", labels.join(" ")));
    }
    parts.push(format!("{}: remove their entities", key(SearchCommand::Delete)));
    parts.join(" · ")
}

/// The hits, a screenful at a time; the list's keys while it has the keyboard.
fn hit_list(
    ui: &mut Ui,
    window: &mut SearchWindow,
    corpus: &CorpusIndexState,
    schema: &Schema,
    keymap: &Keymap,
    renderer: &mut TextRenderer,
    commands: &mut Vec<Command>,
) {
    if list_has_focus(ui.ctx()) {
        let filter = egui::EventFilter { tab: true, horizontal_arrows: true, vertical_arrows: true, escape: false };
        ui.memory_mut(|m| m.set_focus_lock_filter(list_id(), filter));
        ui.input_mut(|input| {
            for (shortcut, command) in keymap.search_keyed() {
                for _ in 0..input.count_and_consume_key(shortcut.modifiers, shortcut.logical_key) {
                    commands.push(command.clone());
                }
            }
        });
    }
    let row_height = kwic::row_height();
    let spacing = ui.spacing().item_spacing.y;
    let count = window.hits.len();
    let mut area = egui::ScrollArea::vertical().id_salt("corpus-search-hits").auto_shrink([false, false]);
    if window.scroll_to_cursor
        && let Some(cursor) = window.cursor
    {
        window.scroll_to_cursor = false;
        let (offset, height) = ui.data(|d| d.get_temp::<(f32, f32)>(list_id())).unwrap_or_default();
        let top = cursor as f32 * (row_height + spacing);
        if top < offset {
            area = area.vertical_scroll_offset(top);
        } else if top + row_height > offset + height {
            area = area.vertical_scroll_offset(top + row_height - height);
        }
    }
    let index = corpus.index();
    let modifiers = ui.input(|i| i.modifiers);
    let mut clicked = None;
    let output = area.show_rows(ui, row_height, count, |ui, rows| {
        for i in rows {
            let Some(hit) = window.hits.get(i) else { break };
            let context = index.and_then(|index| index.context(hit, kwic::CONTEXT_WORDS)).unwrap_or_default();
            let look = RowLook { selected: window.selected.contains(&i), cursor: window.cursor == Some(i) };
            if kwic::row(ui, renderer, &context, &hit.rel, look, |ui| kwic::hit_labels(ui, schema, &hit.labels)) {
                clicked = Some(i);
            }
        }
    });
    ui.data_mut(|d| d.insert_temp(list_id(), (output.state.clamped_offset().y, output.inner_rect.height())));
    // The list takes the keyboard as one widget; its rows only take clicks.
    ui.interact(output.inner_rect, list_id(), egui::Sense::focusable_noninteractive());
    if let Some(i) = clicked {
        ui.memory_mut(|m| m.request_focus(list_id()));
        commands.extend(window.click(i, modifiers.command, modifiers.shift, index));
    }
}
