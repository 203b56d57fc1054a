//! The learned proposer of a project: its training material read from the annotation files, a
//! training run, and the model file in the project's `models/` folder.
//!
//! Everything here is callable from a background thread: [`retrain`] takes the project and the
//! lists by reference to data that is `Send` (clone them to move them), reads the files, trains,
//! and writes the model atomically; [`TrainingMaterial`] and [`SequenceModel`] are `Send`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::formats::conll::parse_conll;
use crate::model::{CharIndex, DocStatus, SpanState};
use crate::propose::model::file::{MODEL_FILE_NAME, ModelFileError, encode, load_model};
use crate::propose::model::{SequenceModel, TrainOptions, TrainingDocument, train};
use crate::propose::{Proposers, rules};
use crate::store::{GOLD, Project, TrainFrom, write_atomic};

/// Folder of a project's models, relative to its root.
pub const MODELS_DIR: &str = "models";

/// Where a project's model is saved.
pub fn model_path(project: &Project) -> PathBuf {
    project.root.join(MODELS_DIR).join(MODEL_FILE_NAME)
}

/// Whose annotations a run trains on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrainingSource {
    /// The gold files.
    Gold,
    /// One annotator's files.
    Annotator(String),
    /// Gold where an article has it, otherwise the annotator's file.
    Both(String),
}

impl TrainingSource {
    /// The source the project's config asks for, for `annotator`.
    pub fn from_config(from: TrainFrom, annotator: &str) -> Self {
        match from {
            TrainFrom::Gold => TrainingSource::Gold,
            TrainFrom::Annotator => TrainingSource::Annotator(annotator.to_owned()),
            TrainFrom::Both => TrainingSource::Both(annotator.to_owned()),
        }
    }

    /// The annotation folders to look in, in order of preference.
    fn annotators(&self) -> Vec<&str> {
        match self {
            TrainingSource::Gold => vec![GOLD],
            TrainingSource::Annotator(name) => vec![name],
            TrainingSource::Both(name) => vec![GOLD, name],
        }
    }

    /// How the report names it.
    pub fn describe(&self) -> String {
        match self {
            TrainingSource::Gold => GOLD.to_owned(),
            TrainingSource::Annotator(name) => name.clone(),
            TrainingSource::Both(name) => format!("{GOLD} + {name}"),
        }
    }
}

/// The documents a run learns from, and what could not be used.
#[derive(Clone, Debug, Default)]
pub struct TrainingMaterial {
    /// Annotated texts with the lists' and rules' proposals over them.
    pub documents: Vec<TrainingDocument>,
    /// What the material is (`gold`, `amal + data/x.conll`).
    pub source: String,
    /// Files left out, each with why.
    pub problems: Vec<String>,
}

