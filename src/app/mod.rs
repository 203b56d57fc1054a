//! The eframe application: the article browser over the bundled sample project.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::text_view::{TextRenderer, TextView, TextViewState, fonts, widget::DEFAULT_FONT_SIZE, zoom_shortcuts};

/// Key under which the article font size is remembered between runs.
const FONT_SIZE_KEY: &str = "tawsim.font_size";

/// An article loaded for viewing.
pub struct Article {
    /// Path relative to the corpus folder.
    pub name: String,
    /// The text, or why it could not be read.
    pub text: Result<Arc<str>, String>,
}

/// Reads every `.txt` file under a folder (sorted by path).
pub fn load_articles(folder: &Path) -> Vec<Article> {
    let mut paths = Vec::new();
    collect_txt(folder, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let name = path.strip_prefix(folder).unwrap_or(&path).display().to_string();
            let text = std::fs::read(&path)
                .map_err(|e| format!("{}: {e}", path.display()))
                .and_then(|bytes| {
                    String::from_utf8(bytes).map_err(|e| {
                        format!("{}: not UTF-8 (byte {})", path.display(), e.utf8_error().valid_up_to())
                    })
                })
                .map(Arc::from);
            Article { name, text }
        })
        .collect()
}

fn collect_txt(folder: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_txt(&path, out);
        } else if path.extension().is_some_and(|e| e == "txt") {
            out.push(path);
        }
    }
}

/// The main window.
pub struct TawsimApp {
    renderer: TextRenderer,
    articles: Vec<Article>,
    current: usize,
    view: Option<TextViewState>,
    font_size: f32,
    hovered: Option<usize>,
}

impl TawsimApp {
    /// Sets up fonts and loads the articles of `corpus`.
    pub fn new(cc: &eframe::CreationContext<'_>, corpus: &Path) -> Self {
        cc.egui_ctx.set_fonts(fonts::egui_font_definitions());
        // Ctrl +/- zoom the article text, not the whole interface.
        cc.egui_ctx.options_mut(|o| o.zoom_with_keyboard = false);
        let font_size = cc
            .storage
            .and_then(|s| eframe::get_value::<f32>(s, FONT_SIZE_KEY))
            .unwrap_or(DEFAULT_FONT_SIZE);
        let articles = load_articles(corpus);
        let mut app = Self { renderer: TextRenderer::new(), articles, current: 0, view: None, font_size, hovered: None };
        app.open(0);
        app
    }

    fn open(&mut self, index: usize) {
        self.current = index;
        self.view = self
            .articles
            .get(index)
            .and_then(|a| a.text.as_ref().ok())
            .map(|text| TextViewState::new(text.clone(), self.font_size));
    }
}

impl eframe::App for TawsimApp {
    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, FONT_SIZE_KEY, &self.font_size);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let quit = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::Q);
        if ui.ctx().input_mut(|i| i.consume_shortcut(&quit)) {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
        if zoom_shortcuts(ui.ctx(), &mut self.font_size)
            && let Some(view) = &mut self.view
        {
            view.font_size = self.font_size;
        }
        let mut open = None;
        egui::Panel::left("documents").resizable(true).default_size(220.0).show(ui, |ui| {
            ui.heading("Articles");
            for (index, article) in self.articles.iter().enumerate() {
                let label = match &article.text {
                    Ok(text) => format!("{}  ({} chars)", article.name, text.chars().count()),
                    Err(_) => format!("{}  (unreadable)", article.name),
                };
                let response = ui.selectable_label(index == self.current, label);
                if let Err(reason) = &article.text {
                    response.clone().on_hover_text(reason);
                }
                if response.clicked() {
                    open = Some(index);
                }
            }
        });
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(format!("Font size {:.0} (Ctrl +/−/0)", self.font_size));
                if let Some(c) = self.hovered {
                    ui.separator();
                    ui.label(format!("character {c}"));
                }
                if let Some(selection) = self.view.as_ref().and_then(|v| v.selection.clone()) {
                    ui.separator();
                    ui.label(format!("selection {}..{}", selection.start, selection.end));
                }
            });
        });
        egui::CentralPanel::default().show(ui, |ui| match &mut self.view {
            Some(view) => {
                let output = TextView::new("article", &[]).show(ui, &mut self.renderer, view);
                self.hovered = output.hovered;
            }
            None => {
                let reason = self.articles.get(self.current).and_then(|a| a.text.as_ref().err());
                ui.label(reason.map_or("No article in this folder.".to_owned(), |r| r.clone()));
            }
        });
        if let Some(index) = open {
            self.open(index);
        }
    }
}
