//! Reading other tools' files: JSONL (spaCy, Prodigy, doccano), CoNLL and brat standoff.
//!
//! Each reader turns a file into [`ExternalDocument`]s: an optional id and text, and spans in
//! Unicode scalar (char) offsets, the project's convention (DESIGN.md §3). CoNLL has no text, so
//! its [`conll::ConllDocument`]s become `ExternalDocument`s by aligning their tokens to an
//! article's text. Readers are lenient where a format allows it: a line they cannot use is
//! recorded as [`Skipped`] with its file and line, and reading goes on, so nothing is lost
//! silently. What the documents are matched to, and how spans are checked against an article,
//! is the caller's business ([`check_span`] is the shared check).

#![warn(missing_docs)]

pub mod brat;
pub mod conll;
pub mod export;
pub mod jsonl;

use std::fmt;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::model::Schema;
use crate::ron_text::ParseError;

/// A place in a file: its path, 1-based line (0 when the whole file is meant) and column (0 when
/// the whole line is meant).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file.
    pub path: PathBuf,
    /// 1-based line number; 0 stands for the file as a whole.
    pub line: usize,
    /// 1-based column (in chars) within the line; 0 stands for the line as a whole.
    pub column: usize,
}

impl Location {
    /// Line `line` of `path`.
    pub fn new(path: &Path, line: usize) -> Self {
        Location::with_column(path, line, 0)
    }

    /// Column `column` of line `line` of `path`.
    pub fn with_column(path: &Path, line: usize, column: usize) -> Self {
        Location { path: path.to_owned(), line, column }
    }
}

impl fmt::Display for Location {
    /// `path:line:column` or `path:line`, the forms editors and terminals turn into links; just
    /// `path` for line 0.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (0, _) => write!(f, "{}", self.path.display()),
            (line, 0) => write!(f, "{}:{line}", self.path.display()),
            (line, column) => write!(f, "{}:{line}:{column}", self.path.display()),
        }
    }
}

/// A document as another tool wrote it.
#[derive(Clone, Debug, PartialEq)]
pub struct ExternalDocument {
    /// The document's name in that tool (a file stem, a path, a number), if it gave one.
    pub id: Option<String>,
    /// The document's text, if the file carries it.
    pub text: Option<String>,
    /// Its entities, in char offsets of `text` (or of the article it was aligned to).
    pub spans: Vec<ExternalSpan>,
    /// Where the document starts (line 0 for a file that is one document).
    pub origin: Location,
    /// How far its annotation got, where the file says (tawsim's JSONL keeps it in `meta`).
    pub status: Option<crate::model::DocStatus>,
}

/// One entity of an [`ExternalDocument`].
#[derive(Clone, Debug, PartialEq)]
pub struct ExternalSpan {
    /// First char (Unicode scalar offset, as Python counts).
    pub start: usize,
    /// One past the last char.
    pub end: usize,
    /// Label name as the file spells it.
    pub label: String,
    /// The tool's confidence, when it gave one.
    pub score: Option<f32>,
    /// The entity's text as the file gives it, to check the offsets against.
    pub text: Option<String>,
    /// 1-based line of the file the span was read from.
    pub line: usize,
}

/// Documents read from a file, and the lines or spans that had to be left out.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The documents, in file order.
    pub documents: Vec<ExternalDocument>,
    /// What could not be used, with where and why; empty when the file was read whole.
    pub skipped: Vec<Skipped>,
}

impl Loaded {
    /// Adds what another file gave.
    pub fn append(&mut self, mut other: Loaded) {
        self.documents.append(&mut other.documents);
        self.skipped.append(&mut other.skipped);
    }

    /// The documents if nothing was skipped, otherwise the first thing skipped as an error.
    pub fn strict(self) -> Result<Vec<ExternalDocument>, FormatError> {
        match self.skipped.into_iter().next() {
            None => Ok(self.documents),
            Some(skipped) => Err(FormatError::Invalid { message: skipped.reason.to_string(), at: skipped.at }),
        }
    }
}

