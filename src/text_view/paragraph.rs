//! One paragraph laid out by parley, with the per-character geometry the rest of the view needs.
//!
//! parley gives clusters (graphemes, ligature parts) in visual order. We flatten them once into a
//! box per character (Unicode scalar), so that hit-testing and highlight geometry work in the
//! same units as annotation offsets, down to a single character inside a lam-alef ligature or a
//! letter carrying harakat. A cluster of several characters is divided evenly among them along
//! its direction, as browsers do for ligatures.

use std::ops::Range;

use parley::{FontContext, Layout, LayoutContext, PositionedLayoutItem, StyleProperty};

use super::fonts::ARTICLE_FONT_STACK;

/// Line height as a multiple of the font size: generous, because Naskh has tall ascenders and
/// deep descenders and stacked harakat.
pub const LINE_HEIGHT_FACTOR: f32 = 1.9;

/// Where one character sits in a laid-out paragraph (layout coordinates, y down).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CharBox {
    /// Index of the line in the paragraph.
    pub line: u32,
    /// Left edge.
    pub x0: f32,
    /// Right edge.
    pub x1: f32,
    /// Whether the character was laid out right-to-left.
    pub rtl: bool,
}

/// A visual line of a paragraph.
#[derive(Clone, Debug)]
pub struct LineBox {
    /// Top of the line box.
    pub top: f32,
    /// Bottom of the line box.
    pub bottom: f32,
    /// Baseline.
    pub baseline: f32,
    /// The line's glyphs, as a range into [`ParagraphLayout::glyphs`].
    pub glyphs: Range<usize>,
    /// The line's characters sorted left to right, as a range into `chars_by_x`.
    chars_by_x: Range<usize>,
}

/// A glyph with its final position in the paragraph.
#[derive(Clone, Copy, Debug)]
pub struct PlacedGlyph {
    /// Which font (an index into the engine's font table).
    pub font: u16,
    /// Glyph id in that font.
    pub id: u32,
    /// Pen position, x.
    pub x: f32,
    /// Baseline, y.
    pub y: f32,
}

/// Identifies a font face parley picked, so the glyph atlas can rasterize from it.
#[derive(Clone)]
pub struct FontFace {
    /// The font file's bytes as parley holds them.
    pub data: parley::FontData,
}

/// Maps parley's fonts to small indices, the same in every thread.
///
/// Paragraphs may be laid out by several engines at once (one per thread); a glyph's font index
/// must mean the same face whichever engine produced it, so the table is shared by the process
/// and keyed by the font bytes' address, which is the same static data in every engine.
#[derive(Clone, Copy, Default)]
pub struct FontTable;

fn faces() -> &'static std::sync::Mutex<Vec<FontFace>> {
    static FACES: std::sync::OnceLock<std::sync::Mutex<Vec<FontFace>>> = std::sync::OnceLock::new();
    FACES.get_or_init(Default::default)
}

fn face_key(data: &parley::FontData) -> (usize, u32) {
    (data.data.as_ref().as_ptr() as usize, data.index)
}

impl FontTable {
    /// Index of the face, adding it when new.
    pub fn index_of(&self, data: &parley::FontData) -> u16 {
        let key = face_key(data);
        let mut faces = faces().lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(found) = faces.iter().position(|f| face_key(&f.data) == key) {
            return found as u16;
        }
        faces.push(FontFace { data: data.clone() });
        (faces.len() - 1) as u16
    }

    /// The face with this index.
    pub fn face(&self, index: u16) -> Option<FontFace> {
        let faces = faces().lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        faces.get(usize::from(index)).cloned()
    }
}

/// parley's contexts plus the font table: everything needed to lay text out.
pub struct LayoutEngine {
    font_cx: FontContext,
    layout_cx: LayoutContext<()>,
    /// Fonts seen in layouts so far.
    pub fonts: FontTable,
}

impl Default for LayoutEngine {
    fn default() -> Self {
        Self::new()
    }
}

impl LayoutEngine {
    /// An engine with the bundled fonts registered (and no system fonts).
    pub fn new() -> Self {
        let mut font_cx = FontContext::default();
        super::fonts::register_with_parley(&mut font_cx.collection);
        Self { font_cx, layout_cx: LayoutContext::new(), fonts: FontTable }
    }

