//! `tawsim export`, `tawsim import` and `tawsim stats` from the command line: round trips through
//! the formats, errors named by file and line, splits, and the exports of the hand-annotated
//! sample article compared byte for byte with `tests/fixtures/export/`.
//!
//! The fixtures are what the writers produce today, reviewed by eye when they were made. After a
//! deliberate change to a writer, regenerate them with
//! `TAWSIM_BLESS=1 cargo test --test cli_dataset` and review the diff before committing it.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::SampleProject;
use tawsim::formats::conll::parse_conll;
use tawsim::model::{DocStatus, LabelledSentence, SpanState};
use tawsim::store::{ExportSentences, ExportTokenize, ProjectConfig, read_annotation};

/// The hand-annotated gold article of the sample project.
const GOLD_ARTICLE: &str = "london-talks-sanctions.txt";

fn tawsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tawsim")).args(args).output().expect("runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// A copy of the sample project with its hand-annotated gold article.
fn gold_sample(name: &str) -> SampleProject {
    let project = SampleProject::new(name);
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("annotations/gold").join(format!("{GOLD_ARTICLE}.ron"));
    let to = project.annotation("gold", GOLD_ARTICLE);
    std::fs::create_dir_all(to.parent().expect("folder")).expect("annotations folder");
    std::fs::copy(from, to).expect("copy the gold annotation");
    project
}

/// `tawsim import --format FORMAT SOURCE --into INTO EXTRA…`.
fn import(format: &str, source: &Path, into: &Path, extra: &[&str]) -> Output {
    let args = ["import", "--format", format, path_str(source), "--into", path_str(into)];
    tawsim(&[&args[..], extra].concat())
}

/// `tawsim export DIR --format FORMAT --out OUT EXTRA…`.
fn export(dir: &Path, format: &str, out: &Path, extra: &[&str]) -> Output {
    let args = ["export", path_str(dir), "--format", format, "--out", path_str(out)];
    tawsim(&[&args[..], extra].concat())
}

/// `output`, after insisting that its exit status was 0.
fn ok(output: Output) -> Output {
    assert_eq!(output.status.code(), Some(0), "stdout: {}\nstderr: {}", stdout(&output), stderr(&output));
    output
}

/// Asserts that the output's stdout holds `needle`, showing all of it when not.
fn assert_stdout_has(output: &Output, needle: &str) {
    let said = stdout(output);
    assert!(said.contains(needle), "{needle:?} not in stdout:\n{said}");
}

/// Asserts that the output's stderr holds `needle`, showing all of it when not.
fn assert_stderr_has(output: &Output, needle: &str) {
    let said = stderr(output);
    assert!(said.contains(needle), "{needle:?} not in stderr:\n{said}");
}

/// Every file below `dir`, relative, sorted.
fn files_below(dir: &Path) -> BTreeSet<PathBuf> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeSet<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                out.insert(path.strip_prefix(base).expect("below").to_owned());
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

