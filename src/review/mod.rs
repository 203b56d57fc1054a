//! Review: agreement between annotators, span diffs of an article, and adjudication into gold, for
//! `tawsim agree`, `tawsim adjudicate`, the app's agreement view and review mode.
//!
//! Pure functions over `model` values: the caller loads the files and picks the spans that count
//! ([`SpanFilter`]); nothing here touches the disk.

#![warn(missing_docs)]

pub mod adjudicate;
pub mod agreement;
pub mod diff;
pub mod kappa;

pub use adjudicate::{ArticleReview, Choice, Decided, Decision, Group, GroupKind, Reviewers, group_diffs, initials, match_gold};
pub use agreement::{
    ArticleAnnotations, ArticleDisagreement, ArticleScores, CorpusAgreement, Counts, PairScores, Scores, SpanFilter, SpanScores, compare_exact,
    compare_partial, compare_spans,
};
pub use diff::{DiffKind, SpanDiff, diff_article};
pub use kappa::{KappaTally, LabelIds, Tag, iob_tags, kappa, kappa_tallies, tokenize};
