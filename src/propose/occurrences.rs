//! An accepted entity's other occurrences: labelling them all at once, in one article.

use crate::arabic::chars::is_proclitic_letter;
use crate::model::{AnnotationFile, CharIndex, Coverage, Span, SpanEdit, SpanState};

/// Longest run of proclitic letters before an occurrence that still counts as proclitics
/// (`وبال` is three letters before the stem once `ال` is part of the entity text).
const MAX_PROCLITICS: usize = 3;

/// Edits that label every other whole-word occurrence of `span`'s text (proclitics may precede
/// it: `روسيا` in `وروسيا`) that no accepted span of `file` covers. A proposal with exactly that
/// range is accepted under `span`'s label; proposals overlapping it otherwise give way to a new
/// span. Linear in the text and the spans, so it stays quick in a 1 MB article.
pub fn occurrence_edits(text: &str, span: &Span, file: &AnnotationFile) -> Vec<SpanEdit> {
    if span.text.is_empty() {
        return Vec::new();
    }
    let index = CharIndex::new(text);
    let length = index.len_chars();
    let mut covered = Coverage::new(length);
    for s in file.spans.iter().filter(|s| s.state == SpanState::Accepted) {
        covered.cover(s.range());
    }
    let mut places = Vec::new();
    let needle_chars = span.text.chars().count();
    for (byte, _) in text.match_indices(span.text.as_str()) {
        let Some(start) = index.char_offset(byte) else { continue };
        let range = start..start + needle_chars;
        let ends_word = text[byte + span.text.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        let before: Vec<char> = text[..byte].chars().rev().take_while(|c| c.is_alphanumeric()).take(MAX_PROCLITICS + 1).collect();
        let starts_word = before.len() <= MAX_PROCLITICS && before.iter().all(|&c| is_proclitic_letter(c));
        if !ends_word || !starts_word || covered.covers_any(range.clone()) {
            continue;
        }
        covered.cover(range.clone());
        places.push((range, span.text.as_str()));
    }
    file.label_edits(&places, &span.label)
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
        let edits = occurrence_edits(TEXT, &accepted, &file);
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
        assert!(occurrence_edits(TEXT, &accepted, &file).is_empty(), "nothing left to label");
    }
}
