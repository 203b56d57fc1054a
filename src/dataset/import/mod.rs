//! `tawsim import`: another tool's annotated files made into (or added to) a project.
//!
//! Each source document becomes an article `corpus/<name>.txt` and one annotation file
//! `annotations/<NAME>/<name>.txt.ron` (NAME is `gold` unless `--as` says otherwise). Its spans
//! are `Accepted` with `Origin::Imported { source: <file name> }`. The status is `Done`: an
//! annotated corpus is finished work, so `tawsim export --done-only` keeps it, but it is not
//! `Reviewed` since nobody here has looked at it. A source that keeps a status (tawsim's RON
//! datasets, and its JSONL exports under `meta.status`) keeps it, so an export imported and
//! exported again is the same.
//!
//! The name is the document's id when that is a safe relative path (a leading `corpus/` and a
//! trailing `.txt` are taken off, so the ids of tawsim's own exports come back as the same
//! articles), otherwise `<source stem>-0001` and so on, numbered by the document's place in the
//! source. An article already there with the same text is reused; one with another text is never
//! overwritten, nor is an annotation file that holds any span.
//!
//! Everything is checked before anything is written: the source is read whole, every span is
//! checked against its text and the schema ([`check_span`]), every name and every file in the
//! way is looked at. Under `--on-error stop` (the default) the first problem ends the import with
//! nothing written; under `skip` the span, line or document at fault is left out and listed.
//! Each article is written before its annotation file, and a new project's `tawsim.ron` last, so
//! an import that fails while writing never leaves a folder that looks like a finished project.

mod read;
mod scheme;
mod write;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

pub use scheme::Scheme;

use crate::formats::export::brat::brat_stem;
use crate::formats::{FormatError, SkipReason};
use crate::formats::{Location, check_span};
use crate::model::{AnnotationFile, DocStatus, Label, Origin, Schema, Span, SpanEdit, SpanState};
use crate::store::{
    CONFIG_FILE_NAME, ExportDefaults, ExportSentences, ExportTokenize, Fingerprint, GOLD, Project, ProjectConfig, load_annotation, read_article, sha256_hex,
    validate_annotator,
};

use super::DatasetError;
use read::SourceDocument;

/// The formats a dataset is imported from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum ImportFormat {
    /// Token-level CoNLL (`token … LABEL`), IOB1, IOB2 or BIOES, with or without `-DOCSTART-`.
    Conll,
    /// JSON Lines with the text and its spans (spaCy, Prodigy, doccano, tawsim).
    Jsonl,
    /// brat standoff: a `.ann` file with its `.txt`, or a folder of them.
    Brat,
    /// tawsim's RON dataset (`tawsim export --format ron`).
    Ron,
}

/// What to do with a span, line or document that cannot be imported.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum OnError {
    /// Stop at the first one and write nothing.
    #[default]
    Stop,
    /// Leave it out, import the rest, and list what was left out.
    Skip,
}

/// What to import and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportOptions {
    /// The source's format.
    pub format: ImportFormat,
    /// The source file (or brat folder).
    pub source: PathBuf,
    /// The project folder; made a project when it has no `tawsim.ron`.
    pub into: PathBuf,
    /// Whose annotation the spans become (`gold` by default).
    pub annotator: String,
    /// Sentences per article for CoNLL without `-DOCSTART-` lines.
    pub sentences_per_article: usize,
    /// How strictly CoNLL tags are read.
    pub scheme: Scheme,
    /// Stop or skip at a problem.
    pub on_error: OnError,
    /// The labels the source may use (`--labels`): a new project's schema, or a part of an
    /// existing project's. `None`: an existing project's schema, or for a new project the labels
    /// the source has (refusing one that looks cut short, like `L` beside `LOC`).
    pub labels: Option<Vec<String>>,
}

