//! Tokens, sentences and hashed sparse features of a document, computed once.
//!
//! Tokens are the editor's words ([`crate::arabic::words`]), so a token range maps back to the
//! article's char offsets exactly. A sentence ends at a line break and after sentence-final
//! punctuation. Each token gets about fifty features, each a hash of a template id and what it
//! looks at, reduced to `hash_bits` bits: the hashing trick keeps the model a flat table of
//! weights (no feature dictionary to build, store or look up), at the price of rare collisions.
//!
//! Templates (the word is normalized for matching; the stem is [`word_key`]: no proclitics):
//! the word and stem; prefixes and suffixes of 1–4 letters; words and stems at ±1, ±2; word and
//! stem bigrams; shape (script, length, article, cut proclitic) alone and with its neighbours';
//! first and last token of a sentence; the gazetteer's and rules' proposals as tags (`B-LOC`…)
//! at the token and its neighbours, with their score; the stem's frequency bucket in unlabelled
//! news; its word classes at three granularities, the neighbours' classes (fine at ±1, coarse at
//! ±2) and the pair of its and the next word's middle classes.
//!
//! The hash is FNV-1a with a fixed mixing step, written here so it never changes under us: a
//! saved model is only valid with exactly these features, which [`FEATURE_VERSION`] names.

use std::collections::HashMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::clusters::{WordClusters, frequency_bucket, word_key};
use super::tags::TagScheme;
use crate::arabic::chars::{is_arabic_letter, is_digit, is_proclitic_letter};
use crate::arabic::{Lexicon, WordKind, lexicon_key, words};
use crate::propose::{Proposal, gazetteer, rules};

/// Version of the feature templates and hash; a saved model of another version is refused.
pub const FEATURE_VERSION: u32 = 1;

/// How a model's features are made and how it is trained; saved with the model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureSettings {
    /// [`FEATURE_VERSION`] when the model was made.
    pub version: u32,
    /// Features are hashed into `2^hash_bits` rows of weights.
    pub hash_bits: u8,
    /// BIO or BIOES tags.
    pub scheme: TagScheme,
    /// Whether the word-cluster and frequency features are used.
    pub clusters: bool,
    /// Whether the gazetteer's and rules' proposals are features.
    pub proposer_features: bool,
    /// Passes of the perceptron over the training sentences.
    pub epochs: u32,
}

impl Default for FeatureSettings {
    /// The settings measured best on the ANERcorp dev split (README, "The learned proposer"):
    /// BIO tags (as good as BIOES there, with half the tags), 2^20 rows, 10 passes.
    fn default() -> Self {
        FeatureSettings { version: FEATURE_VERSION, hash_bits: 20, scheme: TagScheme::Bio, clusters: true, proposer_features: true, epochs: 10 }
    }
}

/// One token: its char range in the document and what it is made of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Char range in the text.
    pub range: Range<usize>,
    /// Byte range in the text.
    pub bytes: Range<usize>,
    /// Letters, number or punctuation.
    pub kind: WordKind,
}

/// A document cut into tokens and sentences.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tokenized {
    /// All tokens, in order.
    pub tokens: Vec<Token>,
    /// Token index ranges of the sentences, in order, never empty.
    pub sentences: Vec<Range<usize>>,
}

/// True for a token that ends a sentence.
fn is_final(token: &str) -> bool {
    !token.is_empty() && token.chars().all(|c| matches!(c, '.' | '!' | '?' | '\u{061F}' | '\u{2026}' | '\u{06D4}'))
}

/// The tokens and sentences of `text`.
pub fn tokenize(text: &str) -> Tokenized {
    let tokens: Vec<Token> = words(text).map(|w| Token { range: w.range, bytes: w.bytes, kind: w.kind }).collect();
    let mut sentences = Vec::new();
    let mut start = 0;
    for i in 0..tokens.len() {
        let ends = tokens.get(i + 1).is_none_or(|next| {
            let gap = &text[tokens[i].bytes.end..next.bytes.start];
            gap.contains('\n') || (is_final(&text[tokens[i].bytes.clone()]) && !is_final(&text[next.bytes.clone()]))
        });
        if ends {
            sentences.push(start..i + 1);
            start = i + 1;
        }
    }
    Tokenized { tokens, sentences }
}

