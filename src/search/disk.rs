//! Building the index from a project folder, and keeping it current as files change.
//!
//! Each file's stamp (size, modification time and, on Unix, inode) is kept with what was read
//! from it; a refresh looks at every stamp, which costs one `stat` per file, and reads only the
//! files whose stamp changed. An article whose stamp changed but whose text did not (its SHA-256
//! is the same; the file was touched or rewritten as it was) keeps its words and stems. The
//! store saves files by renaming a new file over the old one, so every save changes the inode,
//! which catches a rewrite of the same size within the clock's resolution.

use std::path::Path;
use std::time::SystemTime;

use rayon::prelude::*;

use super::corpus::{CorpusIndex, Unreadable};
use super::index::{Annotation, ArticleIndex};
use crate::store::{Article, ArticleText, Project, ProjectError, read_annotation, read_article};

/// What a file was on disk when it was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FileStamp {
    len: u64,
    modified: Option<SystemTime>,
    inode: u64,
}

impl FileStamp {
    /// The stamp of the file at `path`, `None` when there is none (or it cannot be looked at, in
    /// which case reading it will say why).
    fn of(path: &Path) -> Option<FileStamp> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(FileStamp { len: meta.len(), modified: meta.modified().ok(), inode })
    }
}

/// What a refresh did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Refreshed {
    /// Articles whose text was (re)indexed: new ones and those whose text changed.
    pub articles_indexed: usize,
    /// Annotation files read (new, changed or removed files count).
    pub annotations_read: usize,
    /// Articles no longer in the project, dropped from the index.
    pub articles_removed: usize,
}

impl Refreshed {
    fn add(self, other: Refreshed) -> Refreshed {
        Refreshed {
            articles_indexed: self.articles_indexed + other.articles_indexed,
            annotations_read: self.annotations_read + other.annotations_read,
            articles_removed: self.articles_removed + other.articles_removed,
        }
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        *self == Refreshed::default()
    }
}

impl CorpusIndex {
    /// Reads and indexes every article of `project` with the annotation files of `annotators`
    /// (everyone's when `None`), on all cores.
    pub fn build(project: &Project, annotators: Option<&[String]>) -> Result<CorpusIndex, ProjectError> {
        let mut index = CorpusIndex { scope: annotators.map(<[String]>::to_vec), ..CorpusIndex::default() };
        index.refresh(project)?;
        Ok(index)
    }

    /// Brings the index up to date with the files of `project` (rescan the project first to see
    /// new articles), reading only what changed since the last build or refresh.
    pub fn refresh(&mut self, project: &Project) -> Result<Refreshed, ProjectError> {
        let annotators = match &self.scope {
            Some(names) => names.clone(),
            None => project.annotators()?,
        };
        let mut old: std::collections::HashMap<String, (Option<ArticleIndex>, Vec<Unreadable>)> = std::collections::HashMap::new();
        for article in std::mem::take(&mut self.articles) {
            let rel = article.rel.to_string();
            old.entry(rel).or_default().0 = Some(article);
        }
        for failure in std::mem::take(&mut self.unreadable) {
            old.entry(failure.rel.clone()).or_default().1.push(failure);
        }
        let work: Vec<(&Article, Option<ArticleIndex>, Vec<Unreadable>)> = project
            .articles
            .iter()
            .map(|article| {
                let (index, failures) = old.remove(&article.rel).unwrap_or_default();
                (article, index, failures)
            })
            .collect();
        let removed = old.values().filter(|(index, _)| index.is_some()).count();
        let done: Vec<(Option<ArticleIndex>, Vec<Unreadable>, Refreshed)> =
            work.into_par_iter().map(|(article, index, failures)| refresh_article(project, article, &annotators, index, failures)).collect();
        let mut summary = Refreshed { articles_removed: removed, ..Refreshed::default() };
        for (index, failures, counts) in done {
            self.articles.extend(index);
            self.unreadable.extend(failures);
            summary = summary.add(counts);
        }
        Ok(summary)
    }
}

