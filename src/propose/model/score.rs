//! Exact-match scoring of entities, conlleval style: precision, recall and F1 per label and
//! overall (micro), and the confusion between gold and predicted labels.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use serde::{Deserialize, Serialize};

/// True positives, predicted and gold entity counts for one label (or all).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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

    /// The table `tawsim eval` prints, ending with `micro_f1=0.XXXX`.
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

/// What was predicted for each gold entity and what each prediction was in gold, by label:
/// `(gold label, predicted label) → count`, where `—` stands for no entity at that span.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confusion {
    /// Counts by (gold, predicted) label; `—` for none.
    pub cells: BTreeMap<(String, String), usize>,
}

/// The label standing for "no entity" in a [`Confusion`].
pub const NONE: &str = "—";

impl Confusion {
    /// Adds one sentence: spans are matched exactly; a gold span without a prediction at the same
    /// tokens counts as (label, —), a prediction without gold as (—, label).
    pub fn add(&mut self, gold: &[(Range<usize>, String)], predicted: &[(Range<usize>, String)]) {
        let predicted_at: HashMap<(usize, usize), &str> = predicted.iter().map(|(r, l)| ((r.start, r.end), l.as_str())).collect();
        let gold_at: HashSet<(usize, usize)> = gold.iter().map(|(r, _)| (r.start, r.end)).collect();
        for (range, label) in gold {
            let guess = predicted_at.get(&(range.start, range.end)).copied().unwrap_or(NONE);
            *self.cells.entry((label.clone(), guess.to_owned())).or_default() += 1;
        }
        for (range, label) in predicted {
            if !gold_at.contains(&(range.start, range.end)) {
                *self.cells.entry((NONE.to_owned(), label.clone())).or_default() += 1;
            }
        }
    }

    /// A table: gold labels down, predicted labels across.
    pub fn table(&self) -> String {
        let mut labels: Vec<&str> = self.cells.keys().flat_map(|(g, p)| [g.as_str(), p.as_str()]).filter(|l| *l != NONE).collect();
        labels.sort_unstable();
        labels.dedup();
        labels.push(NONE);
        let mut out = format!("{:<8}", "gold\\pred");
        for label in &labels {
            out.push_str(&format!(" {label:>6}"));
        }
        out.push('\n');
        for gold in &labels {
            out.push_str(&format!("{gold:<9}"));
            for guess in &labels {
                let count = self.cells.get(&((*gold).to_owned(), (*guess).to_owned())).copied().unwrap_or(0);
                out.push_str(&format!(" {count:>6}"));
            }
            out.push('\n');
        }
        out
    }
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

    #[test]
    fn confusion_counts_label_swaps_misses_and_spurious_spans() {
        let mut confusion = Confusion::default();
        confusion.add(&[e(0..1, "LOC"), e(2..4, "PERS"), e(5..6, "ORG")], &[e(0..1, "LOC"), e(2..3, "PERS"), e(5..6, "LOC")]);
        let cell = |g: &str, p: &str| confusion.cells.get(&(g.to_owned(), p.to_owned())).copied().unwrap_or(0);
        assert_eq!(cell("LOC", "LOC"), 1);
        assert_eq!(cell("ORG", "LOC"), 1);
        assert_eq!(cell("PERS", NONE), 1);
        assert_eq!(cell(NONE, "PERS"), 1);
        assert!(confusion.table().starts_with("gold\\pred"));
    }
}
