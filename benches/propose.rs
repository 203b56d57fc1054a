//! Proposer speed: the gazetteer and the default rules, combined as the app combines them.
//!
//! - `gazetteer + rules over ~100k ANERcorp tokens`: throughput in tokens per second on one
//!   thread (target: at least 1 million). The text is ANERcorp's training sentences, in articles
//!   of 50 sentences; the gazetteer is built from the dev split's training part (the first 3,980
//!   sentences). Without `/work/shared/data/anercorp/train.conll` (or `TAWSIM_ANERCORP`), a small
//!   inline gazetteer and the sample articles, repeated, stand in, so the bench still runs.
//! - `gazetteer + rules over syria-news-digest.txt`: one sample article (target: at most 5 ms).

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tawsim::arabic::{WordKind, words};
use tawsim::formats::conll::parse_conll;
use tawsim::model::LabelledSentence;
use tawsim::propose::{Gazetteer, RuleSet, combine};

/// Sentences the dev split trains on (the rest of the file is its test part).
const TRAIN_SENTENCES: usize = 3980;
/// Tokens of text the throughput bench proposes over.
const TOKENS: usize = 100_000;
/// Sentences per article.
const ARTICLE_SENTENCES: usize = 50;

/// ANERcorp's training sentences, when the file is there.
fn anercorp() -> Option<Vec<LabelledSentence>> {
    let path = std::env::var_os("TAWSIM_ANERCORP").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/work/shared/data/anercorp/train.conll"));
    let text = std::fs::read_to_string(&path).ok()?;
    match parse_conll(&text) {
        Ok(sentences) => Some(sentences),
        Err(e) => {
            eprintln!("{}: {e}; using the inline gazetteer", path.display());
            None
        }
    }
}

/// The gazetteer and about [`TOKENS`] tokens of text in articles.
fn setup() -> (Gazetteer, Vec<String>) {
    if let Some(sentences) = anercorp() {
        let gazetteer = Gazetteer::from_sentences(&sentences[..TRAIN_SENTENCES.min(sentences.len())]);
        let mut articles = Vec::new();
        let mut tokens = 0;
        for chunk in sentences.chunks(ARTICLE_SENTENCES) {
            if tokens >= TOKENS {
                break;
            }
            tokens += chunk.iter().map(|s| s.tokens.len()).sum::<usize>();
            articles.push(chunk.iter().map(|s| s.text().0).collect::<Vec<_>>().join("\n"));
        }
        return (gazetteer, articles);
    }
    let gazetteer = Gazetteer::new([
        ("حلب", "LOC"),
        ("دمشق", "LOC"),
        ("روسيا", "LOC"),
        ("موسكو", "LOC"),
        ("الأمم المتحدة", "ORG"),
        ("مجلس الأمن", "ORG"),
        ("جون كيري", "PERS"),
        ("سيرغي لافروف", "PERS"),
        ("بشار الأسد", "PERS"),
    ]);
    let samples: Vec<String> =
        std::fs::read_dir(tawsim::sample_corpus_dir()).into_iter().flatten().filter_map(|entry| std::fs::read_to_string(entry.ok()?.path()).ok()).collect();
    let mut articles = Vec::new();
    let mut tokens = 0;
    while tokens < TOKENS && !samples.is_empty() {
        for article in &samples {
            tokens += token_count(article);
            articles.push(article.clone());
        }
    }
    (gazetteer, articles)
}

/// Tokens as ANERcorp counts them: letter and number words and punctuation.
fn token_count(text: &str) -> usize {
    words(text).filter(|w| matches!(w.kind, WordKind::Letters | WordKind::Number | WordKind::Punct)).count()
}

fn propose(gazetteer: &Gazetteer, rules: &RuleSet, text: &str) -> usize {
    combine(vec![gazetteer.propose(text), rules.propose(text)]).len()
}

fn benches(c: &mut Criterion) {
    let (gazetteer, articles) = setup();
    let rules = RuleSet::arabic_news();
    let tokens: usize = articles.iter().map(|a| token_count(a)).sum();
    // The id is a literal so the README's table can name it (tests/readme_benchmarks.rs).
    eprintln!("gazetteer + rules over ~100k ANERcorp tokens: {tokens} tokens");
    let mut group = c.benchmark_group("propose");
    group.throughput(Throughput::Elements(tokens as u64));
    group.bench_function("gazetteer + rules over ~100k ANERcorp tokens", |b| {
        b.iter(|| articles.iter().map(|a| propose(&gazetteer, &rules, black_box(a))).sum::<usize>())
    });
    group.finish();

    let digest = tawsim::sample_corpus_dir().join("syria-news-digest.txt");
    let Ok(digest) = std::fs::read_to_string(&digest) else {
        eprintln!("{} is missing; skipping", digest.display());
        return;
    };
    c.bench_function("gazetteer + rules over syria-news-digest.txt", |b| b.iter(|| propose(&gazetteer, &rules, black_box(&digest))));
    c.bench_function("rules alone over syria-news-digest.txt", |b| b.iter(|| rules.propose(black_box(&digest)).len()));
    c.bench_function("gazetteer alone over syria-news-digest.txt", |b| b.iter(|| gazetteer.propose(black_box(&digest)).len()));
}

criterion_group! {
    name = propose_benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(5));
    targets = benches
}
criterion_main!(propose_benches);
