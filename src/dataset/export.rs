//! Writing a dataset: a project's documents (see [`collect`](super::collect)) through one of the
//! `formats::export` writers, whole or split into train/dev/test, with every note and every
//! article left out accounted for.
//!
//! Where things go: without a split, `--out` is the data file (`out.conll`, `out.jsonl`; a folder
//! for brat); with a split it is a folder holding `train.<ext>`, `dev.<ext>`, `test.<ext>` (brat:
//! `train/`, `dev/`, `test/`). Hugging Face exports also get their `labels.json` beside the data.
//! Nothing is written over an existing file or into a folder that is not empty unless `force`.
//!
//! An export can never harm the project it reads: an output inside the project's corpus or
//! annotation folders, or on its `tawsim.ron`, or a folder output holding any of them, is refused
//! whatever `force` says; paths are compared after resolving `..` and symbolic links. Every output
//! is written aside and moved into place only when complete ([`super::staging`]): a failure
//! leaves the old output as it was and nothing half-written. The counts of the summary are the
//! entities the files hold (a token-level format may drop nested spans; its notes say which).
//!
//! Exporting streams: one article is read, written and dropped at a time. A split needs to know
//! every document before the first is written, so it first lists the documents that will be
//! exported by their annotation files alone (present, and done when `done_only`), without
//! reading the articles; a file that then fails its full check is left out of its part.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::formats::export::{DocumentWriter, ExportFormat, ExportNote, SentenceSplit, TokenOptions, Tokenization, hf, open_writer};
use crate::model::{DocStatus, LabelledDocument};
use crate::store::{CONFIG_FILE_NAME, ExportDefaults, ExportSentences, ExportTokenize, Project, read_annotation};

use super::DatasetError;
use super::collect::{CollectOptions, Collected, collect};
use super::split::{Part, SplitSpec, assign};
use super::staging::Staging;

/// Name of the Hugging Face label file written beside the data.
pub const HF_LABEL_FILE: &str = "labels.json";

/// What to export and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportOptions {
    /// The format.
    pub format: ExportFormat,
    /// The data file, or the folder (brat, or any split export).
    pub out: PathBuf,
    /// Whose documents, which, and which labels.
    pub collect: CollectOptions,
    /// Train/dev/test percentages, if the dataset is split.
    pub split: Option<SplitSpec>,
    /// Seed of the split's shuffle.
    pub seed: u64,
    /// Tokenization and sentence choices that override the project's `export` defaults.
    pub tokens: ExportDefaults,
    /// Proclitics (و ف ب ل ك) as tokens of their own in token-level formats.
    pub split_clitics: bool,
    /// Write over existing files and into folders that are not empty.
    pub force: bool,
}

impl ExportOptions {
    /// Gold, every article and label, no split, the project's token settings, to `out`.
    pub fn new(format: ExportFormat, out: &Path) -> Self {
        ExportOptions {
            format,
            out: out.to_owned(),
            collect: CollectOptions::default(),
            split: None,
            seed: 0,
            tokens: ExportDefaults::default(),
            split_clitics: false,
            force: false,
        }
    }

    /// The token settings: these options first, then the project's `export` defaults, then the
    /// exporter's own defaults.
    pub fn token_options(&self, project: &Project) -> TokenOptions {
        let defaults = &project.config.export;
        TokenOptions {
            tokenize: match self.tokens.tokenize.or(defaults.tokenize) {
                Some(ExportTokenize::Words) => Tokenization::Words,
                Some(ExportTokenize::Whitespace) => Tokenization::Whitespace,
                None => Tokenization::default(),
            },
            sentences: match self.tokens.sentences.or(defaults.sentences) {
                Some(ExportSentences::Punctuation) => SentenceSplit::Punctuation,
                Some(ExportSentences::Lines) => SentenceSplit::Lines,
                None => SentenceSplit::default(),
            },
            split_clitics: self.split_clitics,
        }
    }
}

/// The files (or folders) an export writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The data file or folder of each part (`None` when the dataset is not split).
    pub parts: Vec<(Option<Part>, PathBuf)>,
    /// The Hugging Face label file, for that format.
    pub label_file: Option<PathBuf>,
    /// The folder `--out` names, when it names one (brat, or a split).
    pub folder: Option<PathBuf>,
}

