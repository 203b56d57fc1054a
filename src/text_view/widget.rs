//! The egui widget: a scrollable, right-to-left aware article view with highlights, hover,
//! drag selection and double-click word selection, all in logical character offsets.

use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;

use egui::{Color32, ColorImage, IdSalt, Mesh, Rect, Sense, Shape, Stroke, TextureHandle, TextureOptions, Ui, pos2, vec2};

use super::atlas::GlyphAtlas;
use super::document::DocumentLayout;
use super::paragraph::LayoutEngine;
use super::scene::{Highlight, HighlightStyle, Scene, SceneRequest, build_scene};

/// Smallest and largest font sizes offered by zooming.
pub const FONT_SIZE_RANGE: Range<f32> = 10.0..48.0;
/// The font size Ctrl+0 returns to.
pub const DEFAULT_FONT_SIZE: f32 = 20.0;
/// Atlas side length in pixels.
const ATLAS_SIZE: u32 = 2048;
/// Time per frame spent laying out paragraphs that are not on screen yet.
const BACKGROUND_LAYOUT_BUDGET: Duration = Duration::from_millis(3);
/// Space between the text column and the widget's edges.
const MARGIN: f32 = 12.0;

/// Fonts, layout contexts and the glyph atlas, shared by every text view of the app.
pub struct TextRenderer {
    /// Layout engine (parley contexts and fonts).
    pub engine: LayoutEngine,
    /// Rasterized glyphs.
    pub atlas: GlyphAtlas,
    texture: Option<(TextureHandle, u64)>,
    inline_cache: std::collections::HashMap<(String, u32, u32), super::paragraph::ParagraphLayout>,
}

impl Default for TextRenderer {
    fn default() -> Self {
        Self::new()
    }
}

impl TextRenderer {
    /// A renderer with the bundled fonts.
    pub fn new() -> Self {
        Self { engine: LayoutEngine::new(), atlas: GlyphAtlas::new(ATLAS_SIZE), texture: None, inline_cache: std::collections::HashMap::new() }
    }

    /// Uploads what changed in the atlas and returns the texture id.
    fn sync_texture(&mut self, ctx: &egui::Context) -> egui::TextureId {
        let generation = self.atlas.generation();
        let needs_full = !matches!(&self.texture, Some((_, g)) if *g == generation);
        if needs_full {
            self.atlas.take_dirty();
            let image = coverage_image(&self.atlas, [0, 0, self.atlas.size(), self.atlas.size()]);
            let handle = ctx.load_texture("tawsim-glyph-atlas", image, TextureOptions::LINEAR);
            self.texture = Some((handle, generation));
        } else if let Some(dirty) = self.atlas.take_dirty()
            && let Some((handle, _)) = self.texture.as_mut()
        {
            let image = coverage_image(&self.atlas, dirty);
            handle.set_partial([dirty[0] as usize, dirty[1] as usize], image, TextureOptions::LINEAR);
        }
        self.texture.as_ref().map_or(egui::TextureId::default(), |(h, _)| h.id())
    }
}

fn coverage_image(atlas: &GlyphAtlas, [x, y, w, h]: [u32; 4]) -> ColorImage {
    let size = atlas.size() as usize;
    let pixels = atlas.pixels();
    let mut out = Vec::with_capacity((w * h) as usize);
    for row in y as usize..(y + h) as usize {
        let start = row * size + x as usize;
        out.extend(pixels[start..start + w as usize].iter().map(|&a| Color32::from_white_alpha(a)));
    }
    ColorImage::new([w as usize, h as usize], out)
}

/// Per-article view state: layout cache, selection, scroll requests, font size.
pub struct TextViewState {
    /// Cached paragraph layouts.
    pub doc: DocumentLayout,
    /// Current selection (characters), if any.
    pub selection: Option<Range<usize>>,
    /// Font size in points.
    pub font_size: f32,
    drag_anchor: Option<usize>,
    scroll_to: Option<usize>,
    scroll_anchor: Option<(usize, f32, f32)>,
    column_origin: egui::Pos2,
}

impl TextViewState {
    /// State for an article's text.
    pub fn new(text: Arc<str>, font_size: f32) -> Self {
        Self {
            doc: DocumentLayout::new(text),
            selection: None,
            font_size: font_size.clamp(FONT_SIZE_RANGE.start, FONT_SIZE_RANGE.end),
            drag_anchor: None,
            scroll_to: None,
            scroll_anchor: None,
            column_origin: egui::Pos2::ZERO,
        }
    }

