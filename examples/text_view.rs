//! Shows one article in the tawsim text view with a few demonstration highlights.
//!
//! `cargo run --release --example text_view [FILE]` (default: the longest sample article).
//! Drag to select, double-click a word.

use std::sync::Arc;

use egui::Color32;
use tawsim::text_view::{Highlight, HighlightStyle, TextRenderer, TextView, TextViewState, fonts};

/// Character offset of the first occurrence of `needle` (plus `skip` characters), if any.
fn char_offset(text: &str, needle: &str, skip: usize) -> Option<std::ops::Range<usize>> {
    let byte = text.find(needle)?;
    let start = text[..byte].chars().count() + skip;
    Some(start..text[..byte].chars().count() + needle.chars().count())
}

/// Demonstration highlights: a name glued to a proclitic or another word (the highlight starts
/// inside the word), a number inside Arabic, a proposal outline and nested ranges.
fn demo_highlights(text: &str) -> Vec<Highlight> {
    let orange = Color32::from_rgb(0xe0, 0x6c, 0x00);
    let blue = Color32::from_rgb(0x1f, 0x77, 0xb4);
    let green = Color32::from_rgb(0x2c, 0xa0, 0x2c);
    let purple = Color32::from_rgb(0x94, 0x67, 0xbd);
    let mut out = Vec::new();
    let mut add = |found: Option<std::ops::Range<usize>>, style: HighlightStyle| {
        if let Some(range) = found {
            out.push(Highlight { range, style });
        }
    };
    add(char_offset(text, "دمشقوموسكو", 5), HighlightStyle::filled(orange));
    add(char_offset(text, "وروسيا", 1), HighlightStyle::filled(orange));
    add(char_offset(text, "2254", 0), HighlightStyle::filled(blue));
    add(char_offset(text, "83%", 0), HighlightStyle::filled(blue));
    add(char_offset(text, "مجلس الأمن", 0), HighlightStyle::dashed(green));
    add(char_offset(text, "مجلس الأمن رقم 2254", 0), HighlightStyle::filled(purple));
    add(char_offset(text, "حلب", 0), HighlightStyle::filled(green).with_focus(true));
    out.sort_by_key(|h| h.range.start);
    out
}

struct Demo {
    renderer: TextRenderer,
    view: TextViewState,
    highlights: Vec<Highlight>,
    status: String,
}

impl eframe::App for Demo {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::Panel::bottom("status").show(ui, |ui| ui.label(&self.status));
        egui::CentralPanel::default().show(ui, |ui| {
            let output = TextView::new("demo", &self.highlights).show(ui, &mut self.renderer, &mut self.view);
            self.status = format!("font {:.0}  hover {:?}  selection {:?}", self.view.font_size, output.hovered, self.view.selection);
        });
    }
}

fn main() -> eframe::Result {
    let path = std::env::args_os().nth(1).map(std::path::PathBuf::from).unwrap_or_else(|| tawsim::sample_corpus_dir().join("syria-news-digest.txt"));
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("text_view: cannot read {}: {error}", path.display());
            std::process::exit(2);
        }
    };
    let highlights = demo_highlights(&text);
    let text: Arc<str> = Arc::from(text);
    eframe::run_native(
        "tawsim text view",
        eframe::NativeOptions { viewport: egui::ViewportBuilder::default().with_inner_size([1000.0, 760.0]), ..Default::default() },
        Box::new(move |cc| {
            cc.egui_ctx.set_fonts(fonts::egui_font_definitions());
            cc.egui_ctx.options_mut(|o| o.zoom_with_keyboard = false);
            Ok(Box::new(Demo { renderer: TextRenderer::new(), view: TextViewState::new(text, 20.0), highlights, status: String::new() }))
        }),
    )
}
