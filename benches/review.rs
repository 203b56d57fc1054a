//! Agreement speed: the whole computation `tawsim agree` and the app's agreement view run.
//!
//! - `agreement of 3 annotators over 1,000 articles`: exact and partial F1 per label, κ over every
//!   token with and without the all-O tokens, per article and for the corpus, the ranking, for
//!   three pairs (target: at most 1 s). Articles are generated from the sample texts (about 2,000
//!   words each, ~2,300 tokens with punctuation) with ~100 entities; the second and third
//!   annotators differ from the first by a few percent of spans dropped, relabelled, moved by a
//!   word or added. Loading files is not measured: that is `store`'s, benchmarked elsewhere.
//! - `diff of one article`: the review mode's span diff of one such article.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use tawsim::model::Span;
use tawsim::review::{ArticleAnnotations, CorpusAgreement, diff_article, tokenize};

const ARTICLES: usize = 1000;
const WORDS: usize = 2000;
const ENTITIES: usize = 100;
const LABELS: [&str; 4] = ["PERS", "LOC", "ORG", "MISC"];

/// A small deterministic generator (xorshift64*), so every run measures the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The first annotator's spans: ~[`ENTITIES`] runs of one to three word tokens.
fn base_spans(words: &[std::ops::Range<usize>], rng: &mut Rng) -> Vec<Span> {
    let step = (words.len() / ENTITIES).max(4);
    (0..words.len().saturating_sub(3))
        .step_by(step)
        .map(|first| {
            let last = first + rng.below(3);
            let label = LABELS[rng.below(LABELS.len())];
            Span::manual(0, words[first].start..words[last].end, label, "")
        })
        .collect()
}

/// Another annotator's spans: `base` with a few percent dropped, relabelled, moved or added.
fn variant(base: &[Span], words: &[std::ops::Range<usize>], rng: &mut Rng) -> Vec<Span> {
    let mut spans = Vec::with_capacity(base.len() + 4);
    for span in base {
        if rng.chance(3) {
            continue;
        }
        let mut span = span.clone();
        if rng.chance(3) {
            span.label = LABELS[rng.below(LABELS.len())].to_owned();
        }
        if rng.chance(3) {
            // Extend the end to the next word's end (a boundary disagreement).
            if let Some(next) = words.iter().find(|w| w.start >= span.end) {
                span.end = next.end;
            }
        }
        spans.push(span);
        if rng.chance(3) {
            let w = &words[rng.below(words.len())];
            spans.push(Span::manual(0, w.clone(), LABELS[rng.below(LABELS.len())], ""));
        }
    }
    spans.sort_by_key(Span::sort_key);
    spans
}

/// The generated corpus with three annotators.
fn corpus() -> Vec<ArticleAnnotations> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..ARTICLES)
        .map(|i| {
            let text = tawsim::synthetic::numbered_article(WORDS, i * 7);
            let words: Vec<_> = tokenize(&text).into_iter().filter(|t| t.len() > 1).collect();
            let a = base_spans(&words, &mut rng);
            let b = variant(&a, &words, &mut rng);
            let c = variant(&a, &words, &mut rng);
            ArticleAnnotations { article: format!("{i:05}.txt"), text, spans: vec![Some(a), Some(b), Some(c)] }
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let docs = corpus();
    let names: Vec<String> = ["amal", "badr", "chadi"].map(String::from).to_vec();
    let tokens: usize = docs.iter().map(|d| tokenize(&d.text).len()).sum();
    let spans: usize = docs.iter().flat_map(|d| d.spans.iter().flatten()).map(Vec::len).sum();
    let result = CorpusAgreement::compute(&names, &docs);
    eprintln!(
        "{ARTICLES} articles, {tokens} tokens, {spans} spans; mean exact micro-F1 {:.4}, κ(amal, badr) {:.4}",
        result.mean_micro_f1().unwrap_or(f64::NAN),
        result.pairs[0].kappa.kappa().unwrap_or(f64::NAN)
    );
    c.bench_function("agreement of 3 annotators over 1,000 articles", |b| b.iter(|| CorpusAgreement::compute(black_box(&names), black_box(&docs))));
    let one: Vec<&[Span]> = docs[0].spans.iter().flatten().map(Vec::as_slice).collect();
    c.bench_function("diff of one article", |b| b.iter(|| diff_article(black_box(&one))));
}

criterion_group! {
    name = review_benches;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(10));
    targets = benches
}
criterion_main!(review_benches);