/// A file that could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// The file or folder could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The content is not what the format expects, at a place that makes the rest unreadable.
    #[error("{at}: {message}")]
    Invalid {
        /// File, line and (when known) column.
        at: Location,
        /// What was expected and what was found.
        message: String,
    },
}

impl FormatError {
    /// An I/O error on `path`.
    pub fn io(path: &Path, source: io::Error) -> Self {
        FormatError::Io { path: path.to_owned(), source }
    }

    /// The error as a skipped file, for readers that go on with the next one.
    pub fn into_skipped(self) -> Skipped {
        match self {
            FormatError::Io { path, source } => Skipped::new(&path, 0, SkipReason::Unreadable(format!("cannot read: {source}"))),
            FormatError::Invalid { at, message } => Skipped { at, reason: SkipReason::Unreadable(message) },
        }
    }
}

impl From<ParseError> for FormatError {
    /// A RON syntax error, at its line and column.
    fn from(e: ParseError) -> Self {
        FormatError::Invalid { at: Location::with_column(&e.path, e.line, e.column), message: e.message }
    }
}

/// A line or span left out, and where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Skipped {
    /// File and line.
    pub at: Location,
    /// Why it was left out.
    pub reason: SkipReason,
}

impl Skipped {
    /// `reason` at line `line` of `path`.
    pub fn new(path: &Path, line: usize, reason: SkipReason) -> Self {
        Skipped { at: Location::new(path, line), reason }
    }
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.reason)
    }
}

/// Why a line or a span was left out.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SkipReason {
    /// The line is not in the format's syntax; says what was expected.
    #[error("{0}")]
    Unreadable(String),
    /// A brat line that is not an entity (relation, event, attribute, note, equivalence).
    #[error("brat {0} line skipped: only entities (T lines) are read")]
    NotAnEntity(&'static str),
    /// A brat entity made of several fragments, which a span cannot hold.
    #[error("discontinuous entity ({0}) skipped: a span is one char range")]
    Discontinuous(String),
    /// The offsets are empty, reversed or past the end of the text.
    #[error("span {start}..{end} is not inside the text ({len} chars)")]
    BadRange {
        /// First char.
        start: usize,
        /// One past the last char.
        end: usize,
        /// Length of the text in chars.
        len: usize,
    },
    /// The label is not in the project's schema.
    #[error("label {0:?} is not in the project's schema")]
    UnknownLabel(String),
    /// The span's own text is not what the text holds at its offsets.
    #[error("span {start}..{end} says {expected:?} but the text there is {found:?}")]
    TextMismatch {
        /// First char.
        start: usize,
        /// One past the last char.
        end: usize,
        /// The text the file gives for the span.
        expected: String,
        /// The text at those offsets.
        found: String,
    },
    /// The score is not a number in 0..=1.
    #[error("score {0} is not in 0..=1")]
    BadScore(f32),
}

/// Checks `span` against a text (given as its chars) and a schema; the char range if it is usable.
///
/// `start < end <= text.len()`, the label in the schema, the score (if any) in 0..=1, and the
/// span's own text (if any) equal to the text's chars at its offsets.
pub fn check_span(span: &ExternalSpan, text: &[char], schema: &Schema) -> Result<Range<usize>, SkipReason> {
    let (start, end) = (span.start, span.end);
    if start >= end || end > text.len() {
        return Err(SkipReason::BadRange { start, end, len: text.len() });
    }
    if !schema.contains(&span.label) {
        return Err(SkipReason::UnknownLabel(span.label.clone()));
    }
    if let Some(score) = span.score
        && !(0.0..=1.0).contains(&score)
    {
        return Err(SkipReason::BadScore(score));
    }
    let found = &text[start..end];
    if let Some(expected) = &span.text
        && !expected.chars().eq(found.iter().copied())
    {
        return Err(SkipReason::TextMismatch { start, end, expected: expected.clone(), found: found.iter().collect() });
    }
    Ok(start..end)
}

