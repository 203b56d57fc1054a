//! Consistency checks for gold data: is each name labelled the same everywhere, everywhere it
//! occurs, and by the gold convention of DESIGN.md §4?
//!
//! Over one source (an annotator, or `gold`), its accepted spans, in every article it has a file
//! for, four kinds of finding ([`Kind`]), one per name and kind:
//! - (a) [`Kind::Labels`]: the same name (normalized, proclitics and edges aside) with several
//!   labels;
//! - (b) [`Kind::Unlabelled`]: a name labelled in most of its occurrences and not in others
//!   ([`Thresholds`]);
//! - (c) [`Kind::Proclitic`], [`Kind::Article`]: a span whose boundary breaks the convention:
//!   `وروسيا` where the name is `روسيا`; `قاهرة` inside `القاهرة` where other spans have
//!   `القاهرة` (`الأسد` next to `بشار الأسد` is fine: that is a longer name);
//! - (d) [`Kind::Edges`]: whitespace or punctuation at a span's edge.
//!
//! Each finding lists its occurrences (article and char range) and its fixes as edits of the
//! annotation files the index holds ([`Fix`]); [`apply_fix`] applies one to those files, all
//! articles or none. Pure logic over a [`CorpusIndex`]: reading and saving files is left to
//! `search::disk` and the store.

#![warn(missing_docs)]

mod apply;
mod by_span;
mod finding;
mod group;
mod spans;
mod unlabelled;

use serde::Serialize;

pub use apply::{FixError, apply_fix};
pub use finding::{ArticleEdit, Finding, Fix, Kind, LabelCount, Occurrence};
pub use unlabelled::Thresholds;

use crate::search::CorpusIndex;

/// What to check.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckOptions {
    /// Whose annotation files: an annotator or `gold`.
    pub source: String,
    /// When (b) reports a name.
    pub thresholds: Thresholds,
}

impl CheckOptions {
    /// The checks of `source`'s files with the default thresholds.
    pub fn new(source: &str) -> Self {
        CheckOptions { source: source.to_owned(), thresholds: Thresholds::default() }
    }
}

/// What the checks found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The source checked.
    pub source: String,
    /// Articles the source has an annotation file for.
    pub articles: usize,
    /// Accepted spans checked.
    pub spans: usize,
    /// The findings, by kind, then by the number of occurrences flagged (most first), then name.
    pub findings: Vec<Finding>,
}

impl Report {
    /// How many findings of `kind`.
    pub fn count(&self, kind: Kind) -> usize {
        self.findings.iter().filter(|f| f.kind == kind).count()
    }
}

/// Runs every check over `source`'s files in `index`.
pub fn check(index: &CorpusIndex, options: &CheckOptions) -> Report {
    let source = options.source.as_str();
    let (infos, articles) = spans::source_spans(index, source);
    let groups = group::by_name(&infos);
    let mut findings = by_span::label_conflicts(&groups, source);
    findings.extend(unlabelled::partly_unlabelled(index, &groups, source, options.thresholds));
    findings.extend(by_span::unclean_spans(&groups, &infos, source));
    findings.sort_by(|a, b| a.kind.cmp(&b.kind).then(b.flagged().count().cmp(&a.flagged().count())).then(a.key.cmp(&b.key)));
    Report { source: source.to_owned(), articles, spans: infos.len(), findings }
}
