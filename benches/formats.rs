//! Dataset export and import speed.
//!
//! - `export 10,000 generated articles`: 10,000 articles of about 2,000 words each
//!   ([`tawsim::synthetic::labelled_article`]: the sample paragraphs, every occurrence of a few
//!   well-known names an entity) written to CoNLL and to JSONL through
//!   [`tawsim::dataset::export::Exporter`], the writer the CLI uses. The documents are generated
//!   one at a time as the export asks for them, never all held; `generate only` is that
//!   generation alone, to tell its share. Target: at most 5 s per export. The peak resident
//!   memory (VmHWM) of the process is printed before and after, to show that exports stream.
//! - `import ANERcorp train.conll`: parsing the training file (125k tokens), building its
//!   articles of 50 sentences and writing them as a new project (articles, annotation files,
//!   tawsim.ron, each written atomically) into a temporary folder. Target: at most 1 s. Needs
//!   `/work/shared/data/anercorp/train.conll` (or `TAWSIM_ANERCORP`); without it the bench says so
//!   and is left out.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use tawsim::dataset::export::{Exporter, Layout};
use tawsim::dataset::import::{ImportFormat, ImportOptions, import};
use tawsim::formats::export::{ExportFormat, TokenOptions};
use tawsim::synthetic::labelled_article;

/// Articles per export.
const ARTICLES: usize = 10_000;
/// Words per article.
const TOKENS: usize = 2_000;

/// Peak resident memory of this process so far, from /proc (Linux only).
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" ")))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The generated documents, made as they are asked for.
fn documents() -> impl Iterator<Item = tawsim::model::LabelledDocument> {
    (0..ARTICLES).map(|i| labelled_article(&format!("corpus/{i:05}.txt"), TOKENS, i * 7))
}

/// Exports every generated document to `out` in `format`; the number of entities written.
fn export_generated(format: ExportFormat, out: &Path) -> usize {
    let labels: Vec<String> = ["PERS", "LOC", "ORG", "MISC"].map(str::to_owned).to_vec();
    let layout = Layout::new(format, out, None);
    let mut exporter = Exporter::create(format, out, &layout, &labels, "gold", &TokenOptions::default()).expect("opens");
    for doc in documents() {
        exporter
            .write(None, &doc, &mut |note| {
                black_box(note);
            })
            .expect("writes");
    }
    let summary = exporter.finish().expect("finishes");
    summary.counts.entities().iter().map(|(_, n)| n).sum()
}

fn export(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    eprintln!("peak memory before the exports: {}", peak_memory());
    let mut group = c.benchmark_group(format!("export {ARTICLES} generated articles of ~{TOKENS} words"));
    group.sample_size(10).measurement_time(Duration::from_secs(45)).warm_up_time(Duration::from_secs(1));
    group.bench_function("generate only", |b| b.iter(|| documents().map(|d| d.spans.len()).sum::<usize>()));
    for format in [ExportFormat::Conll, ExportFormat::Jsonl] {
        let out = dir.path().join(format!("out.{}", format.extension()));
        group.bench_function(format.name(), |b| b.iter(|| black_box(export_generated(format, &out))));
        // Absent when a filter left this bench out.
        if let Ok(written) = std::fs::metadata(&out) {
            eprintln!("{format}: {} MB written; peak memory so far: {}", written.len() / 1_000_000, peak_memory());
        }
    }
    group.finish();
}

/// ANERcorp's training file, when it is there.
fn anercorp() -> Option<PathBuf> {
    let path = std::env::var_os("TAWSIM_ANERCORP").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/work/shared/data/anercorp/train.conll"));
    path.is_file().then_some(path)
}

fn import_anercorp(c: &mut Criterion) {
    let Some(source) = anercorp() else {
        eprintln!("no ANERcorp train.conll (set TAWSIM_ANERCORP); the import bench is left out");
        return;
    };
    let mut group = c.benchmark_group("import");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    group.bench_function("ANERcorp train.conll into a new project", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("temp dir"),
            |dir| {
                let options = ImportOptions::new(ImportFormat::Conll, &source, &dir.path().join("p"));
                let report = import(&options).expect("imports");
                black_box(report.documents);
                dir
            },
            criterion::BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, export, import_anercorp);
criterion_main!(benches);
