//! Project folders and annotation files on disk.
//!
//! Layout (DESIGN.md §3): `tawsim.ron` at the project root, articles `**/*.txt` under the corpus
//! folder, and one annotation file per document per annotator at
//! `annotations/<annotator>/<document path relative to the corpus>.ron`. The `.txt` is kept in
//! that name (`annotations/amal/news/aleppo.txt.ron`) so the mapping back to the article is
//! unambiguous even when two articles differ only in extension.
//!
//! Every write is atomic (temporary file, fsync, rename, fsync of the folder), skipped when the
//! bytes on disk are already right, and refused when the file on disk does not load: a broken file
//! is the user's to fix or [`quarantine`], never ours to overwrite.

#![warn(missing_docs)]

mod annotation_io;
mod article;
mod atomic;
mod check;
mod config;
mod document;
mod names;
mod problem;
mod project;
mod reanchor;
mod validate;

pub use crate::ron_text::ParseError;
pub use annotation_io::{AnnotationError, SaveError, quarantine, read_annotation, save_annotation};
pub use article::{ArticleError, ArticleText, read_article, sha256_hex};
pub use atomic::{WriteOutcome, temp_path_for, write_atomic};
pub use check::check_annotation;
pub use config::{
    CONFIG_FILE_NAME, ConfigError, ExportDefaults, ExportSentences, ExportTokenize, ModelConfig, ProjectConfig, ProjectOptions, ProposerConfig, TrainFrom,
};
pub use document::{OpenDocument, OpenError};
pub use names::{GOLD, NameError, annotation_rel_path, document_for_annotation, validate_annotator};
pub use problem::{Problem, ProblemKind};
pub use project::{Article, Project, ProjectError};
pub use reanchor::{AnchorOutcome, reanchor_spans};
pub use validate::{Report, validate_project};
