//! `tawsim eval --train T --test E`: how well the proposers do on token-level CoNLL data.
//!
//! Everything learnt comes from `--train` only: the gazetteer, the lexicon the rules weigh words
//! with, and the learned model, whose gazetteer and rule features on the training sentences come
//! from lists built without each sentence's own fold (see
//! [`crate::propose::out_of_fold_proposals`]). The model proposes only when it passes its gate
//! (it beat the lists and rules on a held-out tenth of `--train`), and then instead of the lists
//! and rules, as in the app; otherwise the lists and rules propose, combined as the app combines
//! them. Either way person proposals are corrected with the lexicon first, as in the app
//! ([`crate::propose::tidy`]). Each test sentence is rebuilt as its tokens joined by single
//! spaces, proposals are mapped onto the tokens they overlap (a proposal on the stem of `وروسيا`
//! counts as that token, since ANERcorp keeps proclitics inside tokens), and entities are scored by
//! exact span and label match, as conlleval does. `--curve` repeats the whole evaluation with the
//! first 10 %, 25 %, 50 % and 100 % of the training sentences.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, ValueEnum};
use rayon::prelude::*;

use crate::formats::conll::{ConllSentence, parse_conll};
use crate::model::tokens_overlapping;
use crate::propose::model::calibrate::{CalibrationBin, Judged, calibration_table};
use crate::propose::model::{SequenceModel, TrainOptions, TrainingDocument, train};
use crate::propose::tidy::tidy;
use crate::propose::{Gazetteer, Proposal, RuleSet, combine, out_of_fold_proposals, training_lexicon};

pub use crate::propose::model::score::{Counts, Score};

/// Arguments of `tawsim eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Training data (`token LABEL` CoNLL) the proposers learn from.
    #[arg(long)]
    pub train: PathBuf,
    /// Test data (`token LABEL` CoNLL) the proposals are scored against.
    #[arg(long)]
    pub test: PathBuf,
    /// Which proposers propose (default: all of them). The model uses the gazetteer and rules
    /// as features whichever are named, and proposes instead of them once it passes its gate.
    #[arg(long, value_enum, value_delimiter = ',')]
    pub proposers: Option<Vec<ProposerName>>,
    /// Leave the rules out (the same as `--proposers model,gazetteer`).
    #[arg(long)]
    pub no_rules: bool,
    /// Print micro-F1 after training on 10 %, 25 %, 50 % and 100 % of the training sentences.
    #[arg(long)]
    pub curve: bool,
}

/// A proposer `tawsim eval` can score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ProposerName {
    /// The learned sequence model.
    Model,
    /// The gazetteer built from the training data.
    Gazetteer,
    /// The built-in trigger-word rules.
    Rules,
}

/// What an evaluation found.
#[derive(Clone, Debug)]
pub struct Evaluation {
    /// Scores of the combined proposals.
    pub score: Score,
    /// The model's test spans by confidence band, when the model was trained.
    pub calibration: Option<Vec<CalibrationBin>>,
    /// The trained model, when it was.
    pub model: Option<Arc<SequenceModel>>,
    /// Seconds spent training the model.
    pub train_seconds: f32,
}

/// Entities as (token range, label).
type Entities = Vec<(Range<usize>, String)>;

/// Token-level entities that `propose` finds in one sentence.
pub fn predict(propose: impl Fn(&str) -> Vec<Proposal>, sentence: &ConllSentence) -> Entities {
    let (text, ranges) = sentence.text();
    to_tokens(propose(&text), &ranges)
}

fn to_tokens(proposals: Vec<Proposal>, ranges: &[Range<usize>]) -> Entities {
    proposals.into_iter().filter_map(|p| Some((tokens_overlapping(ranges, &p.range)?, p.label))).collect()
}

/// Reads and parses a CoNLL file, naming it in errors.
pub fn read_conll(path: &Path) -> anyhow::Result<Vec<ConllSentence>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    parse_conll(&text).with_context(|| format!("in {}", path.display()))
}

/// Trains the learned model on CoNLL sentences, with out-of-fold list and rule features.
pub fn train_on_sentences(train_sentences: &[ConllSentence], options: &TrainOptions) -> SequenceModel {
    let proposals = out_of_fold_proposals(train_sentences, 5);
    let docs: Vec<TrainingDocument> = train_sentences.iter().zip(proposals).map(|(s, p)| TrainingDocument::from_sentence(s, p)).collect();
    train(&docs, options, Arc::new(training_lexicon(train_sentences)))
}

