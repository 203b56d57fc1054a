//! The store on real folders: round trips, atomic and refused writes, validation, re-anchoring,
//! encodings, and random edit sequences.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use proptest::prelude::*;
use tawsim::model::{AnnotationFile, DocStatus, Origin, Span, SpanEdit, SpanState, char_slice};
use tawsim::store::{
    AnnotationError, ArticleError, CONFIG_FILE_NAME, OpenError, Problem, ProblemKind, Project, ProjectConfig, ProjectError, SaveError, WriteOutcome,
    quarantine, read_annotation, read_article, save_annotation, temp_path_for, validate_project,
};
use tempfile::TempDir;

const ARTICLE: &str = "اتفق وزير الخارجية الأمريكي جون كيري مع نظيره البريطاني بوريس جونسون على فرض مزيد من العقوبات على موسكو.\n";

/// A project folder with a default config and the given `corpus/`-relative articles.
fn project_with(articles: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    ProjectConfig { name: "test".into(), ..ProjectConfig::default() }.save(&dir.path().join(CONFIG_FILE_NAME)).unwrap();
    for (rel, text) in articles {
        let path = dir.path().join("corpus").join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

/// A span over the first occurrence of `needle` in `text`.
fn span_of(text: &str, needle: &str, id: u64, label: &str) -> Span {
    let byte = text.find(needle).unwrap();
    let start = text[..byte].chars().count();
    Span::manual(id, start..start + needle.chars().count(), label, needle)
}

fn kinds(problems: &[Problem]) -> Vec<ProblemKind> {
    problems.iter().map(|p| p.kind).collect()
}

/// Opens `rel` for `amal`, adds spans over `needles`, saves, and returns the annotation path.
fn annotate(root: &Path, rel: &str, needles: &[(&str, &str)]) -> PathBuf {
    let project = Project::open(root).unwrap();
    let mut doc = project.open_document(rel, "amal").unwrap();
    for (needle, label) in needles {
        let id = doc.annotation.alloc_id();
        doc.annotation.apply(&SpanEdit::Add(span_of(&doc.article.text, needle, id, label))).unwrap();
    }
    assert_eq!(project.save_document(rel, "amal", &doc.annotation).unwrap(), WriteOutcome::Written);
    doc.path
}

#[test]
fn annotation_file_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("annotations/amal/news/a.txt.ron");
    let mut file = AnnotationFile::new("corpus/news/a.txt", "ab12", "amal");
    file.status = DocStatus::InProgress;
    for span in [
        span_of(ARTICLE, "جون كيري", 1, "PERS"),
        Span { origin: Origin::Proposed { source: "gazetteer".into(), score: 0.92 }, state: SpanState::Pending, ..span_of(ARTICLE, "موسكو", 2, "LOC") },
        Span { origin: Origin::Imported { source: "anercorp.conll".into() }, ..span_of(ARTICLE, "بوريس جونسون", 3, "PERS") },
    ] {
        file.apply(&SpanEdit::Add(span)).unwrap();
    }
    assert_eq!(save_annotation(&path, &file).unwrap(), WriteOutcome::Written);
    assert_eq!(read_annotation(&path).unwrap(), Some(file));
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("(id: 2, start: "), "spans not one per line:\n{text}");
}

#[test]
fn unchanged_content_is_not_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.txt.ron");
    let file = AnnotationFile::new("corpus/a.txt", "", "amal");
    assert_eq!(save_annotation(&path, &file).unwrap(), WriteOutcome::Written);
    let long_ago = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    fs::File::options().write(true).open(&path).unwrap().set_modified(long_ago).unwrap();
    assert_eq!(save_annotation(&path, &file).unwrap(), WriteOutcome::Unchanged);
    assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), long_ago);
}

