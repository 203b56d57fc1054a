//! Snapping mouse selections to whole words minus proclitics, for the annotation editor.
//!
//! Double-click selects the word under the pointer without its proclitics (`وروسيا` → `روسيا`);
//! a drag grows to whole words, without the first word's proclitics and without punctuation at
//! either end. Words glued by a lost space (`دمشقوموسكو`, `الولاياتالمتحدة`) stay whole: nothing
//! here can tell where the space was, so the editor's raw character selection (with a modifier
//! key) is the way to take `موسكو` out of `دمشقوموسكو`.

use std::ops::Range;

use super::clitics::split_proclitics;
use super::lexicon::Lexicon;
use super::words::{Word, WordKind, word_containing, words};

/// The word at `char_offset` minus its proclitics, using the bundled lexicon (see [`snap_to_word_with`]).
pub fn snap_to_word(text: &str, char_offset: usize) -> Range<usize> {
    snap_to_word_with(text, char_offset, Lexicon::bundled())
}

/// The word containing the character at `char_offset`, minus its proclitics; an empty range at
/// the offset when it falls on whitespace or past the end.
pub fn snap_to_word_with(text: &str, char_offset: usize, lexicon: &Lexicon) -> Range<usize> {
    match word_containing(text, char_offset) {
        Some(word) => stem_start(text, &word, lexicon)..word.range.end,
        None => char_offset..char_offset,
    }
}

/// A dragged char range grown to whole words minus leading proclitics, with the bundled lexicon.
pub fn snap_range(text: &str, range: Range<usize>) -> Range<usize> {
    snap_range_with(text, range, Lexicon::bundled())
}

/// A dragged char range grown to the whole words it touches, then trimmed: punctuation at either
/// end goes (unless that is all there is) and so do the first word's proclitics, even when the
/// drag began on the proclitic itself. An empty range snaps like a double-click; a range that
/// touches no word becomes empty at its start. Reversed ranges are taken in order.
pub fn snap_range_with(text: &str, range: Range<usize>, lexicon: &Lexicon) -> Range<usize> {
    let (start, end) = (range.start.min(range.end), range.start.max(range.end));
    if start == end {
        return snap_to_word_with(text, start, lexicon);
    }
    let touched: Vec<Word> = words(text).skip_while(|w| w.range.end <= start).take_while(|w| w.range.start < end).collect();
    let not_punct = |w: &&Word| w.kind != WordKind::Punct;
    let (first, last) = match (touched.iter().find(not_punct), touched.iter().rfind(not_punct)) {
        (Some(first), Some(last)) => (first, last),
        _ => match (touched.first(), touched.last()) {
            (Some(first), Some(last)) => return first.range.start..last.range.end,
            _ => return start..start,
        },
    };
    stem_start(text, first, lexicon)..last.range.end
}

/// Char offset in `text` where `word`'s stem begins (its start when nothing is split off).
fn stem_start(text: &str, word: &Word, lexicon: &Lexicon) -> usize {
    if word.kind != WordKind::Letters {
        return word.range.start;
    }
    word.range.start + split_proclitics(word.text(text), lexicon).prefix_len
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(text: &str, range: Range<usize>) -> String {
        text.chars().skip(range.start).take(range.len()).collect()
    }

    /// Char range of the first occurrence of `needle` in `text`.
    fn find(text: &str, needle: &str) -> Range<usize> {
        let byte = text.find(needle).expect("needle in text");
        let start = text[..byte].chars().count();
        start..start + needle.chars().count()
    }

    #[test]
    fn double_click() {
        let text = "نظام الأسد وروسيا، وقال كيري «نبحث» في دمشقوموسكو بالقاهرة";
        let at = |needle: &str, skip: usize| snap_to_word(text, find(text, needle).start + skip);
        assert_eq!(slice(text, at("وروسيا", 0)), "روسيا", "click on the proclitic itself");
        assert_eq!(slice(text, at("وروسيا", 3)), "روسيا");
        assert_eq!(slice(text, at("كيري", 2)), "كيري");
        assert_eq!(slice(text, at("الأسد", 1)), "الأسد");
        assert_eq!(slice(text, at("دمشقوموسكو", 6)), "دمشقوموسكو", "glued words stay whole");
        assert_eq!(slice(text, at("بالقاهرة", 0)), "القاهرة");
        assert_eq!(slice(text, at("،", 0)), "،");
        let space = find(text, " وروسيا").start;
        assert_eq!(snap_to_word(text, space), space..space);
    }

    #[test]
    fn drag() {
        let text = "نظام الأسد وروسيا، وقال جون كيري «نبحث فرض» اليوم";
        let snap = |range: Range<usize>| slice(text, snap_range(text, range));
        let r = find(text, "وروسيا");
        assert_eq!(snap(r.clone()), "روسيا");
        assert_eq!(snap(r.start..r.start + 3), "روسيا", "a partial drag grows to the word");
        assert_eq!(snap(r.start + 2..r.end + 1), "روسيا", "the comma after it is dropped");
        let r = find(text, "جون كيري");
        assert_eq!(snap(r.start + 1..r.end - 1), "جون كيري");
        assert_eq!(snap(r.end - 1..r.start + 1), "جون كيري", "reversed");
        let r = find(text, "«نبحث فرض»");
        assert_eq!(snap(r.clone()), "نبحث فرض", "quotes at the ends are dropped");
        assert_eq!(snap(r.start..r.start + 1), "«", "punctuation alone stays");
        let r = find(text, "الأسد وروسيا");
        assert_eq!(snap(r.start + 2..r.end - 1), "الأسد وروسيا", "only the first word loses proclitics");
        let text2 = "قصف والأسد وروسيا";
        let r = find(text2, "والأسد وروسيا");
        assert_eq!(slice(text2, snap_range(text2, r.start..r.end - 2)), "الأسد وروسيا");
        let gap = find(text, " جون").start;
        assert_eq!(snap_range(text, gap..gap + 1), gap..gap, "whitespace only");
        assert_eq!(snap(find(text, "كيري").start + 1..find(text, "كيري").start + 1), "كيري", "empty: like a click");
    }
}
