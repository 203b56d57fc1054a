//! brat standoff: a `.ann` file of annotations beside the `.txt` it annotates.
//!
//! Entities are `T` lines, `T1<TAB>LOC 10 15<TAB>موسكو`, with offsets in Unicode scalars (brat
//! is Python). An entity in fragments (`T1<TAB>ORG 0 4;5 10<TAB>مجلس الأمن`) whose gaps in the
//! `.txt` are only whitespace is one span from its first fragment's start to its last one's end:
//! that is how brat, which shows each line apart, and our export write an entity across a line
//! break. Its text is then the `.txt`'s over the whole range, once the line's text (the
//! fragments' texts joined by spaces) has been checked against the fragments.
//!
//! Relations, events, attributes, normalizations, notes and equivalences are not entities, and a
//! truly discontinuous entity (a word between its fragments, or no `.txt` to tell) is not one
//! char range: those lines are recorded in [`Loaded::skipped`] with their line rather than
//! dropped unseen.
//!
//! A document's id is its `.ann` file's stem, or for a folder its path below the folder without
//! the extension (`news/aleppo`), so a brat collection that mirrors the corpus matches by path.

use std::cell::OnceCell;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::{ExternalDocument, ExternalSpan, FormatError, Loaded, Location, SkipReason, Skipped, read_text};
use crate::model::CharIndex;

/// Reads one `.ann` file, or every `.ann` file at any depth under a folder (in path order).
///
/// A single file that cannot be read is an error; in a folder it is recorded as skipped, so one
/// bad file does not hide the others.
pub fn read(path: &Path) -> Result<Loaded, FormatError> {
    if !path.is_dir() {
        let id = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        return read_ann(path, id);
    }
    let mut files = Vec::new();
    list_ann(path, &mut files)?;
    files.sort();
    let mut loaded = Loaded::default();
    for file in files {
        let rel = file.strip_prefix(path).unwrap_or(&file).with_extension("");
        let id = rel.to_string_lossy().replace('\\', "/");
        match read_ann(&file, id) {
            Ok(one) => loaded.append(one),
            Err(e) => loaded.skipped.push(e.into_skipped()),
        }
    }
    Ok(loaded)
}

/// Whether `dir` holds a `.ann` file at any depth.
pub fn holds_ann(dir: &Path) -> bool {
    let mut files = Vec::new();
    list_ann(dir, &mut files).is_ok() && !files.is_empty()
}

/// Reads `path` and the `.txt` beside it (when there is one) as the document `id`.
fn read_ann(path: &Path, id: String) -> Result<Loaded, FormatError> {
    let ann = read_text(path)?;
    let txt = path.with_extension("txt");
    let mut skipped = Vec::new();
    let text = if txt.is_file() { read_text(&txt).map_err(|e| skipped.push(e.into_skipped())).ok() } else { None };
    let mut loaded = parse_ann(&ann, path, id, text);
    loaded.skipped.splice(0..0, skipped);
    Ok(loaded)
}

/// Parses the text of one `.ann` file as the document `id` with `text` (from its `.txt`, if any).
pub fn parse_ann(ann: &str, path: &Path, id: String, text: Option<String>) -> Loaded {
    let mut spans = Vec::new();
    let mut skipped = Vec::new();
    // Only fragmented entities need char offsets in the text.
    let index = OnceCell::new();
    let txt = || {
        let text = text.as_deref()?;
        Some(index.get_or_init(|| CharIndex::new(text)))
    };
    for (index, raw) in ann.lines().enumerate() {
        let line = index + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let other = match raw.chars().next() {
            Some('T') => None,
            Some('R') => Some("relation"),
            Some('E') => Some("event"),
            Some('A' | 'M') => Some("attribute"),
            Some('N') => Some("normalization"),
            Some('#') => Some("note"),
            Some('*') => Some("equivalence"),
            _ => {
                let message = "expected an annotation line starting with T, R, E, A, M, N, # or *";
                skipped.push(Skipped::new(path, line, SkipReason::Unreadable(message.to_owned())));
                continue;
            }
        };
        if let Some(kind) = other {
            skipped.push(Skipped::new(path, line, SkipReason::NotAnEntity(kind)));
            continue;
        }
        match entity(raw, line, txt) {
            Ok(span) => spans.push(span),
            Err(reason) => skipped.push(Skipped::new(path, line, reason)),
        }
    }
    Loaded { documents: vec![ExternalDocument { id: Some(id), text, spans, origin: Location::new(path, 0), status: None }], skipped }
}

