//! Gazetteer list files named in `tawsim.ron`: RON (what `tawsim gazetteer` writes) or plain text.
//!
//! Plain text is for lists people keep by hand or export from elsewhere: one entry per line,
//! `form<TAB>LABEL` or `form<TAB>LABEL<TAB>score`; blank lines and lines starting with `#` are
//! skipped.

use std::path::{Path, PathBuf};

use super::gazetteer::{Gazetteer, GazetteerList};
use crate::ron_text::{from_ron, to_ron};

/// A list file that could not be read or written, with the place of the fault.
#[derive(Debug, thiserror::Error)]
#[error("{}:{line}: {message}", path.display())]
pub struct ListError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line of the fault (0 when the whole file is at fault).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl ListError {
    fn whole(path: &Path, message: impl Into<String>) -> Self {
        ListError { path: path.to_owned(), line: 0, message: message.into() }
    }
}

/// Reads a gazetteer list: `.ron` files as written by `tawsim gazetteer`, anything else as plain
/// text.
pub fn load_gazetteer(path: &Path) -> Result<Gazetteer, ListError> {
    let bytes = std::fs::read(path).map_err(|e| ListError::whole(path, e.to_string()))?;
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("ron")) {
        let list: GazetteerList =
            from_ron(&bytes, path).map_err(|e| ListError { path: path.to_owned(), line: e.line, message: format!("column {}: {}", e.column, e.message) })?;
        return Ok(Gazetteer::from_list(list));
    }
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
        ListError { path: path.to_owned(), line, message: "not UTF-8 text".to_owned() }
    })?;
    Ok(Gazetteer::from_entries(parse_plain_list(text, path)?))
}

/// The entries of a plain-text list.
fn parse_plain_list(text: &str, path: &Path) -> Result<Vec<(String, String, f32)>, ListError> {
    let mut entries = Vec::new();
    for (index, line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let fault = |message: String| ListError { path: path.to_owned(), line: index + 1, message };
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        let (form, label, score) = match fields[..] {
            [form, label] => (form, label, 1.0),
            [form, label, score] => {
                let score: f32 = score.parse().map_err(|_| fault(format!("score `{score}` is not a number")))?;
                (form, label, score)
            }
            _ => return Err(fault("expected `form<TAB>LABEL` or `form<TAB>LABEL<TAB>score`".to_owned())),
        };
        if form.is_empty() || label.is_empty() {
            return Err(fault("the form and the label must not be empty".to_owned()));
        }
        if !(0.0..=1.0).contains(&score) {
            return Err(fault(format!("score {score} is outside 0..1")));
        }
        entries.push((form.to_owned(), label.to_owned(), score));
    }
    Ok(entries)
}

/// A gazetteer as the text of a RON list file (what `tawsim gazetteer` writes).
pub fn gazetteer_list_text(gazetteer: &Gazetteer) -> Result<String, String> {
    let text = to_ron(&gazetteer.to_list(), 2).map_err(|e| format!("cannot serialize the gazetteer: {e}"))?;
    let header = "// A tawsim gazetteer list: (form, label, score) entries matched on normalized text, and\n\
                  // the word lists of the person-name extension. Written by `tawsim gazetteer`.\n";
    Ok(format!("{header}{text}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_lists_read_forms_labels_and_scores() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("places.tsv");
        std::fs::write(&path, "# places\nموسكو\tLOC\n\nالأمم المتحدة\tORG\t0.9\n").expect("write");
        let gazetteer = load_gazetteer(&path).expect("loads");
        let entries: Vec<_> = gazetteer.entries().map(|(f, l, s)| (f.to_owned(), l.to_owned(), s)).collect();
        let norm = crate::propose::gazetteer::normalize_form;
        assert_eq!(entries, [(norm("موسكو"), "LOC".to_owned(), 1.0), (norm("الأمم المتحدة"), "ORG".to_owned(), 0.9)]);
        let found: Vec<_> = gazetteer.propose("وصل إلى موسكو أمس").into_iter().map(|p| p.range).collect();
        assert_eq!(found, vec![8..13]);
    }

    #[test]
    fn faults_in_plain_lists_name_the_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("bad.txt");
        std::fs::write(&path, "موسكو\tLOC\nدمشق LOC\n").expect("write");
        let error = load_gazetteer(&path).expect_err("the second line has no tab");
        assert_eq!(error.line, 2);
        assert!(error.to_string().contains("bad.txt:2:"), "{error}");
        std::fs::write(&path, "موسكو\tLOC\tlots\n").expect("write");
        assert!(load_gazetteer(&path).expect_err("bad score").to_string().contains("`lots` is not a number"));
    }

    #[test]
    fn ron_lists_round_trip_and_faults_are_located() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("list.ron");
        let gazetteer = Gazetteer::from_sentences(
            &crate::formats::conll::parse_conll("محمد B-PERS\nالأغبش I-PERS\nفي O\nموسكو B-LOC\n\nمحمد B-PERS\nعلي I-PERS\n").expect("conll"),
        );
        let text = gazetteer_list_text(&gazetteer).expect("serializes");
        std::fs::write(&path, &text).expect("write");
        let again = load_gazetteer(&path).expect("loads");
        assert_eq!(again.to_list(), gazetteer.to_list());
        assert_eq!(gazetteer_list_text(&again).expect("serializes"), text, "the same data writes the same bytes");
        std::fs::write(&path, "(entries: [(\"موسكو\", \"LOC\")])").expect("write");
        let error = load_gazetteer(&path).expect_err("entries need a score");
        assert_eq!(error.line, 1, "{error}");
    }
}