#[test]
fn failed_write_leaves_the_old_file_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.txt.ron");
    let mut file = AnnotationFile::new("corpus/a.txt", "", "amal");
    save_annotation(&path, &file).unwrap();
    let before = fs::read(&path).unwrap();
    // A folder where the temporary file must go makes its creation fail, as a full or
    // read-only disk would (permissions cannot do it: tests may run as root).
    let blocker = temp_path_for(&path);
    fs::create_dir(&blocker).unwrap();
    file.apply(&SpanEdit::Add(span_of(ARTICLE, "موسكو", 1, "LOC"))).unwrap();
    let err = save_annotation(&path, &file).unwrap_err();
    assert!(matches!(err, SaveError::Io { .. }), "{err}");
    assert!(err.to_string().contains("a.txt.ron"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), before);
    fs::remove_dir(&blocker).unwrap();
    assert_eq!(save_annotation(&path, &file).unwrap(), WriteOutcome::Written);
    assert_eq!(read_annotation(&path).unwrap(), Some(file));
}

#[test]
fn syntax_error_is_located_and_the_file_is_never_overwritten() {
    let dir = project_with(&[("x.txt", ARTICLE)]);
    let path = dir.path().join("annotations/amal/x.txt.ron");
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let broken = "(\n    format: 1,\n    spans: [\n        (id: 1, start: 0, end: 4 label: \"LOC\"),\n    ],\n)\n";
    fs::write(&path, broken).unwrap();

    let err = read_annotation(&path).unwrap_err();
    let AnnotationError::Parse(parse) = &err else { panic!("{err}") };
    assert_eq!((parse.line, parse.column), (4, 34), "{err}");
    assert!(err.to_string().starts_with(&format!("{}:4:34: ", path.display())), "{err}");

    let project = Project::open(dir.path()).unwrap();
    assert!(matches!(project.open_document("x.txt", "amal"), Err(OpenError::Annotation(_))));
    let fresh = AnnotationFile::new("corpus/x.txt", "", "amal");
    let err = project.save_document("x.txt", "amal", &fresh).unwrap_err();
    assert!(matches!(err, SaveError::WouldClobber(_)), "{err}");
    assert!(err.to_string().contains(":4:34:"), "{err}");
    assert_eq!(fs::read_to_string(&path).unwrap(), broken);

    let report = validate_project(dir.path()).unwrap();
    let shown: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(shown[0].starts_with("annotations/amal/x.txt.ron:4:34: "), "{shown:?}");

    // Setting the broken file aside is the one way past the refusal, and it keeps the bytes.
    let aside = quarantine(&path).unwrap();
    assert_eq!(project.save_document("x.txt", "amal", &fresh).unwrap(), WriteOutcome::Written);
    assert_eq!(fs::read_to_string(aside).unwrap(), broken);
}

#[test]
fn hand_edited_faults_are_listed_and_spans_kept() {
    let dir = project_with(&[("x.txt", ARTICLE)]);
    let path = annotate(dir.path(), "x.txt", &[("جون كيري", "PERS"), ("موسكو", "LOC"), ("بوريس جونسون", "PERS")]);
    let text = fs::read_to_string(&path).unwrap();
    let kerry = span_of(ARTICLE, "جون كيري", 1, "PERS");
    let edited = text
        .replace(&format!("start: {}, end: {}", kerry.start, kerry.end), "start: 3, end: 11")
        .replace("text: \"موسكو\"", "text: \"دمشق\"")
        .replace("label: \"PERS\", text: \"بوريس", "label: \"PERSON\", text: \"بوريس");
    assert_ne!(edited, text);
    fs::write(&path, &edited).unwrap();

    let project = Project::open(dir.path()).unwrap();
    let doc = project.open_document("x.txt", "amal").unwrap();
    let mut found = kinds(&doc.problems);
    found.sort_by_key(|k| format!("{k:?}"));
    assert_eq!(found, [ProblemKind::TextMismatch, ProblemKind::TextMismatch, ProblemKind::UnknownLabel], "{:?}", doc.problems);
    assert_eq!(doc.annotation.spans.len(), 3);
    assert!(doc.annotation.spans.iter().any(|s| s.label == "PERSON"));

    let report = validate_project(dir.path()).unwrap();
    assert_eq!(report.errors(), 3, "{report}");
    assert_eq!(report.spans, 3);
    let shown = report.to_string();
    assert!(shown.contains("annotations/amal/x.txt.ron:span 3: label \"PERSON\" is not in the schema"), "{shown}");
    assert!(shown.contains("annotations/amal/x.txt.ron:span 2: text is \"دمشق\" but the article has \"موسكو\""), "{shown}");
}

