//! Fault injection: the app killed mid-work, writers at once, a full disk, and readers fed
//! arbitrary bytes.
//!
//! - **The app killed** (`killed_*`): the app's own session and saver, in a child process of this
//!   binary, label one word after another across articles (moving to another every 80) and log each
//!   label as soon as it is made; the child is killed with SIGKILL at a random moment, restarted
//!   on the same project, killed again. After every kill every annotation file parses, and every
//!   label logged more than a second before the kill is on disk. 12 kills here; 200 with
//!   `cargo test --test fault_injection -- --ignored killed_200`.
//!
//! - **Two writers at once** (`concurrent_*`): `tawsim propose` twice at the same time (the
//!   built-in rules, and `--import preds.jsonl`), spawned as processes, while a third process (a
//!   copy of this test binary, doing what the app's saver does) adds an accepted span to every
//!   file through `save_document_merging`. Afterwards every file parses, and every accepted span
//!   and every imported proposal is there. 300 articles here; the 2,000-article run with the
//!   release binary is `cargo build --release --bin tawsim` and then
//!   `cargo test --test fault_injection -- --ignored concurrent_2000`.
//! - **A full disk** (`full_disk_*`): a 1 MB tmpfs (root only; skipped with a notice elsewhere)
//!   filled up; export, import and annotation saves fail with one clear message and leave the
//!   old files as they were and nothing half-written.
//! - **Readers on arbitrary input** (`readers_*`): proptest feeds every reader (RON annotation
//!   files, CoNLL, JSONL, brat, RON datasets) random and mutated bytes: no panic, and what is
//!   accepted is written and read back the same.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tawsim::arabic::{WordKind, words};
use tawsim::model::{Origin, Span, SpanEdit, SpanState};
use tawsim::preannotate::ProjectProposers;
use tawsim::store::{Project, read_annotation};

/// The annotator every writer writes for.
const ANNOTATOR: &str = "amal";

/// Where one article's accepted span and imported proposal go: two words no rule proposes over.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Planned {
    rel: String,
    accepted: (usize, usize, String),
    imported: (usize, usize, String),
}

/// A project of `count` generated articles with the built-in rules, `preds.jsonl` beside it
/// (one MISC prediction per article) and `plan.tsv` saying where the accepted spans go.
fn concurrent_project(count: usize) -> (tempfile::TempDir, Vec<Planned>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("p");
    tawsim::synthetic::write_project(&root, count, 120).expect("generated project");
    std::fs::write(root.join("tawsim.ron"), "(name: \"fault\", proposers: (builtin_rules: true, memory: false))\n").expect("config");
    let project = Project::open(&root).expect("project");
    let (proposers, _) = ProjectProposers::load(&project, ANNOTATOR);
    let mut plans = Vec::new();
    let mut jsonl = String::new();
    let mut tsv = String::new();
    for article in &project.articles {
        let text = std::fs::read_to_string(&article.path).expect("article");
        let proposed: Vec<_> = proposers.propose(&text).into_iter().map(|p| p.range).collect();
        let free: Vec<(usize, usize, String)> = words(&text)
            .filter(|w| w.kind == WordKind::Letters && w.range.len() >= 3)
            .filter(|w| proposed.iter().all(|p| p.end <= w.range.start || p.start >= w.range.end))
            .map(|w| (w.range.start, w.range.end, w.text(&text).to_owned()))
            .take(2)
            .collect();
        let [imported, accepted] = <[_; 2]>::try_from(free).expect("two words no rule proposes");
        jsonl.push_str(&format!("{{\"id\": \"{}\", \"spans\": [{{\"start\": {}, \"end\": {}, \"label\": \"MISC\"}}]}}\n", article.rel, imported.0, imported.1));
        tsv.push_str(&format!("{}\t{}\t{}\t{}\n", article.rel, accepted.0, accepted.1, accepted.2));
        plans.push(Planned { rel: article.rel.clone(), accepted, imported });
    }
    std::fs::write(dir.path().join("preds.jsonl"), jsonl).expect("predictions");
    std::fs::write(root.join("plan.tsv"), tsv).expect("plan");
    (dir, plans)
}

