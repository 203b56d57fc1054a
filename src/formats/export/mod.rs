//! Writing gold data for training tools: a RON dataset, JSONL (spaCy/Prodigy), CoNLL (IOB2),
//! BIOES, brat standoff and Hugging Face token classification.
//!
//! [`open_writer`] gives a [`DocumentWriter`] that takes one [`LabelledDocument`] at a time and
//! writes it out at once, so an export of any size holds one document in memory. Every writer
//! says what its format could not hold as it was (a span widened to whole tokens, a nested span
//! dropped from flat CoNLL, a span outside its text) as an [`ExportNote`]: nothing changes
//! silently. The token-level formats share one tokenizer and one mapping of spans onto tokens,
//! [`tokens`], whose module documentation states the rules.

#![warn(missing_docs)]

pub mod brat;
pub mod conll;
pub mod hf;
mod json;
pub mod jsonl;
pub mod ron_dataset;
pub mod tokens;

use std::cell::OnceCell;
use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::model::{CharIndex, LabelledDocument, Span, SpanState};

/// A file format an export can write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// The whole corpus in one RON file, spans with their provenance.
    Ron,
    /// One JSON object per article, spaCy/Prodigy style, with tokens.
    Jsonl,
    /// CoNLL with IOB2 tags, one token per line.
    Conll,
    /// CoNLL with BIOES tags, one token per line.
    Bioes,
    /// brat standoff: a folder of `.txt` and `.ann` pairs.
    Brat,
    /// Hugging Face token classification: JSONL, one sentence per line, integer tags.
    Hf,
}

impl ExportFormat {
    /// Every format, in the order menus list them.
    pub const ALL: [ExportFormat; 6] = [ExportFormat::Ron, ExportFormat::Jsonl, ExportFormat::Conll, ExportFormat::Bioes, ExportFormat::Brat, ExportFormat::Hf];

    /// The name the CLI and configuration use for it.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Ron => "ron",
            ExportFormat::Jsonl => "jsonl",
            ExportFormat::Conll => "conll",
            ExportFormat::Bioes => "bioes",
            ExportFormat::Brat => "brat",
            ExportFormat::Hf => "hf",
        }
    }

    /// The extension of its data file (of the `.ann` files for brat).
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Ron => "ron",
            ExportFormat::Jsonl | ExportFormat::Hf => "jsonl",
            ExportFormat::Conll | ExportFormat::Bioes => "conll",
            ExportFormat::Brat => "ann",
        }
    }

    /// True when the export is a folder rather than one file (brat).
    pub fn writes_folder(self) -> bool {
        self == ExportFormat::Brat
    }

    /// One line for menus and `--help`.
    pub fn describe(self) -> &'static str {
        match self {
            ExportFormat::Ron => "RON dataset, the whole corpus with provenance (one file)",
            ExportFormat::Jsonl => "JSONL, one article per line with spans and tokens (spaCy, Prodigy)",
            ExportFormat::Conll => "CoNLL, IOB2 tags (one token per line)",
            ExportFormat::Bioes => "CoNLL, BIOES tags (one token per line)",
            ExportFormat::Brat => "brat standoff, a folder of .txt and .ann files",
            ExportFormat::Hf => "Hugging Face token classification, one sentence per line",
        }
    }
}

impl fmt::Display for ExportFormat {
    /// The format's [`name`](ExportFormat::name).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ExportFormat {
    type Err = String;

    /// The format named `s` (as [`ExportFormat::name`] spells it, any case).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ExportFormat::ALL.into_iter().find(|f| f.name().eq_ignore_ascii_case(s.trim())).ok_or_else(|| {
            let names: Vec<&str> = ExportFormat::ALL.iter().map(|f| f.name()).collect();
            format!("unknown export format {s:?}; expected one of {}", names.join(", "))
        })
    }
}

/// How the token-level formats cut text into tokens.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Tokenization {
    /// Words, numbers and punctuation marks (see [`tokens`]).
    #[default]
    Words,
    /// Exactly the whitespace-separated pieces, for text that is already tokenized.
    Whitespace,
}

/// Where the token-level formats end sentences.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SentenceSplit {
    /// At line breaks and after sentence-final punctuation (`.` `!` `?` `؟` `…`).
    #[default]
    Punctuation,
    /// At line breaks only: each line (paragraph) is a sentence.
    Lines,
}

/// Tokenization settings shared by the token-level formats and the export preview.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TokenOptions {
    /// How text is cut into tokens.
    pub tokenize: Tokenization,
    /// Where sentences end.
    pub sentences: SentenceSplit,
    /// Whether proclitics (و ف ب ل ك) become tokens of their own (`وروسيا` → `و` `روسيا`).
    pub split_clitics: bool,
}

