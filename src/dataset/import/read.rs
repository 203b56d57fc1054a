//! Reading an import's source into documents with text, through the `formats` readers.

use std::path::Path;

use crate::formats::conll::{self, ConllDocument};
use crate::formats::export::ron_dataset;
use crate::formats::{ExternalSpan, Loaded, Location, brat, jsonl};
use crate::model::{DocStatus, SpanState};

use super::scheme::violations;
use super::{ImportFormat, ImportOptions, ImportProblem, Problems};
use crate::dataset::DatasetError;

/// One document of the source, with its text, before its spans are checked.
#[derive(Debug)]
pub(super) struct SourceDocument {
    /// The id the source gave it, if any.
    pub id: Option<String>,
    /// The article text.
    pub text: String,
    /// Its entities as read, with their lines.
    pub spans: Vec<ExternalSpan>,
    /// Where it starts in the source.
    pub origin: Location,
    /// Its status, when the source keeps one (tawsim's RON datasets do).
    pub status: Option<DocStatus>,
    /// The state of each span, when the source keeps them (tawsim's RON datasets: a rejected
    /// span stays rejected); empty means all accepted.
    pub states: Vec<SpanState>,
}

/// What the source holds.
#[derive(Debug, Default)]
pub(super) struct Source {
    /// Its documents, in source order.
    pub documents: Vec<SourceDocument>,
    /// Labels the source declares beyond those its spans use, in its order (RON datasets).
    pub declared_labels: Vec<String>,
}

/// Reads `options.source`; problems the readers record go to `problems` (which may stop).
///
/// A file that cannot be read at all (missing, not UTF-8, a CoNLL line that is not
/// `token … LABEL`) is an error whatever `--on-error` says: leaving out a CoNLL token would
/// shift every entity after it, and a file in another encoding has nothing right in it.
pub(super) fn read(options: &ImportOptions, problems: &mut Problems) -> Result<Source, DatasetError> {
    let path = options.source.as_path();
    match options.format {
        ImportFormat::Conll => read_conll(path, options, problems),
        ImportFormat::Jsonl => from_loaded(jsonl::read(path)?, "a `text`", problems),
        ImportFormat::Brat => {
            let mut source = from_loaded(brat::read(path)?, "a .txt file beside it", problems)?;
            source.declared_labels = brat_entity_types(path);
            Ok(source)
        }
        ImportFormat::Ron => {
            let dataset = ron_dataset::read(path)?;
            let documents = dataset
                .documents
                .into_iter()
                .map(|doc| SourceDocument {
                    states: doc.spans.iter().map(|s| s.state).collect(),
                    spans: doc
                        .spans
                        .into_iter()
                        .map(|s| ExternalSpan {
                            start: s.start,
                            end: s.end,
                            text: (!s.text.is_empty()).then_some(s.text),
                            label: s.label,
                            score: None,
                            line: 0,
                        })
                        .collect(),
                    id: Some(doc.id),
                    text: doc.text,
                    origin: Location::new(path, 0),
                    status: Some(doc.status),
                })
                .collect();
            Ok(Source { documents, declared_labels: dataset.labels })
        }
    }
}

/// The documents of a JSONL or brat read; a document without text is a problem (`needs` says
/// where the text should have been).
fn from_loaded(loaded: Loaded, needs: &str, problems: &mut Problems) -> Result<Source, DatasetError> {
    for skipped in loaded.skipped {
        problems.add(ImportProblem { at: skipped.at, message: skipped.reason.to_string() })?;
    }
    let mut documents = Vec::new();
    for doc in loaded.documents {
        let Some(text) = doc.text else {
            problems.add(ImportProblem { at: doc.origin, message: format!("the document has no text; an import needs {needs}") })?;
            continue;
        };
        documents.push(SourceDocument { id: doc.id, text, spans: doc.spans, origin: doc.origin, status: doc.status, states: Vec::new() });
    }
    Ok(Source { documents, declared_labels: Vec::new() })
}

