//! An accepted entity's other occurrences: labelling them all at once, in one article.
//!
//! An occurrence is the entity's text as a whole word (or words), with at most three proclitic
//! letters before it (`روسيا` in `وروسيا`). Found by one scan of the text, or, in an article the
//! annotator keeps working in, through [`WordStarts`]: where each word (and each word without its
//! leading proclitic letters) begins, made once per text, so offering and labelling the
//! occurrences of a name costs what its occurrences cost, not what the article costs.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::ops::Range;

use super::KnownSpans;
use crate::arabic::chars::is_proclitic_letter;
use crate::model::{AnnotationFile, CharIndex, Span, SpanEdit, SpanState, partition_point_near};

/// Longest run of proclitic letters before an occurrence that still counts as proclitics
/// (`وبال` is three letters before the stem once `ال` is part of the entity text).
const MAX_PROCLITICS: usize = 3;

/// Where each word of a text begins, by the word's hash: the whole word, and the word without one,
/// two or three leading proclitic letters. Made once per text; a few bytes per word.
#[derive(Debug, Default)]
pub struct WordStarts {
    /// Hash of a word (or word without its proclitics) → (byte, char) offsets where it begins.
    starts: HashMap<u64, Vec<(u32, u32)>>,
    hasher: std::collections::hash_map::RandomState,
    len_chars: usize,
}

impl WordStarts {
    /// Indexes the words of `text`.
    pub fn new(text: &str) -> Self {
        let mut index = WordStarts { starts: HashMap::new(), hasher: Default::default(), len_chars: 0 };
        // The current word: where it began (byte, char) and the (byte, char) after each of its
        // first MAX_PROCLITICS letters while they are proclitic letters.
        let mut word: Option<(usize, usize)> = None;
        let mut inner: Vec<(usize, usize)> = Vec::with_capacity(MAX_PROCLITICS);
        let mut chars = 0;
        for (byte, c) in text.char_indices() {
            let alnum = c.is_alphanumeric();
            match (word, alnum) {
                (None, true) => {
                    word = Some((byte, chars));
                    inner.clear();
                }
                (Some((start, first)), false) => {
                    index.add_word(text, start, first, &inner, byte);
                    word = None;
                }
                _ => {}
            }
            if alnum && let Some((_, first)) = word {
                let position = chars - first;
                if position < MAX_PROCLITICS && inner.len() == position && is_proclitic_letter(c) {
                    inner.push((byte + c.len_utf8(), chars + 1));
                }
            }
            chars += 1;
        }
        if let Some((start, first)) = word {
            index.add_word(text, start, first, &inner, text.len());
        }
        index.len_chars = chars;
        index
    }

    fn add_word(&mut self, text: &str, start: usize, first: usize, inner: &[(usize, usize)], end: usize) {
        for &(byte, char) in std::iter::once(&(start, first)).chain(inner) {
            if byte < end {
                let key = self.key(&text[byte..end]);
                self.starts.entry(key).or_default().push((byte as u32, char as u32));
            }
        }
    }

    fn key(&self, word: &str) -> u64 {
        self.hasher.hash_one(word)
    }

    /// Where `text`'s words could hold `needle` (its first word begins there), as (byte, char)
    /// offsets in text order; `None` when the needle does not begin with a word.
    fn candidates(&self, needle: &str) -> Option<&[(u32, u32)]> {
        if !begins_with_word(needle) {
            return None;
        }
        let first_word_end = needle.char_indices().find(|(_, c)| !c.is_alphanumeric()).map_or(needle.len(), |(i, _)| i);
        Some(self.starts.get(&self.key(&needle[..first_word_end])).map_or(&[], Vec::as_slice))
    }
}

/// Edits that label every other whole-word occurrence of `span`'s text (proclitics may precede
/// it: `روسيا` in `وروسيا`) that no accepted span of `file` covers. A proposal with exactly that
/// range is accepted under `span`'s label; proposals overlapping it otherwise give way to a new
/// span. One scan of the text; with the text's [`WordStarts`], see [`occurrence_edits_indexed`].
/// `known` holds `file`'s facts.
pub fn occurrence_edits(text: &str, span: &Span, file: &AnnotationFile, known: &KnownSpans) -> Vec<SpanEdit> {
    if !begins_with_word(&span.text) {
        return Vec::new();
    }
    let index = CharIndex::new(text);
    let found = text.match_indices(span.text.as_str()).filter_map(|(byte, _)| Some((byte, index.char_offset(byte)?)));
    label_occurrences(text, found, span, file, known)
}

/// [`occurrence_edits`] through the words of the text, indexed once: the cost of the name's
/// occurrences, not of the article.
pub fn occurrence_edits_indexed(words: &WordStarts, text: &str, span: &Span, file: &AnnotationFile, known: &KnownSpans) -> Vec<SpanEdit> {
    let Some(candidates) = words.candidates(&span.text) else { return Vec::new() };
    let needle = span.text.as_bytes();
    let found = candidates.iter().map(|&(byte, char)| (byte as usize, char as usize)).filter(|&(byte, _)| text.as_bytes()[byte..].starts_with(needle));
    label_occurrences(text, found, span, file, known)
}

