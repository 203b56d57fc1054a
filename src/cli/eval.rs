//! `tawsim eval --train T --test E`: how well the gazetteer and rules proposers do on token-level
//! CoNLL data.
//!
//! The gazetteer is built from `--train` only, and the rules (the bundled Arabic news set) weigh
//! words with a lexicon of `--train` only, so nothing learnt has seen the test sentences. Their
//! proposals are combined as the app combines them, the gazetteer winning overlaps; `--no-rules`
//! scores the gazetteer alone. Each test sentence is rebuilt as its tokens joined
//! by single spaces, proposals are mapped onto the tokens they overlap (a proposal on the stem of
//! `وروسيا` counts as that token, since ANERcorp keeps proclitics inside tokens), and entities are
//! scored by exact span and label match, as conlleval does.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use clap::Args;

use crate::formats::conll::{ConllSentence, parse_conll};
use crate::model::tokens_overlapping;
use crate::propose::training_lexicon;
use crate::propose::{Gazetteer, Proposal, RuleSet, combine};

/// Arguments of `tawsim eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Training data (`token LABEL` CoNLL) the gazetteer is built from.
    #[arg(long)]
    pub train: PathBuf,
    /// Test data (`token LABEL` CoNLL) the proposals are scored against.
    #[arg(long)]
    pub test: PathBuf,
    /// Score the gazetteer alone, without the rules.
    #[arg(long)]
    pub no_rules: bool,
}

/// True positives, predicted and gold entity counts for one label (or all).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Predicted entities that match a gold entity exactly (span and label).
    pub correct: usize,
    /// Predicted entities.
    pub predicted: usize,
    /// Gold entities.
    pub gold: usize,
}

impl Counts {
    /// Precision, 0 when nothing was predicted.
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }

    /// Recall, 0 when there is no gold entity.
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }

    /// Harmonic mean of precision and recall, 0 when both are 0.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Scores per label and overall (micro), conlleval style.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Score {
    /// Counts per label, sorted by label name.
    pub per_label: BTreeMap<String, Counts>,
    /// Counts over all labels.
    pub overall: Counts,
}

impl Score {
    /// Adds one sentence's gold and predicted entities (token range, label).
    pub fn add(&mut self, gold: &[(Range<usize>, String)], predicted: &[(Range<usize>, String)]) {
        let gold_set: HashSet<(usize, usize, &str)> = gold.iter().map(|(r, l)| (r.start, r.end, l.as_str())).collect();
        let predicted_set: HashSet<(usize, usize, &str)> = predicted.iter().map(|(r, l)| (r.start, r.end, l.as_str())).collect();
        for &(_, _, label) in &gold_set {
            self.per_label.entry(label.to_string()).or_default().gold += 1;
            self.overall.gold += 1;
        }
        for entity in &predicted_set {
            let counts = self.per_label.entry(entity.2.to_string()).or_default();
            counts.predicted += 1;
            self.overall.predicted += 1;
            if gold_set.contains(entity) {
                counts.correct += 1;
                self.overall.correct += 1;
            }
        }
    }

    /// The table `run` prints, ending with `micro_f1=0.XXXX`.
    pub fn table(&self) -> String {
        let mut out = format!("{:<8} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7}\n", "label", "precision", "recall", "f1", "gold", "pred", "correct");
        let rows = self.per_label.iter().map(|(l, c)| (l.as_str(), c)).chain([("overall", &self.overall)]);
        for (label, c) in rows {
            out.push_str(&format!("{label:<8} {:>9.4} {:>9.4} {:>9.4} {:>7} {:>7} {:>7}\n", c.precision(), c.recall(), c.f1(), c.gold, c.predicted, c.correct));
        }
        out.push_str(&format!("micro_f1={:.4}\n", self.overall.f1()));
        out
    }
}

/// Token-level entities that `propose` finds in one sentence.
pub fn predict(propose: impl Fn(&str) -> Vec<Proposal>, sentence: &ConllSentence) -> Vec<(Range<usize>, String)> {
    let (text, ranges) = sentence.text();
    propose(&text).into_iter().filter_map(|p| Some((tokens_overlapping(&ranges, &p.range)?, p.label))).collect()
}

/// Reads and parses a CoNLL file, naming it in errors.
fn read_conll(path: &Path) -> anyhow::Result<Vec<ConllSentence>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    parse_conll(&text).with_context(|| format!("in {}", path.display()))
}

/// Builds the proposers from `train` and scores them on `test`; the rules only when `rules`.
pub fn evaluate(train: &Path, test: &Path, rules: bool) -> anyhow::Result<Score> {
    let train = read_conll(train)?;
    let gazetteer = Gazetteer::from_sentences(&train);
    let rules = rules.then(|| RuleSet::arabic_news().with_lexicon(Arc::new(training_lexicon(&train))));
    let propose = |text: &str| {
        let mut ranked = vec![gazetteer.propose(text)];
        ranked.extend(rules.as_ref().map(|r| r.propose(text)));
        combine(ranked)
    };
    let mut score = Score::default();
    for sentence in read_conll(test)? {
        score.add(&sentence.entities, &predict(propose, &sentence));
    }
    Ok(score)
}

/// Prints precision, recall and F1 per label and overall; exit status 0.
pub fn run(args: &EvalArgs) -> anyhow::Result<i32> {
    let score = evaluate(&args.train, &args.test, !args.no_rules)?;
    print!("{}", score.table());
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(r: Range<usize>, l: &str) -> (Range<usize>, String) {
        (r, l.to_string())
    }

    #[test]
    fn conlleval_style_scoring() {
        let mut score = Score::default();
        // Gold: LOC 0..1, PERS 2..4, ORG 5..6. Predicted: LOC 0..1 (right), PERS 2..3 (wrong span),
        // ORG 5..6 as LOC (wrong label).
        score.add(&[e(0..1, "LOC"), e(2..4, "PERS"), e(5..6, "ORG")], &[e(0..1, "LOC"), e(2..3, "PERS"), e(5..6, "LOC")]);
        assert_eq!(score.overall, Counts { correct: 1, predicted: 3, gold: 3 });
        assert_eq!(score.per_label["LOC"], Counts { correct: 1, predicted: 2, gold: 1 });
        assert_eq!(score.per_label["ORG"], Counts { correct: 0, predicted: 0, gold: 1 });
        assert!((score.per_label["LOC"].f1() - 2.0 / 3.0).abs() < 1e-9);
        assert!((score.overall.f1() - 1.0 / 3.0).abs() < 1e-9);
        assert!(score.table().ends_with("micro_f1=0.3333\n"));
    }

    /// The ANERcorp dev-split measurement: `cargo test --lib dev_split -- --ignored --nocapture`
    /// with TAWSIM_TRAIN and TAWSIM_DEV naming the split files.
    #[test]
    #[ignore]
    fn dev_split() {
        let (Ok(train), Ok(dev)) = (std::env::var("TAWSIM_TRAIN"), std::env::var("TAWSIM_DEV")) else {
            panic!("set TAWSIM_TRAIN and TAWSIM_DEV");
        };
        for rules in [false, true] {
            let score = evaluate(Path::new(&train), Path::new(&dev), rules).expect("evaluation");
            println!("rules: {rules}");
            print!("{}", score.table());
        }
    }
}
