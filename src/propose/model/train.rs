//! A training run: prepare the material, hold part of it out, score the model and the lists and
//! rules there, fit the temperature, decide the gate, train the final model on everything.
//!
//! The held-out part is the last tenth of the documents (of the sentences, when there are fewer
//! than ten documents), so a run is repeatable and no article is split between the parts. The
//! final model is trained on all the material with the temperature fitted on the held-out part.

use std::ops::Range;
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use super::calibrate::{Judged, calibration_table, fit_temperature};
use super::decode::Weights;
use super::features::{FeatureSettings, Featurizer, token_range, tokenize};
use super::perceptron::{self, TrainingSentence};
use super::report::{CurvePoint, Gate, TrainingReport, now_utc};
use super::score::{Confusion, Score};
use super::tags::TagSet;
use super::{SequenceModel, confidences};
use crate::arabic::Lexicon;
use crate::propose::{Proposal, combine};

/// Entities a project needs before its model is judged at all.
pub const MIN_SPANS: usize = 100;

/// Held-out entities needed for the comparison with the lists and rules to mean something.
pub const MIN_HELD_OUT_SPANS: usize = 10;

/// One annotated text to learn from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrainingDocument {
    /// The text.
    pub text: String,
    /// Its entities: char ranges with labels.
    pub entities: Vec<(Range<usize>, String)>,
    /// Char ranges the annotator rejected as entities: what they looked at and left out.
    pub rejected: Vec<Range<usize>>,
    /// The gazetteer's and rules' proposals for the text: features, and the baseline.
    pub proposals: Vec<Proposal>,
    /// Whether every entity of the text is marked. When not, only the sentences holding a
    /// decision (an entity or a rejection) are learnt from, since elsewhere an unmarked name may
    /// simply not have been reached yet.
    pub complete: bool,
}

/// How a run trains.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainOptions {
    /// Feature and training settings.
    pub settings: FeatureSettings,
    /// The labels to learn; entities of other labels are ignored. Empty: every label seen.
    pub labels: Vec<String>,
    /// What the material is, for the report (`gold`, `amal`, `gold + data/x.conll`).
    pub source: String,
    /// Share of the material held out for scores, the temperature and the gate.
    pub held_out: f32,
    /// Whether to compute the learning curve (three more trainings on part of the data).
    pub curve: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions { settings: FeatureSettings::default(), labels: Vec::new(), source: String::new(), held_out: 0.1, curve: true }
    }
}

/// A sentence ready to learn from and to score on.
struct Prepared {
    sentence: TrainingSentence,
    /// Gold entities (sentence token ranges, label).
    gold: Vec<(Range<usize>, String)>,
    /// The lists' and rules' entities, combined as the app combines them.
    baseline: Vec<(Range<usize>, String)>,
}

fn prepare(doc: &TrainingDocument, tags: &TagSet, featurizer: &Featurizer<'_>) -> Vec<Prepared> {
    let tokenized = tokenize(&doc.text);
    let features = featurizer.document(&doc.text, &tokenized, &doc.proposals);
    let to_tokens = |spans: &mut dyn Iterator<Item = (&Range<usize>, &str)>| -> Vec<(Range<usize>, String)> {
        spans.filter_map(|(range, label)| Some((token_range(&tokenized.tokens, range)?, label.to_owned()))).collect()
    };
    let gold = to_tokens(&mut doc.entities.iter().filter(|(_, l)| tags.labels.contains(l)).map(|(r, l)| (r, l.as_str())));
    let baseline = to_tokens(&mut combine(vec![doc.proposals.clone()]).iter().map(|p| (&p.range, p.label.as_str())));
    let rejected: Vec<Range<usize>> = doc.rejected.iter().filter_map(|r| token_range(&tokenized.tokens, r)).collect();
    let within = |s: &Range<usize>, list: &[(Range<usize>, String)]| -> Vec<(Range<usize>, String)> {
        list.iter()
            .filter(|(r, _)| r.start >= s.start && r.start < s.end)
            .map(|(r, l)| ((r.start - s.start)..(r.end.min(s.end) - s.start), l.clone()))
            .collect()
    };
    tokenized
        .sentences
        .iter()
        .zip(features)
        .filter_map(|(s, features)| {
            let gold = within(s, &gold);
            let decided = !gold.is_empty() || rejected.iter().any(|r| r.start < s.end && s.start < r.end);
            if !doc.complete && !decided {
                return None;
            }
            let indexed: Vec<(Range<usize>, usize)> = gold.iter().filter_map(|(r, l)| Some((r.clone(), tags.labels.iter().position(|x| x == l)?))).collect();
            let tags = tags.encode(features.len(), &indexed);
            Some(Prepared { sentence: TrainingSentence { features, gold: tags }, gold, baseline: within(s, &baseline) })
        })
        .collect()
}

