//! Builds `assets/clusters/ant-news.tsv`: word classes and counts from unlabelled Arabic news,
//! for the learned proposer's features (`tawsim::propose::model::clusters`).
//!
//! ```sh
//! cargo run --release --example word_clusters -- ../shared/data/antcorpus/ant-news.txt assets/clusters/ant-news.tsv
//! ```
//!
//! Each title and body line of the corpus is a sequence of words ([`tawsim::arabic::words`]),
//! each reduced to its key by [`word_key`] (normalized, proclitics cut off, numbers as `<num>`).
//! Keys seen at least [`MIN_COUNT`] times are the vocabulary; rarer ones share one `<rare>` item,
//! and a `<s>` item stands between lines, so both still give context to their neighbours.
//!
//! The clustering is the exchange algorithm (Kneser & Ney 1993; Martin, Liermann & Ney 1998),
//! which maximizes the same class-bigram likelihood as Brown clustering: every word in turn moves
//! to the class that raises the likelihood most, until a pass moves almost none. It is run at the
//! finest level over words, then over the fine classes themselves (as items with their class
//! bigram counts) to group them into fewer, coarser classes, and again one level up, so the three
//! class ids of a word are nested like prefixes of a Brown bit string. Brown's bottom-up merging
//! costs O(V·C²) with a merge table to maintain; an exchange pass costs O(V·C·contexts), runs in
//! about a minute on this corpus, and is simple enough to read in one sitting.
//!
//! Everything is deterministic: words are visited in order of frequency (ties by key), the
//! initial classes are dealt round-robin in that order, a word moves only when the gain is
//! positive, and the likelihood terms come from a table of `n ln n` for integer `n`.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use tawsim::arabic::{Lexicon, words};
use tawsim::propose::model::clusters::{LEVELS, word_key};

/// Keys seen fewer times are not in the vocabulary.
const MIN_COUNT: u32 = 3;
/// Classes at each level, coarsest first.
const CLASSES: [usize; LEVELS] = [32, 128, 512];
/// Most passes of the exchange algorithm at each level.
const MAX_PASSES: usize = 20;
/// A pass that moves fewer items than this share ends the clustering.
const SETTLED: f64 = 0.002;

/// Items with counts and sparse bigram counts, in both directions.
struct Graph {
    counts: Vec<u64>,
    /// `right[u]`: (v, n) for the bigrams u v.
    right: Vec<Vec<(u32, u64)>>,
    /// `left[v]`: (u, n) for the bigrams u v.
    left: Vec<Vec<(u32, u64)>>,
}

impl Graph {
    fn from_bigrams(counts: Vec<u64>, bigrams: HashMap<(u32, u32), u64>) -> Graph {
        let n = counts.len();
        let mut right = vec![Vec::new(); n];
        let mut left = vec![Vec::new(); n];
        let mut sorted: Vec<_> = bigrams.into_iter().collect();
        sorted.sort_unstable();
        for ((u, v), c) in sorted {
            right[u as usize].push((v, c));
            left[v as usize].push((u, c));
        }
        Graph { counts, right, left }
    }
}

/// `n ln n` for every integer up to the corpus size, so likelihood changes are table lookups.
struct NLogN(Vec<f64>);

impl NLogN {
    fn new(max: u64) -> Self {
        NLogN((0..=max).map(|n| if n == 0 { 0.0 } else { n as f64 * (n as f64).ln() }).collect())
    }

    /// f(x + d) - f(x).
    fn gain(&self, x: u64, d: u64) -> f64 {
        self.0[(x + d) as usize] - self.0[x as usize]
    }
}

/// The exchange algorithm: a class for each item of `graph`, out of `k`.
fn exchange(graph: &Graph, k: usize, f: &NLogN, label: &str) -> Vec<usize> {
    let n = graph.counts.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(graph.counts[i]), i));
    let mut class = vec![0usize; n];
    for (rank, &item) in order.iter().enumerate() {
        class[item] = rank % k;
    }
    let mut pair = vec![0u64; k * k];
    let mut total = vec![0u64; k];
    for u in 0..n {
        total[class[u]] += graph.counts[u];
        for &(v, c) in &graph.right[u] {
            pair[class[u] * k + class[v as usize]] += c;
        }
    }
    let mut rc = vec![0u64; k];
    let mut lc = vec![0u64; k];
    let mut touched_r: Vec<usize> = Vec::new();
    let mut touched_l: Vec<usize> = Vec::new();
    for pass in 0..MAX_PASSES {
        let started = Instant::now();
        let mut moved = 0usize;
        for &w in &order {
            let a = class[w];
            let cw = graph.counts[w];
            let mut own = 0u64;
            touched_r.clear();
            touched_l.clear();
            for &(v, c) in &graph.right[w] {
                if v as usize == w {
                    own += c;
                    continue;
                }
                let cv = class[v as usize];
                if rc[cv] == 0 {
                    touched_r.push(cv);
                }
                rc[cv] += c;
            }
            for &(u, c) in &graph.left[w] {
                if u as usize == w {
                    continue;
                }
                let cu = class[u as usize];
                if lc[cu] == 0 {
                    touched_l.push(cu);
                }
                lc[cu] += c;
            }
            // Take w out of its class.
            for &c in &touched_r {
                pair[a * k + c] -= rc[c];
            }
            for &c in &touched_l {
                pair[c * k + a] -= lc[c];
            }
            pair[a * k + a] -= own;
            total[a] -= cw;
            let delta = |b: usize| {
                let mut d = 0.0;
                for &c in &touched_r {
                    if c != b {
                        d += f.gain(pair[b * k + c], rc[c]);
                    }
                }
                for &c in &touched_l {
                    if c != b {
                        d += f.gain(pair[c * k + b], lc[c]);
                    }
                }
                d += f.gain(pair[b * k + b], rc[b] + lc[b] + own);
                d - 2.0 * f.gain(total[b], cw)
            };
            let mut best = (a, delta(a));
            for b in 0..k {
                if b != a {
                    let d = delta(b);
                    if d > best.1 + 1e-9 {
                        best = (b, d);
                    }
                }
            }
            let b = best.0;
            for &c in &touched_r {
                pair[b * k + c] += rc[c];
            }
            for &c in &touched_l {
                pair[c * k + b] += lc[c];
            }
            pair[b * k + b] += own;
            total[b] += cw;
            if b != a {
                class[w] = b;
                moved += 1;
            }
            for &c in &touched_r {
                rc[c] = 0;
            }
            for &c in &touched_l {
                lc[c] = 0;
            }
        }
        eprintln!("{label}: pass {} moved {moved} of {n} in {:.1} s", pass + 1, started.elapsed().as_secs_f64());
        if (moved as f64) < SETTLED * n as f64 {
            break;
        }
    }
    class
}