impl ImportOptions {
    /// Importing `source` in `format` into `into` as gold, with the defaults for the rest.
    pub fn new(format: ImportFormat, source: &Path, into: &Path) -> Self {
        ImportOptions {
            format,
            source: source.to_owned(),
            into: into.to_owned(),
            annotator: GOLD.to_owned(),
            sentences_per_article: 50,
            scheme: Scheme::default(),
            on_error: OnError::default(),
            labels: None,
        }
    }
}

/// One thing that could not be imported: where it is and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportProblem {
    /// The source file and line (or the project file in the way, at line 0).
    pub at: Location,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ImportProblem {
    /// `file:line: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// The project folder.
    pub root: PathBuf,
    /// Whether the import made it a project.
    pub created: bool,
    /// Whose annotation files were written.
    pub annotator: String,
    /// The project's labels after the import.
    pub labels: Vec<String>,
    /// Documents imported.
    pub documents: usize,
    /// Articles written; the others were there already with the same text.
    pub articles_written: usize,
    /// Entities imported, per label in schema order (labels without any left out).
    pub entities: Vec<(String, usize)>,
    /// What was left out under `--on-error skip`, in source order.
    pub skipped: Vec<ImportProblem>,
}

/// Problems as they are found: the first ends the import under `stop`.
#[derive(Debug)]
struct Problems {
    mode: OnError,
    list: Vec<ImportProblem>,
}

impl Problems {
    fn new(mode: OnError) -> Self {
        Problems { mode, list: Vec::new() }
    }

    /// Records `problem`; under `stop`, returns it as the error that ends the import.
    fn add(&mut self, problem: ImportProblem) -> Result<(), DatasetError> {
        match self.mode {
            OnError::Stop => Err(DatasetError::Import(problem)),
            OnError::Skip => {
                self.list.push(problem);
                Ok(())
            }
        }
    }

    /// A problem with a project file (which has no line).
    fn file(&mut self, path: &Path, message: String) -> Result<(), DatasetError> {
        self.add(ImportProblem { at: Location::new(path, 0), message })
    }
}

/// A document that passed every check, ready to be written.
struct Planned {
    /// Where the article goes.
    article: PathBuf,
    /// Whether the article is already there with this text.
    reuse: bool,
    text: String,
    /// Where the annotation goes, and what it holds.
    path: PathBuf,
    annotation: AnnotationFile,
    /// The edits that make `annotation` of the file as it is (for the merging save).
    edits: Vec<SpanEdit>,
    /// The (empty) annotation file there now: its fingerprint and bytes.
    before: Option<(Fingerprint, Vec<u8>)>,
    /// Whether the file holds `annotation` already (a retry after a failure).
    done: bool,
}

/// Imports `options.source` into `options.into`; see the module doc for what is written.
///
/// All or nothing: when writing fails, what was written is undone ([`write`]), and a retry
/// works. A source with no document to import is an error, as is a source document holding
/// control characters (other than tab and line breaks).
pub fn import(options: &ImportOptions) -> Result<ImportReport, DatasetError> {
    validate_annotator(&options.annotator).map_err(|e| DatasetError::Option(format!("--as: {e}")))?;
    let mut problems = Problems::new(options.on_error);
    let source = read::read(options, &mut problems)?;
    if source.documents.is_empty() {
        return Err(nothing_to_import(options, &problems, "no document could be read from it"));
    }
    let existing = options.into.join(CONFIG_FILE_NAME).is_file();
    let (project, cut_short) = if existing {
        let mut project = Project::open(&options.into)?;
        if let Some(named) = &options.labels {
            project.config.schema = named_schema_within(&project.config.schema, named)?;
        }
        (project, HashSet::new())
    } else {
        new_project(&options.into, &source, options)
    };
    let planned = plan(&project, source.documents, options, &cut_short, &mut problems)?;
    if planned.is_empty() {
        return Err(nothing_to_import(options, &problems, "every document was left out"));
    }
    let entities = count_labels(&project.config.schema, &planned);
    let tx = write::Transaction::default();
    let written = write::write_all(&planned, &tx).and_then(|written| {
        if !existing {
            let config = options.into.join(CONFIG_FILE_NAME);
            project.config.save(&config)?;
        }
        Ok(written)
    });
    let written = match written {
        Ok(written) => written,
        Err(error) => {
            tx.roll_back();
            return Err(error);
        }
    };
    let project = if existing { Project::open(&options.into)? } else { project };
    Ok(ImportReport {
        root: options.into.clone(),
        created: !existing,
        annotator: options.annotator.clone(),
        labels: project.config.schema.labels.iter().map(|l| l.name.clone()).collect(),
        documents: planned.len(),
        articles_written: written,
        entities,
        skipped: problems.list,
    })
}

