//! Builds `assets/arabic/lexicon.txt` (the bundled word list) from ANERcorp, and measures the
//! proclitic splitter against it.
//!
//! ```sh
//! cargo run --example build_lexicon -- build    PATH/train.conll   # writes the two files below
//! cargo run --example build_lexicon -- evaluate PATH/train.conll   # prints agreement numbers
//! ```
//!
//! Input: ANERcorp in CoNLL form, one `token LABEL` pair per line (IOB2), a blank line between
//! sentences. ANERcorp (Benajiba, Rosso & Benedí Ruiz, 2007) is published by the CAMeL Lab under
//! CC BY-SA 4.0, so the files generated from it carry that licence and say so in their header.
//!
//! `build` writes:
//! - `assets/arabic/lexicon.txt`: every token made only of letters, normalized for matching, with
//!   its count and how many times it was inside an entity (`word count [names]`).
//! - `tests/data/anercorp_proclitic_entities.tsv`: the entity tokens that begin with a proclitic
//!   letter and what the oracle below says about them, so `tests/arabic.rs` can check the
//!   splitter's agreement without the corpus.
//!
//! The oracle: a B-LOC/B-PERS/B-ORG token starting with و ف ب ل ك is a proclitic + name when, for
//! some proclitic sequence, the rest (with the article restored after an elided ل) appears as a
//! B- token of the same type elsewhere; the longest such sequence is its answer. `evaluate`
//! reports agreement with the bundled lexicon on the whole file (in-sample) and with a lexicon
//! built from the first 90% of sentences on the last 10% (held out).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use tawsim::arabic::{Lexicon, lexicon_key, split_proclitics};

const ENTITY_TYPES: [&str; 3] = ["LOC", "PERS", "ORG"];

/// One token of the corpus with its IOB2 label.
struct Token {
    text: String,
    label: String,
}

fn read_conll(path: &Path) -> Result<Vec<Vec<Token>>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut sentences = Vec::new();
    let mut current = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                sentences.push(std::mem::take(&mut current));
            }
            continue;
        }
        let Some((token, label)) = line.rsplit_once(' ') else {
            bail!("{}:{}: expected `token LABEL`, found {line:?}", path.display(), index + 1);
        };
        current.push(Token { text: token.to_string(), label: label.to_string() });
    }
    if !current.is_empty() {
        sentences.push(current);
    }
    Ok(sentences)
}

/// True for a token worth a lexicon entry: letters only once normalized.
fn is_word(key: &str) -> bool {
    !key.is_empty() && key.chars().all(char::is_alphabetic)
}

fn build_lexicon<'a>(tokens: impl IntoIterator<Item = &'a Token>) -> Lexicon {
    let mut lexicon = Lexicon::new();
    for token in tokens {
        let key = lexicon_key(&token.text);
        if is_word(&key) {
            lexicon.add(&key, 1, u32::from(token.label != "O"));
        }
    }
    lexicon
}

/// Normalized B- tokens by entity type, for the oracle.
fn entity_heads<'a>(tokens: impl IntoIterator<Item = &'a Token>) -> HashMap<String, Vec<String>> {
    let mut heads: HashMap<String, Vec<String>> = HashMap::new();
    for token in tokens {
        if let Some(kind) = token.label.strip_prefix("B-") {
            heads.entry(lexicon_key(&token.text)).or_default().push(kind.to_string());
        }
    }
    heads
}

/// The oracle's proclitic length in letters for normalized `key` of entity type `kind`.
fn oracle(key: &str, kind: &str, heads: &HashMap<String, Vec<String>>) -> usize {
    let letters: Vec<char> = key.chars().collect();
    let mut best = 0;
    for conjunction in ["", "و", "ف"] {
        for preposition in ["", "ب", "ل", "ك"] {
            let prefix = format!("{conjunction}{preposition}");
            let Some(stem) = key.strip_prefix(prefix.as_str()) else { continue };
            let n = prefix.chars().count();
            if n == 0 || letters.len() - n < 2 {
                continue;
            }
            let mut keys = vec![stem.to_string()];
            if preposition == "ل" && stem.starts_with('ل') {
                keys.push(format!("ا{stem}"));
            }
            let known = keys.iter().any(|k| heads.get(k).is_some_and(|kinds| kinds.iter().any(|t| t == kind)));
            if known && n > best {
                best = n;
            }
        }
    }
    best
}

/// Entity tokens that begin with a proclitic letter: (normalized token, type) → occurrences.
fn proclitic_entities<'a>(tokens: impl IntoIterator<Item = &'a Token>) -> BTreeMap<(String, String), usize> {
    let mut out = BTreeMap::new();
    for token in tokens {
        let Some(kind) = token.label.strip_prefix("B-") else { continue };
        if !ENTITY_TYPES.contains(&kind) {
            continue;
        }
        let key = lexicon_key(&token.text);
        if is_word(&key) && key.starts_with(['و', 'ف', 'ب', 'ل', 'ك']) {
            *out.entry((key, kind.to_string())).or_insert(0) += 1;
        }
    }
    out
}