/// The classes of `fine` (k of them) grouped into `coarse_k` by the exchange algorithm over the
/// class bigram counts.
fn group_classes(graph: &Graph, fine: &[usize], k: usize, coarse_k: usize, f: &NLogN) -> Vec<usize> {
    let mut counts = vec![0u64; k];
    let mut bigrams: HashMap<(u32, u32), u64> = HashMap::new();
    for (u, &cu) in fine.iter().enumerate() {
        counts[cu] += graph.counts[u];
        for &(v, c) in &graph.right[u] {
            *bigrams.entry((cu as u32, fine[v as usize] as u32)).or_default() += c;
        }
    }
    let classes = Graph::from_bigrams(counts, bigrams);
    exchange(&classes, coarse_k, f, &format!("{k} → {coarse_k} classes"))
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [corpus, out] = args.as_slice() else { bail!("usage: word_clusters CORPUS.txt OUT.tsv") };
    let (corpus, out) = (PathBuf::from(corpus), PathBuf::from(out));
    let text = std::fs::read_to_string(&corpus).with_context(|| format!("reading {}", corpus.display()))?;
    let lexicon = Lexicon::bundled();
    let started = Instant::now();
    // Keys of every line; article headers and blank lines are not text.
    let lines: Vec<Vec<String>> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("# "))
        .map(|line| words(line).map(|w| word_key(w.text(line), w.kind, lexicon)).filter(|k| !k.is_empty()).collect())
        .collect();
    let mut counts: HashMap<&str, u32> = HashMap::new();
    for key in lines.iter().flatten() {
        *counts.entry(key).or_default() += 1;
    }
    let tokens: usize = lines.iter().map(Vec::len).sum();
    let mut vocab: Vec<(&str, u32)> = counts.iter().filter(|(_, c)| **c >= MIN_COUNT).map(|(k, c)| (*k, *c)).collect();
    vocab.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    eprintln!("{tokens} words, {} keys, {} seen at least {MIN_COUNT} times ({:.1} s)", counts.len(), vocab.len(), started.elapsed().as_secs_f64());
    let ids: HashMap<&str, u32> = vocab.iter().enumerate().map(|(i, (k, _))| (*k, i as u32)).collect();
    let (rare, boundary) = (vocab.len() as u32, vocab.len() as u32 + 1);
    let mut item_counts = vec![0u64; vocab.len() + 2];
    let mut bigrams: HashMap<(u32, u32), u64> = HashMap::new();
    let mut previous = boundary;
    item_counts[boundary as usize] += 1;
    for line in &lines {
        for key in line {
            let id = ids.get(key.as_str()).copied().unwrap_or(rare);
            item_counts[id as usize] += 1;
            *bigrams.entry((previous, id)).or_default() += 1;
            previous = id;
        }
        item_counts[boundary as usize] += 1;
        *bigrams.entry((previous, boundary)).or_default() += 1;
        previous = boundary;
    }
    let graph = Graph::from_bigrams(item_counts, bigrams);
    let f = NLogN::new(graph.counts.iter().sum::<u64>() + 1);
    let [coarse_k, middle_k, fine_k] = CLASSES;
    let fine = exchange(&graph, fine_k, &f, &format!("words → {fine_k} classes"));
    let middle_of_fine = group_classes(&graph, &fine, fine_k, middle_k, &f);
    let middle: Vec<usize> = fine.iter().map(|&c| middle_of_fine[c]).collect();
    let coarse_of_middle = group_classes(&graph, &middle, middle_k, coarse_k, &f);
    let mut file = std::io::BufWriter::new(std::fs::File::create(&out).with_context(|| format!("creating {}", out.display()))?);
    writeln!(file, "# Word classes and counts from the ANT corpus v1.1 (Chouigui, Ben Khiroun & Elayeb, AICCSA 2017), Apache-2.0.")?;
    writeln!(file, "# Made by `cargo run --release --example word_clusters`; see assets/clusters/README.md.")?;
    writeln!(file, "# key<TAB>count<TAB>class of {coarse_k}<TAB>class of {middle_k}<TAB>class of {fine_k}")?;
    for (i, (key, count)) in vocab.iter().enumerate() {
        let m = middle[i];
        writeln!(file, "{key}\t{count}\t{}\t{m}\t{}", coarse_of_middle[m], fine[i])?;
    }
    file.flush()?;
    eprintln!("wrote {} words to {} in {:.1} s", vocab.len(), out.display(), started.elapsed().as_secs_f64());
    Ok(())
}
