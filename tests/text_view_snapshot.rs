//! Image snapshots of the text view, rendered by wgpu (lavapipe on the CPU in CI).
//!
//! The reference images in tests/snapshots/ were checked by eye before they were committed:
//! letters joined across highlight edges, digits left to right, highlights on their characters.
//! Regenerate with `UPDATE_SNAPSHOTS=1 cargo test --test text_view_snapshot` and look again.

mod common;

use std::sync::Arc;

use egui::{Color32, vec2};
use egui_kittest::Harness;
use tawsim::text_view::{Highlight, HighlightStyle, TextRenderer, TextView, TextViewState};

const TEXT: &str = "وجاء كلام الوزيرين في لندن بعد اجتماع دمشقوموسكو وروسيا، وأكد قرار مجلس الأمن رقم 2254 أن «الحل سياسي» (لافروف).";

fn char_range(needle: &str, skip: usize) -> std::ops::Range<usize> {
    let byte = TEXT.find(needle).expect("in text");
    let start = TEXT[..byte].chars().count();
    start + skip..start + needle.chars().count()
}

fn snapshot(name: &str, pixels_per_point: f32) {
    let Some(renderer) = common::gpu_renderer() else { return };
    let orange = Color32::from_rgb(0xe0, 0x6c, 0x00);
    let blue = Color32::from_rgb(0x1f, 0x77, 0xb4);
    let green = Color32::from_rgb(0x2c, 0xa0, 0x2c);
    let mut highlights = vec![
        // Starts inside a glued word: موسكو in دمشقوموسكو, and روسيا after its proclitic و.
        Highlight { range: char_range("دمشقوموسكو", 5), style: HighlightStyle::filled(orange) },
        Highlight { range: char_range("وروسيا", 1), style: HighlightStyle::filled(orange) },
        Highlight { range: char_range("2254", 0), style: HighlightStyle::filled(blue) },
        Highlight { range: char_range("لندن", 0), style: HighlightStyle::dashed(green) },
        Highlight { range: char_range("مجلس الأمن", 0), style: HighlightStyle::filled(green).with_focus(true) },
        Highlight { range: char_range("مجلس الأمن رقم 2254", 0), style: HighlightStyle::outlined(blue) },
    ];
    highlights.sort_by_key(|h| h.range.start);
    let mut text_renderer = TextRenderer::new();
    let mut state = TextViewState::new(Arc::from(TEXT), 22.0);
    let mut harness =
        Harness::builder().with_size(vec2(560.0, 190.0)).with_pixels_per_point(pixels_per_point).with_theme(egui::Theme::Light).renderer(renderer).build_ui(
            move |ui| {
                egui::CentralPanel::default().show(ui, |ui| {
                    TextView::new("snapshot", &highlights).show(ui, &mut text_renderer, &mut state);
                });
            },
        );
    harness.run();
    harness.snapshot(name);
}

#[test]
fn highlighted_arabic_paragraph() {
    snapshot("text_view_highlights", 1.0);
}

#[test]
fn highlighted_arabic_paragraph_at_double_density() {
    snapshot("text_view_highlights_2x", 2.0);
}
