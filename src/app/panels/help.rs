//! The keyboard reference (F1), drawn from the keymap the keyboard uses.

use egui::{Context, RichText};

use crate::app::keymap::Keymap;

/// Shows the reference window while `open` is true.
pub fn keyboard_reference(ctx: &Context, keymap: &Keymap, open: &mut bool) {
    egui::Window::new("Keyboard reference").open(open).collapsible(false).resizable(true).default_width(560.0).min_width(480.0).default_height(600.0).show(
        ctx,
        |ui| {
            let keyed: Vec<_> = keymap.bindings().iter().chain(keymap.search_bindings()).filter(|b| b.shortcut.is_some()).collect();
            let mut groups: Vec<&str> = Vec::new();
            for binding in &keyed {
                if !groups.contains(&binding.group) {
                    groups.push(binding.group);
                }
            }
            egui::ScrollArea::vertical().show(ui, |ui| {
                for group in groups {
                    ui.label(RichText::new(group).strong());
                    egui::Grid::new(("keys", group)).num_columns(2).striped(true).show(ui, |ui| {
                        for binding in keyed.iter().filter(|b| b.group == group) {
                            if let Some(shortcut) = &binding.shortcut {
                                ui.label(RichText::new(ctx.format_shortcut(shortcut)).monospace());
                                ui.label(&binding.title);
                                ui.end_row();
                            }
                        }
                    });
                    ui.add_space(6.0);
                }
                ui.label(RichText::new("Mouse").strong());
                egui::Grid::new("mouse").num_columns(2).striped(true).show(ui, |ui| {
                    for (what, does) in [
                        ("drag", "select, snapping to whole words without their proclitics"),
                        ("Alt + drag", "select exact characters"),
                        ("double-click", "select a word without its proclitics"),
                        ("right-click an entity", "relabel, delete, label every occurrence"),
                        ("click an entity", "focus it"),
                    ] {
                        ui.label(RichText::new(what).monospace());
                        ui.add(egui::Label::new(does).wrap());
                        ui.end_row();
                    }
                });
            });
        },
    );
}
