//! The documents list: every article with its status and entity count, and a filter.

use egui::{RichText, Ui};

use crate::app::commands::{Command, EditCommand};
use crate::app::session::Session;
use crate::model::DocStatus;

/// A short word and colour for an article's status.
pub fn status_badge(status: DocStatus) -> (&'static str, egui::Color32) {
    match status {
        DocStatus::New => ("new", egui::Color32::from_gray(140)),
        DocStatus::InProgress => ("in progress", egui::Color32::from_rgb(0xd8, 0x9b, 0x2b)),
        DocStatus::Done => ("done", egui::Color32::from_rgb(0x3b, 0xa5, 0x5c)),
        DocStatus::Reviewed => ("reviewed", egui::Color32::from_rgb(0x4a, 0x90, 0xd9)),
    }
}

/// Draws the list; returns the article the user picked.
pub fn documents_panel(ui: &mut Ui, session: &Session, filter: &mut String) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        ui.heading("Articles");
        let (done, total) = session.progress();
        ui.label(RichText::new(format!("{done}/{total} done")).weak());
    });
    ui.add(egui::TextEdit::singleline(filter).hint_text("Filter by name or status").desired_width(f32::INFINITY));
    ui.separator();
    let needle = filter.trim().to_lowercase();
    let current = session.current_index();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        for (index, article) in session.articles.iter().enumerate() {
            let (status, color) = status_badge(article.status);
            if !needle.is_empty() && !article.rel.to_lowercase().contains(&needle) && !status.contains(&needle) {
                continue;
            }
            let selected = current == Some(index);
            let response = ui
                .horizontal(|ui| {
                    // The count and status keep their room on the right; a long name is cut.
                    let name_width = (ui.available_width() - 84.0).max(40.0);
                    let name = ui.scope(|ui| {
                        ui.set_max_width(name_width);
                        ui.add(egui::Button::selectable(selected, article.rel.as_str()).truncate())
                    });
                    let name = name.inner.on_hover_text(&article.rel);
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if article.trouble.is_some() {
                            // "!" rather than a warning sign: the bundled fonts have no ⚠.
                            ui.label(RichText::new("!").strong().color(ui.visuals().warn_fg_color));
                        } else {
                            ui.label(RichText::new(status).small().color(color));
                            ui.label(RichText::new(article.entities.to_string()).small().weak());
                        }
                    });
                    name
                })
                .inner;
            let response = match &article.trouble {
                Some(trouble) => response.on_hover_text(trouble),
                None => response,
            };
            if response.clicked() {
                commands.push(EditCommand::OpenArticle(index).into());
            }
            if selected && ui.ctx().input(|i| i.key_pressed(egui::Key::PageDown) || i.key_pressed(egui::Key::PageUp)) {
                response.scroll_to_me(None);
            }
        }
    });
    commands
}
