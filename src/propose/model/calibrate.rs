//! Confidence: a span's lowest token marginal at a temperature fitted on held-out sentences, and
//! how well such confidences match how often spans are right.

use serde::{Deserialize, Serialize};

/// A predicted span's confidence and whether it was right (exact span and label).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Judged {
    /// The span's confidence in 0..=1.
    pub confidence: f32,
    /// Whether gold has the same span with the same label.
    pub correct: bool,
}

/// Log loss of confidences against correctness.
fn log_loss(judged: &[Judged]) -> f64 {
    judged
        .iter()
        .map(|j| {
            let p = f64::from(j.confidence).clamp(1e-4, 1.0 - 1e-4);
            -(if j.correct { p.ln() } else { (1.0 - p).ln() })
        })
        .sum()
}

/// The temperature whose confidences have the lowest log loss against correctness, given a
/// function that judges the held-out predictions at a temperature; 1 when there is nothing to
/// judge. Perceptron scores have no natural scale, so a coarse search from very sharp (0.05) to
/// very flat (about 150) in steps of 1.5 is refined in steps of 1.1 around the best.
pub fn fit_temperature(judge: impl Fn(f32) -> Vec<Judged>) -> f32 {
    let loss_at = |temperature: f32| {
        let judged = judge(temperature);
        (if judged.is_empty() { f64::INFINITY } else { log_loss(&judged) }, temperature)
    };
    let better = |a: (f64, f32), b: (f64, f32)| if b.0 < a.0 { b } else { a };
    let coarse = (0..20).map(|i| loss_at(0.05 * 1.5f32.powi(i))).fold((f64::INFINITY, 1.0), better);
    let fine = [-4, -3, -2, -1, 1, 2, 3, 4].map(|i| loss_at(coarse.1 * 1.1f32.powi(i)));
    fine.into_iter().fold(coarse, better).1
}

/// Spans in a confidence band and how many of them were right.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalibrationBin {
    /// Lowest confidence in the band.
    pub from: f32,
    /// Highest confidence (exclusive, except for the top band).
    pub to: f32,
    /// Spans in the band.
    pub spans: usize,
    /// Of which right.
    pub correct: usize,
}

/// The bands the README and the report show: ≥ 0.8, 0.6–0.8, < 0.6.
pub fn calibration_table(judged: &[Judged]) -> Vec<CalibrationBin> {
    let bands = [(0.8f32, 1.0f32), (0.6, 0.8), (0.0, 0.6)];
    bands
        .iter()
        .map(|&(from, to)| {
            let inside: Vec<&Judged> = judged.iter().filter(|j| j.confidence >= from && (j.confidence < to || to >= 1.0)).collect();
            CalibrationBin { from, to, spans: inside.len(), correct: inside.iter().filter(|j| j.correct).count() }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fitted_temperature_matches_confidence_to_accuracy() {
        // At temperature τ, confidence is 0.5 + 0.5 / τ (clamped); the spans are right 75% of
        // the time, so the best τ gives confidence near 0.75, that is τ near 2.
        let judge = |t: f32| (0..100).map(|i| Judged { confidence: (0.5 + 0.5 / t).min(1.0), correct: i % 4 != 0 }).collect();
        let t = fit_temperature(judge);
        assert!((1.6..2.5).contains(&t), "{t}");
        assert_eq!(fit_temperature(|_| Vec::new()), 1.0);
    }

    #[test]
    fn bands_count_spans_and_right_ones() {
        let judged = [0.95, 0.85, 0.7, 0.3, 1.0].map(|c| Judged { confidence: c, correct: c > 0.8 });
        let table = calibration_table(&judged);
        assert_eq!((table[0].spans, table[0].correct), (3, 3));
        assert_eq!((table[1].spans, table[1].correct), (1, 0));
        assert_eq!((table[2].spans, table[2].correct), (1, 0));
    }
}
