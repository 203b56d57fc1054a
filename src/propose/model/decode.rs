//! Scoring a sentence: emission scores, Viterbi decoding, forward–backward marginals.
//!
//! A model is a weight table (`rows × tags`, one row per hashed feature) and a transition table
//! (`(tags + 1) × (tags + 1)`, where index `tags` stands for the sentence boundary: the row of
//! the start, the column of the end). Transitions the tag scheme forbids (`O` → `I-LOC`) are never
//! taken: they are masked, not learnt.

use super::features::SentenceFeatures;
use super::tags::TagSet;

/// The numbers a sentence is scored with.
#[derive(Clone, Debug, PartialEq)]
pub struct Weights {
    /// Number of tags.
    pub tags: usize,
    /// `rows × tags` feature weights.
    pub features: Vec<f32>,
    /// `(tags + 1) × (tags + 1)` transition weights; index `tags` is the boundary.
    pub transitions: Vec<f32>,
    /// Which transitions the scheme allows, in the same layout.
    pub allowed: Vec<bool>,
}

impl Weights {
    /// Zero weights for `rows` feature rows and the tags of `tag_set`.
    pub fn zeros(rows: usize, tag_set: &TagSet) -> Self {
        let tags = tag_set.len();
        let mut allowed = vec![false; (tags + 1) * (tags + 1)];
        for prev in 0..=tags {
            for next in 0..=tags {
                let (p, n) = ((prev < tags).then_some(prev), (next < tags).then_some(next));
                allowed[prev * (tags + 1) + next] = !(p.is_none() && n.is_none()) && tag_set.allowed(p, n);
            }
        }
        Weights { tags, features: vec![0.0; rows * tags], transitions: vec![0.0; (tags + 1) * (tags + 1)], allowed }
    }

    /// Index of the transition `prev → next` (`None` for the boundary).
    pub fn transition(&self, prev: Option<usize>, next: Option<usize>) -> usize {
        prev.unwrap_or(self.tags) * (self.tags + 1) + next.unwrap_or(self.tags)
    }

    /// Emission scores, `len × tags`.
    pub fn emissions(&self, sentence: &SentenceFeatures, out: &mut Vec<f32>) {
        let t = self.tags;
        out.clear();
        out.resize(sentence.len() * t, 0.0);
        for (i, scores) in out.chunks_exact_mut(t).enumerate() {
            for &row in sentence.token(i) {
                let weights = &self.features[row as usize * t..row as usize * t + t];
                for (s, w) in scores.iter_mut().zip(weights) {
                    *s += w;
                }
            }
        }
    }

    /// The best allowed tag sequence for `emissions` (`len × tags`).
    pub fn viterbi(&self, emissions: &[f32]) -> Vec<u16> {
        let t = self.tags;
        let n = emissions.len() / t;
        if n == 0 {
            return Vec::new();
        }
        let mut score = vec![f32::NEG_INFINITY; t];
        for (y, s) in score.iter_mut().enumerate() {
            let tr = self.transition(None, Some(y));
            if self.allowed[tr] {
                *s = self.transitions[tr] + emissions[y];
            }
        }
        let mut back = vec![0u16; n * t];
        let mut next = vec![f32::NEG_INFINITY; t];
        for i in 1..n {
            for y in 0..t {
                let mut best = (f32::NEG_INFINITY, 0usize);
                for (p, &s) in score.iter().enumerate() {
                    let tr = p * (t + 1) + y;
                    if self.allowed[tr] && s + self.transitions[tr] > best.0 {
                        best = (s + self.transitions[tr], p);
                    }
                }
                next[y] = best.0 + emissions[i * t + y];
                back[i * t + y] = best.1 as u16;
            }
            std::mem::swap(&mut score, &mut next);
        }
        let mut best = (f32::NEG_INFINITY, 0usize);
        for (y, &s) in score.iter().enumerate() {
            let tr = self.transition(Some(y), None);
            if self.allowed[tr] && s + self.transitions[tr] > best.0 {
                best = (s + self.transitions[tr], y);
            }
        }
        let mut path = vec![0u16; n];
        let mut y = best.1;
        for i in (0..n).rev() {
            path[i] = y as u16;
            y = back[i * t + y] as usize;
        }
        path
    }

