//! Glyph rasterization into a coverage atlas.
//!
//! Outlines come from skrifa (the same font reader parley and epaint use) and are filled by
//! zeno into 8-bit coverage masks at the exact physical pixel size, with four horizontal
//! sub-pixel positions so joined Arabic letters meet without gaps. The atlas is plain memory:
//! the egui widget uploads the changed part to a texture, and the PNG renderer reads it directly.

use std::collections::HashMap;

use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use zeno::{Command, Mask, Vector};

use super::paragraph::FontTable;

/// Horizontal sub-pixel positions per pixel.
pub const SUBPIXEL_STEPS: u32 = 4;
const PADDING: u32 = 1;

/// What identifies one rasterized glyph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GlyphKey {
    /// Font index in the engine's font table.
    pub font: u16,
    /// Glyph id.
    pub id: u32,
    /// Size in physical pixels, in 1/64 px.
    pub size_64: u32,
    /// Sub-pixel step, `0..SUBPIXEL_STEPS`.
    pub subpixel: u8,
}

/// Where a rasterized glyph lives in the atlas and how it sits relative to its pen position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AtlasEntry {
    /// Left of the bitmap in the atlas.
    pub x: u32,
    /// Top of the bitmap in the atlas.
    pub y: u32,
    /// Width in pixels (0 for an empty glyph such as a space).
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Offset from the pen position to the bitmap's left edge, in pixels.
    pub left: i32,
    /// Offset from the baseline to the bitmap's top edge, in pixels (y down).
    pub top: i32,
}

/// A square coverage atlas filled row by row ("shelves").
pub struct GlyphAtlas {
    size: u32,
    pixels: Vec<u8>,
    entries: HashMap<GlyphKey, AtlasEntry>,
    shelf_x: u32,
    shelf_y: u32,
    shelf_height: u32,
    dirty: Option<[u32; 4]>,
    generation: u64,
    commands: Vec<Command>,
}

impl GlyphAtlas {
    /// An empty atlas `size` pixels square.
    pub fn new(size: u32) -> Self {
        Self {
            size,
            pixels: vec![0; (size * size) as usize],
            entries: HashMap::new(),
            shelf_x: 0,
            shelf_y: 0,
            shelf_height: 0,
            dirty: None,
            generation: 0,
            commands: Vec::new(),
        }
    }

    /// Side length in pixels.
    pub fn size(&self) -> u32 {
        self.size
    }

    /// Coverage bytes, row-major, `size * size`.
    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    /// Bumped whenever the atlas is cleared; a texture built from an older generation must be
    /// uploaded whole again.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Takes the rectangle (`[x, y, w, h]`) changed since the last call.
    pub fn take_dirty(&mut self) -> Option<[u32; 4]> {
        self.dirty.take().map(|[x0, y0, x1, y1]| [x0, y0, x1 - x0, y1 - y0])
    }

    /// Number of glyphs held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the atlas holds no glyph.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Forgets every glyph (when the atlas is full); callers re-request what they draw.
    pub fn clear(&mut self) {
        self.pixels.fill(0);
        self.entries.clear();
        self.shelf_x = 0;
        self.shelf_y = 0;
        self.shelf_height = 0;
        self.generation += 1;
        self.dirty = Some([0, 0, self.size, self.size]);
    }

    /// The glyph's atlas entry, rasterizing it on first use. `None` when the font cannot give an
    /// outline or the atlas is full (the caller clears it and draws again next frame).
    pub fn get_or_insert(&mut self, key: GlyphKey, fonts: &FontTable) -> Option<AtlasEntry> {
        if let Some(entry) = self.entries.get(&key) {
            return Some(*entry);
        }
        let face = fonts.face(key.font)?;
        let font = skrifa::FontRef::from_index(face.data.data.as_ref(), face.data.index).ok()?;
        let outline = font.outline_glyphs().get(skrifa::GlyphId::new(key.id));
        self.commands.clear();
        if let Some(outline) = outline {
            let size = Size::new(key.size_64 as f32 / 64.0);
            let shift = key.subpixel as f32 / SUBPIXEL_STEPS as f32;
            let mut pen = ZenoPen { commands: &mut self.commands, shift };
            outline.draw(DrawSettings::unhinted(size, LocationRef::default()), &mut pen).ok()?;
        }
        let (coverage, placement) = if self.commands.is_empty() {
            (Vec::new(), zeno::Placement { left: 0, top: 0, width: 0, height: 0 })
        } else {
            Mask::new(self.commands.as_slice()).render()
        };
        let (width, height) = (placement.width, placement.height);
        let (x, y) = self.allocate(width, height)?;
        for row in 0..height {
            let src = (row * width) as usize;
            let dst = ((y + row) * self.size + x) as usize;
            self.pixels[dst..dst + width as usize].copy_from_slice(&coverage[src..src + width as usize]);
        }
        if width > 0 && height > 0 {
            self.mark_dirty(x, y, x + width, y + height);
        }
        let entry = AtlasEntry { x, y, width, height, left: placement.left, top: placement.top };
        self.entries.insert(key, entry);
        Some(entry)
    }