/// The entity types the `annotation.conf` of a brat folder (or beside a `.ann` file) declares,
/// in its order: so labels no document uses yet still come into a new project's schema, as they
/// were in the one exported. The `[entities]` section has one type a line (tab-indented under its
/// parent in a hierarchy); `#` comments and `!` abstract types are not labels. A folder without a
/// readable conf declares nothing (brat itself falls back to a default one).
fn brat_entity_types(path: &Path) -> Vec<String> {
    let folder = if path.is_dir() { Some(path) } else { path.parent() };
    let Some(conf) = folder.and_then(|f| std::fs::read_to_string(f.join("annotation.conf")).ok()) else {
        return Vec::new();
    };
    let mut in_entities = false;
    let mut types = Vec::new();
    for line in conf.lines().map(str::trim) {
        if line.starts_with('[') {
            in_entities = line == "[entities]";
        } else if in_entities && !line.is_empty() && !line.starts_with(['#', '!']) {
            types.extend(line.split_whitespace().next().map(str::to_owned));
        }
    }
    types
}

/// The file at `path`, known to be UTF-8 (a reader has decoded it), without a byte-order mark.
fn reread(path: &Path) -> Result<String, DatasetError> {
    let raw = std::fs::read_to_string(path).map_err(|e| DatasetError::io(path, e))?;
    Ok(raw.strip_prefix('\u{feff}').map(str::to_owned).unwrap_or(raw))
}

/// A CoNLL file as articles: one per `-DOCSTART-` document when it has them, otherwise
/// `sentences_per_article` sentences each; an article's text is its sentences' tokens joined by
/// single spaces, one sentence per line, so exporting it with whitespace tokens and line
/// sentences gives the tokens back.
fn read_conll(path: &Path, options: &ImportOptions, problems: &mut Problems) -> Result<Source, DatasetError> {
    let mut documents = conll::read(path)?;
    // The tags and the -DOCSTART- lines are what the parsed documents no longer show.
    let raw = reread(path)?;
    let lines: Vec<&str> = raw.lines().collect();
    for doc in &mut documents {
        check_scheme(doc, &lines, path, options, problems)?;
    }
    let has_docstart = lines.iter().any(|l| l.split_whitespace().next() == Some("-DOCSTART-"));
    let articles: Vec<ConllDocument> =
        if has_docstart { documents } else { documents.iter().flat_map(|doc| in_articles(doc, options.sentences_per_article.max(1))).collect() };
    let mut source = Source::default();
    for article in articles {
        // A control character in a token (a NUL, a stray escape) would end up in the article.
        let control = article.token_lines.iter().find_map(|&line| {
            let raw = lines.get(line - 1)?;
            let (column, c) = raw.chars().enumerate().find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\r'))?;
            Some((line, column + 1, c))
        });
        if let Some((line, column, c)) = control {
            let message = format!("the control character U+{:04X} in a token; articles are text", c as u32);
            problems.add(ImportProblem { at: Location::with_column(path, line, column), message })?;
            continue;
        }
        let mut text = String::new();
        for sentence in &article.sentences {
            text.push_str(&sentence.text().0);
            text.push('\n');
        }
        // Aligning tokens to the text they were joined into cannot miss; it is the reader's one
        // way from token ranges to char offsets (with each entity's line).
        let aligned = article.align(&text, path)?;
        source.documents.push(SourceDocument {
            id: aligned.id,
            text,
            spans: aligned.spans,
            origin: Location::new(path, article.token_lines.first().copied().unwrap_or(article.line)),
            status: None,
            states: Vec::new(),
        });
    }
    Ok(source)
}

/// Checks every sentence of `doc` against `options.scheme`; under `--on-error skip` an entity
/// that breaks it is left out (its tokens become `O`).
fn check_scheme(doc: &mut ConllDocument, lines: &[&str], path: &Path, options: &ImportOptions, problems: &mut Problems) -> Result<(), DatasetError> {
    let mut first = 0;
    for sentence in &mut doc.sentences {
        let token_lines = &doc.token_lines[first..first + sentence.tokens.len()];
        first += sentence.tokens.len();
        let tags: Vec<&str> = token_lines
            .iter()
            .map(|&line| {
                let mut columns = lines.get(line - 1).copied().unwrap_or_default().split([' ', '\t']);
                columns.rfind(|c| !c.is_empty()).unwrap_or("O")
            })
            .collect();
        for (token, message) in violations(&tags, options.scheme) {
            problems.add(ImportProblem { at: Location::new(path, token_lines[token]), message })?;
            sentence.entities.retain(|(range, _)| !range.contains(&token));
        }
    }
    Ok(())
}

