//! Reading annotation files (strictly: see [`parse_annotation`]) and the exact text they are
//! written as.

use std::io;
use std::path::{Path, PathBuf};

use super::fingerprint::{Fingerprint, read_with_fingerprint};
use crate::model::{AnnotationFile, FORMAT_VERSION, MAX_SPAN_ID, Origin};
#[cfg(test)]
use crate::ron_text::to_ron;
use crate::ron_text::{ParseError, from_ron};

/// Why an annotation file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum AnnotationError {
    /// The file exists but could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The file is not a valid annotation file.
    #[error("{0}")]
    Parse(ParseError),
    /// The file was written by a newer tawsim whose format this build does not know.
    #[error("{}: format {found} is newer than this tawsim understands ({FORMAT_VERSION}); update tawsim", path.display())]
    NewerFormat {
        /// The file.
        path: PathBuf,
        /// The format number in the file.
        found: u32,
    },
}

/// Reads the annotation file at `path`; `Ok(None)` when there is none yet. Spans come back sorted.
pub fn read_annotation(path: &Path) -> Result<Option<AnnotationFile>, AnnotationError> {
    Ok(load_annotation(path)?.map(|(file, _)| file))
}

/// Reads the annotation file at `path` with the [`Fingerprint`] of what was read, to hand to
/// [`save_annotation_merging`](super::save_annotation_merging) as its base; `Ok(None)` when there
/// is no file yet.
pub fn load_annotation(path: &Path) -> Result<Option<(AnnotationFile, Fingerprint)>, AnnotationError> {
    match read_with_fingerprint(path) {
        Ok(Some((bytes, print))) => {
            let file = parse_annotation(&bytes, path)?;
            super::save::remember(path, print);
            Ok(Some((file, print)))
        }
        Ok(None) => Ok(None),
        Err(source) => Err(AnnotationError::Io { path: path.to_owned(), source }),
    }
}

/// Parses annotation file bytes read from `path`, strictly: a field this build does not know, a
/// missing `format`, `document`, `annotator` or `spans` (an empty `()` file), a score that is not
/// a finite number, and a span id or `next_id` above [`MAX_SPAN_ID`] are refused with their place.
pub fn parse_annotation(bytes: &[u8], path: &Path) -> Result<AnnotationFile, AnnotationError> {
    let mut file: AnnotationFile = match from_ron(bytes, path) {
        Ok(file) => file,
        Err(mut error) => {
            // A newer format may have fields this build does not know: say so, not what broke.
            if let Some(found) = format_number(bytes, path).filter(|&f| f > FORMAT_VERSION) {
                return Err(AnnotationError::NewerFormat { path: path.to_owned(), found });
            }
            if error.message.contains("missing field") {
                error.message.push_str("; an annotation file needs format, document, annotator and spans");
            }
            return Err(AnnotationError::Parse(error));
        }
    };
    if file.format > FORMAT_VERSION {
        return Err(AnnotationError::NewerFormat { path: path.to_owned(), found: file.format });
    }
    check_values(&file, bytes, path)?;
    file.sort_spans();
    Ok(file)
}

/// The `format` number of a file that may not parse as this build's annotation file.
fn format_number(bytes: &[u8], path: &Path) -> Option<u32> {
    #[derive(serde::Deserialize)]
    struct FormatOnly {
        format: u32,
    }
    from_ron::<FormatOnly>(bytes, path).ok().map(|f| f.format)
}

