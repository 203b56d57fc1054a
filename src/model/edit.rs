//! Invertible changes to an annotation file: what the undo history records.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::annotation::{AnnotationFile, DocStatus};
use super::span::{Span, partition_point_near};

/// One change to an annotation file that carries enough to be undone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SpanEdit {
    /// Insert a span.
    Add(Span),
    /// Delete a span equal to this one.
    Remove(Span),
    /// Change a span in place (same id): relabel, move a boundary, accept, reject.
    Replace {
        /// The span as it is now.
        before: Span,
        /// The span as it will be.
        after: Span,
    },
    /// Change the document status.
    SetStatus {
        /// The status as it is now.
        before: DocStatus,
        /// The status as it will be.
        after: DocStatus,
    },
    /// Several edits applied in order, all or none.
    Batch(Vec<SpanEdit>),
}

/// Why an edit does not fit the file it was applied to.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EditError {
    /// `Add` of an id the file already has.
    #[error("span {id} already exists")]
    DuplicateId {
        /// The clashing id.
        id: u64,
    },
    /// `Remove` or `Replace` of a span that is not in the file as described.
    #[error("span {id} is not in the file as the edit expects")]
    SpanNotFound {
        /// The id looked for.
        id: u64,
    },
    /// `Replace` whose before and after have different ids.
    #[error("replacing span {before} with span {after}: a replacement must keep the id")]
    IdChanged {
        /// Id before.
        before: u64,
        /// Id after.
        after: u64,
    },
    /// `SetStatus` whose `before` is not the file's status.
    #[error("document status is {found:?}, the edit expects {expected:?}")]
    StatusMismatch {
        /// What the edit expected.
        expected: DocStatus,
        /// What the file has.
        found: DocStatus,
    },
}

impl SpanEdit {
    /// How many single edits this is (a batch counts what it holds).
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> usize {
        match self {
            SpanEdit::Batch(edits) => edits.iter().map(SpanEdit::len).sum(),
            _ => 1,
        }
    }

    /// The edit that undoes this one.
    pub fn inverse(&self) -> SpanEdit {
        match self {
            SpanEdit::Add(span) => SpanEdit::Remove(span.clone()),
            SpanEdit::Remove(span) => SpanEdit::Add(span.clone()),
            SpanEdit::Replace { before, after } => SpanEdit::Replace { before: after.clone(), after: before.clone() },
            SpanEdit::SetStatus { before, after } => SpanEdit::SetStatus { before: *after, after: *before },
            SpanEdit::Batch(edits) => SpanEdit::Batch(edits.iter().rev().map(SpanEdit::inverse).collect()),
        }
    }

    /// The edit as the first one of a new article: with the article's status set to in progress
    /// first (so undo takes it back to new); unchanged for an article already started or an edit
    /// that sets the status itself.
    pub fn starting_article(self, status: DocStatus) -> SpanEdit {
        if status == DocStatus::New && !self.sets_status() {
            SpanEdit::Batch(vec![SpanEdit::SetStatus { before: DocStatus::New, after: DocStatus::InProgress }, self])
        } else {
            self
        }
    }

    /// Whether the edit (or one in its batch) changes the document status.
    pub fn sets_status(&self) -> bool {
        match self {
            SpanEdit::SetStatus { .. } => true,
            SpanEdit::Batch(edits) => edits.iter().any(SpanEdit::sets_status),
            _ => false,
        }
    }

    /// Whether the edit changes nothing (an empty batch, a replace by an equal span, …).
    pub fn is_noop(&self) -> bool {
        match self {
            SpanEdit::Add(_) | SpanEdit::Remove(_) => false,
            SpanEdit::Replace { before, after } => before == after,
            SpanEdit::SetStatus { before, after } => before == after,
            SpanEdit::Batch(edits) => edits.iter().all(SpanEdit::is_noop),
        }
    }
}

