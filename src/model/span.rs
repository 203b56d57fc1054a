//! One annotated entity: a character range with a label.

use std::ops::Range;

use serde::{Deserialize, Serialize};

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