#[test]
fn article_edited_before_a_span_is_reanchored() {
    let dir = project_with(&[("x.txt", ARTICLE)]);
    let path = annotate(dir.path(), "x.txt", &[("جون كيري", "PERS"), ("موسكو", "LOC")]);
    let edited = ARTICLE.replace("اتفق وزير", "في لندن أمس، اتفق وزير");
    fs::write(dir.path().join("corpus/x.txt"), &edited).unwrap();

    let project = Project::open(dir.path()).unwrap();
    let doc = project.open_document("x.txt", "amal").unwrap();
    assert_eq!(kinds(&doc.problems), [ProblemKind::Moved, ProblemKind::Moved, ProblemKind::HashUpdated], "{:?}", doc.problems);
    let old = span_of(ARTICLE, "جون كيري", 1, "PERS");
    let new = span_of(&edited, "جون كيري", 1, "PERS");
    assert_eq!(doc.problems[0].message, format!("moved from {:?} to {:?}", old.range(), new.range()));
    assert_eq!(doc.annotation.spans[0], new);
    assert_eq!(doc.annotation.spans[1], span_of(&edited, "موسكو", 2, "LOC"));
    assert_eq!(doc.annotation.text_sha256, doc.article.sha256);

    // Validation reports the same repairs without making them.
    let report = validate_project(dir.path()).unwrap();
    assert_eq!((report.errors(), report.fixable()), (0, 3), "{report}");
    project.save_document("x.txt", "amal", &doc.annotation).unwrap();
    assert!(validate_project(dir.path()).unwrap().is_clean());
    assert!(project.open_document("x.txt", "amal").unwrap().problems.is_empty());
    assert_eq!(read_annotation(&path).unwrap().unwrap(), doc.annotation);
}

#[test]
fn ambiguous_reanchoring_is_flagged_and_nothing_moves() {
    let article = "وصل الوفد إلى حلب صباحا.\n";
    let dir = project_with(&[("x.txt", article)]);
    let path = annotate(dir.path(), "x.txt", &[("حلب", "LOC")]);
    let saved = read_annotation(&path).unwrap().unwrap();
    // The old place of the name now holds other words, and the name occurs twice nearby.
    fs::write(dir.path().join("corpus/x.txt"), "غادر الوفد حلب ثم عاد إلى حلب صباحا.\n").unwrap();

    let project = Project::open(dir.path()).unwrap();
    let doc = project.open_document("x.txt", "amal").unwrap();
    assert_eq!(kinds(&doc.problems), [ProblemKind::Ambiguous], "{:?}", doc.problems);
    assert!(doc.problems[0].message.contains("occurs 2 times"), "{}", doc.problems[0]);
    assert_eq!(doc.annotation.spans, saved.spans);
    assert_eq!(doc.annotation.text_sha256, saved.text_sha256);
    assert_ne!(doc.annotation.text_sha256, doc.article.sha256);
}