/// Asserts two files are byte-identical, showing the first line that differs.
fn assert_same_file(got: &Path, want: &Path) {
    let (a, b) = (std::fs::read(got).expect("read"), std::fs::read(want).expect("read"));
    if a != b {
        let (a, b) = (String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
        let line = a.lines().zip(b.lines()).position(|(x, y)| x != y).unwrap_or(a.lines().count().min(b.lines().count()));
        panic!("{} differs from {} at line {}:\n  got:  {:?}\n  want: {:?}", got.display(), want.display(), line + 1, a.lines().nth(line), b.lines().nth(line));
    }
}

/// Asserts two folders hold the same files with the same bytes.
fn assert_same_tree(got: &Path, want: &Path) {
    assert_eq!(files_below(got), files_below(want), "{} and {} hold different files", got.display(), want.display());
    for file in files_below(want) {
        assert_same_file(&got.join(&file), &want.join(&file));
    }
}

/// The export variants committed as fixtures: folder name, format, extra arguments.
const VARIANTS: [(&str, &str, &[&str]); 7] = [
    ("ron", "ron", &[]),
    ("jsonl", "jsonl", &[]),
    ("conll", "conll", &[]),
    ("bioes", "bioes", &[]),
    ("brat", "brat", &[]),
    ("hf", "hf", &[]),
    ("conll-clitics", "conll", &["--split-clitics"]),
];

#[test]
fn exports_of_the_gold_article_match_the_fixtures_and_so_do_their_notes() {
    let project = gold_sample("export-fixtures");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/export");
    let bless = std::env::var_os("TAWSIM_BLESS").is_some_and(|v| v == "1");
    let work = tempfile::tempdir().expect("temp dir");
    for (variant, format, extra) in VARIANTS {
        let folder = work.path().join(variant);
        let kind = format.parse::<tawsim::formats::export::ExportFormat>().expect("a format");
        let out = if kind.writes_folder() { folder.join("london") } else { folder.join(format!("london.{}", kind.extension())) };
        let extra = [&["--from", "gold"][..], extra].concat();
        let output = ok(export(&project.root, format, &out, &extra));
        let said = stdout(&output);
        let notes = stderr(&output);
        // The summary counts what the file holds: the 76 entities, less those a flat format dropped.
        let written = 76 - notes.lines().filter(|l| l.contains(" dropped: ")).count();
        assert!(said.contains(&format!("1 document(s): {written} entities")), "{variant}: {said}");
        assert!(said.contains("left out: 4 article(s) without a gold file, 0 not done, 0 failed"), "{variant}: {said}");
        let want_notes = fixtures.join(format!("{variant}.notes"));
        if bless {
            let _ = std::fs::remove_dir_all(fixtures.join(variant));
            copy_tree(&folder, &fixtures.join(variant));
            std::fs::write(&want_notes, &notes).expect("bless the notes");
            continue;
        }
        assert_same_tree(&folder, &fixtures.join(variant));
        let want = std::fs::read_to_string(&want_notes).expect("the notes fixture (TAWSIM_BLESS=1 makes it)");
        assert_eq!(notes, want, "{variant}: the export notes changed");
    }
    // The notes are about the gold article and name it with the offset of what changed.
    let conll_notes = std::fs::read_to_string(fixtures.join("conll.notes")).expect("notes");
    assert!(conll_notes.lines().filter(|l| !l.contains("no annotation file")).all(|l| l.starts_with("corpus/london-talks-sanctions.txt:")), "{conll_notes}");
}

/// Copies the files below `from` into `to`.
fn copy_tree(from: &Path, to: &Path) {
    for file in files_below(from) {
        let target = to.join(&file);
        std::fs::create_dir_all(target.parent().expect("folder")).expect("folder");
        std::fs::copy(from.join(&file), target).expect("copy");
    }
}

/// The sentences of a CoNLL text as tokens and IOB2 tags: entities as the lenient reader finds
/// them (IOB1 or IOB2), written back as IOB2, so both sides of a comparison use one scheme.
fn iob2(text: &str) -> Vec<(Vec<String>, Vec<String>)> {
    let sentences: Vec<LabelledSentence> = parse_conll(text).expect("valid CoNLL");
    sentences
        .into_iter()
        .map(|s| {
            let mut tags = vec!["O".to_owned(); s.tokens.len()];
            for (range, label) in &s.entities {
                for (k, i) in range.clone().enumerate() {
                    tags[i] = format!("{}-{label}", if k == 0 { "B" } else { "I" });
                }
            }
            (s.tokens, tags)
        })
        .collect()
}

#[test]
fn anercorp_imported_then_exported_as_conll_gives_back_its_tokens_and_labels() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/anercorp/train.conll");
    if !source.is_file() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{} is missing; CI must have it", source.display());
        eprintln!("{} not found; round trip not checked", source.display());
        return;
    }
    let work = tempfile::tempdir().expect("temp dir");
    let project = work.path().join("anercorp");
    let output = ok(import("conll", &source, &project, &[]));
    assert_stdout_has(&output, "(a new project, labels PERS, LOC, ORG, MISC)");
    let config = ProjectConfig::load(&project.join("tawsim.ron")).expect("config");
    assert_eq!(config.export.tokenize, Some(ExportTokenize::Whitespace));
    assert_eq!(config.export.sentences, Some(ExportSentences::Lines));
    let out = work.path().join("out.conll");
    let output = ok(export(&project, "conll", &out, &[]));
    assert_eq!(stderr(&output), "", "whitespace tokens hold every entity as it is: no notes");
    let original = iob2(&std::fs::read_to_string(&source).expect("read"));
    let exported = iob2(&std::fs::read_to_string(&out).expect("read"));
    assert_eq!(original.len(), 4423, "sentences of the original");
    assert_eq!(exported.len(), original.len(), "sentences");
    for (i, (got, want)) in exported.iter().zip(&original).enumerate() {
        assert_eq!(got, want, "sentence {}", i + 1);
    }
}