/// Why a project's model could not be trained or saved.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// The extra CoNLL file could not be read.
    #[error("{}: {message}", path.display())]
    Extra {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The model file could not be written.
    #[error(transparent)]
    Save(#[from] ModelFileError),
}

/// Reads the training material: every article annotated by `source` (articles marked done or
/// reviewed count whole, others only in the sentences that hold a decision), and the sentences
/// of `extra`, a CoNLL file, each as a document. `lists` makes the gazetteer and rule features.
pub fn collect_training(project: &Project, source: &TrainingSource, extra: Option<&Path>, lists: &Proposers) -> Result<TrainingMaterial, TrainError> {
    let mut material = TrainingMaterial { source: source.describe(), ..TrainingMaterial::default() };
    for article in &project.articles {
        let Some(annotator) = source.annotators().into_iter().find(|a| project.has_annotation(a, &article.rel)) else { continue };
        let doc = match project.open_document(&article.rel, annotator) {
            Ok(doc) => doc,
            Err(error) => {
                material.problems.push(format!("{}: not used for training: {error}", article.document));
                continue;
            }
        };
        let text = doc.article.text;
        let index = CharIndex::new(&text);
        // Spans whose stored text no longer matches the article (flagged on load) are left out.
        let matches = |s: &crate::model::Span| index.slice(s.range()) == Some(s.text.as_str());
        let spans = &doc.annotation.spans;
        let entities = spans.iter().filter(|s| s.state == SpanState::Accepted && matches(s)).map(|s| (s.range(), s.label.clone())).collect();
        let rejected: Vec<_> = spans.iter().filter(|s| s.state == SpanState::Rejected && matches(s)).map(|s| s.range()).collect();
        let complete = matches!(doc.annotation.status, DocStatus::Done | DocStatus::Reviewed);
        let proposals = lists.list_proposals(&text);
        material.documents.push(TrainingDocument { text, entities, rejected, proposals, complete });
    }
    if let Some(path) = extra {
        let error = |message: String| TrainError::Extra { path: path.to_owned(), message };
        let text = std::fs::read_to_string(path).map_err(|e| error(e.to_string()))?;
        let sentences = parse_conll(&text).map_err(|e| error(e.to_string()))?;
        for sentence in &sentences {
            let proposals = lists.list_proposals(&sentence.text().0);
            material.documents.push(TrainingDocument::from_sentence(sentence, proposals));
        }
        material.source.push_str(&format!(" + {}", path.display()));
    }
    Ok(material)
}

/// What a run asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainRequest {
    /// Whose annotations.
    pub source: TrainingSource,
    /// An extra CoNLL file (the config's `extra`, or `--extra`), relative paths from the project root.
    pub extra: Option<PathBuf>,
    /// Where to save (default: [`model_path`]).
    pub out: Option<PathBuf>,
    /// Whether to compute the learning curve.
    pub curve: bool,
}

impl TrainRequest {
    /// The request the project's config makes for `annotator`.
    pub fn from_config(project: &Project, annotator: &str) -> Self {
        let config = &project.config.proposers.model;
        TrainRequest {
            source: TrainingSource::from_config(config.train_from, annotator),
            extra: config.extra.as_ref().map(PathBuf::from),
            out: None,
            curve: true,
        }
    }
}

/// A trained and saved model, with what was left out of its material.
#[derive(Debug)]
pub struct Retrained {
    /// The model (it proposes only if [`SequenceModel::passes_gate`]).
    pub model: Arc<SequenceModel>,
    /// Where it was saved.
    pub path: PathBuf,
    /// Files not used, each with why.
    pub problems: Vec<String>,
}

/// Collects the material, trains, and saves the model atomically (creating `models/`); safe to
/// run on a background thread. The model is saved whether or not it passed its gate, so its
/// report says why it does not propose.
pub fn retrain(project: &Project, request: &TrainRequest, lists: &Proposers) -> Result<Retrained, TrainError> {
    let extra = request.extra.as_ref().map(|p| if p.is_absolute() { p.clone() } else { project.root.join(p) });
    let material = collect_training(project, &request.source, extra.as_deref(), lists)?;
    let labels = project.config.schema.labels.iter().map(|l| l.name.clone()).collect();
    let options = TrainOptions { labels, source: material.source.clone(), curve: request.curve, ..TrainOptions::default() };
    let model = train(&material.documents, &options, rules::bundled_lexicon());
    let path = request.out.clone().unwrap_or_else(|| model_path(project));
    save(&model, &path)?;
    Ok(Retrained { model: Arc::new(model), path, problems: material.problems })
}

/// Writes a model file atomically, creating its folder.
pub fn save(model: &SequenceModel, path: &Path) -> Result<(), ModelFileError> {
    let io = |source| ModelFileError::Io { path: path.to_owned(), source };
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(io)?;
    }
    write_atomic(path, &encode(model)).map_err(io)?;
    Ok(())
}

/// The project's saved model: `None` when there is none (or the config turns it off), an error
/// naming the file when it cannot be used.
pub fn load_project_model(project: &Project) -> Option<Result<SequenceModel, ModelFileError>> {
    let path = model_path(project);
    (project.config.proposers.model.enabled && path.exists()).then(|| load_model(&path))
}
