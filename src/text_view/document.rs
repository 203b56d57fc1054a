//! A whole article as a column of paragraphs, laid out lazily.
//!
//! Only paragraphs that are looked at get laid out; the others carry an estimated height until
//! their turn comes, so a megabyte-long article shows its first screen at once. Layouts are
//! cached for the current width and font size and dropped when either changes.

use std::ops::Range;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::paragraph::{LINE_HEIGHT_FACTOR, LayoutEngine, ParagraphLayout};

/// Vertical space between paragraphs, as a fraction of the line height.
const PARAGRAPH_GAP_FACTOR: f32 = 0.35;

/// One paragraph's place in the article.
#[derive(Clone, Debug)]
pub struct ParagraphSlot {
    /// First character (Unicode scalar offset into the article).
    pub char_start: usize,
    /// Number of characters (without the line break).
    pub char_len: usize,
    /// Byte range in the article text (without the line break).
    pub bytes: Range<usize>,
}

impl ParagraphSlot {
    /// The paragraph's character range in the article.
    pub fn chars(&self) -> Range<usize> {
        self.char_start..self.char_start + self.char_len
    }
}

/// Paragraphs of an article with cached layouts and vertical positions.
pub struct DocumentLayout {
    text: Arc<str>,
    slots: Vec<ParagraphSlot>,
    layouts: Vec<Option<ParagraphLayout>>,
    heights: Vec<f32>,
    tops: Vec<f32>,
    tops_dirty: bool,
    width: f32,
    font_size: f32,
    /// Average advance per character seen so far, to estimate heights of unlaid paragraphs.
    chars_per_px: f32,
    laid_out_count: usize,
}

impl DocumentLayout {
    /// Splits `text` into paragraphs at line breaks (`\n`, `\r\n`); nothing is laid out yet.
    pub fn new(text: Arc<str>) -> Self {
        let mut slots = Vec::new();
        let mut char_start = 0;
        let mut byte_start = 0;
        for piece in text.split_inclusive('\n') {
            let body = piece.strip_suffix('\n').unwrap_or(piece);
            let body = body.strip_suffix('\r').unwrap_or(body);
            let char_len = body.chars().count();
            slots.push(ParagraphSlot { char_start, char_len, bytes: byte_start..byte_start + body.len() });
            char_start += piece.chars().count();
            byte_start += piece.len();
        }
        if text.is_empty() || text.ends_with('\n') {
            slots.push(ParagraphSlot { char_start, char_len: 0, bytes: byte_start..byte_start });
        }
        let count = slots.len();
        let mut doc = Self {
            text,
            slots,
            layouts: vec![None; count],
            heights: vec![0.0; count],
            tops: vec![0.0; count + 1],
            tops_dirty: true,
            width: 600.0,
            font_size: 18.0,
            chars_per_px: 1.0 / (18.0 * 0.42),
            laid_out_count: 0,
        };
        doc.estimate_all();
        doc
    }

    /// The article text.
    pub fn text(&self) -> &Arc<str> {
        &self.text
    }

    /// The paragraphs.
    pub fn paragraphs(&self) -> &[ParagraphSlot] {
        &self.slots
    }

    /// Width the paragraphs are laid out for.
    pub fn width(&self) -> f32 {
        self.width
    }

    /// Font size the paragraphs are laid out at.
    pub fn font_size(&self) -> f32 {
        self.font_size
    }

    /// Sets the width and font size; cached layouts are dropped when either changes.
    pub fn set_geometry(&mut self, width: f32, font_size: f32) {
        let width = width.max(font_size * 4.0).round();
        if (width - self.width).abs() < 0.5 && (font_size - self.font_size).abs() < 0.01 {
            return;
        }
        if (font_size - self.font_size).abs() >= 0.01 {
            self.chars_per_px *= self.font_size / font_size;
        }
        self.width = width;
        self.font_size = font_size;
        self.layouts.iter_mut().for_each(|l| *l = None);
        self.laid_out_count = 0;
        self.estimate_all();
    }

    fn line_height(&self) -> f32 {
        self.font_size * LINE_HEIGHT_FACTOR
    }

    fn gap(&self) -> f32 {
        self.line_height() * PARAGRAPH_GAP_FACTOR
    }

    fn estimate(&self, slot: &ParagraphSlot) -> f32 {
        let chars_per_line = (self.width * self.chars_per_px).max(1.0);
        let lines = (slot.char_len as f32 / chars_per_line).ceil().max(1.0);
        lines * self.line_height()
    }

    fn estimate_all(&mut self) {
        for i in 0..self.slots.len() {
            if self.layouts[i].is_none() {
                self.heights[i] = self.estimate(&self.slots[i]);
            }
        }
        self.tops_dirty = true;
    }

    fn refresh_tops(&mut self) {
        if !self.tops_dirty {
            return;
        }
        let gap = self.gap();
        let mut y = 0.0;
        for (i, h) in self.heights.iter().enumerate() {
            self.tops[i] = y;
            y += h + gap;
        }
        self.tops[self.heights.len()] = y;
        self.tops_dirty = false;
    }