/// Something a format could not hold as it was, and what was done instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportNote {
    /// The document's id.
    pub document: String,
    /// Char offset in the document the note is about (a span's start).
    pub offset: usize,
    /// What changed, e.g. `LOC «روسيا» widened to the token «وروسيا»`.
    pub message: String,
}

impl fmt::Display for ExportNote {
    /// `document:offset: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.document, self.offset, self.message)
    }
}

/// A writer of one export, fed one document at a time.
pub trait DocumentWriter: Send {
    /// Writes one document; adds a note for everything the format could not hold as it is, and
    /// returns which of its spans (indices into `doc.spans`) were written as entities, so counts
    /// say what the file holds.
    fn write(&mut self, doc: &LabelledDocument, notes: &mut Vec<ExportNote>) -> Result<Vec<usize>, ExportError>;
    /// Flushes and closes what it wrote.
    fn finish(&mut self) -> Result<(), ExportError>;
}

/// Opens a writer of `format` at `out`.
///
/// `out` is the data file (a folder for brat); `labels` the label names in schema order (the RON
/// header, the Hugging Face tag numbers and brat's `annotation.conf` list them). Parent folders
/// are created.
pub fn open_writer(format: ExportFormat, out: &Path, labels: &[String], options: &TokenOptions) -> Result<Box<dyn DocumentWriter>, ExportError> {
    Ok(match format {
        ExportFormat::Ron => Box::new(ron_dataset::RonWriter::create(out, labels)?),
        ExportFormat::Jsonl => Box::new(jsonl::JsonlWriter::create(out, options)?),
        ExportFormat::Conll => Box::new(conll::ConllWriter::create(out, options, tokens::TagScheme::Iob2)?),
        ExportFormat::Bioes => Box::new(conll::ConllWriter::create(out, options, tokens::TagScheme::Bioes)?),
        ExportFormat::Brat => Box::new(brat::BratWriter::create(out, labels)?),
        ExportFormat::Hf => Box::new(hf::HfWriter::create(out, labels, options)?),
    })
}

/// An export that could not be written; every variant names the file or folder.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Creating, writing or flushing a file or folder failed.
    #[error("{}: cannot write: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// A document could not be put into the format.
    #[error("{}: cannot write document {document:?}: {message}", path.display())]
    Encode {
        /// The file being written.
        path: PathBuf,
        /// The document's id.
        document: String,
        /// What went wrong.
        message: String,
    },
    /// A document id that cannot name a file inside the export folder (brat).
    #[error("{}: document id {id:?} cannot name a file here: {reason}", path.display())]
    BadId {
        /// The export folder.
        path: PathBuf,
        /// The document's id.
        id: String,
        /// Why not.
        reason: String,
    },
    /// A document was given after [`DocumentWriter::finish`].
    #[error("{}: already finished; nothing more can be written to it", path.display())]
    Finished {
        /// The file.
        path: PathBuf,
    },
}

impl ExportError {
    /// An I/O error on `path`.
    pub fn io(path: &Path, source: io::Error) -> Self {
        ExportError::Io { path: path.to_owned(), source }
    }
}

/// One output file, buffered, whose errors name it.
pub(crate) struct Output {
    path: PathBuf,
    file: Option<BufWriter<File>>,
}

impl Output {
    /// Creates (or truncates) `path`, and its parent folders.
    pub(crate) fn create(path: &Path) -> Result<Output, ExportError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| ExportError::io(parent, e))?;
        }
        let file = File::create(path).map_err(|e| ExportError::io(path, e))?;
        Ok(Output {
            path: path.to_owned(),
            // Documents are handed over whole, so a large buffer mostly passes them straight on.
            file: Some(BufWriter::with_capacity(1 << 16, file)),
        })
    }

    /// Appends `bytes`.
    pub(crate) fn write(&mut self, bytes: &[u8]) -> Result<(), ExportError> {
        let file = self.file.as_mut().ok_or_else(|| ExportError::Finished { path: self.path.clone() })?;
        file.write_all(bytes).map_err(|e| ExportError::io(&self.path, e))
    }

    /// Flushes and closes the file; later calls do nothing.
    pub(crate) fn finish(&mut self) -> Result<(), ExportError> {
        match self.file.take() {
            Some(file) => file.into_inner().map_err(|e| ExportError::io(&self.path, e.into_error()))?.sync_all().map_err(|e| ExportError::io(&self.path, e)),
            None => Ok(()),
        }
    }

    /// An encoding error for `document` in this file.
    pub(crate) fn encode_error(&self, document: &str, message: impl fmt::Display) -> ExportError {
        ExportError::Encode { path: self.path.clone(), document: document.to_owned(), message: message.to_string() }
    }
}

/// One document being written: its text with a char index built on first use, for notes and
/// span texts.
pub(crate) struct DocContext<'d> {
    doc: &'d LabelledDocument,
    len: usize,
    index: OnceCell<CharIndex<'d>>,
}

