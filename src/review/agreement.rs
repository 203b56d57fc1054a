//! Span agreement between annotators: exact and partial-overlap P/R/F1 per label, Cohen's κ over
//! tokens, per article and for the corpus, and the articles ranked by disagreement.
//!
//! A span is its (start, end, label); a span repeated in one annotator's set counts once. For a
//! pair (A, B), A is the reference: P = matched/|B|, R = matched/|A|, F1 = 2·matched/(|A|+|B|),
//! which is symmetric. When neither side has a span (|A| + |B| = 0) the article's F1 is undefined
//! (`None`, shown as n/a); it adds 0 to every corpus sum, so the corpus micro scores stay defined
//! as soon as any article has a span. One side empty gives F1 = 0.
//!
//! Which spans count is the caller's choice ([`SpanFilter`]): normally only accepted spans, but
//! predictions stored as pending spans can be scored against gold.

use std::collections::BTreeMap;

use crate::model::{AnnotationFile, Span, SpanState};

use super::diff::diff_article;
use super::kappa::{KappaTally, LabelIds, iob_tags, kappa_tallies, tokenize};

/// Matched spans and the sizes of both sides, for one label or all of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Spans of B matched by a span of A.
    pub matched: usize,
    /// Spans of A, the reference.
    pub a: usize,
    /// Spans of B.
    pub b: usize,
}

impl Counts {
    /// Precision matched/|B|; `None` when B has no span.
    pub fn precision(&self) -> Option<f64> {
        ratio(self.matched, self.b)
    }

    /// Recall matched/|A|; `None` when A has no span.
    pub fn recall(&self) -> Option<f64> {
        ratio(self.matched, self.a)
    }

    /// F1 = 2·matched/(|A|+|B|); `None` when neither side has a span.
    pub fn f1(&self) -> Option<f64> {
        ratio(2 * self.matched, self.a + self.b)
    }

    /// Spans that are on one side only: |A| + |B| − 2·matched.
    pub fn differing(&self) -> usize {
        self.a + self.b - 2 * self.matched
    }

    /// Adds another count (of other spans) to this one.
    pub fn add(&mut self, other: Counts) {
        self.matched += other.matched;
        self.a += other.a;
        self.b += other.b;
    }
}

fn ratio(num: usize, den: usize) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

/// Counts per label and over all labels (micro).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scores {
    /// Counts per label, sorted by label name; a label appears when either side uses it.
    pub per_label: BTreeMap<String, Counts>,
    /// Counts over all labels.
    pub overall: Counts,
}

impl Scores {
    /// Adds another article's scores to these (micro averaging: counts are summed).
    pub fn add(&mut self, other: &Scores) {
        for (label, counts) in &other.per_label {
            self.per_label.entry(label.clone()).or_default().add(*counts);
        }
        self.overall.add(other.overall);
    }

    fn count(&mut self, label: &str, update: impl Fn(&mut Counts)) {
        update(&mut self.overall);
        match self.per_label.get_mut(label) {
            Some(counts) => update(counts),
            None => update(self.per_label.entry(label.to_owned()).or_default()),
        }
    }
}

/// Exact and partial-overlap scores of one pair over the same spans.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpanScores {
    /// A span matches only an identical (start, end, label) span.
    pub exact: Scores,
    /// A span matches a span of the same label whose range overlaps it; see [`compare_partial`].
    pub partial: Scores,
}

impl SpanScores {
    /// Adds another article's scores to these.
    pub fn add(&mut self, other: &SpanScores) {
        self.exact.add(&other.exact);
        self.partial.add(&other.partial);
    }
}

/// The identity of a span for agreement: its range and label.
type Key<'s> = (usize, usize, &'s str);

/// The distinct (start, end, label) of `spans`, sorted.
fn keys(spans: &[Span]) -> Vec<Key<'_>> {
    let mut keys: Vec<Key<'_>> = spans.iter().map(|s| (s.start, s.end, s.label.as_str())).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Exact-match scores of `b` against the reference `a`.
pub fn compare_exact(a: &[Span], b: &[Span]) -> Scores {
    exact_of_keys(&keys(a), &keys(b))
}

fn exact_of_keys(a: &[Key<'_>], b: &[Key<'_>]) -> Scores {
    let mut scores = sizes(a, b);
    // Both sides are sorted and distinct, so a binary search finds the identical span.
    for key in b.iter().filter(|key| a.binary_search(key).is_ok()) {
        scores.count(key.2, |c| c.matched += 1);
    }
    scores
}