/// One article brought up to date: its index (none if the article cannot be read), what could
/// not be read, and what was done.
fn refresh_article(
    project: &Project,
    article: &Article,
    annotators: &[String],
    old: Option<ArticleIndex>,
    old_failures: Vec<Unreadable>,
) -> (Option<ArticleIndex>, Vec<Unreadable>, Refreshed) {
    let mut counts = Refreshed::default();
    let stamp = FileStamp::of(&article.path);
    let failure =
        |annotator: Option<&str>, message: String, stamp| Unreadable { rel: article.rel.clone(), annotator: annotator.map(str::to_owned), message, stamp };
    // An article that could not be read and has not changed since.
    if let Some(unchanged) = old_failures.iter().find(|f| f.annotator.is_none() && stamp.is_some() && f.stamp == stamp) {
        return (None, vec![unchanged.clone()], counts);
    }
    let kept = match old {
        Some(index) if stamp.is_some() && index.stamp == stamp => Some(index),
        Some(mut index) => match read_article(&article.path) {
            Ok(text) if text.sha256 == index.sha256 => {
                index.stamp = stamp;
                Some(index)
            }
            Ok(text) => return fresh_article(project, article, annotators, text, stamp),
            Err(error) => return (None, vec![failure(None, error.to_string(), stamp)], counts),
        },
        None => None,
    };
    let Some(mut index) = kept else {
        return match read_article(&article.path) {
            Ok(text) => fresh_article(project, article, annotators, text, stamp),
            Err(error) => (None, vec![failure(None, error.to_string(), stamp)], counts),
        };
    };
    // The text is as indexed: only annotation files whose stamp changed are read.
    let mut failures = Vec::new();
    let mut text: Option<ArticleText> = None;
    for annotator in annotators {
        let path = match project.annotation_path(annotator, &article.rel) {
            Ok(path) => path,
            Err(error) => {
                failures.push(failure(Some(annotator), error.to_string(), None));
                continue;
            }
        };
        let stamp = FileStamp::of(&path);
        let current = index.annotation(annotator).map(|a| a.stamp);
        if stamp.is_some() && current == Some(stamp) {
            continue;
        }
        if let Some(unchanged) = old_failures.iter().find(|f| f.annotator.as_deref() == Some(annotator) && stamp.is_some() && f.stamp == stamp) {
            failures.push(unchanged.clone());
            continue;
        }
        if stamp.is_none() && current.is_none() {
            continue;
        }
        counts.annotations_read += 1;
        let text = text.get_or_insert_with(|| ArticleText { text: index.text().to_owned(), had_bom: false, sha256: index.sha256.clone() });
        match read_checked(project, article, annotator, &path, text) {
            Ok(annotation) => index.set_annotation(annotator, annotation.map(|a| Annotation { stamp, ..a })),
            Err(message) => {
                index.set_annotation(annotator, None);
                failures.push(failure(Some(annotator), message, stamp));
            }
        }
    }
    // Annotators no longer in scope (their folder is gone).
    let gone: Vec<String> = index.annotations().iter().map(|a| a.annotator.clone()).filter(|name| !annotators.contains(name)).collect();
    for name in gone {
        index.set_annotation(&name, None);
        counts.annotations_read += 1;
    }
    (Some(index), failures, counts)
}

/// A newly read article indexed with all its annotation files.
fn fresh_article(
    project: &Project,
    article: &Article,
    annotators: &[String],
    text: ArticleText,
    stamp: Option<FileStamp>,
) -> (Option<ArticleIndex>, Vec<Unreadable>, Refreshed) {
    let mut counts = Refreshed { articles_indexed: 1, ..Refreshed::default() };
    let mut annotations = Vec::new();
    let mut failures = Vec::new();
    let failure = |annotator: &str, message: String, stamp| Unreadable { rel: article.rel.clone(), annotator: Some(annotator.to_owned()), message, stamp };
    for annotator in annotators {
        let path = match project.annotation_path(annotator, &article.rel) {
            Ok(path) => path,
            Err(error) => {
                failures.push(failure(annotator, error.to_string(), None));
                continue;
            }
        };
        let file_stamp = FileStamp::of(&path);
        if file_stamp.is_none() {
            continue;
        }
        counts.annotations_read += 1;
        match read_checked(project, article, annotator, &path, &text) {
            Ok(Some(annotation)) => annotations.push(Annotation { stamp: file_stamp, ..annotation }),
            Ok(None) => {}
            Err(message) => failures.push(failure(annotator, message, file_stamp)),
        }
    }
    match ArticleIndex::with_hash(&article.rel, &article.document, text.text, text.sha256, annotations) {
        Ok(mut index) => {
            index.stamp = stamp;
            (Some(index), failures, counts)
        }
        Err(error) => {
            failures.push(Unreadable { rel: article.rel.clone(), annotator: None, message: error.to_string(), stamp });
            (None, failures, counts)
        }
    }
}

/// `annotator`'s annotation file of `article` read and checked by the store (repairs made,
/// problems kept); `None` when there is no file, the error message when it does not load.
fn read_checked(project: &Project, article: &Article, annotator: &str, path: &Path, text: &ArticleText) -> Result<Option<Annotation>, String> {
    let Some(mut file) = read_annotation(path).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    let problems = project.check_loaded(&mut file, article, annotator, path, text);
    Ok(Some(Annotation { problems, ..Annotation::new(annotator, file) }))
}
