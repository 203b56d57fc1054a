//! Imported predictions: the same entities written as JSONL, brat and CoNLL all become the same
//! proposals on the sample articles, and what does not fit is reported with its file and line.

mod common;

use std::ops::Range;
use std::path::{Path, PathBuf};

use common::{SampleProject, char_offset};
use tawsim::arabic::words;
use tawsim::formats::{FormatError, SkipReason};
use tawsim::preannotate::imported::{ImportReport, MatchedBy, NoMatch, PredictionFormat, import_predictions};
use tawsim::store::Project;

const LONDON: &str = "london-talks-sanctions.txt";
const ALEPPO: &str = "east-aleppo-advance.txt";

/// An entity predicted in a sample article: its char range, label and text.
#[derive(Clone, Debug, PartialEq)]
struct Entity {
    range: Range<usize>,
    label: String,
    text: String,
}

/// The first occurrence of each `(name, label)` in `text`.
fn entities(text: &str, names: &[(&str, &str)]) -> Vec<Entity> {
    let mut found: Vec<Entity> = names
        .iter()
        .map(|&(name, label)| {
            let start = char_offset(text, name);
            Entity { range: start..start + name.chars().count(), label: label.to_owned(), text: name.to_owned() }
        })
        .collect();
    found.sort_by_key(|e| e.range.start);
    assert!(found.windows(2).all(|w| w[0].range.end <= w[1].range.start), "fixture entities overlap");
    found
}

/// The two sample articles' texts and the entities every fixture predicts in them.
struct Fixture {
    project: SampleProject,
    london: String,
    aleppo: String,
    london_entities: Vec<Entity>,
    aleppo_entities: Vec<Entity>,
}

impl Fixture {
    fn new(name: &str) -> Self {
        let project = SampleProject::new(name);
        let london = project.text(LONDON);
        let aleppo = project.text(ALEPPO);
        let london_entities = entities(&london, &[("جون كيري", "PERS"), ("موسكو", "LOC"), ("الأسد", "PERS"), ("دمشق", "LOC")]);
        let aleppo_entities = entities(&aleppo, &[("موسكو", "LOC"), ("حلب", "LOC")]);
        Fixture { project, london, aleppo, london_entities, aleppo_entities }
    }

    fn open(&self) -> Project {
        Project::open(&self.project.root).expect("sample project opens")
    }

    fn file(&self, name: &str) -> PathBuf {
        self.project.root.join(name)
    }

    /// Writes `content` to the file `name` in the project folder and imports it in the format its
    /// name suggests.
    fn write_and_import(&self, name: &str, content: &str) -> Result<(Project, ImportReport), FormatError> {
        let path = self.file(name);
        std::fs::write(&path, content).expect("write fixture");
        let format = PredictionFormat::guess(&path).expect("a known extension");
        let project = self.open();
        import_predictions(&path, format, &project).map(|report| (project, report))
    }

    /// The proposals of an article as entities, checked to carry `source`.
    fn proposed(&self, report: &ImportReport, project: &Project, rel: &str, source: &str) -> Vec<Entity> {
        let index = project_index(project, rel);
        let chars: Vec<char> = self.project.text(rel).chars().collect();
        report
            .proposals
            .get(&index)
            .into_iter()
            .flatten()
            .map(|p| {
                assert_eq!(p.source, source);
                assert!((0.0..=1.0).contains(&p.score));
                Entity { range: p.range.clone(), label: p.label.clone(), text: chars[p.range.clone()].iter().collect() }
            })
            .collect()
    }

    /// Imports `path` (whose format its name must suggest) and asserts that both articles got
    /// exactly the fixture's entities, as proposals named after the file.
    fn import(&self, path: &Path, format: PredictionFormat) -> ImportReport {
        assert_eq!(PredictionFormat::guess(path), Some(format));
        let project = self.open();
        let report = import_predictions(path, format, &project).expect("reads");
        let file = path.file_name().expect("a file name").to_string_lossy();
        let source = format!("import:{file}");
        assert_eq!(report.source, source);
        assert_eq!(self.proposed(&report, &project, LONDON, &source), self.london_entities);
        assert_eq!(self.proposed(&report, &project, ALEPPO, &source), self.aleppo_entities);
        assert_eq!(report.proposals.len(), 2, "no other article gets proposals");
        report
    }
}