/// The error of an import that has nothing to write, naming the source and the first problem.
fn nothing_to_import(options: &ImportOptions, problems: &Problems, why: &str) -> DatasetError {
    let first = problems.list.first().map(|p| format!(" (the first problem: {p})")).unwrap_or_default();
    let message = format!("nothing to import: {why}{first}; nothing was written");
    DatasetError::Format(FormatError::Invalid { at: Location::new(&options.source, 0), message })
}

/// The labels of `schema` named by `--labels`, in the order named; a name not in it is an error.
fn named_schema_within(schema: &Schema, named: &[String]) -> Result<Schema, DatasetError> {
    let known: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
    let labels = named
        .iter()
        .map(|name| {
            schema
                .label(name)
                .cloned()
                .ok_or_else(|| DatasetError::Option(format!("--labels {name}: not a label of the project ({}); add it to tawsim.ron first", known.join(", "))))
        })
        .collect::<Result<Vec<Label>, DatasetError>>()?;
    Ok(Schema { labels })
}

/// Labels found in a source that look cut short: a strict prefix of another label it has (`L`
/// beside `LOC`, as a truncated line `موسكو B-L` makes).
fn cut_short_labels(found: &[&str]) -> HashSet<String> {
    found.iter().filter(|l| found.iter().any(|other| other.len() > l.len() && other.starts_with(**l))).map(|l| (*l).to_owned()).collect()
}

/// The project an import into a folder without `tawsim.ron` makes, in memory: the labels named
/// (`--labels`) or else found (less those that look cut short, returned apart), and for CoNLL
/// the export settings that give its tokens and sentences back.
fn new_project(root: &Path, source: &read::Source, options: &ImportOptions) -> (Project, HashSet<String>) {
    let mut found: Vec<&str> = source.declared_labels.iter().map(String::as_str).collect();
    for span in source.documents.iter().flat_map(|d| &d.spans) {
        if !found.contains(&span.label.as_str()) {
            found.push(&span.label);
        }
    }
    let (schema, cut_short) = match &options.labels {
        Some(named) => (schema_for(&named.iter().map(String::as_str).collect::<Vec<_>>(), false), HashSet::new()),
        None => {
            let cut_short = if source.declared_labels.is_empty() { cut_short_labels(&found) } else { HashSet::new() };
            found.retain(|l| !cut_short.contains(*l));
            (schema_for(&found, source.declared_labels.is_empty()), cut_short)
        }
    };
    let export = match options.format {
        ImportFormat::Conll => ExportDefaults { tokenize: Some(ExportTokenize::Whitespace), sentences: Some(ExportSentences::Lines) },
        _ => ExportDefaults::default(),
    };
    let name = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_owned()).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let config = ProjectConfig { name, schema, export, ..ProjectConfig::default() };
    (Project::in_memory(root, config), cut_short)
}

