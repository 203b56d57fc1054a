//! Normalization for matching, with a map back to the original character offsets.
//!
//! Arabic news spells the same name several ways (أحمد / احمد, مصطفى / مصطفي, with or without
//! harakat or a stretching tatweel), so gazetteers and the lexicon compare normalized forms. What
//! is stored is never normalized: a match found in the normalized text is mapped back with
//! [`Normalized::to_original`] and the span keeps the article's own characters.
//!
//! Every normalized character comes from exactly one original character (substitutions and
//! deletions only, never expansions), which keeps the map a plain increasing list.

use std::ops::Range;

use super::chars::{TATWEEL, digit_value, is_bidi_control, is_combining_hamza, is_haraka, is_joiner};
use super::words::{Word, words};

/// Which foldings [`normalize`] applies; [`Default`] is what matching should use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NormalizeOptions {
    /// أ إ آ ٱ → ا (and a decomposed alef + combining hamza/madda → ا).
    pub alef: bool,
    /// ى → ي: news copy mixes the two at word ends.
    pub alef_maqsura: bool,
    /// ة → ه; off by default because it also merges real minimal pairs.
    pub teh_marbuta: bool,
    /// Remove the tatweel ـ, a purely typographic stretch.
    pub tatweel: bool,
    /// Remove harakat and other Arabic diacritics (see [`super::chars::is_haraka`]).
    pub harakat: bool,
    /// Arabic-Indic ٠–٩ and Extended ۰–۹ digits → 0–9, and ٫ ٬ → `.` `,`.
    pub digits: bool,
    /// Remove invisible characters: ZWNJ, ZWJ, soft hyphen, bidi marks and controls, BOM.
    pub invisible: bool,
}

impl NormalizeOptions {
    /// The default for matching: everything on except ة → ه.
    pub const MATCHING: Self = Self { alef: true, alef_maqsura: true, teh_marbuta: false, tatweel: true, harakat: true, digits: true, invisible: true };

    /// No folding at all: the output equals the input.
    pub const NONE: Self = Self { alef: false, alef_maqsura: false, teh_marbuta: false, tatweel: false, harakat: false, digits: false, invisible: false };
}

impl Default for NormalizeOptions {
    fn default() -> Self {
        Self::MATCHING
    }
}

/// Normalized text plus, for each of its characters, where it came from in the original.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Normalized {
    /// The normalized text.
    pub text: String,
    /// `map[i]` is the original char offset of normalized char `i`; one extra final entry holds the
    /// original length, so `map.len() == text.chars().count() + 1`.
    pub map: Vec<usize>,
    /// Original end (exclusive) of normalized char `i` including the removed marks that sit on it.
    ends: Vec<usize>,
}

/// What happens to one original character.
enum Fold {
    Keep(char),
    /// Removed; `on_letter` when it is a mark that belongs to the letter before it.
    Drop {
        on_letter: bool,
    },
}

fn fold(c: char, prev: Option<char>, opts: &NormalizeOptions) -> Fold {
    if kept_as_is(c) {
        return Fold::Keep(c);
    }
    full_fold(c, prev, opts)
}

/// True for characters that no option changes, tested first because they make up most of Arabic
/// news: ASCII and the basic Arabic letters other than أ إ آ ة ى and the tatweel.
fn kept_as_is(c: char) -> bool {
    c.is_ascii() || (matches!(c, '\u{0621}'..='\u{064A}') && !matches!(c, 'أ' | 'إ' | 'آ' | 'ة' | 'ى' | TATWEEL))
}

fn full_fold(c: char, prev: Option<char>, opts: &NormalizeOptions) -> Fold {
    match c {
        'أ' | 'إ' | 'آ' | 'ٱ' if opts.alef => Fold::Keep('ا'),
        // Decomposed أ إ آ: the hamza/madda is part of the alef letter, so it folds away with it.
        _ if opts.alef && is_combining_hamza(c) && matches!(prev, Some('ا' | 'أ' | 'إ' | 'آ' | 'ٱ')) => Fold::Drop { on_letter: true },
        'ى' if opts.alef_maqsura => Fold::Keep('ي'),
        'ة' if opts.teh_marbuta => Fold::Keep('ه'),
        TATWEEL if opts.tatweel => Fold::Drop { on_letter: false },
        _ if opts.harakat && is_haraka(c) => Fold::Drop { on_letter: true },
        _ if opts.invisible && (is_joiner(c) || is_bidi_control(c)) => Fold::Drop { on_letter: false },
        '\u{066B}' if opts.digits => Fold::Keep('.'),
        '\u{066C}' if opts.digits => Fold::Keep(','),
        _ => match digit_value(c) {
            Some(d) if opts.digits => Fold::Keep(char::from(b'0' + d as u8)),
            _ => Fold::Keep(c),
        },
    }
}

