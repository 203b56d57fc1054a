//! brat standoff export: a folder with, per document, its text (`.txt`) and its entities
//! (`.ann`: `T1<TAB>LOC 10 15<TAB>موسكو`), and an `annotation.conf` naming the labels.
//!
//! Offsets count Unicode characters, as brat (Python) does; nested and overlapping spans are
//! written as they are. A span that crosses a line break is written in fragments that leave the
//! line breaks out (`T1<TAB>ORG 0 4;5 10<TAB>مجلس الأمن`), since brat shows each line apart
//! (noted); [`crate::formats::brat::read`] joins them back into one span. Files are named by [`brat_stem`]: `corpus/sub/x.txt` becomes `sub/x.txt` and
//! `sub/x.ann`, which [`crate::formats::brat::read`] reads back as the id `sub/x`.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use super::{DocContext, DocumentWriter, ExportError, ExportNote};
use crate::model::LabelledDocument;

/// The file stem for document `id`: the id without a leading `corpus/` and a trailing `.txt`,
/// sub-folders kept (`corpus/sub/x.txt` → `sub/x`). Ids that climb out of the folder (`..`, an
/// absolute path) are refused by the writer, not here.
pub fn brat_stem(id: &str) -> PathBuf {
    let id = id.strip_prefix("corpus/").unwrap_or(id);
    PathBuf::from(id.strip_suffix(".txt").unwrap_or(id))
}

/// [`brat_stem`] of `id`, checked to stay inside the export folder.
fn checked_stem(folder: &Path, id: &str) -> Result<PathBuf, ExportError> {
    let refuse = |reason: &str| ExportError::BadId { path: folder.to_owned(), id: id.to_owned(), reason: reason.to_owned() };
    let mut stem = PathBuf::new();
    for component in brat_stem(id).components() {
        match component {
            Component::Normal(part) => stem.push(part),
            Component::CurDir => {}
            Component::ParentDir => return Err(refuse("it climbs out of the folder with `..`")),
            Component::RootDir | Component::Prefix(_) => {
                return Err(refuse("it is an absolute path"));
            }
        }
    }
    if stem.as_os_str().is_empty() {
        return Err(refuse("it names no file"));
    }
    Ok(stem)
}

/// `stem` with `extension` appended (never replacing a dot already in the stem's name).
fn with_appended(stem: &Path, extension: &str) -> PathBuf {
    let mut name = OsString::from(stem.as_os_str());
    name.push(".");
    name.push(extension);
    PathBuf::from(name)
}

/// Writes a brat folder.
pub(crate) struct BratWriter {
    folder: PathBuf,
    /// The schema's labels, then any other label met, for `annotation.conf`.
    labels: Vec<String>,
    /// Stems written so far, so two documents never share a file.
    written: HashSet<PathBuf>,
    usable: Vec<usize>,
}

impl BratWriter {
    /// Creates the folder `folder`.
    pub(crate) fn create(folder: &Path, labels: &[String]) -> Result<Self, ExportError> {
        std::fs::create_dir_all(folder).map_err(|e| ExportError::io(folder, e))?;
        Ok(BratWriter { folder: folder.to_owned(), labels: labels.to_vec(), written: HashSet::new(), usable: Vec::new() })
    }
}

/// Writes `bytes` to `path`, creating its folder. The document is in memory whole already, so
/// one write does; no fsync per file, since the export can be made again from the project.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| ExportError::io(parent, e))?;
    }
    std::fs::write(path, bytes).map_err(|e| ExportError::io(path, e))
}