/// What the third writer does, in its own process: for each article of `plan.tsv` (last first,
/// to cross the proposers' way), open it, add the accepted span and save with the merging save.
fn add_accepted_spans(root: &Path) {
    let project = Project::open(root).expect("project");
    let plan = std::fs::read_to_string(root.join("plan.tsv")).expect("plan");
    let lines: Vec<&str> = plan.lines().collect();
    let mut merged = 0;
    for line in lines.iter().rev() {
        let fields: Vec<&str> = line.split('\t').collect();
        let [rel, start, end, text] = fields[..] else { panic!("bad plan line {line:?}") };
        let (start, end): (usize, usize) = (start.parse().expect("start"), end.parse().expect("end"));
        let mut doc = project.open_document(rel, ANNOTATOR).expect("opens");
        let id = doc.annotation.alloc_id();
        let edit = SpanEdit::Add(Span::manual(id, start..end, "ORG", text));
        doc.annotation.apply(&edit).expect("fits");
        let saved = project.save_document_merging(rel, ANNOTATOR, doc.fingerprint.as_ref(), std::slice::from_ref(&edit), &doc.annotation).expect("saved");
        for conflict in saved.conflicts {
            eprintln!("{rel}: {conflict}");
        }
        merged += usize::from(saved.merged.is_some());
    }
    println!("{merged} file(s) were changed by another writer meanwhile");
}

/// Not a test of its own: the third writer of [`concurrent`], run in a child process of this
/// binary when `TAWSIM_FAULT_WRITER` names the project.
#[test]
#[ignore = "the writer process of the concurrent tests; runs only when they start it"]
fn concurrent_writer_process() {
    if let Some(root) = std::env::var_os("TAWSIM_FAULT_WRITER") {
        add_accepted_spans(Path::new(&root));
    }
}

/// Runs the three writers of the module doc at once over a project of `count` articles with the
/// `tawsim` binary `bin`, and checks that nothing was lost; returns a line of numbers.
fn concurrent(count: usize, bin: &Path) -> String {
    let (dir, plans) = concurrent_project(count);
    let root = dir.path().join("p");
    let started = std::time::Instant::now();
    let spawn = |args: &[&str]| Command::new(bin).args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("tawsim starts");
    let root_arg = root.to_str().expect("utf-8 path");
    let preds = dir.path().join("preds.jsonl");
    let rules = spawn(&["propose", root_arg, "--annotator", ANNOTATOR, "--break-lock"]);
    let import = spawn(&["propose", root_arg, "--annotator", ANNOTATOR, "--import", preds.to_str().expect("utf-8"), "--break-lock"]);
    let writer = Command::new(std::env::current_exe().expect("this test binary"))
        .args(["--exact", "concurrent_writer_process", "--ignored", "--nocapture", "--test-threads=1"])
        .env("TAWSIM_FAULT_WRITER", &root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("writer starts");
    let mut said = String::new();
    for (name, child) in [("propose", rules), ("propose --import", import), ("writer", writer)] {
        let output = child.wait_with_output().expect("finishes");
        let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(output.status.success(), "{name} failed: {text}");
        said.push_str(&format!("--- {name}:\n{text}"));
    }
    let took = started.elapsed();
    let (mut lost_accepted, mut lost_imported) = (Vec::new(), Vec::new());
    for plan in &plans {
        let path = root.join("annotations").join(ANNOTATOR).join(format!("{}.ron", plan.rel));
        let file = read_annotation(&path).unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("{} missing", path.display()));
        let ids: HashSet<u64> = file.spans.iter().map(|s| s.id).collect();
        assert_eq!(ids.len(), file.spans.len(), "{}: ids repeat", plan.rel);
        let has = |range: &(usize, usize, String), state: SpanState, origin: &dyn Fn(&Origin) -> bool| {
            file.spans.iter().any(|s| (s.start, s.end) == (range.0, range.1) && s.state == state && origin(&s.origin))
        };
        if !has(&plan.accepted, SpanState::Accepted, &|o| *o == Origin::Manual) {
            lost_accepted.push(plan.rel.clone());
        }
        if !has(&plan.imported, SpanState::Pending, &|o| matches!(o, Origin::Proposed { source, .. } if source == "import:preds.jsonl")) {
            lost_imported.push(plan.rel.clone());
        }
    }
    assert!(lost_accepted.is_empty() && lost_imported.is_empty(), "lost accepted spans in {lost_accepted:?}, imported proposals in {lost_imported:?}\n{said}");
    // Each writer says how many files it found changed by another and merged into.
    let merged: usize = said
        .lines()
        .filter_map(|l| l.split_once(" file(s) were changed by another writer meanwhile"))
        .filter_map(|(n, _)| n.rsplit(' ').next()?.parse::<usize>().ok())
        .sum();
    let validate = Command::new(bin).args(["validate", root_arg]).output().expect("validate runs");
    assert!(validate.status.success(), "{}", String::from_utf8_lossy(&validate.stdout));
    format!(
        "{count} articles, 3 writers at once: 0 of {count} accepted spans and 0 of {count} imported proposals lost, in {:.1} s; {merged} save(s) found the file changed by another writer and merged",
        took.as_secs_f64()
    )
}