/// A project exported in a format, imported into a new project, and that exported again.
struct RoundTrip {
    /// The first export.
    first: PathBuf,
    /// The export of the imported copy.
    second: PathBuf,
    /// The project the first export was imported into.
    copy: PathBuf,
    _work: tempfile::TempDir,
}

impl RoundTrip {
    fn new(project: &SampleProject, format: &str, first: &str, second: &str) -> Self {
        let work = tempfile::tempdir().expect("temp dir");
        let (first, second, copy) = (work.path().join(first), work.path().join(second), work.path().join("copy"));
        ok(export(&project.root, format, &first, &[]));
        ok(import(format, &first, &copy, &[]));
        ok(export(&copy, format, &second, &[]));
        RoundTrip { first, second, copy, _work: work }
    }
}

/// `annotator`'s annotation of the sample's gold article in the project at `root`.
fn gold_article_of(root: &Path, annotator: &str) -> tawsim::model::AnnotationFile {
    let path = root.join("annotations").join(annotator).join(format!("{GOLD_ARTICLE}.ron"));
    read_annotation(&path).expect("loads").expect("written")
}

#[test]
fn jsonl_exported_imported_and_exported_again_is_byte_identical() {
    let project = gold_sample("jsonl-round-trip");
    let trip = RoundTrip::new(&project, "jsonl", "a.jsonl", "b.jsonl");
    assert_same_file(&trip.second, &trip.first);
    let copy = &trip.copy;
    // The spans came in as imported gold, with the status the export wrote under `meta`.
    let file = gold_article_of(copy, "gold");
    assert_eq!(file.spans.len(), 76);
    assert_eq!(file.status, DocStatus::Reviewed);
    assert!(
        file.spans.iter().all(|s| s.state == SpanState::Accepted && matches!(&s.origin, tawsim::model::Origin::Imported { source } if source == "a.jsonl"))
    );
    assert_eq!(std::fs::read_to_string(copy.join("corpus").join(GOLD_ARTICLE)).expect("article"), project.text(GOLD_ARTICLE));
}

#[test]
fn brat_exported_imported_and_exported_again_is_identical() {
    let project = gold_sample("brat-round-trip");
    let RoundTrip { first, second, .. } = &RoundTrip::new(&project, "brat", "one", "two");
    let stem = GOLD_ARTICLE.trim_end_matches(".txt");
    for ext in ["txt", "ann"] {
        assert_same_file(&second.join(format!("{stem}.{ext}")), &first.join(format!("{stem}.{ext}")));
    }
    assert_same_tree(second, first);
}

#[test]
fn a_ron_dataset_imports_with_its_statuses() {
    let project = gold_sample("ron-import");
    let work = tempfile::tempdir().expect("temp dir");
    let (data, copy) = (work.path().join("gold.ron"), work.path().join("copy"));
    ok(export(&project.root, "ron", &data, &[]));
    ok(import("ron", &data, &copy, &["--as", "amal"]));
    let file = gold_article_of(&copy, "amal");
    assert_eq!((file.spans.len(), file.status), (76, DocStatus::Reviewed));
}

/// A temporary folder holding the file `name` with `content`; its path, and where a project
/// beside it would go.
fn source_file(name: &str, content: impl AsRef<[u8]>) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let work = tempfile::tempdir().expect("temp dir");
    let source = work.path().join(name);
    std::fs::write(&source, content).expect("write");
    let into = work.path().join("p");
    (work, source, into)
}

/// Whether an import into `dir` left anything behind.
fn nothing_written(dir: &Path) -> bool {
    files_below(dir).is_empty()
}

#[test]
fn an_i_after_o_under_iob2_is_named_by_file_and_line_and_nothing_is_written() {
    let (_work, source, into) = source_file("bad.conll", "قال O\nجون B-PERS\nكيري I-PERS\n\nفي O\nحلب I-LOC\n");
    let output = import("conll", &source, &into, &["--scheme", "iob2"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).starts_with(&format!("{}:6: I-LOC without B-LOC (IOB2)", source.display())), "{}", stderr(&output));
    assert!(nothing_written(&into));
    // Read leniently (the default), the same file imports, حلب as LOC.
    let output = ok(import("conll", &source, &into, &[]));
    assert_stdout_has(&output, "2 entities (PERS 1, LOC 1)");
}