#[test]
fn windows_1256_article_is_detected_with_its_text() {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1256.encode(ARTICLE);
    assert!(!unmappable);
    let dir = project_with(&[]);
    let path = dir.path().join("corpus/legacy.txt");
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, &bytes).unwrap();
    match read_article(&path) {
        Err(ArticleError::NotUtf8 { likely, decoded, .. }) => {
            assert_eq!(likely, "windows-1256");
            assert_eq!(decoded.as_deref(), Some(ARTICLE));
        }
        other => panic!("{other:?}"),
    }
    let report = validate_project(dir.path()).unwrap();
    assert_eq!(kinds(&report.problems), [ProblemKind::ArticleUnreadable]);
    assert!(report.problems[0].to_string().starts_with("corpus/legacy.txt: not UTF-8"), "{report}");
    assert!(report.problems[0].message.contains("windows-1256"), "{report}");
}

#[test]
fn empty_binary_and_missing_articles_are_reported() {
    let dir = project_with(&[("empty.txt", ""), ("ok.txt", ARTICLE)]);
    fs::write(dir.path().join("corpus/image.txt"), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").unwrap();
    let corpus = dir.path().join("corpus");
    assert!(matches!(read_article(&corpus.join("empty.txt")), Err(ArticleError::Empty { .. })));
    assert!(matches!(read_article(&corpus.join("image.txt")), Err(ArticleError::Binary { offset: 8, .. })));
    let err = read_article(&corpus.join("gone.txt")).unwrap_err();
    assert!(matches!(err, ArticleError::Unreadable { .. }));
    assert!(err.to_string().contains("gone.txt"), "{err}");

    let report = validate_project(dir.path()).unwrap();
    let shown: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert_eq!(shown, ["corpus/empty.txt: the file is empty", "corpus/image.txt: not a text file (NUL byte at offset 8)"]);
    assert_eq!(report.articles, 3);
}

#[test]
fn orphan_and_misfiled_annotations_are_reported() {
    let dir = project_with(&[("x.txt", ARTICLE)]);
    let path = annotate(dir.path(), "x.txt", &[("موسكو", "LOC")]);
    let copy = dir.path().join("annotations/omar/x.txt.ron");
    fs::create_dir_all(copy.parent().unwrap()).unwrap();
    fs::copy(&path, &copy).unwrap();
    fs::copy(&path, dir.path().join("annotations/amal/deleted.txt.ron")).unwrap();

    let report = validate_project(dir.path()).unwrap();
    let shown: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert_eq!(report.annotators, ["amal", "omar"]);
    assert_eq!(report.annotation_files, 3);
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert!(shown[0].starts_with("annotations/amal/deleted.txt.ron: no article \"deleted.txt\""), "{shown:?}");
    assert_eq!(shown[1], "annotations/omar/x.txt.ron: annotator was \"amal\", set to \"omar\" to match the file's path (fixed)");
}

#[test]
fn open_lists_articles_at_any_depth_sorted() {
    let dir = project_with(&[("b.txt", ARTICLE), ("a/z.txt", ARTICLE), ("a/b/c.TXT", ARTICLE), ("notes.md", "x")]);
    fs::create_dir_all(dir.path().join("corpus/.git")).unwrap();
    fs::write(dir.path().join("corpus/.git/x.txt"), ARTICLE).unwrap();
    let project = Project::open(dir.path()).unwrap();
    let rels: Vec<&str> = project.articles.iter().map(|a| a.rel.as_str()).collect();
    assert_eq!(rels, ["a/b/c.TXT", "a/z.txt", "b.txt"]);
    assert_eq!(project.articles[1].document, "corpus/a/z.txt");
    assert!(project.article("a/z.txt").is_some());
}

#[test]
fn open_without_config_says_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let err = Project::open(dir.path()).unwrap_err();
    assert!(err.to_string().contains("tawsim.ron") && err.to_string().contains("not a tawsim project"), "{err}");
}

