//! The proposers a project's `tawsim.ron` asks for, run together.

use super::combine::combine;
use super::gazetteer::{self, Gazetteer};
use super::memory::{self, ProjectMemory};
use super::Proposal;
use super::pending::reconcile;
use crate::model::{AnnotationFile, SpanEdit};

/// A project's proposers: its gazetteer lists, rules and the annotator's memory.
#[derive(Default)]
pub struct Proposers {
    /// Gazetteer lists, in the order the project names them.
    pub gazetteers: Vec<Gazetteer>,
    /// What the annotator accepted and rejected so far (when the project uses memory).
    pub memory: Option<ProjectMemory>,
}

/// Whether a proposal source is one of the built-in proposers (recomputed on every refresh), as
/// opposed to an import.
pub fn is_builtin_source(source: &str) -> bool {
    matches!(source, gazetteer::SOURCE | memory::SOURCE | "rules")
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
        let mut proposals = combine(ranked);
        if let Some(memory) = &self.memory {
            let rejected: Vec<bool> = surfaces(text, &proposals).iter().zip(&proposals).map(|(s, p)| memory.is_rejected(s, &p.label)).collect();
            let mut verdicts = rejected.into_iter();
            proposals.retain(|_| !verdicts.next().unwrap_or(false));
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

/// The text of each proposal (sorted by start), found in one pass over `text`.
fn surfaces<'t>(text: &'t str, proposals: &[Proposal]) -> Vec<&'t str> {
    let mut bounds: Vec<usize> = proposals.iter().flat_map(|p| [p.range.start, p.range.end]).collect();
    bounds.sort_unstable();
    bounds.dedup();
    let mut byte_of = std::collections::HashMap::with_capacity(bounds.len());
    let mut wanted = bounds.iter().peekable();
    for (char_index, (byte, _)) in text.char_indices().chain(std::iter::once((text.len(), ' '))).enumerate() {
        while wanted.next_if(|&&c| c == char_index).is_some() {
            byte_of.insert(char_index, byte);
        }
        if wanted.peek().is_none() {
            break;
        }
    }
    proposals
        .iter()
        .map(|p| match (byte_of.get(&p.range.start), byte_of.get(&p.range.end)) {
            (Some(&a), Some(&b)) if a <= b => &text[a..b],
            _ => "",
        })
        .collect()
}
