//! Char offsets to byte offsets, since spans count chars and Rust slices count bytes.

use std::ops::Range;

/// The part of `text` between char offsets `range`, or `None` if the range is out of bounds or
/// reversed.
pub fn char_slice(text: &str, range: Range<usize>) -> Option<&str> {
    if range.start > range.end {
        return None;
    }
    let mut boundaries = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len()));
    let start = boundaries.nth(range.start)?;
    let end = if range.end == range.start { start } else { boundaries.nth(range.end - range.start - 1)? };
    Some(&text[start..end])
}

/// Which chars of a text a set of ranges covers, so that "does this range overlap any of them"
/// costs the length of the range, not the number of ranges.
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    words: Vec<u64>,
    len: usize,
}

impl Coverage {
    /// Nothing covered, in a text of `len` chars.
    pub fn new(len: usize) -> Self {
        Coverage { words: vec![0; len.div_ceil(64)], len }
    }

    /// Marks the chars of `range` (clamped to the text) as covered.
    pub fn cover(&mut self, range: Range<usize>) {
        for i in range.start..range.end.min(self.len) {
            self.words[i / 64] |= 1 << (i % 64);
        }
    }

    /// Whether any char of `range` is covered; non-empty ranges overlap exactly when they share a
    /// char.
    pub fn covers_any(&self, range: Range<usize>) -> bool {
        (range.start..range.end.min(self.len)).any(|i| self.words[i / 64] & (1 << (i % 64)) != 0)
    }
}

/// `items.partition_point(pred)`, searched outwards from `guess` with widening steps: a few
/// probes when the guess is close, where a plain binary search over a 1 MB article's spans or
/// chars misses the cache at each of its sixteen or twenty.
pub fn partition_point_from<T>(items: &[T], guess: usize, pred: impl Fn(&T) -> bool) -> usize {
    let count = items.len();
    let guess = guess.min(count);
    // Bracket the answer in lo..=hi.
    let (mut lo, mut hi) = (0, count);
    if guess < count && pred(&items[guess]) {
        lo = guess + 1;
        let mut step = 1;
        while let Some(probe) = guess.checked_add(step).filter(|&p| p < count) {
            if !pred(&items[probe]) {
                hi = probe;
                break;
            }
            lo = probe + 1;
            step *= 2;
        }
    } else {
        hi = guess;
        let mut step = 1;
        while let Some(probe) = guess.checked_sub(step) {
            if pred(&items[probe]) {
                lo = probe + 1;
                break;
            }
            hi = probe;
            step *= 2;
        }
    }
    lo + items[lo..hi].partition_point(pred)
}

/// How many chars lie between two checkpoints; small enough that walking them is cheap.
const STRIDE: usize = 32;

/// Maps char offsets to byte offsets of one text in O(1) (at most `STRIDE` chars walked) and
/// back in O(log n).
#[derive(Clone, Debug)]
pub struct CharIndex<'t> {
    text: &'t str,
    /// Byte offset of char `i * STRIDE`.
    checkpoints: Vec<usize>,
    len_chars: usize,
}

impl<'t> CharIndex<'t> {
    /// Indexes `text`.
    pub fn new(text: &'t str) -> Self {
        let mut checkpoints = Vec::with_capacity(text.len() / STRIDE + 1);
        let mut len_chars = 0;
        for (i, (byte, _)) in text.char_indices().enumerate() {
            if i % STRIDE == 0 {
                checkpoints.push(byte);
            }
            len_chars = i + 1;
        }
        CharIndex { text, checkpoints, len_chars }
    }

    /// The indexed text.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// Number of chars in the text.
    pub fn len_chars(&self) -> usize {
        self.len_chars
    }

    /// Byte offset of char `char_offset`; the text's byte length for the end offset, `None`
    /// beyond it.
    pub fn byte_offset(&self, char_offset: usize) -> Option<usize> {
        if char_offset == self.len_chars {
            return Some(self.text.len());
        }
        if char_offset > self.len_chars {
            return None;
        }
        let base = *self.checkpoints.get(char_offset / STRIDE)?;
        let walk = char_offset % STRIDE;
        self.text[base..].char_indices().nth(walk).map(|(b, _)| base + b)
    }