/// Agreement counts of the splitter with the oracle.
#[derive(Default)]
struct Score {
    tokens: usize,
    decision: usize,
    exact: usize,
    both_split: usize,
    oracle_only: usize,
    splitter_only: usize,
}

fn score(cases: &BTreeMap<(String, String), usize>, heads: &HashMap<String, Vec<String>>, lexicon: &Lexicon) -> Score {
    let mut s = Score::default();
    for ((key, kind), &n) in cases {
        let want = oracle(key, kind, heads);
        let got = split_proclitics(key, lexicon).prefix_len;
        s.tokens += n;
        if (want > 0) == (got > 0) {
            s.decision += n;
        }
        if want == got {
            s.exact += n;
        }
        match (want > 0, got > 0) {
            (true, true) => s.both_split += n,
            (true, false) => s.oracle_only += n,
            (false, true) => s.splitter_only += n,
            (false, false) => {}
        }
    }
    s
}

fn print_score(title: &str, s: &Score) {
    let pct = |k: usize| 100.0 * k as f64 / s.tokens.max(1) as f64;
    println!("{title}");
    println!("  entity tokens starting with و ف ب ل ك: {}", s.tokens);
    println!("  split/no-split agreement: {} ({:.1}%)", s.decision, pct(s.decision));
    println!("  same proclitic length:    {} ({:.1}%)", s.exact, pct(s.exact));
    println!(
        "  both split {} · oracle only {} · splitter only {} · neither {}",
        s.both_split,
        s.oracle_only,
        s.splitter_only,
        s.tokens - s.both_split - s.oracle_only - s.splitter_only
    );
}

fn print_disagreements(title: &str, cases: &BTreeMap<(String, String), usize>, heads: &HashMap<String, Vec<String>>, lexicon: &Lexicon) {
    let mut lines: Vec<(usize, String)> = cases
        .iter()
        .filter_map(|((key, kind), &n)| {
            let want = oracle(key, kind, heads);
            let got = split_proclitics(key, lexicon).prefix_len;
            (want != got).then(|| (n, format!("{key} {kind}: oracle {want}, splitter {got}")))
        })
        .collect();
    lines.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    println!("{title}:");
    for (n, line) in lines {
        println!("  {n} × {line}");
    }
}

fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn build(path: &Path) -> Result<()> {
    let sentences = read_conll(path)?;
    let all: Vec<&Token> = sentences.iter().flatten().collect();
    let lexicon = build_lexicon(all.iter().copied());
    let header = "tawsim Arabic lexicon: normalized word, count, count inside a named entity (if any).\n\
        Source: ANERcorp training part (Benajiba, Rosso & Benedí Ruiz 2007), CAMeL Lab release, CC BY-SA 4.0.\n\
        This derived list is shared under the same licence, CC BY-SA 4.0.\n\
        Generated by `cargo run --example build_lexicon -- build train.conll`; do not edit by hand.";
    let out = repo_path("assets/arabic/lexicon.txt");
    std::fs::write(&out, lexicon.to_text(header)).with_context(|| format!("writing {}", out.display()))?;
    println!("{}: {} words", out.display(), lexicon.len());

    let heads = entity_heads(all.iter().copied());
    let cases = proclitic_entities(all.iter().copied());
    let mut tsv = String::from(
        "# ANERcorp B-LOC/B-PERS/B-ORG tokens starting with a proclitic letter (normalized), CC BY-SA 4.0.\n\
         # Generated by examples/build_lexicon.rs. Columns: token, type, oracle proclitic letters, occurrences.\n",
    );
    for ((key, kind), n) in &cases {
        tsv.push_str(&format!("{key}\t{kind}\t{}\t{n}\n", oracle(key, kind, &heads)));
    }
    let out = repo_path("tests/data/anercorp_proclitic_entities.tsv");
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(&out, tsv).with_context(|| format!("writing {}", out.display()))?;
    println!("{}: {} distinct tokens", out.display(), cases.len());
    Ok(())
}

fn evaluate(path: &Path) -> Result<()> {
    let sentences = read_conll(path)?;
    let all: Vec<&Token> = sentences.iter().flatten().collect();
    let heads = entity_heads(all.iter().copied());

    let whole = proclitic_entities(all.iter().copied());
    print_score("bundled lexicon, whole file (in-sample)", &score(&whole, &heads, Lexicon::bundled()));

    let cut = sentences.len() * 9 / 10;
    let train = build_lexicon(sentences[..cut].iter().flatten());
    let dev = proclitic_entities(sentences[cut..].iter().flatten());
    print_score("lexicon from the first 90% of sentences, last 10% (held out)", &score(&dev, &heads, &train));

    print_disagreements("in-sample disagreements", &whole, &heads, Lexicon::bundled());
    print_disagreements("held-out disagreements", &dev, &heads, &train);
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [command, path] if command == "build" => build(Path::new(path)),
        [command, path] if command == "evaluate" => evaluate(Path::new(path)),
        _ => {
            eprintln!("usage: build_lexicon (build | evaluate) PATH/train.conll");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("build_lexicon: {err:#}");
            ExitCode::FAILURE
        }
    }
}