impl Layout {
    /// Where an export of `format` to `out` (split by `split`) writes.
    pub fn new(format: ExportFormat, out: &Path, split: Option<&SplitSpec>) -> Layout {
        let (parts, folder, beside): (Vec<(Option<Part>, PathBuf)>, _, PathBuf) = match split {
            None => {
                let beside = out.parent().map(Path::to_owned).unwrap_or_default();
                let folder = format.writes_folder().then(|| out.to_owned());
                (vec![(None, out.to_owned())], folder, beside)
            }
            Some(spec) => {
                let parts = spec
                    .parts()
                    .into_iter()
                    .map(|part| {
                        let name = if format.writes_folder() { part.name().to_owned() } else { format!("{}.{}", part.name(), format.extension()) };
                        (Some(part), out.join(name))
                    })
                    .collect();
                (parts, Some(out.to_owned()), out.to_owned())
            }
        };
        Layout { parts, label_file: (format == ExportFormat::Hf).then(|| beside.join(HF_LABEL_FILE)), folder }
    }

    /// Refuses, naming the path, when writing would replace a file or fill a folder that is not
    /// empty (unless `force`), or when a file stands where a folder is wanted (or the reverse).
    pub fn check(&self, force: bool) -> Result<(), DatasetError> {
        match self.in_the_way(force) {
            Some(InTheWay { path, what }) => Err(DatasetError::Exists { path, what, forced: force }),
            None => Ok(()),
        }
    }

    /// Every file or folder the export makes at the top: the folder, or the files.
    fn targets(&self) -> Vec<PathBuf> {
        match &self.folder {
            Some(folder) => vec![folder.clone()],
            None => self.parts.iter().map(|(_, p)| p.clone()).chain(self.label_file.clone()).collect(),
        }
    }

    /// What this layout would harm in `project`: an output inside its corpus or annotation
    /// folders or on its `tawsim.ron`, or a folder output holding any of them. Paths are resolved
    /// (`..`, symbolic links) before they are compared.
    pub fn harms(&self, project: &Project) -> Option<InTheWay> {
        let protected = [
            (resolve(&project.corpus_dir()), "is inside the project's corpus folder"),
            (resolve(&project.annotations_dir()), "is inside the project's annotation folder"),
            (resolve(&project.root.join(CONFIG_FILE_NAME)), "is the project's tawsim.ron"),
        ];
        let outputs = self.parts.iter().map(|(_, p)| p).chain(&self.label_file).chain(&self.folder);
        for output in outputs {
            let resolved = resolve(output);
            for (place, what) in &protected {
                if resolved.starts_with(place) {
                    return Some(InTheWay { path: output.clone(), what });
                }
            }
        }
        let folder = self.folder.as_ref()?;
        let resolved = resolve(folder);
        protected
            .iter()
            .any(|(place, _)| place.starts_with(&resolved))
            .then(|| InTheWay { path: folder.clone(), what: "holds the project's corpus, annotations or tawsim.ron" })
    }

    /// What [`Self::check`] refuses for, if anything, so a caller can word it its own way.
    pub fn in_the_way(&self, force: bool) -> Option<InTheWay> {
        let exists = |path: &Path, what| Some(InTheWay { path: path.to_owned(), what });
        if let Some(folder) = &self.folder {
            if folder.is_file() {
                return exists(folder, "is a file, and this export writes a folder");
            }
            let full = std::fs::read_dir(folder).is_ok_and(|mut entries| entries.next().is_some());
            if full && !force {
                return exists(folder, "is a folder that is not empty");
            }
        }
        let files = self.parts.iter().map(|(_, p)| p).filter(|_| self.folder.is_none());
        for file in files.chain(&self.label_file) {
            if file.is_dir() {
                return exists(file, "is a folder, and this export writes a file there");
            }
            if file.exists() && !force {
                return exists(file, "exists");
            }
        }
        None
    }
}

