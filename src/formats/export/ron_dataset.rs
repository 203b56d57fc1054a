//! The RON dataset: the whole corpus in one file, every span with its provenance.
//!
//! ```ron
//! (
//!     format: 1,
//!     labels: ["PERS", "LOC", "ORG", "MISC"],
//!     documents: [
//!         (
//!             id: "corpus/a.txt",
//!             annotator: "gold",
//!             status: Reviewed,
//!             text: "…",
//!             spans: [
//!                 (id: 1, start: 16, end: 20, label: "LOC", text: "دمشق", origin: Manual, state: Accepted),
//!             ],
//!         ),
//!     ],
//! )
//! ```
//!
//! Written document by document (the header when the file is opened, the closing brackets by
//! `finish`), so memory stays flat; each value goes through ron's serializer, so strings are
//! quoted exactly as ron reads them back. [`read`] loads a whole file.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{DocumentWriter, ExportError, ExportNote, Output};
use crate::formats::{FormatError, Location};
use crate::model::LabelledDocument;
use crate::ron_text::{from_ron, to_ron};

/// The dataset format this build writes; files with a higher number are refused.
pub const FORMAT: u32 = 1;

/// A RON dataset as read back.
#[derive(Clone, Debug, PartialEq)]
pub struct RonDataset {
    /// The label names in schema order.
    pub labels: Vec<String>,
    /// The documents, in file order.
    pub documents: Vec<LabelledDocument>,
}

/// The whole file, as it is on disk; a field this build does not know is an error.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DatasetFile {
    format: u32,
    #[serde(default)]
    labels: Vec<String>,
    #[serde(default)]
    documents: Vec<LabelledDocument>,
}

/// Reads a RON dataset; a syntax error names its line and column.
pub fn read(path: &Path) -> Result<RonDataset, FormatError> {
    let bytes = std::fs::read(path).map_err(|e| FormatError::io(path, e))?;
    let file: DatasetFile = from_ron(&bytes, path)?;
    if file.format > FORMAT {
        return Err(FormatError::Invalid {
            at: Location::new(path, 0),
            message: format!("dataset format {} is newer than this version of tawsim reads ({FORMAT})", file.format),
        });
    }
    Ok(RonDataset { labels: file.labels, documents: file.documents })
}

/// `value` as one line of RON.
fn ron_value<T: Serialize>(value: &T) -> Result<String, ron::Error> {
    let mut text = to_ron(value, 0)?;
    text.truncate(text.trim_end_matches('\n').len());
    Ok(text)
}

/// Writes a RON dataset.
pub(crate) struct RonWriter {
    out: Output,
    buf: String,
    /// Whether the closing brackets are written.
    closed: bool,
}

impl RonWriter {
    /// Creates the file at `path` and writes the header with `labels`.
    pub(crate) fn create(path: &Path, labels: &[String]) -> Result<Self, ExportError> {
        let mut out = Output::create(path)?;
        let labels = ron_value(&labels).map_err(|e| out.encode_error("(labels)", e))?;
        let header = format!("(\n    format: {FORMAT},\n    labels: {labels},\n    documents: [\n");
        out.write(header.as_bytes())?;
        Ok(RonWriter { out, buf: String::new(), closed: false })
    }

    /// The RON of `doc`, indented as an item of the documents list.
    fn document(&mut self, doc: &LabelledDocument) -> Result<(), ron::Error> {
        let buf = &mut self.buf;
        buf.clear();
        buf.push_str("        (\n            id: ");
        buf.push_str(&ron_value(&doc.id)?);
        buf.push_str(",\n            annotator: ");
        buf.push_str(&ron_value(&doc.annotator)?);
        buf.push_str(",\n            status: ");
        buf.push_str(&ron_value(&doc.status)?);
        buf.push_str(",\n            text: ");
        buf.push_str(&ron_value(&doc.text)?);
        buf.push_str(",\n            spans: [");
        if !doc.spans.is_empty() {
            buf.push('\n');
            for span in &doc.spans {
                buf.push_str("                ");
                buf.push_str(&ron_value(span)?);
                buf.push_str(",\n");
            }
            buf.push_str("            ");
        }
        buf.push_str("],\n        ),\n");
        Ok(())
    }
}

