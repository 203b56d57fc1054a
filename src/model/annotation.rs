//! What one annotation file holds: one annotator's spans over one article.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::span::{Span, partition_point_near};

/// The annotation file format this build writes; files with a higher number are refused.
pub const FORMAT_VERSION: u32 = 1;

/// The highest span id a file may hold or hand out: 2^53, the largest integer every JSON reader
/// (and JavaScript) keeps exact, and far enough below `u64::MAX` that allocation never overflows.
pub const MAX_SPAN_ID: u64 = 1 << 53;

/// How far an annotator has got with a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum DocStatus {
    /// Not yet opened for annotation.
    #[default]
    New,
    /// Being annotated.
    InProgress,
    /// The annotator considers it finished.
    Done,
    /// A reviewer has checked it.
    Reviewed,
}

/// One annotator's work on one article, as stored in one RON file.
///
/// Strict: a field this build does not know is an error (so nothing a newer or hand-edited file
/// holds is dropped by the next save), and `format`, `document`, `annotator` and `spans` must be
/// there (so a truncated or empty `()` file is not taken for an empty annotation).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnotationFile {
    /// Format number, so old files stay readable.
    pub format: u32,
    /// The article's path relative to the project root, with forward slashes.
    pub document: String,
    /// Hex SHA-256 of the article text the offsets refer to.
    #[serde(default)]
    pub text_sha256: String,
    /// Who made the annotation; `gold` for the adjudicated version.
    pub annotator: String,
    /// Progress on this document.
    #[serde(default)]
    pub status: DocStatus,
    /// Lower bound for the next span id; ids are never reused so undo and reviews stay unambiguous.
    #[serde(default)]
    pub next_id: u64,
    /// Spans sorted by (start, end, id).
    pub spans: Vec<Span>,
}

impl AnnotationFile {
    /// An empty annotation of `document` by `annotator`.
    pub fn new(document: &str, text_sha256: &str, annotator: &str) -> Self {
        AnnotationFile {
            format: FORMAT_VERSION,
            document: document.to_owned(),
            text_sha256: text_sha256.to_owned(),
            annotator: annotator.to_owned(),
            status: DocStatus::New,
            next_id: 1,
            spans: Vec::new(),
        }
    }

    /// A fresh span id, higher than any in use or handed out before.
    ///
    /// Edits never change `next_id`, so applying an edit and its inverse restores the file
    /// exactly; allocation alone moves it forward.
    pub fn alloc_id(&mut self) -> u64 {
        let id = self.next_free_id();
        self.next_id = id.saturating_add(1);
        id
    }

    /// The id [`Self::alloc_id`] would hand out next, without taking it.
    pub fn next_free_id(&self) -> u64 {
        let above_spans = self.spans.iter().map(|s| s.id).max().map_or(1, |m| m.saturating_add(1));
        self.next_id.max(above_spans).max(1)
    }

    /// `count` fresh ids at once (consecutive), for adding many spans without a scan per span.
    pub fn alloc_ids(&mut self, count: usize) -> Range<u64> {
        let first = self.alloc_id();
        let end = first.saturating_add(count as u64);
        self.next_id = end.max(self.next_id);
        first..end
    }

    /// `count` fresh ids at once, when the caller knows no span id is above `max_id`: without
    /// the pass over the spans that finding that out costs.
    pub fn alloc_ids_above(&mut self, max_id: u64, count: usize) -> Range<u64> {
        let first = self.next_id.max(max_id.saturating_add(1)).max(1);
        let end = first.saturating_add(count as u64);
        self.next_id = end;
        first..end
    }

    /// The span with id `id` (the first one, if a hand-edited file repeats ids).
    pub fn span(&self, id: u64) -> Option<&Span> {
        self.spans.iter().find(|s| s.id == id)
    }

    /// Restores the (start, end, id) order, e.g. after a hand-edited file was loaded.
    pub fn sort_spans(&mut self) {
        self.spans.sort_by_key(Span::sort_key);
    }

    /// Inserts `span` at its sorted position.
    pub(crate) fn insert_sorted(&mut self, span: Span) {
        let key = span.sort_key();
        let at = partition_point_near(&self.spans, span.start, |s| s.sort_key() <= key);
        self.spans.insert(at, span);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alloc_id_never_reuses_ids() {
        let mut file = AnnotationFile::new("corpus/a.txt", "", "amal");
        let a = file.alloc_id();
        let b = file.alloc_id();
        assert!(b > a);
        file.spans.push(Span::manual(40, 0..1, "LOC", "x"));
        assert_eq!(file.alloc_id(), 41);
        file.spans.clear();
        assert_eq!(file.alloc_id(), 42);
    }

    #[test]
    fn alloc_id_copes_with_missing_next_id() {
        let mut file = AnnotationFile::new("a.txt", "", "amal");
        file.next_id = 0;
        assert_eq!(file.alloc_id(), 1);
    }

    #[test]
    fn insert_sorted_orders_by_start_end_id() {
        let mut file = AnnotationFile::new("a.txt", "", "amal");
        for (id, start, end) in [(3, 5, 9), (1, 5, 7), (2, 0, 3), (4, 5, 7)] {
            file.insert_sorted(Span::manual(id, start..end, "LOC", ""));
        }
        let ids: Vec<u64> = file.spans.iter().map(|s| s.id).collect();
        assert_eq!(ids, [2, 1, 4, 3]);
    }
}