impl<'d> DocContext<'d> {
    /// Starts on `doc`.
    pub(crate) fn new(doc: &'d LabelledDocument) -> Self {
        DocContext { doc, len: doc.text.chars().count(), index: OnceCell::new() }
    }

    /// The document.
    pub(crate) fn doc(&self) -> &'d LabelledDocument {
        self.doc
    }

    /// Length of the text in chars.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    fn index(&self) -> &CharIndex<'d> {
        self.index.get_or_init(|| CharIndex::new(&self.doc.text))
    }

    /// Byte range of the char range `range` (clamped to the text).
    pub(crate) fn bytes(&self, range: Range<usize>) -> Range<usize> {
        let end_byte = self.doc.text.len();
        let byte = |c: usize| self.index().byte_offset(c.min(self.len)).unwrap_or(end_byte);
        byte(range.start)..byte(range.end.max(range.start))
    }

    /// The text between char offsets `range` (clamped to the text).
    pub(crate) fn slice(&self, range: Range<usize>) -> &'d str {
        let bytes = self.bytes(range);
        self.doc.text.get(bytes).unwrap_or("")
    }

    /// `LABEL «text»`, how notes name a span.
    pub(crate) fn describe(&self, span: &Span) -> String {
        format!("{} «{}»", span.label, self.slice(span.range()))
    }

    /// Adds a note about this document at char `offset`.
    pub(crate) fn note(&self, notes: &mut Vec<ExportNote>, offset: usize, message: String) {
        notes.push(ExportNote { document: self.doc.id.clone(), offset, message });
    }

    /// Indices of the accepted spans that lie inside the text, sorted by (start, end, id), into
    /// `out`; notes the others, since a writer can do nothing with them.
    pub(crate) fn usable_spans(&self, notes: &mut Vec<ExportNote>, out: &mut Vec<usize>) {
        out.clear();
        for (i, span) in self.doc.spans.iter().enumerate() {
            if span.state != SpanState::Accepted {
                let message = format!("{} left out: it is {:?}, not accepted", self.describe(span), span.state);
                self.note(notes, span.start, message);
            } else if span.start >= span.end || span.end > self.len {
                let message = format!("{} span {}..{} left out: not a range inside the text ({} chars)", span.label, span.start, span.end, self.len);
                self.note(notes, span.start, message);
            } else {
                out.push(i);
            }
        }
        let spans = &self.doc.spans;
        out.sort_by_key(|&i| spans[i].sort_key());
    }
}

#[cfg(test)]
pub(crate) mod test_docs {
    //! Small Arabic documents the writers' tests share.

    use crate::model::{DocStatus, LabelledDocument, Origin, Span};

    /// A span of `label` over the first occurrence of `needle` in `text` (at or after char
    /// `from`).
    pub(crate) fn span_of(id: u64, text: &str, needle: &str, from: usize, label: &str) -> Span {
        let chars: Vec<char> = text.chars().collect();
        let want: Vec<char> = needle.chars().collect();
        let start = (from..=chars.len() - want.len()).find(|&i| chars[i..i + want.len()] == want[..]).unwrap_or_else(|| panic!("{needle:?} not in {text:?}"));
        Span::manual(id, start..start + want.len(), label, needle)
    }

    /// A document with `spans` given as (needle, label), each looked for after the previous one's
    /// start.
    pub(crate) fn doc(id: &str, text: &str, spans: &[(&str, &str)]) -> LabelledDocument {
        let mut from = 0;
        let mut out = Vec::new();
        for (i, (needle, label)) in spans.iter().enumerate() {
            let span = span_of(i as u64 + 1, text, needle, from, label);
            from = span.start;
            out.push(span);
        }
        out.sort_by_key(Span::sort_key);
        LabelledDocument { id: id.to_owned(), text: text.to_owned(), spans: out, annotator: "gold".to_owned(), status: DocStatus::Reviewed }
    }

    /// The glued words, a proclitic, digits and Latin: `دمشق|و|موسكو`, `و|روسيا`, `2254`, `CNN`.
    pub(crate) fn glued() -> LabelledDocument {
        doc(
            "corpus/a.txt",
            "فرضت عقوبات على دمشقوموسكو وروسيا. قال CNN إن القرار 2254 نافذ.",
            &[("دمشق", "LOC"), ("موسكو", "LOC"), ("روسيا", "LOC"), ("CNN", "ORG"), ("2254", "MISC")],
        )
    }

