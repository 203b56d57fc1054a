//! What to draw for a band of the article: highlight shapes under the text, then glyph quads.
//!
//! The scene is built once and drawn by two back ends, the egui widget and the headless PNG
//! renderer, so the picture a user exports is the picture they annotated on.

use std::ops::Range;

use egui::{Color32, Pos2, Rect, pos2, vec2};

use super::atlas::{GlyphAtlas, GlyphKey, SUBPIXEL_STEPS};
use super::document::DocumentLayout;
use super::paragraph::{FontTable, LayoutEngine, PlacedGlyph};

/// How a highlight's border is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutlineKind {
    /// A continuous line.
    Solid,
    /// A dashed line, for machine proposals.
    Dashed,
}

/// How one styled character range looks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HighlightStyle {
    /// Fill painted under the glyphs.
    pub fill: Option<Color32>,
    /// Border around each visual piece.
    pub outline: Option<(Color32, OutlineKind)>,
    /// Underline below the text; overlapping ranges stack their underlines.
    pub underline: Option<Color32>,
    /// Drawn emphasised (thicker border) because it has keyboard focus.
    pub focused: bool,
}

impl HighlightStyle {
    /// A filled highlight with a matching underline.
    pub fn filled(color: Color32) -> Self {
        Self { fill: Some(color.gamma_multiply(0.35)), outline: None, underline: Some(color), focused: false }
    }

    /// An outlined highlight (dashed), as used for proposals.
    pub fn dashed(color: Color32) -> Self {
        Self { fill: None, outline: Some((color, OutlineKind::Dashed)), underline: None, focused: false }
    }

    /// An outlined highlight (solid).
    pub fn outlined(color: Color32) -> Self {
        Self { fill: None, outline: Some((color, OutlineKind::Solid)), underline: None, focused: false }
    }

    /// The same style, marked as focused.
    pub fn with_focus(mut self, focused: bool) -> Self {
        self.focused = focused;
        self
    }
}

/// A styled character range (Unicode scalar offsets into the article).
#[derive(Clone, Debug, PartialEq)]
pub struct Highlight {
    /// Characters covered.
    pub range: Range<usize>,
    /// How it looks.
    pub style: HighlightStyle,
}

/// A glyph to draw: where on screen (points) and where in the atlas (pixels).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GlyphQuad {
    /// Screen rectangle in points.
    pub rect: Rect,
    /// Atlas rectangle in pixels, `[x, y, w, h]`.
    pub atlas: [u32; 4],
}

/// Shapes for one band of the article, in drawing order.
#[derive(Default, Debug)]
pub struct Scene {
    /// Filled rectangles (highlight fills, selection).
    pub fills: Vec<(Rect, Color32)>,
    /// Rectangle borders: rect, colour, width, dashed.
    pub outlines: Vec<(Rect, Color32, f32, bool)>,
    /// Horizontal lines (underlines): from, to, colour, width.
    pub lines: Vec<(Pos2, Pos2, Color32, f32)>,
    /// Glyphs, drawn last, over the shapes.
    pub glyphs: Vec<GlyphQuad>,
    /// The atlas ran out of room: clear it and draw again.
    pub atlas_full: bool,
}

/// Inputs for [`build_scene`].
pub struct SceneRequest<'a> {
    /// Screen position of the column's top-left corner (points).
    pub origin: Pos2,
    /// Physical pixels per point.
    pub pixels_per_point: f32,
    /// Vertical band of the column to draw (column coordinates).
    pub band: Range<f32>,
    /// Styled ranges, sorted by start.
    pub highlights: &'a [Highlight],
}

/// Builds the shapes and glyph quads for the paragraphs in a band, laying them out if needed.
pub fn build_scene(doc: &mut DocumentLayout, engine: &mut LayoutEngine, atlas: &mut GlyphAtlas, request: &SceneRequest<'_>) -> Scene {
    let mut scene = Scene::default();
    let visible = doc.visible(engine, request.band.start, request.band.end);
    if visible.is_empty() {
        return scene;
    }
    let ppp = request.pixels_per_point;
    let origin_px = pos2((request.origin.x * ppp).round(), (request.origin.y * ppp).round());
    let origin = pos2(origin_px.x / ppp, origin_px.y / ppp);
    let to_screen = |r: [f32; 4]| Rect::from_min_max(pos2(r[0], r[1]), pos2(r[2], r[3])).translate(origin.to_vec2());

    let slots = doc.paragraphs();
    let visible_chars = slots[visible.start].char_start..slots[visible.end - 1].chars().end;
    add_highlights(doc, request.highlights, visible_chars, &to_screen, &mut scene);

    let size_64 = (doc.font_size() * ppp * 64.0).round() as u32;
    for index in visible {
        let top = doc.paragraph_top(index);
        let Some(layout) = doc.layout(index) else { continue };
        for line in &layout.lines {
            if top + line.bottom < request.band.start || top + line.top > request.band.end {
                continue;
            }
            for glyph in &layout.glyphs[line.glyphs.clone()] {
                match glyph_quad(glyph, origin_px, top, ppp, size_64, atlas, &engine.fonts) {
                    Some(quad) if quad.atlas[2] > 0 => scene.glyphs.push(quad),
                    Some(_) => {}
                    None => scene.atlas_full = true,
                }
            }
        }
    }
    scene
}