/// Scores with the sizes of both sides per label and nothing matched yet.
fn sizes(a: &[Key<'_>], b: &[Key<'_>]) -> Scores {
    let mut scores = Scores::default();
    for &(_, _, label) in a {
        scores.count(label, |c| c.a += 1);
    }
    for &(_, _, label) in b {
        scores.count(label, |c| c.b += 1);
    }
    scores
}

/// Partial-overlap scores of `b` against the reference `a`.
///
/// A span of B may match a span of A with the same label whose range shares at least one char
/// with it; each span is matched at most once. Matching is greedy: candidate pairs are taken by
/// largest overlap (in chars) first, then smallest union (so an identical span is always preferred
/// and every exact match is also a partial match), then by position; a pair is kept when neither
/// span is matched yet.
pub fn compare_partial(a: &[Span], b: &[Span]) -> Scores {
    partial_of_keys(&keys(a), &keys(b))
}

fn partial_of_keys(a: &[Key<'_>], b: &[Key<'_>]) -> Scores {
    let mut scores = sizes(a, b);
    // Candidates by a sweep: both sides are sorted by start, so the spans of B that can overlap
    // a span of A start before its end; `first` skips the leading spans of B that ended before
    // it began (it stops at a long span that has not, which keeps the sweep correct).
    let mut candidates: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut first = 0;
    for (i, &(a_start, a_end, a_label)) in a.iter().enumerate() {
        while first < b.len() && b[first].1 <= a_start {
            first += 1;
        }
        for (j, &(b_start, b_end, b_label)) in b.iter().enumerate().skip(first) {
            if b_start >= a_end {
                break;
            }
            let overlap = a_end.min(b_end).saturating_sub(a_start.max(b_start));
            if overlap > 0 && a_label == b_label {
                let union = a_end.max(b_end) - a_start.min(b_start);
                candidates.push((overlap, union, i, j));
            }
        }
    }
    candidates.sort_unstable_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)).then((x.2, x.3).cmp(&(y.2, y.3))));
    let mut a_used = vec![false; a.len()];
    let mut b_used = vec![false; b.len()];
    for (_, _, i, j) in candidates {
        if !a_used[i] && !b_used[j] {
            a_used[i] = true;
            b_used[j] = true;
            scores.count(a[i].2, |c| c.matched += 1);
        }
    }
    scores
}

/// Exact and partial scores of `b` against the reference `a`.
pub fn compare_spans(a: &[Span], b: &[Span]) -> SpanScores {
    let (a, b) = (keys(a), keys(b));
    SpanScores { exact: exact_of_keys(&a, &b), partial: partial_of_keys(&a, &b) }
}

/// Which spans of an annotation file are the annotator's annotation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpanFilter {
    /// Count pending spans too (predictions imported or proposed and not yet decided); rejected
    /// spans never count.
    pub pending: bool,
    /// Only these labels; `None` for all.
    pub labels: Option<Vec<String>>,
}

impl SpanFilter {
    /// Whether `span` counts.
    pub fn counts(&self, span: &Span) -> bool {
        let state = match span.state {
            SpanState::Accepted => true,
            SpanState::Pending => self.pending,
            SpanState::Rejected => false,
        };
        state && self.labels.as_ref().is_none_or(|ls| ls.contains(&span.label))
    }

    /// The spans of `file` that count.
    pub fn select(&self, file: &AnnotationFile) -> Vec<Span> {
        file.spans.iter().filter(|s| self.counts(s)).cloned().collect()
    }
}

/// One article as agreement sees it: its text and each annotator's spans that count.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ArticleAnnotations {
    /// The article's name (its corpus-relative path).
    pub article: String,
    /// The article text; span offsets are char indices into it, and κ tokenizes it.
    pub text: String,
    /// Per annotator, in the order of the annotator list given to [`CorpusAgreement::compute`]:
    /// the spans that count, or `None` when that annotator has no file for the article.
    pub spans: Vec<Option<Vec<Span>>>,
}

/// One pair's agreement on one article.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ArticleScores {
    /// The article's name.
    pub article: String,
    /// Exact and partial scores on this article.
    pub spans: SpanScores,
    /// κ over the article's tokens.
    pub kappa: Option<f64>,
}