/// A schema of `found` labels: ANERcorp's keep their colours, hotkeys and descriptions (and, when
/// `anercorp_order`, come first in ANERcorp's order); the others get distinct colours and the
/// free digit keys. Names that could not be a label (empty, with spaces) are left out, so their
/// spans are reported as not in the schema.
pub fn schema_for(found: &[&str], anercorp_order: bool) -> Schema {
    let anercorp = Schema::anercorp();
    let usable = |name: &&str| !name.is_empty() && !name.contains(|c: char| c.is_whitespace() || c.is_control());
    let mut names: Vec<&str> = Vec::new();
    if anercorp_order {
        names.extend(anercorp.labels.iter().map(|l| l.name.as_str()).filter(|n| found.contains(n)));
    }
    for name in found.iter().copied().filter(usable) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let mut labels: Vec<Label> = Vec::new();
    let mut others = 0;
    for name in names {
        let label = match anercorp.label(name) {
            Some(known) => known.clone(),
            None => {
                others += 1;
                Label::new(name, distinct_colour(others - 1), None, "")
            }
        };
        labels.push(label);
    }
    for i in 0..labels.len() {
        if labels[i].hotkey.is_none() {
            let free = ('1'..='9').find(|k| labels.iter().all(|l| l.hotkey != Some(*k)));
            labels[i].hotkey = free;
        }
    }
    Schema { labels }
}

/// Colours for labels ANERcorp does not have, chosen away from its four hues (blue, green,
/// orange, violet) and from each other, light enough to read black text on.
const PALETTE: [[u8; 3]; 7] = [
    [0xff, 0xb3, 0xd9], // pink
    [0x8f, 0xe3, 0xd6], // teal
    [0xf5, 0xe1, 0x7a], // yellow
    [0xff, 0x9e, 0x9e], // salmon
    [0xd2, 0xf0, 0x8c], // lime
    [0xc7, 0xc7, 0xff], // periwinkle
    [0xe0, 0xc0, 0x9a], // sand
];

/// The `index`-th colour for a label ANERcorp does not have: the palette, then hues a golden
/// angle apart (so any number of further labels stay apart from one another).
fn distinct_colour(index: usize) -> [u8; 3] {
    if let Some(colour) = PALETTE.get(index) {
        return *colour;
    }
    let hue = ((index - PALETTE.len()) as f64 * 137.507_764) % 360.0;
    let (s, l) = (0.65, 0.78);
    let c = (1.0 - (2.0 * l - 1.0f64).abs()) * s;
    let x = c * (1.0 - ((hue / 60.0) % 2.0 - 1.0).abs());
    let (r, g, b) = match (hue / 60.0) as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    [r, g, b].map(|v| ((v + m) * 255.0).round() as u8)
}

/// The first control character of `text` other than tab and line breaks: its char offset and
/// 1-based line and column in the text.
fn control_char(text: &str) -> Option<(char, usize, usize)> {
    let (mut line, mut column) = (1, 0);
    for c in text.chars() {
        column += 1;
        if c == '\n' {
            (line, column) = (line + 1, 0);
        } else if c.is_control() && !matches!(c, '\t' | '\r') {
            return Some((c, line, column));
        }
    }
    None
}

