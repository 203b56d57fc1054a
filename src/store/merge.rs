//! Re-applying one writer's edits on top of a file another writer changed, as git rebases a
//! commit: nothing the other writer saved is dropped, and where the two disagree both are kept or
//! the disagreement is reported.
//!
//! The rules, edit by edit (ids first mapped to any new id an earlier edit of this writer got):
//! - `Add`: added, unless the file already has that span (the same span under another id is the
//!   same span: the edit is taken as done). An id the other writer used for another span gets a
//!   fresh one (reported in [`Rebased::renumbered`]). A pending proposal is not added where the
//!   file already has a decided span with the same range and label.
//! - `Remove`: removes the span when it is still as this writer saw it; already gone is fine;
//!   changed by the other writer, theirs stays (a conflict).
//! - `Replace`: applied when the span is still as this writer saw it, or skipped when it already
//!   is as this writer wants it. Removed by the other writer: a decision (accepted or rejected)
//!   is put back (a conflict); a pending one is not. Changed by the other writer: a decision of
//!   this writer replaces a pending proposal, while two different decisions are both kept, this
//!   writer's under a fresh id (a conflict).
//! - `SetStatus`: this writer's status wins; a conflict when the other writer had set another.

use std::collections::HashMap;
use std::fmt;

use crate::model::{AnnotationFile, DocStatus, Span, SpanEdit, SpanState};

/// How a disagreement between two writers of one file was settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConflictKind {
    /// The other writer changed a span this writer also changed: both versions are in the file.
    BothKept,
    /// The other writer changed a span this writer removed: theirs stays.
    TheirsKept,
    /// The other writer removed a span this writer decided on: this writer's version is back.
    OursRestored,
    /// The other writer set another document status; this writer's is in the file.
    StatusOverridden,
    /// The file was deleted on disk after this writer read it; its version was written again.
    FileRecreated,
}

/// One place where two writers' changes to a file disagreed, and what was done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeConflict {
    /// The span it is about (this writer's id), if any.
    pub span_id: Option<u64>,
    /// How it was settled.
    pub kind: ConflictKind,
    /// What happened, in words, for the user.
    pub message: String,
}

