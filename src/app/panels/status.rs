//! The status bar: progress, what is under the pointer, save state and the latest message.

use egui::{RichText, Ui};

use crate::app::session::Session;

/// Draws the status bar.
pub fn status_bar(ui: &mut Ui, session: &Session, hovered: Option<usize>) {
    ui.horizontal(|ui| {
        let (done, total) = session.progress();
        ui.label(format!("{done} / {total} articles done"));
        ui.separator();
        // Review mode edits the gold files; say so rather than naming "gold" as a person.
        ui.label(if session.annotator == crate::store::GOLD { "reviewing: gold files".to_owned() } else { format!("annotator: {}", session.annotator) });
        if let Some(open) = &session.open {
            ui.separator();
            ui.label(if open.read_only.is_some() {
                RichText::new("not saving").color(ui.visuals().error_fg_color)
            } else if open.is_dirty() {
                RichText::new("saving…").weak()
            } else {
                RichText::new("saved").weak()
            });
            let pending = open.pending_spans().count();
            if pending > 0 {
                ui.separator();
                ui.label(format!("{pending} proposal(s) to decide: A accept · X reject · N next"));
            }
            if let Some(selection) = &open.view.selection {
                ui.separator();
                ui.label(format!("selection {}..{}", selection.start, selection.end));
            } else if let Some(c) = hovered {
                ui.separator();
                ui.label(format!("character {c}"));
            }
        }
        if let Some(notice) = session.notices.last() {
            ui.separator();
            let color = if notice.error { ui.visuals().error_fg_color } else { ui.visuals().weak_text_color() };
            ui.label(RichText::new(&notice.text).color(color));
        }
    });
}