/// Trains on `sentences` from zero weights.
fn fit(sentences: &[&Prepared], tags: &TagSet, settings: &FeatureSettings) -> Weights {
    let zeros = Weights::zeros(1 << settings.hash_bits, tags);
    let refs: Vec<&TrainingSentence> = sentences.iter().map(|p| &p.sentence).collect();
    perceptron::train(zeros, &refs, settings.epochs)
}

/// A held-out sentence decoded once: its emissions, Viterbi path and entities (token range,
/// label index); only the confidences depend on the temperature.
struct Decoded {
    emissions: Vec<f32>,
    path: Vec<u16>,
    entities: Vec<(Range<usize>, usize)>,
}

fn decode_all(weights: &Weights, tags: &TagSet, held_out: &[&Prepared]) -> Vec<Decoded> {
    held_out
        .par_iter()
        .map(|p| {
            let mut emissions = Vec::new();
            weights.emissions(&p.sentence.features, &mut emissions);
            let path = weights.viterbi(&emissions);
            let entities = tags.decode(&path);
            Decoded { emissions, path, entities }
        })
        .collect()
}

/// The decoded entities with their confidences at `temperature`, judged against gold.
fn judged_at(weights: &Weights, tags: &TagSet, decoded: &[Decoded], held_out: &[&Prepared], temperature: f32) -> Vec<Judged> {
    decoded
        .par_iter()
        .zip(held_out)
        .filter(|(d, _)| !d.entities.is_empty())
        .flat_map_iter(|(d, p)| {
            let found = confidences(weights, temperature, &d.emissions, &d.path, d.entities.clone());
            found
                .into_iter()
                .map(|(r, l, c)| Judged { confidence: c, correct: p.gold.iter().any(|(g, gl)| *g == r && *gl == tags.labels[l]) })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Held-out scores of decoded sentences: model score and confusion.
fn score_decoded(tags: &TagSet, decoded: &[Decoded], held_out: &[&Prepared]) -> (Score, Confusion) {
    let (mut score, mut confusion) = (Score::default(), Confusion::default());
    for (d, p) in decoded.iter().zip(held_out) {
        let predicted: Vec<(Range<usize>, String)> = d.entities.iter().map(|(r, l)| (r.clone(), tags.labels[*l].clone())).collect();
        score.add(&p.gold, &predicted);
        confusion.add(&p.gold, &predicted);
    }
    (score, confusion)
}

/// The labels to learn: the options' or, when empty, every label in the material (sorted).
fn labels_of(docs: &[TrainingDocument], options: &TrainOptions) -> Vec<String> {
    if !options.labels.is_empty() {
        return options.labels.clone();
    }
    let mut labels: Vec<String> = docs.iter().flat_map(|d| d.entities.iter().map(|(_, l)| l.clone())).collect();
    labels.sort_unstable();
    labels.dedup();
    labels
}

/// Trains a model on `docs` and reports on it (see the module documentation). `lexicon` cuts
/// proclitics for the stem features; a model that is saved must use [`Lexicon::bundled`].
pub fn train(docs: &[TrainingDocument], options: &TrainOptions, lexicon: Arc<Lexicon>) -> SequenceModel {
    let started = Instant::now();
    let settings = &options.settings;
    let tags = TagSet::new(settings.scheme, labels_of(docs, options));
    let featurizer = Featurizer { settings, lexicon: &lexicon };
    let prepared: Vec<Vec<Prepared>> = docs.par_iter().map(|d| prepare(d, &tags, &featurizer)).collect();
    let all: Vec<&Prepared> = prepared.iter().flatten().collect();
    let held_out_len = if prepared.len() >= 10 {
        let docs_out = ((prepared.len() as f32 * options.held_out).ceil() as usize).max(1);
        prepared[prepared.len() - docs_out..].iter().map(Vec::len).sum()
    } else {
        (all.len() as f32 * options.held_out).ceil() as usize
    };
    let (train_part, held_out) = all.split_at(all.len() - held_out_len.min(all.len()));
    let spans_in = |part: &[&Prepared]| part.iter().map(|p| p.gold.len()).sum::<usize>();
    let tokens_in = |part: &[&Prepared]| part.iter().map(|p| p.sentence.gold.len()).sum::<usize>();

    // The model scored on the held-out part and the final one trained on everything, one on
    // each core.
    let (weights, final_weights) = rayon::join(|| fit(train_part, &tags, settings), || (!held_out.is_empty()).then(|| fit(&all, &tags, settings)));
    let decoded = decode_all(&weights, &tags, held_out);
    let temperature = fit_temperature(|t| judged_at(&weights, &tags, &decoded, held_out, t));
    let judged = judged_at(&weights, &tags, &decoded, held_out, temperature);
    let (model_score, confusion) = score_decoded(&tags, &decoded, held_out);
    let mut baseline = Score::default();
    for p in held_out {
        baseline.add(&p.gold, &p.baseline);
    }
    let mut curve = Vec::new();
    if options.curve && !train_part.is_empty() {
        for share in [0.1f32, 0.25, 0.5] {
            let n = ((train_part.len() as f32 * share).round() as usize).max(1);
            let part = &train_part[..n];
            let w = fit(part, &tags, settings);
            let f1 = score_decoded(&tags, &decode_all(&w, &tags, held_out), held_out).0.overall.f1();
            curve.push(CurvePoint { share, sentences: n, spans: spans_in(part), f1 });
        }
    }
    curve.push(CurvePoint { share: 1.0, sentences: train_part.len(), spans: spans_in(train_part), f1: model_score.overall.f1() });
    if !options.curve {
        curve.clear();
    }
    let gate = gate(spans_in(&all), spans_in(held_out), &model_score, &baseline);
    let mut weights = final_weights.unwrap_or(weights);
    super::file::quantize(&mut weights);
    let report = TrainingReport {
        trained_at: now_utc(),
        source: options.source.clone(),
        documents: docs.len(),
        sentences: all.len(),
        tokens: tokens_in(&all),
        spans: spans_in(&all),
        held_out_sentences: held_out.len(),
        held_out_tokens: tokens_in(held_out),
        held_out_spans: spans_in(held_out),
        model: model_score,
        baseline,
        confusion,
        curve,
        temperature,
        calibration: calibration_table(&judged),
        gate,
        seconds: started.elapsed().as_secs_f32(),
    };
    SequenceModel { settings: settings.clone(), tags, weights, temperature, report, lexicon }
}

/// Whether a model with these held-out scores may propose, and why (not).
fn gate(spans: usize, held_out_spans: usize, model: &Score, baseline: &Score) -> Gate {
    if spans < MIN_SPANS {
        return Gate { passed: false, reason: format!("needs {} more accepted entities ({spans} so far; {MIN_SPANS} to judge it)", MIN_SPANS - spans) };
    }
    if held_out_spans < MIN_HELD_OUT_SPANS {
        return Gate { passed: false, reason: format!("too few held-out entities to judge it ({held_out_spans}; {MIN_HELD_OUT_SPANS} needed)") };
    }
    let (m, b) = (model.overall.f1(), baseline.overall.f1());
    if m > b {
        Gate { passed: true, reason: format!("held-out F1 {m:.2} beats lists + rules {b:.2}") }
    } else {
        Gate { passed: false, reason: format!("held-out F1 {m:.2} vs lists + rules {b:.2}") }
    }
}

impl TrainingDocument {
    /// A fully annotated sentence (its tokens joined by spaces) with the lists' and rules'
    /// proposals for that text.
    pub fn from_sentence(sentence: &crate::model::LabelledSentence, proposals: Vec<Proposal>) -> Self {
        let (text, ranges) = sentence.text();
        let entities = sentence.entities.iter().map(|(r, l)| (ranges[r.start].start..ranges[r.end - 1].end, l.clone())).collect();
        TrainingDocument { text, entities, rejected: Vec::new(), proposals, complete: true }
    }
}
