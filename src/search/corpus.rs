//! The index of a whole project and the search over it.

use rayon::prelude::*;

use std::ops::Range;

use super::hit::{Context, Hit};
use super::index::ArticleIndex;
use super::query::{Matcher, Query, SearchError};
use crate::model::SpanState;

/// Every article of a project, indexed for search and the consistency checks.
///
/// Plain owned data (`Send` and `Sync`), so the app can build or refresh it on a background
/// thread and search it from the UI thread.
#[derive(Clone, Debug, Default)]
pub struct CorpusIndex {
    /// Sorted by `rel`.
    pub(crate) articles: Vec<ArticleIndex>,
    /// Articles and annotation files that could not be read, with why.
    pub(crate) unreadable: Vec<Unreadable>,
    /// Which annotators' files the index holds (`None`: everyone's).
    pub(crate) scope: Option<Vec<String>>,
}

/// A file the index could not use, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    /// The article's path below the corpus folder.
    pub rel: String,
    /// Whose annotation file it is, or `None` for the article itself.
    pub annotator: Option<String>,
    /// What went wrong, naming the file.
    pub message: String,
    /// What the file was on disk, so an unchanged broken file is not read again.
    pub(crate) stamp: Option<super::disk::FileStamp>,
}

impl CorpusIndex {
    /// An index of articles already indexed (in any order), holding whatever annotations they have.
    pub fn new(mut articles: Vec<ArticleIndex>) -> CorpusIndex {
        articles.sort_by(|a, b| a.rel.cmp(&b.rel));
        CorpusIndex { articles, unreadable: Vec::new(), scope: None }
    }

    /// The articles, sorted by path.
    pub fn articles(&self) -> &[ArticleIndex] {
        &self.articles
    }

    /// The article at corpus-relative path `rel`.
    pub fn article(&self, rel: &str) -> Option<&ArticleIndex> {
        self.position(rel).map(|i| &self.articles[i])
    }

    /// The article at `rel`, to change its annotations in place (see
    /// [`ArticleIndex::set_annotation`]).
    pub fn article_mut(&mut self, rel: &str) -> Option<&mut ArticleIndex> {
        self.position(rel).map(|i| &mut self.articles[i])
    }

    fn position(&self, rel: &str) -> Option<usize> {
        self.articles.binary_search_by(|a| a.rel.as_ref().cmp(rel)).ok()
    }

    /// Articles and annotation files that could not be read.
    pub fn unreadable(&self) -> &[Unreadable] {
        &self.unreadable
    }

    /// Annotators with at least one annotation file in the index, sorted.
    pub fn annotators(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for article in &self.articles {
            for annotation in article.annotations() {
                if let Err(at) = names.binary_search(&annotation.annotator) {
                    names.insert(at, annotation.annotator.clone());
                }
            }
        }
        names
    }

    /// Bytes the index holds, roughly.
    pub fn heap_bytes(&self) -> usize {
        self.articles.iter().map(ArticleIndex::heap_bytes).sum()
    }

    /// `hit` with `words` words on each side ([`super::CONTEXT_WORDS`] is the usual number);
    /// `None` when its article is no longer in the index. Made on demand, since a search may
    /// find hundreds of thousands of hits and a list shows a screenful.
    pub fn context(&self, hit: &Hit, words: usize) -> Option<Context> {
        let article = self.article(&hit.rel)?;
        Some(article.context_around(hit.range.clone(), hit.words.clone(), words))
    }

    /// Every hit of `query`, by article path and position.
    pub fn search(&self, query: &Query) -> Result<Vec<Hit>, SearchError> {
        let matcher = query.matcher()?;
        if let Some(name) = &query.annotator {
            let known = self.annotators();
            if !known.contains(name) {
                return Err(SearchError::UnknownAnnotator { name: name.clone(), known: known.join(", ") });
            }
        }
        let per_article: Vec<Vec<Hit>> = self.articles.par_iter().map(|article| hits_in(article, query, &matcher)).collect();
        Ok(per_article.into_iter().flatten().collect())
    }
}

/// The hits of one article that pass the query's filters.
fn hits_in(article: &ArticleIndex, query: &Query, matcher: &Matcher) -> Vec<Hit> {
    let places: Vec<(Range<usize>, Range<usize>)> = match matcher {
        Matcher::Phrase(set) => article.find_phrases(set).into_iter().map(|m| (m.range, m.words)).collect(),
        Matcher::Regex(regex) => article.find_regex(regex),
    };
    places
        .into_iter()
        .filter_map(|(range, words)| {
            // The filters look at the spans where they are; labels are copied for kept hits only.
            let keep = match (&query.label, query.unlabelled) {
                (None, false) => true,
                (label, _) => {
                    let mut accepted = article
                        .annotations()
                        .iter()
                        .filter(|a| query.annotator.as_deref().is_none_or(|name| a.annotator == name))
                        .flat_map(|a| a.overlapping(range.clone()))
                        .filter(|s| s.state == SpanState::Accepted);
                    match label {
                        Some(label) => accepted.any(|s| &s.label == label),
                        None => accepted.next().is_none(),
                    }
                }
            };
            keep.then(|| Hit {
                rel: article.rel.clone(),
                document: article.document.clone(),
                labels: article.labels_at(range.clone(), query.annotator.as_deref()),
                range,
                words,
            })
        })
        .collect()
}