    /// Where a character was on screen in the last frame (if its paragraph is laid out).
    pub fn char_screen_rect(&mut self, char_index: usize) -> Option<Rect> {
        let [x0, y0, x1, y1] = self.doc.char_rect(char_index)?;
        Some(Rect::from_min_max(pos2(x0, y0), pos2(x1, y1)).translate(self.column_origin.to_vec2()))
    }

    /// Asks the view to bring a character into sight on the next frame.
    pub fn scroll_to_char(&mut self, char_index: usize) {
        self.scroll_to = Some(char_index);
    }
}

/// What happened in the text view this frame.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TextViewOutput {
    /// Character under the pointer.
    pub hovered: Option<usize>,
    /// Character clicked (press and release without a drag).
    pub clicked: Option<usize>,
    /// Character right-clicked.
    pub secondary_clicked: Option<usize>,
    /// The selection changed this frame (by drag or double-click).
    pub selection_changed: bool,
    /// A drag or double-click selection was completed this frame.
    pub selection_finished: bool,
    /// Screen rectangle of the selection's last piece, for placing a popup next to it.
    pub selection_rect: Option<Rect>,
}

/// How double-click finds a word: given the article and a character offset, the range to select.
pub type WordAt<'a> = &'a dyn Fn(&str, usize) -> Range<usize>;

/// Shows an article with styled ranges.
pub struct TextView<'a> {
    id_salt: IdSalt,
    highlights: &'a [Highlight],
    word_at: Option<WordAt<'a>>,
}

impl<'a> TextView<'a> {
    /// A view with an id (keep it stable across frames for one article pane).
    pub fn new(id_salt: impl egui::AsIdSalt, highlights: &'a [Highlight]) -> Self {
        Self { id_salt: IdSalt::new(id_salt), highlights, word_at: None }
    }

    /// How double-click finds a word: given the article and a character offset, the character
    /// range to select. Defaults to Unicode word boundaries.
    pub fn word_at(mut self, word_at: WordAt<'a>) -> Self {
        self.word_at = Some(word_at);
        self
    }

    /// Draws the view and handles pointer input.
    pub fn show(self, ui: &mut Ui, renderer: &mut TextRenderer, state: &mut TextViewState) -> TextViewOutput {
        let mut output = TextViewOutput::default();
        let width = (ui.available_width() - 2.0 * MARGIN - ui.spacing().scroll.bar_width).max(40.0);
        state.doc.set_geometry(width, state.font_size);

        let mut scroll = egui::ScrollArea::vertical().id_salt(self.id_salt).auto_shrink([false, false]);
        if let Some(target) = state.scroll_to.take() {
            let paragraph = state.doc.paragraph_of_char(target);
            state.doc.ensure(&mut renderer.engine, paragraph);
            if let Some(rect) = state.doc.char_rect(target) {
                let view_height = ui.available_height();
                scroll = scroll.vertical_scroll_offset((rect[1] - view_height * 0.35).max(0.0));
            }
            state.scroll_anchor = None;
        } else if let Some((paragraph, old_top, offset)) = state.scroll_anchor {
            // Keep the paragraph at the top of the view still while estimated heights above it
            // become exact.
            let new_top = state.doc.paragraph_top(paragraph);
            if (new_top - old_top).abs() > 0.5 {
                scroll = scroll.vertical_scroll_offset(new_top + offset);
            }
        }

        let highlights = sorted(self.highlights);
        scroll.show_viewport(ui, |ui, viewport| {
            let total = state.doc.total_height() + 2.0 * MARGIN;
            let (rect, response) = ui.allocate_exact_size(vec2(width + 2.0 * MARGIN, total), Sense::click_and_drag());
            let column_origin = rect.min + vec2(MARGIN, MARGIN);
            state.column_origin = column_origin;
            let band = (viewport.min.y - MARGIN)..(viewport.max.y - MARGIN);

            let mut with_selection: Vec<Highlight>;
            let mut shown: &[Highlight] = &highlights;
            if let Some(selection) = state.selection.clone() {
                with_selection = highlights.to_vec();
                let at = with_selection.partition_point(|h| h.range.start <= selection.start);
                let color = ui.visuals().selection.bg_fill;
                with_selection.insert(
                    at,
                    Highlight { range: selection, style: HighlightStyle { fill: Some(color.gamma_multiply(0.6)), ..HighlightStyle::outlined(color) } },
                );
                shown = &with_selection;
            }

            let request = SceneRequest { origin: column_origin, pixels_per_point: ui.ctx().pixels_per_point(), band: band.clone(), highlights: shown };
            let scene = build_scene(&mut state.doc, &mut renderer.engine, &mut renderer.atlas, &request);
            if scene.atlas_full {
                renderer.atlas.clear();
                ui.ctx().request_repaint();
            }
            let texture = renderer.sync_texture(ui.ctx());
            paint_scene(ui, &scene, texture, ui.visuals().strong_text_color());

            let top_char = state.doc.hit_test(width / 2.0, band.start.max(0.0)).unwrap_or(0);
            let first_visible = state.doc.paragraph_of_char(top_char);
            let top = state.doc.paragraph_top(first_visible);
            state.scroll_anchor = Some((first_visible, top, band.start.max(0.0) + MARGIN - top));

            handle_pointer(ui, &response, column_origin, state, self.word_at, &mut output);
            if let Some(selection) = &state.selection {
                output.selection_rect = state
                    .doc
                    .range_rects(selection.clone())
                    .last()
                    .map(|r| Rect::from_min_max(pos2(r[0], r[1]), pos2(r[2], r[3])).translate(column_origin.to_vec2()));
            }
            let text = state.doc.text().clone();
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Document, true, "Article text"));
            ui.ctx().accesskit_node_builder(response.id, |node| {
                node.set_value(text.to_string());
            });
        });

        if !state.doc.is_fully_laid_out() {
            state.doc.layout_more(&mut renderer.engine, BACKGROUND_LAYOUT_BUDGET);
            ui.ctx().request_repaint();
        }
        output
    }
}

