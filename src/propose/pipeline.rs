//! The proposers a project's `tawsim.ron` asks for, run together.

use super::combine::combine;
use super::gazetteer::{self, Gazetteer};
use super::memory::{self, ProjectMemory};
use super::rules::{self, RuleSet};
use super::Proposal;
use super::pending::reconcile;
use crate::model::{AnnotationFile, CharIndex, SpanEdit};

/// A project's proposers: its gazetteer lists, rules and the annotator's memory.
#[derive(Default)]
pub struct Proposers {
    /// Gazetteer lists, in the order the project names them.
    pub gazetteers: Vec<Gazetteer>,
    /// Trigger-word rule sets.
    pub rules: Vec<RuleSet>,
    /// What the annotator accepted and rejected so far (when the project uses memory).
    pub memory: Option<ProjectMemory>,
}

/// Whether a proposal source is one of the built-in proposers (recomputed on every refresh), as
/// opposed to an import.
pub fn is_builtin_source(source: &str) -> bool {
    matches!(source, gazetteer::SOURCE | memory::SOURCE | rules::SOURCE)
}

impl Proposers {
    /// No proposers at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// Every built-in proposal for `text`: memory first, then the lists, then rules; never
    /// overlapping, and never a (text, label) the annotator rejected.
    pub fn propose(&self, text: &str) -> Vec<Proposal> {
        let mut ranked = Vec::new();
        if let Some(memory) = &self.memory {
            ranked.push(memory.propose(text));
        }
        ranked.extend(self.gazetteers.iter().map(|g| g.propose(text)));
        ranked.extend(self.rules.iter().map(|r| r.propose(text)));
        let mut proposals = combine(ranked);
        if let Some(memory) = &self.memory {
            let index = CharIndex::new(text);
            proposals.retain(|p| !index.slice(p.range.clone()).is_some_and(|surface| memory.is_rejected(surface, &p.label)));
        }
        proposals
    }
}

impl Proposers {
    /// The edit that refreshes the built-in proposals of an annotation (see [`reconcile`]).
    pub fn refresh(&self, file: &mut AnnotationFile, text: &str) -> Option<SpanEdit> {
        let proposals = self.propose(text);
        let rejected = |surface: &str, label: &str| self.memory.as_ref().is_some_and(|m| m.is_rejected(surface, label));
        reconcile(file, text, &proposals, is_builtin_source, rejected)
    }
}