impl DocumentWriter for RonWriter {
    /// Writes `doc` whole, spans in their order, pending and rejected ones too: the dataset is
    /// a faithful copy, so it needs no notes.
    fn write(&mut self, doc: &LabelledDocument, _notes: &mut Vec<ExportNote>) -> Result<Vec<usize>, ExportError> {
        self.document(doc).map_err(|e| self.out.encode_error(&doc.id, e))?;
        self.out.write(self.buf.as_bytes())?;
        Ok((0..doc.spans.len()).collect())
    }

    fn finish(&mut self) -> Result<(), ExportError> {
        if !self.closed {
            self.out.write(b"    ],\n)\n")?;
            self.closed = true;
        }
        self.out.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_docs::{empty, export, glued, labels, nested, write_to};
    use super::super::{ExportFormat, TokenOptions};
    use super::*;
    use crate::model::{Origin, Span, SpanState};

    fn docs() -> Vec<LabelledDocument> {
        let mut awkward = nested();
        awkward.id = "corpus/\"quoted\" \\ name.txt".to_owned();
        awkward.text = format!("{}\r\n\tr#\"raw\"#", awkward.text);
        awkward.spans.push(Span {
            origin: Origin::Imported { source: "model.jsonl".to_owned() },
            state: SpanState::Rejected,
            ..Span::manual(9, 0..5, "MISC", "اجتمع")
        });
        vec![glued(), empty(), awkward]
    }

    #[test]
    fn output_is_exact() {
        let (text, notes) = export(ExportFormat::Ron, &[nested()], &TokenOptions::default());
        let want = r#"(
    format: 1,
    labels: ["PERS", "LOC", "ORG", "MISC"],
    documents: [
        (
            id: "corpus/sub/b.txt",
            annotator: "gold",
            status: Reviewed,
            text: "اجتمع مجلس الأمن الدولي في نيويورك.
وصرح كيري",
            spans: [
                (id: 2, start: 6, end: 16, label: "ORG", text: "مجلس الأمن", origin: Manual, state: Accepted),
                (id: 1, start: 6, end: 23, label: "ORG", text: "مجلس الأمن الدولي", origin: Manual, state: Accepted),
                (id: 3, start: 27, end: 33, label: "LOC", text: "نيويور", origin: Manual, state: Accepted),
                (id: 4, start: 41, end: 45, label: "PERS", text: "كيري", origin: Proposed(source: "gazetteer", score: 0.92), state: Accepted),
            ],
        ),
    ],
)
"#;
        assert_eq!(text, want);
        assert!(notes.is_empty());
    }

    #[test]
    fn read_gives_back_exactly_what_was_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("gold.ron");
        let docs = docs();
        write_to(ExportFormat::Ron, &path, &docs, &TokenOptions::default());
        let dataset = read(&path).expect("reads");
        let want = RonDataset { labels: labels(), documents: docs };
        assert_eq!(dataset, want);
        // An empty export is a valid dataset too.
        let empty_path = dir.path().join("none.ron");
        write_to(ExportFormat::Ron, &empty_path, &[], &TokenOptions::default());
        let dataset = read(&empty_path).expect("reads");
        assert_eq!((dataset.labels, dataset.documents), (labels(), vec![]));
    }

    #[test]
    fn a_broken_file_names_its_line_and_column() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("gold.ron");
        let (text, _) = export(ExportFormat::Ron, &[empty()], &TokenOptions::default());
        let broken = text.replace("status: Reviewed,", "status: Reviewed");
        std::fs::write(&path, broken).expect("write");
        let err = read(&path).unwrap_err();
        let FormatError::Invalid { at, message } = &err else {
            panic!("expected a syntax error, got {err}");
        };
        // The comma is missing at the end of line 8; ron finds out at the next field.
        assert_eq!((at.line, at.column), (9, 13), "{err}");
        assert_eq!(err.to_string(), format!("{}:9:13: {message}", path.display()));
        std::fs::write(&path, text.replace("format: 1", "format: 2")).expect("write");
        let err = read(&path).unwrap_err().to_string();
        assert!(err.ends_with("dataset format 2 is newer than this version of tawsim reads (1)"), "{err}");
        assert!(matches!(read(&dir.path().join("missing.ron")), Err(FormatError::Io { .. })));
    }
}