impl DocumentWriter for BratWriter {
    fn write(&mut self, doc: &LabelledDocument, notes: &mut Vec<ExportNote>) -> Result<Vec<usize>, ExportError> {
        let stem = checked_stem(&self.folder, &doc.id)?;
        if !self.written.insert(stem.clone()) {
            return Err(ExportError::BadId {
                path: self.folder.clone(),
                id: doc.id.clone(),
                reason: format!("an earlier document was written as {}", stem.display()),
            });
        }
        let ctx = DocContext::new(doc);
        ctx.usable_spans(notes, &mut self.usable);
        let mut ann = String::new();
        for (n, &i) in self.usable.iter().enumerate() {
            let span = &doc.spans[i];
            if !self.labels.contains(&span.label) {
                self.labels.push(span.label.clone());
            }
            let fragments = fragments(&ctx, span.range());
            if fragments.len() > 1 {
                let message = format!("{} crosses a line break: written as {} fragments without it", ctx.describe(span), fragments.len());
                ctx.note(notes, span.start, message);
            }
            let offsets: Vec<String> = fragments.iter().map(|f| format!("{} {}", f.start, f.end)).collect();
            let texts: Vec<&str> = fragments.iter().map(|f| ctx.slice(f.clone())).collect();
            let _ = writeln!(ann, "T{}\t{} {}\t{}", n + 1, span.label, offsets.join(";"), texts.join(" "));
        }
        let base = self.folder.join(&stem);
        write_file(&with_appended(&base, "txt"), doc.text.as_bytes())?;
        write_file(&with_appended(&base, "ann"), ann.as_bytes())?;
        Ok(self.usable.clone())
    }

    /// Writes `annotation.conf`, so brat knows every label written.
    fn finish(&mut self) -> Result<(), ExportError> {
        let mut conf = String::from("[entities]\n");
        for label in &self.labels {
            conf.push_str(label);
            conf.push('\n');
        }
        conf.push_str("\n[relations]\n\n[events]\n\n[attributes]\n");
        write_file(&self.folder.join("annotation.conf"), conf.as_bytes())
    }
}