impl fmt::Display for MergeConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.span_id {
            Some(id) => write!(f, "span {id}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// A writer's edits re-applied on top of another writer's version of the file.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Rebased {
    /// The merged file.
    pub file: AnnotationFile,
    /// Disagreements and how they were settled.
    pub conflicts: Vec<MergeConflict>,
    /// Spans of this writer that now have another id: (id in `current`, id in `file`).
    pub renumbered: Vec<(u64, u64)>,
}

/// Re-applies `own` (this writer's edits since it last read or wrote the file) to `theirs` (the
/// file as it is on disk now). `current` is this writer's version: identity fields and its id
/// counter come from it.
pub(crate) fn rebase(theirs: AnnotationFile, own: &[SpanEdit], current: &AnnotationFile) -> Rebased {
    let mut merge = Merge { file: theirs, conflicts: Vec::new(), ids: HashMap::new(), renumbered: Vec::new(), fresh: 0 };
    // The path names the file, and the caller has checked its hash against the article.
    merge.file.format = current.format;
    merge.file.document.clone_from(&current.document);
    merge.file.annotator.clone_from(&current.annotator);
    if !current.text_sha256.is_empty() {
        merge.file.text_sha256.clone_from(&current.text_sha256);
    }
    merge.file.next_id = merge.file.next_id.max(current.next_id);
    merge.fresh = merge.file.next_free_id().max(current.next_free_id());
    let mut flat = Vec::new();
    flatten(own, &mut flat);
    for edit in flat {
        merge.apply(edit);
    }
    merge.file.sort_spans();
    Rebased { file: merge.file, conflicts: merge.conflicts, renumbered: merge.renumbered }
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

struct Merge {
    file: AnnotationFile,
    conflicts: Vec<MergeConflict>,
    /// This writer's ids that now have another one.
    ids: HashMap<u64, u64>,
    renumbered: Vec<(u64, u64)>,
    /// The next id free in both versions.
    fresh: u64,
}

/// Two spans that differ at most in their ids.
fn same_but_id(a: &Span, b: &Span) -> bool {
    (a.start, a.end, &a.label, &a.text, &a.origin, a.state) == (b.start, b.end, &b.label, &b.text, &b.origin, b.state)
}

/// `LABEL «text» start..end (state)`, how conflicts name a span.
fn describe(span: &Span) -> String {
    format!("{} «{}» {}..{} ({:?})", span.label, span.text, span.start, span.end, span.state)
}

impl Merge {
    /// `span` with this writer's id mapped to the one it has in the merged file.
    fn mapped(&self, span: &Span) -> Span {
        let mut span = span.clone();
        if let Some(&id) = self.ids.get(&span.id) {
            span.id = id;
        }
        span
    }

    fn position(&self, id: u64) -> Option<usize> {
        self.file.spans.iter().position(|s| s.id == id)
    }

    /// Gives `span` (this writer's, whose id is `own_id`) a fresh id and inserts it.
    fn insert_renumbered(&mut self, own_id: u64, mut span: Span) -> u64 {
        let id = self.fresh;
        self.fresh += 1;
        span.id = id;
        self.ids.insert(own_id, id);
        self.renumbered.push((own_id, id));
        self.file.insert_sorted(span);
        self.file.next_id = self.file.next_id.max(self.fresh);
        id
    }

    fn conflict(&mut self, span_id: u64, kind: ConflictKind, message: String) {
        self.conflicts.push(MergeConflict { span_id: Some(span_id), kind, message });
    }

    fn apply(&mut self, edit: &SpanEdit) {
        match edit {
            SpanEdit::Add(span) => self.add(span),
            SpanEdit::Remove(span) => self.remove(span),
            SpanEdit::Replace { before, after } => self.replace(before, after),
            SpanEdit::SetStatus { before, after } => self.set_status(*before, *after),
            SpanEdit::Batch(_) => {}
        }
    }

    fn add(&mut self, own: &Span) {
        let span = self.mapped(own);
        if self.file.spans.contains(&span) {
            return;
        }
        if let Some(twin) = self.file.spans.iter().find(|s| same_but_id(s, &span)).map(|s| s.id) {
            self.ids.insert(own.id, twin);
            self.renumbered.push((own.id, twin));
            return;
        }
        let decided_there = |s: &Span| s.state != SpanState::Pending && (s.start, s.end, &s.label) == (span.start, span.end, &span.label);
        if span.state == SpanState::Pending && self.file.spans.iter().any(decided_there) {
            return;
        }
        if self.position(span.id).is_some() {
            self.insert_renumbered(own.id, span);
        } else {
            self.file.insert_sorted(span);
        }
    }

    fn remove(&mut self, own: &Span) {
        let span = self.mapped(own);
        if let Some(at) = self.file.spans.iter().position(|s| *s == span) {
            self.file.spans.remove(at);
            return;
        }
        if let Some(at) = self.position(span.id) {
            let theirs = describe(&self.file.spans[at]);
            self.conflict(
                own.id,
                ConflictKind::TheirsKept,
                format!("you deleted {}, but another writer had changed it to {theirs}; theirs is kept", describe(&span)),
            );
        }
    }

    fn replace(&mut self, own_before: &Span, own_after: &Span) {
        let (before, after) = (self.mapped(own_before), self.mapped(own_after));
        if let Some(at) = self.file.spans.iter().position(|s| *s == before) {
            self.file.spans.remove(at);
            self.file.insert_sorted(after);
            return;
        }
        if self.file.spans.contains(&after) {
            return;
        }
        let Some(at) = self.position(before.id) else {
            if after.state != SpanState::Pending {
                let message = format!("another writer deleted it; your version {} is kept", describe(&after));
                self.file.insert_sorted(after);
                self.conflict(own_before.id, ConflictKind::OursRestored, message);
            }
            return;
        };
        let theirs = self.file.spans[at].clone();
        match (theirs.state, after.state) {
            // A decision settles a proposal, however the proposer has changed it meanwhile.
            (SpanState::Pending, SpanState::Accepted | SpanState::Rejected) => {
                self.file.spans.remove(at);
                self.file.insert_sorted(after);
            }
            // A proposal this writer touched that the other writer changed or decided: theirs.
            (_, SpanState::Pending) => {}
            _ => {
                let message = format!("another writer changed it to {}; yours, {}, is kept beside it", describe(&theirs), describe(&after));
                let id = self.insert_renumbered(own_before.id, after);
                self.conflict(own_before.id, ConflictKind::BothKept, format!("{message} as span {id}"));
            }
        }
    }

    fn set_status(&mut self, before: DocStatus, after: DocStatus) {
        let found = self.file.status;
        if found != before && found != after {
            self.conflicts.push(MergeConflict {
                span_id: None,
                kind: ConflictKind::StatusOverridden,
                message: format!("another writer set the status to {found:?}; yours, {after:?}, is kept"),
            });
        }
        self.file.status = after;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    fn base() -> AnnotationFile {
        let mut file = AnnotationFile::new("corpus/a.txt", "sha", "amal");
        file.spans = vec![Span::manual(1, 0..3, "PERS", "abc"), pending(2, 10..15, "LOC", 0.9)];
        file.next_id = 3;
        file
    }

    fn pending(id: u64, range: std::ops::Range<usize>, label: &str, score: f32) -> Span {
        Span { origin: Origin::Proposed { source: "gazetteer".into(), score }, state: SpanState::Pending, ..Span::manual(id, range, label, "xxxxx") }
    }

    /// Applies `edits` to `file` as its writer would have.
    fn edited(file: &AnnotationFile, edits: &[SpanEdit]) -> AnnotationFile {
        let mut file = file.clone();
        for edit in edits {
            file.apply(edit).unwrap();
        }
        file
    }

    #[test]
    fn edits_on_an_unchanged_file_give_the_writers_version() {
        let ours = vec![SpanEdit::Add(Span::manual(3, 20..22, "ORG", "xy")), SpanEdit::Remove(base().spans[1].clone())];
        let current = edited(&base(), &ours);
        let rebased = rebase(base(), &ours, &current);
        assert_eq!(rebased.file, current);
        assert!(rebased.conflicts.is_empty() && rebased.renumbered.is_empty());
    }

    #[test]
    fn two_writers_adding_under_the_same_id_keep_both_spans() {
        let theirs = edited(&base(), &[SpanEdit::Add(Span::manual(3, 30..33, "LOC", "abc"))]);
        let mine = Span::manual(3, 40..43, "PERS", "def");
        let ours = vec![SpanEdit::Add(mine.clone()), SpanEdit::Replace { before: mine.clone(), after: Span { label: "ORG".into(), ..mine.clone() } }];
        let mut current = edited(&base(), &ours);
        current.next_id = 4;
        let rebased = rebase(theirs, &ours, &current);
        assert_eq!(rebased.renumbered, [(3, 4)]);
        let labels: Vec<(u64, &str)> = rebased.file.spans.iter().map(|s| (s.id, s.label.as_str())).collect();
        assert_eq!(labels, [(1, "PERS"), (2, "LOC"), (3, "LOC"), (4, "ORG")]);
        assert_eq!(rebased.file.next_id, 5);
        assert!(rebased.conflicts.is_empty());
    }

    #[test]
    fn the_same_span_added_by_both_is_there_once() {
        let span = pending(3, 30..35, "LOC", 0.5);
        let theirs = edited(&base(), &[SpanEdit::Add(Span { id: 7, ..span.clone() })]);
        let ours = vec![SpanEdit::Add(span)];
        let rebased = rebase(theirs, &ours, &edited(&base(), &ours));
        assert_eq!(rebased.file.spans.len(), 3);
        assert_eq!(rebased.renumbered, [(3, 7)]);
    }

    #[test]
    fn an_accepted_proposal_survives_its_withdrawal() {
        // The annotator accepted proposal 2 while a proposer run withdrew it.
        let proposal = base().spans[1].clone();
        let theirs = edited(&base(), &[SpanEdit::Remove(proposal.clone())]);
        let accepted = Span { state: SpanState::Accepted, ..proposal.clone() };
        let ours = vec![SpanEdit::Replace { before: proposal.clone(), after: accepted.clone() }];
        let rebased = rebase(theirs.clone(), &ours, &edited(&base(), &ours));
        assert!(rebased.file.spans.contains(&accepted));
        assert_eq!(rebased.conflicts[0].kind, ConflictKind::OursRestored);
        // The other way round: the proposer's withdrawal re-applied on the accepted file keeps it.
        let accepted_file = edited(&base(), &ours);
        let withdrawal = vec![SpanEdit::Remove(proposal)];
        let rebased = rebase(accepted_file, &withdrawal, &theirs);
        assert!(rebased.file.spans.contains(&accepted));
        assert_eq!(rebased.conflicts[0].kind, ConflictKind::TheirsKept);
    }

    #[test]
    fn a_decision_settles_a_refreshed_proposal_and_two_decisions_are_both_kept() {
        let proposal = base().spans[1].clone();
        let refreshed = pending(2, 10..15, "LOC", 0.7);
        let theirs = edited(&base(), &[SpanEdit::Replace { before: proposal.clone(), after: refreshed }]);
        let rejected = Span { state: SpanState::Rejected, ..proposal.clone() };
        let ours = vec![SpanEdit::Replace { before: proposal.clone(), after: rejected.clone() }];
        let rebased = rebase(theirs, &ours, &edited(&base(), &ours));
        assert!(rebased.file.spans.contains(&rejected));
        assert_eq!(rebased.file.spans.len(), 2);
        assert!(rebased.conflicts.is_empty());

        let kerry = base().spans[0].clone();
        let theirs = edited(&base(), &[SpanEdit::Replace { before: kerry.clone(), after: Span { label: "ORG".into(), ..kerry.clone() } }]);
        let ours = vec![SpanEdit::Replace { before: kerry.clone(), after: Span { end: 2, text: "ab".into(), ..kerry.clone() } }];
        let rebased = rebase(theirs, &ours, &edited(&base(), &ours));
        let kept: Vec<(u64, &str, usize)> = rebased.file.spans.iter().filter(|s| s.start == 0).map(|s| (s.id, s.label.as_str(), s.end)).collect();
        assert_eq!(kept, [(3, "PERS", 2), (1, "ORG", 3)]);
        assert_eq!(rebased.conflicts[0].kind, ConflictKind::BothKept);
        assert!(rebased.conflicts[0].to_string().starts_with("span 1: another writer changed it to ORG"), "{}", rebased.conflicts[0]);
    }

    #[test]
    fn status_of_this_writer_wins_and_a_clash_is_reported() {
        let theirs = edited(&base(), &[SpanEdit::SetStatus { before: DocStatus::New, after: DocStatus::InProgress }]);
        let ours = vec![SpanEdit::SetStatus { before: DocStatus::New, after: DocStatus::Done }];
        let rebased = rebase(theirs, &ours, &edited(&base(), &ours));
        assert_eq!(rebased.file.status, DocStatus::Done);
        assert_eq!(rebased.conflicts[0].kind, ConflictKind::StatusOverridden);
    }

    #[test]
    fn a_proposal_is_not_added_over_a_decision_on_the_same_range() {
        let theirs = edited(&base(), &[SpanEdit::Add(Span::manual(3, 30..35, "LOC", "xxxxx"))]);
        let ours = vec![SpanEdit::Add(pending(3, 30..35, "LOC", 0.4))];
        let rebased = rebase(theirs.clone(), &ours, &edited(&base(), &ours));
        assert_eq!(rebased.file.spans, theirs.spans);
    }
}
