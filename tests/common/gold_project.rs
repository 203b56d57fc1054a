//! A small gold project with one inconsistency of each kind the consistency checks know, and
//! names that look like inconsistencies but are not.
//!
//! Gold spans (LOC unless said):
//! - `الجزيرة` ORG in a, b, c and LOC once in b: (a) labels.
//! - `موسكو` labelled in a, b, c and the first of d; the second of d is unlabelled under a
//!   pending proposal; e's is under a rejected proposal (decided, not counted): 4 of 5, (b).
//! - `روسيا` in a and c, `وروسيا` with its و in b: (c) proclitic.
//! - `القاهرة` in a and b, only `قاهرة` of it in c: (c) article.
//! - `دمشق،` with its comma in a, `دمشق` in b and c: (d) edges.
//! - Not findings: `الأسد` PERS alone and inside `بشار الأسد` PERS (a longer name); `واشنطن`
//!   (begins with و, a name); `أمل` PERS once and twice a common word (1 of 3, under the
//!   thresholds); `جنيف` never labelled.

use std::ops::Range;
use std::path::Path;

use tawsim::model::{AnnotationFile, Origin, Span, SpanState};
use tawsim::store::{save_annotation, sha256_hex};

/// The articles: (file name, text).
pub const ARTICLES: [(&str, &str); 5] = [
    ("a.txt", "قال مراسل الجزيرة إن روسيا تبحث الأمر مع موسكو. وزار بشار الأسد القاهرة أمس، ثم عاد إلى دمشق، والتقى الأسد وفد واشنطن."),
    ("b.txt", "أعلنت قناة الجزيرة أن وفد موسكو وصل إلى دمشق وروسيا ترحب. وقالت الجزيرة إن الوفد زار القاهرة."),
    ("c.txt", "ونقلت الجزيرة عن مصادر في موسكو أن روسيا لن تتراجع، وأن القاهرة تتابع. وفي دمشق قال مسؤول."),
    ("d.txt", "وصل وفد من موسكو إلى جنيف، وقال إن موسكو تريد الحل. وتحدثت أمل عن الأمر، لكن لا أمل في الحل ولا أمل قريبا."),
    ("e.txt", "وفي موسكو اجتماع."),
];

/// Char range of the `nth` (from 0) occurrence of `needle` in `text`.
pub fn nth(text: &str, needle: &str, nth: usize) -> Range<usize> {
    let (byte, _) = text.match_indices(needle).nth(nth).unwrap_or_else(|| panic!("{needle:?} #{nth} in {text:?}"));
    let start = text[..byte].chars().count();
    start..start + needle.chars().count()
}

/// The text of `range`.
pub fn slice(text: &str, range: Range<usize>) -> String {
    text.chars().skip(range.start).take(range.len()).collect()
}

/// (needle, occurrence, label, state) of each gold span of each article.
fn spans(rel: &str) -> Vec<(&'static str, usize, &'static str, SpanState)> {
    use SpanState::{Accepted, Pending, Rejected};
    match rel {
        "a.txt" => vec![
            ("الجزيرة", 0, "ORG", Accepted),
            ("روسيا", 0, "LOC", Accepted),
            ("موسكو", 0, "LOC", Accepted),
            ("بشار الأسد", 0, "PERS", Accepted),
            ("القاهرة", 0, "LOC", Accepted),
            ("دمشق،", 0, "LOC", Accepted),
            ("الأسد", 1, "PERS", Accepted),
            ("واشنطن", 0, "LOC", Accepted),
        ],
        "b.txt" => vec![
            ("الجزيرة", 0, "ORG", Accepted),
            ("موسكو", 0, "LOC", Accepted),
            ("دمشق", 0, "LOC", Accepted),
            ("وروسيا", 0, "LOC", Accepted),
            ("الجزيرة", 1, "LOC", Accepted),
            ("القاهرة", 0, "LOC", Accepted),
        ],
        "c.txt" => vec![
            ("الجزيرة", 0, "ORG", Accepted),
            ("موسكو", 0, "LOC", Accepted),
            ("روسيا", 0, "LOC", Accepted),
            ("قاهرة", 0, "LOC", Accepted),
            ("دمشق", 0, "LOC", Accepted),
        ],
        "d.txt" => vec![("موسكو", 0, "LOC", Accepted), ("موسكو", 1, "LOC", Pending), ("أمل", 0, "PERS", Accepted)],
        "e.txt" => vec![("موسكو", 0, "LOC", Rejected)],
        _ => Vec::new(),
    }
}

/// Writes the project (config, articles, gold files) under `root`.
pub fn write(root: &Path) {
    std::fs::create_dir_all(root.join("corpus")).expect("corpus folder");
    std::fs::write(root.join("tawsim.ron"), "(name: \"gold-consistency\")\n").expect("config");
    for (rel, text) in ARTICLES {
        std::fs::write(root.join("corpus").join(rel), text).expect("article");
        let mut file = AnnotationFile::new(&format!("corpus/{rel}"), &sha256_hex(text), "gold");
        for (needle, n, label, state) in spans(rel) {
            let range = nth(text, needle, n);
            let origin = if state == SpanState::Accepted { Origin::Manual } else { Origin::Proposed { source: "gazetteer".into(), score: 0.9 } };
            let id = file.alloc_id();
            file.spans.push(Span { origin, state, ..Span::manual(id, range, label, needle) });
        }
        file.sort_spans();
        save_annotation(&root.join("annotations").join("gold").join(format!("{rel}.ron")), &file).expect("save gold");
    }
}

/// The project in a fresh temporary folder.
pub fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path());
    dir
}
