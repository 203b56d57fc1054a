//! What is known of an annotation's spans without a pass over all of them: the longest span, the
//! highest id, how many are accepted and which forms were rejected. The app keeps one with the
//! open article and updates it from each edit, so a decision in an article of 75,000 spans costs
//! the spans it changed; a refresh of a few clauses reads from it what it would otherwise count.

use std::collections::HashMap;

use crate::arabic::normalize_form;
use crate::model::{AnnotationFile, Span, SpanChange, SpanEdit, SpanState, net_span_changes};

/// Facts about one annotation file's spans, kept up to date with the edits applied to it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KnownSpans {
    /// No span is longer than this many chars (it may be shorter after a removal).
    pub longest: usize,
    /// No span id is above this (ids of removed spans may still count).
    pub max_id: u64,
    /// Accepted spans.
    pub accepted: usize,
    /// Pending spans (proposals awaiting a decision).
    pub pending: usize,
    /// Rejected spans by normalized form and label.
    rejected_forms: HashMap<String, HashMap<String, usize>>,
}

impl KnownSpans {
    /// The facts of `file`, from a pass over its spans.
    pub fn of(file: &AnnotationFile) -> Self {
        let mut known = KnownSpans::default();
        for span in &file.spans {
            known.add(span);
        }
        known
    }

    /// Whether these facts hold for `file` (the bounds may be above what a fresh count gives).
    pub fn agrees_with(&self, file: &AnnotationFile) -> bool {
        let counted = KnownSpans::of(file);
        self.accepted == counted.accepted
            && self.pending == counted.pending
            && self.rejected_forms == counted.rejected_forms
            && self.longest >= counted.longest
            && self.max_id >= counted.max_id
    }

    /// Takes in an edit that was applied to the file.
    pub fn update(&mut self, edit: &SpanEdit) {
        self.take_changes(&net_span_changes([edit]));
    }

    /// Takes in the net changes of an edit that was applied to the file (for a caller that
    /// needs them itself, so they are worked out once).
    pub fn take_changes(&mut self, changes: &[SpanChange]) {
        for change in changes {
            if let Some(before) = change.before {
                self.remove(before);
            }
            if let Some(after) = change.after {
                self.add(after);
            }
        }
    }

    /// Whether a span of `label` whose text normalizes to `form` was rejected in the file.
    pub fn is_rejected_form(&self, form: &str, label: &str) -> bool {
        self.rejected_forms.get(form).is_some_and(|labels| labels.contains_key(label))
    }

    /// Whether any span was rejected.
    pub fn has_rejections(&self) -> bool {
        !self.rejected_forms.is_empty()
    }

    fn add(&mut self, span: &Span) {
        self.longest = self.longest.max(span.end.saturating_sub(span.start));
        self.max_id = self.max_id.max(span.id);
        match span.state {
            SpanState::Accepted => self.accepted += 1,
            SpanState::Pending => self.pending += 1,
            SpanState::Rejected => *self.rejected_forms.entry(normalize_form(&span.text)).or_default().entry(span.label.clone()).or_default() += 1,
        }
    }

    fn remove(&mut self, span: &Span) {
        match span.state {
            SpanState::Accepted => self.accepted = self.accepted.saturating_sub(1),
            SpanState::Pending => self.pending = self.pending.saturating_sub(1),
            SpanState::Rejected => {
                let form = normalize_form(&span.text);
                let Some(labels) = self.rejected_forms.get_mut(&form) else { return };
                if let Some(count) = labels.get_mut(&span.label) {
                    *count -= 1;
                    if *count == 0 {
                        labels.remove(&span.label);
                    }
                }
                if labels.is_empty() {
                    self.rejected_forms.remove(&form);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    fn span(id: u64, start: usize, end: usize, text: &str, state: SpanState) -> Span {
        Span { id, start, end, label: "LOC".to_owned(), text: text.to_owned(), origin: Origin::Manual, state }
    }

    #[test]
    fn facts_kept_from_edits_match_the_facts_counted_afresh() {
        let mut file = AnnotationFile::new("a.txt", "", "t");
        let mut known = KnownSpans::of(&file);
        let a = span(1, 0, 5, "حلب", SpanState::Pending);
        let b = span(2, 10, 14, "إدلب", SpanState::Accepted);
        let edits = [
            SpanEdit::Batch(vec![SpanEdit::Add(a.clone()), SpanEdit::Add(b.clone())]),
            SpanEdit::Replace { before: a.clone(), after: Span { state: SpanState::Rejected, ..a.clone() } },
            SpanEdit::Remove(b.clone()),
        ];
        for edit in &edits {
            file.apply(edit).expect("applies");
            known.update(edit);
            assert!(known.agrees_with(&file), "{known:?} after {edit:?}");
        }
        assert!(known.is_rejected_form(&normalize_form("حلب"), "LOC"));
        assert!(!known.is_rejected_form(&normalize_form("حلب"), "PERS"));
        let undo = edits[1].inverse();
        file.apply(&undo).expect("undoes");
        known.update(&undo);
        assert!(!known.has_rejections());
    }
}
