//! Review: agreement between annotators and span diffs of an article, for `tawsim agree`, the
//! app's agreement view and (later) adjudication.
//!
//! Pure functions over `model` values: the caller loads the files and picks the spans that count
//! ([`SpanFilter`]); nothing here touches the disk.

#![warn(missing_docs)]

pub mod agreement;
pub mod diff;
pub mod kappa;

pub use agreement::{
    ArticleAnnotations, ArticleDisagreement, ArticleScores, CorpusAgreement, Counts, PairScores, Scores, SpanFilter, SpanScores, compare_exact,
    compare_partial, compare_spans,
};
pub use diff::{DiffKind, SpanDiff, diff_article};
pub use kappa::{KappaTally, LabelIds, Tag, iob_tags, kappa, kappa_tallies, tokenize};
