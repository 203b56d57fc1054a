//! One annotated entity: a character range with a label.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::text::partition_point_from;

/// Where a span came from.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Origin {
    /// Drawn by a person.
    #[default]
    Manual,
    /// Suggested by a proposer, with its confidence.
    Proposed {
        /// Name of the proposer, e.g. `"gazetteer"`.
        source: String,
        /// The proposer's confidence in 0..=1.
        score: f32,
    },
    /// Brought in from another tool's file.
    Imported {
        /// Name or path of what it was imported from.
        source: String,
    },
    /// Decided by a reviewer comparing annotators (a gold span).
    Adjudicated {
        /// The annotators who had this span, in the order the reviewer picked them.
        annotators: Vec<String>,
        /// The reviewer who decided.
        decided_by: String,
    },
}

/// Whether the annotator has agreed to a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum SpanState {
    /// Part of the annotation.
    #[default]
    Accepted,
    /// A proposal awaiting a decision.
    Pending,
    /// A proposal the annotator turned down; kept so it is not proposed again.
    Rejected,
}

/// A labelled range of the article text; unknown fields are refused when read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Span {
    /// Identifier unique within its annotation file; edits and reviews refer to it.
    pub id: u64,
    /// First char of the range.
    pub start: usize,
    /// One past the last char of the range.
    pub end: usize,
    /// Label name from the project schema.
    pub label: String,
    /// The article text at `start..end` when the span was made, checked on load.
    #[serde(default)]
    pub text: String,
    /// Who or what made the span.
    #[serde(default)]
    pub origin: Origin,
    /// Accepted, pending or rejected.
    #[serde(default)]
    pub state: SpanState,
}

impl Span {
    /// An accepted manual span.
    pub fn manual(id: u64, range: Range<usize>, label: &str, text: &str) -> Self {
        Span { id, start: range.start, end: range.end, label: label.to_owned(), text: text.to_owned(), origin: Origin::Manual, state: SpanState::Accepted }
    }

    /// The char range `start..end`.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// The key spans are kept sorted by.
    pub fn sort_key(&self) -> (usize, usize, u64) {
        (self.start, self.end, self.id)
    }
}

/// `spans.partition_point(before)` for spans sorted by start, where `before` holds for the spans
/// that start before about char `near`: searched from where an even spread of starts puts `near`.
pub fn partition_point_near(spans: &[Span], near: usize, before: impl Fn(&Span) -> bool) -> usize {
    let last = spans.last().map_or(1, |s| s.start.max(1));
    let guess = ((near as u128 * spans.len() as u128) / last as u128).min(spans.len() as u128) as usize;
    partition_point_from(spans, guess, before)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn searching_near_a_char_finds_what_a_binary_search_finds(mut starts in proptest::collection::vec(0usize..5_000, 0..400), at in 0usize..5_500, near in 0usize..6_000) {
            starts.sort_unstable();
            let spans: Vec<Span> = starts.iter().enumerate().map(|(id, &start)| Span::manual(id as u64, start..start + 1, "LOC", "x")).collect();
            let before = |s: &Span| s.start < at;
            prop_assert_eq!(partition_point_near(&spans, near, before), spans.partition_point(before));
        }
    }
}
