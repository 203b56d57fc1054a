//! What a training run found: data sizes, held-out scores against the lists and rules, a
//! confusion table, a learning curve, calibration, and whether the model may propose.

use serde::{Deserialize, Serialize};

use super::calibrate::CalibrationBin;
use super::score::{Confusion, Score};

/// One point of the learning curve: F1 on the held-out part after training on a share of the
/// training part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    /// Share of the training sentences used (0..=1).
    pub share: f32,
    /// Sentences trained on.
    pub sentences: usize,
    /// Entities in them.
    pub spans: usize,
    /// Held-out micro-F1.
    pub f1: f64,
}

/// Whether the model proposes, and why (not).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gate {
    /// True when the model beat the lists and rules on held-out data.
    pub passed: bool,
    /// One sentence for the user.
    pub reason: String,
}

/// The report of a training run, saved with the model and printed by `tawsim train`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainingReport {
    /// When training finished (UTC, `YYYY-MM-DD HH:MM:SS`).
    pub trained_at: String,
    /// What it was trained on (`gold`, an annotator, an external file).
    pub source: String,
    /// Documents, sentences, tokens and entities of all training material.
    pub documents: usize,
    /// Sentences.
    pub sentences: usize,
    /// Tokens.
    pub tokens: usize,
    /// Entities.
    pub spans: usize,
    /// Sentences, tokens and entities held out for the scores below.
    pub held_out_sentences: usize,
    /// Tokens held out.
    pub held_out_tokens: usize,
    /// Entities held out.
    pub held_out_spans: usize,
    /// The model's held-out scores (trained on the rest).
    pub model: Score,
    /// The lists' and rules' held-out scores.
    pub baseline: Score,
    /// Gold against the model's labels on the held-out part.
    pub confusion: Confusion,
    /// Held-out F1 at growing shares of the training part.
    pub curve: Vec<CurvePoint>,
    /// The temperature the confidences are computed at.
    pub temperature: f32,
    /// Held-out spans by confidence band (the temperature was fitted on the same spans).
    pub calibration: Vec<CalibrationBin>,
    /// Whether the model proposes.
    pub gate: Gate,
    /// Seconds the whole run took.
    pub seconds: f32,
}

impl TrainingReport {
    /// The report as `tawsim train` prints it.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "trained {} on {}: {} document(s), {} sentence(s), {} token(s), {} entities, in {:.1} s\n",
            self.trained_at, self.source, self.documents, self.sentences, self.tokens, self.spans, self.seconds
        );
        out.push_str(&format!(
            "held out: {} sentence(s), {} token(s), {} entities\n\nmodel, held out:\n{}\nlists + rules, held out:\n{}\n",
            self.held_out_sentences,
            self.held_out_tokens,
            self.held_out_spans,
            self.model.table(),
            self.baseline.table()
        ));
        out.push_str(&format!("confusion (held out, exact spans):\n{}\n", self.confusion.table()));
        if !self.curve.is_empty() {
            out.push_str("learning curve (held-out micro-F1):\n");
            for point in &self.curve {
                out.push_str(&format!("  {:>4.0}%  {:>6} sentences  {:>6} entities  F1 {:.4}\n", point.share * 100.0, point.sentences, point.spans, point.f1));
            }
            out.push('\n');
        }
        out.push_str(&format!("confidence (temperature {:.2}; held-out spans):\n", self.temperature));
        for bin in &self.calibration {
            let share = if bin.spans == 0 { 0.0 } else { bin.correct as f64 / bin.spans as f64 };
            out.push_str(&format!("  {:.1}–{:.1}: {:>5} spans, {:>5} right ({:.0}%)\n", bin.from, bin.to, bin.spans, bin.correct, share * 100.0));
        }
        out.push_str(&format!("\n{}: {}\n", if self.gate.passed { "proposes" } else { "does not propose" }, self.gate.reason));
        out
    }
}

/// The current time as `YYYY-MM-DD HH:MM:SS` (UTC), without a date crate.
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}", rest / 3600, rest % 3600 / 60, rest % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_looks_like_a_date() {
        let now = now_utc();
        assert_eq!(now.len(), 19, "{now}");
        assert!(now.starts_with("20"), "{now}");
    }
}