/// Builds the proposers named in `which` from `train` and scores them on `test`.
pub fn evaluate_sentences(train_sentences: &[ConllSentence], test: &[ConllSentence], which: &[ProposerName]) -> Evaluation {
    let gazetteer = Gazetteer::from_sentences(train_sentences);
    let rules = RuleSet::arabic_news().with_lexicon(Arc::new(training_lexicon(train_sentences)));
    let started = Instant::now();
    let model =
        which.contains(&ProposerName::Model).then(|| Arc::new(train_on_sentences(train_sentences, &TrainOptions { curve: false, ..TrainOptions::default() })));
    let train_seconds = started.elapsed().as_secs_f32();
    let results: Vec<(Entities, Vec<Judged>)> = test
        .par_iter()
        .map(|sentence| {
            let (text, ranges) = sentence.text();
            let mut lists = gazetteer.propose(&text);
            lists.extend(rules.propose(&text));
            let mut ranked = Vec::new();
            let mut judged = Vec::new();
            if let Some(model) = &model {
                let found = model.propose(&text, &lists);
                for p in &found {
                    let tokens = tokens_overlapping(&ranges, &p.range);
                    let correct = sentence.entities.iter().any(|(r, l)| Some(r) == tokens.as_ref() && *l == p.label);
                    judged.push(Judged { confidence: p.score, correct });
                }
                if model.passes_gate() {
                    ranked.push(found);
                }
            }
            if ranked.is_empty() {
                let use_gazetteer = which.contains(&ProposerName::Gazetteer);
                let use_rules = which.contains(&ProposerName::Rules);
                ranked.push(lists.into_iter().filter(|p| if p.source == crate::propose::gazetteer::SOURCE { use_gazetteer } else { use_rules }).collect());
            }
            // Corrected after the model took the lists' and rules' proposals as they are, as the app does.
            let ranked = ranked.into_iter().map(|list| tidy(&text, list, rules.lexicon(), std::slice::from_ref(&gazetteer))).collect();
            (to_tokens(combine(ranked), &ranges), judged)
        })
        .collect();
    let mut score = Score::default();
    let mut judged = Vec::new();
    for (sentence, (predicted, j)) in test.iter().zip(results) {
        score.add(&sentence.entities, &predicted);
        judged.extend(j);
    }
    let calibration = model.as_ref().map(|_| calibration_table(&judged));
    Evaluation { score, calibration, model, train_seconds }
}

/// Builds the proposers from `train` and scores them on `test`; the rules only when `rules`
/// (the model is left out: the lists and rules as they were before it).
pub fn evaluate(train: &Path, test: &Path, rules: bool) -> anyhow::Result<Score> {
    let which: &[ProposerName] = if rules { &[ProposerName::Gazetteer, ProposerName::Rules] } else { &[ProposerName::Gazetteer] };
    Ok(evaluate_sentences(&read_conll(train)?, &read_conll(test)?, which).score)
}

/// Prints precision, recall and F1 per label and overall; exit status 0.
pub fn run(args: &EvalArgs) -> anyhow::Result<i32> {
    let mut which = args.proposers.clone().unwrap_or_else(|| vec![ProposerName::Model, ProposerName::Gazetteer, ProposerName::Rules]);
    if args.no_rules {
        which.retain(|p| *p != ProposerName::Rules);
    }
    let train_sentences = read_conll(&args.train)?;
    let test = read_conll(&args.test)?;
    if args.curve {
        for share in [0.1, 0.25, 0.5] {
            let n = ((train_sentences.len() as f64 * share).round() as usize).max(1);
            let evaluation = evaluate_sentences(&train_sentences[..n], &test, &which);
            println!("{:>3.0}% of training ({n} sentences): micro_f1 {:.4}", share * 100.0, evaluation.score.overall.f1());
        }
    }
    let evaluation = evaluate_sentences(&train_sentences, &test, &which);
    if args.curve {
        println!("100% of training ({} sentences): micro_f1 {:.4}\n", train_sentences.len(), evaluation.score.overall.f1());
    }
    if let Some(model) = &evaluation.model {
        let report = model.report();
        println!(
            "model: trained in {:.1} s on {} sentences, {} tokens; held out {:.4} vs lists + rules {:.4}; {}",
            evaluation.train_seconds,
            report.sentences,
            report.tokens,
            report.model.overall.f1(),
            report.baseline.overall.f1(),
            if report.gate.passed { "proposes" } else { "does not propose" }
        );
    }
    if let Some(calibration) = &evaluation.calibration {
        println!("model confidence on the test data:");
        for bin in calibration {
            let share = if bin.spans == 0 { 0.0 } else { bin.correct as f64 / bin.spans as f64 };
            println!("  {:.1}–{:.1}: {:>5} spans, {:>5} right ({:.0}%)", bin.from, bin.to, bin.spans, bin.correct, share * 100.0);
        }
        println!();
    }
    print!("{}", evaluation.score.table());
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

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
