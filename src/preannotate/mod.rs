//! Pre-annotation of a project: the proposers its `tawsim.ron` names, loaded from their files,
//! proposals over every article, and other systems' predictions matched to its articles.
//!
//! This is where `propose` meets the project folder (`store`) and other tools' files (`formats`);
//! the app and the command line both use it.

pub mod batch;
pub mod imported;
pub mod learned;

use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::propose::{Gazetteer, ProjectMemory, Proposers, RuleSet, load_gazetteer};
use crate::store::{Project, read_annotation};

/// The proposers of a project, with the files they were loaded from.
#[derive(Default)]
pub struct ProjectProposers {
    proposers: Proposers,
    /// List files with their modification times when loaded.
    files: Vec<(PathBuf, Option<SystemTime>)>,
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

impl ProjectProposers {
    /// Loads the lists named in the project's config, the project's learned model when it has one
    /// (`models/`), and, when memory is on, reads `annotator`'s decisions from every annotation
    /// file. A list or model that cannot be read is left out and reported; the others still
    /// propose. A model that has not passed its gate is loaded (its report is there to show) and
    /// reported as not proposing.
    pub fn load(project: &Project, annotator: &str) -> (ProjectProposers, Vec<String>) {
        let config = &project.config.proposers;
        let mut files = Vec::new();
        let mut gazetteers: Vec<Gazetteer> = Vec::new();
        let mut problems = Vec::new();
        for rel in &config.gazetteers {
            let path = project.root.join(rel);
            files.push((path.clone(), modified(&path)));
            match load_gazetteer(&path) {
                Ok(list) => gazetteers.push(list),
                Err(error) => problems.push(format!("gazetteer not used: {error}")),
            }
        }
        let mut rules = Vec::new();
        if config.builtin_rules {
            rules.push(RuleSet::arabic_news());
        }
        for rel in &config.rules {
            let path = project.root.join(rel);
            files.push((path.clone(), modified(&path)));
            match RuleSet::load(&path) {
                Ok(set) => rules.push(set),
                Err(error) => problems.push(format!("rules not used: {error}")),
            }
        }
        let memory = config.memory.then(|| {
            let mut memory = ProjectMemory::new();
            for article in &project.articles {
                if let Ok(path) = project.annotation_path(annotator, &article.rel)
                    && let Ok(Some(file)) = read_annotation(&path)
                {
                    memory.add_file(&file);
                }
            }
            memory
        });
        let mut proposers = Proposers::new(gazetteers, rules, memory);
        match learned::load_project_model(project) {
            Some(Ok(model)) => {
                if !model.passes_gate() {
                    problems.push(format!("learned model not proposing: {}", model.report().gate.reason));
                }
                proposers.set_model(Some(std::sync::Arc::new(model)));
            }
            Some(Err(error)) => problems.push(format!("learned model not used: {error}")),
            None => {}
        }
        (ProjectProposers { proposers, files }, problems)
    }

    /// Whether a list file changed on disk since it was loaded.
    pub fn lists_changed(&self) -> bool {
        self.files.iter().any(|(path, when)| modified(path) != *when)
    }
}

impl Deref for ProjectProposers {
    type Target = Proposers;

    fn deref(&self) -> &Proposers {
        &self.proposers
    }
}

impl DerefMut for ProjectProposers {
    fn deref_mut(&mut self) -> &mut Proposers {
        &mut self.proposers
    }
}
