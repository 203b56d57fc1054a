//! Visual order and geometry of the text view's layout (no window needed).

use std::sync::Arc;

use skrifa::MetadataProvider;
use tawsim::text_view::{DocumentLayout, LayoutEngine, ParagraphLayout};

fn layout(engine: &mut LayoutEngine, text: &str) -> ParagraphLayout {
    engine.layout_paragraph(text, 20.0, 2000.0)
}

/// Character index of the first occurrence of `needle`.
fn char_index(text: &str, needle: &str) -> usize {
    let byte = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in {text:?}"));
    text[..byte].chars().count()
}

/// Left edges of a run of characters, in logical order.
fn lefts(p: &ParagraphLayout, start: usize, len: usize) -> Vec<f32> {
    (start..start + len).map(|i| p.boxes[i].x0).collect()
}

fn strictly_increasing(xs: &[f32]) -> bool {
    xs.windows(2).all(|w| w[0] < w[1])
}

fn strictly_decreasing(xs: &[f32]) -> bool {
    xs.windows(2).all(|w| w[0] > w[1])
}

/// The glyph id `c` maps to in the font used for the glyph at visual extreme `rightmost`.
fn extreme_glyph_is(engine: &LayoutEngine, p: &ParagraphLayout, rightmost: bool, c: char) -> bool {
    let glyph =
        if rightmost { p.glyphs.iter().max_by(|a, b| a.x.total_cmp(&b.x)) } else { p.glyphs.iter().min_by(|a, b| a.x.total_cmp(&b.x)) }.expect("glyphs");
    let face = engine.fonts.face(glyph.font).expect("font");
    let font = skrifa::FontRef::from_index(face.data.data.as_ref(), face.data.index).expect("font parses");
    font.charmap().map(c).map(|g| g.to_u32()) == Some(glyph.id)
}

#[test]
fn digits_read_left_to_right_inside_an_rtl_line() {
    let mut engine = LayoutEngine::new();
    let text = "قرار مجلس الأمن رقم 2254";
    let p = layout(&mut engine, text);
    assert!(p.rtl, "an Arabic paragraph is right-to-left");
    let digits = char_index(text, "2254");
    assert!(strictly_increasing(&lefts(&p, digits, 4)), "2254 must not read 4522: {:?}", lefts(&p, digits, 4));
    // The number ends the sentence, so in an RTL line it sits at the far left.
    let min_x = p.boxes.iter().map(|b| b.x0).fold(f32::MAX, f32::min);
    assert_eq!(p.boxes[digits].x0, min_x);
    // The first letter is the rightmost character, and Arabic letters go right to left.
    let max_x = p.boxes.iter().map(|b| b.x1).fold(f32::MIN, f32::max);
    assert_eq!(p.boxes[0].x1, max_x);
    assert!(strictly_decreasing(&lefts(&p, 0, 4)));
}

#[test]
fn latin_acronym_keeps_its_order_between_arabic_words() {
    let mut engine = LayoutEngine::new();
    let text = "قالت CNN إن";
    let p = layout(&mut engine, text);
    assert!(p.rtl);
    let cnn = char_index(text, "CNN");
    let in_ = char_index(text, "إن");
    assert!(strictly_increasing(&lefts(&p, cnn, 3)));
    assert!(p.boxes[0].x0 > p.boxes[cnn + 2].x1 - 0.01, "قالت is right of CNN");
    assert!(p.boxes[cnn].x0 > p.boxes[in_].x0, "CNN is right of إن");
}

#[test]
fn arabic_indic_digits_read_left_to_right() {
    let mut engine = LayoutEngine::new();
    let text = "عام ٢٠١٦";
    let p = layout(&mut engine, text);
    let year = char_index(text, "٢٠١٦");
    assert!(strictly_increasing(&lefts(&p, year, 4)), "{:?}", lefts(&p, year, 4));
    assert!(p.boxes[0].x0 > p.boxes[year + 3].x0);
}