/// The highlights sorted by start, borrowing when they already are.
fn sorted(highlights: &[Highlight]) -> std::borrow::Cow<'_, [Highlight]> {
    if highlights.is_sorted_by_key(|h| h.range.start) {
        std::borrow::Cow::Borrowed(highlights)
    } else {
        let mut owned = highlights.to_vec();
        owned.sort_by_key(|h| h.range.start);
        std::borrow::Cow::Owned(owned)
    }
}

fn handle_pointer(ui: &Ui, response: &egui::Response, origin: egui::Pos2, state: &mut TextViewState, word_at: Option<WordAt<'_>>, output: &mut TextViewOutput) {
    let char_at = |state: &mut TextViewState, pos: egui::Pos2| state.doc.hit_test(pos.x - origin.x, pos.y - origin.y);
    if let Some(pos) = response.hover_pos() {
        output.hovered = char_at(state, pos);
    }
    let pointer = response.interact_pointer_pos().or_else(|| ui.input(|i| i.pointer.interact_pos()));
    if response.double_clicked() {
        if let Some(c) = pointer.and_then(|p| char_at(state, p)) {
            let text = state.doc.text().clone();
            let word = match word_at {
                Some(f) => f(&text, c),
                None => unicode_word_at(&text, c),
            };
            state.selection = Some(word);
            output.selection_changed = true;
            output.selection_finished = true;
        }
        state.drag_anchor = None;
        return;
    }
    if response.drag_started_by(egui::PointerButton::Primary) {
        let press = ui.input(|i| i.pointer.press_origin()).or(pointer);
        state.drag_anchor = press.and_then(|p| char_at(state, p));
        if let Some(anchor) = state.drag_anchor {
            state.selection = Some(anchor..anchor + 1);
            output.selection_changed = true;
        }
    }
    if response.dragged_by(egui::PointerButton::Primary)
        && let (Some(anchor), Some(pos)) = (state.drag_anchor, pointer)
        && let Some(focus) = char_at(state, pos)
    {
        let range = anchor.min(focus)..anchor.max(focus) + 1;
        if state.selection.as_ref() != Some(&range) {
            state.selection = Some(range);
            output.selection_changed = true;
        }
    }
    if response.drag_stopped() && state.drag_anchor.take().is_some() {
        output.selection_finished = true;
    }
    if response.clicked() {
        output.clicked = pointer.and_then(|p| char_at(state, p));
        if state.selection.take().is_some() {
            output.selection_changed = true;
        }
    }
    if response.secondary_clicked() {
        output.secondary_clicked = pointer.and_then(|p| char_at(state, p));
    }
}