/// The screen quad of one glyph of a paragraph whose top is `top` (column coordinates), with the
/// column origin at `origin_px` (physical pixels); `None` when the atlas is full. Glyphs without
/// ink (spaces) give an empty quad that draws nothing.
pub fn glyph_quad(glyph: &PlacedGlyph, origin_px: Pos2, top: f32, ppp: f32, size_64: u32, atlas: &mut GlyphAtlas, fonts: &FontTable) -> Option<GlyphQuad> {
    let x = origin_px.x + glyph.x * ppp;
    let mut pixel_x = x.floor();
    let mut subpixel = ((x - pixel_x) * SUBPIXEL_STEPS as f32).round() as u32;
    if subpixel == SUBPIXEL_STEPS {
        pixel_x += 1.0;
        subpixel = 0;
    }
    let baseline = (origin_px.y + (top + glyph.y) * ppp).round();
    let key = GlyphKey { font: glyph.font, id: glyph.id, size_64, subpixel: subpixel as u8 };
    let entry = atlas.get_or_insert(key, fonts)?;
    let min = pos2((pixel_x + entry.left as f32) / ppp, (baseline + entry.top as f32) / ppp);
    let rect = Rect::from_min_size(min, vec2(entry.width as f32 / ppp, entry.height as f32 / ppp));
    Some(GlyphQuad { rect, atlas: [entry.x, entry.y, entry.width, entry.height] })
}

/// Adds fills, outlines and stacked underlines for the highlights touching `visible_chars`.
fn add_highlights(doc: &mut DocumentLayout, highlights: &[Highlight], visible_chars: Range<usize>, to_screen: &impl Fn([f32; 4]) -> Rect, scene: &mut Scene) {
    let longest = highlights.iter().map(|h| h.range.len()).max().unwrap_or(0);
    let from = highlights.partition_point(|h| h.range.start + longest < visible_chars.start);
    let to = highlights.partition_point(|h| h.range.start < visible_chars.end);
    let mut shown: Vec<&Highlight> = highlights[from..to.max(from)].iter().filter(|h| h.range.end > visible_chars.start && !h.range.is_empty()).collect();
    // Outer ranges first, so nested ones take the next lane and stay distinguishable.
    shown.sort_by(|a, b| a.range.start.cmp(&b.range.start).then(b.range.end.cmp(&a.range.end)));
    let mut lane_ends: Vec<usize> = Vec::new();
    let font_size = doc.font_size();
    let lane_step = (font_size * 0.14).max(2.0);
    for highlight in shown {
        let lane = lane_ends.iter().position(|&end| end <= highlight.range.start).unwrap_or(lane_ends.len());
        if lane == lane_ends.len() {
            lane_ends.push(highlight.range.end);
        } else {
            lane_ends[lane] = highlight.range.end;
        }
        let inset = lane as f32 * lane_step * 0.6;
        let style = highlight.style;
        let stroke_width = if style.focused { 2.5 } else { 1.2 };
        doc.for_range_pieces(highlight.range.clone(), |piece| {
            let rect = to_screen(piece).shrink2(vec2(0.0, inset + font_size * 0.08));
            if let Some(fill) = style.fill {
                scene.fills.push((rect, fill));
            }
            if let Some((color, kind)) = style.outline {
                scene.outlines.push((rect, color, stroke_width, kind == OutlineKind::Dashed));
            } else if style.focused {
                // The label's own colour at full strength reads on light and dark themes alike.
                let color = style.underline.or(style.fill.map(|c| c.to_opaque())).unwrap_or(Color32::GRAY);
                scene.outlines.push((rect, color, stroke_width, false));
            }
            if let Some(color) = style.underline {
                let y = rect.max.y - lane as f32 * lane_step;
                scene.lines.push((pos2(rect.min.x, y), pos2(rect.max.x, y), color, lane_step * 0.7));
            }
        });
    }
}