    /// Total height of the column (partly estimated until everything is laid out).
    pub fn total_height(&mut self) -> f32 {
        self.refresh_tops();
        self.tops[self.slots.len()]
    }

    /// Top of a paragraph in the column.
    pub fn paragraph_top(&mut self, index: usize) -> f32 {
        self.refresh_tops();
        self.tops[index.min(self.slots.len())]
    }

    /// Whether every paragraph has been laid out for the current geometry.
    pub fn is_fully_laid_out(&self) -> bool {
        self.laid_out_count == self.slots.len()
    }

    /// Lays out one paragraph if needed and returns it.
    pub fn ensure(&mut self, engine: &mut LayoutEngine, index: usize) -> &ParagraphLayout {
        if self.layouts[index].is_none() {
            let text = &self.text[self.slots[index].bytes.clone()];
            let layout = engine.layout_paragraph(text, self.font_size, self.width);
            self.store(index, layout);
        }
        self.layouts[index].as_ref().expect("laid out just above")
    }

    /// Keeps a paragraph's layout and takes its real height.
    fn store(&mut self, index: usize, layout: ParagraphLayout) {
        let slot = &self.slots[index];
        if slot.char_len > 0 && layout.lines.len() > 1 {
            // Learn the real density from full lines so estimates converge.
            let measured = slot.char_len as f32 / (layout.lines.len() as f32 * self.width);
            self.chars_per_px = 0.8 * self.chars_per_px + 0.2 * measured;
        }
        if (layout.height - self.heights[index]).abs() > 0.01 {
            self.heights[index] = layout.height;
            self.tops_dirty = true;
        }
        if self.layouts[index].replace(layout).is_none() {
            self.laid_out_count += 1;
        }
    }

    /// The cached layout of a paragraph, if it has one.
    pub fn layout(&self, index: usize) -> Option<&ParagraphLayout> {
        self.layouts.get(index).and_then(Option::as_ref)
    }

    /// Lays out every paragraph, on all cores (for headless rendering, tests and exports).
    pub fn layout_all(&mut self, engine: &mut LayoutEngine) {
        use rayon::prelude::*;
        thread_local! {
            static ENGINE: std::cell::RefCell<Option<LayoutEngine>> = const { std::cell::RefCell::new(None) };
        }
        let missing: Vec<usize> = (0..self.slots.len()).filter(|&i| self.layouts[i].is_none()).collect();
        if missing.len() < 8 {
            for i in missing {
                self.ensure(engine, i);
            }
            return;
        }
        let (text, slots, font_size, width) = (&self.text, &self.slots, self.font_size, self.width);
        let laid: Vec<(usize, ParagraphLayout)> = missing
            .par_iter()
            .map(|&i| {
                let paragraph = &text[slots[i].bytes.clone()];
                let layout = ENGINE.with(|cell| {
                    let mut cell = cell.borrow_mut();
                    cell.get_or_insert_with(LayoutEngine::new).layout_paragraph(paragraph, font_size, width)
                });
                (i, layout)
            })
            .collect();
        for (i, layout) in laid {
            self.store(i, layout);
        }
    }

    /// Lays out paragraphs not yet laid out, top first, until `budget` is spent; returns whether
    /// work remains. Called between frames so heights become exact without a long stall.
    pub fn layout_more(&mut self, engine: &mut LayoutEngine, budget: Duration) -> bool {
        let started = Instant::now();
        let mut i = 0;
        while i < self.slots.len() && started.elapsed() < budget {
            if self.layouts[i].is_none() {
                self.ensure(engine, i);
            }
            i += 1;
        }
        !self.is_fully_laid_out()
    }

    /// Paragraphs that intersect the vertical band `y0..y1`, laid out (their heights may change
    /// the band, so the loop re-reads positions as it goes).
    pub fn visible(&mut self, engine: &mut LayoutEngine, y0: f32, y1: f32) -> Range<usize> {
        self.refresh_tops();
        let first = self.tops.partition_point(|&t| t <= y0).saturating_sub(1).min(self.slots.len().saturating_sub(1));
        let mut last = first;
        while last < self.slots.len() {
            self.ensure(engine, last);
            self.refresh_tops();
            if self.tops[last] > y1 {
                break;
            }
            last += 1;
        }
        first..last
    }

    /// The paragraph holding a character offset (a line break belongs to the paragraph it ends).
    pub fn paragraph_of_char(&self, char_index: usize) -> usize {
        self.slots.partition_point(|s| s.char_start <= char_index).saturating_sub(1)
    }

    /// The character under a point in column coordinates, if that paragraph is laid out.
    pub fn hit_test(&mut self, x: f32, y: f32) -> Option<usize> {
        self.refresh_tops();
        let index = self.tops.partition_point(|&t| t <= y).saturating_sub(1).min(self.slots.len().checked_sub(1)?);
        let top = self.tops[index];
        let slot_start = self.slots[index].char_start;
        let layout = self.layouts[index].as_ref()?;
        layout.hit_test(x, y - top).map(|c| slot_start + c)
    }

