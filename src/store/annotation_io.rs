//! Reading and saving annotation files, never overwriting one that does not load.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use super::atomic::{WriteOutcome, replace};
use crate::model::{AnnotationFile, FORMAT_VERSION, Origin};
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

/// Why an annotation file was not saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The file on disk does not load, so replacing it could destroy someone's work.
    #[error("refusing to overwrite a file that does not load ({0}); fix it by hand or set it aside first")]
    WouldClobber(Box<AnnotationError>),
    /// The annotation could not be turned into RON.
    #[error("{}: cannot serialize: {message}", path.display())]
    Serialize {
        /// The file.
        path: PathBuf,
        /// What ron said.
        message: String,
    },
    /// The annotator name or document path cannot name a file.
    #[error(transparent)]
    Name(#[from] super::names::NameError),
    /// Writing failed; the old file, if any, is intact.
    #[error("{}: cannot write: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
}

/// Reads the annotation file at `path`; `Ok(None)` when there is none yet. Spans come back sorted.
pub fn read_annotation(path: &Path) -> Result<Option<AnnotationFile>, AnnotationError> {
    match std::fs::read(path) {
        Ok(bytes) => {
            let file = parse_annotation(&bytes, path)?;
            remember_good(path, &bytes);
            Ok(Some(file))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(AnnotationError::Io { path: path.to_owned(), source }),
    }
}

fn parse_annotation(bytes: &[u8], path: &Path) -> Result<AnnotationFile, AnnotationError> {
    let mut file: AnnotationFile = from_ron(bytes, path).map_err(AnnotationError::Parse)?;
    if file.format > FORMAT_VERSION {
        return Err(AnnotationError::NewerFormat { path: path.to_owned(), found: file.format });
    }
    file.sort_spans();
    Ok(file)
}

/// The exact bytes `save_annotation` writes for `file`.
pub(crate) fn annotation_bytes(file: &AnnotationFile) -> Result<String, ron::Error> {
    Ok(annotation_text(file))
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

/// Saves `file` at `path` atomically, creating folders as needed.
///
/// Returns `Unchanged` without writing when the disk already holds these bytes. Refuses with
/// `WouldClobber` when the file on disk does not load as an annotation file (a syntax error, a
/// newer format, a merge conflict), whoever loaded what before: the check is made on the disk
/// itself at save time.
pub fn save_annotation(path: &Path, file: &AnnotationFile) -> Result<WriteOutcome, SaveError> {
    let io_error = |source| SaveError::Io { path: path.to_owned(), source };
    let text = annotation_bytes(file).map_err(|e| SaveError::Serialize { path: path.to_owned(), message: e.to_string() })?;
    match std::fs::read(path) {
        Ok(existing) if existing == text.as_bytes() => return Ok(WriteOutcome::Unchanged),
        // Bytes we loaded or wrote ourselves are known to parse; anything else is checked, so a
        // file broken or replaced behind our back is never overwritten.
        Ok(existing) if is_known_good(path, &existing) => {}
        Ok(existing) => {
            parse_annotation(&existing, path).map_err(|e| SaveError::WouldClobber(Box::new(e)))?;
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(folder).map_err(io_error)?;
            }
        }
        Err(source) => return Err(io_error(source)),
    }
    replace(path, text.as_bytes()).map_err(io_error)?;
    remember_good(path, text.as_bytes());
    Ok(WriteOutcome::Written)
}

/// Fingerprints of the annotation bytes this process last read or wrote at each path. Re-parsing
/// a 20,000-span file before every save would cost more than the save itself.
fn known_good() -> &'static Mutex<HashMap<PathBuf, u64>> {
    static KNOWN: OnceLock<Mutex<HashMap<PathBuf, u64>>> = OnceLock::new();
    KNOWN.get_or_init(Mutex::default)
}

fn fingerprint(bytes: &[u8]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

fn remember_good(path: &Path, bytes: &[u8]) {
    let mut known = known_good().lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    known.insert(path.to_owned(), fingerprint(bytes));
}

fn is_known_good(path: &Path, bytes: &[u8]) -> bool {
    let known = known_good().lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    known.get(path).is_some_and(|&print| print == fingerprint(bytes))
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