    /// A nested pair: `مجلس الأمن` inside a longer ORG, and a span ending inside a token.
    pub(crate) fn nested() -> LabelledDocument {
        let mut doc = doc(
            "corpus/sub/b.txt",
            "اجتمع مجلس الأمن الدولي في نيويورك.\nوصرح كيري",
            &[("مجلس الأمن الدولي", "ORG"), ("مجلس الأمن", "ORG"), ("نيويور", "LOC"), ("كيري", "PERS")],
        );
        doc.spans[3].origin = Origin::Proposed { source: "gazetteer".to_owned(), score: 0.92 };
        doc
    }

    /// An article with no text.
    pub(crate) fn empty() -> LabelledDocument {
        doc("corpus/empty.txt", "", &[])
    }

    /// Writes `docs` in `format` to `path` with the test labels, finishing twice (the second
    /// must do nothing); the notes as text.
    pub(crate) fn write_to(format: super::ExportFormat, path: &std::path::Path, docs: &[LabelledDocument], options: &super::TokenOptions) -> Vec<String> {
        let mut writer = super::open_writer(format, path, &labels(), options).expect("opens");
        let mut notes = Vec::new();
        for doc in docs {
            writer.write(doc, &mut notes).expect("writes");
        }
        writer.finish().expect("finishes");
        writer.finish().expect("finishes again");
        notes.iter().map(ToString::to_string).collect()
    }

    /// What `format` writes for `docs` (the file's text), and its notes as text.
    pub(crate) fn export(format: super::ExportFormat, docs: &[LabelledDocument], options: &super::TokenOptions) -> (String, Vec<String>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out");
        let notes = write_to(format, &path, docs, options);
        let text = std::fs::read_to_string(&path).expect("reads back");
        (text, notes)
    }

    /// The labels of the tests, in schema order.
    pub(crate) fn labels() -> Vec<String> {
        ["PERS", "LOC", "ORG", "MISC"].map(str::to_owned).to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_named_and_parsed_back() {
        for format in ExportFormat::ALL {
            assert_eq!(format.name().parse::<ExportFormat>(), Ok(format));
            assert_eq!(format.to_string(), format.name());
            assert!(!format.describe().is_empty());
        }
        assert_eq!("CoNLL".parse::<ExportFormat>(), Ok(ExportFormat::Conll));
        let err = "iob".parse::<ExportFormat>().unwrap_err();
        assert_eq!(err, "unknown export format \"iob\"; expected one of ron, jsonl, conll, bioes, brat, hf");
        let extensions: Vec<&str> = ExportFormat::ALL.iter().map(|f| f.extension()).collect();
        assert_eq!(extensions, ["ron", "jsonl", "conll", "conll", "ann", "jsonl"]);
        let folders: Vec<bool> = ExportFormat::ALL.iter().map(|f| f.writes_folder()).collect();
        assert_eq!(folders, [false, false, false, false, true, false]);
    }

    #[test]
    fn notes_read_as_document_offset_message() {
        let note = ExportNote { document: "corpus/a.txt".into(), offset: 120, message: "LOC «روسيا» widened to the token «وروسيا»".into() };
        assert_eq!(note.to_string(), "corpus/a.txt:120: LOC «روسيا» widened to the token «وروسيا»");
    }

    #[test]
    fn spans_outside_the_text_or_not_accepted_are_noted() {
        let mut doc = test_docs::doc("x", "زار كيري موسكو", &[("كيري", "PERS"), ("موسكو", "LOC")]);
        doc.spans.push(Span::manual(3, 12..20, "LOC", ""));
        doc.spans.push(Span::manual(4, 5..5, "LOC", ""));
        doc.spans[1].state = SpanState::Pending;
        let ctx = DocContext::new(&doc);
        let (mut notes, mut usable) = (Vec::new(), Vec::new());
        ctx.usable_spans(&mut notes, &mut usable);
        assert_eq!(usable, vec![0]);
        let shown: Vec<String> = notes.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "x:9: LOC «موسكو» left out: it is Pending, not accepted",
                "x:12: LOC span 12..20 left out: not a range inside the text (14 chars)",
                "x:5: LOC span 5..5 left out: not a range inside the text (14 chars)",
            ]
        );
    }

    #[test]
    fn a_writer_refuses_to_write_after_finish_and_names_its_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("deep/er/out.conll");
        let mut writer = open_writer(ExportFormat::Conll, &path, &[], &TokenOptions::default()).expect("opens");
        writer.finish().expect("finishes");
        let err = writer.write(&test_docs::glued(), &mut Vec::new()).unwrap_err();
        assert!(matches!(err, ExportError::Finished { .. }), "{err}");
        assert!(err.to_string().contains("out.conll"), "{err}");
        let blocked = dir.path().join("file");
        std::fs::write(&blocked, "x").expect("write");
        let err = open_writer(ExportFormat::Jsonl, &blocked.join("out.jsonl"), &[], &TokenOptions::default()).err().expect("a file is in the way");
        assert!(err.to_string().contains("file"), "{err}");
    }
}
