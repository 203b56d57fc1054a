//! The proposers a project's `tawsim.ron` asks for, run together.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

use super::Proposal;
use super::combine::combine;
use super::gazetteer::{self, Gazetteer, Prepared};
use super::memory::{self, ProjectMemory};
use super::model::{self as learned, SequenceModel};
use super::pending::reconcile;
use super::rules::{self, RuleSet};
use crate::model::{AnnotationFile, CharIndex, SpanEdit};

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
struct FixedProposals {
    text_hash: u64,
    text_len: usize,
    prepared: Arc<Prepared>,
    ranked: Vec<Vec<Proposal>>,
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
    /// its features, when it passed its gate; otherwise the lists' and rules'.
    fn fixed(&self, text: &str, prepared: &Prepared) -> Vec<Vec<Proposal>> {
        let mut ranked: Vec<Vec<Proposal>> = self.gazetteers.iter().map(|g| g.propose_prepared(prepared)).collect();
        ranked.extend(self.rules.iter().map(|r| r.propose(text)));
        match self.model.as_ref().filter(|m| m.passes_gate()) {
            Some(model) => vec![model.propose(text, &ranked.concat())],
            None => ranked,
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
        let text_hash = {
            let mut hasher = DefaultHasher::new();
            text.hash(&mut hasher);
            hasher.finish()
        };
        let (prepared, fixed) = {
            // A poisoned cache only means a panic elsewhere; recomputing is always correct.
            let mut cache = self.fixed_proposals.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            match cache.as_ref() {
                Some(c) if c.text_hash == text_hash && c.text_len == text.len() => (c.prepared.clone(), c.ranked.clone()),
                _ => {
                    let prepared = Arc::new(Prepared::new(text));
                    let ranked = self.fixed(text, &prepared);
                    *cache = Some(FixedProposals { text_hash, text_len: text.len(), prepared: prepared.clone(), ranked: ranked.clone() });
                    (prepared, ranked)
                }
            }
        };
        let proposals = self.rank(&prepared, fixed);
        // Rejections are filtered once, by reconcile, with the other decisions.
        let rejected = |surface: &str, label: &str| self.memory.as_ref().is_some_and(|m| m.is_rejected(surface, label));
        reconcile(file, text, &proposals, is_builtin_source, rejected)
    }
}
