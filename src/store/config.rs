//! The project config file, `tawsim.ron`.

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::atomic::{WriteOutcome, replace};
use crate::model::Schema;
use crate::ron_text::{ParseError, from_ron, to_ron};

/// Name of the config file at a project's root.
pub const CONFIG_FILE_NAME: &str = "tawsim.ron";

/// Settings that change how the project's text is matched and checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProjectOptions {
    /// Treat ة and ه as one letter when matching names (proposals, search); stored text stays exact.
    pub normalize_teh_marbuta: bool,
    /// How far (in chars) to look for a span's text when its article has changed.
    pub reanchor_window: usize,
}

impl Default for ProjectOptions {
    fn default() -> Self {
        ProjectOptions { normalize_teh_marbuta: false, reanchor_window: 2000 }
    }
}

/// Which proposers suggest entities in this project, and from what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProposerConfig {
    /// Gazetteer list files (RON from `tawsim gazetteer`, or `form<TAB>LABEL` text), relative to
    /// the project root.
    pub gazetteers: Vec<String>,
    /// Trigger-word rule files (RON), relative to the project root.
    pub rules: Vec<String>,
    /// Also use the rules for Arabic news that come with tawsim.
    pub builtin_rules: bool,
    /// Propose what the annotator accepted elsewhere in the project, and never again what they
    /// rejected.
    pub memory: bool,
    /// The learned proposer; left out of the file while it has its defaults, so older configs
    /// stay as they are.
    #[serde(skip_serializing_if = "ModelConfig::is_default")]
    pub model: ModelConfig,
}

impl Default for ProposerConfig {
    fn default() -> Self {
        ProposerConfig { gazetteers: Vec::new(), rules: Vec::new(), builtin_rules: true, memory: true, model: ModelConfig::default() }
    }
}

/// Whose annotations the learned proposer trains on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TrainFrom {
    /// The reviewed gold files.
    Gold,
    /// The files of the annotator the proposals are for.
    Annotator,
    /// Both; where an article has gold, gold is used (the default: the model learns from the
    /// annotator's own work as it goes, and from what reviewers settled).
    #[default]
    Both,
}

/// Settings of the learned proposer (`proposers: (model: (…))`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelConfig {
    /// Whether the project's saved model (`models/`) is used at all.
    pub enabled: bool,
    /// Whose annotations it trains on.
    pub train_from: TrainFrom,
    /// An annotated CoNLL file (relative to the project root) to train on as well.
    pub extra: Option<String>,
}

impl Default for ModelConfig {
    fn default() -> Self {
        ModelConfig { enabled: true, train_from: TrainFrom::Both, extra: None }
    }
}

impl ModelConfig {
    /// Whether every setting has its default value.
    pub fn is_default(&self) -> bool {
        *self == ModelConfig::default()
    }
}

/// How words are cut into tokens when the project is exported to a token-level format.
///
/// Store keeps its own copy of the choice (it may not depend on `formats`); `dataset` maps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportTokenize {
    /// Words and punctuation apart, as the Arabic word segmenter cuts them.
    Words,
    /// At whitespace only: articles made from a token-level corpus (one token per space).
    Whitespace,
}

/// Where sentences end when the project is exported to a token-level format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportSentences {
    /// At sentence-final punctuation.
    Punctuation,
    /// At line breaks: articles made from a token-level corpus (one sentence per line).
    Lines,
}

/// Export settings a project keeps so that a plain `tawsim export` of it does the right thing;
/// command-line flags override them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExportDefaults {
    /// How to tokenize (unset: the exporter's default, words).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokenize: Option<ExportTokenize>,
    /// How to split sentences (unset: the exporter's default, punctuation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentences: Option<ExportSentences>,
}

impl ExportDefaults {
    /// Whether nothing is set, so the config file need not mention `export` at all.
    pub fn is_empty(&self) -> bool {
        self.tokenize.is_none() && self.sentences.is_none()
    }
}