/// The features of one sentence: for token `t`, `ids[starts[t]..starts[t + 1]]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SentenceFeatures {
    /// Feature rows, all tokens one after the other.
    pub ids: Vec<u32>,
    /// Where each token's features start in `ids`, plus a final entry.
    pub starts: Vec<u32>,
}

impl SentenceFeatures {
    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// True for a sentence without tokens.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The feature rows of token `t`.
    pub fn token(&self, t: usize) -> &[u32] {
        &self.ids[self.starts[t] as usize..self.starts[t + 1] as usize]
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a of `bytes`, continuing from `h`.
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

fn hash_str(s: &str) -> u64 {
    fnv(FNV_OFFSET, s.as_bytes())
}

/// A template id and up to two values, mixed into one hash (splitmix64's finalizer).
fn mix(template: u8, a: u64, b: u64) -> u64 {
    let mut z = a.wrapping_add(u64::from(template).wrapping_mul(0x9e37_79b9_7f4a_7c15)) ^ b.rotate_left(31);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Hash of a position outside the sentence.
const PAD: u64 = 0x5bd1_e995;

/// What the templates look at for one token, hashed once.
#[derive(Clone, Copy, Debug)]
struct TokenHashes {
    word: u64,
    stem: u64,
    shape: u64,
    /// Word classes, coarsest first; `PAD` when the stem is not in the table.
    classes: [u64; 3],
    frequency: u64,
    /// Prefixes of 1–4 letters of the normalized word, then suffixes; `PAD` past its length.
    affixes: [u64; 8],
    /// The proposal tag (label and place) of the gazetteer and of the rules, `PAD` for none.
    proposed: [u64; 2],
    /// The proposals' score bucket.
    proposed_score: [u64; 2],
}

/// The shape of a word: script, length bucket, article, cut proclitic.
fn shape(word: &str, kind: WordKind, cut: bool) -> u64 {
    let script = match kind {
        WordKind::Number => 1,
        WordKind::Punct => 2,
        WordKind::Letters if word.chars().any(is_arabic_letter) => 3,
        WordKind::Letters if word.chars().any(is_digit) => 4,
        WordKind::Letters => 5,
    };
    let letters = word.chars().count().min(8) as u64;
    let article = u64::from(word.starts_with("ال"));
    script | letters << 4 | article << 8 | u64::from(cut) << 9
}

/// Computes features for documents, with the lexicon that cuts proclitics.
#[derive(Clone, Copy, Debug)]
pub struct Featurizer<'a> {
    /// How features are made.
    pub settings: &'a FeatureSettings,
    /// Evidence for cutting proclitics.
    pub lexicon: &'a Lexicon,
}

impl Featurizer<'_> {
    /// Features of every sentence of `text`, given its tokens and the gazetteer's and rules'
    /// proposals for it (others are ignored).
    pub fn document(&self, text: &str, tokenized: &Tokenized, proposals: &[Proposal]) -> Vec<SentenceFeatures> {
        let hashes = self.token_hashes(text, tokenized, proposals);
        tokenized.sentences.iter().map(|s| self.sentence(&hashes[s.clone()])).collect()
    }

    fn token_hashes(&self, text: &str, tokenized: &Tokenized, proposals: &[Proposal]) -> Vec<TokenHashes> {
        // News repeats its words: each distinct word is normalized, cut and looked up once.
        let mut seen: HashMap<&str, TokenHashes> = HashMap::new();
        let mut out: Vec<TokenHashes> = tokenized
            .tokens
            .iter()
            .map(|token| {
                let raw = &text[token.bytes.clone()];
                *seen.entry(raw).or_insert_with(|| self.word_hashes(raw, token.kind))
            })
            .collect();
        if self.settings.proposer_features {
            mark_proposals(&tokenized.tokens, proposals, &mut out);
        }
        out
    }

    /// What the templates look at in one word, alone.
    fn word_hashes(&self, raw: &str, kind: WordKind) -> TokenHashes {
        let word = lexicon_key(raw);
        // Only words that start with a proclitic letter can lose one; cutting normalizes the word
        // again, which is worth avoiding for all the others.
        let stem = if kind == WordKind::Letters && word.chars().any(is_arabic_letter) && !raw.starts_with(is_proclitic_letter) {
            word.clone()
        } else {
            word_key(raw, kind, self.lexicon)
        };
        let cut = kind == WordKind::Letters && stem.len() < word.len();
        let entry = if self.settings.clusters { WordClusters::bundled().get(&stem) } else { None };
        let mut affixes = [PAD; 8];
        let ends: Vec<usize> = word.char_indices().map(|(i, _)| i).skip(1).chain([word.len()]).collect();
        for k in 1..=4.min(ends.len()) {
            affixes[k - 1] = hash_str(&word[..ends[k - 1]]);
            affixes[3 + k] = hash_str(&word[if k == ends.len() { 0 } else { ends[ends.len() - k - 1] }..]);
        }
        TokenHashes {
            word: hash_str(&word),
            stem: hash_str(&stem),
            shape: shape(&word, kind, cut),
            classes: entry.map_or([PAD; 3], |e| e.classes.map(|c| u64::from(c) + 1)),
            frequency: if self.settings.clusters { u64::from(frequency_bucket(entry.map_or(0, |e| e.count))) } else { PAD },
            affixes,
            proposed: [PAD; 2],
            proposed_score: [PAD; 2],
        }
    }

    fn sentence(&self, hashes: &[TokenHashes]) -> SentenceFeatures {
        let bits = u32::from(self.settings.hash_bits);
        let mut ids = Vec::with_capacity(hashes.len() * 52);
        let mut starts = Vec::with_capacity(hashes.len() + 1);
        let n = hashes.len() as isize;
        let at = |i: isize| (0..n).contains(&i).then(|| &hashes[i as usize]);
        for t in 0..hashes.len() {
            starts.push(ids.len() as u32);
            let h = &hashes[t];
            let mut push = |template: u8, a: u64, b: u64| ids.push((mix(template, a, b) >> (64 - bits)) as u32);
            push(0, 0, 0);
            push(1, h.word, 0);
            push(2, h.stem, 0);
            // Affixes of the normalized word (none past its length).
            for k in 0..4 {
                if h.affixes[k] != PAD {
                    push(11 + k as u8, h.affixes[k], 0);
                    push(21 + k as u8, h.affixes[4 + k], 0);
                }
            }
            let i = t as isize;
            for d in [-2isize, -1, 1, 2] {
                let o = at(i + d);
                let slot = (d + 2) as u8;
                push(30 + slot, o.map_or(PAD, |o| o.word), 0);
                push(40 + slot, o.map_or(PAD, |o| o.stem), 0);
            }
            let (prev, next) = (at(i - 1), at(i + 1));
            push(50, prev.map_or(PAD, |o| o.word), h.word);
            push(51, h.word, next.map_or(PAD, |o| o.word));
            push(52, prev.map_or(PAD, |o| o.stem), h.stem);
            push(53, h.stem, next.map_or(PAD, |o| o.stem));
            push(60, h.shape, 0);
            push(61, prev.map_or(PAD, |o| o.shape), h.shape);
            push(62, h.shape, next.map_or(PAD, |o| o.shape));
            push(63, u64::from(t == 0) | u64::from(t + 1 == hashes.len()) << 1, 0);
            for source in 0..2 {
                let s = source as u8;
                push(70 + s, h.proposed[source], 0);
                push(72 + s, h.proposed[source], h.proposed_score[source]);
                push(74 + s, prev.map_or(PAD, |o| o.proposed[source]), 0);
                push(76 + s, next.map_or(PAD, |o| o.proposed[source]), 0);
                push(78 + s, h.proposed[source], h.stem);
            }
            if self.settings.clusters {
                push(100, prev.map_or(PAD, |o| o.classes[2]), 0);
                push(101, next.map_or(PAD, |o| o.classes[2]), 0);
                push(102, at(i - 2).map_or(PAD, |o| o.classes[0]), 0);
                push(103, at(i + 2).map_or(PAD, |o| o.classes[0]), 0);
                push(104, h.classes[1], next.map_or(PAD, |o| o.classes[1]));
                push(80, h.frequency, 0);
                for (level, &class) in h.classes.iter().enumerate() {
                    push(81 + level as u8, class, 0);
                }
                push(84, prev.map_or(PAD, |o| o.classes[1]), 0);
                push(85, next.map_or(PAD, |o| o.classes[1]), 0);
                push(86, prev.map_or(PAD, |o| o.classes[1]), h.classes[1]);
                push(87, h.classes[2], h.shape);
            }
        }
        starts.push(ids.len() as u32);
        SentenceFeatures { ids, starts }
    }
}

/// The tokens (sorted, as [`tokenize`] makes them) that the char range `range` overlaps, if any.
pub fn token_range(tokens: &[Token], range: &Range<usize>) -> Option<Range<usize>> {
    let first = tokens.partition_point(|t| t.range.end <= range.start);
    let last = tokens.partition_point(|t| t.range.start < range.end);
    (first < last).then_some(first..last)
}

/// Writes the gazetteer's and rules' proposals onto the tokens they overlap, as a hash of the
/// label and the token's place in the proposal (B, I, E, S) and a score bucket.
fn mark_proposals(tokens: &[Token], proposals: &[Proposal], out: &mut [TokenHashes]) {
    for proposal in proposals {
        let source = match proposal.source.as_str() {
            gazetteer::SOURCE => 0,
            rules::SOURCE => 1,
            _ => continue,
        };
        let Some(Range { start: first, end: last }) = token_range(tokens, &proposal.range) else { continue };
        let label = hash_str(&proposal.label);
        let score = (proposal.score.clamp(0.0, 1.0) * 4.0).round() as u64;
        for (i, hashes) in out.iter_mut().enumerate().take(last).skip(first) {
            let place = match (i == first, i + 1 == last) {
                (true, true) => 1,
                (true, false) => 2,
                (false, true) => 3,
                (false, false) => 4,
            };
            hashes.proposed[source] = label ^ place;
            hashes.proposed_score[source] = score;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_at_line_breaks_and_final_punctuation() {
        let text = "قال لافروف في موسكو. وأضاف «نعم».\nسطر ثان";
        let tokenized = tokenize(text);
        let sentence_texts: Vec<String> =
            tokenized.sentences.iter().map(|s| tokenized.tokens[s.clone()].iter().map(|t| &text[t.bytes.clone()]).collect::<Vec<_>>().join(" ")).collect();
        assert_eq!(sentence_texts, ["قال لافروف في موسكو .", "وأضاف « نعم » .", "سطر ثان"]);
    }

    #[test]
    fn features_are_deterministic_and_within_the_table() {
        let settings = FeatureSettings { hash_bits: 16, ..FeatureSettings::default() };
        let featurizer = Featurizer { settings: &settings, lexicon: Lexicon::bundled() };
        let text = "التقى بشار الأسد في دمشق";
        let tokenized = tokenize(text);
        let proposals = [Proposal { range: 20..24, label: "LOC".into(), score: 0.9, source: "gazetteer".into() }];
        let a = featurizer.document(text, &tokenized, &proposals);
        let b = featurizer.document(text, &tokenized, &proposals);
        assert_eq!(a, b);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].len(), 5);
        assert!(a[0].ids.iter().all(|&id| id < 1 << 16));
        let without = featurizer.document(text, &tokenized, &[]);
        assert_ne!(a[0].token(4), without[0].token(4), "the gazetteer's proposal is a feature");
        assert_eq!(a[0].token(0), without[0].token(0));
    }
}