/// The Unicode word (UAX #29) around a character offset.
pub fn unicode_word_at(text: &str, char_index: usize) -> Range<usize> {
    use unicode_segmentation::UnicodeSegmentation;
    let mut chars_before = 0;
    for (_, word) in text.split_word_bound_indices() {
        let len = word.chars().count();
        if char_index < chars_before + len {
            return chars_before..chars_before + len;
        }
        chars_before += len;
    }
    char_index..char_index + 1
}

/// Paints a scene: fills, borders and underlines, then the glyphs as one textured mesh.
fn paint_scene(ui: &Ui, scene: &Scene, texture: egui::TextureId, text_color: Color32) {
    let painter = ui.painter();
    for (rect, color) in &scene.fills {
        painter.rect_filled(*rect, 2.0, *color);
    }
    // Dashes are axis-aligned, so they go into one mesh of pixel-aligned quads: as separate line
    // shapes, the hundreds of proposals on a screen cost a millisecond of tessellation a frame.
    let mut dashes = Mesh::default();
    let pixels_per_point = ui.ctx().pixels_per_point();
    for (rect, color, width, dashed) in &scene.outlines {
        if *dashed {
            add_dashed_outline(&mut dashes, *rect, *width, *color, pixels_per_point);
        } else {
            painter.rect_stroke(*rect, 2.0, Stroke::new(*width, *color), egui::StrokeKind::Inside);
        }
    }
    if !dashes.is_empty() {
        painter.add(Shape::mesh(dashes));
    }
    for (from, to, color, width) in &scene.lines {
        painter.line_segment([*from, *to], Stroke::new(*width, *color));
    }
    let mut mesh = Mesh::with_texture(texture);
    let atlas_size = ATLAS_SIZE as f32;
    for quad in &scene.glyphs {
        let [x, y, w, h] = quad.atlas.map(|v| v as f32);
        let uv = Rect::from_min_max(pos2(x / atlas_size, y / atlas_size), pos2((x + w) / atlas_size, (y + h) / atlas_size));
        mesh.add_rect_with_uv(quad.rect, uv, text_color);
    }
    painter.add(Shape::mesh(mesh));
}

/// Length of a dash and of the gap after it, in points.
const DASH: f32 = 4.0;
const DASH_GAP: f32 = 3.0;

/// Adds a dashed border around `rect` to `mesh`: dashes of [`DASH`] with gaps of [`DASH_GAP`] that
/// run on round the corners, `width` thick and centred on the border, snapped to whole pixels.
fn add_dashed_outline(mesh: &mut Mesh, rect: Rect, width: f32, color: Color32, pixels_per_point: f32) {
    let snap = |v: f32| (v * pixels_per_point).round() / pixels_per_point;
    let thickness = snap(width).max(1.0 / pixels_per_point);
    let corners = [rect.left_top(), rect.right_top(), rect.right_bottom(), rect.left_bottom(), rect.left_top()];
    // Where along the border the pattern stands: inside a dash while below DASH.
    let mut phase = 0.0;
    for side in corners.windows(2) {
        let (from, to) = (side[0], side[1]);
        let length = (to - from).length();
        if !length.is_finite() {
            return;
        }
        let direction = if length > 0.0 { (to - from) / length } else { egui::Vec2::ZERO };
        let mut along = 0.0;
        while along < length {
            let in_dash = phase < DASH;
            let step = if in_dash { DASH - phase } else { DASH + DASH_GAP - phase }.min(length - along);
            if in_dash && step > 0.0 {
                let (a, b) = (from + direction * along, from + direction * (along + step));
                // Along the side the ends snap to pixels; across it the dash is `thickness` from
                // a snapped edge, so every dash is equally crisp.
                let quad = if direction.y == 0.0 {
                    let top = snap(a.y - thickness / 2.0);
                    Rect::from_min_max(pos2(snap(a.x.min(b.x)), top), pos2(snap(a.x.max(b.x)), top + thickness))
                } else {
                    let left = snap(a.x - thickness / 2.0);
                    Rect::from_min_max(pos2(left, snap(a.y.min(b.y))), pos2(left + thickness, snap(a.y.max(b.y))))
                };
                if quad.width() > 0.0 && quad.height() > 0.0 {
                    mesh.add_colored_rect(quad, color);
                }
            }
            along += step;
            phase = (phase + step) % (DASH + DASH_GAP);
        }
    }
}