impl AnnotationFile {
    /// Carries out `edit`; on error the file is left as it was.
    ///
    /// Spans are matched by full equality, not id alone, so an edit made against a different
    /// version of a span is refused instead of silently clobbering it. Ranges are not checked
    /// against the text here: undoing the removal of a flagged span must put it back as it was.
    pub fn apply(&mut self, edit: &SpanEdit) -> Result<(), EditError> {
        match edit {
            SpanEdit::Add(span) => {
                if self.spans.iter().any(|s| s.id == span.id) {
                    return Err(EditError::DuplicateId { id: span.id });
                }
                self.insert_sorted(span.clone());
            }
            SpanEdit::Remove(span) => {
                let at = self.position_of(span)?;
                self.spans.remove(at);
            }
            SpanEdit::Replace { before, after } => {
                if before.id != after.id {
                    return Err(EditError::IdChanged { before: before.id, after: after.id });
                }
                let at = self.position_of(before)?;
                if after.sort_key() == before.sort_key() {
                    self.spans[at] = after.clone();
                } else {
                    self.spans.remove(at);
                    self.insert_sorted(after.clone());
                }
            }
            SpanEdit::SetStatus { before, after } => {
                if self.status != *before {
                    return Err(EditError::StatusMismatch { expected: *before, found: self.status });
                }
                self.status = *after;
            }
            SpanEdit::Batch(edits) => {
                if edits.len() >= BULK_EDITS {
                    let mut flat = Vec::with_capacity(edits.len());
                    flatten(edits, &mut flat);
                    if touches_each_span_once(&flat) {
                        return self.apply_bulk(&flat);
                    }
                }
                // All or nothing: on a failure the edits already made are undone in reverse, which
                // costs what the batch costs, not a copy of a 20,000-span file.
                for (done, edit) in edits.iter().enumerate() {
                    if let Err(error) = self.apply(edit) {
                        for made in edits[..done].iter().rev() {
                            // The inverse of an edit that just succeeded always fits.
                            let _ = self.apply(&made.inverse());
                        }
                        return Err(error);
                    }
                }
            }
        }
        Ok(())
    }

    /// Where `span` is; spans are kept sorted by their unique key, so this is a binary search,
    /// with a scan as the fallback for a file whose order was broken by hand.
    fn position_of(&self, span: &Span) -> Result<usize, EditError> {
        let key = span.sort_key();
        let at = partition_point_near(&self.spans, span.start, |s| s.sort_key() < key);
        if self.spans.get(at) == Some(span) {
            return Ok(at);
        }
        self.spans.iter().position(|s| s == span).ok_or(EditError::SpanNotFound { id: span.id })
    }

    /// A large batch in one pass: checked first, then removals, additions and one sort, where
    /// applying 50,000 proposals one insertion at a time would move the span list 50,000 times.
    /// Only for batches that touch each span id once, which makes the order of the edits moot.
    fn apply_bulk(&mut self, edits: &[&SpanEdit]) -> Result<(), EditError> {
        // Collecting every id costs a pass over the file: only a batch that adds spans needs it.
        let existing: HashSet<u64> =
            if edits.iter().any(|e| matches!(e, SpanEdit::Add(_))) { self.spans.iter().map(|s| s.id).collect() } else { HashSet::new() };
        let mut removed = vec![false; self.spans.len()];
        let mut added = Vec::new();
        // Replacements that keep a span's place (most: a decision or a new score) are written in
        // place, so a batch of them costs no re-sort.
        let mut in_place = Vec::new();
        let mut status = self.status;
        for edit in edits {
            match edit {
                SpanEdit::Add(span) if existing.contains(&span.id) => {
                    return Err(EditError::DuplicateId { id: span.id });
                }
                SpanEdit::Add(span) => added.push(span.clone()),
                SpanEdit::Remove(span) => removed[self.position_of(span)?] = true,
                SpanEdit::Replace { before, after } => {
                    if before.id != after.id {
                        return Err(EditError::IdChanged { before: before.id, after: after.id });
                    }
                    let at = self.position_of(before)?;
                    if after.sort_key() == before.sort_key() {
                        in_place.push((at, after));
                    } else {
                        removed[at] = true;
                        added.push(after.clone());
                    }
                }
                SpanEdit::SetStatus { before, after } => {
                    if status != *before {
                        return Err(EditError::StatusMismatch { expected: *before, found: status });
                    }
                    status = *after;
                }
                // Flattened by the caller.
                SpanEdit::Batch(_) => {}
            }
        }
        self.status = status;
        for (at, after) in in_place {
            self.spans[at] = (*after).clone();
        }
        if removed.contains(&true) {
            let mut index = 0;
            self.spans.retain(|_| {
                index += 1;
                !removed[index - 1]
            });
        }
        if !added.is_empty() {
            self.spans.extend(added);
            // Nearly sorted already: the stable sort merges the appended run in linear time.
            self.spans.sort_by_key(Span::sort_key);
        }
        Ok(())
    }
}

