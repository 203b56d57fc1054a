//! Text view speed: layout, cached repaint, hit-testing, and a 1 MB article.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use egui::pos2;
use tawsim::text_view::atlas::GlyphAtlas;
use tawsim::text_view::scene::{SceneRequest, build_scene};
use tawsim::text_view::{DocumentLayout, Highlight, HighlightStyle, LayoutEngine, TextRenderer, TextView, TextViewState};

const VIEW_HEIGHT: f32 = 800.0;

fn digest() -> Arc<str> {
    let path = tawsim::sample_corpus_dir().join("syria-news-digest.txt");
    Arc::from(std::fs::read_to_string(path).expect("sample article"))
}

/// Highlights every 40 characters, like a densely annotated article.
fn dense_highlights(text: &str) -> Vec<Highlight> {
    let len = text.chars().count();
    (0..len.saturating_sub(8))
        .step_by(40)
        .map(|start| Highlight { range: start..start + 7, style: HighlightStyle::filled(egui::Color32::from_rgb(200, 120, 0)) })
        .collect()
}

fn resident_mib() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: f64 = statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0.0);
    pages * 4096.0 / (1024.0 * 1024.0)
}

fn layout_benches(c: &mut Criterion) {
    let text = digest();
    let mut engine = LayoutEngine::new();
    c.bench_function("layout syria-news-digest cold at 900px", |b| {
        b.iter(|| {
            let mut doc = DocumentLayout::new(text.clone());
            doc.set_geometry(900.0, 20.0);
            doc.layout_all(&mut engine);
            black_box(doc.total_height())
        })
    });

    let mut doc = DocumentLayout::new(text.clone());
    doc.set_geometry(900.0, 20.0);
    doc.layout_all(&mut engine);
    let highlights = dense_highlights(&text);
    let mut atlas = GlyphAtlas::new(2048);
    let mut y = 0.0;
    c.bench_function("repaint with cached layout (scene for one screen)", |b| {
        b.iter(|| {
            let request = SceneRequest { origin: pos2(0.0, 0.0), pixels_per_point: 1.0, band: y..y + VIEW_HEIGHT, highlights: &highlights };
            let scene = build_scene(&mut doc, &mut engine, &mut atlas, &request);
            y = (y + 97.0) % (doc.total_height() - VIEW_HEIGHT);
            black_box(scene.glyphs.len())
        })
    });

    let total = doc.total_height();
    let mut i = 0u32;
    c.bench_function("hit-test one point", |b| {
        b.iter(|| {
            i = i.wrapping_add(7919);
            let x = (i % 900) as f32;
            let y = (i.wrapping_mul(31) % total as u32) as f32;
            black_box(doc.hit_test(x, y))
        })
    });
}

/// A whole egui frame (layout, scene, tessellation) of the widget, as the app pays it.
fn frame_benches(c: &mut Criterion) {
    let text = digest();
    let ctx = egui::Context::default();
    let mut renderer = TextRenderer::new();
    let mut state = TextViewState::new(text.clone(), 20.0);
    let highlights = dense_highlights(&text);
    let input = || egui::RawInput { screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1000.0, VIEW_HEIGHT))), ..Default::default() };
    let mut frame = |state: &mut TextViewState| {
        let output = ctx.run_ui(input(), |ui| {
            TextView::new("bench", &highlights).show(ui, &mut renderer, state);
        });
        black_box(ctx.tessellate(output.shapes, output.pixels_per_point).len())
    };
    for _ in 0..200 {
        frame(&mut state);
    }
    c.bench_function("egui frame, idle, syria-news-digest with highlights", |b| b.iter(|| frame(&mut state)));
}

fn big_document_benches(c: &mut Criterion) {
    let text: Arc<str> = Arc::from(tawsim::synthetic::arabic_article(1 << 20));
    let mut engine = LayoutEngine::new();
    let mut atlas = GlyphAtlas::new(2048);
    let none: Vec<Highlight> = Vec::new();
    c.bench_function("1 MB article: first screen (split, lay out visible, scene)", |b| {
        b.iter(|| {
            let mut doc = DocumentLayout::new(text.clone());
            doc.set_geometry(900.0, 20.0);
            let request = SceneRequest { origin: pos2(0.0, 0.0), pixels_per_point: 1.0, band: 0.0..VIEW_HEIGHT, highlights: &none };
            black_box(build_scene(&mut doc, &mut engine, &mut atlas, &request).glyphs.len())
        })
    });

    // Scrolling into text nobody has seen yet: the frame lays out what comes into view and
    // spends the widget's background layout budget. The worst frame, measured alone.
    let highlights = dense_highlights(&text);
    let mut offset = 0.0;
    c.bench_function("1 MB article: scrolling frame into unlaid text (+3 ms background layout)", |b| {
        b.iter_custom(|iterations| {
            let mut measured = Duration::ZERO;
            for _ in 0..iterations {
                let mut doc = DocumentLayout::new(text.clone());
                doc.set_geometry(900.0, 20.0);
                offset = (offset + 5_000.0) % (doc.total_height() - 2.0 * VIEW_HEIGHT);
                let first = SceneRequest { origin: pos2(0.0, 0.0), pixels_per_point: 1.0, band: offset..offset + VIEW_HEIGHT, highlights: &highlights };
                build_scene(&mut doc, &mut engine, &mut atlas, &first);
                let started = Instant::now();
                let y = offset + 120.0;
                let next = SceneRequest { band: y..y + VIEW_HEIGHT, ..first };
                let scene = build_scene(&mut doc, &mut engine, &mut atlas, &next);
                doc.layout_more(&mut engine, Duration::from_millis(3));
                black_box(scene.glyphs.len());
                measured += started.elapsed();
            }
            measured
        })
    });
    let mut doc = DocumentLayout::new(text.clone());
    doc.set_geometry(900.0, 20.0);
    doc.layout_all(&mut engine);
    eprintln!("1 MB article fully laid out: {:.0} MiB resident", resident_mib());
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(4));
    targets = layout_benches, frame_benches, big_document_benches
}
criterion_main!(benches);
