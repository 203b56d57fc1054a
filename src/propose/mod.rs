//! Proposers: code that suggests entity spans for the annotator to accept or reject.
//!
//! A proposer never writes annotations; it returns [`Proposal`]s in the original text's char
//! offsets, and the app decides what to show.

pub mod combine;
pub mod gazetteer;
pub mod known;
pub mod lists;
pub mod memory;
pub mod model;
pub mod occurrences;
pub mod pending;
pub mod pipeline;
pub mod rules;
pub mod tidy;
pub mod training;

use std::ops::Range;

pub use combine::combine;
pub use gazetteer::{Gazetteer, GazetteerList};
pub use known::KnownSpans;
pub use lists::{ListError, gazetteer_list_text, load_gazetteer};
pub use memory::{Decision, ProjectMemory};
pub use occurrences::{WordStarts, labelled_count, occurrence_edits, occurrence_edits_indexed};
pub use pending::reconcile;
pub use pipeline::{Proposers, is_builtin_source};
pub use rules::RuleSet;
pub use training::{out_of_fold_proposals, training_lexicon};

/// One suggested span.
#[derive(Clone, Debug, PartialEq)]
pub struct Proposal {
    /// Char range in the original (not normalized) text.
    pub range: Range<usize>,
    /// Label name, as in the schema (`PERS`, `LOC`, …).
    pub label: String,
    /// Confidence in 0..=1 (for the gazetteer: how often the form was this entity in training).
    pub score: f32,
    /// Which proposer made it: `"gazetteer"`, `"rules"`, `"memory"`, or `"import:FILE"`.
    pub source: String,
}