/// `doc` cut into articles of `size` sentences, each starting at its first token's line.
fn in_articles(doc: &ConllDocument, size: usize) -> Vec<ConllDocument> {
    let mut articles = Vec::new();
    let mut first = 0;
    for sentences in doc.sentences.chunks(size) {
        let tokens: usize = sentences.iter().map(|s| s.tokens.len()).sum();
        let token_lines = doc.token_lines[first..first + tokens].to_vec();
        first += tokens;
        articles.push(ConllDocument { id: None, line: token_lines.first().copied().unwrap_or(doc.line), sentences: sentences.to_vec(), token_lines });
    }
    articles
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::dataset::import::{OnError, Scheme};

    /// Reads `conll` (written to `t.conll` in a temporary folder) as an import would, two
    /// sentences an article; the read, what was recorded, and the file's path.
    fn read_conll_text(conll: &str, scheme: Scheme, on_error: OnError) -> (Result<Source, DatasetError>, Problems, PathBuf, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("t.conll");
        std::fs::write(&path, conll).expect("write");
        let options = ImportOptions { sentences_per_article: 2, scheme, on_error, ..ImportOptions::new(ImportFormat::Conll, &path, Path::new("unused")) };
        let mut problems = Problems::new(on_error);
        let source = read(&options, &mut problems);
        (source, problems, path, dir)
    }

    #[test]
    fn conll_sentences_become_lines_of_articles() {
        let conll = "جون B-PERS\nكيري I-PERS\nفي O\n\nموسكو B-LOC\n\n(د O\nب O\n\nحلب B-LOC\n";
        let (source, _, path, _dir) = read_conll_text(conll, Scheme::Iob1, OnError::Stop);
        let source = source.expect("reads");
        let texts: Vec<&str> = source.documents.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(texts, ["جون كيري في\nموسكو\n", "(د ب\nحلب\n"]);
        let spans: Vec<(usize, usize, &str, usize)> = source.documents[0].spans.iter().map(|s| (s.start, s.end, s.label.as_str(), s.line)).collect();
        assert_eq!(spans, [(0, 8, "PERS", 1), (12, 17, "LOC", 5)]);
        assert_eq!(source.documents[1].origin, Location::new(&path, 7));
    }

    #[test]
    fn brat_confs_declare_entity_types() {
        let dir = tempfile::tempdir().expect("temp dir");
        let conf = "# types\n[entities]\nPERS\n!Place\n\tLOC\n\n[relations]\nLives Arg1:PERS, Arg2:LOC\n";
        std::fs::write(dir.path().join("annotation.conf"), conf).expect("write");
        assert_eq!(brat_entity_types(dir.path()), ["PERS", "LOC"]);
        assert_eq!(brat_entity_types(&dir.path().join("a.ann")), ["PERS", "LOC"]);
        assert!(brat_entity_types(&dir.path().join("none/a.ann")).is_empty());
    }

    #[test]
    fn docstart_documents_stay_whole_and_keep_their_ids() {
        let conll = "-DOCSTART- aleppo\nحلب B-LOC\n\nو O\n\nدمشق B-LOC\n\n-DOCSTART- -X- O\nكيري B-PERS\n";
        let source = read_conll_text(conll, Scheme::Iob1, OnError::Stop).0.expect("reads");
        let docs: Vec<(Option<&str>, &str)> = source.documents.iter().map(|d| (d.id.as_deref(), d.text.as_str())).collect();
        assert_eq!(docs, [(Some("aleppo"), "حلب\nو\nدمشق\n"), (None, "كيري\n")]);
    }

    #[test]
    fn a_scheme_violation_stops_or_drops_its_entity() {
        let conll = "في O\nحلب I-LOC\nو O\nدمشق B-LOC\n";
        let (source, _, path, _dir) = read_conll_text(conll, Scheme::Iob2, OnError::Stop);
        let err = source.unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("{}:2: I-LOC without B-LOC (IOB2); nothing was written (--on-error skip leaves such spans and documents out)", path.display())
        );
        let (source, problems, _, _dir) = read_conll_text(conll, Scheme::Iob2, OnError::Skip);
        let source = source.expect("reads");
        assert_eq!(problems.list.len(), 1);
        assert_eq!(source.documents[0].spans.len(), 1, "only دمشق is left");
        assert_eq!((source.documents[0].spans[0].start, source.documents[0].spans[0].line), (9, 4));
    }
}