#[test]
fn percentages_and_decimals_stay_whole() {
    let mut engine = LayoutEngine::new();
    let text = "بنسبة 83% ونمو 2.2 في المئة";
    let p = layout(&mut engine, text);
    let pct = char_index(text, "83%");
    assert!(strictly_increasing(&lefts(&p, pct, 2)), "83 in order: {:?}", lefts(&p, pct, 2));
    // UAX #9 W2: European digits after Arabic letters resolve as Arabic numbers, so the percent
    // sign does not join the number and, read right to left, follows it: it sits on its left.
    assert!((p.boxes[pct + 2].x1 - p.boxes[pct].x0).abs() < 0.01, "% directly left of 83");
    let dec = char_index(text, "2.2");
    assert!(strictly_increasing(&lefts(&p, dec, 3)), "2.2 in order: {:?}", lefts(&p, dec, 3));
    assert!(p.boxes[pct].x0 > p.boxes[dec].x0, "the earlier number is further right");
}

#[test]
fn parentheses_are_mirrored_in_rtl() {
    let mut engine = LayoutEngine::new();
    let text = "(لافروف)";
    let p = layout(&mut engine, text);
    assert!(p.rtl);
    let last = text.chars().count() - 1;
    assert!(p.boxes[0].x0 > p.boxes[last].x0, "the opening parenthesis is on the right");
    assert!(extreme_glyph_is(&engine, &p, true, ')'), "the right one is drawn as ')'");
    assert!(extreme_glyph_is(&engine, &p, false, '('), "the left one is drawn as '('");
}

#[test]
fn guillemets_are_mirrored_in_rtl() {
    let mut engine = LayoutEngine::new();
    let text = "«نبحث فرض المزيد»";
    let p = layout(&mut engine, text);
    let last = text.chars().count() - 1;
    assert!(p.boxes[0].x0 > p.boxes[last].x0);
    assert!(extreme_glyph_is(&engine, &p, true, '»'));
    assert!(extreme_glyph_is(&engine, &p, false, '«'));
}

#[test]
fn latin_paragraph_is_left_to_right_and_left_aligned() {
    let mut engine = LayoutEngine::new();
    let text = "Security Council resolution 2254";
    let p = layout(&mut engine, text);
    assert!(!p.rtl);
    assert!(p.boxes[0].x0.abs() < 1.0, "starts at the left edge");
    assert!(strictly_increasing(&lefts(&p, 0, text.len())));
    // Latin letters come from the Latin face, not from a fallback inside the Arabic font.
    let face = engine.fonts.face(p.glyphs[0].font).expect("font");
    assert_eq!(face.data.data.as_ref().len(), epaint_default_fonts::UBUNTU_LIGHT.len());
}

#[test]
fn arabic_paragraph_is_right_aligned() {
    let mut engine = LayoutEngine::new();
    let p = engine.layout_paragraph("سوريا", 20.0, 500.0);
    let right = p.boxes.iter().map(|b| b.x1).fold(f32::MIN, f32::max);
    assert!((right - 500.0).abs() < 1.0, "right edge at the column's right: {right}");
}

#[test]
fn empty_paragraph_has_a_line_of_height_and_nothing_to_hit() {
    let mut engine = LayoutEngine::new();
    let p = layout(&mut engine, "");
    assert!(p.is_empty());
    assert!(p.height >= 20.0);
    assert_eq!(p.hit_test(10.0, 5.0), None);
    assert!(p.range_rects(0..1).is_empty());
}

#[test]
fn range_across_a_direction_change_gets_one_rectangle_per_piece() {
    let mut engine = LayoutEngine::new();
    let text = "قالت CNN BBC أمس";
    let p = layout(&mut engine, text);
    // قالت + space + CNN: قالت is at the right, CNN at the left end of the Latin island, BBC
    // lies between them.
    let end = char_index(text, "CNN") + 3;
    let rects = p.range_rects(0..end);
    assert_eq!(rects.len(), 2, "{rects:?}");
    // A range wholly inside one direction is one rectangle.
    assert_eq!(p.range_rects(char_index(text, "أمس")..text.chars().count()).len(), 1);
}