/// Normalizes `text` for matching and records where each resulting character came from.
pub fn normalize(text: &str, opts: &NormalizeOptions) -> Normalized {
    let mut out = String::with_capacity(text.len());
    // At most one entry per byte: never a reallocation, at the price of unused room for Arabic
    // letters (two bytes each).
    let mut map = Vec::with_capacity(text.len() + 1);
    let mut ends: Vec<usize> = Vec::with_capacity(text.len());
    let mut prev = None;
    let mut count = 0;
    for (i, c) in text.chars().enumerate() {
        match fold(c, prev, opts) {
            Fold::Keep(k) => {
                out.push(k);
                map.push(i);
                ends.push(i + 1);
            }
            Fold::Drop { on_letter } => {
                // A mark extends the highlight of its letter only when nothing visible separates them
                // (a haraka on a tatweel does not belong to the letter before the tatweel).
                if on_letter
                    && let Some(end) = ends.last_mut()
                    && *end == i
                {
                    *end = i + 1;
                }
            }
        }
        prev = Some(c);
        count = i + 1;
    }
    map.push(count);
    Normalized { text: out, map, ends }
}

impl Normalized {
    /// Number of characters in the normalized text.
    pub fn char_len(&self) -> usize {
        self.ends.len()
    }

    /// Original char range covered by the normalized char range `range`, for highlighting a match.
    ///
    /// The rule: the result starts at the first matched character and ends after the last one plus
    /// the removed harakat that sit on it, and everything removed between matched characters is
    /// inside. A removed tatweel or invisible character after the last matched letter is left out,
    /// since it is not part of that letter. An empty range maps to an empty range at the original
    /// position of the next kept character. Out-of-range input is clamped, never a panic.
    pub fn to_original(&self, range: Range<usize>) -> Range<usize> {
        let n = self.char_len();
        let start = range.start.min(n);
        let end = range.end.clamp(start, n);
        if start == end {
            let at = self.map[start];
            return at..at;
        }
        self.map[start]..self.ends[end - 1]
    }

    /// Normalized offset of the first normalized char at or after original char offset `offset`.
    ///
    /// A removed character maps to the next kept one, so `from_original(a)..from_original(b)` is the
    /// normalized text of the original range `a..b`.
    pub fn from_original(&self, offset: usize) -> usize {
        self.map[..self.char_len()].partition_point(|&o| o < offset)
    }
}

/// A [`Normalized`] text's map back to the original, stored compactly: only where the offset
/// between normalized and original characters changes (after each removed character) and where
/// a character's highlight extends over removed marks. Arabic news has few harakat or tatweels,
/// so this is a few entries per article where the full map holds one per character.
///
/// [`OffsetMap::to_original`] and [`OffsetMap::from_original`] give exactly what the
/// [`Normalized`] methods of the same names give.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OffsetMap {
    /// `(i, d)`: from normalized char `i` on, the original offset is `i + d` (sorted by `i`).
    shifts: Vec<(u32, u32)>,
    /// `(i, end)`: normalized char `i`'s original end when it is not its original offset + 1.
    ends: Vec<(u32, u32)>,
    /// Number of normalized chars.
    len: u32,
    /// Number of original chars.
    original_len: u32,
}

impl OffsetMap {
    /// Number of characters in the normalized text.
    pub fn char_len(&self) -> usize {
        self.len as usize
    }

    /// Original char offset of normalized char `i` (the original length for `i` at the end).
    fn start_of(&self, i: usize) -> usize {
        if i >= self.char_len() {
            return self.original_len as usize;
        }
        let at = self.shifts.partition_point(|&(from, _)| from as usize <= i);
        i + at.checked_sub(1).map_or(0, |k| self.shifts[k].1 as usize)
    }

