//! The proposers a project's `tawsim.ron` asks for, run together.

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use super::combine::combine;
use super::gazetteer::{self, Gazetteer, Prepared};
use super::memory::{self, ProjectMemory};
use super::model::{self as learned, SequenceModel};
use super::pending::{Regions, reconcile, reconcile_in};
use super::rules::{self, RuleSet};
use super::tidy::tidy;
use super::{KnownSpans, Proposal};
use crate::model::{AnnotationFile, CharIndex, SpanEdit, partition_point_near};

/// A project's proposers: its gazetteer lists, rules, learned model and the annotator's memory.
///
/// Lists and rules are fixed once built (to change them, build new `Proposers`); memory learns;
/// the model is replaced when it is retrained ([`Self::set_model`]). A model that passed its
/// gate proposes instead of the lists and rules, whose proposals are its features: it has
/// learnt when to trust them, and measured on the dev split it does better alone than with
/// them proposing beside it (README, "The learned proposer").
#[derive(Default)]
pub struct Proposers {
    /// Gazetteer lists, in the order the project names them.
    pub gazetteers: Vec<Gazetteer>,
    /// Trigger-word rule sets.
    pub rules: Vec<RuleSet>,
    /// What the annotator accepted and rejected so far (when the project uses memory).
    pub memory: Option<ProjectMemory>,
    /// The learned model, when the project has one (it proposes only once it passed its gate).
    model: Option<Arc<SequenceModel>>,
    /// The lists' and rules' proposals for the last text refreshed. Only memory learns while an
    /// article is open, so a decision re-runs memory alone instead of every proposer over the
    /// whole article (100 ms in a 1 MB article).
    fixed_proposals: Mutex<Option<FixedProposals>>,
}

/// Proposals that depend on the text alone, the text prepared for matching, and which text.
#[derive(Clone)]
struct FixedProposals {
    /// The text they are for: comparing a megabyte costs tens of microseconds, hashing it a
    /// millisecond.
    text: Arc<str>,
    prepared: Arc<Prepared>,
    /// Each fixed proposer's proposals, sorted by start.
    ranked: Arc<Vec<Vec<Proposal>>>,
    /// Where the text's pieces start.
    pieces: Arc<Pieces>,
    /// For each piece, whether a fixed proposal runs on into the next one (such pieces are
    /// refreshed together).
    joined: Arc<Vec<bool>>,
}

/// The char and byte offsets where each piece of a text starts: a piece ends after a line break
/// or a clause mark ([`memory::CLAUSE_MARKS`]) that whitespace follows, so `2.5` stays whole.
/// Unless memory holds a form across a clause's end, none of its proposals runs across a piece's
/// end (see [`Proposers::refresh_forms`]).
struct Pieces {
    chars: Vec<usize>,
    bytes: Vec<usize>,
    len_chars: usize,
}

impl Pieces {
    fn new(text: &str) -> Pieces {
        let (mut chars, mut bytes) = (vec![0], vec![0]);
        let mut len_chars = 0;
        let mut chars_of_text = text.char_indices().enumerate().peekable();
        while let Some((i, (byte, c))) = chars_of_text.next() {
            let next_is_space = chars_of_text.peek().is_some_and(|(_, (_, next))| next.is_whitespace());
            if c == '\n' || (memory::CLAUSE_MARKS.contains(&c) && next_is_space) {
                chars.push(i + 1);
                bytes.push(byte + c.len_utf8());
            }
            len_chars = i + 1;
        }
        Pieces { chars, bytes, len_chars }
    }

    fn count(&self) -> usize {
        self.chars.len()
    }

    /// The piece holding char `at`.
    fn piece_of(&self, at: usize) -> usize {
        self.chars.partition_point(|&start| start <= at).saturating_sub(1)
    }

    /// Chars of pieces `first..=last`.
    fn char_range(&self, first: usize, last: usize) -> Range<usize> {
        self.chars[first]..self.chars.get(last + 1).copied().unwrap_or(self.len_chars)
    }

    fn byte_range(&self, first: usize, last: usize, text: &str) -> Range<usize> {
        self.bytes[first]..self.bytes.get(last + 1).copied().unwrap_or(text.len())
    }
}

