//! Opening one article with one annotator's annotation of it, and saving that annotation.

use std::path::PathBuf;

use super::annotation_io::{AnnotationError, load_annotation};
use super::article::{ArticleError, ArticleText, read_article};
use super::atomic::WriteOutcome;
use super::check::check_annotation;
use super::fingerprint::Fingerprint;
use super::links::LinkError;
use super::names::NameError;
use super::problem::{Problem, ProblemKind};
use super::project::{Article, Project};
use super::save::{MergedSave, SaveError, save_annotation, save_annotation_merging};
use crate::model::{AnnotationFile, SpanEdit};

/// An article ready to annotate.
#[derive(Clone, Debug)]
pub struct OpenDocument {
    /// The article's text.
    pub article: ArticleText,
    /// The annotation, checked and repaired where that was safe; new and empty if there was none.
    pub annotation: AnnotationFile,
    /// What the check found, fixed problems included.
    pub problems: Vec<Problem>,
    /// Where the annotation is saved.
    pub path: PathBuf,
    /// Whether the annotation file existed.
    pub existed: bool,
    /// What the annotation file held when it was read (`None` when there was none): the base to
    /// give [`Project::save_document_merging`] with the edits made since.
    pub fingerprint: Option<Fingerprint>,
}

/// Why a document could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// No such article in the corpus.
    #[error("no article {0:?} in the corpus")]
    NoSuchArticle(String),
    /// The annotator name or document path is not usable.
    #[error(transparent)]
    Name(#[from] NameError),
    /// The article cannot be read as text.
    #[error(transparent)]
    Article(#[from] ArticleError),
    /// The annotation file exists but does not load; it is left untouched.
    #[error(transparent)]
    Annotation(#[from] AnnotationError),
    /// The annotation file is a symbolic link out of the project.
    #[error(transparent)]
    Link(#[from] LinkError),
}

impl Project {
    /// Reads article `rel` (corpus-relative) and `annotator`'s annotation of it, checks it, and
    /// re-anchors its spans if the article changed.
    pub fn open_document(&self, rel: &str, annotator: &str) -> Result<OpenDocument, OpenError> {
        let article_ref = self.article(rel).ok_or_else(|| OpenError::NoSuchArticle(rel.to_owned()))?;
        let path = self.annotation_path(annotator, rel)?;
        self.check_readable(&path)?;
        let article = read_article(&article_ref.path)?;
        let (annotation, problems, fingerprint) = match load_annotation(&path)? {
            Some((mut annotation, print)) => {
                let problems = self.check_loaded(&mut annotation, article_ref, annotator, &path, &article);
                (annotation, problems, Some(print))
            }
            None => (AnnotationFile::new(&article_ref.document, &article.sha256, annotator), Vec::new(), None),
        };
        Ok(OpenDocument { article, annotation, problems, path, existed: fingerprint.is_some(), fingerprint })
    }

    /// Saves `annotation` as `annotator`'s annotation of article `rel`, replacing whatever loads
    /// there (see [`save_annotation`]; writers that know their edits use
    /// [`Self::save_document_merging`]).
    pub fn save_document(&self, rel: &str, annotator: &str, annotation: &AnnotationFile) -> Result<WriteOutcome, SaveError> {
        let path = self.annotation_path(annotator, rel)?;
        self.check_writable(&path)?;
        save_annotation(&path, annotation)
    }

    /// Saves `current` as `annotator`'s annotation of article `rel` without losing another
    /// writer's update: `base` and `own_edits` as [`save_annotation_merging`] takes them (the
    /// fingerprint of the document as opened or last saved, and the edits made since). The path
    /// is checked against the link policy first.
    pub fn save_document_merging(
        &self,
        rel: &str,
        annotator: &str,
        base: Option<&Fingerprint>,
        own_edits: &[SpanEdit],
        current: &AnnotationFile,
    ) -> Result<MergedSave, SaveError> {
        let path = self.annotation_path(annotator, rel)?;
        self.check_writable(&path)?;
        save_annotation_merging(&path, base, own_edits, current)
    }

    /// Checks a loaded annotation: identity fields against its path, spans against the article.
    pub(crate) fn check_loaded(
        &self,
        annotation: &mut AnnotationFile,
        article: &Article,
        annotator: &str,
        path: &std::path::Path,
        text: &ArticleText,
    ) -> Vec<Problem> {
        let shown = self.display_path(path);
        let mut problems = Vec::new();
        // The path is what identifies the file; fields that disagree were copied or renamed.
        for (field, value, expected) in [("document", &mut annotation.document, article.document.as_str()), ("annotator", &mut annotation.annotator, annotator)]
        {
            if value != expected {
                problems.push(Problem::file(
                    &shown,
                    ProblemKind::WrongIdentity,
                    format!("{field} was {value:?}, set to {expected:?} to match the file's path"),
                ));
                *value = expected.to_owned();
            }
        }
        let window = self.config.options.reanchor_window;
        problems.extend(check_annotation(annotation, &shown, text, &self.config.schema, window));
        problems
    }
}