    /// Original end (exclusive) of normalized char `i`, its removed marks included.
    fn end_of(&self, i: usize) -> usize {
        match self.ends.binary_search_by_key(&(i as u32), |&(at, _)| at) {
            Ok(k) => self.ends[k].1 as usize,
            Err(_) => self.start_of(i) + 1,
        }
    }

    /// The same as [`Normalized::to_original`].
    pub fn to_original(&self, range: Range<usize>) -> Range<usize> {
        let n = self.char_len();
        let start = range.start.min(n);
        let end = range.end.clamp(start, n);
        if start == end {
            let at = self.start_of(start);
            return at..at;
        }
        self.start_of(start)..self.end_of(end - 1)
    }

    /// The same as [`Normalized::from_original`]: the first normalized char at or after
    /// original offset `offset`.
    pub fn from_original(&self, offset: usize) -> usize {
        // Original offsets only grow with normalized ones, so this is a search over chars; the
        // shift list makes each probe a search too, still nothing next to a scan of the text.
        let (mut low, mut high) = (0, self.char_len());
        while low < high {
            let mid = low + (high - low) / 2;
            if self.start_of(mid) < offset {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        low
    }
}

impl Normalized {
    /// The map back to original offsets, compactly (see [`OffsetMap`]).
    pub fn offset_map(&self) -> OffsetMap {
        let mut shifts = Vec::new();
        let mut ends = Vec::new();
        let mut delta = 0;
        for (i, (&start, &end)) in self.map.iter().zip(&self.ends).enumerate() {
            if start - i != delta {
                delta = start - i;
                shifts.push((i as u32, delta as u32));
            }
            if end != start + 1 {
                ends.push((i as u32, end as u32));
            }
        }
        let original_len = self.map.last().copied().unwrap_or(0) as u32;
        OffsetMap { shifts, ends, len: self.char_len() as u32, original_len }
    }
}

/// The words of `text` (as [`words`] finds them), each with its char range in `normalized`, the
/// normalization of `text`: the word's normalized form is that range, since normalization maps
/// each char on its own. A word of removed marks only has an empty range.
pub fn normalized_words<'a>(text: &'a str, normalized: &'a Normalized) -> impl Iterator<Item = (Word, Range<usize>)> + 'a {
    // Word offsets only grow, so one cursor walks the map where `from_original` would
    // binary-search it for each.
    let kept = &normalized.map[..normalized.char_len()];
    let mut cursor = 0;
    let mut from_original = move |offset: usize| {
        while cursor < kept.len() && kept[cursor] < offset {
            cursor += 1;
        }
        cursor
    };
    words(text).map(move |word| {
        let start = from_original(word.range.start);
        let end = from_original(word.range.end);
        (word, start..end)
    })
}

/// The form a name is compared by: matching-normalized, whitespace runs folded to one space.
pub fn normalize_form(form: &str) -> String {
    let normalized = normalize(form, &NormalizeOptions::MATCHING).text;
    normalized.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(text: &str) -> Normalized {
        normalize(text, &NormalizeOptions::default())
    }

    #[test]
    fn folds_letters_and_removes_marks() {
        let table: &[(&str, NormalizeOptions, &str)] = &[
            ("أحمد إبراهيم آل ٱلله", NormalizeOptions::default(), "احمد ابراهيم ال الله"),
            ("مصطفى", NormalizeOptions::default(), "مصطفي"),
            ("مصطفى", NormalizeOptions { alef_maqsura: false, ..Default::default() }, "مصطفى"),
            ("القاهرة", NormalizeOptions::default(), "القاهرة"),
            ("القاهرة", NormalizeOptions { teh_marbuta: true, ..Default::default() }, "القاهره"),
            ("مُحَمَّد", NormalizeOptions::default(), "محمد"),
            ("هٰذا", NormalizeOptions::default(), "هذا"),
            ("كـــيري", NormalizeOptions::default(), "كيري"),
            ("رقم ٢٢٥٤ و۱۲", NormalizeOptions::default(), "رقم 2254 و12"),
            ("٢٫٥", NormalizeOptions::default(), "2.5"),
            ("رقم ٢٢٥٤", NormalizeOptions { digits: false, ..Default::default() }, "رقم ٢٢٥٤"),
            ("ا\u{0654}حمد", NormalizeOptions::default(), "احمد"),
            ("سو\u{0654}ال", NormalizeOptions::default(), "سو\u{0654}ال"),
            ("كيري\u{200F}، مي\u{200C}خائيل", NormalizeOptions::default(), "كيري، ميخائيل"),
            ("مُحَمَّد أحمد", NormalizeOptions::NONE, "مُحَمَّد أحمد"),
        ];
        for (input, opts, want) in table {
            let got = normalize(input, opts);
            assert_eq!(got.text, *want, "normalizing {input:?} with {opts:?}");
            assert_eq!(got.map.len(), got.text.chars().count() + 1);
            assert_eq!(got.map.last(), Some(&input.chars().count()));
        }
    }

    #[test]
    fn characters_kept_as_is_are_kept_by_every_option() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32).filter(|&c| kept_as_is(c)) {
            for bits in 0..128u8 {
                let bit = |k: u8| bits & (1 << k) != 0;
                let opts = NormalizeOptions {
                    alef: bit(0),
                    alef_maqsura: bit(1),
                    teh_marbuta: bit(2),
                    tatweel: bit(3),
                    harakat: bit(4),
                    digits: bit(5),
                    invisible: bit(6),
                };
                for prev in [None, Some('ا')] {
                    assert!(matches!(full_fold(c, prev, &opts), Fold::Keep(k) if k == c), "{c:?} {opts:?}");
                }
            }
        }
    }