impl AnnotationFile {
    /// The edits that turn `before` (an earlier version of this file) into this one: a span
    /// whose id is in both but which changed is a `Replace`, others `Remove` or `Add`, and a
    /// changed status a `SetStatus`. For a writer that keeps the version it last saved rather than
    /// a list of edits, to save by merging (`store::save_annotation_merging`).
    pub fn edits_since(&self, before: &AnnotationFile) -> Vec<SpanEdit> {
        use std::collections::HashMap;
        let mut old: HashMap<u64, Vec<&Span>> = HashMap::new();
        for span in &before.spans {
            old.entry(span.id).or_default().push(span);
        }
        let mut added = Vec::new();
        for span in &self.spans {
            let same = old.get_mut(&span.id).and_then(|bucket| bucket.iter().position(|s| *s == span).map(|at| bucket.swap_remove(at)));
            if same.is_none() {
                added.push(span);
            }
        }
        let mut edits = Vec::new();
        let mut adds = Vec::new();
        for span in added {
            match old.get_mut(&span.id).and_then(Vec::pop) {
                Some(was) => edits.push(SpanEdit::Replace { before: was.clone(), after: span.clone() }),
                None => adds.push(SpanEdit::Add(span.clone())),
            }
        }
        let mut removed: Vec<&Span> = old.into_values().flatten().collect();
        removed.sort_by_key(|s| s.sort_key());
        edits.splice(0..0, removed.into_iter().map(|s| SpanEdit::Remove(s.clone())));
        edits.extend(adds);
        if self.status != before.status {
            edits.push(SpanEdit::SetStatus { before: before.status, after: self.status });
        }
        edits
    }

    /// Edits that label each of `places` (a char range and the text there, in text order, not
    /// overlapping each other) with `label`: a pending proposal with exactly that range is
    /// accepted under `label`; proposals overlapping it otherwise are removed to make way for a
    /// new manual span. Accepted spans are left alone (the caller chooses places they do not
    /// cover). New spans get ids from [`Self::next_free_id`] on.
    pub fn label_edits(&self, places: &[(std::ops::Range<usize>, &str)], label: &str) -> Vec<SpanEdit> {
        if places.is_empty() {
            return Vec::new();
        }
        let longest = self.spans.iter().map(|s| s.end.saturating_sub(s.start)).max().unwrap_or(0);
        let max_id = self.spans.iter().map(|s| s.id).max().unwrap_or(0);
        self.label_edits_within(places, label, longest, max_id)
    }