#[test]
fn init_finds_the_corpus_and_refuses_to_overwrite() {
    let flat = tempfile::tempdir().unwrap();
    fs::write(flat.path().join("a.txt"), ARTICLE).unwrap();
    let project = Project::init(flat.path()).unwrap();
    assert_eq!(project.config.corpus, ".");
    assert_eq!(project.articles.len(), 1);
    assert_eq!(project.articles[0].document, "a.txt");
    assert!(!project.config.schema.labels.is_empty());
    let config = fs::read_to_string(flat.path().join(CONFIG_FILE_NAME)).unwrap();
    assert!(matches!(Project::init(flat.path()), Err(ProjectError::AlreadyAProject { .. })));
    assert_eq!(fs::read_to_string(flat.path().join(CONFIG_FILE_NAME)).unwrap(), config);

    // Annotations saved inside a corpus "." are not taken for articles.
    project.save_document("a.txt", "amal", &AnnotationFile::new("a.txt", "", "amal")).unwrap();
    assert_eq!(Project::open(flat.path()).unwrap().articles.len(), 1);

    let nested = tempfile::tempdir().unwrap();
    for rel in ["data/news/a.txt", "data/news/2016/b.txt"] {
        let path = nested.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, ARTICLE).unwrap();
    }
    let project = Project::init(nested.path()).unwrap();
    assert_eq!(project.config.corpus, "data/news");
    let rels: Vec<&str> = project.articles.iter().map(|a| a.rel.as_str()).collect();
    assert_eq!(rels, ["2016/b.txt", "a.txt"]);

    let empty = tempfile::tempdir().unwrap();
    assert!(matches!(Project::init(empty.path()), Err(ProjectError::NoArticles { .. })));
    assert!(!empty.path().join(CONFIG_FILE_NAME).exists());
}

#[test]
fn bad_annotator_names_never_reach_the_disk() {
    let dir = project_with(&[("x.txt", ARTICLE)]);
    let project = Project::open(dir.path()).unwrap();
    for name in ["", "../x", "a/b", ".."] {
        assert!(project.open_document("x.txt", name).is_err(), "{name:?}");
        let err = project.save_document("x.txt", name, &AnnotationFile::new("corpus/x.txt", "", name)).unwrap_err();
        assert!(matches!(err, SaveError::Name(_)), "{name:?}: {err}");
    }
    assert!(!dir.path().join("annotations").exists());
}

#[cfg(unix)]
#[test]
fn links_out_of_the_project_are_not_followed_and_no_link_is_replaced() {
    use std::os::unix::fs::symlink;
    let dir = project_with(&[("a.txt", ARTICLE)]);
    let root = dir.path();
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("passwd"), "root:x:0:0\n").unwrap();
    symlink(outside.path().join("passwd"), root.join("corpus/secret.txt")).unwrap();
    symlink(root.join("corpus/a.txt"), root.join("corpus/same.txt")).unwrap();
    let project = Project::open(root).unwrap();
    let rels: Vec<&str> = project.articles.iter().map(|a| a.rel.as_str()).collect();
    assert_eq!(rels, ["a.txt", "same.txt"], "a link inside the project is an article, one out of it is not");
    assert_eq!(project.outside_links.len(), 1);
    let report = validate_project(root).unwrap();
    let link = report.problems.iter().find(|p| p.kind == ProblemKind::Link).expect("reported");
    assert!(link.to_string().starts_with("corpus/secret.txt: a symbolic link to ") && link.message.contains("outside the project"), "{link}");

    // An annotation file linked out of the project is not read; one linked inside is read but
    // never replaced by a regular file.
    let amal = root.join("annotations/amal");
    let annotated = root.join("annotations/kept.ron");
    fs::rename(annotate(root, "a.txt", &[("موسكو", "LOC")]), &annotated).unwrap();
    fs::copy(&annotated, outside.path().join("a.txt.ron")).unwrap();
    symlink(outside.path().join("a.txt.ron"), amal.join("a.txt.ron")).unwrap();
    assert!(matches!(project.open_document("a.txt", "amal"), Err(OpenError::Link(_))));
    fs::remove_file(amal.join("a.txt.ron")).unwrap();
    symlink(&annotated, amal.join("a.txt.ron")).unwrap();
    let doc = project.open_document("a.txt", "amal").unwrap();
    assert_eq!(doc.annotation.spans.len(), 1);
    let err = project.save_document("a.txt", "amal", &AnnotationFile::new("corpus/a.txt", "", "amal")).unwrap_err();
    assert!(err.to_string().contains("is a symbolic link"), "{err}");
    assert!(fs::symlink_metadata(amal.join("a.txt.ron")).unwrap().file_type().is_symlink());
    let err = save_annotation(&amal.join("a.txt.ron"), &AnnotationFile::new("corpus/a.txt", "", "amal")).unwrap_err();
    assert!(err.to_string().contains("is a symbolic link"), "{err}");
}