/// Reads a whole file as UTF-8 without a byte-order mark.
fn read_text(path: &Path) -> Result<String, FormatError> {
    let bytes = std::fs::read(path).map_err(|e| FormatError::io(path, e))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| FormatError::Invalid {
        at: Location::new(path, line_of_byte(bytes, e.utf8_error().valid_up_to())),
        message: "not UTF-8; convert the file to UTF-8".to_owned(),
    })
}

/// 1-based line holding byte `offset` of `bytes`.
fn line_of_byte(bytes: &[u8], offset: usize) -> usize {
    1 + bytes[..offset.min(bytes.len())].iter().filter(|&&b| b == b'\n').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize, label: &str, text: Option<&str>) -> ExternalSpan {
        ExternalSpan { start, end, label: label.to_owned(), score: None, text: text.map(str::to_owned), line: 1 }
    }

    #[test]
    fn spans_are_checked_against_text_and_schema() {
        let text: Vec<char> = "زار كيري موسكو".chars().collect();
        let schema = Schema::anercorp();
        assert_eq!(check_span(&span(9, 14, "LOC", Some("موسكو")), &text, &schema), Ok(9..14));
        assert_eq!(check_span(&span(9, 15, "LOC", None), &text, &schema), Err(SkipReason::BadRange { start: 9, end: 15, len: 14 }));
        assert!(matches!(check_span(&span(9, 9, "LOC", None), &text, &schema), Err(SkipReason::BadRange { .. })));
        assert_eq!(check_span(&span(9, 14, "GPE", None), &text, &schema), Err(SkipReason::UnknownLabel("GPE".into())));
        let err = check_span(&span(4, 8, "PERS", Some("كيرى")), &text, &schema).unwrap_err();
        assert_eq!(err.to_string(), "span 4..8 says \"كيرى\" but the text there is \"كيري\"");
        let mut scored = span(4, 8, "PERS", None);
        scored.score = Some(3.5);
        assert_eq!(check_span(&scored, &text, &schema), Err(SkipReason::BadScore(3.5)));
    }

    #[test]
    fn locations_read_as_path_and_line() {
        assert_eq!(Location::new(Path::new("p.jsonl"), 3).to_string(), "p.jsonl:3");
        assert_eq!(Location::new(Path::new("a.ann"), 0).to_string(), "a.ann");
        assert_eq!(Location::with_column(Path::new("d.ron"), 9, 13).to_string(), "d.ron:9:13");
        let err = read_text(Path::new("/nonexistent/x.jsonl")).unwrap_err();
        assert!(err.to_string().starts_with("/nonexistent/x.jsonl: cannot read"), "{err}");
    }

    #[test]
    fn a_ron_syntax_error_reads_as_path_line_column() {
        let bad = b"(\n    labels: [\"LOC\"]\n    documents: [],\n)\n";
        let err = crate::ron_text::from_ron::<serde::de::IgnoredAny>(bad, Path::new("d.ron"));
        let err = FormatError::from(err.expect_err("a comma is missing"));
        let FormatError::Invalid { at, message } = &err else {
            panic!("expected a syntax error, got {err}");
        };
        assert_eq!((at.line, at.column), (3, 5), "{err}");
        assert_eq!(err.to_string(), format!("d.ron:3:5: {message}"));
        assert!(!message.is_empty() && !message.starts_with("column"), "{err}");
    }

    #[test]
    fn non_utf8_is_reported_at_its_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("bad.jsonl");
        std::fs::write(&path, b"{}\n{\"text\": \"\xE3\xCF\"}\n").expect("write");
        let err = read_text(&path).unwrap_err();
        assert!(err.to_string().ends_with("bad.jsonl:2: not UTF-8; convert the file to UTF-8"), "{err}");
    }
}
