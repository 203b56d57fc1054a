//! The project's search index as the corpus windows (search, consistency) share it: built on a
//! thread of its own the first time a window asks, then kept current.
//!
//! A refresh looks at every file's stamp and reads only what changed (a few milliseconds for a
//! thousand articles, 37 for ten thousand), so it runs here, on the UI thread, when the project's
//! watcher saw a file change or the app changed files itself; searches then always have an index
//! to run on. Consistency checks take longer (a second for ten thousand articles) and run on a
//! thread with a shared handle on the index; no refresh happens while one runs.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::job::Job;
use super::watch::ProjectWatcher;
use crate::consistency::{CheckOptions, Report, check};
use crate::search::CorpusIndex;
use crate::store::Project;

/// Where the index is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IndexStatus {
    /// Being built for the first time.
    Building {
        /// Articles in the project.
        articles: usize,
    },
    /// Ready to search.
    Ready,
    /// The build failed; why.
    Failed(String),
}

/// The index of the open project, its background work and what changed since its last refresh.
pub struct CorpusIndexState {
    root: PathBuf,
    articles: usize,
    index: Option<Arc<CorpusIndex>>,
    building: Option<Job<Result<CorpusIndex, String>>>,
    checking: Option<Job<Report>>,
    /// Files changed since the last refresh.
    stale: bool,
    watcher: Option<ProjectWatcher>,
    generation: u64,
    failed: Option<String>,
}

impl CorpusIndexState {
    /// The state for `project`, nothing built yet; files changed from now on are noticed.
    pub fn new(project: &Project) -> Self {
        let watcher = ProjectWatcher::new(&[project.annotations_dir(), project.corpus_dir()]).ok();
        CorpusIndexState {
            root: project.root.clone(),
            articles: project.articles.len(),
            index: None,
            building: None,
            checking: None,
            stale: false,
            watcher,
            generation: 0,
            failed: None,
        }
    }

    /// The project folder it indexes.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The index, once built.
    pub fn index(&self) -> Option<&CorpusIndex> {
        self.index.as_deref()
    }

    /// Bumped whenever the index changes (built, or files read again), so what was computed from
    /// it knows to be computed again.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Where the index is.
    pub fn status(&self) -> IndexStatus {
        match (&self.index, &self.failed) {
            (Some(_), _) => IndexStatus::Ready,
            (None, Some(why)) => IndexStatus::Failed(why.clone()),
            (None, None) => IndexStatus::Building { articles: self.articles },
        }
    }

    /// Whether a consistency check is running.
    pub fn is_checking(&self) -> bool {
        self.checking.is_some()
    }

    /// Files were changed (by this app): refresh before the index is used next.
    pub fn mark_stale(&mut self) {
        self.stale = true;
    }

    /// Starts the build if there is no index yet, takes in what background work finished and,
    /// when files changed, refreshes the index. Returns the outcome of a consistency check that
    /// finished (why there is no report, when its thread died).
    pub fn poll(&mut self, project: &Project, ctx: &egui::Context) -> Option<Result<Report, String>> {
        if self.index.is_none() && self.building.is_none() && self.failed.is_none() {
            let owned = project.clone();
            self.building = Some(Job::start("tawsim-search-index", ctx, move || CorpusIndex::build(&owned, None).map_err(|e| e.to_string())));
        }
        if let Some(job) = &self.building
            && let Some(outcome) = job.poll()
        {
            self.building = None;
            match outcome.and_then(|built| built) {
                Ok(index) => {
                    self.index = Some(Arc::new(index));
                    self.generation += 1;
                }
                Err(why) => self.failed = Some(format!("the search index could not be built: {why}")),
            }
        }
        let mut report = None;
        if let Some(job) = &self.checking
            && let Some(outcome) = job.poll()
        {
            self.checking = None;
            report = Some(outcome.map_err(|why| format!("the check stopped: {why}")));
        }
        if let Some(watcher) = &self.watcher
            && !watcher.changed().is_empty()
        {
            self.stale = true;
        }
        if self.stale {
            self.refresh(project);
        }
        report
    }

    /// Reads again what changed on disk, now, unless a check holds the index (then after it).
    pub fn refresh(&mut self, project: &Project) {
        if self.checking.is_some() {
            return;
        }
        let Some(shared) = &mut self.index else { return };
        self.stale = false;
        // Nothing else holds the index while no check runs; if something did, it is copied.
        match Arc::make_mut(shared).refresh(project) {
            Ok(refreshed) if refreshed.is_empty() => {}
            Ok(_) => self.generation += 1,
            Err(why) => self.failed = Some(format!("the search index could not be refreshed: {why}")),
        }
    }

    /// Checks `source`'s files on a thread of its own; the report comes out of [`Self::poll`].
    /// Does nothing until the index is built, or while a check runs.
    pub fn start_check(&mut self, source: &str, ctx: &egui::Context) -> bool {
        let Some(index) = &self.index else { return false };
        if self.checking.is_some() {
            return false;
        }
        let (index, options) = (Arc::clone(index), CheckOptions::new(source));
        self.checking = Some(Job::start("tawsim-consistency", ctx, move || check(&index, &options)));
        true
    }

    /// The index with the annotations of a fix applied in memory, after checking it fits the
    /// files as they are now (the index is refreshed first): the fix's article paths, or why it
    /// no longer fits (the check is then out of date).
    pub fn apply_fix(&mut self, project: &Project, fix: &crate::consistency::Fix) -> Result<Vec<(String, String)>, String> {
        if self.checking.is_some() {
            return Err("a check is running; try again when it is done".to_owned());
        }
        self.stale = true;
        self.refresh(project);
        let Some(shared) = &mut self.index else { return Err("the search index is not built yet".to_owned()) };
        let applied = crate::consistency::apply_fix(Arc::make_mut(shared), fix).map_err(|e| e.to_string());
        // The files in the index are now what is about to be written; the next refresh reads
        // them from disk again.
        self.generation += 1;
        self.stale = true;
        applied
    }
}