impl ArticleScores {
    /// 1 − exact F1 (0 when neither side has a span), the first key of the disagreement ranking.
    pub fn disagreement(&self) -> f64 {
        1.0 - self.spans.exact.overall.f1().unwrap_or(1.0)
    }
}

/// The agreement of one pair of annotators over the articles both have a file for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PairScores {
    /// Index of the reference annotator A in [`CorpusAgreement::annotators`].
    pub a: usize,
    /// Index of annotator B.
    pub b: usize,
    /// Exact and partial scores over the corpus (micro: counts summed over articles).
    pub spans: SpanScores,
    /// κ tally over every token of the compared articles.
    pub kappa: KappaTally,
    /// κ tally over the tokens at least one of the two tagged (the all-O tokens left out).
    pub kappa_entities: KappaTally,
    /// Per compared article, in the order of the input.
    pub articles: Vec<ArticleScores>,
    /// Articles skipped because A has no file for them.
    pub missing_a: usize,
    /// Articles skipped because B has no file for them (and A has one).
    pub missing_b: usize,
}

impl PairScores {
    /// Exact micro-F1 over the corpus.
    pub fn micro_f1(&self) -> Option<f64> {
        self.spans.exact.overall.f1()
    }

    /// This pair's compared articles, most disagreement first (1 − exact F1, then the number of
    /// spans on one side only, then the name).
    pub fn ranked_articles(&self) -> Vec<&ArticleScores> {
        let mut ranked: Vec<&ArticleScores> = self.articles.iter().collect();
        ranked.sort_by(|x, y| {
            y.disagreement()
                .total_cmp(&x.disagreement())
                .then(y.spans.exact.overall.differing().cmp(&x.spans.exact.overall.differing()))
                .then(x.article.cmp(&y.article))
        });
        ranked
    }
}

/// How much the annotators who have a file for an article disagree on it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ArticleDisagreement {
    /// The article's name.
    pub article: String,
    /// Indices of the annotators with a file for it (at least two).
    pub annotators: Vec<usize>,
    /// Mean of 1 − exact F1 over those annotators' pairs whose F1 is defined; 0 when none is.
    pub disagreement: f64,
    /// Distinct spans not held by every one of those annotators.
    pub differing: usize,
}

/// Agreement of two or more annotators over a corpus.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CorpusAgreement {
    /// The annotators, as given.
    pub annotators: Vec<String>,
    /// Every pair (i, j) with i < j, in order; i is the reference.
    pub pairs: Vec<PairScores>,
    /// Articles at least two annotators have a file for, most disagreement first.
    pub ranked: Vec<ArticleDisagreement>,
}

impl CorpusAgreement {
    /// Computes every pair's agreement over `docs`, whose `spans` follow the order of `annotators`.
    pub fn compute(annotators: &[String], docs: &[ArticleAnnotations]) -> CorpusAgreement {
        let n = annotators.len();
        let mut pairs: Vec<PairScores> = (0..n).flat_map(|a| (a + 1..n).map(move |b| PairScores { a, b, ..PairScores::default() })).collect();
        let mut labels = LabelIds::default();
        let mut ranked = Vec::new();
        for doc in docs {
            let present: Vec<usize> = (0..n).filter(|&i| doc.spans.get(i).is_some_and(Option::is_some)).collect();
            if present.len() < 2 {
                for pair in &mut pairs {
                    count_missing(pair, doc);
                }
                continue;
            }
            let tokens = tokenize(&doc.text);
            let sets: Vec<&[Span]> = (0..n).map(|i| spans_of(doc, i)).collect();
            let tags: Vec<_> = (0..n).map(|i| present.contains(&i).then(|| iob_tags(&tokens, sets[i], &mut labels))).collect();
            let keyed: Vec<Vec<Key<'_>>> = sets.iter().map(|s| keys(s)).collect();
            let mut loss = Vec::new();
            for pair in &mut pairs {
                let (Some(ta), Some(tb)) = (&tags[pair.a], &tags[pair.b]) else {
                    count_missing(pair, doc);
                    continue;
                };
                let spans = SpanScores { exact: exact_of_keys(&keyed[pair.a], &keyed[pair.b]), partial: partial_of_keys(&keyed[pair.a], &keyed[pair.b]) };
                let (all, entities) = kappa_tallies(ta, tb);
                let article = ArticleScores { article: doc.article.clone(), spans, kappa: all.kappa() };
                loss.extend(article.spans.exact.overall.f1().map(|f| 1.0 - f));
                pair.spans.add(&article.spans);
                pair.kappa.merge(&all);
                pair.kappa_entities.merge(&entities);
                pair.articles.push(article);
            }
            let holders: Vec<&[Span]> = present.iter().map(|&i| sets[i]).collect();
            let differing = diff_article(&holders).iter().filter(|d| d.holders.len() < present.len()).count();
            ranked.push(ArticleDisagreement {
                article: doc.article.clone(),
                annotators: present,
                disagreement: if loss.is_empty() { 0.0 } else { loss.iter().sum::<f64>() / loss.len() as f64 },
                differing,
            });
        }
        ranked.sort_by(|x, y| y.disagreement.total_cmp(&x.disagreement).then(y.differing.cmp(&x.differing)).then(x.article.cmp(&y.article)));
        CorpusAgreement { annotators: annotators.to_vec(), pairs, ranked }
    }