/// `path` made absolute with `..` and symbolic links resolved, as far as it exists; the part that
/// does not exist yet is appended as written, `..` taken lexically.
fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() { path.to_owned() } else { std::env::current_dir().unwrap_or_default().join(path) };
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            let mut resolved = real;
            for part in rest.iter().rev() {
                match part {
                    std::path::Component::ParentDir => {
                        resolved.pop();
                    }
                    std::path::Component::CurDir => {}
                    other => resolved.push(other),
                }
            }
            return resolved;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// An output file or folder in the way of an export, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InTheWay {
    /// The file or folder.
    pub path: PathBuf,
    /// What is in the way.
    pub what: &'static str,
}

impl fmt::Display for InTheWay {
    /// `path: what`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.what)
    }
}

/// Documents and entities per part.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PartCounts {
    /// The part (`None` when the dataset is not split).
    pub part: Option<Part>,
    /// Documents in it.
    pub documents: usize,
    /// Entities per label, in the order of [`Counts::labels`].
    pub entities: Vec<usize>,
}

/// What a dataset holds and what was left out of it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Whose annotation the dataset is.
    pub source: String,
    /// The dataset's labels (after renaming and filtering).
    pub labels: Vec<String>,
    /// Each part.
    pub parts: Vec<PartCounts>,
    /// Articles without an annotation file of the source.
    pub no_file: usize,
    /// Articles left out by `done_only`.
    pub not_done: usize,
    /// Articles left out because their annotation file does not load or has faults.
    pub failed: usize,
}

impl Counts {
    fn new(source: &str, labels: Vec<String>, parts: &[Option<Part>]) -> Self {
        let parts = parts.iter().map(|&part| PartCounts { part, documents: 0, entities: vec![0; labels.len()] }).collect();
        Counts { source: source.to_owned(), labels, parts, ..Counts::default() }
    }

    /// Counts `doc` into `part`, with all its spans.
    fn add(&mut self, part: Option<Part>, doc: &LabelledDocument) {
        self.add_spans(part, doc, 0..doc.spans.len());
    }

    /// Counts `doc` into `part`, with the spans `written` (indices into its spans).
    fn add_spans(&mut self, part: Option<Part>, doc: &LabelledDocument, written: impl IntoIterator<Item = usize>) {
        let labels = &self.labels;
        let Some(counts) = self.parts.iter_mut().find(|p| p.part == part) else {
            return;
        };
        counts.documents += 1;
        for span in written.into_iter().filter_map(|i| doc.spans.get(i)) {
            if let Some(i) = labels.iter().position(|l| *l == span.label) {
                counts.entities[i] += 1;
            }
        }
    }

    /// Counts an article that was left out.
    fn left_out(&mut self, item: &Collected) {
        match item {
            Collected::Document(_) => {}
            Collected::NoFile(_) => self.no_file += 1,
            Collected::NotDone { .. } => self.not_done += 1,
            Collected::Failed { .. } => self.failed += 1,
        }
    }

    /// Documents over all parts.
    pub fn documents(&self) -> usize {
        self.parts.iter().map(|p| p.documents).sum()
    }

    /// Entities per label over all parts.
    pub fn entities(&self) -> Vec<(&str, usize)> {
        self.labels.iter().enumerate().map(|(i, l)| (l.as_str(), self.parts.iter().map(|p| p.entities[i]).sum())).collect()
    }
}

impl fmt::Display for Counts {
    /// `N document(s) (train a, dev b, test c): M entities (PERS x, …); left out: …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} document(s)", self.documents())?;
        if self.parts.iter().any(|p| p.part.is_some()) {
            let parts: Vec<String> = self.parts.iter().filter_map(|p| Some(format!("{} {}", p.part?, p.documents))).collect();
            write!(f, " ({})", parts.join(", "))?;
        }
        let entities = self.entities();
        let total: usize = entities.iter().map(|(_, n)| n).sum();
        let each: Vec<String> = entities.iter().map(|(l, n)| format!("{l} {n}")).collect();
        write!(f, ": {total} entities ({})", each.join(", "))?;
        write!(f, "; left out: {} article(s) without a {} file, {} not done, {} failed", self.no_file, self.source, self.not_done, self.failed)
    }
}

/// What an export wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Where it went.
    pub out: PathBuf,
    /// What it holds and what was left out.
    pub counts: Counts,
    /// Notes the writers made.
    pub notes: usize,
}

