//! Gold-standard datasets at the project level: exporting a project's annotations to the formats
//! training tools read, importing such files as a project, splitting and counting.
//!
//! This layer sits between the project on disk and the format readers and writers: it may use
//! `model`, `arabic`, `store`, `formats` and `review`, and nothing above them (no `app`, no `cli`). The
//! writers of `formats::export` see one [`LabelledDocument`](crate::model::LabelledDocument) at a
//! time; what goes into a dataset (which annotator, which articles, which labels under which
//! names, which part of a split) is decided here.
//!
//! - [`collect`]: the documents of one annotation source, lazily, with everything left out
//!   accounted for.
//! - [`split`]: train/dev/test by document, deterministic for a seed.
//! - [`export`]: writing a dataset (and previewing it without writing).
//! - [`import`]: making or extending a project from another tool's files, all checked before
//!   anything is written.
//! - [`stats`]: articles by status and entities per label, per annotator.
//! - [`annotation_sets`]: several annotators' files of the same articles, for agreement and
//!   adjudication.

#![warn(missing_docs)]

pub mod annotation_sets;
pub mod collect;
pub mod export;
pub mod import;
pub mod split;
mod staging;
pub mod stats;

use std::io;
use std::path::{Path, PathBuf};

pub use annotation_sets::{ArticleSets, CorpusSets, Skipped, has_disagreements, load_article_sets, load_corpus_sets};
pub use collect::{CollectOptions, Collected, LabelChoice, collect};
pub use export::{ExportOptions, ExportPreview, ExportSummary, export, preview};
pub use import::{ImportFormat, ImportOptions, ImportProblem, ImportReport, OnError, Scheme, import};
pub use split::{Part, SplitSpec, assign};
pub use stats::{ProjectStats, stats};

/// Why a dataset operation could not run at all (per-document problems are in its report).
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    /// The project could not be opened or listed.
    #[error(transparent)]
    Project(#[from] crate::store::ProjectError),
    /// An option is not usable (an unknown label, a bad annotator name); says which and why.
    #[error("{0}")]
    Option(String),
    /// The output is there already and `--force` was not given, or is in the way even so.
    #[error("{}: {what}; choose another --out{}", path.display(), if *forced { "" } else { " or add --force" })]
    Exists {
        /// The file or folder.
        path: PathBuf,
        /// What is in the way.
        what: &'static str,
        /// Whether `--force` was given (so advising it would be no help).
        forced: bool,
    },
    /// The output would write into the project the export reads (its corpus, annotations or
    /// `tawsim.ron`); refused whatever `--force` says.
    #[error("{}: {what}; an export never writes into the project it reads, --force or not; choose an --out outside it", path.display())]
    Protected {
        /// The file or folder.
        path: PathBuf,
        /// What it would harm.
        what: &'static str,
    },
    /// A format writer failed.
    #[error(transparent)]
    Export(#[from] crate::formats::export::ExportError),
    /// A source file could not be read as a whole; names its file and line.
    #[error(transparent)]
    Format(#[from] crate::formats::FormatError),
    /// An import stopped at its first problem (`--on-error stop`); nothing was written.
    #[error("{0}; nothing was written (--on-error skip leaves such spans and documents out)")]
    Import(ImportProblem),
    /// Writing the project failed.
    #[error("{}: cannot write: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The project config could not be written.
    #[error(transparent)]
    Config(#[from] crate::store::ConfigError),
    /// An annotation file could not be saved.
    #[error(transparent)]
    Save(#[from] crate::store::SaveError),
}

impl DatasetError {
    /// An I/O error on `path`.
    pub(crate) fn io(path: &Path, source: io::Error) -> Self {
        DatasetError::Io { path: path.to_owned(), source }
    }
}
