//! Finding spans again after their article was edited.

use std::ops::Range;

use crate::model::{CharIndex, Span};

/// What became of one span when its article changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnchorOutcome {
    /// Its text is still at its offsets.
    InPlace,
    /// Its text was found once in the nearest window holding it; the span now points there.
    Moved {
        /// Old range.
        from: Range<usize>,
        /// New range.
        to: Range<usize>,
    },
    /// Its text occurs several times in the nearest window holding it; the span was left alone.
    Ambiguous {
        /// Start offsets of the candidates in that window.
        candidates: Vec<usize>,
    },
    /// Its text does not occur within `window` chars; the span was left alone.
    NotFound,
    /// It has no stored text to look for; the span was left alone.
    NoText,
}

impl AnchorOutcome {
    /// Whether the span is known to point at its text.
    pub fn is_anchored(&self) -> bool {
        matches!(self, AnchorOutcome::InPlace | AnchorOutcome::Moved { .. })
    }
}

/// Smallest search radius; each next one is four times wider, up to the caller's window.
const FIRST_RADIUS: usize = 16;

/// Points every span of `spans` (sorted by start) whose text is no longer at its offsets at the
/// nearest unambiguous occurrence of that text within `window` chars; one outcome per span.
///
/// The search is centred on where the span would be if it shifted like the span before it, so a
/// run of spans after an insertion follows along even when a name repeats at a distance.
pub fn reanchor_spans(spans: &mut [Span], text: &CharIndex<'_>, window: usize) -> Vec<AnchorOutcome> {
    let mut shift: isize = 0;
    spans
        .iter_mut()
        .map(|span| {
            let outcome = anchor_one(span, text, window, shift);
            match &outcome {
                AnchorOutcome::InPlace => shift = 0,
                AnchorOutcome::Moved { from, to } => shift = to.start as isize - from.start as isize,
                _ => {}
            }
            outcome
        })
        .collect()
}

fn anchor_one(span: &mut Span, text: &CharIndex<'_>, window: usize, shift: isize) -> AnchorOutcome {
    if span.text.is_empty() {
        return AnchorOutcome::NoText;
    }
    if text.slice(span.range()) == Some(span.text.as_str()) {
        return AnchorOutcome::InPlace;
    }
    let occurrences = occurrences(text, &span.text);
    let centre = span.start.saturating_add_signed(shift);
    let mut radius = FIRST_RADIUS.min(window);
    loop {
        let near: Vec<usize> = occurrences.iter().copied().filter(|&c| c.abs_diff(centre) <= radius).collect();
        match near.len() {
            0 if radius >= window => return AnchorOutcome::NotFound,
            0 => radius = radius.saturating_mul(4).min(window),
            1 => {
                let from = span.range();
                span.start = near[0];
                span.end = near[0] + span.text.chars().count();
                return AnchorOutcome::Moved { from, to: span.range() };
            }
            _ => return AnchorOutcome::Ambiguous { candidates: near },
        }
    }
}

/// Char offsets of every occurrence of `needle`, overlapping ones included.
fn occurrences(text: &CharIndex<'_>, needle: &str) -> Vec<usize> {
    let haystack = text.text();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = haystack[from..].find(needle) {
        let byte = from + at;
        if let Some(c) = text.char_offset(byte) {
            found.push(c);
        }
        from = byte + haystack[byte..].chars().next().map_or(1, char::len_utf8);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span_at(text: &str, needle: &str, id: u64) -> Span {
        let index = CharIndex::new(text);
        let byte = text.find(needle).unwrap();
        let start = index.char_offset(byte).unwrap();
        Span::manual(id, start..start + needle.chars().count(), "LOC", needle)
    }

    #[test]
    fn insertion_before_spans_moves_them_all() {
        let old = "زار الوزير دمشق ثم موسكو.";
        let new = "في زيارة مفاجئة، زار الوزير دمشق ثم موسكو.";
        let mut spans = vec![span_at(old, "دمشق", 1), span_at(old, "موسكو", 2)];
        let outcomes = reanchor_spans(&mut spans, &CharIndex::new(new), 2000);
        assert!(outcomes.iter().all(AnchorOutcome::is_anchored), "{outcomes:?}");
        assert_eq!(spans[0], span_at(new, "دمشق", 1));
        assert_eq!(spans[1], span_at(new, "موسكو", 2));
    }

    #[test]
    fn unchanged_spans_stay_in_place() {
        let text = "زار الوزير دمشق.";
        let mut spans = vec![span_at(text, "دمشق", 1)];
        assert_eq!(reanchor_spans(&mut spans, &CharIndex::new(text), 10), [AnchorOutcome::InPlace]);
    }

    #[test]
    fn two_equally_near_occurrences_are_ambiguous() {
        let old = "حلب ثم حلب";
        let mut spans = vec![Span::manual(1, 4..7, "LOC", "حلب")];
        let outcomes = reanchor_spans(&mut spans, &CharIndex::new(old), 2000);
        assert!(matches!(&outcomes[0], AnchorOutcome::Ambiguous { candidates } if candidates == &[0, 7]), "{outcomes:?}");
        assert_eq!(spans[0].range(), 4..7);
    }

    #[test]
    fn text_gone_or_too_far_is_not_found() {
        let mut spans = vec![Span::manual(1, 0..3, "LOC", "حلب")];
        let far = format!("{}حلب", "ـ".repeat(100));
        assert_eq!(reanchor_spans(&mut spans, &CharIndex::new(&far), 50), [AnchorOutcome::NotFound]);
        assert_eq!(reanchor_spans(&mut spans, &CharIndex::new("دمشق"), 50), [AnchorOutcome::NotFound]);
        assert_eq!(spans[0].range(), 0..3);
    }

    #[test]
    fn overlapping_occurrences_are_all_found() {
        let text = "ااا";
        assert_eq!(occurrences(&CharIndex::new(text), "اا"), [0, 1]);
    }
}
