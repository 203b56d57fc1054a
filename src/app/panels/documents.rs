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
    let shown: Vec<usize> = (0..session.articles.len())
        .filter(|&index| {
            let article = &session.articles[index];
            needle.is_empty() || article.rel.to_lowercase().contains(&needle) || status_badge(article.status).0.contains(&needle)
        })
        .collect();
    // Only the rows on screen are laid out: a project of thousands of articles costs the same
    // frame as one of ten.
    let row_height = ui.spacing().interact_size.y;
    let focus_row = current.and_then(|c| shown.iter().position(|&index| index == c));
    let area = super::entities::list_following_focus(ui, "documents", current.map(|c| c as u64), focus_row, row_height);
    area.show_rows(ui, row_height, shown.len(), |ui, rows| {
        for &index in &shown[rows] {
            let article = &session.articles[index];
            let (status, color) = status_badge(article.status);
            let selected = current == Some(index);
            let response = ui
                .horizontal(|ui| {
                    ui.set_min_height(row_height);
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
        }
    });
    commands
}
