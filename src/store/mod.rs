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
//! is the user's to fix or [`quarantine`], never ours to overwrite. Temporary files of writes that
//! were killed (`.x.txt.ron.4242.tmp`) are removed when the project is next opened.
//!
//! **No lost update.** A writer records the [`Fingerprint`] (size, time, content hash) of what it
//! read or wrote, and saves with [`save_annotation_merging`]: when the disk no longer holds that,
//! its own edits (invertible [`SpanEdit`](crate::model::SpanEdit)s) are re-applied on top of the
//! newer file, keeping both sides where they disagree and reporting it ([`merge`] has the rules).
//! An advisory [`AnnotatorLock`] (`annotations/<name>/.lock`) keeps two tawsim programs from
//! writing one annotator's files at once.
//!
//! **Strict files.** What a reader does not understand is refused with its `path:line:column`,
//! never dropped on the next write: unknown fields in annotation files, `tawsim.ron` and RON
//! datasets; a file without `format`, `document`, `annotator` and `spans` (an empty `()`); a score
//! that is not a finite number; a span id or `next_id` above
//! [`MAX_SPAN_ID`](crate::model::MAX_SPAN_ID).
//!
//! **Symbolic links** ([`links`]): read only when they stay inside the project (or its corpus
//! folder); never written through, never replaced.

#![warn(missing_docs)]

mod annotation_io;
mod article;
mod atomic;
mod check;
mod config;
mod document;
mod fingerprint;
mod host;
mod leftovers;
pub mod links;
mod lock;
pub mod merge;
mod names;
mod problem;
mod project;
mod reanchor;
mod save;
mod validate;

pub use crate::ron_text::ParseError;
pub use annotation_io::{AnnotationError, load_annotation, parse_annotation, quarantine, read_annotation};
pub use article::{ArticleError, ArticleText, read_article, sha256_hex};
pub use atomic::{WriteOutcome, temp_path_for, write_atomic};
pub use check::check_annotation;
pub use config::{
    CONFIG_FILE_NAME, ConfigError, ExportDefaults, ExportSentences, ExportTokenize, ModelConfig, ProjectConfig, ProjectOptions, ProposerConfig, TrainFrom,
};
pub use document::{OpenDocument, OpenError};
pub use fingerprint::Fingerprint;
pub use host::{host_name, process_alive};
pub use leftovers::remove_leftover_temp_files;
pub use links::LinkError;
pub use lock::{AnnotatorLock, BreakLock, LOCK_FILE_NAME, LockError, LockHolder, LockState, STALE_AFTER};
pub use merge::{ConflictKind, MergeConflict};
pub use names::{GOLD, NameError, annotation_rel_path, document_for_annotation, login_name, validate_annotator};
pub use problem::{Problem, ProblemKind};
pub use project::{Article, Project, ProjectError};
pub use reanchor::{AnchorOutcome, reanchor_spans};
pub use save::{MergedSave, SaveError, save_annotation, save_annotation_merging};
pub use validate::{Report, validate_project};
