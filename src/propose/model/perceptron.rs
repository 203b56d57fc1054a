//! Training: the averaged structured perceptron (Collins 2002).
//!
//! Each pass visits the sentences in a fixed pseudo-random order; where the Viterbi path differs
//! from the gold tags, the features of each wrong token move weight from the predicted tag to the
//! gold one, and so do the transitions. The model returned is the average of the weights after
//! every sentence, which generalizes far better than the last ones; it is kept with the lazy
//! trick: alongside the weights, a sum of each update times the step it was made at, so the
//! average is `weights - sum / steps` at the end.

use super::decode::Weights;
use super::features::SentenceFeatures;

/// One training sentence: its features and gold tags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrainingSentence {
    /// Features of its tokens.
    pub features: SentenceFeatures,
    /// Gold tag of each token.
    pub gold: Vec<u16>,
}

/// splitmix64: the order of sentences in each pass, the same on every machine.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A deterministic shuffle of `0..len` from `seed`.
pub fn shuffled(len: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    let mut state = seed;
    for i in (1..len).rev() {
        let j = (splitmix(&mut state) % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

/// Trains `weights` (zeros of the right shape) on `sentences` for `epochs` passes and returns
/// the averaged weights.
pub fn train(mut weights: Weights, sentences: &[&TrainingSentence], epochs: u32) -> Weights {
    let t = weights.tags;
    let mut feature_sums = vec![0f32; weights.features.len()];
    let mut transition_sums = vec![0f32; weights.transitions.len()];
    let mut step = 1f32;
    let mut emissions = Vec::new();
    for epoch in 0..epochs {
        for index in shuffled(sentences.len(), u64::from(epoch) + 1) {
            let sentence = sentences[index];
            weights.emissions(&sentence.features, &mut emissions);
            let predicted = weights.viterbi(&emissions);
            if predicted != sentence.gold {
                for (i, (&gold, &guess)) in sentence.gold.iter().zip(&predicted).enumerate() {
                    if gold == guess {
                        continue;
                    }
                    for &row in sentence.features.token(i) {
                        let base = row as usize * t;
                        for (tag, delta) in [(gold as usize, 1.0f32), (guess as usize, -1.0)] {
                            weights.features[base + tag] += delta;
                            feature_sums[base + tag] += step * delta;
                        }
                    }
                }
                let at = |tags: &[u16], i: usize| (i < tags.len()).then(|| tags[i] as usize);
                for i in 0..=sentence.gold.len() {
                    let prev = |tags: &[u16]| i.checked_sub(1).and_then(|p| at(tags, p));
                    let gold = weights.transition(prev(&sentence.gold), at(&sentence.gold, i));
                    let guess = weights.transition(prev(&predicted), at(&predicted, i));
                    if gold != guess {
                        for (index, delta) in [(gold, 1.0f32), (guess, -1.0)] {
                            weights.transitions[index] += delta;
                            transition_sums[index] += step * delta;
                        }
                    }
                }
            }
            step += 1.0;
        }
    }
    for (w, s) in weights.features.iter_mut().zip(&feature_sums) {
        *w -= s / step;
    }
    for (w, s) in weights.transitions.iter_mut().zip(&transition_sums) {
        *w -= s / step;
    }
    weights
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffles_are_permutations_and_repeatable() {
        let a = shuffled(100, 7);
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..100).collect::<Vec<_>>());
        assert_eq!(a, shuffled(100, 7));
        assert_ne!(a, shuffled(100, 8));
    }
}