/// What `tawsim.ron` holds.
///
/// Unknown fields are refused rather than ignored, so a misspelt option in a hand-written file is
/// reported instead of silently having no effect.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProjectConfig {
    /// Shown in the title bar.
    pub name: String,
    /// The labels annotators choose from.
    pub schema: Schema,
    /// Folder of the articles, relative to the project root.
    pub corpus: String,
    /// Folder of the annotation files, relative to the project root.
    pub annotations: String,
    /// Matching and checking settings.
    pub options: ProjectOptions,
    /// Where proposals come from.
    pub proposers: ProposerConfig,
    /// Export settings; left out of the file when none is set, so older configs stay as they are.
    #[serde(skip_serializing_if = "ExportDefaults::is_empty")]
    pub export: ExportDefaults,
}

impl Default for ProjectConfig {
    fn default() -> Self {
        ProjectConfig {
            name: String::new(),
            schema: Schema::anercorp(),
            corpus: "corpus".to_owned(),
            annotations: "annotations".to_owned(),
            options: ProjectOptions::default(),
            proposers: ProposerConfig::default(),
            export: ExportDefaults::default(),
        }
    }
}

/// Why `tawsim.ron` could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// There is no config file: the folder is not a project.
    #[error("{}: no such file; this folder is not a tawsim project (`tawsim init` makes one)", path.display())]
    Missing {
        /// Where it was looked for.
        path: PathBuf,
    },
    /// Reading or writing failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The file is not valid.
    #[error("{0}")]
    Parse(ParseError),
    /// The config could not be turned into RON.
    #[error("{}: cannot serialize: {message}", path.display())]
    Serialize {
        /// The file.
        path: PathBuf,
        /// What ron said.
        message: String,
    },
    /// Saving would overwrite a config file that does not load.
    #[error("refusing to overwrite {0}; fix the file first")]
    WouldClobber(ParseError),
}

impl ProjectConfig {
    /// Reads a config file.
    pub fn load(path: &Path) -> Result<ProjectConfig, ConfigError> {
        let bytes = std::fs::read(path).map_err(|source| match source.kind() {
            io::ErrorKind::NotFound => ConfigError::Missing { path: path.to_owned() },
            _ => ConfigError::Io { path: path.to_owned(), source },
        })?;
        from_ron(&bytes, path).map_err(ConfigError::Parse)
    }

    /// The config as written to disk: one label per line.
    pub(crate) fn to_text(&self) -> Result<String, ron::Error> {
        to_ron(self, 3)
    }