    /// Lays out one paragraph (text without line breaks) at a font size and maximum width.
    pub fn layout_paragraph(&mut self, text: &str, font_size: f32, max_width: f32) -> ParagraphLayout {
        let mut builder = self.layout_cx.ranged_builder(&mut self.font_cx, text, 1.0, false);
        builder.push_default(StyleProperty::FontFamily(ARTICLE_FONT_STACK.into()));
        builder.push_default(StyleProperty::FontSize(font_size));
        builder.push_default(StyleProperty::LineHeight(parley::LineHeight::FontSizeRelative(LINE_HEIGHT_FACTOR)));
        let mut layout: Layout<()> = builder.build(text);
        layout.break_all_lines(Some(max_width.max(font_size)));
        layout.align(parley::Alignment::Start, parley::AlignmentOptions::default());
        ParagraphLayout::from_parley(&layout, text, font_size, &self.fonts)
    }
}

/// A laid-out paragraph: lines, glyphs and a box per character.
#[derive(Clone, Debug)]
pub struct ParagraphLayout {
    /// Visual lines, top to bottom.
    pub lines: Vec<LineBox>,
    /// Every glyph, line by line.
    pub glyphs: Vec<PlacedGlyph>,
    /// One box per character of the paragraph, in logical order.
    pub boxes: Vec<CharBox>,
    chars_by_x: Vec<u32>,
    /// Height of the paragraph (at least one line, even when empty).
    pub height: f32,
    /// The width it was laid out for.
    pub max_width: f32,
    /// Whether the paragraph's base direction is right-to-left.
    pub rtl: bool,
    /// Font size it was laid out at.
    pub font_size: f32,
}

impl ParagraphLayout {
    fn from_parley(layout: &Layout<()>, text: &str, font_size: f32, fonts: &FontTable) -> Self {
        // byte index -> char index, for the byte ranges parley reports.
        let mut char_of_byte = vec![0u32; text.len() + 1];
        let mut char_count = 0u32;
        for (byte, _) in text.char_indices() {
            char_of_byte[byte] = char_count;
            char_count += 1;
        }
        char_of_byte[text.len()] = char_count;
        let char_at = |byte: usize| char_of_byte[byte.min(text.len())] as usize;

        let unset = CharBox { line: u32::MAX, x0: 0.0, x1: 0.0, rtl: false };
        let mut boxes = vec![unset; char_count as usize];
        let mut lines = Vec::new();
        let mut glyphs = Vec::new();
        let mut chars_by_x: Vec<u32> = Vec::with_capacity(char_count as usize);

        for (line_index, line) in layout.lines().enumerate() {
            let metrics = line.metrics();
            let glyph_start = glyphs.len();
            let by_x_start = chars_by_x.len();
            let mut x = metrics.offset + metrics.inline_min_coord;
            for run in line.runs() {
                let rtl = run.is_rtl();
                // Clusters in logical order as (first char, end char, advance). A cluster with no
                // advance (the alef of a lam-alef ligature) joins its logical predecessor, so the
                // ligature's width is shared between its letters.
                let mut groups: Vec<(usize, usize, f32)> = Vec::new();
                let mut clusters: Vec<_> = run.visual_clusters().collect();
                if rtl {
                    clusters.reverse();
                }
                for cluster in clusters {
                    let bytes = cluster.text_range();
                    let first = char_at(bytes.start);
                    let end = char_at(bytes.end).max(first + 1).min(boxes.len());
                    match groups.last_mut() {
                        Some(group) if cluster.advance() == 0.0 && group.1 == first => group.1 = end,
                        Some(group) if group.2 == 0.0 && group.1 == first => {
                            group.1 = end;
                            group.2 = cluster.advance();
                        }
                        _ => groups.push((first, end, cluster.advance())),
                    }
                }
                if rtl {
                    groups.reverse();
                }
                for (first, end, advance) in groups {
                    let count = end.saturating_sub(first).max(1) as f32;
                    let share = advance / count;
                    for (k, char_index) in (first..end).enumerate() {
                        // Characters follow the run's direction inside the group.
                        let visual_k = if rtl { (end - first - 1 - k) as f32 } else { k as f32 };
                        let x0 = x + visual_k * share;
                        boxes[char_index] = CharBox { line: line_index as u32, x0, x1: x0 + share, rtl };
                    }
                    x += advance;
                }
            }
            for item in line.items() {
                if let PositionedLayoutItem::GlyphRun(glyph_run) = item {
                    let font = fonts.index_of(glyph_run.run().font());
                    for glyph in glyph_run.positioned_glyphs() {
                        glyphs.push(PlacedGlyph { font, id: glyph.id, x: glyph.x, y: glyph.y });
                    }
                }
            }
            let text_range = line.text_range();
            chars_by_x.extend(char_at(text_range.start) as u32..char_at(text_range.end) as u32);
            lines.push(LineBox {
                top: metrics.block_min_coord,
                bottom: metrics.block_max_coord,
                baseline: metrics.baseline,
                glyphs: glyph_start..glyphs.len(),
                chars_by_x: by_x_start..chars_by_x.len(),
            });
        }

        // A character parley did not place (should not happen) sits at the start of its line
        // rather than at a bogus position.
        for index in 0..boxes.len() {
            if boxes[index].line == u32::MAX {
                boxes[index] = if index > 0 { boxes[index - 1] } else { CharBox { line: 0, ..unset } };
            }
        }
        for line in &lines {
            chars_by_x[line.chars_by_x.clone()].sort_by(|a, b| boxes[*a as usize].x0.total_cmp(&boxes[*b as usize].x0));
        }

        let line_height = font_size * LINE_HEIGHT_FACTOR;
        let height = lines.last().map_or(line_height, |l| l.bottom).max(line_height);
        Self { lines, glyphs, boxes, chars_by_x, height, max_width: layout.width().max(0.0), rtl: layout.is_rtl(), font_size }
    }