#[test]
fn concurrent_writers_lose_nothing() {
    let report = concurrent(300, Path::new(env!("CARGO_BIN_EXE_tawsim")));
    eprintln!("{report}");
}

/// The release build of `tawsim` (`TAWSIM_RELEASE_BIN`, or the one in this target folder).
fn release_binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("TAWSIM_RELEASE_BIN") {
        return PathBuf::from(bin);
    }
    let exe = std::env::current_exe().expect("this test binary");
    // target/<profile>/deps/fault_injection-… → target/release/tawsim
    let target = exe.ancestors().nth(3).expect("a target folder");
    let bin = target.join("release").join(if cfg!(windows) { "tawsim.exe" } else { "tawsim" });
    assert!(bin.is_file(), "{} is missing: cargo build --release --bin tawsim", bin.display());
    bin
}

#[test]
#[ignore = "2,000 articles with the release binary: cargo build --release --bin tawsim, then cargo test --test fault_injection -- --ignored concurrent_2000"]
fn concurrent_2000_articles_with_the_release_binary() {
    let bin = release_binary();
    for round in 1..=3 {
        let report = concurrent(2000, &bin);
        eprintln!("round {round}: {report}");
    }
}

// ---------------------------------------------------------------------------------------------
// A full disk.

/// A small tmpfs mounted on a temporary folder, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    /// A tmpfs of `size` (as mount reads it, e.g. `1m`), or `None` with a notice where this
    /// machine does not allow mounting one (not root, no mount, a container that forbids it).
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"]).arg(dir.path()).output();
        match mounted {
            Ok(output) if output.status.success() => Some(Tmpfs { dir }),
            Ok(output) => {
                eprintln!("NOTICE: full-disk test skipped: cannot mount a tmpfs here ({})", String::from_utf8_lossy(&output.stderr).trim());
                None
            }
            Err(e) => {
                eprintln!("NOTICE: full-disk test skipped: cannot run mount ({e})");
                None
            }
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

/// Fills the file system of `dir` to the last byte with a file `filler` there.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write;
    let filler = dir.join("filler");
    let mut file = std::fs::File::create(&filler).expect("filler");
    let chunk = vec![0u8; 4096];
    while file.write_all(&chunk).is_ok() {}
    for _ in 0..4096 {
        if file.write_all(&[0]).is_err() {
            break;
        }
    }
    let _ = file.sync_all();
    filler
}