/// The span of a `T` line, `T1<TAB>LABEL START END<TAB>TEXT`, or of one in fragments
/// (`START END;START END`) joined over the whitespace between them in `txt`, the `.txt`.
fn entity<'i, 't: 'i>(raw: &str, line: usize, txt: impl FnOnce() -> Option<&'i CharIndex<'t>>) -> Result<ExternalSpan, SkipReason> {
    let unreadable = || SkipReason::Unreadable(format!("expected `T1<TAB>LABEL START END<TAB>TEXT`, found {raw:?}"));
    let mut fields = raw.splitn(3, '\t');
    let _id = fields.next();
    let (label, offsets) = fields.next().and_then(|f| f.split_once(' ')).ok_or_else(unreadable)?;
    let fragments: Vec<Range<usize>> = offsets
        .split(';')
        .map(|fragment| {
            let numbers: Vec<usize> = fragment.split_whitespace().map(str::parse).collect::<Result<_, _>>().ok()?;
            let [start, end] = numbers[..] else {
                return None;
            };
            Some(start..end)
        })
        .collect::<Option<_>>()
        .ok_or_else(unreadable)?;
    let given = fields.next();
    let (range, text) = match &fragments[..] {
        [range] => (range.clone(), given.map(str::to_owned)),
        _ => {
            let discontinuous = || SkipReason::Discontinuous(offsets.to_owned());
            let txt = txt().ok_or_else(discontinuous)?;
            let range = joined(&fragments, txt).ok_or_else(discontinuous)?;
            let texts: Option<Vec<&str>> = fragments.iter().map(|f| txt.slice(f.clone())).collect();
            let found = texts.ok_or_else(discontinuous)?.join(" ");
            if let Some(expected) = given.filter(|&given| given != found) {
                return Err(SkipReason::TextMismatch { start: range.start, end: range.end, expected: expected.to_owned(), found });
            }
            let whole = txt.slice(range.clone()).map(str::to_owned);
            (range, whole)
        }
    };
    Ok(ExternalSpan { start: range.start, end: range.end, label: label.to_owned(), score: None, text, line })
}

/// The one range `fragments` make when they are in order and only whitespace of `txt` lies
/// between them.
fn joined(fragments: &[Range<usize>], txt: &CharIndex<'_>) -> Option<Range<usize>> {
    for pair in fragments.windows(2) {
        let gap = txt.slice(pair[0].end..pair[1].start)?;
        if pair[0].start > pair[0].end || !gap.chars().all(char::is_whitespace) {
            return None;
        }
    }
    let (first, last) = (fragments.first()?, fragments.last()?);
    (last.start <= last.end && last.end <= txt.len_chars()).then_some(first.start..last.end)
}

