//! Project memory: what the annotator decided so far proposes itself again.
//!
//! Every accepted entity's form (normalized as the gazetteer normalizes) is proposed wherever it
//! occurs, with the label it was accepted under most often; a (form, label) the annotator rejected
//! more often than accepted is not proposed again by any proposer.

use std::collections::HashMap;
use std::ops::Range;

use rustc_hash::FxHashMap;

use super::Proposal;
use super::gazetteer::{Prepared, normalize_form};
use crate::model::{AnnotationFile, SpanState};

/// Name of this proposer in [`Proposal::source`].
pub const SOURCE: &str = "memory";

/// Decisions per normalized form: how often accepted and rejected under each label.
#[derive(Clone, Debug, Default)]
pub struct ProjectMemory {
    decisions: HashMap<String, HashMap<String, Tally>>,
    /// How many (form, label) pairs are rejected more often than accepted: while none are,
    /// [`Self::is_rejected`] answers without normalizing its text.
    rejected_pairs: usize,
    /// What each accepted form proposes, updated decision by decision: a decision changes one
    /// form, so nothing is rebuilt (rebuilding a matcher of 2,000 forms took 4.5 ms).
    proposing: FormTable,
}

/// Accepted forms with the (label, score) each proposes, and their first chars, so a place where
/// no form starts is passed over without a string lookup.
#[derive(Clone, Debug, Default)]
struct FormTable {
    // Fx hashing: refreshing a decision's clauses looks up a head at every word start.
    forms: FxHashMap<String, (String, f32)>,
    /// For each head (the first three chars, fewer for shorter forms): how many forms begin with
    /// it, and the longest of them in chars (never shrinks: it only bounds the search).
    heads: FxHashMap<Vec<char>, (u32, usize)>,
    /// How many forms run across a clause's end (see [`spans_clauses`]).
    across_clauses: usize,
}

/// Marks that end a clause or sentence when a space follows them.
pub(super) const CLAUSE_MARKS: [char; 9] = ['.', '!', '?', '؟', '،', '؛', ':', ',', ';'];

/// Whether `form` holds a clause mark followed by a space (`باريس، فرنسا`, not `2.5`).
fn spans_clauses(form: &str) -> bool {
    form.match_indices(CLAUSE_MARKS).any(|(at, mark)| form[at + mark.len()..].starts_with(' '))
}

impl FormTable {
    fn head(form: &str) -> Vec<char> {
        form.chars().take(3).collect()
    }

    /// Makes `form` propose `entry` (or nothing).
    fn set(&mut self, form: &str, entry: Option<(String, f32)>) {
        match entry {
            Some(entry) => {
                if self.forms.insert(form.to_owned(), entry).is_none() {
                    self.across_clauses += usize::from(spans_clauses(form));
                    let (count, longest) = self.heads.entry(Self::head(form)).or_default();
                    *count += 1;
                    *longest = (*longest).max(form.chars().count());
                }
            }
            None => {
                if self.forms.remove(form).is_some() {
                    self.across_clauses -= usize::from(spans_clauses(form));
                    let head = Self::head(form);
                    if let Some((count, _)) = self.heads.get_mut(&head) {
                        *count -= 1;
                        if *count == 0 {
                            self.heads.remove(&head);
                        }
                    }
                }
            }
        }
    }

    /// The longest form that begins like `chars` (up to three chars of the text), if any does.
    fn longest_starting(&self, chars: &[char]) -> Option<usize> {
        (1..=chars.len()).filter_map(|n| self.heads.get(&chars[..n]).map(|(_, longest)| *longest)).max()
    }
}

/// Accepted and rejected counts of one (form, label).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Tally {
    accepted: u32,
    rejected: u32,
}

impl Tally {
    fn is_rejected(&self) -> bool {
        self.rejected > self.accepted
    }
}

/// A decision the annotator made about a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// The span is an entity with its label.
    Accepted,
    /// The span is not an entity with that label.
    Rejected,
}

impl ProjectMemory {
    /// An empty memory.
    pub fn new() -> Self {
        Self::default()
    }

    /// Remembers the decided spans of one annotation file.
    pub fn add_file(&mut self, file: &AnnotationFile) {
        for span in &file.spans {
            match span.state {
                SpanState::Accepted => self.record(&span.text, &span.label, Decision::Accepted, 1),
                SpanState::Rejected => self.record(&span.text, &span.label, Decision::Rejected, 1),
                SpanState::Pending => {}
            }
        }
    }

    /// Counts a decision about `text` as `label` (`times` may be negative to take one back, as
    /// undo does).
    pub fn record(&mut self, text: &str, label: &str, decision: Decision, times: i32) {
        let form = normalize_form(text);
        if form.is_empty() {
            return;
        }
        let labels = self.decisions.entry(form.clone()).or_default();
        let tally = labels.entry(label.to_owned()).or_default();
        let was_rejected = tally.is_rejected();
        let count = match decision {
            Decision::Accepted => &mut tally.accepted,
            Decision::Rejected => &mut tally.rejected,
        };
        *count = count.saturating_add_signed(times);
        match (was_rejected, tally.is_rejected()) {
            (false, true) => self.rejected_pairs += 1,
            (true, false) => self.rejected_pairs -= 1,
            _ => {}
        }
        let entry = proposed_entry(labels);
        self.proposing.set(&form, entry);
    }