/// Short right-to-left-aware text for lists, panels and messages (entity names, notes, notices),
/// laid out with the same engine as the article so mixed Arabic, digits and Latin read in the
/// right order. On one line by default; it can wrap at a width, or be cut to a width with an
/// ellipsis (keeping its reading start, and the whole text as a tooltip).
pub struct InlineText<'a> {
    text: &'a str,
    font_size: f32,
    color: Option<Color32>,
    wrap_width: Option<f32>,
    max_width: Option<f32>,
    centre: Option<Centre>,
}

/// A range of an inline text shown in the middle of a fixed width (a keyword in its context).
struct Centre {
    range: Range<usize>,
    width: f32,
    fill: Color32,
}

/// Width a one-line inline text is laid out at: wider than any name or message.
const ONE_LINE: f32 = 10_000.0;

impl<'a> InlineText<'a> {
    /// Text at a font size.
    pub fn new(text: &'a str, font_size: f32) -> Self {
        Self { text, font_size, color: None, wrap_width: None, max_width: None, centre: None }
    }

    /// Paints in this colour instead of the theme's text colour.
    pub fn color(mut self, color: Color32) -> Self {
        self.color = Some(color);
        self
    }

    /// Breaks lines to fit `width` points.
    pub fn wrap(mut self, width: f32) -> Self {
        self.wrap_width = Some(width.max(40.0));
        self
    }

    /// Cuts a text wider than `width` points to that width, with an ellipsis where it is cut.
    pub fn elide(mut self, width: f32) -> Self {
        self.max_width = Some(width.max(16.0));
        self
    }

    /// Takes `width` points and places the text so that its chars `range` sit in the middle,
    /// filled with `fill`; the text on either side is cut at the edges. The text is laid out as
    /// one line, so the letters of a word the range cuts stay joined and the bidi order of the
    /// whole line holds (a keyword-in-context line: the words before a right-to-left hit on its
    /// right, those after it on its left).
    pub fn centre_on(mut self, range: Range<usize>, width: f32, fill: Color32) -> Self {
        self.centre = Some(Centre { range, width: width.max(16.0), fill });
        self
    }

