//! The proposers a project's `tawsim.ron` asks for, run together.

use std::path::PathBuf;
use std::time::SystemTime;

use super::combine::combine;
use super::gazetteer::{self, Gazetteer};
use super::lists::load_gazetteer;
use super::memory::{self, ProjectMemory};
use super::Proposal;
use super::pending::reconcile;
use crate::model::{AnnotationFile, SpanEdit};
use crate::store::{Project, read_annotation};

/// The project's proposers: its gazetteer lists, rules and the annotator's memory.
pub struct Proposers {
    gazetteers: Vec<Gazetteer>,
    /// What the annotator accepted and rejected so far (when the project uses memory).
    pub memory: Option<ProjectMemory>,
    /// Files the proposers were read from, with their modification times.
    sources: Vec<(PathBuf, Option<SystemTime>)>,
}

/// Whether a proposal source is one of the built-in proposers (recomputed on every refresh), as
/// opposed to an import.
pub fn is_builtin_source(source: &str) -> bool {
    matches!(source, gazetteer::SOURCE | memory::SOURCE | "rules")
}

fn modified(path: &PathBuf) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

impl Proposers {
    /// No proposers at all.
    pub fn none() -> Self {
        Proposers { gazetteers: Vec::new(), memory: None, sources: Vec::new() }
    }

    /// Loads the lists named in the project's config and, when memory is on, reads the
    /// annotator's decisions from every annotation file. A list that cannot be read is left out
    /// and reported; the others still propose.
    pub fn for_project(project: &Project, annotator: &str) -> (Proposers, Vec<String>) {
        let config = &project.config.proposers;
        let mut proposers = Proposers::none();
        let mut problems = Vec::new();
        for rel in &config.gazetteers {
            let path = project.root.join(rel);
            proposers.sources.push((path.clone(), modified(&path)));
            match load_gazetteer(&path) {
                Ok(list) => proposers.gazetteers.push(list),
                Err(error) => problems.push(format!("gazetteer not used: {error}")),
            }
        }
        if config.memory {
            let mut memory = ProjectMemory::new();
            for article in &project.articles {
                if let Ok(path) = project.annotation_path(annotator, &article.rel)
                    && let Ok(Some(file)) = read_annotation(&path)
                {
                    memory.add_file(&file);
                }
            }
            proposers.memory = Some(memory);
        }
        (proposers, problems)
    }

    /// Whether a list file changed on disk since it was loaded.
    pub fn lists_changed(&self) -> bool {
        self.sources.iter().any(|(path, when)| modified(path) != *when)
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