impl fmt::Display for ExportSummary {
    /// One line: where, what, how many notes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "exported to {}: {}; {} note(s)", self.out.display(), self.counts, self.notes)
    }
}

/// What an export would write, shown before it is made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportPreview {
    /// Documents and entities per part, and what would be left out (entities as annotated; a
    /// token-level format may still widen or drop some, which its notes will say).
    pub counts: Counts,
    /// The token settings the export would use.
    pub tokens: TokenOptions,
    /// The files and folders it would write.
    pub layout: Layout,
    /// Why writing would be refused as things stand (an existing file, a full folder), if so.
    pub blocked: Option<InTheWay>,
}

/// Something an export tells its caller as it goes.
#[derive(Debug)]
pub enum ExportEvent<'a> {
    /// A writer could not hold something as it was.
    Note(&'a ExportNote),
    /// An article was left out, and why.
    LeftOut(&'a Collected),
}

/// Writes documents into the files of a [`Layout`], counting them; the part of [`export`] that
/// does not know about projects, so generated documents can be written the same way.
pub struct Exporter {
    writers: Vec<(Option<Part>, Box<dyn DocumentWriter>)>,
    counts: Counts,
    notes: usize,
    out: PathBuf,
    scratch: Vec<ExportNote>,
}

impl Exporter {
    /// Opens a writer per part (and writes the Hugging Face label file). `layout` should have
    /// been checked.
    pub fn create(format: ExportFormat, out: &Path, layout: &Layout, labels: &[String], source: &str, tokens: &TokenOptions) -> Result<Exporter, DatasetError> {
        if let Some(folder) = &layout.folder {
            std::fs::create_dir_all(folder).map_err(|e| DatasetError::io(folder, e))?;
        }
        if let Some(label_file) = &layout.label_file {
            hf::write_label_file(label_file, labels)?;
        }
        let writers =
            layout.parts.iter().map(|(part, path)| Ok((*part, open_writer(format, path, labels, tokens)?))).collect::<Result<Vec<_>, DatasetError>>()?;
        let parts: Vec<Option<Part>> = writers.iter().map(|(p, _)| *p).collect();
        Ok(Exporter { writers, counts: Counts::new(source, labels.to_vec(), &parts), notes: 0, out: out.to_owned(), scratch: Vec::new() })
    }

    /// Writes `doc` into `part` (`None` when not split); each note goes to `on_note`.
    pub fn write(&mut self, part: Option<Part>, doc: &LabelledDocument, on_note: &mut dyn FnMut(&ExportNote)) -> Result<(), DatasetError> {
        let Some((_, writer)) = self.writers.iter_mut().find(|(p, _)| *p == part) else {
            return Err(DatasetError::Option(format!("{}: no {} part in this export", doc.id, part.map_or("unsplit", Part::name))));
        };
        self.scratch.clear();
        let written = writer.write(doc, &mut self.scratch)?;
        self.notes += self.scratch.len();
        self.scratch.iter().for_each(&mut *on_note);
        self.counts.add_spans(part, doc, written);
        Ok(())
    }

    /// Counts an article left out of the dataset.
    pub fn left_out(&mut self, item: &Collected) {
        self.counts.left_out(item);
    }

    /// Finishes every file.
    pub fn finish(mut self) -> Result<ExportSummary, DatasetError> {
        for (_, writer) in &mut self.writers {
            writer.finish()?;
        }
        Ok(ExportSummary { out: self.out, counts: self.counts, notes: self.notes })
    }
}

/// The part of each document a split puts it in, or `None` without a split.
fn split_parts(project: &Project, options: &ExportOptions) -> Result<Option<BTreeMap<String, Part>>, DatasetError> {
    let Some(spec) = &options.split else {
        return Ok(None);
    };
    let collect = &options.collect;
    let mut ids = Vec::new();
    for article in &project.articles {
        let Ok(path) = project.annotation_path(&collect.source, &article.rel) else {
            continue;
        };
        // A file that does not load now will not load in a moment either: not in the split.
        let Ok(Some(file)) = read_annotation(&path) else {
            continue;
        };
        if !collect.done_only || matches!(file.status, DocStatus::Done | DocStatus::Reviewed) {
            ids.push(article.document.clone());
        }
    }
    Ok(Some(assign(&ids, spec, options.seed)))
}

/// The part `doc` goes in; a document the split did not list (its file appeared meanwhile)
/// goes to train, so nothing unseen lands in a test set.
fn part_of(parts: &Option<BTreeMap<String, Part>>, doc: &LabelledDocument) -> Option<Part> {
    parts.as_ref().map(|p| p.get(&doc.id).copied().unwrap_or(Part::Train))
}

/// Exports `project` as `options` say; notes and left-out articles go to `on_event` as they come.
pub fn export(project: &Project, options: &ExportOptions, on_event: &mut dyn FnMut(ExportEvent<'_>)) -> Result<ExportSummary, DatasetError> {
    let labels = options.collect.labels.labels(&project.config.schema)?;
    let documents = collect(project, &options.collect)?;
    // A misspelt --from would otherwise write an empty dataset and call it a success.
    let annotators = project.annotators()?;
    let source = &options.collect.source;
    if !annotators.contains(source) {
        return Err(DatasetError::Option(format!(
            "--from {source}: this project has no annotation files of {source:?} (it has: {})",
            if annotators.is_empty() { "none".to_owned() } else { annotators.join(", ") }
        )));
    }
    let layout = Layout::new(options.format, &options.out, options.split.as_ref());
    if let Some(InTheWay { path, what }) = layout.harms(project) {
        return Err(DatasetError::Protected { path, what });
    }
    layout.check(options.force)?;
    let parts = split_parts(project, options)?;
    let tokens = options.token_options(project);
    // Everything is written aside, and moved into place once complete.
    let targets = layout.targets();
    let staging = Staging::new(&targets, layout.folder.is_some()).map_err(|e| DatasetError::io(&options.out, e))?;
    let staged_path = |path: &Path| -> PathBuf {
        match &layout.folder {
            Some(folder) => staging.staged(folder).map_or_else(|| path.to_owned(), |s| s.join(path.strip_prefix(folder).unwrap_or(path))),
            None => staging.staged(path).map_or_else(|| path.to_owned(), Path::to_owned),
        }
    };
    let staged = Layout {
        parts: layout.parts.iter().map(|(part, path)| (*part, staged_path(path))).collect(),
        label_file: layout.label_file.as_deref().map(staged_path),
        folder: layout.folder.as_deref().map(staged_path),
    };
    let mut exporter = Exporter::create(options.format, &options.out, &staged, &labels, &options.collect.source, &tokens)?;
    for item in documents {
        match &item {
            Collected::Document(doc) => {
                exporter.write(part_of(&parts, doc), doc, &mut |n| on_event(ExportEvent::Note(n)))?;
            }
            other => {
                exporter.left_out(other);
                on_event(ExportEvent::LeftOut(other));
            }
        }
    }
    let summary = exporter.finish()?;
    staging.commit().map_err(|e| DatasetError::io(&options.out, e))?;
    Ok(summary)
}

/// What [`export`] would write with `options`, without writing anything: documents and entities
/// per part, what would be left out, and whether the output is in the way.
pub fn preview(project: &Project, options: &ExportOptions) -> Result<ExportPreview, DatasetError> {
    let labels = options.collect.labels.labels(&project.config.schema)?;
    let layout = Layout::new(options.format, &options.out, options.split.as_ref());
    let parts = split_parts(project, options)?;
    let names: Vec<Option<Part>> = layout.parts.iter().map(|(p, _)| *p).collect();
    let mut counts = Counts::new(&options.collect.source, labels, &names);
    for item in collect(project, &options.collect)? {
        match &item {
            Collected::Document(doc) => counts.add(part_of(&parts, doc), doc),
            other => counts.left_out(other),
        }
    }
    let blocked = layout.harms(project).or_else(|| layout.in_the_way(options.force));
    Ok(ExportPreview { counts, tokens: options.token_options(project), blocked, layout })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_put_parts_in_a_folder_and_the_hf_labels_beside_the_data() {
        let plain = Layout::new(ExportFormat::Conll, Path::new("x/out.conll"), None);
        assert_eq!(plain.parts, [(None, PathBuf::from("x/out.conll"))]);
        assert_eq!((plain.label_file, plain.folder), (None, None));
        let spec: SplitSpec = "80,20".parse().expect("valid");
        let hf = Layout::new(ExportFormat::Hf, Path::new("x/ds"), Some(&spec));
        assert_eq!(hf.parts, [(Some(Part::Train), PathBuf::from("x/ds/train.jsonl")), (Some(Part::Test), PathBuf::from("x/ds/test.jsonl"))]);
        assert_eq!(hf.label_file, Some(PathBuf::from("x/ds/labels.json")));
        let brat = Layout::new(ExportFormat::Brat, Path::new("b"), Some(&"80,10,10".parse().expect("valid")));
        assert_eq!(brat.parts[1], (Some(Part::Dev), PathBuf::from("b/dev")));
        let one = Layout::new(ExportFormat::Hf, Path::new("out.jsonl"), None);
        assert_eq!(one.label_file, Some(PathBuf::from("labels.json")));
    }

    #[test]
    fn a_preview_counts_what_an_export_would_write_and_writes_nothing() {
        let project = Project::open(&crate::sample_project_dir()).expect("the sample project");
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("ds");
        let mut options = ExportOptions::new(ExportFormat::Hf, &out);
        options.split = Some("50,50".parse().expect("valid"));
        let preview = preview(&project, &options).expect("previews");
        let counts = &preview.counts;
        assert_eq!((counts.documents(), counts.no_file, counts.not_done, counts.failed), (1, 4, 0, 0));
        assert_eq!(counts.entities(), [("PERS", 22), ("LOC", 50), ("ORG", 4), ("MISC", 0)]);
        let parts: Vec<(Option<Part>, usize)> = counts.parts.iter().map(|p| (p.part, p.documents)).collect();
        assert_eq!(parts.iter().map(|(_, n)| n).sum::<usize>(), 1);
        assert_eq!(parts.len(), 2, "train and test");
        assert_eq!(preview.layout.label_file, Some(out.join("labels.json")));
        assert_eq!(preview.blocked, None);
        assert!(!out.exists(), "a preview writes nothing");
        // With --done-only and the gold file reviewed, nothing changes; relabelled, the counts follow.
        options.collect.done_only = true;
        options.collect.labels.map = vec![("LOC".into(), Some("GPE".into())), ("ORG".into(), None)];
        let preview = super::preview(&project, &options).expect("previews");
        assert_eq!(preview.counts.entities(), [("PERS", 22), ("GPE", 50), ("MISC", 0)]);
        std::fs::create_dir_all(out.join("x")).expect("folder");
        let preview = super::preview(&project, &options).expect("previews");
        assert!(preview.blocked.is_some_and(|b| b.to_string().contains("is a folder that is not empty")));
    }

    #[test]
    fn existing_output_is_refused_unless_forced() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("out.conll");
        let layout = Layout::new(ExportFormat::Conll, &file, None);
        assert!(layout.check(false).is_ok());
        std::fs::write(&file, "x").expect("write");
        let err = layout.check(false).unwrap_err();
        assert_eq!(err.to_string(), format!("{}: exists; choose another --out or add --force", file.display()));
        // With --force given, a refusal does not advise it.
        let err = Layout::new(ExportFormat::Brat, &file, None).check(true).unwrap_err().to_string();
        assert_eq!(err, format!("{}: is a file, and this export writes a folder; choose another --out", file.display()));
        assert!(layout.check(true).is_ok());
        // A split writes a folder: a non-empty one is refused, an empty one is fine.
        let spec: SplitSpec = "80,10,10".parse().expect("valid");
        let split = Layout::new(ExportFormat::Jsonl, dir.path(), Some(&spec));
        assert!(split.check(false).unwrap_err().to_string().contains("is a folder that is not empty"));
        assert!(split.check(true).is_ok());
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).expect("folder");
        assert!(Layout::new(ExportFormat::Jsonl, &empty, Some(&spec)).check(false).is_ok());
        // A file where a folder is wanted is refused even with force.
        assert!(Layout::new(ExportFormat::Brat, &file, None).check(true).is_err());
        assert!(Layout::new(ExportFormat::Conll, &empty, None).check(true).is_err());
    }
}