/// Refuses values that parse but would break what reads them later: a score that is not a finite
/// number, an id or `next_id` no new id could follow.
fn check_values(file: &AnnotationFile, bytes: &[u8], path: &Path) -> Result<(), AnnotationError> {
    let fault = |needle: &str, message: String| {
        let (line, column) = position_of(bytes, needle);
        AnnotationError::Parse(ParseError { path: path.to_owned(), line, column, message })
    };
    if file.next_id > MAX_SPAN_ID {
        return Err(fault("next_id", format!("next_id {} is above the highest span id tawsim hands out ({MAX_SPAN_ID})", file.next_id)));
    }
    for span in &file.spans {
        if span.id > MAX_SPAN_ID {
            return Err(fault(&format!("id: {}", span.id), format!("span id {} is above the highest span id tawsim hands out ({MAX_SPAN_ID})", span.id)));
        }
        if let Origin::Proposed { score, .. } = span.origin
            && !score.is_finite()
        {
            return Err(fault(&format!("id: {}", span.id), format!("span {}: score {score} is not a number", span.id)));
        }
    }
    Ok(())
}

/// 1-based line and column of the first `needle` in `bytes` (at a word start), or of the file's
/// start when it is not there (a hand-written file may spell things differently).
fn position_of(bytes: &[u8], needle: &str) -> (usize, usize) {
    let text = String::from_utf8_lossy(bytes);
    let found = text.match_indices(needle).map(|(at, _)| at).find(|&at| {
        let before = text[..at].chars().next_back();
        let after = text[at + needle.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_') && !after.is_some_and(|c| c.is_ascii_digit())
    });
    let Some(at) = found else { return (1, 1) };
    let line = 1 + text[..at].matches('\n').count();
    let column = 1 + text[..at].rsplit('\n').next().map_or(0, |l| l.chars().count());
    (line, column)
}

/// The exact bytes `save_annotation` writes for `file`.
pub(crate) fn annotation_bytes(file: &AnnotationFile) -> String {
    annotation_text(file)
}

/// The RON text of an annotation file, written directly: byte for byte what `to_ron(file, 2)`
/// gives (a test checks), several times faster for files with tens of thousands of spans.
fn annotation_text(file: &AnnotationFile) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(256 + file.spans.len() * 120);
    let _ = write!(out, "(\n    format: {},\n    document: ", file.format);
    push_ron_string(&mut out, &file.document);
    out.push_str(",\n    text_sha256: ");
    push_ron_string(&mut out, &file.text_sha256);
    out.push_str(",\n    annotator: ");
    push_ron_string(&mut out, &file.annotator);
    let _ = write!(out, ",\n    status: {:?},\n    next_id: {},\n    spans: [", file.status, file.next_id);
    if !file.spans.is_empty() {
        out.push('\n');
    }
    for span in &file.spans {
        let _ = write!(out, "        (id: {}, start: {}, end: {}, label: ", span.id, span.start, span.end);
        push_ron_string(&mut out, &span.label);
        out.push_str(", text: ");
        push_ron_string(&mut out, &span.text);
        out.push_str(", origin: ");
        match &span.origin {
            Origin::Manual => out.push_str("Manual"),
            Origin::Proposed { source, score } => {
                out.push_str("Proposed(source: ");
                push_ron_string(&mut out, source);
                let _ = write!(out, ", score: {})", RonFloat(*score));
            }
            Origin::Imported { source } => {
                out.push_str("Imported(source: ");
                push_ron_string(&mut out, source);
                out.push(')');
            }
            Origin::Adjudicated { annotators, decided_by } => {
                out.push_str("Adjudicated(annotators: [");
                for (i, name) in annotators.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    push_ron_string(&mut out, name);
                }
                out.push_str("], decided_by: ");
                push_ron_string(&mut out, decided_by);
                out.push(')');
            }
        }
        let _ = writeln!(out, ", state: {:?}),", span.state);
    }
    if file.spans.is_empty() {
        out.push_str("],\n)\n");
    } else {
        out.push_str("    ],\n)\n");
    }
    out
}

