//! Tokenized sentences with entities over token ranges: what CoNLL files hold and what proposers
//! learn from.

use std::ops::Range;

/// One sentence: its tokens and its entities as token ranges.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelledSentence {
    /// The tokens, in order.
    pub tokens: Vec<String>,
    /// Entities as (token range, label), in order, never overlapping.
    pub entities: Vec<(Range<usize>, String)>,
}

impl LabelledSentence {
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

/// Tokens overlapped by the char range `range`, given each token's char range (sorted).
///
/// A proposal covering only the stem of `وروسيا` overlaps that token and so counts as it.
pub fn tokens_overlapping(token_ranges: &[Range<usize>], range: &Range<usize>) -> Option<Range<usize>> {
    let first = token_ranges.iter().position(|t| t.start < range.end && range.start < t.end)?;
    let last = token_ranges.iter().rposition(|t| t.start < range.end && range.start < t.end)?;
    Some(first..last + 1)
}