    /// Char offset of byte `byte_offset`, `None` if it is not on a char boundary or beyond the end.
    pub fn char_offset(&self, byte_offset: usize) -> Option<usize> {
        if byte_offset == self.text.len() {
            return Some(self.len_chars);
        }
        if !self.text.is_char_boundary(byte_offset) {
            return None;
        }
        let block = self.checkpoints.partition_point(|&b| b <= byte_offset).checked_sub(1)?;
        let base = self.checkpoints[block];
        Some(block * STRIDE + self.text[base..byte_offset].chars().count())
    }

    /// The text between char offsets `range`, `None` if out of bounds or reversed.
    pub fn slice(&self, range: Range<usize>) -> Option<&'t str> {
        if range.start > range.end {
            return None;
        }
        let start = self.byte_offset(range.start)?;
        let end = self.byte_offset(range.end)?;
        Some(&self.text[start..end])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn searching_from_any_guess_finds_what_a_binary_search_finds(mut items in proptest::collection::vec(0usize..1_000, 0..300), at in 0usize..1_100, guess in 0usize..400) {
            items.sort_unstable();
            proptest::prop_assert_eq!(partition_point_from(&items, guess, |&x| x < at), items.partition_point(|&x| x < at));
        }
    }

    #[test]
    fn coverage_answers_overlap_like_the_ranges_would() {
        let mut covered = Coverage::new(200);
        covered.cover(10..13);
        covered.cover(63..66);
        covered.cover(190..250);
        for (range, overlaps) in
            [(0..10, false), (9..11, true), (12..20, true), (13..63, false), (60..64, true), (66..70, false), (199..300, true), (200..300, false)]
        {
            assert_eq!(covered.covers_any(range.clone()), overlaps, "{range:?}");
        }
    }

    const TEXT: &str = "التقى جون كيري بنظيره الروسي في موسكو 2016.";

    #[test]
    #[allow(clippy::reversed_empty_ranges, reason = "reversed ranges are what is being tested")]
    fn char_slice_counts_chars_not_bytes() {
        assert_eq!(char_slice(TEXT, 6..14), Some("جون كيري"));
        assert_eq!(char_slice(TEXT, 0..0), Some(""));
        let n = TEXT.chars().count();
        assert_eq!(char_slice(TEXT, n..n), Some(""));
        assert_eq!(char_slice(TEXT, n - 1..n), Some("."));
        assert_eq!(char_slice(TEXT, n..n + 1), None);
        assert_eq!(char_slice(TEXT, 5..4), None);
        assert_eq!(char_slice("", 0..0), Some(""));
        assert_eq!(char_slice("", 0..1), None);
    }

    #[test]
    fn char_index_agrees_with_char_indices_everywhere() {
        let long: String = std::iter::repeat_n(TEXT, 20).collect::<Vec<_>>().join("\nA ");
        for text in [TEXT, "", "a", long.as_str()] {
            let index = CharIndex::new(text);
            let bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).collect();
            assert_eq!(index.len_chars(), bytes.len() - 1);
            for (c, &b) in bytes.iter().enumerate() {
                assert_eq!(index.byte_offset(c), Some(b), "char {c}");
                assert_eq!(index.char_offset(b), Some(c), "byte {b}");
            }
            assert_eq!(index.byte_offset(bytes.len()), None);
            assert_eq!(index.char_offset(text.len() + 1), None);
        }
    }

    #[test]
    fn char_index_rejects_bytes_inside_a_char() {
        let index = CharIndex::new(TEXT);
        assert_eq!(index.char_offset(1), None);
    }

    #[test]
    #[allow(clippy::reversed_empty_ranges, reason = "reversed ranges are what is being tested")]
    fn char_index_slice_matches_char_slice() {
        let index = CharIndex::new(TEXT);
        assert_eq!(index.slice(6..14), char_slice(TEXT, 6..14));
        assert_eq!(index.slice(30..1000), None);
        assert_eq!(index.slice(3..2), None);
    }
}