    /// The main measure: the mean over pairs of exact micro-F1 (pairs whose F1 is undefined are
    /// left out; `None` when every pair's is).
    pub fn mean_micro_f1(&self) -> Option<f64> {
        let defined: Vec<f64> = self.pairs.iter().filter_map(PairScores::micro_f1).collect();
        (!defined.is_empty()).then(|| defined.iter().sum::<f64>() / defined.len() as f64)
    }

    /// The scores of the pair of annotators `a` and `b` (by name, in either order).
    pub fn pair(&self, a: &str, b: &str) -> Option<&PairScores> {
        self.pairs.iter().find(|p| {
            let names = (self.annotators[p.a].as_str(), self.annotators[p.b].as_str());
            names == (a, b) || names == (b, a)
        })
    }
}

/// Annotator `i`'s spans of `doc`; empty when it has no file.
fn spans_of(doc: &ArticleAnnotations, i: usize) -> &[Span] {
    doc.spans.get(i).and_then(Option::as_deref).unwrap_or(&[])
}

/// Records that `pair` skips `doc` because one side has no file for it.
fn count_missing(pair: &mut PairScores, doc: &ArticleAnnotations) {
    let has = |i: usize| doc.spans.get(i).is_some_and(Option::is_some);
    if !has(pair.a) {
        pair.missing_a += 1;
    } else if !has(pair.b) {
        pair.missing_b += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    fn s(start: usize, end: usize, label: &str) -> Span {
        Span::manual(0, start..end, label, "")
    }

    fn close(x: Option<f64>, expected: f64) -> bool {
        x.is_some_and(|x| (x - expected).abs() < 1e-9)
    }

    /// A's four spans and B's three over a 40-char text of ten 3-char words (see each test).
    fn fixture() -> (Vec<Span>, Vec<Span>) {
        let a = vec![s(0, 3, "PERS"), s(4, 11, "LOC"), s(12, 15, "ORG"), s(20, 27, "LOC")];
        let b = vec![s(0, 3, "PERS"), s(4, 11, "LOC"), s(12, 15, "LOC")];
        (a, b)
    }

    #[test]
    fn exact_scores_worked_by_hand() {
        // A has 4 spans, B 3, 2 identical (PERS 0..3, LOC 4..11):
        // P = 2/3, R = 2/4, F1 = 2·2/(4+3) = 4/7 = 0.5714.
        let (a, b) = fixture();
        let scores = compare_exact(&a, &b);
        assert_eq!(scores.overall, Counts { matched: 2, a: 4, b: 3 });
        assert!(close(scores.overall.precision(), 2.0 / 3.0));
        assert!(close(scores.overall.recall(), 0.5));
        assert!(close(scores.overall.f1(), 4.0 / 7.0));
        assert_eq!(scores.overall.differing(), 3);
        // Per label. LOC: A has 4..11 and 20..27, B has 4..11 and 12..15; 1 identical:
        // P = 1/2, R = 1/2, F1 = 2·1/(2+2) = 0.5. ORG: A 1, B 0: P n/a, R = 0, F1 = 0.
        // PERS: 1 and 1, identical: F1 = 1.
        assert_eq!(scores.per_label["LOC"], Counts { matched: 1, a: 2, b: 2 });
        assert!(close(scores.per_label["LOC"].f1(), 0.5));
        assert_eq!(scores.per_label["ORG"], Counts { matched: 0, a: 1, b: 0 });
        assert_eq!(scores.per_label["ORG"].precision(), None);
        assert_eq!(scores.per_label["ORG"].f1(), Some(0.0));
        assert!(close(scores.per_label["PERS"].f1(), 1.0));
        // F1 is symmetric; P and R swap.
        let swapped = compare_exact(&b, &a);
        assert_eq!(swapped.overall.f1(), scores.overall.f1());
        assert_eq!(swapped.overall.precision(), scores.overall.recall());
    }

    #[test]
    fn partial_overlap_worked_by_hand() {
        // A: LOC 0..10, LOC 12..20, PERS 30..35, ORG 40..50.
        // B: LOC 2..8 (inside A's first), LOC 8..14 (overlaps both of A's LOCs), PERS 30..35,
        //    LOC 40..50 (same range as A's ORG, other label: no match).
        // Candidates (overlap, union): (A0,B0) 6/10, (A0,B1) 2/14, (A1,B1) 2/8, (A2,B2) 5/5.
        // Greedy by overlap: (A0,B0) 6, (A2,B2) 5; then overlap 2 with the smaller union first:
        // (A1,B1) union 8 is taken, (A0,B1) is not since A0 is matched. Matched = 3.
        // P = 3/4, R = 3/4, F1 = 2·3/(4+4) = 0.75. Exact matches only PERS 30..35: F1 = 2/8 = 0.25.
        let a = [s(0, 10, "LOC"), s(12, 20, "LOC"), s(30, 35, "PERS"), s(40, 50, "ORG")];
        let b = [s(2, 8, "LOC"), s(8, 14, "LOC"), s(30, 35, "PERS"), s(40, 50, "LOC")];
        let scores = compare_spans(&a, &b);
        assert_eq!(scores.partial.overall, Counts { matched: 3, a: 4, b: 4 });
        assert!(close(scores.partial.overall.f1(), 0.75));
        assert_eq!(scores.exact.overall.matched, 1);
        assert!(close(scores.exact.overall.f1(), 0.25));
        assert_eq!(scores.partial.per_label["LOC"], Counts { matched: 2, a: 2, b: 3 });
        // A span of B overlapping two of A is matched once: B = one long LOC over both.
        let one = compare_partial(&a[..2], &[s(0, 20, "LOC")]);
        assert_eq!(one.overall, Counts { matched: 1, a: 2, b: 1 });
        // Touching ranges (8..10 vs 10..12) share no char: no match.
        assert_eq!(compare_partial(&[s(8, 10, "LOC")], &[s(10, 12, "LOC")]).overall.matched, 0);
    }

    #[test]
    fn partial_prefers_the_identical_span() {
        // A: LOC 0..10. B: LOC 0..20 and LOC 0..10 both overlap it by 10; the identical one has
        // the smaller union (10 < 20) and is matched, so partial ≥ exact.
        let scores = compare_spans(&[s(0, 10, "LOC")], &[s(0, 20, "LOC"), s(0, 10, "LOC")]);
        assert_eq!(scores.exact.overall.matched, 1);
        assert_eq!(scores.partial.overall.matched, 1);
    }

    #[test]
    fn partial_sweep_sees_a_long_early_span() {
        // B's first span is long and ends after later ones; the sweep must not skip past it.
        let a = [s(2, 3, "LOC"), s(50, 60, "ORG")];
        let b = [s(0, 100, "ORG"), s(1, 2, "LOC")];
        assert_eq!(compare_partial(&a, &b).overall.matched, 1);
    }

    #[test]
    fn edge_cases() {
        let (a, _) = fixture();
        // Neither side has a span: every score undefined.
        let none = compare_spans(&[], &[]);
        assert_eq!(none.exact.overall, Counts::default());
        assert_eq!(none.exact.overall.f1(), None);
        assert_eq!(none.partial.overall.f1(), None);
        // One side empty: F1 = 2·0/(4+0) = 0, recall 0, precision undefined.
        let one = compare_spans(&a, &[]);
        assert_eq!(one.exact.overall.f1(), Some(0.0));
        assert_eq!(one.exact.overall.recall(), Some(0.0));
        assert_eq!(one.exact.overall.precision(), None);
        assert_eq!(compare_spans(&[], &a).partial.overall.f1(), Some(0.0));
        // Identical sets: 1.0 everywhere.
        let same = compare_spans(&a, &a);
        assert_eq!(same.exact.overall.f1(), Some(1.0));
        assert_eq!(same.partial.overall.f1(), Some(1.0));
        // A span repeated in one file counts once: {LOC 0..3} vs {LOC 0..3, LOC 0..3} → F1 = 1.
        assert_eq!(compare_exact(&[s(0, 3, "LOC")], &[s(0, 3, "LOC"), s(0, 3, "LOC")]).overall.f1(), Some(1.0));
    }

    #[test]
    fn nested_spans_each_count_in_exact_match() {
        // A: ORG 0..17 with LOC 12..17 nested inside; B: the ORG only.
        // Exact: matched 1, |A| = 2, |B| = 1: P = 1/1, R = 1/2, F1 = 2·1/(2+1) = 0.6667.
        let a = [s(0, 17, "ORG"), s(12, 17, "LOC")];
        let b = [s(0, 17, "ORG")];
        let scores = compare_exact(&a, &b);
        assert_eq!(scores.overall, Counts { matched: 1, a: 2, b: 1 });
        assert!(close(scores.overall.f1(), 2.0 / 3.0));
    }

    #[test]
    fn filter_counts_accepted_and_optionally_pending() {
        let mut file = AnnotationFile::new("corpus/a.txt", "", "model");
        file.spans.push(s(0, 3, "LOC"));
        let mut pending = s(4, 7, "PERS");
        pending.state = SpanState::Pending;
        pending.origin = Origin::Imported { source: "crf.jsonl".into() };
        file.spans.push(pending);
        let mut rejected = s(8, 9, "LOC");
        rejected.state = SpanState::Rejected;
        file.spans.push(rejected);
        assert_eq!(SpanFilter::default().select(&file).len(), 1);
        let with_pending = SpanFilter { pending: true, labels: None };
        assert_eq!(with_pending.select(&file).len(), 2);
        let only_pers = SpanFilter { pending: true, labels: Some(vec!["PERS".into()]) };
        assert_eq!(only_pers.select(&file).iter().map(|s| s.start).collect::<Vec<_>>(), [4]);
    }

    fn doc(article: &str, text: &str, spans: Vec<Option<Vec<Span>>>) -> ArticleAnnotations {
        ArticleAnnotations { article: article.into(), text: text.into(), spans }
    }

    #[test]
    fn corpus_micro_scores_and_empty_articles() {
        // 40 chars of "abc " repeated: ten tokens at 0..3, 4..7, …, 36..39.
        let text = "abc ".repeat(10);
        let (a, b) = fixture();
        let names = ["amal".to_string(), "badr".to_string()];
        let docs = [
            // Article x: the fixture, 2 of 4 and 3 matched.
            doc("x", &text, vec![Some(a.clone()), Some(b.clone())]),
            // Article y: both empty; F1 n/a, adds 0 to the sums.
            doc("y", &text, vec![Some(vec![]), Some(vec![])]),
            // Article z: A has one span, B none: F1 0.
            doc("z", &text, vec![Some(vec![s(0, 3, "LOC")]), Some(vec![])]),
            // Article w: B has no file; skipped.
            doc("w", &text, vec![Some(vec![s(0, 3, "LOC")]), None]),
        ];
        let corpus = CorpusAgreement::compute(&names, &docs);
        let pair = &corpus.pairs[0];
        // Micro: matched 2 + 0 + 0, |A| = 4 + 0 + 1, |B| = 3 + 0 + 0.
        // P = 2/3, R = 2/5, F1 = 2·2/(5+3) = 0.5.
        assert_eq!(pair.spans.exact.overall, Counts { matched: 2, a: 5, b: 3 });
        assert!(close(pair.micro_f1(), 0.5));
        assert!(close(corpus.mean_micro_f1(), 0.5));
        assert_eq!(pair.articles.len(), 3);
        assert_eq!((pair.missing_a, pair.missing_b), (0, 1));
        assert_eq!(pair.articles[1].spans.exact.overall.f1(), None);
        // Ranking: z (1 − 0 = 1, 1 differing), x (1 − 4/7 = 0.43, 3 differing), y (0, n/a).
        let order: Vec<&str> = corpus.ranked.iter().map(|r| r.article.as_str()).collect();
        assert_eq!(order, ["z", "x", "y"]);
        assert_eq!(corpus.ranked[1].differing, 3);
        let pair_order: Vec<&str> = pair.ranked_articles().iter().map(|r| r.article.as_str()).collect();
        assert_eq!(pair_order, ["z", "x", "y"]);
        // κ over the tokens of x, y, z (10 each). In x, A tags tokens 0 B-PERS, 1 B-LOC
        // (span 4..11 covers tokens 1 "abc"@4..7 and 2 "abc"@8..11, so B-LOC I-LOC), 3 B-ORG,
        // 5 B-LOC 6 I-LOC; B tags 0 B-PERS, 1 B-LOC, 2 I-LOC, 3 B-LOC. So A and B differ on
        // tokens 3, 5, 6 of x; in z A tags token 0 B-LOC and B nothing: 4 of 30 tokens differ.
        // p_o = 26/30. Marginals (A, B) over 30 tokens: A tags 7 tokens, B 4, so
        // O (23, 26), B-PERS (1, 1), B-LOC (3, 2), I-LOC (2, 1), B-ORG (1, 0).
        // p_e = (23·26 + 1·1 + 3·2 + 2·1 + 1·0)/900 = 607/900.
        // κ = (26/30 − 607/900)/(1 − 607/900) = (780 − 607)/(900 − 607) = 173/293 = 0.590444.
        assert!(close(pair.kappa.observed(), 26.0 / 30.0));
        assert!(close(pair.kappa.kappa(), 173.0 / 293.0));
        // Without the all-O tokens: x tokens 0,1,2,3,5,6 and z token 0: 7 tokens, agreed on 0,1,2
        // of x: p_o = 3/7. Marginals: B-PERS (1,1), B-LOC (3,2), I-LOC (2,1), B-ORG (1,0),
        // O (0,3). p_e = (1 + 6 + 2 + 0 + 0)/49 = 9/49. κ = (21 − 9)/(49 − 9) = 12/40 = 0.3.
        assert!(close(pair.kappa_entities.kappa(), 0.3));
    }

    #[test]
    fn three_annotators_pairwise_mean() {
        let text = "abc ".repeat(10);
        let a = vec![s(0, 3, "PERS"), s(4, 7, "LOC"), s(8, 11, "ORG"), s(12, 15, "LOC")];
        // B = A without ORG: (A,B) matched 3, F1 = 2·3/(4+3) = 6/7 = 0.857143.
        let b = vec![s(0, 3, "PERS"), s(4, 7, "LOC"), s(12, 15, "LOC")];
        // C = A with PERS relabelled LOC: (A,C) matched 3, F1 = 6/8 = 0.75;
        // (B,C) matched LOC 4..7, LOC 12..15 = 2, F1 = 2·2/(3+4) = 4/7 = 0.571429.
        let c = vec![s(0, 3, "LOC"), s(4, 7, "LOC"), s(8, 11, "ORG"), s(12, 15, "LOC")];
        let names: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let corpus = CorpusAgreement::compute(&names, &[doc("x", &text, vec![Some(a), Some(b), Some(c)])]);
        assert_eq!(corpus.pairs.len(), 3);
        assert!(close(corpus.pair("a", "b").and_then(PairScores::micro_f1), 6.0 / 7.0));
        assert!(close(corpus.pair("c", "a").and_then(PairScores::micro_f1), 0.75));
        assert!(close(corpus.pair("b", "c").and_then(PairScores::micro_f1), 4.0 / 7.0));
        // Mean = (6/7 + 3/4 + 4/7)/3 = (24/28 + 21/28 + 16/28)/3 = 61/84 = 0.726190.
        assert!(close(corpus.mean_micro_f1(), 61.0 / 84.0));
        // Distinct spans: PERS 0..3 (a,b), LOC 0..3 (c), LOC 4..7 (all), ORG 8..11 (a,c),
        // LOC 12..15 (all): 3 not held by all three.
        assert_eq!(corpus.ranked[0].differing, 3);
    }

    #[test]
    fn no_spans_anywhere_leaves_the_mean_undefined() {
        let names = ["a".to_string(), "b".to_string()];
        let corpus = CorpusAgreement::compute(&names, &[doc("x", "نص", vec![Some(vec![]), Some(vec![])])]);
        assert_eq!(corpus.mean_micro_f1(), None);
        // One token, O for both: p_o = p_e = 1, κ = 1; without the all-O tokens nothing is left.
        assert_eq!(corpus.pairs[0].kappa.kappa(), Some(1.0));
        assert_eq!(corpus.pairs[0].kappa_entities.kappa(), None);
        let empty = CorpusAgreement::compute(&names, &[]);
        assert_eq!(empty.pairs[0].kappa.kappa(), None);
    }
}