#[test]
fn highlight_inside_a_glued_word_covers_only_its_letters() {
    let mut engine = LayoutEngine::new();
    let text = "اجتماع دمشقوموسكو أمس";
    let p = layout(&mut engine, text);
    let word = char_index(text, "دمشقوموسكو");
    let moscow = word + 5..word + 10;
    let rects = p.range_rects(moscow.clone());
    assert_eq!(rects.len(), 1);
    let whole = p.range_rects(word..word + 10);
    assert_eq!(whole.len(), 1);
    // موسكو is the left part of the glued word (it comes second in an RTL word).
    assert!((rects[0][0] - whole[0][0]).abs() < 0.01);
    assert!(rects[0][2] < whole[0][2] - 5.0);
}

#[test]
fn lam_alef_ligature_splits_between_its_two_letters() {
    let mut engine = LayoutEngine::new();
    let text = "السلام";
    let p = layout(&mut engine, text);
    let lam = char_index(text, "لا");
    let (l, a) = (p.boxes[lam], p.boxes[lam + 1]);
    assert!(l.x1 - l.x0 > 0.5 && a.x1 - a.x0 > 0.5, "each letter has its own box: {l:?} {a:?}");
    assert!(l.x0 > a.x0, "lam is to the right of alef");
    for i in [lam, lam + 1] {
        let [x0, y0, x1, y1] = p.char_rect(i).expect("rect");
        assert_eq!(p.hit_test((x0 + x1) / 2.0, (y0 + y1) / 2.0), Some(i));
    }
}

#[test]
fn harakat_are_placed_with_their_letters() {
    let mut engine = LayoutEngine::new();
    let plain = layout(&mut engine, "محمد");
    let voweled = layout(&mut engine, "مُحَمَّد");
    let width = |p: &ParagraphLayout| p.boxes.iter().map(|b| b.x1).fold(f32::MIN, f32::max) - p.boxes.iter().map(|b| b.x0).fold(f32::MAX, f32::min);
    // Marks take no advance of their own: the word is as wide with harakat as without.
    assert!((width(&plain) - width(&voweled)).abs() < 0.5, "{} vs {}", width(&plain), width(&voweled));
    assert!(voweled.glyphs.len() > plain.glyphs.len(), "the marks are drawn");
}

/// Every character of the long sample at two widths: the centre of its rectangle hit-tests back
/// to it, and the rectangles of a range are covered by its characters' rectangles.
#[test]
fn hit_testing_round_trips_over_the_long_sample() {
    let text = std::fs::read_to_string(tawsim::sample_corpus_dir().join("syria-news-digest.txt")).expect("sample");
    let mut engine = LayoutEngine::new();
    for width in [900.0, 420.0] {
        let mut doc = DocumentLayout::new(Arc::from(text.as_str()));
        doc.set_geometry(width, 20.0);
        doc.layout_all(&mut engine);
        let mut checked = 0;
        for paragraph in doc.paragraphs().to_vec() {
            for c in paragraph.chars() {
                let [x0, y0, x1, y1] = doc.char_rect(c).expect("laid out");
                let hit = doc.hit_test((x0 + x1) / 2.0, (y0 + y1) / 2.0);
                assert_eq!(hit, Some(c), "width {width}: character {c} ({:?})", text.chars().nth(c));
                checked += 1;
            }
        }
        assert!(checked > 20_000);

        let length = text.chars().count();
        for start in (0..length).step_by(97) {
            for len in [1, 4, 11, 37] {
                let range = start..(start + len).min(length);
                let chars: Vec<[f32; 4]> = range.clone().filter_map(|c| doc.char_rect(c)).collect();
                for rect in doc.range_rects(range.clone()) {
                    let mut x = rect[0] + 0.05;
                    while x < rect[2] - 0.05 {
                        let y = (rect[1] + rect[3]) / 2.0;
                        assert!(
                            chars.iter().any(|c| c[0] - 0.01 <= x && x <= c[2] + 0.01 && c[1] <= y && y <= c[3]),
                            "width {width}: range {range:?} rect {rect:?} covers x={x} outside its characters"
                        );
                        x += 0.5;
                    }
                }
            }
        }
    }
}
