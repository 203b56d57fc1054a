//! The learned proposer's speed.
//!
//! - `train on the full ANERcorp file`: `tawsim eval`'s whole training step over the 4,423
//!   sentences (125,115 tokens) of `/work/shared/data/anercorp/train.conll` (or `TAWSIM_ANERCORP`):
//!   out-of-fold lists and rules for the features, the held-out model and the final one (one on
//!   each core), the temperature; no learning curve (target: at most 10 s on the 2-core machine).
//! - `tag the ANERcorp file, one core`: the model over the same sentences in articles of 50
//!   sentences, features, Viterbi and marginals, given the lists' and rules' proposals (target:
//!   at least 200,000 tokens per second per core); and with the lists and rules run first, as
//!   `Proposers` does.
//!
//! Without the ANERcorp file the bench says so and measures nothing.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tawsim::cli::eval::train_on_sentences;
use tawsim::formats::conll::parse_conll;
use tawsim::model::LabelledSentence;
use tawsim::propose::model::TrainOptions;
use tawsim::propose::model::features::tokenize;
use tawsim::propose::{Gazetteer, Proposal, RuleSet};

/// Sentences per article in the tagging bench.
const ARTICLE_SENTENCES: usize = 50;

fn anercorp() -> Option<Vec<LabelledSentence>> {
    let path = std::env::var_os("TAWSIM_ANERCORP").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/work/shared/data/anercorp/train.conll"));
    let text = std::fs::read_to_string(&path).map_err(|e| eprintln!("{}: {e}; the model bench needs ANERcorp", path.display())).ok()?;
    parse_conll(&text).map_err(|e| eprintln!("{}: {e}", path.display())).ok()
}

fn benches(c: &mut Criterion) {
    let Some(sentences) = anercorp() else { return };
    let options = TrainOptions { curve: false, ..TrainOptions::default() };
    let tokens: usize = sentences.iter().map(|s| s.tokens.len()).sum();
    // Ids are literals so the README's table can name them (tests/readme_benchmarks.rs); the
    // sizes are printed instead.
    eprintln!("the ANERcorp file: {} sentences, {tokens} tokens", sentences.len());
    let mut group = c.benchmark_group("model");
    group.sample_size(10).measurement_time(Duration::from_secs(60));
    group.bench_function("train on the full ANERcorp file", |b| b.iter(|| train_on_sentences(black_box(&sentences), &options).report().spans));
    group.finish();

    let model = train_on_sentences(&sentences, &options);
    let gazetteer = Gazetteer::from_sentences(&sentences);
    let rules = RuleSet::arabic_news();
    let articles: Vec<String> = sentences.chunks(ARTICLE_SENTENCES).map(|chunk| chunk.iter().map(|s| s.text().0).collect::<Vec<_>>().join("\n")).collect();
    let lists = |text: &str| -> Vec<Proposal> {
        let mut out = gazetteer.propose(text);
        out.extend(rules.propose(text));
        out
    };
    let with_lists: Vec<(&String, Vec<Proposal>)> = articles.iter().map(|a| (a, lists(a))).collect();
    let words: usize = articles.iter().map(|a| tokenize(a).tokens.len()).sum();
    eprintln!("tagging: {words} tokens in {} articles", articles.len());
    let mut group = c.benchmark_group("model tagging");
    group.throughput(Throughput::Elements(words as u64)).sample_size(10).measurement_time(Duration::from_secs(20));
    group.bench_function("tag the ANERcorp file, one core", |b| b.iter(|| with_lists.iter().map(|(a, l)| model.propose(black_box(a), l).len()).sum::<usize>()));
    group.bench_function("lists + rules + model over the ANERcorp file, one core", |b| {
        b.iter(|| articles.iter().map(|a| model.propose(black_box(a), &lists(a)).len()).sum::<usize>())
    });
    group.finish();
}

criterion_group!(model_benches, benches);
criterion_main!(model_benches);