#[test]
fn jsonl_spans_past_the_end_or_with_other_text_are_named_and_skip_lists_them() {
    let (_work, source, into) = source_file(
        "p.jsonl",
        concat!(
            r#"{"id": "one", "text": "زار كيري موسكو", "spans": [{"start": 4, "end": 8, "label": "PERS"}]}"#,
            "\n",
            r#"{"id": "two", "text": "حلب", "spans": [{"start": 0, "end": 3, "label": "LOC"}, {"start": 1, "end": 40, "label": "LOC"}]}"#,
            "\n",
            r#"{"id": "three", "text": "دمشق", "spans": [{"start": 0, "end": 4, "label": "LOC", "text": "دمشك"}]}"#,
            "\n",
        ),
    );
    let path = source.display();
    let output = import("jsonl", &source, &into, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).starts_with(&format!("{path}:2: span 1..40 is not inside the text (3 chars)")), "{}", stderr(&output));
    assert!(nothing_written(&into), "a stopped import writes nothing");

    let output = import("jsonl", &source, &into, &["--on-error", "skip"]);
    assert_eq!(output.status.code(), Some(1), "something was skipped");
    let skipped: Vec<String> = stderr(&output).lines().map(str::to_owned).collect();
    assert_eq!(
        skipped,
        [
            format!("skipped {path}:2: span 1..40 is not inside the text (3 chars)"),
            format!("skipped {path}:3: span 0..4 says \"دمشك\" but the text there is \"دمشق\""),
        ]
    );
    assert_stdout_has(&output, "imported 3 document(s)");
    assert!(stdout(&output).ends_with("; 2 skipped\n"), "{}", stdout(&output));
    let spans = |name: &str| read_annotation(&into.join("annotations/gold").join(format!("{name}.txt.ron"))).expect("loads").expect("written").spans.len();
    assert_eq!([spans("one"), spans("two"), spans("three")], [1, 1, 0]);
}