/// Whether a span's text begins with a letter or digit: only such a text has occurrences (a span
/// that begins with punctuation or a space is a slip of the mouse, not a name to find again).
fn begins_with_word(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_alphanumeric)
}

/// The edits for the places `found` (byte and char offset where `span`'s text is, in text order)
/// that are whole words after at most a few proclitic letters and not covered yet.
fn label_occurrences(text: &str, found: impl Iterator<Item = (usize, usize)>, span: &Span, file: &AnnotationFile, known: &KnownSpans) -> Vec<SpanEdit> {
    let needle_chars = span.text.chars().count();
    let mut places: Vec<(Range<usize>, &str)> = Vec::new();
    for (byte, start) in found {
        let range = start..start + needle_chars;
        let ends_word = text[byte + span.text.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        let before: Vec<char> = text[..byte].chars().rev().take_while(|c| c.is_alphanumeric()).take(MAX_PROCLITICS + 1).collect();
        let starts_word = before.len() <= MAX_PROCLITICS && before.iter().all(|&c| is_proclitic_letter(c));
        // Found in text order: only the last place taken can overlap this one.
        let after_last = places.last().is_none_or(|(last, _)| last.end <= range.start);
        if !ends_word || !starts_word || !after_last || accepted_overlaps(file, &range, known.longest) {
            continue;
        }
        places.push((range, span.text.as_str()));
    }
    file.label_edits_within(&places, &span.label, known.longest, known.max_id)
}

/// Whether an accepted span of `file` shares a char with `range`; no span is longer than
/// `longest`, so only the spans that start near it are looked at.
fn accepted_overlaps(file: &AnnotationFile, range: &Range<usize>, longest: usize) -> bool {
    let from = partition_point_near(&file.spans, range.start.saturating_sub(longest), |s| s.start + longest <= range.start);
    file.spans[from..].iter().take_while(|s| s.start < range.end).any(|s| s.state == SpanState::Accepted && s.end > range.start && s.start < s.end)
}

/// How many occurrences edits from [`occurrence_edits`] label (removals make way, they do not
/// count).
pub fn labelled_count(edits: &[SpanEdit]) -> usize {
    edits.iter().filter(|e| !matches!(e, SpanEdit::Remove(_))).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    const TEXT: &str = "زار لافروف روسيا ثم عاد إلى وروسيا وبروسيا، لا الروسيا ولا روسياه";

    fn pending(id: u64, range: std::ops::Range<usize>, label: &str) -> Span {
        let text: String = TEXT.chars().skip(range.start).take(range.len()).collect();
        Span { origin: Origin::Proposed { source: "gazetteer".into(), score: 0.9 }, state: SpanState::Pending, ..Span::manual(id, range, label, &text) }
    }

    #[test]
    fn whole_words_after_proclitics_are_labelled_and_proposals_there_accepted_or_replaced() {
        let accepted = Span::manual(1, 11..16, "LOC", "روسيا");
        let mut file = AnnotationFile::new("a.txt", "", "amal");
        let after_wa = pending(2, 29..34, "ORG");
        let overlapping = pending(3, 35..40, "PERS");
        for s in [accepted.clone(), after_wa.clone(), overlapping.clone()] {
            file.apply(&SpanEdit::Add(s)).unwrap();
        }
        let edits = occurrence_edits(TEXT, &accepted, &file, &KnownSpans::of(&file));
        // `وروسيا`: its proposal is accepted as LOC; `وبروسيا`: the overlapping proposal makes
        // way for a new span; `الروسيا` (ال is no proclitic here) and `روسياه` are other words.
        assert_eq!(
            edits,
            vec![
                SpanEdit::Replace { before: after_wa.clone(), after: Span { state: SpanState::Accepted, label: "LOC".into(), ..after_wa } },
                SpanEdit::Remove(overlapping),
                SpanEdit::Add(Span::manual(4, 37..42, "LOC", "روسيا")),
            ]
        );
        assert_eq!(labelled_count(&edits), 2);
        file.apply(&SpanEdit::Batch(edits)).unwrap();
        assert!(occurrence_edits(TEXT, &accepted, &file, &KnownSpans::of(&file)).is_empty(), "nothing left to label");
    }

    #[test]
    fn the_word_index_finds_what_the_scan_finds() {
        let text = "زار لافروف روسيا ثم وروسيا وبالروسيا، ولروسيا روسياه «روسيا» مجلس الأمن وللمجلس مجلس الأمن الدولي";
        let words = WordStarts::new(text);
        let file = AnnotationFile::new("a.txt", "", "amal");
        for needle in ["روسيا", "الروسيا", "مجلس الأمن", "لافروف", "ثم", "سيا", "«روسيا»", "غائب", " ", "،"] {
            let span = Span::manual(1, 0..1, "LOC", needle);
            assert_eq!(
                occurrence_edits_indexed(&words, text, &span, &file, &KnownSpans::of(&file)),
                occurrence_edits(text, &span, &file, &KnownSpans::of(&file)),
                "{needle}"
            );
        }
    }
}
