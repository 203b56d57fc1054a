//! Reading token-level `token LABEL` CoNLL files (ANERcorp style) into sentences and entity spans.
//!
//! Tolerant of IOB1 and IOB2: `B-X` always opens an entity, `I-X` continues an open `X` and
//! otherwise opens one (as conlleval does). Tokens are separated from labels by a space or a tab;
//! when a line has more than two columns, the last one is the label.

use std::ops::Range;

use crate::arabic::Lexicon;

/// A line of a CoNLL file that could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("CoNLL line {line}: {message}")]
pub struct ConllError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

/// One sentence: its tokens and its entities as token ranges.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConllSentence {
    /// The tokens, in order.
    pub tokens: Vec<String>,
    /// Entities as (token range, label), in order, never overlapping.
    pub entities: Vec<(Range<usize>, String)>,
}

impl ConllSentence {
    /// The tokens joined by single spaces, with each token's char range in that text.
    pub fn text(&self) -> (String, Vec<Range<usize>>) {
        let mut text = String::new();
        let mut ranges = Vec::with_capacity(self.tokens.len());
        let mut at = 0;
        for (i, token) in self.tokens.iter().enumerate() {
            if i > 0 {
                text.push(' ');
                at += 1;
            }
            let len = token.chars().count();
            text.push_str(token);
            ranges.push(at..at + len);
            at += len;
        }
        (text, ranges)
    }
}

/// A lexicon of the sentences' tokens: each counted once per occurrence, and once more as a name
/// when it is inside an entity.
///
/// Proposers measured on held-out data weigh words with this rather than the bundled lexicon,
/// which was built from all of ANERcorp's training part and so has seen the held-out sentences.
pub fn training_lexicon(sentences: &[ConllSentence]) -> Lexicon {
    let mut lexicon = Lexicon::new();
    for sentence in sentences {
        let mut inside = vec![false; sentence.tokens.len()];
        for (range, _) in &sentence.entities {
            inside[range.clone()].iter_mut().for_each(|b| *b = true);
        }
        for (token, inside) in sentence.tokens.iter().zip(inside) {
            lexicon.add(token, 1, u32::from(inside));
        }
    }
    lexicon
}

/// Tokens overlapped by the char range `range`, given each token's char range (sorted).
///
/// A proposal covering only the stem of `وروسيا` overlaps that token and so counts as it.
pub fn tokens_overlapping(
    token_ranges: &[Range<usize>],
    range: &Range<usize>,
) -> Option<Range<usize>> {
    let first = token_ranges
        .iter()
        .position(|t| t.start < range.end && range.start < t.end)?;
    let last = token_ranges
        .iter()
        .rposition(|t| t.start < range.end && range.start < t.end)?;
    Some(first..last + 1)
}

/// Parses a whole CoNLL text; errors name the 1-based line.
pub fn parse_conll(text: &str) -> Result<Vec<ConllSentence>, ConllError> {
    let mut sentences = Vec::new();
    let mut current = ConllSentence::default();
    // The open entity: start token and label.
    let mut open: Option<(usize, String)> = None;
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with("-DOCSTART-") {
            close(&mut current, &mut open);
            if !current.tokens.is_empty() {
                sentences.push(std::mem::take(&mut current));
            }
            continue;
        }
        let columns: Vec<&str> = trimmed
            .split([' ', '\t'])
            .filter(|c| !c.is_empty())
            .collect();
        if columns.len() < 2 {
            return Err(ConllError {
                line,
                message: format!("expected `token LABEL`, found {trimmed:?}"),
            });
        }
        let token = columns[0];
        let tag = columns[columns.len() - 1];
        let position = current.tokens.len();
        if tag == "O" {
            close(&mut current, &mut open);
        } else {
            let (prefix, label) = tag
                .split_once('-')
                .filter(|(p, l)| matches!(*p, "B" | "I") && !l.is_empty())
                .ok_or_else(|| ConllError {
                    line,
                    message: format!("bad label {tag:?} (expected O, B-X or I-X)"),
                })?;
            let continues = prefix == "I" && open.as_ref().is_some_and(|(_, l)| l == label);
            if !continues {
                close(&mut current, &mut open);
                open = Some((position, label.to_string()));
            }
        }
        current.tokens.push(token.to_string());
    }
    close(&mut current, &mut open);
    if !current.tokens.is_empty() {
        sentences.push(current);
    }
    Ok(sentences)
}

/// Ends the open entity (if any) before the next token.
fn close(sentence: &mut ConllSentence, open: &mut Option<(usize, String)>) {
    if let Some((start, label)) = open.take() {
        sentence
            .entities
            .push((start..sentence.tokens.len(), label));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_iob2_and_iob1() {
        let text = "في O\nمجلس B-ORG\nالأمن I-ORG\nو O\nكيري I-PERS\n\nالقاهرة\tB-LOC\nدمشق B-LOC\n";
        let sentences = parse_conll(text).expect("valid");
        assert_eq!(sentences.len(), 2);
        assert_eq!(
            sentences[0].entities,
            vec![(1..3, "ORG".to_string()), (4..5, "PERS".to_string())]
        );
        assert_eq!(
            sentences[1].entities,
            vec![(0..1, "LOC".to_string()), (1..2, "LOC".to_string())]
        );
        let (joined, ranges) = sentences[0].text();
        assert_eq!(joined, "في مجلس الأمن و كيري");
        assert_eq!(ranges[1], 3..7);
    }

    #[test]
    fn errors_name_the_line() {
        let err = parse_conll("في O\nمجلس\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.to_string().starts_with("CoNLL line 2:"), "{err}");
        let err = parse_conll("في O\n\nمجلس X-ORG\n").unwrap_err();
        assert_eq!(err.line, 3);
    }

    #[test]
    fn overlap_maps_stems_to_their_token() {
        let ranges = [0..6, 7..10];
        assert_eq!(tokens_overlapping(&ranges, &(1..6)), Some(0..1));
        assert_eq!(tokens_overlapping(&ranges, &(1..10)), Some(0..2));
        assert_eq!(tokens_overlapping(&ranges, &(6..7)), None);
    }
}