    /// Rectangles (column coordinates, `[x0, y0, x1, y1]`) covering a character range, over every
    /// laid-out paragraph it touches.
    pub fn range_rects(&mut self, range: Range<usize>) -> Vec<[f32; 4]> {
        let mut rects = Vec::new();
        self.for_range_pieces(range, |rect| rects.push(rect));
        rects
    }

    /// Calls `f` for every rectangle of a character range (column coordinates).
    pub fn for_range_pieces(&mut self, range: Range<usize>, mut f: impl FnMut([f32; 4])) {
        if range.is_empty() || self.slots.is_empty() {
            return;
        }
        self.refresh_tops();
        let first = self.paragraph_of_char(range.start);
        let last = self.paragraph_of_char(range.end - 1);
        for index in first..=last {
            let Some(layout) = self.layouts[index].as_ref() else { continue };
            let slot = &self.slots[index];
            let local_start = range.start.saturating_sub(slot.char_start);
            let local_end = (range.end - slot.char_start.min(range.end)).min(slot.char_len);
            let top = self.tops[index];
            for r in layout.range_rects(local_start..local_end) {
                f([r[0], r[1] + top, r[2], r[3] + top]);
            }
        }
    }

    /// Whether the character was laid out right-to-left (`None` until its paragraph is laid out).
    pub fn is_rtl_at(&self, char_index: usize) -> Option<bool> {
        let index = self.paragraph_of_char(char_index);
        let local = char_index.checked_sub(self.slots.get(index)?.char_start)?;
        let layout = self.layouts.get(index)?.as_ref()?;
        Some(layout.boxes.get(local).map_or(layout.rtl, |b| b.rtl))
    }

    /// Whether the character is laid out right-to-left, laying out its paragraph first if it has
    /// not been yet, so the answer never depends on what was painted.
    pub fn direction_at(&mut self, engine: &mut LayoutEngine, char_index: usize) -> bool {
        let index = self.paragraph_of_char(char_index);
        if index < self.slots.len() {
            self.ensure(engine, index);
        }
        self.is_rtl_at(char_index).unwrap_or(false)
    }

    /// The rectangle of one character (column coordinates), if its paragraph is laid out.
    pub fn char_rect(&mut self, char_index: usize) -> Option<[f32; 4]> {
        self.refresh_tops();
        let index = self.paragraph_of_char(char_index);
        let slot = self.slots.get(index)?;
        let top = self.tops[index];
        let local = char_index.checked_sub(slot.char_start)?;
        let r = self.layouts[index].as_ref()?.char_rect(local)?;
        Some([r[0], r[1] + top, r[2], r[3] + top])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> DocumentLayout {
        DocumentLayout::new(Arc::from(text))
    }

    #[test]
    fn paragraphs_split_on_line_breaks_with_char_offsets() {
        let d = doc("حلب\r\nدمشق\n\nإدلب");
        let chars: Vec<_> = d.paragraphs().iter().map(|p| p.chars()).collect();
        // "حلب" 0..3, "\r\n" at 3,4; "دمشق" 5..9, "\n" at 9; empty paragraph at 10; "إدلب" 11..15.
        assert_eq!(chars, vec![0..3, 5..9, 10..10, 11..15]);
        assert_eq!(&d.text()[d.paragraphs()[1].bytes.clone()], "دمشق");
    }

    #[test]
    fn trailing_line_break_and_empty_text_give_an_empty_last_paragraph() {
        assert_eq!(doc("").paragraphs().len(), 1);
        let d = doc("حلب\n");
        assert_eq!(d.paragraphs().len(), 2);
        assert_eq!(d.paragraphs()[1].chars(), 4..4);
    }

    #[test]
    fn paragraph_of_char_puts_a_line_break_with_the_paragraph_it_ends() {
        let d = doc("ab\ncd");
        assert_eq!(d.paragraph_of_char(0), 0);
        assert_eq!(d.paragraph_of_char(2), 0);
        assert_eq!(d.paragraph_of_char(3), 1);
    }

    #[test]
    fn layout_replaces_estimates_and_geometry_change_drops_layouts() {
        let mut engine = LayoutEngine::new();
        let mut d = doc("سوريا\nحلب");
        d.set_geometry(400.0, 20.0);
        assert!(!d.is_fully_laid_out());
        d.layout_all(&mut engine);
        assert!(d.is_fully_laid_out());
        let height = d.total_height();
        assert!(height > 2.0 * 20.0);
        d.set_geometry(400.0, 30.0);
        assert!(!d.is_fully_laid_out(), "a new font size invalidates layouts");
        d.layout_all(&mut engine);
        assert!(d.total_height() > height);
    }

    #[test]
    fn only_the_visible_band_is_laid_out() {
        let mut engine = LayoutEngine::new();
        let text = "سطر\n".repeat(2000);
        let mut d = doc(&text);
        d.set_geometry(500.0, 20.0);
        let visible = d.visible(&mut engine, 0.0, 300.0);
        assert!(visible.len() < 20, "{visible:?}");
        assert!(d.layout(visible.end + 5).is_none());
    }
}