    /// Each token's probability of each tag (`len × tags`, rows summing to 1) in the model whose
    /// scores are divided by `temperature`, by forward–backward with scaling.
    pub fn marginals(&self, emissions: &[f32], temperature: f32) -> Vec<f32> {
        let t = self.tags;
        let n = emissions.len() / t;
        if n == 0 {
            return Vec::new();
        }
        let inv = 1.0 / f64::from(temperature.max(1e-3));
        let max_transition = self.transitions.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let potential = |tr: usize| if self.allowed[tr] { ((f64::from(self.transitions[tr]) - f64::from(max_transition)) * inv).exp() } else { 0.0 };
        let pairs: Vec<f64> = (0..(t + 1) * (t + 1)).map(potential).collect();
        // Emission potentials, each token's scores shifted by their maximum (it cancels out).
        let mut emit = vec![0f64; n * t];
        for (i, row) in emit.chunks_exact_mut(t).enumerate() {
            let scores = &emissions[i * t..(i + 1) * t];
            let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            for (e, &s) in row.iter_mut().zip(scores) {
                *e = ((f64::from(s) - f64::from(max)) * inv).exp();
            }
        }
        let normalize = |v: &mut [f64]| {
            let sum: f64 = v.iter().sum();
            if sum > 0.0 {
                v.iter_mut().for_each(|x| *x /= sum);
            }
        };
        let mut alpha = vec![0f64; n * t];
        for y in 0..t {
            alpha[y] = pairs[self.transition(None, Some(y))] * emit[y];
        }
        normalize(&mut alpha[..t]);
        for i in 1..n {
            let (before, now) = alpha.split_at_mut(i * t);
            let prev = &before[(i - 1) * t..];
            for y in 0..t {
                let mut sum = 0.0;
                for (p, &a) in prev.iter().enumerate() {
                    sum += a * pairs[p * (t + 1) + y];
                }
                now[y] = sum * emit[i * t + y];
            }
            normalize(&mut now[..t]);
        }
        let mut beta = vec![0f64; n * t];
        for y in 0..t {
            beta[(n - 1) * t + y] = pairs[self.transition(Some(y), None)];
        }
        normalize(&mut beta[(n - 1) * t..]);
        for i in (0..n - 1).rev() {
            let (now, after) = beta.split_at_mut((i + 1) * t);
            let next = &after[..t];
            for y in 0..t {
                let mut sum = 0.0;
                for (z, &b) in next.iter().enumerate() {
                    sum += pairs[y * (t + 1) + z] * emit[(i + 1) * t + z] * b;
                }
                now[i * t + y] = sum;
            }
            normalize(&mut now[i * t..]);
        }
        let mut out = vec![0f32; n * t];
        for i in 0..n {
            let mut row: Vec<f64> = (0..t).map(|y| alpha[i * t + y] * beta[i * t + y]).collect();
            let sum: f64 = row.iter().sum();
            if sum > 0.0 {
                normalize(&mut row);
            } else {
                // Underflow in a sentence the model is sure of: its best tag has all the mass.
                let best = (0..t).max_by(|&a, &b| emissions[i * t + a].total_cmp(&emissions[i * t + b])).unwrap_or(0);
                row[best] = 1.0;
            }
            for (o, r) in out[i * t..(i + 1) * t].iter_mut().zip(row) {
                *o = r as f32;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::propose::model::tags::TagScheme;

    fn sentence(rows: &[&[u32]]) -> SentenceFeatures {
        let mut features = SentenceFeatures::default();
        for row in rows {
            features.starts.push(features.ids.len() as u32);
            features.ids.extend_from_slice(row);
        }
        features.starts.push(features.ids.len() as u32);
        features
    }

    #[test]
    fn viterbi_keeps_to_allowed_transitions_and_marginals_sum_to_one() {
        let tag_set = TagSet::new(TagScheme::Bioes, vec!["LOC".into(), "PERS".into()]);
        let mut weights = Weights::zeros(4, &tag_set);
        let t = weights.tags;
        // Feature 1 votes I-LOC strongly, which cannot stand alone: the best allowed path puts
        // the entity on it another way.
        weights.features[t + 2] = 5.0;
        weights.features[t + 4] = 4.0;
        weights.features[2 * t] = 1.0;
        weights.features[3 * t + 5] = 3.0;
        let sentence = sentence(&[&[2], &[1], &[3]]);
        let mut emissions = Vec::new();
        weights.emissions(&sentence, &mut emissions);
        let path = weights.viterbi(&emissions);
        let path: Vec<usize> = path.iter().map(|&y| y as usize).collect();
        let mut prev = None;
        for &y in &path {
            assert!(tag_set.allowed(prev, Some(y)), "{path:?}");
            prev = Some(y);
        }
        assert!(tag_set.allowed(prev, None));
        for temperature in [0.5, 1.0, 4.0] {
            let marginals = weights.marginals(&emissions, temperature);
            for row in marginals.chunks(t) {
                let sum: f32 = row.iter().sum();
                assert!((sum - 1.0).abs() < 1e-4, "{sum}");
                assert!(row.iter().all(|p| (0.0..=1.0 + 1e-6).contains(p)));
            }
        }
        // An I- tag alone at the start has no probability.
        let marginals = weights.marginals(&emissions, 1.0);
        assert_eq!(marginals[2], 0.0);
    }
}
