//! Several annotators' annotations of the same articles, read one way for everything that compares
//! them: agreement (`tawsim agree`, the app's agreement view) and adjudication (review mode,
//! `tawsim adjudicate`).
//!
//! Agreement reads every file as it is on disk ([`load_corpus_sets`]); adjudication reads one
//! article's files checked and re-anchored as the editor would ([`load_article_sets`]). Neither
//! writes anything.

use crate::model::{AnnotationFile, Span};
use crate::review::{ArticleAnnotations, SpanFilter};
use crate::store::{Project, read_annotation, read_article};

/// An article left out because one of its files could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The article (corpus-relative path).
    pub article: String,
    /// Which file and what went wrong, with its place.
    pub reason: String,
}

/// Every article with the annotators' spans that count, and what could not be read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CorpusSets {
    /// The articles to compare, in corpus order.
    pub docs: Vec<ArticleAnnotations>,
    /// Articles left out of every comparison because a file could not be used.
    pub skipped: Vec<Skipped>,
    /// Annotation files made on another version of their article's text (their offsets may be off).
    pub stale: usize,
}

/// Reads every annotator's file of every article (`filters[i]` picks annotator i's spans that
/// count), and the article text where two or more of them have a file (κ tokenizes it). An
/// article whose file or text cannot be read is skipped, with why.
pub fn load_corpus_sets(project: &Project, annotators: &[String], filters: &[SpanFilter]) -> CorpusSets {
    let mut loaded = CorpusSets::default();
    'articles: for article in &project.articles {
        let mut files: Vec<Option<AnnotationFile>> = Vec::with_capacity(annotators.len());
        for annotator in annotators {
            let read =
                project.annotation_path(annotator, &article.rel).map_err(|e| e.to_string()).and_then(|path| read_annotation(&path).map_err(|e| e.to_string()));
            match read {
                Ok(file) => files.push(file),
                Err(error) => {
                    let reason = format!("{annotator}'s annotation file does not load: {error}");
                    loaded.skipped.push(Skipped { article: article.rel.clone(), reason });
                    continue 'articles;
                }
            }
        }
        let mut text = String::new();
        if files.iter().flatten().count() >= 2 {
            match read_article(&article.path) {
                Ok(article_text) => {
                    let stale = |f: &&AnnotationFile| !f.text_sha256.is_empty() && f.text_sha256 != article_text.sha256;
                    loaded.stale += files.iter().flatten().filter(stale).count();
                    text = article_text.text;
                }
                Err(error) => {
                    loaded.skipped.push(Skipped { article: article.rel.clone(), reason: format!("the article cannot be read: {error}") });
                    continue;
                }
            }
        }
        let spans = files.iter().zip(filters).map(|(file, filter)| file.as_ref().map(|f| filter.select(f))).collect();
        loaded.docs.push(ArticleAnnotations { article: article.rel.clone(), text, spans });
    }
    loaded
}

/// The picked annotators' accepted spans of one article, as adjudication sees them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ArticleSets {
    /// Per picked annotator: the accepted spans, or `None` without a (usable) file.
    pub sets: Vec<Option<Vec<Span>>>,
    /// Picked annotators whose file exists but does not load (not the same as work not done).
    pub broken: Vec<usize>,
    /// What could not be read, naming the file and place.
    pub problems: Vec<String>,
}

impl ArticleSets {
    /// How many picked annotators have a usable file.
    pub fn present(&self) -> usize {
        self.sets.iter().flatten().count()
    }
}

/// Reads the picked annotators' files of article `rel`, checked and re-anchored as the editor
/// would (never saved), and keeps their accepted spans.
pub fn load_article_sets(project: &Project, rel: &str, annotators: &[String]) -> ArticleSets {
    let mut loaded = ArticleSets::default();
    for (i, annotator) in annotators.iter().enumerate() {
        match project.open_document(rel, annotator) {
            Ok(doc) => loaded.sets.push(doc.existed.then(|| SpanFilter::default().select(&doc.annotation))),
            Err(error) => {
                loaded.problems.push(format!("{annotator}: {error}"));
                loaded.broken.push(i);
                loaded.sets.push(None);
            }
        }
    }
    loaded
}

/// Whether article `rel` has something to adjudicate: two or more of `annotators` have a file for
/// it and they do not agree on everything. Reads the files without checking them against the
/// text, which is enough to tell and much cheaper.
pub fn has_disagreements(project: &Project, rel: &str, annotators: &[String]) -> bool {
    let sets: Vec<Option<Vec<Span>>> = annotators
        .iter()
        .map(|a| {
            let path = project.annotation_path(a, rel).ok()?;
            read_annotation(&path).ok().flatten().map(|f| SpanFilter::default().select(&f))
        })
        .collect();
    sets.iter().flatten().count() >= 2 && crate::review::ArticleReview::from_sets(&sets).has_disagreements()
}