#[test]
fn a_windows_1256_file_is_refused_by_name() {
    let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode("قال O\nكيري B-PERS\n");
    let (_work, source, into) = source_file("legacy.conll", &bytes);
    let output = import("conll", &source, &into, &["--on-error", "skip"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr(&output), format!("{}:1: not UTF-8; convert the file to UTF-8\n", source.display()));
    assert!(nothing_written(&into));
}

#[test]
fn an_import_never_overwrites_a_different_article_or_annotated_file() {
    let (_work, source, into) = source_file("p.jsonl", r#"{"id": "corpus/x.txt", "text": "زار كيري موسكو", "spans": [[4, 8, "PERS"]]}"#);
    ok(import("jsonl", &source, &into, &[]));
    // Again, with the gold file as the import left it: done already (a retry after a failure).
    let output = ok(import("jsonl", &source, &into, &[]));
    assert_stdout_has(&output, "0 article(s) written, 1 already there");
    // Once someone has worked on the gold file, it is not overwritten.
    let gold = into.join("annotations/gold/x.txt.ron");
    let worked = std::fs::read_to_string(&gold).expect("gold").replace("status: Done", "status: Reviewed");
    std::fs::write(&gold, worked).expect("write");
    let output = import("jsonl", &source, &into, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert_stderr_has(&output, "annotations/gold/x.txt.ron: already holds 1 span(s) of gold; not overwritten");
    // As another annotator it goes in, reusing the article.
    let output = ok(import("jsonl", &source, &into, &["--as", "amal"]));
    assert_stdout_has(&output, "0 article(s) written, 1 already there");
    // A different text under the same name is refused.
    std::fs::write(&source, r#"{"id": "x", "text": "زار لافروف حلب", "spans": []}"#).expect("write");
    let output = import("jsonl", &source, &into, &["--as", "omar"]);
    assert_eq!(output.status.code(), Some(1));
    assert_stderr_has(&output, "corpus/x.txt: a different article of this name is in the corpus; not overwritten");
    // A label the existing project does not have is an error of that span.
    std::fs::write(&source, r#"{"id": "y", "text": "زار لافروف حلب", "spans": [[11, 14, "GPE"]]}"#).expect("write");
    let output = import("jsonl", &source, &into, &[]);
    assert_stderr_has(&output, "p.jsonl:1: label \"GPE\" is not in the project's schema");
}

/// A CoNLL file of `n` one-sentence articles' worth of text.
fn sentences_file(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join("many.conll");
    let text: String = (0..n).map(|i| format!("زار O\nكيري B-PERS\nحلب B-LOC\n{i} O\n\n")).collect();
    std::fs::write(&path, text).expect("write");
    path
}

/// The ids of a JSONL export's documents.
fn jsonl_ids(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .expect("read")
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json")["id"].as_str().expect("an id").to_owned())
        .collect()
}

#[test]
fn splits_are_reproducible_disjoint_and_sized_by_their_percentages() {
    let work = tempfile::tempdir().expect("temp dir");
    let source = sentences_file(work.path(), 20);
    let project = work.path().join("p");
    let output = ok(import("conll", &source, &project, &["--sentences-per-article", "1"]));
    assert_stdout_has(&output, "imported 20 document(s)");
    let split = |name: &str, seed: &str| {
        let out = work.path().join(name);
        let output = ok(export(&project, "jsonl", &out, &["--split", "80,10,10", "--seed", seed]));
        assert_stdout_has(&output, "20 document(s) (train 16, dev 2, test 2)");
        ["train", "dev", "test"].map(|part| jsonl_ids(&out.join(format!("{part}.jsonl"))))
    };
    let first = split("a", "7");
    assert_eq!(first, split("b", "7"), "the same seed gives the same split");
    assert_ne!(first, split("c", "8"), "another seed, another split");
    assert_eq!(first.each_ref().map(Vec::len), [16, 2, 2]);
    let all: BTreeSet<&String> = first.iter().flatten().collect();
    assert_eq!(all.len(), 20, "every document in exactly one part");
    // Two numbers: train and test only.
    let out = work.path().join("two");
    ok(export(&project, "conll", &out, &["--split", "70,30"]));
    assert_eq!(files_below(&out), ["test.conll", "train.conll"].map(PathBuf::from).into_iter().collect());
    // The folder is not empty now: refused, naming it, unless --force.
    let output = export(&project, "conll", &out, &["--split", "70,30"]);
    assert_eq!(output.status.code(), Some(2));
    assert_stderr_has(&output, &format!("{}: is a folder that is not empty; choose another --out or add --force", out.display()));
    ok(export(&project, "conll", &out, &["--split", "70,30", "--force"]));
}

#[test]
fn labels_can_be_renamed_dropped_and_filtered_and_broken_files_are_reported() {
    let project = gold_sample("export-labels");
    let work = tempfile::tempdir().expect("temp dir");
    let out = work.path().join("a.jsonl");
    let output = ok(export(&project.root, "jsonl", &out, &["--map", "PERS=PER", "--map", "MISC=O", "--labels", "PER,LOC"]));
    let said = stdout(&output);
    assert!(said.contains("entities (PER ") && !said.contains("ORG") && !said.contains("MISC"), "{said}");
    let output = export(&project.root, "jsonl", &work.path().join("b.jsonl"), &["--labels", "PER"]);
    assert_eq!(output.status.code(), Some(2));
    assert_stderr_has(&output, "--labels PER: no such label");
    // A misspelt --from is an error, not an empty dataset.
    let misspelt = work.path().join("b.jsonl");
    let output = export(&project.root, "jsonl", &misspelt, &["--from", "gld"]);
    assert_eq!(output.status.code(), Some(2));
    assert_stderr_has(&output, "--from gld: this project has no annotation files of \"gld\" (it has: gold)");
    assert!(!misspelt.exists());
    // A gold file whose span disagrees with its article is left out and named; exit status 1.
    let broken = project.annotation("gold", "aleppo-street-fighting.txt");
    let text = project.text("aleppo-street-fighting.txt");
    let mut file = tawsim::model::AnnotationFile::new("corpus/aleppo-street-fighting.txt", &tawsim::store::sha256_hex(&text), "gold");
    file.spans.push(tawsim::model::Span::manual(1, 0..3, "LOC", "xyz"));
    file.status = DocStatus::Done;
    tawsim::store::save_annotation(&broken, &file).expect("saved");
    let output = export(&project.root, "conll", &work.path().join("c.conll"), &["--done-only"]);
    assert_eq!(output.status.code(), Some(1));
    assert_stderr_has(&output, "corpus/aleppo-street-fighting.txt: left out of the dataset:\n  ");
    assert_stderr_has(&output, "aleppo-street-fighting.txt.ron:span 1: text is \"xyz\"");
    // 76 entities, of which CoNLL's flat tags hold 75 (a nested span is dropped, and noted).
    assert_stdout_has(&output, "1 document(s): 75 entities");
    assert_stdout_has(&output, "3 article(s) without a gold file, 0 not done, 1 failed");
}

/// The words of the `total` row of a stats table.
fn total_row(table: &str) -> Vec<&str> {
    let row = table.lines().find(|l| l.trim_start().starts_with("total"));
    row.expect("a total row").split_whitespace().collect()
}

#[test]
fn stats_counts_the_gold_articles_entities_and_keeps_proposals_apart() {
    let project = gold_sample("stats");
    let text = project.text("aleppo-street-fighting.txt");
    let mut file = tawsim::model::AnnotationFile::new("corpus/aleppo-street-fighting.txt", &tawsim::store::sha256_hex(&text), "amal");
    let chars: Vec<char> = text.chars().collect();
    let word = |range: std::ops::Range<usize>| chars[range].iter().collect::<String>();
    file.spans.push(tawsim::model::Span::manual(1, 0..3, "LOC", &word(0..3)));
    for id in [2, 3] {
        file.spans.push(tawsim::model::Span { state: SpanState::Pending, ..tawsim::model::Span::manual(id, 4..6, "PERS", &word(4..6)) });
    }
    file.status = DocStatus::InProgress;
    tawsim::store::save_annotation(&project.annotation("amal", "aleppo-street-fighting.txt"), &file).expect("saved");
    let output = ok(tawsim(&["stats", path_str(&project.root)]));
    let said = stdout(&output);
    let gold = said.split("\ngold: ").nth(1).expect("a gold table").split("\n\n").next().expect("table");
    assert!(gold.starts_with("1 file(s): 0 new, 0 in progress, 0 done, 1 reviewed; 4 article(s) without a file"), "{said}");
    assert_eq!(total_row(gold), ["total", "76", "0"], "{said}");
    let amal = said.split("\namal: ").nth(1).expect("an amal table");
    assert_eq!(total_row(amal), ["total", "1", "2"], "{said}");
    assert!(amal.starts_with("1 file(s): 0 new, 1 in progress"), "{said}");
}

/// Every file below `dir` with its bytes, to see that nothing changed.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files_below(dir).into_iter().map(|f| (f.clone(), std::fs::read(dir.join(&f)).expect("read"))).collect()
}

#[test]
fn an_export_never_writes_into_the_project_it_reads() {
    let project = gold_sample("export-guard");
    let root = project.root.clone();
    let before = snapshot(&root);
    let outside = tempfile::tempdir().expect("temp dir");
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("corpus"), outside.path().join("linked-corpus")).expect("link");
    let mut outs = vec![
        ("ron", project.annotation("gold", GOLD_ARTICLE)),
        ("conll", root.join("corpus").join(GOLD_ARTICLE)),
        ("jsonl", root.join("tawsim.ron")),
        ("brat", root.join("corpus/exported")),
        ("conll", root.join("annotations/new.conll")),
        ("jsonl", outside.path().join("x/../").join(path_str(&root)).join("corpus/../corpus/x.jsonl")),
        ("brat", root.clone()),
    ];
    if cfg!(unix) {
        outs.push(("conll", outside.path().join("linked-corpus/x.conll")));
    }
    for (format, out) in &outs {
        for extra in [&[][..], &["--force"][..]] {
            let output = export(&root, format, out, extra);
            assert_eq!(output.status.code(), Some(2), "{format} to {} {extra:?} was not refused: {}", out.display(), stdout(&output));
            assert_stderr_has(&output, "an export never writes into the project it reads, --force or not");
            assert!(!stderr(&output).contains("add --force"), "{}", stderr(&output));
        }
    }
    assert_eq!(snapshot(&root), before, "the project is as it was");
    // The split form of a folder that holds the project is refused too.
    let output = export(&root, "jsonl", &root, &["--split", "80,20", "--force"]);
    assert_stderr_has(&output, "holds the project's corpus, annotations or tawsim.ron");
    assert_eq!(snapshot(&root), before);
}

#[test]
fn export_summaries_count_the_entities_written() {
    let project = gold_sample("export-counts");
    let dir = tempfile::tempdir().expect("temp dir");
    let total = |output: &Output| -> usize {
        let said = stdout(output);
        let at = said.find(" entities (").unwrap_or_else(|| panic!("no count in {said}"));
        said[..at].rsplit(' ').next().and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("no count in {said}"))
    };
    let jsonl = ok(export(&project.root, "jsonl", &dir.path().join("g.jsonl"), &[]));
    assert_eq!(total(&jsonl), 76, "JSONL keeps every span");
    let conll_out = dir.path().join("g.conll");
    let conll = ok(export(&project.root, "conll", &conll_out, &[]));
    let begins = std::fs::read_to_string(&conll_out).expect("written").lines().filter(|l| l.contains(" B-")).count();
    assert_eq!(total(&conll), begins, "CoNLL drops a nested span, and says how many it wrote: {}", stdout(&conll));
    assert!(begins < 76);
}

#[cfg(unix)]
#[test]
fn a_failed_export_leaves_the_old_output_and_nothing_else() {
    let project = gold_sample("export-atomic");
    let dir = tempfile::tempdir().expect("temp dir");
    // Into a folder of the user's that holds a link where the export has a file: refused before
    // anything is moved, and what was written aside is gone.
    let brat = dir.path().join("brat");
    std::fs::create_dir(&brat).expect("folder");
    std::fs::write(brat.join("keep.txt"), "mine").expect("a file of the user's");
    std::fs::write(dir.path().join("elsewhere.ann"), "theirs").expect("a file a link points at");
    std::os::unix::fs::symlink(dir.path().join("elsewhere.ann"), brat.join("london-talks-sanctions.ann")).expect("link");
    let before = snapshot(dir.path());
    let output = export(&project.root, "brat", &brat, &["--force"]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert_stderr_has(&output, "is a symbolic link");
    assert_eq!(snapshot(dir.path()), before, "nothing half-written, nothing replaced");
    assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 2, "no temporary folder left");
    // A file output that is a link is refused too, and a plain one is replaced whole.
    let out = dir.path().join("data.jsonl");
    std::os::unix::fs::symlink(dir.path().join("elsewhere.ann"), &out).expect("link");
    assert_eq!(export(&project.root, "jsonl", &out, &["--force"]).status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(dir.path().join("elsewhere.ann")).expect("read"), "theirs");
    std::fs::remove_file(&out).expect("unlink");
    std::fs::write(&out, "old\n").expect("old output");
    ok(export(&project.root, "jsonl", &out, &["--force"]));
    assert!(std::fs::read_to_string(&out).expect("new").starts_with("{\"id\""));
    assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 3, "no temporary file left");
}

#[test]
fn control_characters_are_refused_by_file_and_line() {
    let jsonl = concat!(r#"{"id": "a", "text": "زار كيري"}"#, "\n", r#"{"id": "b", "text": "زار\u0000 كيري"}"#, "\n");
    let (_work, source, into) = source_file("nul.jsonl", jsonl);
    let output = import("jsonl", &source, &into, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).starts_with(&format!("{}:2: the document's text holds the control character U+0000", source.display())), "{}", stderr(&output));
    assert!(nothing_written(&into));
    let (_work, source, into) = source_file("bell.conll", "قال O\nكي\u{7}ري B-PERS\n");
    let output = import("conll", &source, &into, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).starts_with(&format!("{}:2:3: the control character U+0007 in a token", source.display())), "{}", stderr(&output));
    assert!(nothing_written(&into));
}