/// Checks every document against the project and decides its article: the existing article with
/// the same text when there is one (whatever the source calls the document), else one named by
/// the document's id; what fails goes to `problems`.
fn plan(
    project: &Project,
    documents: Vec<SourceDocument>,
    options: &ImportOptions,
    cut_short: &HashSet<String>,
    problems: &mut Problems,
) -> Result<Vec<Planned>, DatasetError> {
    let source_name = options.source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| options.source.display().to_string());
    let stem = options.source.file_stem().map(|n| n.to_string_lossy().into_owned()).filter(|s| safe_name(s).is_some()).unwrap_or_else(|| "document".to_owned());
    let schema = &project.config.schema;
    let by_text = articles_by_text(project);
    let mut taken: HashMap<String, Location> = HashMap::new();
    let mut planned = Vec::new();
    for (index, doc) in documents.into_iter().enumerate() {
        if doc.text.is_empty() {
            problems.add(ImportProblem { at: doc.origin, message: "the document's text is empty".to_owned() })?;
            continue;
        }
        if let Some((c, line, column)) = control_char(&doc.text) {
            let message = format!("the document's text holds the control character U+{:04X} (its line {line}, column {column}); articles are text", c as u32);
            problems.add(ImportProblem { at: doc.origin, message })?;
            continue;
        }
        let sha = sha256_hex(&doc.text);
        let same_text = by_text.get(&sha);
        let rel = match (same_text, doc.id.as_deref().and_then(safe_name)) {
            (Some(article), _) => article.rel.clone(),
            (None, Some(name)) => name,
            (None, None) => format!("{stem}-{:04}.txt", index + 1),
        };
        if let Some(first) = taken.get(&rel) {
            let message = format!("this document would be corpus article {rel}, as is the one at {first}");
            problems.add(ImportProblem { at: doc.origin, message })?;
            continue;
        }
        taken.insert(rel.clone(), doc.origin.clone());
        let chars: Vec<char> = doc.text.chars().collect();
        let mut spans = Vec::with_capacity(doc.spans.len());
        for (i, span) in doc.spans.iter().enumerate() {
            match check_span(span, &chars, schema) {
                Ok(range) => {
                    let text: String = chars[range.clone()].iter().collect();
                    let origin = Origin::Imported { source: source_name.clone() };
                    let id = spans.len() as u64 + 1;
                    let state = doc.states.get(i).copied().unwrap_or(SpanState::Accepted);
                    spans.push(Span { origin, state, ..Span::manual(id, range, &span.label, &text) });
                }
                Err(reason) => {
                    let reason = match reason {
                        SkipReason::UnknownLabel(label) if cut_short.contains(&label) => format!(
                            "label {label:?} looks cut short (the source also has labels that start with it); name the labels to import it, e.g. --labels {}",
                            schema.labels.iter().map(|l| l.name.as_str()).chain([label.as_str()]).collect::<Vec<_>>().join(",")
                        ),
                        other => other.to_string(),
                    };
                    let message = match (&doc.id, span.line) {
                        (Some(id), 0) => format!("document {id:?}: {reason}"),
                        _ => reason,
                    };
                    let at = Location::new(&doc.origin.path, span.line);
                    problems.add(ImportProblem { at, message })?;
                }
            }
        }
        let article = project.corpus_dir().join(&rel);
        let writable = project.check_writable(&article).and_then(|()| project.check_readable(&article));
        if let Err(e) = writable {
            problems.file(&article, format!("{e} (document at {})", doc.origin))?;
            continue;
        }
        let reuse = match read_article(&article) {
            Ok(existing) if existing.text == doc.text => true,
            Ok(_) => {
                let message = format!("a different article of this name is in the corpus; not overwritten (document at {})", doc.origin);
                problems.file(&article, message)?;
                continue;
            }
            Err(crate::store::ArticleError::Unreadable { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => {
                problems.file(&article, format!("{e}; not overwritten (document at {})", doc.origin))?;
                continue;
            }
        };
        let path = project.annotation_path(&options.annotator, &rel).map_err(|e| DatasetError::Option(e.to_string()))?;
        if let Err(e) = project.check_writable(&path) {
            problems.file(&path, format!("{e} (document at {})", doc.origin))?;
            continue;
        }
        let document = same_text.map_or_else(|| project.display_path(&article), |a| a.document.clone());
        let mut annotation = AnnotationFile::new(&document, &sha, &options.annotator);
        annotation.status = doc.status.unwrap_or(DocStatus::Done);
        annotation.next_id = spans.len() as u64 + 1;
        annotation.spans = spans;
        annotation.sort_spans();
        let (before, done) = match load_annotation(&path) {
            Ok(Some((old, _))) if old == annotation => (None, true),
            Ok(Some((old, _))) if !old.spans.is_empty() => {
                let message = format!("already holds {} span(s) of {}; not overwritten (document at {})", old.spans.len(), options.annotator, doc.origin);
                problems.file(&path, message)?;
                continue;
            }
            Ok(Some((old, print))) => match std::fs::read(&path) {
                Ok(bytes) => {
                    annotation.status = doc.status.unwrap_or(DocStatus::Done);
                    annotation.next_id = annotation.next_id.max(old.next_id);
                    (Some((print, bytes, old.status)), false)
                }
                Err(e) => return Err(DatasetError::io(&path, e)),
            },
            Ok(None) => (None, false),
            Err(e) => {
                problems.file(&path, format!("{e}; not overwritten"))?;
                continue;
            }
        };
        let was = before.as_ref().map_or(DocStatus::New, |(_, _, status)| *status);
        let mut edits: Vec<SpanEdit> = annotation.spans.iter().cloned().map(SpanEdit::Add).collect();
        edits.push(SpanEdit::SetStatus { before: was, after: annotation.status });
        let before = before.map(|(print, bytes, _)| (print, bytes));
        planned.push(Planned { article, reuse, text: doc.text, path, annotation, edits, before, done });
    }
    Ok(planned)
}

/// The project's articles by the SHA-256 of their text (the first of several with one text).
fn articles_by_text(project: &Project) -> HashMap<String, &crate::store::Article> {
    let mut found = HashMap::new();
    for article in &project.articles {
        if let Ok(text) = read_article(&article.path) {
            found.entry(text.sha256).or_insert(article);
        }
    }
    found
}

/// Entities per label of the schema, labels without any left out.
fn count_labels(schema: &Schema, planned: &[Planned]) -> Vec<(String, usize)> {
    schema
        .labels
        .iter()
        .map(|l| {
            let n = planned.iter().flat_map(|p| &p.annotation.spans).filter(|s| s.label == l.name).count();
            (l.name.clone(), n)
        })
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// The corpus-relative article path for a document id, when the id is a safe relative path:
/// forward slashes, no empty, `.`, `..` or hidden parts, no characters file systems refuse. A
/// leading `corpus/` and a trailing `.txt` are dropped first ([`brat_stem`]), then `.txt` is
/// added.
fn safe_name(id: &str) -> Option<String> {
    // The same stem a brat export names the document's files by.
    let stem = brat_stem(id);
    let id = stem.to_str()?;
    let part_ok = |part: &str| {
        !part.is_empty()
            && !part.starts_with('.')
            && part.trim() == part
            && part.chars().count() <= 100
            && !part.chars().any(|c| c.is_control() || "\\:*?\"<>|".contains(c))
    };
    (id.chars().count() <= 200 && id.split('/').all(part_ok)).then(|| format!("{id}.txt"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_ids_name_articles_and_others_do_not() {
        assert_eq!(safe_name("corpus/london-talks.txt").as_deref(), Some("london-talks.txt"));
        assert_eq!(safe_name("news/aleppo").as_deref(), Some("news/aleppo.txt"));
        assert_eq!(safe_name("17").as_deref(), Some("17.txt"));
        assert_eq!(safe_name("حلب اليوم").as_deref(), Some("حلب اليوم.txt"));
        for bad in ["", "../x", "/etc/passwd", "a//b", ".hidden", "a\\b", "c:x", "x\ny", " x", "a/./b"] {
            assert_eq!(safe_name(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn schemas_keep_anercorp_labels_and_colour_the_others_apart() {
        let schema = schema_for(&["LOC", "GPE", "PERS", "DATE", "bad label", ""], true);
        let names: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["PERS", "LOC", "GPE", "DATE"]);
        assert_eq!(schema.label("LOC"), Schema::anercorp().label("LOC"));
        assert!(schema.faults().is_empty(), "{:?}", schema.faults());
        let colours: std::collections::HashSet<_> = schema.labels.iter().map(|l| l.color).collect();
        assert_eq!(colours.len(), 4);
        assert_eq!(schema.label("GPE").and_then(|l| l.hotkey), Some('3'));
        let many: Vec<String> = (0..30).map(|i| format!("L{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let colours: std::collections::HashSet<_> = schema_for(&many, true).labels.iter().map(|l| l.color).collect();
        assert_eq!(colours.len(), 30, "every label its own colour");
        let declared = schema_for(&["ORG", "PERS"], false);
        let names: Vec<&str> = declared.labels.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["ORG", "PERS"], "a declared order is kept");
    }
}
