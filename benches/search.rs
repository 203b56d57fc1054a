//! Corpus search and consistency checks over a generated project of 10,000 articles of about
//! 1,000 words (`synthetic::write_gold_project`: the sample articles' paragraphs, with every
//! occurrence of fourteen well-known names labelled in gold files; about 12 million chars).
//!
//! - `index build`: reading and indexing every article and gold file from disk, both cores (the
//!   one-off cost; the app does it in the background).
//! - `search …`: queries on the built index (target: at most 100 ms each): a rarer name (the
//!   cost of looking, 2,003 hits), a name (the generated articles repeat the same paragraphs, so
//!   `روسيا` has 8 hits per article), a phrase, a name with a label filter, a frequent word
//!   (`في`, about 40 hits per article: the cost of many hits), a regular expression. Hits come
//!   with their labels; their context is made on demand (`CorpusIndex::context`) and measured
//!   apart, for one screenful of 50 hits.
//! - `refresh …`: bringing the index up to date when nothing changed (one `stat` per file), after
//!   one annotation file changed, and after one article changed.
//! - `consistency check`: every check of the gold files.
//!
//! The project is written once to a temporary folder before measuring (about half a minute).

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use tawsim::consistency::{CheckOptions, check};
use tawsim::search::{CorpusIndex, Query};
use tawsim::store::Project;

const ARTICLES: usize = 10_000;
const WORDS: usize = 1_000;

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let started = Instant::now();
    tawsim::synthetic::write_gold_project(root, ARTICLES, WORDS).expect("generated project");
    eprintln!("wrote {ARTICLES} articles with gold files in {:.1} s", started.elapsed().as_secs_f64());
    let project = Project::open(root).expect("project");
    let started = Instant::now();
    let mut index = CorpusIndex::build(&project, None).expect("index");
    let chars: usize = index.articles().iter().map(|a| a.char_len()).sum();
    eprintln!(
        "first build {:.2} s: {} articles, {} chars, index holds about {} MB",
        started.elapsed().as_secs_f64(),
        index.articles().len(),
        chars,
        index.heap_bytes() / 1_000_000
    );

    let mut group = c.benchmark_group("search 10,000 articles");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    group.bench_function("index build", |b| b.iter(|| CorpusIndex::build(black_box(&project), None).expect("index")));
    group.finish();

    let mut group = c.benchmark_group("search 10,000 articles");
    group.sample_size(20).measurement_time(Duration::from_secs(10));
    let queries = [
        ("search a rarer name (كوباني)", Query::new("كوباني")),
        ("search a name (روسيا)", Query::new("روسيا")),
        ("search a phrase (الأمم المتحدة)", Query::new("الأمم المتحدة")),
        ("search a name, unlabelled only (حلب)", Query::parse("حلب unlabelled")),
        ("search a frequent word (في)", Query::new("في")),
        ("search a regular expression (موسك.|دمشق)", Query { regex: true, ..Query::new("موسك.|دمشق") }),
    ];
    for (name, query) in &queries {
        let hits = index.search(query).expect("query").len();
        eprintln!("{name}: {hits} hits");
        group.bench_function(*name, |b| b.iter(|| index.search(black_box(query)).expect("query")));
    }
    let hits = index.search(&Query::new("روسيا")).expect("query");
    group.bench_function("context of 50 hits", |b| b.iter(|| hits.iter().take(50).map(|h| index.context(h, 5)).collect::<Vec<_>>()));
    group.bench_function("refresh, nothing changed", |b| b.iter(|| index.refresh(black_box(&project)).expect("refresh")));
    let gold = root.join("annotations").join("gold").join("00042.txt.ron");
    let original = std::fs::read_to_string(&gold).expect("gold file");
    let mut flip = false;
    group.bench_function("refresh after one annotation file changed", |b| {
        b.iter(|| {
            flip = !flip;
            touch(&gold, &original, flip);
            index.refresh(black_box(&project)).expect("refresh")
        })
    });
    let article = root.join("corpus").join("00042.txt");
    let text = std::fs::read_to_string(&article).expect("article");
    group.bench_function("refresh after one article changed", |b| {
        b.iter(|| {
            flip = !flip;
            touch(&article, &text, flip);
            index.refresh(black_box(&project)).expect("refresh")
        })
    });
    let options = CheckOptions::new("gold");
    let report = check(&index, &options);
    eprintln!("consistency check: {} findings over {} spans", report.findings.len(), report.spans);
    group.bench_function("consistency check", |b| b.iter(|| check(black_box(&index), &options)));
    group.finish();
}

/// Rewrites `path` with `text`, plus a trailing newline every other time, so its content changes.
fn touch(path: &Path, text: &str, extra: bool) {
    let content = if extra { format!("{text}\n") } else { text.to_owned() };
    std::fs::write(path, content).expect("rewrite");
}

criterion_group!(search_benches, benches);
criterion_main!(search_benches);