/// Whether a proposal source is one of the built-in proposers (recomputed on every refresh), as
/// opposed to an import.
pub fn is_builtin_source(source: &str) -> bool {
    matches!(source, gazetteer::SOURCE | memory::SOURCE | rules::SOURCE | learned::SOURCE)
}

impl Proposers {
    /// No proposers at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// Proposers of these lists and rules, with this memory.
    pub fn new(gazetteers: Vec<Gazetteer>, rules: Vec<RuleSet>, memory: Option<ProjectMemory>) -> Self {
        Proposers { gazetteers, rules, memory, model: None, fixed_proposals: Mutex::default() }
    }

    /// The gazetteers' and rules' proposals for `text`, unresolved: the learned model's features.
    pub fn list_proposals(&self, text: &str) -> Vec<Proposal> {
        let prepared = Prepared::new(text);
        let mut out: Vec<Proposal> = self.gazetteers.iter().flat_map(|g| g.propose_prepared(&prepared)).collect();
        out.extend(self.rules.iter().flat_map(|r| r.propose(text)));
        out
    }

    /// The same lists and rules without memory or model, to move to a thread that trains.
    pub fn lists_only(&self) -> Proposers {
        Proposers::new(self.gazetteers.clone(), self.rules.clone(), None)
    }

    /// The learned model, if there is one.
    pub fn model(&self) -> Option<&Arc<SequenceModel>> {
        self.model.as_ref()
    }

    /// Uses `model` from now on (or none); a retrained model replaces the old one this way.
    pub fn set_model(&mut self, model: Option<Arc<SequenceModel>>) {
        self.model = model;
        self.fixed_proposals = Mutex::default();
    }

    /// Every built-in proposal for `text`, combined by score (see [`combine`]); never a (text,
    /// label) the annotator rejected.
    pub fn propose(&self, text: &str) -> Vec<Proposal> {
        let prepared = Prepared::new(text);
        let fixed = self.fixed(text, &prepared);
        let mut proposals = self.rank(&prepared, fixed);
        if let Some(memory) = self.memory.as_ref().filter(|m| m.has_rejections()) {
            let index = CharIndex::new(text);
            proposals.retain(|p| !index.slice(p.range.clone()).is_some_and(|surface| memory.is_rejected(surface, &p.label)));
        }
        proposals
    }

    /// The proposals that depend on the text alone: the model's, given the lists' and rules' as
    /// its features, when it passed its gate; otherwise the lists' and rules'. Either way
    /// person proposals are corrected with the lexicon ([`tidy`]) after the model took the
    /// lists' and rules' proposals as they are.
    fn fixed(&self, text: &str, prepared: &Prepared) -> Vec<Vec<Proposal>> {
        let mut ranked: Vec<Vec<Proposal>> = self.gazetteers.iter().map(|g| g.propose_prepared(prepared)).collect();
        ranked.extend(self.rules.iter().map(|r| r.propose(text)));
        let lexicon = self.rules.first().map_or_else(rules::bundled_lexicon, |r| r.lexicon().clone());
        let tidied = |list| tidy(text, list, &lexicon, &self.gazetteers);
        match self.model.as_ref().filter(|m| m.passes_gate()) {
            Some(model) => vec![tidied(model.propose(text, &ranked.concat()))],
            None => ranked.into_iter().map(tidied).collect(),
        }
    }

    /// Memory's proposals and `fixed`, combined (rejections are the caller's to filter).
    fn rank(&self, prepared: &Prepared, fixed: Vec<Vec<Proposal>>) -> Vec<Proposal> {
        let mut ranked = Vec::with_capacity(fixed.len() + 1);
        if let Some(memory) = &self.memory {
            ranked.push(memory.propose_prepared(prepared));
        }
        ranked.extend(fixed);
        combine(ranked)
    }

    /// The edit that refreshes the built-in proposals of an annotation (see [`reconcile`]).
    /// Refreshing the same text again reuses the lists' and rules' proposals.
    pub fn refresh(&self, file: &mut AnnotationFile, text: &str) -> Option<SpanEdit> {
        let fixed = self.fixed_for(text);
        let proposals = self.rank(&fixed.prepared, fixed.ranked.as_ref().clone());
        reconcile(file, text, &proposals, is_builtin_source, |surface, label| self.is_rejected(surface, label))
    }