/// A string as ron writes it without escaping: plain quotes, or a raw string when it holds a
/// quote or a backslash.
fn push_ron_string(out: &mut String, value: &str) {
    if !value.contains(['"', '\\']) {
        out.push('"');
        out.push_str(value);
        out.push('"');
        return;
    }
    let mut hashes = 1;
    while value.contains(&format!("\"{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let fence = "#".repeat(hashes);
    out.push('r');
    out.push_str(&fence);
    out.push('"');
    out.push_str(value);
    out.push('"');
    out.push_str(&fence);
}

/// An f32 as ron prints it.
struct RonFloat(f32);

impl std::fmt::Display for RonFloat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&ron::to_string(&self.0).map_err(|_| std::fmt::Error)?)
    }
}

/// Renames a file that does not load to `<name>.broken` (or `.broken-2`, …) so a fresh one can be
/// saved, and returns the new name; the explicit way past `SaveError::WouldClobber`.
pub fn quarantine(path: &Path) -> io::Result<PathBuf> {
    let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
    for n in 1..1000 {
        let suffix = if n == 1 { ".broken".to_owned() } else { format!(".broken-{n}") };
        let target = path.with_file_name(format!("{name}{suffix}"));
        if !target.exists() {
            std::fs::rename(path, &target)?;
            return Ok(target);
        }
    }
    Err(io::Error::new(io::ErrorKind::AlreadyExists, format!("{}: too many .broken copies already", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{SaveError, WriteOutcome, save_annotation};

    #[test]
    fn direct_writer_matches_ron_byte_for_byte() {
        use crate::model::{DocStatus, Span, SpanState};
        let mut file = AnnotationFile::new("corpus/a \"b\".txt", "abc", "amal");
        assert_eq!(annotation_text(&file), to_ron(&file, 2).expect("ron"), "empty");
        file.status = DocStatus::InProgress;
        let texts = ["جون كيري", "مُحَمَّد", "say \"hi\"", "back\\slash \"#", "two\nlines", ""];
        for (i, text) in texts.iter().enumerate() {
            let mut span = Span::manual(i as u64 + 1, i * 10..i * 10 + 3, "LOC", text);
            span.origin = match i % 3 {
                0 => Origin::Manual,
                1 => Origin::Proposed { source: "gazetteer".into(), score: [0.92, 1.0, 0.1 + 0.2][i % 3] },
                _ => Origin::Imported { source: "x.ann".into() },
            };
            span.state = [SpanState::Accepted, SpanState::Pending, SpanState::Rejected][i % 3];
            file.spans.push(span);
        }
        // Gold spans: no annotator, one, several (a quote in a name is not valid, but the writer
        // must still agree with ron on it).
        let groups: [&[&str]; 3] = [&[], &["amal"], &["amal", "b\"r"]];
        for (i, annotators) in groups.iter().enumerate() {
            let mut span = Span::manual(20 + i as u64, 70 + i..72 + i, "ORG", "ab");
            span.origin = Origin::Adjudicated { annotators: annotators.iter().map(|a| (*a).to_owned()).collect(), decided_by: "rev".into() };
            file.spans.push(span);
        }
        assert_eq!(annotation_text(&file), to_ron(&file, 2).expect("ron"));
        let back: AnnotationFile = from_ron(annotation_text(&file).as_bytes(), Path::new("t.ron")).expect("parses");
        assert_eq!(back, file);
    }

    /// The error `read_annotation` gives for a file holding `text`.
    fn refusal(text: &str) -> AnnotationError {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.txt.ron");
        std::fs::write(&path, text).unwrap();
        read_annotation(&path).unwrap_err()
    }

    fn written(file: &AnnotationFile) -> String {
        annotation_text(file)
    }

    #[test]
    fn unknown_fields_are_refused_with_their_place() {
        let mut file = AnnotationFile::new("corpus/x.txt", "abc", "amal");
        file.spans.push(crate::model::Span::manual(1, 0..2, "LOC", "ab"));
        let good = written(&file);
        let top = good.replace("    status: New,", "    status: New,\n    reviewer: \"z\",");
        let AnnotationError::Parse(e) = refusal(&top) else { panic!() };
        assert_eq!((e.line, e.message.contains("reviewer")), (7, true), "{e}");
        let span = good.replace("state: Accepted)", "state: Accepted, note: \"keep me\")");
        let AnnotationError::Parse(e) = refusal(&span) else { panic!() };
        assert!(e.message.contains("note"), "{e}");
        assert_eq!(e.line, 9, "{e}");
        let origin = good.replace("origin: Manual", "origin: Imported(source: \"x\", by: \"y\")");
        assert!(matches!(refusal(&origin), AnnotationError::Parse(_)));
    }

    #[test]
    fn an_empty_file_is_not_an_empty_annotation() {
        for text in ["()", "", "(format: 1)"] {
            let err = refusal(text).to_string();
            assert!(err.contains("x.txt.ron:1:"), "{text:?}: {err}");
        }
        assert!(refusal("()").to_string().contains("an annotation file needs format, document, annotator and spans"));
    }

    #[test]
    fn scores_and_ids_that_would_break_things_later_are_refused() {
        let mut file = AnnotationFile::new("corpus/x.txt", "abc", "amal");
        let mut proposal = crate::model::Span::manual(1, 0..2, "LOC", "ab");
        proposal.origin = Origin::Proposed { source: "gazetteer".into(), score: 0.5 };
        file.spans.push(proposal);
        let good = written(&file);
        for (bad, says) in [("score: NaN", "score NaN is not a number"), ("score: inf", "score inf is not a number")] {
            let AnnotationError::Parse(e) = refusal(&good.replace("score: 0.5", bad)) else { panic!("{bad}") };
            assert!(e.message.contains(says) && e.line == 9, "{e}");
        }
        let AnnotationError::Parse(e) = refusal(&good.replace("next_id: 1,", "next_id: 18446744073709551615,")) else { panic!() };
        assert!(e.message.starts_with("next_id 18446744073709551615 is above") && e.line == 7, "{e}");
        let AnnotationError::Parse(e) = refusal(&good.replace("(id: 1,", "(id: 9007199254740993,")) else { panic!() };
        assert!(e.message.contains("span id 9007199254740993") && e.line == 9, "{e}");
        let at_limit = good.replace("next_id: 1,", &format!("next_id: {MAX_SPAN_ID},"));
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ok.ron"), at_limit).unwrap();
        assert!(read_annotation(&dir.path().join("ok.ron")).is_ok());
    }

    #[test]
    fn a_newer_format_with_new_fields_is_called_newer() {
        let err = refusal("(format: 2, document: \"corpus/x.txt\", annotator: \"amal\", spans: [], layers: [])");
        assert!(matches!(err, AnnotationError::NewerFormat { found: 2, .. }), "{err}");
    }

    #[test]
    fn missing_file_is_none() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_annotation(&dir.path().join("x.txt.ron")).unwrap().is_none());
    }

    #[test]
    fn newer_format_is_refused_and_protected() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.txt.ron");
        std::fs::write(&path, "(format: 7)").unwrap();
        let err = read_annotation(&path).unwrap_err();
        assert!(matches!(err, AnnotationError::NewerFormat { found: 7, .. }), "{err}");
        let file = AnnotationFile::new("corpus/x.txt", "", "amal");
        assert!(matches!(save_annotation(&path, &file), Err(SaveError::WouldClobber(_))));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "(format: 7)");
    }

    #[test]
    fn quarantine_makes_room_for_a_fresh_save() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.txt.ron");
        std::fs::write(&path, "(((").unwrap();
        let aside = quarantine(&path).unwrap();
        assert!(aside.ends_with("x.txt.ron.broken"));
        std::fs::write(&path, "(((").unwrap();
        assert!(quarantine(&path).unwrap().ends_with("x.txt.ron.broken-2"));
        let file = AnnotationFile::new("corpus/x.txt", "", "amal");
        assert_eq!(save_annotation(&path, &file).unwrap(), WriteOutcome::Written);
        assert_eq!(std::fs::read_to_string(&aside).unwrap(), "(((");
    }
}