    /// Whether a proposal of `text` as `label` was turned down (more often than accepted).
    pub fn is_rejected(&self, text: &str, label: &str) -> bool {
        self.rejected_pairs > 0 && self.tally(text, label).is_some_and(|t| t.is_rejected())
    }

    fn tally(&self, text: &str, label: &str) -> Option<Tally> {
        self.decisions.get(&normalize_form(text))?.get(label).copied()
    }

    /// Whether any (form, label) is rejected at all.
    pub fn has_rejections(&self) -> bool {
        self.rejected_pairs > 0
    }

    /// Whether a form memory proposes runs across a clause's end ([`CLAUSE_MARKS`] and a space),
    /// so a proposal of it may too.
    pub fn has_form_across_clauses(&self) -> bool {
        self.proposing.across_clauses > 0
    }

    /// Number of forms with a decision.
    pub fn len(&self) -> usize {
        self.decisions.len()
    }

    /// True when nothing has been decided yet.
    pub fn is_empty(&self) -> bool {
        self.decisions.is_empty()
    }

    /// Proposals of accepted forms in `text`, in order, never overlapping.
    pub fn propose(&self, text: &str) -> Vec<Proposal> {
        self.propose_prepared(&Prepared::new(text))
    }

    /// [`Self::propose`] over a text already prepared for matching.
    pub(crate) fn propose_prepared(&self, text: &Prepared) -> Vec<Proposal> {
        self.propose_in(text, 0..usize::MAX)
    }

    /// Proposals among the words that begin inside `chars` (original chars of a prepared text).
    pub(crate) fn propose_in(&self, text: &Prepared, chars: Range<usize>) -> Vec<Proposal> {
        if self.proposing.forms.is_empty() {
            return Vec::new();
        }
        let table = &self.proposing;
        text.find_forms(text.words_within(chars), |head| table.longest_starting(head), |form| table.forms.get(form))
            .into_iter()
            .map(|((label, score), range)| Proposal { range, label: label.clone(), score: *score, source: SOURCE.to_owned() })
            .collect()
    }
}

/// What a form proposes given its decisions: the label it was accepted under most often, and
/// as the score the rule of succession's estimate of how often a proposal of the form under that
/// label is accepted: `(accepted + 1) / (decisions + 2)`, so one acceptance is 2/3 and ten are
/// 11/12 (a raw share would make one acceptance a certainty that outranks every other proposer).
/// Nothing when no label was accepted more often than rejected.
fn proposed_entry(labels: &HashMap<String, Tally>) -> Option<(String, f32)> {
    let total: u32 = labels.values().map(|t| t.accepted + t.rejected).sum();
    let best = labels.iter().filter(|(_, t)| t.accepted > t.rejected).max_by(|a, b| a.1.accepted.cmp(&b.1.accepted).then(b.0.cmp(a.0)));
    best.map(|(label, tally)| (label.clone(), (tally.accepted + 1) as f32 / (total + 2) as f32))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;

    fn decided(text: &str, label: &str, state: SpanState) -> Span {
        Span { state, ..Span::manual(1, 0..text.chars().count(), label, text) }
    }

    #[test]
    fn accepted_forms_propose_themselves_after_proclitics_and_in_other_spellings() {
        let mut file = AnnotationFile::new("a.txt", "", "amal");
        file.spans.push(decided("الأسد", "PERS", SpanState::Accepted));
        let mut memory = ProjectMemory::new();
        memory.add_file(&file);
        let text = "قال الاسد إن والأسد";
        let found: Vec<_> = memory.propose(text).into_iter().map(|p| (p.range, p.label, p.source)).collect();
        assert_eq!(found, [(4..9, "PERS".to_owned(), "memory".to_owned()), (14..19, "PERS".to_owned(), "memory".to_owned())]);
    }

    #[test]
    fn rejections_outvote_and_silence_a_form() {
        let mut memory = ProjectMemory::new();
        memory.record("الأمن", "ORG", Decision::Rejected, 1);
        assert!(memory.is_rejected("الامن", "ORG"));
        assert!(!memory.is_rejected("الامن", "LOC"));
        assert!(memory.propose("مجلس الأمن").is_empty());
        memory.record("الأمن", "ORG", Decision::Accepted, 2);
        assert!(!memory.is_rejected("الأمن", "ORG"));
        assert_eq!(memory.propose("مجلس الأمن").len(), 1, "accepted twice, rejected once");
        memory.record("الأمن", "ORG", Decision::Accepted, -2);
        assert!(memory.is_rejected("الأمن", "ORG"), "undo takes the acceptances back");
    }

    #[test]
    fn the_most_accepted_label_wins_with_its_estimated_acceptance_as_score() {
        let mut memory = ProjectMemory::new();
        memory.record("واشنطن", "LOC", Decision::Accepted, 3);
        memory.record("واشنطن", "ORG", Decision::Accepted, 1);
        let proposals = memory.propose("في واشنطن");
        assert_eq!(proposals.len(), 1);
        assert_eq!(proposals[0].label, "LOC");
        assert!((proposals[0].score - 4.0 / 6.0).abs() < 1e-6, "(3 + 1) / (4 + 2)");
    }
}