    /// Number of characters.
    pub fn len(&self) -> usize {
        self.boxes.len()
    }

    /// Whether the paragraph has no characters.
    pub fn is_empty(&self) -> bool {
        self.boxes.is_empty()
    }

    /// The rectangle of one character, as `[x0, y0, x1, y1]`.
    pub fn char_rect(&self, index: usize) -> Option<[f32; 4]> {
        let b = self.boxes.get(index)?;
        let line = self.lines.get(b.line as usize)?;
        Some([b.x0, line.top, b.x1, line.bottom])
    }

    /// The character under a point, or the nearest one on the nearest line.
    pub fn hit_test(&self, x: f32, y: f32) -> Option<usize> {
        if self.lines.is_empty() {
            return None;
        }
        let line_index = self.lines.partition_point(|l| l.bottom <= y).min(self.lines.len() - 1);
        let line = &self.lines[line_index];
        let order = &self.chars_by_x[line.chars_by_x.clone()];
        if order.is_empty() {
            return None;
        }
        let after = order.partition_point(|&c| self.boxes[c as usize].x1 <= x);
        Some(order[after.min(order.len() - 1)] as usize)
    }

    /// Rectangles covering a character range: one per visual piece per line, merged where
    /// characters touch, so a range that crosses a direction change gets one rectangle per
    /// visually contiguous part.
    pub fn range_rects(&self, range: Range<usize>) -> Vec<[f32; 4]> {
        let start = range.start.min(self.boxes.len());
        let end = range.end.min(self.boxes.len());
        let mut rects = Vec::new();
        if start >= end {
            return rects;
        }
        let first_line = self.boxes[start].line as usize;
        let last_line = self.boxes[end - 1].line as usize;
        for line_index in first_line.min(last_line)..=first_line.max(last_line) {
            let line = &self.lines[line_index];
            let mut current: Option<[f32; 4]> = None;
            for &c in &self.chars_by_x[line.chars_by_x.clone()] {
                let c = c as usize;
                if !(start..end).contains(&c) {
                    if let Some(rect) = current.take() {
                        rects.push(rect);
                    }
                    continue;
                }
                let b = self.boxes[c];
                current = match current {
                    Some(mut rect) if b.x0 <= rect[2] + 0.01 => {
                        rect[2] = rect[2].max(b.x1);
                        Some(rect)
                    }
                    Some(rect) => {
                        rects.push(rect);
                        Some([b.x0, line.top, b.x1, line.bottom])
                    }
                    None => Some([b.x0, line.top, b.x1, line.bottom]),
                };
            }
            if let Some(rect) = current {
                rects.push(rect);
            }
        }
        rects.retain(|r| r[2] > r[0]);
        rects
    }

    /// The characters of one line in left-to-right visual order.
    pub fn line_visual_order(&self, line: usize) -> &[u32] {
        self.lines.get(line).map_or(&[], |l| &self.chars_by_x[l.chars_by_x.clone()])
    }
}
