//! RON text in and out: the layout we write and parse errors with line and column.
//!
//! A utility shared by every layer that reads or writes RON (annotation files, `tawsim.ron`,
//! gazetteer lists, rules); it uses nothing else of ours.

use std::fmt;
use std::path::{Path, PathBuf};

use ron::extensions::Extensions;
use ron::ser::PrettyConfig;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A file that is not valid RON for what it should hold, with the place of the fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line of the fault.
    pub line: usize,
    /// 1-based column (in chars) of the fault.
    pub column: usize,
    /// What is wrong there.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.path.display(), self.line, self.column, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Serializes `value` as pretty RON ending in a newline; structs deeper than `depth` go on one
/// line, which puts one span (or one label) per line.
///
/// Strings are written unescaped (raw strings when they hold quotes or backslashes) because
/// escaping would turn every Arabic diacritic into `\u{64e}`.
pub fn to_ron<T: Serialize>(value: &T, depth: usize) -> Result<String, ron::Error> {
    let config = PrettyConfig::new().depth_limit(depth).indentor("    ").new_line("\n").escape_strings(false);
    let mut text = ron::ser::to_string_pretty(value, config)?;
    text.push('\n');
    Ok(text)
}

/// Parses RON bytes read from `path`; a leading BOM is allowed because Windows editors add one.
pub fn from_ron<T: DeserializeOwned>(bytes: &[u8], path: &Path) -> Result<T, ParseError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = String::from_utf8_lossy(&bytes[..e.valid_up_to()]);
            let (line, column) = end_position(&valid);
            return Err(ParseError { path: path.to_owned(), line, column, message: "the file is not UTF-8 text".to_owned() });
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let options = ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME);
    options.from_str(text).map_err(|e| ParseError { path: path.to_owned(), line: e.span.start.line, column: e.span.start.col, message: e.code.to_string() })
}

/// 1-based line and column just after `text`.
fn end_position(text: &str) -> (usize, usize) {
    let line = 1 + text.matches('\n').count();
    let column = 1 + text.rsplit('\n').next().map_or(0, |l| l.chars().count());
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AnnotationFile, Origin, Span, SpanState};

    #[test]
    fn annotation_files_have_one_span_per_line() {
        let mut file = AnnotationFile::new("corpus/a.txt", "00", "amal");
        file.spans.push(Span::manual(1, 6..14, "PERS", "جون كيري"));
        file.spans.push(Span {
            origin: Origin::Proposed { source: "gazetteer".into(), score: 0.92 },
            state: SpanState::Pending,
            ..Span::manual(2, 32..37, "LOC", "مُوسكو")
        });
        let text = to_ron(&file, 2).unwrap();
        let span_lines: Vec<&str> = text.lines().filter(|l| l.trim_start().starts_with("(id:")).collect();
        assert_eq!(span_lines.len(), 2, "{text}");
        assert!(text.contains("\"مُوسكو\""), "diacritics escaped: {text}");
        let back: AnnotationFile = from_ron(text.as_bytes(), Path::new("a.ron")).unwrap();
        assert_eq!(back, file);
    }

    #[test]
    fn awkward_strings_survive_unescaped_writing() {
        for s in ["a\"b", "back\\slash", "r#\"x\"#", "two\nlines", "cr\r\nlf", "tab\t", "\u{200f}rlm", ""] {
            let span = Span::manual(1, 0..1, "LOC", s);
            let text = to_ron(&span, 2).unwrap();
            let back: Span = from_ron(text.as_bytes(), Path::new("s.ron")).unwrap();
            assert_eq!(back.text, s, "written as {text}");
        }
    }

    #[test]
    fn parse_errors_carry_line_and_column() {
        let bad = "(\n    format: 1,\n    spans: [\n        (id: 1 start: 0),\n    ],\n)\n";
        let err = from_ron::<AnnotationFile>(bad.as_bytes(), Path::new("x.ron")).unwrap_err();
        assert_eq!(err.line, 4, "{err}");
        assert!(err.to_string().starts_with("x.ron:4:"), "{err}");
    }

    #[test]
    fn non_utf8_is_reported_at_its_place() {
        let err = from_ron::<AnnotationFile>(b"(\n  document: \"\xff\")", Path::new("x.ron")).unwrap_err();
        assert_eq!((err.line, err.column), (2, 14));
    }

    #[test]
    fn bom_is_tolerated() {
        let text = "\u{feff}(format: 1, document: \"corpus/a.txt\", annotator: \"amal\", spans: [])";
        let file: AnnotationFile = from_ron(text.as_bytes(), Path::new("x")).unwrap();
        assert_eq!(file.annotator, "amal");
        assert_eq!(file.format, 1);
    }
}