    #[test]
    fn map_points_at_original_characters() {
        // م ُ ح َ م َّ د  →  م ح م د
        let n = norm("مُحَمَّد");
        assert_eq!(n.map, vec![0, 2, 4, 7, 8]);
        assert_eq!(n.to_original(0..4), 0..8);
        // The harakat on the last matched letter come with it.
        assert_eq!(n.to_original(0..2), 0..4);
        assert_eq!(n.to_original(1..3), 2..7);
        assert_eq!(n.from_original(1), 1, "a removed mark maps to the next kept letter");
        assert_eq!(n.from_original(8), 4);
    }

    #[test]
    fn tatweel_after_a_match_is_left_out() {
        // ك ـ ـ ي ر ي : a match on "ك" must not swallow the tatweel run after it.
        let n = norm("كــيري");
        assert_eq!(n.text, "كيري");
        assert_eq!(n.to_original(0..1), 0..1);
        assert_eq!(n.to_original(0..2), 0..4, "tatweel inside the match is covered");
    }

    #[test]
    fn haraka_on_tatweel_does_not_attach_to_the_letter_before() {
        let n = norm("بـَر");
        assert_eq!(n.text, "بر");
        assert_eq!(n.to_original(0..1), 0..1);
    }

    #[test]
    fn empty_and_out_of_range() {
        let n = norm("ابن");
        assert_eq!(n.to_original(1..1), 1..1);
        assert_eq!(n.to_original(2..99), 2..3);
        assert_eq!(n.to_original(Range { start: 5, end: 2 }), 3..3, "reversed");
        let empty = norm("");
        assert_eq!(empty.map, vec![0]);
        assert_eq!(empty.to_original(0..0), 0..0);
        assert_eq!(empty.from_original(3), 0);
    }

    #[test]
    fn offset_map_agrees_with_the_full_map() {
        let texts = ["", "ابن", "مُحَمَّد", "كــيري وَروسيا", "بـَر \u{200F}كيري\u{200C} ", "ا\u{0654}حمد ٢٫٥ ـ", "ـــ", "َ"];
        for text in texts {
            let full = norm(text);
            let compact = full.offset_map();
            let n = full.char_len();
            assert_eq!(compact.char_len(), n);
            for start in 0..=n + 1 {
                for end in 0..=n + 1 {
                    assert_eq!(compact.to_original(start..end), full.to_original(start..end), "{text:?} {start}..{end}");
                }
            }
            for offset in 0..=text.chars().count() + 1 {
                assert_eq!(compact.from_original(offset), full.from_original(offset), "{text:?} from {offset}");
            }
        }
    }
}