    fn allocate(&mut self, width: u32, height: u32) -> Option<(u32, u32)> {
        if width == 0 || height == 0 {
            return Some((0, 0));
        }
        let (w, h) = (width + PADDING, height + PADDING);
        if w > self.size || h > self.size {
            return None;
        }
        if self.shelf_x + w > self.size {
            self.shelf_y += self.shelf_height;
            self.shelf_x = 0;
            self.shelf_height = 0;
        }
        if self.shelf_y + h > self.size {
            return None;
        }
        let at = (self.shelf_x, self.shelf_y);
        self.shelf_x += w;
        self.shelf_height = self.shelf_height.max(h);
        Some(at)
    }

    fn mark_dirty(&mut self, x0: u32, y0: u32, x1: u32, y1: u32) {
        self.dirty = Some(match self.dirty {
            Some([a, b, c, d]) => [a.min(x0), b.min(y0), c.max(x1), d.max(y1)],
            None => [x0, y0, x1, y1],
        });
    }
}

/// Collects skrifa's outline (y up) as zeno path commands (y down), shifted by a sub-pixel amount.
struct ZenoPen<'a> {
    commands: &'a mut Vec<Command>,
    shift: f32,
}

impl ZenoPen<'_> {
    fn point(&self, x: f32, y: f32) -> Vector {
        Vector::new(x + self.shift, -y)
    }
}

impl OutlinePen for ZenoPen<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        let p = self.point(x, y);
        self.commands.push(Command::MoveTo(p));
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let p = self.point(x, y);
        self.commands.push(Command::LineTo(p));
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        let (c, p) = (self.point(cx0, cy0), self.point(x, y));
        self.commands.push(Command::QuadTo(c, p));
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        let (c0, c1, p) = (self.point(cx0, cy0), self.point(cx1, cy1), self.point(x, y));
        self.commands.push(Command::CurveTo(c0, c1, p));
    }

    fn close(&mut self) {
        self.commands.push(Command::Close);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text_view::LayoutEngine;

    fn glyphs(text: &str) -> (LayoutEngine, Vec<super::super::paragraph::PlacedGlyph>) {
        let mut engine = LayoutEngine::new();
        let layout = engine.layout_paragraph(text, 20.0, 800.0);
        (engine, layout.glyphs)
    }

    #[test]
    fn rasterizes_once_and_reports_the_dirty_region() {
        let (engine, glyphs) = glyphs("حلب");
        let mut atlas = GlyphAtlas::new(256);
        let key = GlyphKey { font: glyphs[0].font, id: glyphs[0].id, size_64: 20 * 64, subpixel: 0 };
        let entry = atlas.get_or_insert(key, &engine.fonts).expect("room");
        assert!(entry.width > 2 && entry.height > 2, "a letter has ink: {entry:?}");
        let ink: u32 = (0..entry.height)
            .flat_map(|y| (0..entry.width).map(move |x| (x, y)))
            .map(|(x, y)| u32::from(atlas.pixels()[((entry.y + y) * 256 + entry.x + x) as usize]))
            .sum();
        assert!(ink > 0);
        let dirty = atlas.take_dirty().expect("new pixels");
        assert!(dirty[2] >= entry.width && dirty[3] >= entry.height);
        assert_eq!(atlas.get_or_insert(key, &engine.fonts), Some(entry));
        assert_eq!(atlas.take_dirty(), None, "a cached glyph uploads nothing");
        assert_eq!(atlas.len(), 1);
    }

    #[test]
    fn a_full_atlas_says_so_and_clearing_starts_a_new_generation() {
        let (engine, glyphs) = glyphs("حلب");
        let mut atlas = GlyphAtlas::new(32);
        let mut full = false;
        for size in 10..200 {
            let key = GlyphKey { font: glyphs[0].font, id: glyphs[0].id, size_64: size * 64, subpixel: 0 };
            if atlas.get_or_insert(key, &engine.fonts).is_none() {
                full = true;
                break;
            }
        }
        assert!(full);
        let generation = atlas.generation();
        atlas.clear();
        assert!(atlas.is_empty());
        assert_eq!(atlas.generation(), generation + 1);
    }
}
