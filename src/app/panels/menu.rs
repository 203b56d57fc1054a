//! The menu bar, drawn from the keymap's menus: every item shows its binding's title and key.

use std::path::PathBuf;

use egui::Ui;

use crate::app::commands::{AppCommand, Command};
use crate::app::keymap::{Keymap, MenuEntry};

/// Draws the menus (and the project's name after them); returns the command picked.
pub fn menu_bar(ui: &mut Ui, keymap: &Keymap, recent: &[PathBuf], project_name: Option<&str>) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::MenuBar::new().ui(ui, |ui| {
        for menu in keymap.menus() {
            ui.menu_button(menu.title, |ui| {
                for entry in &menu.entries {
                    match entry {
                        MenuEntry::Item(command) => {
                            let Some(binding) = keymap.binding(command) else { continue };
                            let mut button = egui::Button::new(&binding.title);
                            if let Some(shortcut) = keymap.shortcut(command) {
                                button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
                            }
                            if ui.add(button).clicked() {
                                commands.push(command.clone());
                            }
                        }
                        MenuEntry::Separator => {
                            ui.separator();
                        }
                        MenuEntry::RecentProjects => {
                            ui.add_enabled_ui(!recent.is_empty(), |ui| {
                                ui.menu_button("Recent projects", |ui| {
                                    for path in recent {
                                        if ui.button(path.display().to_string()).clicked() {
                                            commands.push(AppCommand::OpenProject(path.clone()).into());
                                        }
                                    }
                                });
                            });
                        }
                    }
                }
            });
        }
        if let Some(name) = project_name {
            ui.separator();
            ui.label(egui::RichText::new(name).weak());
        }
    });
    commands
}