#[test]
fn empty_or_wholly_unreadable_input_is_an_error() {
    for (name, format, content, extra) in [
        ("empty.conll", "conll", "", &[][..]),
        ("blank.jsonl", "jsonl", "\n\n", &[][..]),
        ("junk.jsonl", "jsonl", "not json\n[1]\n", &["--on-error", "skip"][..]),
    ] {
        let (_work, source, into) = source_file(name, content);
        let output = import(format, &source, &into, extra);
        assert_eq!(output.status.code(), Some(1), "{name}: {}", stdout(&output));
        assert_stderr_has(&output, "nothing to import");
        assert!(nothing_written(&into), "{name}");
        assert!(!into.join("tawsim.ron").exists());
    }
}

#[test]
fn rejected_spans_of_a_ron_dataset_stay_rejected() {
    let dataset = r#"(
    format: 1,
    labels: ["PERS", "LOC"],
    documents: [
        (
            id: "corpus/a.txt",
            annotator: "gold",
            status: Done,
            text: "زار كيري موسكو",
            spans: [
                (id: 1, start: 4, end: 8, label: "PERS", text: "كيري", origin: Manual, state: Accepted),
                (id: 2, start: 9, end: 14, label: "PERS", text: "موسكو", origin: Manual, state: Rejected),
            ],
        ),
    ],
)
"#;
    let (work, source, into) = source_file("d.ron", dataset);
    ok(import("ron", &source, &into, &[]));
    let file = read_annotation(&into.join("annotations/gold/a.txt.ron")).expect("loads").expect("written");
    let states: Vec<(&str, SpanState)> = file.spans.iter().map(|s| (s.text.as_str(), s.state)).collect();
    assert_eq!(states, [("كيري", SpanState::Accepted), ("موسكو", SpanState::Rejected)]);
    let out = work.path().join("again.jsonl");
    let output = ok(export(&into, "jsonl", &out, &[]));
    assert_stdout_has(&output, "1 document(s): 1 entities");
    // A field this build does not know is refused with its place, not dropped.
    std::fs::write(&source, dataset.replace("status: Done,", "status: Done,\n            reviewer: \"z\",")).expect("write");
    let output = import("ron", &source, &work.path().join("q"), &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).starts_with(&format!("{}:9:", source.display())) && stderr(&output).contains("reviewer"), "{}", stderr(&output));
}

