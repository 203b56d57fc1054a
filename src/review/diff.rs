//! The spans of one article side by side across annotators: what the review mode draws.
//!
//! Every distinct (start, end, label) appears once with the annotators who have it. Its kind:
//! agreed when every annotator has it; conflicting when another distinct span disagrees with it,
//! i.e. has the same range with another label, or overlaps it with another boundary, and the
//! annotators split over the two (someone has this one and not that one, someone that one and not
//! this one); otherwise held by some, which is a span the others simply did not mark. So a span
//! nested in one everybody has (an annotator marked the inner LOC of an ORG, the others only the
//! ORG) is held by some, not a conflict: nobody chose the ORG *instead of* it.

use crate::model::Span;

/// How a distinct span stands between the annotators.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiffKind {
    /// Every annotator has it.
    Agreed,
    /// Some annotators have it and the others have nothing that contradicts it.
    BySome,
    /// Some annotators have it and others have a contradicting span instead.
    Conflict {
        /// Indices (into the diff list) of the spans it conflicts with.
        with: Vec<usize>,
    },
}

/// One distinct span of an article and who has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpanDiff {
    /// First char of the range.
    pub start: usize,
    /// One past the last char.
    pub end: usize,
    /// The label.
    pub label: String,
    /// The span's stored text (from the first annotator who has it).
    pub text: String,
    /// Indices of the annotators who have it, ascending, into the sets given to [`diff_article`].
    pub holders: Vec<usize>,
    /// Agreed, by some, or conflicting.
    pub kind: DiffKind,
}

impl SpanDiff {
    /// Whether annotator `i` has this span.
    pub fn held_by(&self, i: usize) -> bool {
        self.holders.binary_search(&i).is_ok()
    }
}

/// The spans of one article across annotators (`sets[i]` is annotator i's spans that count),
/// every distinct span once, sorted by (start, end, label).
pub fn diff_article(sets: &[&[Span]]) -> Vec<SpanDiff> {
    let mut all: Vec<(usize, &Span)> = sets.iter().enumerate().flat_map(|(i, spans)| spans.iter().map(move |s| (i, s))).collect();
    all.sort_by(|(i, x), (j, y)| (x.start, x.end, &x.label, i).cmp(&(y.start, y.end, &y.label, j)));
    let mut diffs: Vec<SpanDiff> = Vec::new();
    for (i, span) in all {
        match diffs.last_mut() {
            Some(d) if (d.start, d.end, d.label.as_str()) == (span.start, span.end, span.label.as_str()) => {
                if d.holders.last() != Some(&i) {
                    d.holders.push(i);
                }
            }
            _ => diffs.push(SpanDiff {
                start: span.start,
                end: span.end,
                label: span.label.clone(),
                text: span.text.clone(),
                holders: vec![i],
                kind: DiffKind::BySome,
            }),
        }
    }
    let mut conflicts: Vec<Vec<usize>> = vec![Vec::new(); diffs.len()];
    for x in 0..diffs.len() {
        let d = &diffs[x];
        // Sorted by start: the spans that may contradict `d` and start no earlier follow it.
        for (y, e) in diffs.iter().enumerate().skip(x + 1) {
            let same_range = (e.start, e.end) == (d.start, d.end);
            if e.start >= d.end && !same_range {
                break;
            }
            if (same_range || e.start < d.end && d.start < e.end) && split_over(d, e) {
                conflicts[x].push(y);
                conflicts[y].push(x);
            }
        }
    }
    for (d, with) in diffs.iter_mut().zip(conflicts) {
        d.kind = if d.holders.len() == sets.len() {
            DiffKind::Agreed
        } else if with.is_empty() {
            DiffKind::BySome
        } else {
            let mut with = with;
            with.sort_unstable();
            DiffKind::Conflict { with }
        };
    }
    diffs
}

/// Whether some annotator has `d` and not `e`, and another has `e` and not `d`.
fn split_over(d: &SpanDiff, e: &SpanDiff) -> bool {
    d.holders.iter().any(|&i| !e.held_by(i)) && e.holders.iter().any(|&i| !d.held_by(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(start: usize, end: usize, label: &str) -> Span {
        Span::manual(0, start..end, label, "")
    }

    fn kinds(diffs: &[SpanDiff]) -> Vec<(usize, usize, &str, Vec<usize>, DiffKind)> {
        diffs.iter().map(|d| (d.start, d.end, d.label.as_str(), d.holders.clone(), d.kind.clone())).collect()
    }

    #[test]
    fn agreed_by_some_and_conflicting() {
        let amal = [s(0, 5, "PERS"), s(10, 15, "LOC"), s(20, 30, "ORG"), s(40, 45, "LOC"), s(50, 55, "MISC")];
        let badr = [s(0, 5, "PERS"), s(10, 15, "ORG"), s(20, 26, "ORG"), s(40, 45, "LOC")];
        let chadi = [s(0, 5, "PERS"), s(10, 15, "LOC"), s(20, 30, "ORG")];
        let diffs = diff_article(&[&amal, &badr, &chadi]);
        use DiffKind::*;
        assert_eq!(
            kinds(&diffs),
            [
                // Everybody: agreed.
                (0, 5, "PERS", vec![0, 1, 2], Agreed),
                // Same range, other label: amal and chadi say LOC, badr ORG.
                (10, 15, "LOC", vec![0, 2], Conflict { with: vec![2] }),
                (10, 15, "ORG", vec![1], Conflict { with: vec![1] }),
                // Overlapping with another boundary: 20..26 against 20..30.
                (20, 26, "ORG", vec![1], Conflict { with: vec![4] }),
                (20, 30, "ORG", vec![0, 2], Conflict { with: vec![3] }),
                // Chadi has nothing here: by some.
                (40, 45, "LOC", vec![0, 1], BySome),
                (50, 55, "MISC", vec![0], BySome),
            ]
        );
        assert!(diffs[5].held_by(1) && !diffs[5].held_by(2));
    }

    #[test]
    fn a_nested_span_only_some_marked_is_not_a_conflict() {
        // Both have ORG 0..17; amal also the nested LOC 12..17. Nobody chose ORG instead of LOC.
        let amal = [s(0, 17, "ORG"), s(12, 17, "LOC")];
        let badr = [s(0, 17, "ORG")];
        let diffs = diff_article(&[&amal, &badr]);
        assert_eq!(diffs[0].kind, DiffKind::Agreed);
        assert_eq!(diffs[1].kind, DiffKind::BySome);
        // But a part labelled alone where the other marked the whole is a conflict.
        let diffs = diff_article(&[&[s(0, 17, "ORG")], &[s(12, 17, "LOC")]]);
        assert_eq!(diffs[0].kind, DiffKind::Conflict { with: vec![1] });
    }

    #[test]
    fn repeated_spans_and_empty_sets() {
        let diffs = diff_article(&[&[s(0, 3, "LOC"), s(0, 3, "LOC")], &[s(0, 3, "LOC")]]);
        assert_eq!(diffs.len(), 1);
        assert_eq!(diffs[0].holders, [0, 1]);
        assert!(diff_article(&[&[], &[]]).is_empty());
    }
}