/// Every file below `dir` (the filler aside) with its bytes.
fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.file_name().is_some_and(|n| n != "filler") {
                out.push((path.clone(), std::fs::read(&path).unwrap_or_default()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tawsim")).args(args).output().expect("tawsim runs")
}

/// What a failed command said on stderr, checked to name the full disk exactly once.
fn says_full_once(output: &std::process::Output, what: &str) {
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{what} succeeded on a full disk");
    eprintln!("{what}: {said}");
    assert_eq!(said.matches("No space left on device").count(), 1, "{what}: {said}");
}

#[test]
fn full_disk_leaves_every_old_file_intact_and_nothing_half_written() {
    let Some(disk) = Tmpfs::mount("1m") else { return };
    let root = disk.path().join("p");
    std::fs::create_dir_all(root.join("corpus")).expect("corpus");
    for name in ["london-talks-sanctions.txt", "kerry-lavrov-new-york.txt"] {
        std::fs::copy(tawsim::sample_corpus_dir().join(name), root.join("corpus").join(name)).expect("article");
    }
    std::fs::write(root.join("tawsim.ron"), "(name: \"full\", proposers: (builtin_rules: false, memory: false))\n").expect("config");
    let gold = root.join("annotations/gold/london-talks-sanctions.txt.ron");
    std::fs::create_dir_all(gold.parent().expect("folder")).expect("gold folder");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("annotations/gold/london-talks-sanctions.txt.ron"), &gold).expect("gold");
    let root_arg = root.to_str().expect("utf-8");
    let old_export = disk.path().join("old.jsonl");
    let ok = run(&["export", root_arg, "--format", "jsonl", "--out", old_export.to_str().expect("utf-8")]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let source = disk.path().join("more.jsonl");
    std::fs::write(&source, "{\"id\": \"new-one\", \"text\": \"زار كيري موسكو\", \"spans\": [[4, 8, \"PERS\"]]}\n").expect("source");
    let project = Project::open(&root).expect("project");
    let mut doc = project.open_document("london-talks-sanctions.txt", "gold").expect("opens");

    let filler = fill(disk.path());
    let before = contents(disk.path());
    // An annotation save.
    let id = doc.annotation.alloc_id();
    let edit = SpanEdit::Add(Span::manual(id, 0..3, "MISC", &doc.article.text.chars().take(3).collect::<String>()));
    doc.annotation.apply(&edit).expect("fits");
    let err = project.save_document_merging("london-talks-sanctions.txt", "gold", doc.fingerprint.as_ref(), std::slice::from_ref(&edit), &doc.annotation);
    let err = err.expect_err("a full disk");
    assert_eq!(err.to_string().matches("No space left on device").count(), 1, "{err}");
    // Exports: over an old file with --force, to a new file, a brat folder, a split.
    let new = disk.path().join("new.conll");
    let brat = disk.path().join("brat");
    let split = disk.path().join("split");
    for (args, what) in [
        (vec!["export", root_arg, "--format", "jsonl", "--force", "--out", old_export.to_str().expect("utf-8")], "export --force"),
        (vec!["export", root_arg, "--format", "conll", "--out", new.to_str().expect("utf-8")], "export"),
        (vec!["export", root_arg, "--format", "brat", "--out", brat.to_str().expect("utf-8")], "export brat"),
        (vec!["export", root_arg, "--format", "hf", "--split", "50,50", "--out", split.to_str().expect("utf-8")], "export hf split"),
        (vec!["import", "--format", "jsonl", source.to_str().expect("utf-8"), "--into", root_arg, "--as", "gold"], "import"),
        (vec!["import", "--format", "jsonl", source.to_str().expect("utf-8"), "--into", disk.path().join("q").to_str().expect("utf-8")], "import new"),
        // One free page: room for the annotator's lock, none for the article.
        (vec!["import", "--format", "jsonl", source.to_str().expect("utf-8"), "--into", root_arg, "--as", "amal"], "import, past its lock"),
    ] {
        if what == "import, past its lock" {
            let file = std::fs::File::options().write(true).open(&filler).expect("filler");
            file.set_len(file.metadata().expect("size").len().saturating_sub(4096)).expect("free a page");
        }
        says_full_once(&run(&args), what);
        let after = contents(disk.path());
        let changed: Vec<&PathBuf> = after.iter().filter(|f| !before.contains(f)).chain(before.iter().filter(|f| !after.contains(f))).map(|(p, _)| p).collect();
        assert!(changed.is_empty(), "{what} changed or left {changed:?}");
    }
    // With room again, everything works.
    std::fs::remove_file(filler).expect("free the disk");
    project.save_document_merging("london-talks-sanctions.txt", "gold", doc.fingerprint.as_ref(), std::slice::from_ref(&edit), &doc.annotation).expect("saves");
    let again = run(&["import", "--format", "jsonl", source.to_str().expect("utf-8"), "--into", root_arg, "--as", "gold"]);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    eprintln!("full disk (1 MB tmpfs): an annotation save, 4 exports and 3 imports failed with one message each and changed nothing");
}

// ---------------------------------------------------------------------------------------------
// Readers on arbitrary and mutated input.

mod readers {
    use std::path::Path;

    use proptest::prelude::*;
    use tawsim::formats::conll::parse_documents;
    use tawsim::formats::{brat, export::ron_dataset, jsonl};
    use tawsim::model::{AnnotationFile, DocStatus, LabelledDocument, Origin, Span, SpanState};
    use tawsim::ron_text::to_ron;
    use tawsim::store::parse_annotation;

    /// A change to valid input: cut a range, insert bytes, repeat a slice, or change one byte.
    #[derive(Clone, Debug)]
    enum Mutation {
        Cut(usize, usize),
        Insert(usize, Vec<u8>),
        Repeat(usize, usize),
        Flip(usize, u8),
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        let bytes = prop_oneof![
            proptest::collection::vec(any::<u8>(), 1..6),
            proptest::sample::select(vec![
                b"(".to_vec(),
                b")".to_vec(),
                b",".to_vec(),
                b"\"".to_vec(),
                b"\n".to_vec(),
                b"\t".to_vec(),
                "ـ".as_bytes().to_vec(),
                b"-1".to_vec(),
                b"99999999999999999999".to_vec(),
                b"NaN".to_vec(),
                b"B-".to_vec(),
                b"{".to_vec(),
                b"]".to_vec()
            ]),
        ];
        prop_oneof![
            (any::<usize>(), 0usize..40).prop_map(|(at, len)| Mutation::Cut(at, len)),
            (any::<usize>(), bytes).prop_map(|(at, b)| Mutation::Insert(at, b)),
            (any::<usize>(), 1usize..60).prop_map(|(at, len)| Mutation::Repeat(at, len)),
            (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Flip(at, b)),
        ]
    }

    fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
        for m in mutations {
            let len = bytes.len().max(1);
            match m {
                Mutation::Cut(at, n) => {
                    let at = at % len;
                    let end = (at + n).min(bytes.len());
                    bytes.drain(at.min(end)..end);
                }
                Mutation::Insert(at, b) => {
                    let at = at % (bytes.len() + 1);
                    bytes.splice(at..at, b.iter().copied());
                }
                Mutation::Repeat(at, n) => {
                    let at = at % len;
                    let piece: Vec<u8> = bytes.iter().skip(at).take(*n).copied().collect();
                    bytes.splice(at..at, piece);
                }
                Mutation::Flip(at, b) => {
                    if !bytes.is_empty() {
                        let at = at % bytes.len();
                        bytes[at] = *b;
                    }
                }
            }
        }
        bytes
    }

    /// Valid input of a reader as bytes, or mutations of it, or arbitrary bytes.
    fn input(valid: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            1 => proptest::collection::vec(any::<u8>(), 0..300),
            4 => proptest::collection::vec(mutation(), 0..6).prop_map(move |m| mutate(valid.to_vec(), &m)),
        ]
    }

    fn annotation_sample() -> &'static [u8] {
        static SAMPLE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        SAMPLE.get_or_init(|| {
            let mut file = AnnotationFile::new("corpus/a.txt", "00ff", "amal");
            file.status = DocStatus::InProgress;
            file.spans.push(Span::manual(1, 0..3, "PERS", "جون"));
            let proposed = Origin::Proposed { source: "gazetteer".into(), score: 0.92 };
            file.spans.push(Span { origin: proposed, state: SpanState::Pending, ..Span::manual(2, 4..9, "LOC", "موسكو") });
            let adjudicated = Origin::Adjudicated { annotators: vec!["amal".into(), "badr".into()], decided_by: "rana".into() };
            file.spans.push(Span { origin: adjudicated, state: SpanState::Rejected, ..Span::manual(3, 10..12, "ORG", "r#\"x\"#") });
            file.next_id = 4;
            to_ron(&file, 2).expect("ron").into_bytes()
        })
    }

    const CONLL: &[u8] = "-DOCSTART- -X- O\n\nجون B-PERS\nكيري I-PERS\nفي O\nموسكو S-LOC\n\nحلب\tNNP\tB-LOC\n-DOCSTART- doc2\nدمشق B-LOC\n".as_bytes();
    const JSONL: &[u8] = concat!(
        r#"{"id": "a", "text": "زار كيري موسكو", "spans": [{"start": 4, "end": 8, "label": "PERS", "score": 0.5}]}"#,
        "\n",
        r#"{"id": 7, "text": "حلب", "entities": [[0, 3, "LOC"]], "meta": {"status": "Done"}}"#,
        "\n"
    )
    .as_bytes();
    const ANN: &[u8] = "T1\tPERS 4 8\tكيري\nT2\tLOC 9 14\tموسكو\nR1\tRel Arg1:T1 Arg2:T2\nT3\tORG 0 3;4 8\tزار كيري\n#1\tNote T1\tx\n".as_bytes();
    const ANN_TEXT: &str = "زار كيري موسكو";
    const DATASET: &[u8] = br#"(
    format: 1,
    labels: ["PERS", "LOC"],
    documents: [
        (
            id: "corpus/a.txt",
            annotator: "gold",
            status: Done,
            text: "abc def",
            spans: [
                (id: 1, start: 0, end: 3, label: "PERS", text: "abc", origin: Manual, state: Accepted),
            ],
        ),
    ],
)
"#;

    /// Spans as (start, end, label).
    type Spans = Vec<(usize, usize, String)>;
    /// Sentences as tokens and (token range, label) entities.
    type Sentences = Vec<(Vec<String>, Vec<(std::ops::Range<usize>, String)>)>;

    fn config() -> ProptestConfig {
        ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() }
    }

    /// CoNLL lines for documents as the parser gave them: tokens with IOB2 tags.
    fn conll_text(docs: &[tawsim::formats::conll::ConllDocument]) -> String {
        let mut out = String::new();
        for doc in docs {
            out.push_str(&format!("-DOCSTART- {}\n\n", doc.id.as_deref().unwrap_or("-X-")));
            for sentence in &doc.sentences {
                let mut tags = vec!["O".to_owned(); sentence.tokens.len()];
                for (range, label) in &sentence.entities {
                    for (i, tag) in tags.iter_mut().enumerate().take(range.end).skip(range.start) {
                        *tag = format!("{}-{label}", if i == range.start { "B" } else { "I" });
                    }
                }
                for (token, tag) in sentence.tokens.iter().zip(tags) {
                    out.push_str(&format!("{token} {tag}\n"));
                }
                out.push('\n');
            }
        }
        out
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn annotation_files(bytes in input(annotation_sample())) {
            let path = Path::new("x.txt.ron");
            if let Ok(file) = parse_annotation(&bytes, path) {
                let written = to_ron(&file, 2).expect("serializes");
                let back = parse_annotation(written.as_bytes(), path);
                prop_assert_eq!(back.ok(), Some(file), "{}", written);
            }
        }

        #[test]
        fn conll(bytes in input(CONLL)) {
            let text = String::from_utf8_lossy(&bytes);
            if let Ok(docs) = parse_documents(&text) {
                let again = parse_documents(&conll_text(&docs)).expect("what we write reads");
                let shape = |d: &[tawsim::formats::conll::ConllDocument]| -> Sentences {
                    d.iter().flat_map(|d| d.sentences.iter().map(|s| (s.tokens.clone(), s.entities.clone()))).collect()
                };
                prop_assert_eq!(shape(&again), shape(&docs));
            }
        }

        #[test]
        fn jsonl_lines(bytes in input(JSONL)) {
            let text = String::from_utf8_lossy(&bytes);
            let loaded = jsonl::parse(&text, Path::new("p.jsonl"));
            let mut written = String::new();
            for doc in &loaded.documents {
                let spans: Vec<serde_json::Value> = doc.spans.iter().map(|s| serde_json::json!({"start": s.start, "end": s.end, "label": s.label})).collect();
                written.push_str(&serde_json::json!({"id": doc.id, "text": doc.text, "spans": spans}).to_string());
                written.push('\n');
            }
            let again = jsonl::parse(&written, Path::new("p.jsonl"));
            prop_assert!(again.skipped.is_empty(), "{:?}", again.skipped);
            let shape = |l: &tawsim::formats::Loaded| -> Vec<(Option<String>, Option<String>, Spans)> {
                l.documents.iter().map(|d| (d.id.clone(), d.text.clone(), d.spans.iter().map(|s| (s.start, s.end, s.label.clone())).collect())).collect()
            };
            prop_assert_eq!(shape(&again), shape(&loaded));
        }

        #[test]
        fn brat_annotations(bytes in input(ANN), with_text in any::<bool>()) {
            let ann = String::from_utf8_lossy(&bytes);
            let text = with_text.then(|| ANN_TEXT.to_owned());
            let loaded = brat::parse_ann(&ann, Path::new("a.ann"), "a".into(), text.clone());
            let spans = &loaded.documents[0].spans;
            let written: String = spans.iter().enumerate().map(|(i, s)| format!("T{}\t{} {} {}\n", i + 1, s.label, s.start, s.end)).collect();
            let again = brat::parse_ann(&written, Path::new("a.ann"), "a".into(), text);
            let shape = |l: &tawsim::formats::Loaded| -> Spans { l.documents[0].spans.iter().map(|s| (s.start, s.end, s.label.clone())).collect() };
            // A label with a space or tab cannot be written back as one brat field.
            if spans.iter().all(|s| !s.label.is_empty() && !s.label.contains(char::is_whitespace)) {
                prop_assert!(again.skipped.is_empty(), "{:?}", again.skipped);
                prop_assert_eq!(shape(&again), shape(&loaded));
            }
        }

        #[test]
        fn ron_datasets(bytes in input(DATASET)) {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("d.ron");
            std::fs::write(&path, &bytes).expect("write");
            if let Ok(dataset) = ron_dataset::read(&path) {
                let out = dir.path().join("again.ron");
                let mut writer = tawsim::formats::export::open_writer(tawsim::formats::export::ExportFormat::Ron, &out, &dataset.labels, &Default::default()).expect("opens");
                for doc in &dataset.documents {
                    writer.write(doc, &mut Vec::new()).expect("writes");
                }
                writer.finish().expect("finishes");
                let again = ron_dataset::read(&out).expect("what we write reads");
                let docs: &Vec<LabelledDocument> = &dataset.documents;
                prop_assert_eq!(&again.documents, docs);
                prop_assert_eq!(again.labels, dataset.labels);
            }
        }
    }
}

