//! The learned proposer: a linear-chain sequence labeller trained on the project's annotations.
//!
//! How it works, in the order the code runs:
//! 1. [`features`]: the text is cut into the editor's words and into sentences, and every token
//!    gets about fifty hashed sparse features — its word and stem, affixes, neighbours, shape,
//!    the gazetteer's and rules' proposals over it, and word classes and frequency from
//!    unlabelled news ([`clusters`]). They are computed once per document.
//! 2. [`tags`]: entities become BIO tags (`B-PERS I-PERS`), or BIOES (`E-PERS`, `S-LOC`) by setting;
//!    BIO scored as well on the dev split with half the tags.
//! 3. [`perceptron`]: the averaged structured perceptron learns one weight per (feature row,
//!    tag) and per tag transition, decoding with Viterbi ([`decode`]).
//! 4. [`calibrate`]: forward–backward gives each token's tag probabilities; a span's confidence
//!    is its lowest token marginal, at a temperature fitted on held-out sentences.
//! 5. [`train`]: a run holds out part of the material, scores the model and the lists and rules
//!    on it ([`report`]), fits the temperature, decides the gate, and trains the final model
//!    on everything. [`file`] saves and loads it.
//! 6. [`active`]: which articles and which spans the annotator should look at next.

pub mod active;
pub mod calibrate;
pub mod clusters;
pub mod decode;
pub mod features;
pub mod file;
pub mod perceptron;
pub mod report;
pub mod score;
pub mod tags;
pub mod train;

use std::ops::Range;
use std::sync::Arc;

use self::decode::Weights;
use self::features::{FeatureSettings, Featurizer, SentenceFeatures, Tokenized, tokenize};
use self::report::TrainingReport;
use self::tags::TagSet;
use super::Proposal;
use crate::arabic::chars::is_proclitic_letter;
use crate::arabic::{Lexicon, WordKind, split_proclitics};

pub use self::file::{MODEL_FILE_NAME, ModelFileError, encode, load_model};
pub use self::train::{TrainOptions, TrainingDocument, train};

/// Name of this proposer in [`Proposal::source`].
pub const SOURCE: &str = "model";

/// A trained sequence labeller, ready to propose; `Send + Sync`, so it can be trained on one
/// thread and used on others.
#[derive(Clone, Debug)]
pub struct SequenceModel {
    settings: FeatureSettings,
    tags: TagSet,
    weights: Weights,
    temperature: f32,
    report: TrainingReport,
    /// Evidence for cutting proclitics off stems (the bundled lexicon for saved models).
    lexicon: Arc<Lexicon>,
}

/// One entity the model found: tokens of a sentence, char range, label, confidence.
#[derive(Clone, Debug, PartialEq)]
pub struct TaggedSpan {
    /// Char range in the text, without a proclitic on its first word.
    pub range: Range<usize>,
    /// Label name.
    pub label: String,
    /// Lowest token marginal of its tags, at the model's temperature.
    pub confidence: f32,
}

impl SequenceModel {
    /// Feature and training settings.
    pub fn settings(&self) -> &FeatureSettings {
        &self.settings
    }

    /// The tags it predicts.
    pub fn tags(&self) -> &TagSet {
        &self.tags
    }

    /// The report of the run that made it.
    pub fn report(&self) -> &TrainingReport {
        &self.report
    }

    /// Whether it beat the lists and rules on held-out data, and so may propose.
    pub fn passes_gate(&self) -> bool {
        self.report.gate.passed
    }

    /// The temperature its confidences are computed at.
    pub fn temperature(&self) -> f32 {
        self.temperature
    }

    fn featurizer(&self) -> Featurizer<'_> {
        Featurizer { settings: &self.settings, lexicon: &self.lexicon }
    }

    /// Entities in `text`, given the gazetteer's and rules' proposals for it (its features).
    pub fn tag(&self, text: &str, proposals: &[Proposal]) -> Vec<TaggedSpan> {
        let tokenized = tokenize(text);
        let sentences = self.featurizer().document(text, &tokenized, proposals);
        let mut out = Vec::new();
        let mut emissions = Vec::new();
        for (range, features) in tokenized.sentences.iter().zip(&sentences) {
            for (tokens, label, confidence) in self.tag_sentence(features, &mut emissions) {
                let span = (range.start + tokens.start)..(range.start + tokens.end);
                out.push(TaggedSpan { range: char_range(text, &tokenized, span, &self.lexicon), label: self.tags.labels[label].clone(), confidence });
            }
        }
        out
    }

    /// [`Self::tag`] as proposals of source [`SOURCE`], scored by confidence.
    pub fn propose(&self, text: &str, proposals: &[Proposal]) -> Vec<Proposal> {
        self.tag(text, proposals)
            .into_iter()
            .filter(|s| !s.range.is_empty())
            .map(|s| Proposal { range: s.range, label: s.label, score: s.confidence, source: SOURCE.to_owned() })
            .collect()
    }

    /// Entities of one sentence as (token range, label index, confidence).
    fn tag_sentence(&self, features: &SentenceFeatures, emissions: &mut Vec<f32>) -> Vec<(Range<usize>, usize, f32)> {
        tag_with(&self.weights, &self.tags, self.temperature, features, emissions)
    }
}

/// Viterbi entities of a sentence with their confidences under `weights`.
fn tag_with(weights: &Weights, tags: &TagSet, temperature: f32, features: &SentenceFeatures, emissions: &mut Vec<f32>) -> Vec<(Range<usize>, usize, f32)> {
    weights.emissions(features, emissions);
    let path = weights.viterbi(emissions);
    confidences(weights, temperature, emissions, &path, tags.decode(&path))
}

/// The entities of a decoded sentence with their confidences: each one's lowest token marginal
/// of its path's tags at `temperature`.
fn confidences(weights: &Weights, temperature: f32, emissions: &[f32], path: &[u16], entities: Vec<(Range<usize>, usize)>) -> Vec<(Range<usize>, usize, f32)> {
    if entities.is_empty() {
        return Vec::new();
    }
    let marginals = weights.marginals(emissions, temperature);
    let t = weights.tags;
    entities
        .into_iter()
        .map(|(range, label)| {
            let confidence = range.clone().map(|i| marginals[i * t + path[i] as usize]).fold(1.0f32, f32::min);
            (range, label, confidence)
        })
        .collect()
}

/// The char range of tokens `span`, leaving out a proclitic on the first (`وروسيا` → `روسيا`),
/// as the gold convention wants.
fn char_range(text: &str, tokenized: &Tokenized, span: Range<usize>, lexicon: &Lexicon) -> Range<usize> {
    let (first, last) = (&tokenized.tokens[span.start], &tokenized.tokens[span.end - 1]);
    let word = &text[first.bytes.clone()];
    let mut start = first.range.start;
    if first.kind == WordKind::Letters && word.starts_with(is_proclitic_letter) {
        start += split_proclitics(word, lexicon).prefix_len;
    }
    start..last.range.end
}