    /// [`Self::label_edits`] when the caller knows that no span is longer than `longest` chars
    /// and no id is above `max_id`: without the passes over every span that finding out costs.
    pub fn label_edits_within(&self, places: &[(std::ops::Range<usize>, &str)], label: &str, longest: usize, max_id: u64) -> Vec<SpanEdit> {
        use super::span::SpanState;
        let mut edits = Vec::new();
        // The spans are sorted by start: those overlapping a range lie in a window found by
        // binary search, at most the longest span's length before it.
        let spans = &self.spans;
        let mut removed: HashSet<u64> = HashSet::new();
        let mut next_id = self.next_id.max(max_id.saturating_add(1)).max(1);
        for (range, text) in places {
            let from = partition_point_near(spans, range.start.saturating_sub(longest), |s| s.start + longest <= range.start);
            let window = || spans[from..].iter().take_while(|s| s.start < range.end).filter(|s| s.state == SpanState::Pending && !removed.contains(&s.id));
            if let Some(proposal) = window().find(|s| s.start == range.start && s.end == range.end) {
                let after = Span { state: SpanState::Accepted, label: label.to_owned(), ..proposal.clone() };
                edits.push(SpanEdit::Replace { before: proposal.clone(), after });
                removed.insert(proposal.id);
                continue;
            }
            let overlapping: Vec<&Span> = window().filter(|s| s.end > range.start).collect();
            for p in overlapping {
                removed.insert(p.id);
                edits.push(SpanEdit::Remove(p.clone()));
            }
            edits.push(SpanEdit::Add(Span::manual(next_id, range.clone(), label, text)));
            next_id += 1;
        }
        edits
    }
}

/// Batches of at least this many edits are applied in bulk.
const BULK_EDITS: usize = 64;

/// What a sequence of edits did to one span, taken together.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SpanChange<'e> {
    /// The span before the first edit (`None`: it was added).
    pub before: Option<&'e Span>,
    /// The span after the last edit (`None`: it was removed).
    pub after: Option<&'e Span>,
}

/// The net change of each span that `edits` (applied in order) touched, by id in the order first
/// touched: what a view that derived something from the spans before has to redo, and no more.
pub fn net_span_changes<'e>(edits: impl IntoIterator<Item = &'e SpanEdit>) -> Vec<SpanChange<'e>> {
    let mut flat = Vec::new();
    for edit in edits {
        flatten(std::slice::from_ref(edit), &mut flat);
    }
    let mut changes: Vec<SpanChange<'e>> = Vec::new();
    let mut slot: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
    for edit in flat {
        let (id, before, after) = match edit {
            SpanEdit::Add(span) => (span.id, None, Some(span)),
            SpanEdit::Remove(span) => (span.id, Some(span), None),
            SpanEdit::Replace { before, after } => (before.id, Some(before), Some(after)),
            SpanEdit::SetStatus { .. } | SpanEdit::Batch(_) => continue,
        };
        match slot.get(&id) {
            Some(&at) => changes[at].after = after,
            None => {
                slot.insert(id, changes.len());
                changes.push(SpanChange { before, after });
            }
        }
    }
    changes
}

/// The edits of nested batches, in order.
fn flatten<'e>(edits: &'e [SpanEdit], into: &mut Vec<&'e SpanEdit>) {
    for edit in edits {
        match edit {
            SpanEdit::Batch(inner) => flatten(inner, into),
            other => into.push(other),
        }
    }
}