    /// Writes the config atomically, unless the file on disk already says the same or does not
    /// load (a broken hand edit is the user's to fix, not ours to erase).
    pub fn save(&self, path: &Path) -> Result<WriteOutcome, ConfigError> {
        let text = self.to_text().map_err(|e| ConfigError::Serialize { path: path.to_owned(), message: e.to_string() })?;
        match std::fs::read(path) {
            Ok(existing) if existing == text.as_bytes() => return Ok(WriteOutcome::Unchanged),
            Ok(existing) => {
                from_ron::<ProjectConfig>(&existing, path).map_err(ConfigError::WouldClobber)?;
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(ConfigError::Io { path: path.to_owned(), source });
            }
        }
        replace(path, text.as_bytes()).map_err(|source| ConfigError::Io { path: path.to_owned(), source })?;
        Ok(WriteOutcome::Written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_hand_written_config_loads_with_defaults() {
        let config: ProjectConfig = from_ron(b"(name: \"news\")", Path::new("tawsim.ron")).unwrap();
        assert_eq!(config.name, "news");
        assert_eq!(config.corpus, "corpus");
        assert_eq!(config.schema, Schema::anercorp());
        assert_eq!(config.options.reanchor_window, 2000);
    }

    #[test]
    fn labels_can_be_written_by_hand_with_implicit_some() {
        let text = r##"(
            schema: (labels: [
                (name: "PER", color: "#ff0000", hotkey: 'p'),
                (name: "GPE", hotkey: Some('g')),
                (name: "DATE"),
            ]),
            options: (normalize_teh_marbuta: true),
        )"##;
        let config: ProjectConfig = from_ron(text.as_bytes(), Path::new("tawsim.ron")).unwrap();
        assert_eq!(config.schema.by_hotkey('p').map(|l| l.name.as_str()), Some("PER"));
        assert_eq!(config.schema.by_hotkey('g').map(|l| l.name.as_str()), Some("GPE"));
        assert_eq!(config.schema.label("DATE").and_then(|l| l.hotkey), None);
        assert!(config.options.normalize_teh_marbuta);
    }

    #[test]
    fn misspelt_option_is_reported() {
        let err = from_ron::<ProjectConfig>(b"(options: (normalise: true))", Path::new("tawsim.ron")).unwrap_err();
        assert!(err.message.contains("normalise"), "{err}");
    }

    #[test]
    fn misspelt_label_field_is_reported() {
        let text = b"(schema: (labels: [(name: \"X\", colour: \"#ffffff\")]))";
        let err = from_ron::<ProjectConfig>(text, Path::new("tawsim.ron")).unwrap_err();
        assert!(err.message.contains("colour"), "{err}");
    }

    #[test]
    fn bad_colour_is_reported_with_position() {
        let text = "(\n  schema: (labels: [(name: \"X\", color: \"red\")]),\n)";
        let err = from_ron::<ProjectConfig>(text.as_bytes(), Path::new("tawsim.ron")).unwrap_err();
        assert_eq!(err.line, 2, "{err}");
        assert!(err.message.contains("#rrggbb"), "{err}");
    }

    #[test]
    fn save_load_round_trip_and_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CONFIG_FILE_NAME);
        let config = ProjectConfig { name: "أخبار".into(), ..ProjectConfig::default() };
        assert_eq!(config.save(&path).unwrap(), WriteOutcome::Written);
        assert_eq!(config.save(&path).unwrap(), WriteOutcome::Unchanged);
        assert_eq!(ProjectConfig::load(&path).unwrap(), config);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().filter(|l| l.contains("(name: ")).count(), 4, "{text}");
    }

    #[test]
    fn save_refuses_to_overwrite_a_broken_config() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CONFIG_FILE_NAME);
        std::fs::write(&path, "(name: \"x\"").unwrap();
        assert!(matches!(ProjectConfig::default().save(&path), Err(ConfigError::WouldClobber(_))));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "(name: \"x\"");
    }

    #[test]
    fn export_defaults_are_optional_and_written_only_when_set() {
        // A config from before `export` existed loads with nothing set, and saves without it.
        let old: ProjectConfig = from_ron(b"(name: \"news\")", Path::new("tawsim.ron")).unwrap();
        assert!(old.export.is_empty());
        assert!(!old.to_text().unwrap().contains("export"));
        let text = b"(export: (tokenize: Whitespace, sentences: Some(Lines)))";
        let set: ProjectConfig = from_ron(text, Path::new("tawsim.ron")).unwrap();
        assert_eq!(set.export.tokenize, Some(ExportTokenize::Whitespace));
        assert_eq!(set.export.sentences, Some(ExportSentences::Lines));
        let written = set.to_text().unwrap();
        let back: ProjectConfig = from_ron(written.as_bytes(), Path::new("tawsim.ron")).unwrap();
        assert_eq!(back, set, "{written}");
        let err = from_ron::<ProjectConfig>(b"(export: (tokenise: Words))", Path::new("tawsim.ron")).unwrap_err();
        assert!(err.message.contains("tokenise"), "{err}");
    }

    #[test]
    fn model_settings_are_optional_and_written_only_when_set() {
        let old: ProjectConfig = from_ron(b"(name: \"news\", proposers: (memory: false))", Path::new("tawsim.ron")).unwrap();
        assert!(old.proposers.model.is_default());
        assert!(!old.to_text().unwrap().contains("model"));
        let text = b"(proposers: (model: (train_from: Both, extra: Some(\"data/x.conll\"))))";
        let set: ProjectConfig = from_ron(text, Path::new("tawsim.ron")).unwrap();
        assert_eq!(set.proposers.model.train_from, TrainFrom::Both);
        assert_eq!(set.proposers.model.extra.as_deref(), Some("data/x.conll"));
        let written = set.to_text().unwrap();
        let back: ProjectConfig = from_ron(written.as_bytes(), Path::new("tawsim.ron")).unwrap();
        assert_eq!(back, set, "{written}");
        let err = from_ron::<ProjectConfig>(b"(proposers: (model: (train_form: Gold)))", Path::new("tawsim.ron")).unwrap_err();
        assert!(err.message.contains("train_form"), "{err}");
    }

    #[test]
    fn missing_config_says_so() {
        let err = ProjectConfig::load(Path::new("/nonexistent/tawsim.ron")).unwrap_err();
        assert!(matches!(err, ConfigError::Missing { .. }));
        assert!(err.to_string().contains("not a tawsim project"));
    }
}