    /// [`Self::refresh`] after decisions changed what memory holds about `forms` (normalized),
    /// and nothing else: only the pieces of text (clauses, lines) where those forms occur are
    /// proposed over again, with any piece a proposal or span runs on into, so a decision in a
    /// 1 MB article costs those clauses, not the article. The result is the same as a whole
    /// refresh (memory's proposals never cross a piece's end, so each piece is matched alone;
    /// a memory holding a form with such a mark refreshes the whole article).
    pub fn refresh_forms(&self, file: &mut AnnotationFile, known: &KnownSpans, text: &str, forms: &[String]) -> Option<SpanEdit> {
        let Some(memory) = self.memory.as_ref().filter(|m| !m.has_form_across_clauses()) else { return self.refresh(file, text) };
        let fixed = self.fixed_for(text);
        let pieces = &fixed.pieces;
        let mut touched: BTreeSet<usize> = fixed.prepared.places_of(forms).into_iter().map(|at| pieces.piece_of(at)).collect();
        // Widen to pieces a span runs on into (a hand-made span may hold a line break or a clause mark).
        let longest_span = known.longest;
        let crosses_into = |piece: usize| -> bool {
            let at = pieces.chars[piece];
            fixed.joined[piece - 1] || {
                let from = partition_point_near(&file.spans, at.saturating_sub(longest_span), |s| s.start + longest_span < at);
                file.spans[from..].iter().take_while(|s| s.start < at).any(|s| s.end > at)
            }
        };
        let mut todo: Vec<usize> = touched.iter().copied().collect();
        while let Some(piece) = todo.pop() {
            if piece > 0 && !touched.contains(&(piece - 1)) && crosses_into(piece) {
                touched.insert(piece - 1);
                todo.push(piece - 1);
            }
            if piece + 1 < pieces.count() && !touched.contains(&(piece + 1)) && crosses_into(piece + 1) {
                touched.insert(piece + 1);
                todo.push(piece + 1);
            }
        }
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for piece in touched {
            match runs.last_mut() {
                Some((_, last)) if *last + 1 == piece => *last = piece,
                _ => runs.push((piece, piece)),
            }
        }
        let mut proposals = Vec::new();
        // The runs are in order, so each list is searched from where the last run left it.
        let mut rests: Vec<&[Proposal]> = fixed.ranked.iter().map(Vec::as_slice).collect();
        for &(first, last) in &runs {
            let chars = pieces.char_range(first, last);
            let mut ranked = vec![memory.propose_in(&fixed.prepared, chars.clone())];
            ranked.extend(rests.iter_mut().map(|rest| {
                *rest = &rest[rest.partition_point(|p| p.range.start < chars.start)..];
                let to = rest.partition_point(|p| p.range.start < chars.end);
                let (inside, after) = rest.split_at(to);
                *rest = after;
                inside.to_vec()
            }));
            proposals.extend(combine(ranked));
        }
        let regions = Regions::parts(runs.iter().map(|&(first, last)| (pieces.chars[first], &text[pieces.byte_range(first, last, text)])), pieces.len_chars);
        reconcile_in(file, known, &regions, &proposals, is_builtin_source, |surface, label| self.is_rejected(surface, label))
    }

    /// Whether memory says the annotator turned down `surface` as `label`.
    fn is_rejected(&self, surface: &str, label: &str) -> bool {
        self.memory.as_ref().is_some_and(|m| m.is_rejected(surface, label))
    }

    /// The proposals that depend on `text` alone, computed once per text.
    fn fixed_for(&self, text: &str) -> FixedProposals {
        // A poisoned cache only means a panic elsewhere; recomputing is always correct.
        let mut cache = self.fixed_proposals.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(cached) = cache.as_ref().filter(|c| *c.text == *text) {
            return cached.clone();
        }
        let prepared = Arc::new(Prepared::new(text));
        let mut ranked = self.fixed(text, &prepared);
        for list in &mut ranked {
            list.sort_by_key(|p| p.range.start);
        }
        let pieces = Pieces::new(text);
        let mut joined = vec![false; pieces.count()];
        for proposal in ranked.iter().flatten().filter(|p| !p.range.is_empty()) {
            let (first, last) = (pieces.piece_of(proposal.range.start), pieces.piece_of(proposal.range.end - 1));
            joined[first..last].iter_mut().for_each(|j| *j = true);
        }
        let fixed = FixedProposals { text: Arc::from(text), prepared, ranked: Arc::new(ranked), pieces: Arc::new(pieces), joined: Arc::new(joined) };
        *cache = Some(fixed.clone());
        fixed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, Span, SpanState};
    use crate::propose::gazetteer::normalize_form;
    use crate::propose::memory::Decision;