#[test]
fn a_label_cut_short_is_refused_unless_the_labels_are_named() {
    let conll = "جون B-PERS\nكيري I-PERS\nفي O\nموسكو B-LOC\n\nو O\nلندن B-L\n";
    let (_work, source, into) = source_file("cut.conll", conll);
    let output = import("conll", &source, &into, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).starts_with(&format!("{}:7: label \"L\" looks cut short", source.display())), "{}", stderr(&output));
    assert_stderr_has(&output, "--labels PERS,LOC,L");
    assert!(nothing_written(&into));
    // Named, the schema is the user's: L is not in it (and is skipped on request) …
    let output = import("conll", &source, &into, &["--labels", "PERS,LOC,ORG,MISC", "--on-error", "skip"]);
    assert_stderr_has(&output, "cut.conll:7: label \"L\" is not in the project's schema");
    let config = ProjectConfig::load(&into.join("tawsim.ron")).expect("config");
    let labels: Vec<&str> = config.schema.labels.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(labels, ["PERS", "LOC", "ORG", "MISC"]);
    // … or in it, if the user says so.
    let (_work, source, into) = source_file("cut.conll", conll);
    ok(import("conll", &source, &into, &["--labels", "PERS,LOC,L"]));
}

#[test]
fn a_second_annotators_file_attaches_to_the_articles_already_there() {
    let amal = "-DOCSTART- -X- O\nجون B-PERS\nكيري I-PERS\nفي O\nموسكو B-LOC\n\n-DOCSTART- -X- O\nحلب B-LOC\nو O\nدمشق B-LOC\n";
    let badr = amal.replace("موسكو B-LOC", "موسكو B-ORG");
    let work = tempfile::tempdir().expect("temp dir");
    let (a, b, into) = (work.path().join("amal.conll"), work.path().join("badr.conll"), work.path().join("p"));
    std::fs::write(&a, amal).expect("write");
    std::fs::write(&b, badr).expect("write");
    ok(import("conll", &a, &into, &["--as", "amal", "--labels", "PERS,LOC,ORG,MISC"]));
    let output = ok(import("conll", &b, &into, &["--as", "badr"]));
    assert_stdout_has(&output, "0 article(s) written, 2 already there");
    let corpus = files_below(&into.join("corpus"));
    assert_eq!(corpus.len(), 2, "{corpus:?}");
    assert_eq!(files_below(&into.join("annotations/amal")), files_below(&into.join("annotations/badr")));
    let agree = ok(tawsim(&["agree", path_str(&into), "--annotators", "amal,badr"]));
    assert!(stdout(&agree).contains("micro_f1=0.7500"), "{}", stdout(&agree));
}

#[test]
fn a_failed_final_write_leaves_nothing_and_a_retry_works() {
    let (_work, source, into) = source_file("p.jsonl", r#"{"id": "x", "text": "زار كيري موسكو", "spans": [[4, 8, "PERS"]]}"#);
    // A folder where tawsim.ron must go: the last write fails, after the article and its file.
    std::fs::create_dir_all(into.join("tawsim.ron")).expect("in the way");
    let output = import("jsonl", &source, &into, &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert_eq!(files_below(&into), BTreeSet::new(), "what was written is undone");
    assert_eq!(
        std::fs::read_dir(&into).expect("list").count(),
        1,
        "only what was in the way: {:?}",
        std::fs::read_dir(&into).expect("list").collect::<Vec<_>>()
    );
    std::fs::remove_dir(into.join("tawsim.ron")).expect("out of the way");
    let output = ok(import("jsonl", &source, &into, &[]));
    assert_stdout_has(&output, "1 article(s) written");
}