#[test]
fn leftover_temporary_files_are_removed_on_the_next_open() {
    let dir = project_with(&[("a.txt", ARTICLE)]);
    let annotated = annotate(dir.path(), "a.txt", &[("موسكو", "LOC")]);
    // What a write killed between its temporary file and the rename leaves, by a process long gone.
    let leftover = annotated.with_file_name(".a.txt.ron.999999999.tmp");
    fs::write(&leftover, "(format: 1, spans: [").unwrap();
    let old = SystemTime::now() - Duration::from_secs(3600);
    fs::File::options().write(true).open(&leftover).unwrap().set_modified(old).unwrap();
    let project = Project::open(dir.path()).unwrap();
    assert_eq!(project.removed_leftovers, std::slice::from_ref(&leftover));
    assert!(!leftover.exists() && annotated.exists());
}

#[test]
fn bundled_sample_corpus_validates_clean() {
    let dir = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(tawsim::sample_corpus_dir()).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    let project = Project::init(dir.path()).unwrap();
    assert_eq!(project.articles.len(), 5);
    let report = validate_project(dir.path()).unwrap();
    assert!(report.is_clean(), "{report}");
}

/// Text the random edits work on: names, proclitics, digits and a line break.
const PROP_TEXT: &str = "قال الرئيس الأسد إن دمشقوموسكو تتفقان، وأضاف لوزير الخارجية جون كيري في 2016:\nالأمم المتحدة والقاهرة وروسيا.";
const LABELS: [&str; 5] = ["PERS", "LOC", "ORG", "MISC", "DATE"];

/// One random step, interpreted against the file's current spans.
#[derive(Clone, Debug)]
enum Step {
    Add { start: usize, len: usize, label: usize, score: Option<f32> },
    Remove(usize),
    Relabel(usize, usize),
    MoveStart(usize, i8),
    MoveEnd(usize, i8),
    Accept(usize),
    Status(u8),
    AddTwo { start: usize, label: usize },
}

fn step() -> impl Strategy<Value = Step> {
    let n = PROP_TEXT.chars().count();
    prop_oneof![
        3 => (0..n, 1..12usize, 0..LABELS.len(), proptest::option::of(0.0f32..1.0))
            .prop_map(|(start, len, label, score)| Step::Add { start, len, label, score }),
        1 => any::<usize>().prop_map(Step::Remove),
        1 => (any::<usize>(), 0..LABELS.len()).prop_map(|(i, l)| Step::Relabel(i, l)),
        1 => (any::<usize>(), -4i8..=4).prop_map(|(i, d)| Step::MoveStart(i, d)),
        1 => (any::<usize>(), -4i8..=4).prop_map(|(i, d)| Step::MoveEnd(i, d)),
        1 => any::<usize>().prop_map(Step::Accept),
        1 => (0u8..4).prop_map(Step::Status),
        1 => (0..n, 0..LABELS.len()).prop_map(|(start, label)| Step::AddTwo { start, label }),
    ]
}

fn new_span(file: &mut AnnotationFile, start: usize, end: usize, label: usize) -> Span {
    let n = PROP_TEXT.chars().count();
    let (start, end) = (start.min(n - 1), end.min(n));
    Span::manual(file.alloc_id(), start..end, LABELS[label], char_slice(PROP_TEXT, start..end).unwrap())
}