    const TEXT: &str = include_str!("../../assets/corpus/syria-news-digest.txt");

    /// The spans as they are, without ids (which depend on the order additions were made in).
    fn without_ids(file: &AnnotationFile) -> Vec<(usize, usize, String, SpanState, Origin)> {
        let mut spans: Vec<_> = file.spans.iter().map(|s| (s.start, s.end, s.label.clone(), s.state, s.origin.clone())).collect();
        spans.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
        spans
    }

    #[test]
    fn refreshing_the_pieces_of_changed_forms_equals_refreshing_the_whole_article() {
        let mut proposers = Proposers::new(Vec::new(), vec![RuleSet::arabic_news()], Some(ProjectMemory::new()));
        let mut file = AnnotationFile::new("a.txt", "", "amal");
        // A span over a line break: the lines it joins are refreshed together.
        let first_break = TEXT.chars().position(|c| c == '\n').expect("lines");
        let surface: String = TEXT.chars().skip(first_break - 3).take(8).collect();
        file.apply(&SpanEdit::Add(Span::manual(900, first_break - 3..first_break + 5, "MISC", &surface))).expect("added");
        let proposals = proposers.refresh(&mut file, TEXT).expect("proposals");
        file.apply(&proposals).expect("applies");
        let mut decided = 0;
        for step in 0..40 {
            let pending: Vec<Span> = file.spans.iter().filter(|s| s.state == SpanState::Pending).cloned().collect();
            let Some(span) = pending.get(step * 7 % pending.len().max(1)).cloned() else { break };
            // Accept, reject, or accept under another label, in turn.
            let after = match step % 3 {
                0 => Span { state: SpanState::Accepted, ..span.clone() },
                1 => Span { state: SpanState::Rejected, ..span.clone() },
                _ => Span { state: SpanState::Accepted, label: if span.label == "PERS" { "LOC".into() } else { "PERS".into() }, ..span.clone() },
            };
            file.apply(&SpanEdit::Replace { before: span.clone(), after: after.clone() }).expect("decided");
            let memory = proposers.memory.as_mut().expect("memory");
            let decision = if after.state == SpanState::Accepted { Decision::Accepted } else { Decision::Rejected };
            memory.record(&after.text, &after.label, decision, 1);
            decided += 1;

            let mut whole = file.clone();
            if let Some(edit) = proposers.refresh(&mut whole, TEXT) {
                whole.apply(&edit).expect("whole refresh applies");
            }
            let forms = [normalize_form(&after.text)];
            let known = KnownSpans::of(&file);
            if let Some(edit) = proposers.refresh_forms(&mut file, &known, TEXT, &forms) {
                file.apply(&edit).expect("refresh of pieces applies");
            }
            assert_eq!(without_ids(&file), without_ids(&whole), "step {step}: after deciding «{}» as {}", after.text, after.label);
        }
        assert!(decided > 30, "{decided} decisions");

        // Names accepted in another article: one holding a mark with no space after it stays
        // in one piece; one holding a clause's end makes memory propose across pieces, so the
        // whole article is refreshed.
        for surface in ["2.2", "الروسية للأنباء، قال"] {
            proposers.memory.as_mut().expect("memory").record(surface, "MISC", Decision::Accepted, 1);
            let mut whole = file.clone();
            if let Some(edit) = proposers.refresh(&mut whole, TEXT) {
                whole.apply(&edit).expect("whole refresh applies");
            }
            let known = KnownSpans::of(&file);
            if let Some(edit) = proposers.refresh_forms(&mut file, &known, TEXT, &[normalize_form(surface)]) {
                file.apply(&edit).expect("refresh of pieces applies");
            }
            assert_eq!(without_ids(&file), without_ids(&whole), "after accepting «{surface}»");
        }
    }
}