    /// Lays out (cached per text, size and width) and paints; clicks are reported on the response.
    pub fn show(self, ui: &mut Ui, renderer: &mut TextRenderer) -> egui::Response {
        let layout_width = self.wrap_width.unwrap_or(ONE_LINE);
        let key = (self.text.to_owned(), self.font_size.to_bits(), layout_width.to_bits());
        if !renderer.inline_cache.contains_key(&key) {
            if renderer.inline_cache.len() > 4096 {
                renderer.inline_cache.clear();
            }
            let layout = renderer.engine.layout_paragraph(self.text, self.font_size, layout_width);
            renderer.inline_cache.insert(key.clone(), layout);
        }
        let Some(layout) = renderer.inline_cache.get(&key) else { return ui.label(self.text) };
        let left = layout.boxes.iter().map(|b| b.x0).fold(f32::MAX, f32::min).min(layout_width);
        let right = layout.boxes.iter().map(|b| b.x1).fold(0.0_f32, f32::max);
        let width = (right - left).max(0.0);
        let cut = self.max_width.filter(|&max| width > max);
        let shown_width = self.centre.as_ref().map_or(cut.unwrap_or(width), |c| c.width);
        let (rect, response) = ui.allocate_exact_size(vec2(shown_width, layout.height), Sense::click());
        let mut scene = Scene::default();
        let x0 = match &self.centre {
            Some(centre) => {
                let pieces = layout.range_rects(centre.range.clone());
                let (from, to) = pieces.iter().fold((f32::MAX, f32::MIN), |(a, b), r| (a.min(r[0]), b.max(r[2])));
                let middle = if pieces.is_empty() { (left + right) / 2.0 } else { (from + to) / 2.0 };
                let x0 = rect.center().x - middle;
                // The fill hugs the letters rather than the tall line box.
                let inset = (layout.height - self.font_size * 1.5).max(0.0) / 2.0;
                for [a, top, b, bottom] in pieces {
                    let fill = Rect::from_min_max(pos2(x0 + a, rect.min.y + top + inset), pos2(x0 + b, rect.min.y + bottom - inset));
                    scene.fills.push((fill.intersect(rect), centre.fill));
                }
                x0
            }
            // A cut text keeps its reading start: the right end of right-to-left text.
            None if cut.is_some() && layout.rtl => rect.max.x - right,
            None => rect.min.x - left,
        };
        let ppp = ui.ctx().pixels_per_point();
        let size_64 = (self.font_size * ppp * 64.0).round() as u32;
        let origin_px = pos2((x0 * ppp).round(), (rect.min.y * ppp).round());
        for glyph in &layout.glyphs {
            match super::scene::glyph_quad(glyph, origin_px, 0.0, ppp, size_64, &mut renderer.atlas, &renderer.engine.fonts) {
                Some(quad) if quad.atlas[2] > 0 => scene.glyphs.push(quad),
                Some(_) => {}
                None => scene.atlas_full = true,
            }
        }
        if scene.atlas_full {
            renderer.atlas.clear();
            ui.ctx().request_repaint();
        }
        let rtl = layout.rtl;
        let texture = renderer.sync_texture(ui.ctx());
        let color = self.color.unwrap_or_else(|| ui.visuals().text_color());
        if self.centre.is_some() {
            let mut clipped = ui.new_child(egui::UiBuilder::new().max_rect(rect));
            clipped.set_clip_rect(rect.intersect(ui.clip_rect()));
            paint_scene(&clipped, &scene, texture, color);
        } else if cut.is_some() {
            let ellipsis = egui::FontId::proportional(self.font_size * 0.8);
            let galley = ui.painter().layout_no_wrap("…".to_owned(), ellipsis, color);
            let mark = if rtl {
                Rect::from_min_size(rect.min, vec2(galley.size().x + 2.0, rect.height()))
            } else {
                Rect::from_min_max(pos2(rect.max.x - galley.size().x - 2.0, rect.min.y), rect.max)
            };
            let mut clipped = ui.new_child(egui::UiBuilder::new().max_rect(rect));
            let text_clip =
                if rtl { Rect::from_min_max(pos2(mark.max.x, rect.min.y), rect.max) } else { Rect::from_min_max(rect.min, pos2(mark.min.x, rect.max.y)) };
            clipped.set_clip_rect(text_clip.intersect(ui.clip_rect()));
            paint_scene(&clipped, &scene, texture, color);
            ui.painter().galley(pos2(mark.min.x + 1.0, mark.center().y - galley.size().y / 2.0), galley, color);
        } else {
            paint_scene(ui, &scene, texture, color);
        }
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, self.text));
        if cut.is_some() { response.on_hover_text(self.text) } else { response }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quads of a dashed outline, as rects.
    fn dashes(rect: Rect, pixels_per_point: f32) -> Vec<Rect> {
        let mut mesh = Mesh::default();
        add_dashed_outline(&mut mesh, rect, 1.0, Color32::RED, pixels_per_point);
        mesh.vertices.chunks(4).map(|quad| Rect::from_points(&quad.iter().map(|v| v.pos).collect::<Vec<_>>())).collect()
    }

    #[test]
    fn a_dashed_outline_covers_four_sevenths_of_the_border_on_whole_pixels() {
        let rect = Rect::from_min_max(pos2(10.0, 20.0), pos2(80.0, 48.0));
        let quads = dashes(rect, 1.0);
        let perimeter = 2.0 * (rect.width() + rect.height());
        let dashed: f32 = quads.iter().map(|q| q.width().max(q.height())).sum();
        assert!((dashed - perimeter * DASH / (DASH + DASH_GAP)).abs() <= 4.0, "{dashed} of {perimeter}");
        for quad in &quads {
            assert!(rect.expand(1.0).contains_rect(*quad), "{quad:?} on the border");
            assert_eq!(quad.width().min(quad.height()), 1.0, "one pixel thick");
            for v in [quad.min.x, quad.min.y, quad.max.x, quad.max.y] {
                assert_eq!(v, v.round(), "on whole pixels");
            }
        }
    }

    #[test]
    fn dashes_snap_to_device_pixels_at_double_density() {
        for quad in dashes(Rect::from_min_max(pos2(10.3, 20.1), pos2(60.7, 41.9)), 2.0) {
            for v in [quad.min.x, quad.min.y, quad.max.x, quad.max.y] {
                assert_eq!(v * 2.0, (v * 2.0).round(), "{quad:?}");
            }
        }
    }

    #[test]
    fn an_endless_rect_draws_nothing_and_returns() {
        assert!(dashes(Rect::EVERYTHING, 1.0).is_empty());
    }
}