fn status(code: u8) -> DocStatus {
    [DocStatus::New, DocStatus::InProgress, DocStatus::Done, DocStatus::Reviewed][usize::from(code) % 4]
}

/// The edit `step` makes on `file`, or `None` when it does not apply (no spans, empty range).
fn edit_for(file: &mut AnnotationFile, step: &Step) -> Option<SpanEdit> {
    let n = PROP_TEXT.chars().count();
    let pick = |i: usize| (!file.spans.is_empty()).then(|| file.spans[i % file.spans.len()].clone());
    let changed = |before: Span, after: Span| -> Option<SpanEdit> {
        (after.start < after.end && after.end <= n).then(|| {
            let text = char_slice(PROP_TEXT, after.range()).unwrap().to_owned();
            SpanEdit::Replace { before, after: Span { text, ..after } }
        })
    };
    match *step {
        Step::Add { start, len, label, score } => {
            let mut span = new_span(file, start, start + len, label);
            if let Some(score) = score {
                span.origin = Origin::Proposed { source: "gazetteer".into(), score };
                span.state = SpanState::Pending;
            }
            Some(SpanEdit::Add(span))
        }
        Step::Remove(i) => pick(i).map(SpanEdit::Remove),
        Step::Relabel(i, label) => {
            let before = pick(i)?;
            changed(before.clone(), Span { label: LABELS[label].into(), ..before })
        }
        Step::MoveStart(i, d) => {
            let before = pick(i)?;
            let start = before.start.checked_add_signed(isize::from(d))?;
            changed(before.clone(), Span { start, ..before })
        }
        Step::MoveEnd(i, d) => {
            let before = pick(i)?;
            let end = before.end.checked_add_signed(isize::from(d))?;
            changed(before.clone(), Span { end, ..before })
        }
        Step::Accept(i) => {
            let before = pick(i)?;
            let state = if before.state == SpanState::Accepted { SpanState::Rejected } else { SpanState::Accepted };
            Some(SpanEdit::Replace { after: Span { state, ..before.clone() }, before })
        }
        Step::Status(code) => Some(SpanEdit::SetStatus { before: file.status, after: status(code) }),
        Step::AddTwo { start, label } => {
            let first = new_span(file, start, start + 2, label);
            let second = new_span(file, start + 2, start + 5, (label + 1) % LABELS.len());
            Some(SpanEdit::Batch(vec![SpanEdit::Add(first), SpanEdit::Add(second)]))
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn random_edits_save_load_and_undo(steps in proptest::collection::vec(step(), 0..40)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("annotations/amal/x.txt.ron");
        let empty = AnnotationFile::new("corpus/x.txt", &tawsim::store::sha256_hex(PROP_TEXT), "amal");
        let mut file = empty.clone();
        let mut history = Vec::new();
        for step in &steps {
            let Some(edit) = edit_for(&mut file, step) else { continue };
            let before = file.clone();
            file.apply(&edit).unwrap();
            let sorted = file.spans.windows(2).all(|w| w[0].sort_key() <= w[1].sort_key());
            prop_assert!(sorted, "spans out of order after {:?}", edit);
            let mut undone = file.clone();
            undone.apply(&edit.inverse()).unwrap();
            prop_assert_eq!(&undone, &before);
            history.push(edit);
        }

        save_annotation(&path, &file).unwrap();
        let loaded = read_annotation(&path).unwrap().unwrap();
        prop_assert_eq!(&loaded, &file);
        prop_assert_eq!(save_annotation(&path, &loaded).unwrap(), WriteOutcome::Unchanged);

        let mut rewound = loaded;
        for edit in history.iter().rev() {
            rewound.apply(&edit.inverse()).unwrap();
        }
        prop_assert!(rewound.spans.is_empty());
        prop_assert_eq!(AnnotationFile { next_id: empty.next_id, ..rewound }, empty);
    }
}