/// Milliseconds since 1970, the clock the killed child and its parent share.
fn now_ms() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis())
}

/// A small xorshift generator: the child's choices, reproducible from a seed.
struct Choices(u64);

impl Choices {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// What the app does all day, in a child process: label a free word, let the saver work, now and
/// then move to another article; each label is logged (`ms⇥article⇥start⇥end`) the moment the
/// session has it, with one unbuffered write that a kill cannot undo.
fn label_until_killed(root: &Path, log: &Path, seed: u64) {
    use std::io::Write;
    use tawsim::app::commands::EditCommand;
    use tawsim::app::session::Session;
    let mut log = std::fs::OpenOptions::new().create(true).append(true).open(log).expect("log");
    let mut session = Session::open(root, ANNOTATOR, None).expect("the project opens");
    assert!(!session.locked_out(), "the killed run's lock is taken over: {:?}", session.notices);
    let mut choose = Choices(seed | 1);
    for step in 0.. {
        if step % 80 == 0 {
            let next = choose.below(session.articles.len());
            session.apply(EditCommand::OpenArticle(next));
        }
        let Some(open) = &session.open else { continue };
        let text = open.text.to_string();
        let taken = |start: usize, end: usize| open.annotation.spans.iter().any(|s| s.start < end && start < s.end);
        let free: Vec<(usize, usize)> =
            words(&text).filter(|w| w.kind == WordKind::Letters).map(|w| (w.range.start, w.range.end)).filter(|&(a, b)| !taken(a, b)).collect();
        if free.is_empty() {
            continue;
        }
        let (start, end) = free[choose.below(free.len())];
        let rel = session.articles[open.index].rel.clone();
        session.apply(EditCommand::LabelRange(start..end, "LOC".into()));
        log.write_all(format!("{}\t{rel}\t{start}\t{end}\n", now_ms()).as_bytes()).expect("logged");
        session.tick(std::time::Instant::now());
        std::thread::sleep(std::time::Duration::from_millis(3));
    }
}

/// Not a test of its own: the app in a child process of [`killed`], run when
/// `TAWSIM_FAULT_APP` names the project.
#[test]
#[ignore = "the app process of the kill tests; runs only when they start it"]
fn killed_app_process() {
    if let (Some(root), Some(log)) = (std::env::var_os("TAWSIM_FAULT_APP"), std::env::var_os("TAWSIM_FAULT_LOG")) {
        let seed = std::env::var("TAWSIM_FAULT_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(7);
        label_until_killed(Path::new(&root), Path::new(&log), seed);
    }
}

/// Kills the app `kills` times at random moments; returns a line of numbers.
fn killed(kills: usize) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("p");
    tawsim::synthetic::write_project(&root, 12, 300).expect("generated project");
    std::fs::write(root.join("tawsim.ron"), "(name: \"killed\", proposers: (builtin_rules: false, memory: false))\n").expect("config");
    let log = dir.path().join("labels.tsv");
    let mut choose = Choices(0x5eed);
    let (mut checked, mut lost_recent, mut worst_ms) = (0usize, 0usize, 0u128);
    for kill in 0..kills {
        let mut child = Command::new(std::env::current_exe().expect("this test binary"))
            .args(["--exact", "killed_app_process", "--ignored", "--nocapture", "--test-threads=1"])
            .env("TAWSIM_FAULT_APP", &root)
            .env("TAWSIM_FAULT_LOG", &log)
            .env("TAWSIM_FAULT_SEED", (kill as u64 + 1).to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the app starts");
        std::thread::sleep(std::time::Duration::from_millis(300 + choose.below(900) as u64));
        let killed_at = now_ms();
        child.kill().expect("SIGKILL");
        let output = child.wait_with_output().expect("reaped");
        assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"), "{}", String::from_utf8_lossy(&output.stderr));
        // Every file parses; every label older than a second is there.
        let project = Project::open(&root).expect("project");
        let mut on_disk = std::collections::HashMap::new();
        for article in &project.articles {
            let path = project.annotation_path(ANNOTATOR, &article.rel).expect("path");
            let file = read_annotation(&path).unwrap_or_else(|e| panic!("after kill {kill}: {e}"));
            let ranges: HashSet<(usize, usize)> = file.map(|f| f.spans.iter().map(|s| (s.start, s.end)).collect()).unwrap_or_default();
            on_disk.insert(article.rel.clone(), ranges);
        }
        let logged = std::fs::read_to_string(&log).unwrap_or_default();
        for line in logged.lines() {
            let fields: Vec<&str> = line.split('\t').collect();
            let [ms, rel, start, end] = fields[..] else { continue };
            let (ms, range): (u128, (usize, usize)) = (ms.parse().expect("ms"), (start.parse().expect("start"), end.parse().expect("end")));
            if on_disk.get(rel).is_some_and(|r| r.contains(&range)) {
                continue;
            }
            let age = killed_at.saturating_sub(ms);
            assert!(age <= 1000, "after kill {kill}: the label {rel} {range:?} made {age} ms before the kill is lost");
            lost_recent += 1;
            worst_ms = worst_ms.max(age);
        }
        checked = logged.lines().count();
        // A label lost in the last second may be made again by the next run: start its log afresh.
        let kept: String = logged
            .lines()
            .filter(|line| {
                let fields: Vec<&str> = line.split('\t').collect();
                let [_, rel, start, end] = fields[..] else { return false };
                let range = (start.parse().unwrap_or(0), end.parse().unwrap_or(0));
                on_disk.get(rel).is_some_and(|r| r.contains(&range))
            })
            .map(|line| format!("{line}\n"))
            .collect();
        std::fs::write(&log, kept).expect("log rewritten");
    }
    format!(
        "{kills} kills: every file parsed after each; {checked} labels checked at the last, {lost_recent} lost in all, each within the last second before its kill (the oldest lost {worst_ms} ms before)"
    )
}

#[test]
fn killed_at_random_moments_the_app_keeps_every_file_whole_and_loses_at_most_the_last_second() {
    println!("{}", killed(12));
}

#[test]
#[ignore = "200 kills, about four minutes: cargo test --test fault_injection -- --ignored killed_200"]
fn killed_200_times() {
    println!("{}", killed(200));
}