/// Adds the `.ann` files at any depth under `dir` to `found`; hidden entries are not entered.
fn list_ann(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), FormatError> {
    let entries = std::fs::read_dir(dir).map_err(|e| FormatError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| FormatError::io(dir, e))?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        // `file_type` does not follow symlinks, so a linked folder cannot make this loop.
        let kind = entry.file_type().map_err(|e| FormatError::io(&path, e))?;
        if kind.is_dir() {
            list_ann(&path, found)?;
        } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("ann")) {
            found.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first document's spans as (start, end, label, text, line).
    fn spans(loaded: &Loaded) -> Vec<(usize, usize, &str, Option<&str>, usize)> {
        loaded.documents[0].spans.iter().map(|s| (s.start, s.end, s.label.as_str(), s.text.as_deref(), s.line)).collect()
    }

    /// What was skipped, as the user reads it.
    fn skipped(loaded: &Loaded) -> Vec<String> {
        loaded.skipped.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn entity_lines_become_spans_and_other_lines_are_reported() {
        let ann = "T1\tLOC 9 14\tموسكو\nT2\tPERS 4 8\tكيري\nR1\tVisit Arg1:T2 Arg2:T1\n\
                   T3\tLOC 0 3;9 14\tزار موسكو\nE1\tMove:T4\nA1\tNegated E1\n#1\tAnnotatorNotes T1\tcity\n\
                   T4\tLOC nine 14\tموسكو\nN1\tReference T1 Wikipedia:123\tMoscow\n";
        let loaded = parse_ann(ann, Path::new("a.ann"), "a".into(), Some("زار كيري موسكو".into()));
        assert_eq!(loaded.documents[0].id.as_deref(), Some("a"));
        assert_eq!(spans(&loaded), vec![(9, 14, "LOC", Some("موسكو"), 1), (4, 8, "PERS", Some("كيري"), 2)]);
        assert_eq!(
            skipped(&loaded),
            vec![
                "a.ann:3: brat relation line skipped: only entities (T lines) are read",
                "a.ann:4: discontinuous entity (0 3;9 14) skipped: a span is one char range",
                "a.ann:5: brat event line skipped: only entities (T lines) are read",
                "a.ann:6: brat attribute line skipped: only entities (T lines) are read",
                "a.ann:7: brat note line skipped: only entities (T lines) are read",
                "a.ann:8: expected `T1<TAB>LABEL START END<TAB>TEXT`, found \"T4\\tLOC nine 14\\tموسكو\"",
                "a.ann:9: brat normalization line skipped: only entities (T lines) are read",
            ]
        );
    }

    #[test]
    fn fragments_over_whitespace_are_one_span() {
        let text = "قال مجلس\nالأمن الدولي\r\n \nأمس في\nجنيف وموسكو";
        let ann = "T1\tORG 4 8;9 21\tمجلس الأمن الدولي\n\
                   T2\tMISC 15 21;25 28\tالدولي أمس\n\
                   T3\tLOC 25 28;29 31;32 36\tأمس في جنيف\n\
                   T4\tORG 4 8;9 14\tمجلس والأمن\n\
                   T5\tLOC 32 36;25 28\tجنيف أمس\n\
                   T6\tLOC 0 3;9 14\tقال الأمن\n\
                   T7\tORG 4 8;x 14\tمجلس الأمن\n\
                   T8\tLOC 37 43;44 46\tوموسكو xx\n";
        let loaded = parse_ann(ann, Path::new("a.ann"), "a".into(), Some(text.into()));
        // Line breaks, a blank line between them, and a space between fragments.
        assert_eq!(
            spans(&loaded),
            [(4, 21, "ORG", Some("مجلس\nالأمن الدولي"), 1), (15, 28, "MISC", Some("الدولي\r\n \nأمس"), 2), (25, 36, "LOC", Some("أمس في\nجنيف"), 3),]
        );
        assert_eq!(
            skipped(&loaded),
            [
                "a.ann:4: span 4..14 says \"مجلس والأمن\" but the text there is \"مجلس الأمن\"",
                "a.ann:5: discontinuous entity (32 36;25 28) skipped: a span is one char range",
                "a.ann:6: discontinuous entity (0 3;9 14) skipped: a span is one char range",
                "a.ann:7: expected `T1<TAB>LABEL START END<TAB>TEXT`, found \"T7\\tORG 4 8;x 14\\tمجلس الأمن\"",
                "a.ann:8: discontinuous entity (37 43;44 46) skipped: a span is one char range",
            ]
        );
        // Without the .txt nothing tells what lies between the fragments.
        let loaded = parse_ann(ann, Path::new("a.ann"), "a".into(), None);
        assert!(loaded.documents[0].spans.is_empty());
        assert!(loaded.skipped.iter().all(|s| s.at.line == 7 || matches!(s.reason, SkipReason::Discontinuous(_))), "{:?}", loaded.skipped);
    }

    #[test]
    fn a_folder_reads_every_ann_with_its_txt_when_there_is_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let news = dir.path().join("news");
        std::fs::create_dir_all(&news).expect("folder");
        std::fs::write(news.join("aleppo.ann"), "T1\tLOC 0 3\tحلب\n").expect("write");
        std::fs::write(news.join("aleppo.txt"), "\u{FEFF}حلب اليوم").expect("write");
        std::fs::write(dir.path().join("moscow.ann"), "T1\tLOC 0 5\tموسكو\n").expect("write");
        std::fs::write(dir.path().join("notes.md"), "not brat").expect("write");
        assert!(holds_ann(dir.path()));
        let loaded = read(dir.path()).expect("reads");
        assert!(loaded.skipped.is_empty(), "{:?}", loaded.skipped);
        let docs: Vec<_> = loaded.documents.iter().map(|d| (d.id.as_deref(), d.text.as_deref(), d.spans.len())).collect();
        // The .txt is read without its byte-order mark; moscow.ann has no .txt.
        assert_eq!(docs, vec![(Some("moscow"), None, 1), (Some("news/aleppo"), Some("حلب اليوم"), 1)]);
        // One file on its own is named by its stem.
        let one = read(&news.join("aleppo.ann")).expect("reads");
        assert_eq!(one.documents[0].id.as_deref(), Some("aleppo"));
        assert_eq!(one.documents[0].origin.to_string(), news.join("aleppo.ann").display().to_string());
    }

    #[test]
    fn an_unreadable_txt_is_reported_and_the_annotations_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("a.ann"), "T1\tLOC 0 3\tحلب\n").expect("write");
        std::fs::write(dir.path().join("a.txt"), b"\xC7\xE1").expect("write");
        let loaded = read(dir.path()).expect("reads");
        assert_eq!(loaded.documents[0].spans.len(), 1);
        assert_eq!(loaded.documents[0].text, None);
        assert_eq!(loaded.skipped.len(), 1);
        assert!(loaded.skipped[0].to_string().contains("a.txt:1: not UTF-8"), "{}", loaded.skipped[0]);
        assert!(read(&dir.path().join("missing.ann")).is_err());
    }
}
