//! The status bar: progress, what is under the pointer, save state and the latest message with
//! the keys it suggests.

use std::time::Duration;

use egui::{RichText, Ui};

use crate::app::commands::{AppCommand, Command, EditCommand};
use crate::app::keymap::Keymap;
use crate::app::session::{Notice, Session};
use crate::app::view::ArticleView;
use crate::text_view::TextRenderer;
use crate::text_view::widget::InlineText;

/// How long a message stays in the status bar; errors stay longer.
const MESSAGE_SHOWN: Duration = Duration::from_secs(8);
/// How long an error stays in the status bar.
const ERROR_SHOWN: Duration = Duration::from_secs(30);

/// Draws the status bar.
pub fn status_bar(ui: &mut Ui, session: &Session, view: &ArticleView, keymap: &Keymap, renderer: &mut TextRenderer) -> Vec<Command> {
    let ctx = ui.ctx().clone();
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        if session.locked_out() {
            ui.label(RichText::new("read only").color(ui.visuals().error_fg_color)).on_hover_text(session.read_only_reason().unwrap_or_default());
            if ui.small_button("Take over").on_hover_text("The program named holds this annotator's files; take them over if it is gone").clicked() {
                commands.push(AppCommand::TakeOverLock.into());
            }
            ui.separator();
        }
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
            let pending = open.pending_count();
            if pending > 0 {
                ui.separator();
                let keys = [(EditCommand::AcceptFocused, "accept"), (EditCommand::RejectFocused, "reject"), (EditCommand::NextProposal, "next")]
                    .map(|(command, what)| keymap.hint(&ctx, &command.into(), what))
                    .join(" · ");
                ui.label(format!("{pending} proposal(s) to decide: {keys}"));
            }
            if let Some(selection) = view.selection() {
                ui.separator();
                ui.label(format!("selection {}..{}", selection.start, selection.end));
            } else if let Some(c) = view.hovered {
                ui.separator();
                ui.label(format!("character {c}"));
            }
        }
        // The latest message, for a while: it quotes names, so it goes through the bidi-aware
        // text engine, cut to the bar's width.
        if let Some(notice) = session.notices.last() {
            let shown_for = if notice.error { ERROR_SHOWN } else { MESSAGE_SHOWN };
            if let Some(left) = shown_for.checked_sub(notice.at.elapsed()) {
                ui.separator();
                let color = if notice.error { ui.visuals().error_fg_color } else { ui.visuals().weak_text_color() };
                let width = ui.available_width();
                InlineText::new(&notice_text(&ctx, notice, keymap), 13.0).color(color).elide(width).show(ui, renderer);
                ctx.request_repaint_after(left);
            }
        }
    });
    commands
}

/// A notice with its hints: `every disagreement is decided; Ctrl+Enter marks it reviewed`.
pub fn notice_text(ctx: &egui::Context, notice: &Notice, keymap: &Keymap) -> String {
    let mut text = notice.text.clone();
    for hint in &notice.hints {
        text.push_str("; ");
        text.push_str(&keymap.hint(ctx, &hint.command, &hint.what));
    }
    text
}