/// Whether no span id is the subject of two edits (and at most one status change).
fn touches_each_span_once(edits: &[&SpanEdit]) -> bool {
    let mut ids = HashSet::with_capacity(edits.len());
    let mut statuses = 0;
    edits.iter().all(|edit| match edit {
        SpanEdit::Add(span) | SpanEdit::Remove(span) => ids.insert(span.id),
        SpanEdit::Replace { before, .. } => ids.insert(before.id),
        SpanEdit::SetStatus { .. } => {
            statuses += 1;
            statuses == 1
        }
        SpanEdit::Batch(_) => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocStatus, Origin, SpanState};

    fn file_with(spans: &[Span]) -> AnnotationFile {
        let mut file = AnnotationFile::new("corpus/a.txt", "abc", "amal");
        for s in spans {
            file.apply(&SpanEdit::Add(s.clone())).unwrap();
        }
        file
    }

    fn kerry() -> Span {
        Span::manual(1, 6..14, "PERS", "جون كيري")
    }

    fn moscow() -> Span {
        Span {
            id: 2,
            start: 32,
            end: 37,
            label: "LOC".into(),
            text: "موسكو".into(),
            origin: Origin::Proposed { source: "gazetteer".into(), score: 0.9 },
            state: SpanState::Pending,
        }
    }

    fn assert_undoes(file: &AnnotationFile, edit: SpanEdit) {
        let mut edited = file.clone();
        edited.apply(&edit).unwrap();
        assert_ne!(&edited, file, "{edit:?} changed nothing");
        edited.apply(&edit.inverse()).unwrap();
        assert_eq!(&edited, file);
    }

    #[test]
    fn every_kind_of_edit_is_undone_by_its_inverse() {
        let file = file_with(&[moscow(), kerry()]);
        assert_undoes(&file, SpanEdit::Add(Span::manual(3, 0..5, "MISC", "التقى")));
        assert_undoes(&file, SpanEdit::Remove(kerry()));
        let accepted = Span { state: SpanState::Accepted, ..moscow() };
        assert_undoes(&file, SpanEdit::Replace { before: moscow(), after: accepted });
        let moved = Span { start: 0, end: 2, ..moscow() };
        assert_undoes(&file, SpanEdit::Replace { before: moscow(), after: moved });
        assert_undoes(&file, SpanEdit::SetStatus { before: DocStatus::New, after: DocStatus::Done });
        assert_undoes(
            &file,
            SpanEdit::Batch(vec![
                SpanEdit::Remove(kerry()),
                SpanEdit::Add(Span::manual(7, 6..9, "PERS", "جون")),
                SpanEdit::SetStatus { before: DocStatus::New, after: DocStatus::InProgress },
            ]),
        );
    }

    #[test]
    fn spans_stay_sorted_after_edits() {
        let mut file = file_with(&[moscow(), kerry()]);
        assert_eq!(file.spans[0].id, 1);
        let moved = Span { start: 40, end: 42, ..kerry() };
        file.apply(&SpanEdit::Replace { before: kerry(), after: moved }).unwrap();
        let ids: Vec<u64> = file.spans.iter().map(|s| s.id).collect();
        assert_eq!(ids, [2, 1]);
    }

    #[test]
    fn mismatched_edits_are_refused_and_change_nothing() {
        let file = file_with(&[kerry()]);
        let mut edited = file.clone();
        assert_eq!(edited.apply(&SpanEdit::Add(kerry())), Err(EditError::DuplicateId { id: 1 }));
        let stale = Span { label: "ORG".into(), ..kerry() };
        assert_eq!(edited.apply(&SpanEdit::Remove(stale.clone())), Err(EditError::SpanNotFound { id: 1 }));
        let renumbered = Span { id: 9, ..kerry() };
        assert!(matches!(edited.apply(&SpanEdit::Replace { before: kerry(), after: renumbered }), Err(EditError::IdChanged { .. })));
        assert!(matches!(edited.apply(&SpanEdit::SetStatus { before: DocStatus::Done, after: DocStatus::New }), Err(EditError::StatusMismatch { .. })));
        assert_eq!(edited, file);
    }

    /// A file of `n` one-char spans, every third accepted, and a large batch touching each once.
    fn large_file_and_batch(n: u64) -> (AnnotationFile, Vec<SpanEdit>) {
        let pending = |id: u64| Span { id, start: id as usize * 2, end: id as usize * 2 + 1, ..moscow() };
        let file = file_with(&(1..=n).map(pending).collect::<Vec<_>>());
        let mut edits = vec![SpanEdit::SetStatus { before: DocStatus::New, after: DocStatus::InProgress }];
        for id in 1..=n {
            edits.push(match id % 3 {
                0 => SpanEdit::Remove(pending(id)),
                1 => SpanEdit::Replace { before: pending(id), after: Span { state: SpanState::Accepted, start: 0, ..pending(id) } },
                _ => SpanEdit::Add(Span::manual(n + id, id as usize..id as usize + 3, "PERS", "abc")),
            });
        }
        (file, edits)
    }

    #[test]
    fn a_large_batch_ends_where_its_edits_one_by_one_end() {
        let (file, edits) = large_file_and_batch(300);
        let mut one_by_one = file.clone();
        for edit in &edits {
            one_by_one.apply(edit).unwrap();
        }
        let mut bulk = file.clone();
        bulk.apply(&SpanEdit::Batch(edits.clone())).unwrap();
        assert_eq!(bulk, one_by_one);
        bulk.apply(&SpanEdit::Batch(edits).inverse()).unwrap();
        assert_eq!(bulk, file);
    }

    #[test]
    fn a_failing_large_batch_applies_nothing() {
        let (file, mut edits) = large_file_and_batch(300);
        edits.push(SpanEdit::Remove(Span { id: 9999, ..kerry() }));
        let mut edited = file.clone();
        assert_eq!(edited.apply(&SpanEdit::Batch(edits.clone())), Err(EditError::SpanNotFound { id: 9999 }));
        assert_eq!(edited, file);
        // A span touched twice takes the careful path, and still fails whole.
        edits.pop();
        edits.push(SpanEdit::Add(Span::manual(1, 0..1, "LOC", "a")));
        assert_eq!(edited.apply(&SpanEdit::Batch(edits)), Err(EditError::DuplicateId { id: 1 }));
        assert_eq!(edited, file);
    }

    #[test]
    fn a_failing_batch_applies_nothing() {
        let file = file_with(&[kerry()]);
        let mut edited = file.clone();
        let batch = SpanEdit::Batch(vec![SpanEdit::Add(moscow()), SpanEdit::Remove(Span { id: 99, ..kerry() })]);
        assert!(edited.apply(&batch).is_err());
        assert_eq!(edited, file);
    }

    #[test]
    fn inverse_of_batch_reverses_order() {
        let batch = SpanEdit::Batch(vec![SpanEdit::Add(kerry()), SpanEdit::Remove(moscow())]);
        assert_eq!(batch.inverse(), SpanEdit::Batch(vec![SpanEdit::Add(moscow()), SpanEdit::Remove(kerry())]));
        assert_eq!(batch.inverse().inverse(), batch);
    }

    #[test]
    fn edits_since_replay_the_difference() {
        let before = file_with(&[moscow(), kerry()]);
        let mut after = before.clone();
        after.apply(&SpanEdit::Replace { before: moscow(), after: Span { state: SpanState::Accepted, ..moscow() } }).unwrap();
        after.apply(&SpanEdit::Remove(kerry())).unwrap();
        after.apply(&SpanEdit::Add(Span::manual(5, 0..5, "MISC", "التقى"))).unwrap();
        after.apply(&SpanEdit::SetStatus { before: DocStatus::New, after: DocStatus::Done }).unwrap();
        let edits = after.edits_since(&before);
        assert_eq!(edits.len(), 4, "{edits:?}");
        assert!(matches!(edits[0], SpanEdit::Remove(_)) && matches!(edits[1], SpanEdit::Replace { .. }));
        let mut replayed = before.clone();
        for edit in &edits {
            replayed.apply(edit).unwrap();
        }
        assert_eq!(replayed, after);
        assert!(after.edits_since(&after).is_empty());
    }

    #[test]
    fn noop_detection() {
        assert!(SpanEdit::Batch(vec![]).is_noop());
        assert!(SpanEdit::Replace { before: kerry(), after: kerry() }.is_noop());
        assert!(!SpanEdit::Add(kerry()).is_noop());
    }
}
