//! Applying a fix to the annotation files an index holds, all of its articles or none.

use std::collections::BTreeMap;

use super::finding::Fix;
use crate::model::{AnnotationFile, EditError};
use crate::search::{Annotation, CorpusIndex};

/// Why a fix could not be applied; nothing was changed.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FixError {
    /// The index has no such annotation file.
    #[error("{rel}: the index holds no annotation file of {annotator}")]
    NoFile {
        /// The article's path below the corpus folder.
        rel: String,
        /// Whose file.
        annotator: String,
    },
    /// An edit does not fit the file: the file changed since the fix was computed.
    #[error("{rel} ({annotator}): {error}; the file changed since the check, check again")]
    Edit {
        /// The article's path below the corpus folder.
        rel: String,
        /// Whose file.
        annotator: String,
        /// What did not fit.
        error: EditError,
    },
}

/// Applies `fix` to the annotation files in `index`, every article's edit or none, and returns
/// the `(rel, annotator)` of each file changed (for the caller to save). Each changed file's
/// `next_id` is moved past its spans, so the ids of added spans are never handed out again.
///
/// The index then holds files that are not on disk yet: save them before the next
/// [`CorpusIndex::refresh`], which reads files from disk.
pub fn apply_fix(index: &mut CorpusIndex, fix: &Fix) -> Result<Vec<(String, String)>, FixError> {
    let mut changed: BTreeMap<(String, String), (AnnotationFile, Annotation)> = BTreeMap::new();
    for edit in &fix.edits {
        let key = (edit.rel.clone(), edit.annotator.clone());
        if !changed.contains_key(&key) {
            let annotation = index
                .article(&edit.rel)
                .and_then(|a| a.annotation(&edit.annotator))
                .ok_or_else(|| FixError::NoFile { rel: edit.rel.clone(), annotator: edit.annotator.clone() })?;
            changed.insert(key.clone(), (annotation.file.clone(), annotation.clone()));
        }
        let Some((file, _)) = changed.get_mut(&key) else { continue };
        file.apply(&edit.edit).map_err(|error| FixError::Edit { rel: edit.rel.clone(), annotator: edit.annotator.clone(), error })?;
        file.next_id = file.next_free_id();
    }
    let mut done = Vec::with_capacity(changed.len());
    for ((rel, annotator), (file, old)) in changed {
        if let Some(article) = index.article_mut(&rel) {
            article.set_annotation(&annotator, Some(Annotation { problems: old.problems, ..Annotation::new(&annotator, file) }));
        }
        done.push((rel, annotator));
    }
    Ok(done)
}
