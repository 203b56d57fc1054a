//! One article with one annotation of it, as datasets hold it: what exports write and imports read.

use serde::{Deserialize, Serialize};

use super::annotation::DocStatus;
use super::span::Span;

/// An article's text and the entities of one annotation of it (an annotator's, or `gold`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelledDocument {
    /// The article's path relative to the project root (`corpus/x.txt`), or the id another tool
    /// gave it.
    pub id: String,
    /// The article text exactly as decoded; span offsets count its chars.
    pub text: String,
    /// Accepted entities only, sorted by (start, end, id); they may nest or overlap.
    pub spans: Vec<Span>,
    /// Whose annotation this is: an annotator's name or `gold`.
    pub annotator: String,
    /// How far the annotation got.
    pub status: DocStatus,
}
