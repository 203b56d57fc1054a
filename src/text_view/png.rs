//! Headless rendering of an article to an image, through the same layout and scene code as the
//! widget: no window, no GPU.

use std::sync::Arc;

use egui::{Color32, Pos2, Rect, pos2};
use image::{Rgba, RgbaImage};

use super::atlas::GlyphAtlas;
use super::document::DocumentLayout;
use super::paragraph::LayoutEngine;
use super::scene::{Highlight, Scene, SceneRequest, build_scene};

/// Options for [`render_image`].
#[derive(Clone, Debug)]
pub struct RenderOptions {
    /// Image width in pixels.
    pub width: u32,
    /// Font size in pixels.
    pub font_size: f32,
    /// Margin around the text in pixels.
    pub margin: u32,
    /// Page colour.
    pub background: Color32,
    /// Text colour.
    pub text_color: Color32,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self { width: 900, font_size: 20.0, margin: 24, background: Color32::from_rgb(0xfc, 0xfb, 0xf8), text_color: Color32::from_rgb(0x1d, 0x1d, 0x1f) }
    }
}

/// Lays out the whole article at the image width and paints it with its highlights.
pub fn render_image(text: Arc<str>, highlights: &[Highlight], options: &RenderOptions) -> RgbaImage {
    let mut engine = LayoutEngine::new();
    let mut doc = DocumentLayout::new(text);
    let margin = options.margin as f32;
    doc.set_geometry((options.width as f32 - 2.0 * margin).max(40.0), options.font_size);
    doc.layout_all(&mut engine);
    let height = (doc.total_height() + 2.0 * margin).ceil() as u32;
    let mut sorted = highlights.to_vec();
    sorted.sort_by_key(|h| h.range.start);
    let request = SceneRequest { origin: pos2(margin, margin), pixels_per_point: 1.0, band: 0.0..doc.total_height(), highlights: &sorted };
    // A long article at a large size may need more glyphs than one atlas holds: grow it.
    let mut atlas_size = 2048;
    let (scene, atlas) = loop {
        let mut atlas = GlyphAtlas::new(atlas_size);
        let scene = build_scene(&mut doc, &mut engine, &mut atlas, &request);
        if !scene.atlas_full || atlas_size >= 16384 {
            break (scene, atlas);
        }
        atlas_size *= 2;
    };
    let mut image = RgbaImage::from_pixel(options.width, height.max(1), to_rgba(options.background));
    paint(&mut image, &scene, &atlas, options.text_color);
    image
}

fn to_rgba(c: Color32) -> Rgba<u8> {
    let [r, g, b, a] = c.to_srgba_unmultiplied();
    Rgba([r, g, b, a])
}

fn blend(image: &mut RgbaImage, x: i64, y: i64, color: Color32, coverage: f32) {
    if x < 0 || y < 0 || x >= i64::from(image.width()) || y >= i64::from(image.height()) || coverage <= 0.0 {
        return;
    }
    let [r, g, b, a] = color.to_srgba_unmultiplied();
    let alpha = coverage.min(1.0) * f32::from(a) / 255.0;
    let px = image.get_pixel_mut(x as u32, y as u32);
    for (channel, value) in px.0.iter_mut().take(3).zip([r, g, b]) {
        *channel = (f32::from(*channel) * (1.0 - alpha) + f32::from(value) * alpha).round() as u8;
    }
    px.0[3] = 255;
}

fn fill_rect(image: &mut RgbaImage, rect: Rect, color: Color32) {
    for y in rect.min.y.round() as i64..rect.max.y.round() as i64 {
        for x in rect.min.x.round() as i64..rect.max.x.round() as i64 {
            blend(image, x, y, color, 1.0);
        }
    }
}

fn stroke_rect(image: &mut RgbaImage, rect: Rect, color: Color32, width: f32, dashed: bool) {
    let w = width.max(1.0);
    let dash = |along: f32| !dashed || (along / 4.0) as i64 % 7 < 4;
    let (x0, x1, y0, y1) = (rect.min.x, rect.max.x, rect.min.y, rect.max.y);
    let mut x = x0;
    while x < x1 {
        if dash(x - x0) {
            fill_rect(image, Rect::from_min_max(pos2(x, y0), pos2(x + 1.0, y0 + w)), color);
            fill_rect(image, Rect::from_min_max(pos2(x, y1 - w), pos2(x + 1.0, y1)), color);
        }
        x += 1.0;
    }
    let mut y = y0;
    while y < y1 {
        if dash(y - y0) {
            fill_rect(image, Rect::from_min_max(pos2(x0, y), pos2(x0 + w, y + 1.0)), color);
            fill_rect(image, Rect::from_min_max(pos2(x1 - w, y), pos2(x1, y + 1.0)), color);
        }
        y += 1.0;
    }
}

fn paint(image: &mut RgbaImage, scene: &Scene, atlas: &GlyphAtlas, text_color: Color32) {
    for (rect, color) in &scene.fills {
        fill_rect(image, *rect, *color);
    }
    for (rect, color, width, dashed) in &scene.outlines {
        stroke_rect(image, *rect, *color, *width, *dashed);
    }
    for (from, to, color, width) in &scene.lines {
        let rect = Rect::from_min_max(*from - egui::vec2(0.0, width / 2.0), Pos2::new(to.x, to.y + width / 2.0));
        fill_rect(image, rect, *color);
    }
    let size = atlas.size() as usize;
    let pixels = atlas.pixels();
    for quad in &scene.glyphs {
        let [ax, ay, w, h] = quad.atlas;
        let (left, top) = (quad.rect.min.x.round() as i64, quad.rect.min.y.round() as i64);
        for row in 0..h as usize {
            for col in 0..w as usize {
                let coverage = pixels[(ay as usize + row) * size + ax as usize + col];
                if coverage > 0 {
                    blend(image, left + col as i64, top + row as i64, text_color, f32::from(coverage) / 255.0);
                }
            }
        }
    }
}