/// The parts of the char range `range` of the document between line breaks.
fn fragments(ctx: &DocContext<'_>, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in ctx.slice(range.clone()).chars().enumerate() {
        let at = range.start + i;
        match (matches!(c, '\n' | '\r'), start) {
            (true, Some(s)) => {
                out.push(s..at);
                start = None;
            }
            (false, None) => start = Some(at),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..range.end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_docs::{doc, empty, glued, labels, nested, write_to};
    use super::super::{ExportFormat, TokenOptions, open_writer};
    use super::*;
    use crate::formats::brat::read;

    #[test]
    fn stems_drop_the_corpus_folder_and_txt() {
        assert_eq!(brat_stem("corpus/sub/x.txt"), PathBuf::from("sub/x"));
        assert_eq!(brat_stem("x.txt"), PathBuf::from("x"));
        assert_eq!(brat_stem("news/a.b"), PathBuf::from("news/a.b"));
        let folder = Path::new("out");
        assert_eq!(checked_stem(folder, "corpus/./a.txt").ok(), Some(PathBuf::from("a")));
        for (id, why) in [("corpus/../../etc/x.txt", "climbs out"), ("/etc/passwd", "absolute"), ("corpus/.txt", "names no file")] {
            let err = checked_stem(folder, id).unwrap_err().to_string();
            assert!(err.starts_with(&format!("out: document id {id:?}")), "{err}");
            assert!(err.contains(why), "{err}");
        }
    }

    fn write(docs: &[LabelledDocument]) -> (tempfile::TempDir, Vec<String>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let notes = write_to(ExportFormat::Brat, &dir.path().join("brat"), docs, &TokenOptions::default());
        (dir, notes)
    }

    #[test]
    fn writes_txt_and_ann_pairs_that_read_back() {
        let mut odd = doc("x", "عن مجلس\nالأمن", &[("مجلس\nالأمن", "ORG")]);
        odd.spans.push(crate::model::Span::manual(2, 3..7, "GPE", "مجلس"));
        let docs = [glued(), nested(), empty(), odd];
        let (dir, notes) = write(&docs);
        let out = dir.path().join("brat");
        let read_file = |name: &str| std::fs::read_to_string(out.join(name)).expect(name);
        assert_eq!(read_file("a.txt"), glued().text);
        assert_eq!(read_file("a.ann"), "T1\tLOC 16 20\tدمشق\nT2\tLOC 21 26\tموسكو\nT3\tLOC 28 33\tروسيا\nT4\tORG 39 42\tCNN\nT5\tMISC 53 57\t2254\n");
        assert_eq!(read_file("sub/b.ann"), "T1\tORG 6 16\tمجلس الأمن\nT2\tORG 6 23\tمجلس الأمن الدولي\nT3\tLOC 27 33\tنيويور\nT4\tPERS 41 45\tكيري\n");
        assert_eq!((read_file("empty.txt"), read_file("empty.ann")), (String::new(), String::new()));
        assert_eq!(read_file("x.ann"), "T1\tGPE 3 7\tمجلس\nT2\tORG 3 7;8 13\tمجلس الأمن\n");
        assert_eq!(read_file("annotation.conf"), "[entities]\nPERS\nLOC\nORG\nMISC\nGPE\n\n[relations]\n\n[events]\n\n[attributes]\n");
        assert_eq!(notes, ["x:3: ORG «مجلس\nالأمن» crosses a line break: written as 2 fragments without it"]);
        let loaded = read(&out).expect("reads");
        assert!(loaded.skipped.is_empty(), "{:?}", loaded.skipped);
        let ids: Vec<_> = loaded.documents.iter().map(|d| d.id.as_deref()).collect();
        assert_eq!(ids, [Some("a"), Some("empty"), Some("sub/b"), Some("x")]);
        let written = [&docs[0], &docs[2], &docs[1], &docs[3]];
        for (read, written) in loaded.documents.iter().zip(written) {
            assert_eq!(read.text.as_deref(), Some(written.text.as_str()));
            let mut got: Vec<_> = read.spans.iter().map(|s| (s.start, s.end, s.label.as_str(), s.text.clone())).collect();
            let mut want: Vec<_> = written.spans.iter().map(|s| (s.start, s.end, s.label.as_str(), Some(s.text.clone()))).collect();
            // Including the span across the line break, in fragments in the file.
            got.sort();
            want.sort();
            assert_eq!(got, want);
        }
    }

    #[test]
    fn a_span_across_line_breaks_comes_back_whole() {
        let text = "اجتمع مجلس\r\nالأمن\n\n الدولي أمس";
        let d = doc("corpus/c.txt", text, &[("مجلس\r\nالأمن\n\n الدولي", "ORG")]);
        let (dir, notes) = write(std::slice::from_ref(&d));
        let out = dir.path().join("brat");
        let ann = std::fs::read_to_string(out.join("c.ann")).expect("c.ann");
        assert_eq!(ann, "T1\tORG 6 10;12 17;19 26\tمجلس الأمن  الدولي\n");
        assert_eq!(notes.len(), 1, "{notes:?}");
        let loaded = read(&out).expect("reads");
        assert!(loaded.skipped.is_empty(), "{:?}", loaded.skipped);
        let span = &loaded.documents[0].spans[0];
        let original = &d.spans[0];
        assert_eq!((span.start, span.end, span.text.as_deref()), (original.start, original.end, Some(original.text.as_str())));
    }

    #[test]
    fn two_documents_with_one_stem_are_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut writer = open_writer(ExportFormat::Brat, dir.path(), &labels(), &TokenOptions::default()).expect("opens");
        let mut notes = Vec::new();
        writer.write(&doc("corpus/a.txt", "حلب", &[]), &mut notes).expect("writes");
        let err = writer.write(&doc("a", "دمشق", &[]), &mut notes).unwrap_err();
        assert!(err.to_string().contains("an earlier document was written as a"), "{err}");
        let err = writer.write(&doc("../a", "دمشق", &[]), &mut notes).unwrap_err();
        assert!(matches!(err, ExportError::BadId { .. }), "{err}");
    }
}