/// Asserts `report.skipped` holds `reason` at line `line` of `path`.
fn assert_skipped(report: &ImportReport, path: &Path, line: usize, reason: impl Fn(&SkipReason) -> bool) {
    assert!(
        report.skipped.iter().any(|s| s.at.path == path && s.at.line == line && reason(&s.reason)),
        "nothing skipped as expected at {}:{line}; skipped: {:#?}",
        path.display(),
        report.skipped.iter().map(ToString::to_string).collect::<Vec<_>>()
    );
}

/// Index of the article `rel` in `project`.
fn project_index(project: &Project, rel: &str) -> usize {
    project.articles.iter().position(|a| a.rel == rel).expect("article in the project")
}

/// Each matched document's line and how it was matched.
fn matched_by(report: &ImportReport) -> Vec<(usize, MatchedBy)> {
    report.matched.iter().map(|m| (m.origin.line, m.by)).collect()
}

/// `text` as a JSON string literal.
fn json_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}

#[test]
fn jsonl_by_id_and_by_text_with_every_misfit_reported() {
    let fx = Fixture::new("import-jsonl");
    let moscow = &fx.london_entities[1];
    // موسكو comes with a score; the others get the default.
    let spacy_spans: Vec<String> = fx
        .london_entities
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let score = if i == 1 { r#", "score": 0.5"# } else { "" };
            format!(r#"{{"start": {}, "end": {}, "label": "{}", "text": "{}"{score}}}"#, e.range.start, e.range.end, e.label, e.text)
        })
        .collect();
    let doccano_labels: Vec<String> = fx.aleppo_entities.iter().map(|e| format!(r#"[{}, {}, "{}"]"#, e.range.start, e.range.end, e.label)).collect();
    let lines = [
        // 1: spaCy/Prodigy shape, matched by the article's file stem.
        format!(r#"{{"id": "london-talks-sanctions", "spans": [{}]}}"#, spacy_spans.join(", ")),
        // 2: doccano shape, an id no article has: matched by its text, which ends in a CRLF the
        // article does not.
        format!(r#"{{"id": 7, "text": {}, "label": [{}]}}"#, json_string(&format!("{}\r\n", fx.aleppo)), doccano_labels.join(", ")),
        String::new(),
        // 4: an article the project does not have.
        r#"{"id": "no-such-article", "text": "نص لا يوجد في المشروع", "spans": [[0, 2, "LOC"]]}"#.to_owned(),
        // 5: spans that do not fit: unknown label, past the end, wrong text.
        format!(
            r#"{{"id": "corpus/{LONDON}", "spans": [{{"start": {}, "end": {}, "label": "GPE"}}, [0, 999999, "LOC"], {{"start": {}, "end": {}, "label": "LOC", "text": "لندن"}}]}}"#,
            moscow.range.start, moscow.range.end, moscow.range.start, moscow.range.end
        ),
        // 6: not JSON.
        r#"{"id": "london-talks-sanctions", "spans": ["#.to_owned(),
        // 7: the id names the Aleppo article, the text is London's: reported, then matched by text.
        format!(r#"{{"id": "{ALEPPO}", "text": {}, "spans": [{}]}}"#, json_string(&fx.london), spacy_spans[0]),
    ];
    let path = fx.file("predictions.jsonl");
    std::fs::write(&path, lines.join("\n")).expect("write fixture");

    let report = fx.import(&path, PredictionFormat::Jsonl);
    assert_eq!(matched_by(&report), vec![(1, MatchedBy::Id), (2, MatchedBy::Content), (5, MatchedBy::Id), (7, MatchedBy::Content)]);

    let london = project_index(&fx.open(), LONDON);
    let scores: Vec<f32> = report.proposals[&london].iter().map(|p| p.score).collect();
    assert_eq!(scores, vec![1.0, 0.5, 1.0, 1.0]);

    let [unmatched] = report.unmatched.as_slice() else { panic!("one unmatched document: {:?}", report.unmatched) };
    assert_eq!((unmatched.origin.path.as_path(), unmatched.origin.line), (path.as_path(), 4));
    assert_eq!(unmatched.reason, NoMatch::NotFound);
    assert!(unmatched.to_string().contains("predictions.jsonl:4: document \"no-such-article\" not matched"), "{unmatched}");

    let [conflict] = report.conflicts.as_slice() else { panic!("one id conflict: {:?}", report.conflicts) };
    assert_eq!(conflict.origin.line, 7);
    assert!(conflict.why.contains(ALEPPO), "{conflict}");

    assert_skipped(&report, &path, 5, |r| *r == SkipReason::UnknownLabel("GPE".into()));
    assert_skipped(&report, &path, 5, |r| matches!(r, SkipReason::BadRange { end: 999999, .. }));
    assert_skipped(&report, &path, 5, |r| matches!(r, SkipReason::TextMismatch { found, .. } if found == "موسكو"));
    assert_skipped(&report, &path, 6, |r| matches!(r, SkipReason::Unreadable(_)));
    assert_eq!(report.skipped.len(), 4, "{:#?}", report.skipped);
    assert!(report.unreadable.is_empty());
}

#[test]
fn brat_folder_by_stem_and_by_text() {
    let fx = Fixture::new("import-brat");
    let dir = fx.file("predictions-brat");
    std::fs::create_dir(&dir).expect("folder");
    let t_lines = |entities: &[Entity]| -> String {
        entities.iter().enumerate().map(|(i, e)| format!("T{}\t{} {} {}\t{}\n", i + 1, e.label, e.range.start, e.range.end, e.text)).collect()
    };
    // Matched by stem, no .txt beside it; then a relation, a discontinuous entity and a label
    // outside the schema.
    let london = &fx.london_entities;
    let mut ann = t_lines(london);
    let n = london.len();
    ann.push_str("R1\tMeets Arg1:T1 Arg2:T2\n");
    ann.push_str(&format!("T{}\tLOC {} {};{} {}\tx y\n", n + 1, london[1].range.start, london[1].range.end, london[3].range.start, london[3].range.end));
    ann.push_str(&format!("T{}\tGPE {} {}\t{}\n", n + 2, london[1].range.start, london[1].range.end, london[1].text));
    std::fs::write(dir.join("london-talks-sanctions.ann"), ann).expect("write");
    // Named unlike any article: matched by the text of its .txt.
    std::fs::write(dir.join("doc2.ann"), t_lines(&fx.aleppo_entities)).expect("write");
    std::fs::write(dir.join("doc2.txt"), &fx.aleppo).expect("write");
    // In no article.
    std::fs::write(dir.join("other.ann"), "T1\tLOC 0 3\tنص\n").expect("write");
    std::fs::write(dir.join("other.txt"), "نص آخر").expect("write");

    let report = fx.import(&dir, PredictionFormat::Brat);

    let ann_path = dir.join("london-talks-sanctions.ann");
    assert_skipped(&report, &ann_path, n + 1, |r| *r == SkipReason::NotAnEntity("relation"));
    assert_skipped(&report, &ann_path, n + 2, |r| matches!(r, SkipReason::Discontinuous(_)));
    assert_skipped(&report, &ann_path, n + 3, |r| *r == SkipReason::UnknownLabel("GPE".into()));
    assert_eq!(report.skipped.len(), 3);

    let [unmatched] = report.unmatched.as_slice() else { panic!("one unmatched document: {:?}", report.unmatched) };
    assert_eq!(unmatched.origin.path, dir.join("other.ann"));
    assert_eq!(unmatched.id.as_deref(), Some("other"));
    let by: Vec<MatchedBy> = matched_by(&report).into_iter().map(|(_, by)| by).collect();
    assert_eq!(by, vec![MatchedBy::Content, MatchedBy::Id], "doc2 then london, in path order");
}

/// Writes a document as CoNLL lines: the article's words, split further where an entity starts
/// or ends inside one (as a clitic-splitting tokenizer would), one `token LABEL` per line, a blank
/// line after each `.`. Returns the 1-based line of each entity's first token.
fn conll_document(out: &mut Vec<String>, text: &str, entities: &[Entity], spell: impl Fn(&str) -> String) -> Vec<usize> {
    let chars: Vec<char> = text.chars().collect();
    let mut first_lines = vec![0; entities.len()];
    for word in words(text) {
        let mut cuts = vec![word.range.start, word.range.end];
        for e in entities {
            cuts.extend([e.range.start, e.range.end].into_iter().filter(|c| word.range.contains(c)));
        }
        cuts.sort_unstable();
        cuts.dedup();
        for piece in cuts.windows(2) {
            let token: String = chars[piece[0]..piece[1]].iter().collect();
            let tag = match entities.iter().position(|e| e.range.contains(&piece[0])) {
                Some(i) if entities[i].range.start == piece[0] => {
                    first_lines[i] = out.len() + 1;
                    format!("B-{}", entities[i].label)
                }
                Some(i) => format!("I-{}", entities[i].label),
                None => "O".to_owned(),
            };
            out.push(format!("{} {tag}", spell(&token)));
            if token == "." {
                out.push(String::new());
            }
        }
    }
    first_lines
}

#[test]
fn conll_by_docstart_id_and_by_tokens_with_normalized_alignment() {
    let fx = Fixture::new("import-conll");
    let mut lines = vec!["-DOCSTART- london-talks-sanctions".to_owned()];
    // A tokenizer that drops the hamza: الأسد is written الاسد and must still align.
    let mut london = fx.london_entities.clone();
    let moscow = london[1].clone();
    // One more entity with a label outside the schema, on the second occurrence of موسكو.
    let second = fx.london.match_indices("موسكو").nth(1).map(|(b, _)| fx.london[..b].chars().count()).expect("two");
    london.push(Entity { range: second..second + 5, label: "GPE".into(), text: moscow.text.clone() });
    let first_lines = conll_document(&mut lines, &fx.london, &london, |t| t.replace('أ', "ا"));
    assert!(lines.iter().any(|l| l.starts_with("الاسد B-PERS")), "the fixture exercises normalization");
    lines.push(String::new());
    lines.push("-DOCSTART- -X- -X- O".to_owned());
    conll_document(&mut lines, &fx.aleppo, &fx.aleppo_entities, str::to_owned);
    lines.push("-DOCSTART- -X- -X- O".to_owned());
    let stray_line = lines.len();
    lines.extend(["كلمات O".to_owned(), "لا O".to_owned(), "توجد O".to_owned()]);
    let path = fx.file("predictions.conll");
    std::fs::write(&path, lines.join("\n")).expect("write fixture");

    let report = fx.import(&path, PredictionFormat::Conll);
    let by = matched_by(&report);
    assert_eq!(by[0], (1, MatchedBy::Id));
    assert_eq!(by[1].1, MatchedBy::Content);
    assert_skipped(&report, &path, first_lines[london.len() - 1], |r| *r == SkipReason::UnknownLabel("GPE".into()));
    assert_eq!(report.skipped.len(), 1);
    let [unmatched] = report.unmatched.as_slice() else { panic!("one unmatched document: {:?}", report.unmatched) };
    assert_eq!(unmatched.origin.line, stray_line);
    assert_eq!(unmatched.reason, NoMatch::NotFound);
}

#[test]
fn a_conll_id_whose_tokens_do_not_align_is_a_conflict_with_the_token_line() {
    let fx = Fixture::new("import-conll-misfit");
    let (_, report) = fx.write_and_import("wrong.conll", "-DOCSTART- london-talks-sanctions\nاتفق O\nوزير O\nالداخلية O\n").expect("reads");
    assert!(report.proposals.is_empty());
    let [conflict] = report.conflicts.as_slice() else { panic!("one conflict: {:?}", report.conflicts) };
    assert!(conflict.why.contains("wrong.conll:4: token \"الداخلية\" not found"), "{conflict}");
    assert!(matches!(&report.unmatched[0].reason, NoMatch::Misfit(why) if *why == conflict.why));
}

#[test]
fn unreadable_files_are_errors_naming_the_file() {
    let fx = Fixture::new("import-missing");
    let project = fx.open();
    let missing = fx.file("nothing.jsonl");
    let err = import_predictions(&missing, PredictionFormat::Jsonl, &project).unwrap_err();
    assert!(err.to_string().contains("nothing.jsonl: cannot read"), "{err}");
    let err = fx.write_and_import("bad.conll", "كيري B-PERS\nموسكو\n").unwrap_err();
    assert!(err.to_string().ends_with("bad.conll:2: expected `token LABEL`, found \"موسكو\""), "{err}");
}

#[test]
fn an_article_that_cannot_be_read_is_reported_and_matches_nothing() {
    let fx = Fixture::new("import-unreadable");
    // Windows-1256 bytes: not UTF-8, so the article is not used as it is.
    std::fs::write(fx.project.root.join("corpus/broken.txt"), b"\xC7\xE1\xCF").expect("write");
    let (project, report) = fx.write_and_import("p.jsonl", r#"{"id": "broken", "spans": [[0, 1, "LOC"]]}"#).expect("reads");
    assert!(report.proposals.is_empty());
    assert_eq!(report.unmatched[0].reason, NoMatch::ArticleUnreadable("broken.txt".into()));
    let [unreadable] = report.unreadable.as_slice() else { panic!("one unreadable article: {:?}", report.unreadable) };
    assert_eq!(project.articles[unreadable.article].rel, "broken.txt");
    assert!(unreadable.error.contains("not UTF-8"), "{}", unreadable.error);
}
