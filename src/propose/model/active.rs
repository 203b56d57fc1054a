//! Active learning: which articles and which spans the annotator's answer would teach the model
//! most. Pure functions over the model's proposals; the app decides when to ask.
//!
//! - [`article_order`]: articles by the mean confidence of the model's spans in them, lowest
//!   first. A name repeated through an article is one question, not twenty, so each distinct
//!   surface form (normalized, as the gazetteer matches) counts once, with its mean confidence.
//! - [`teach_queue`]: the model's spans one question at a time, least certain first (confidence
//!   nearest 1/2), grouped by normalized surface form across articles, so the same question is
//!   never asked twice; the answer can be applied to every occurrence.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use crate::propose::gazetteer::normalize_form;

/// One model span in one article.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelSpan<K> {
    /// Which article (its id or path).
    pub article: K,
    /// Char range in the article.
    pub range: Range<usize>,
    /// The span's text as written.
    pub surface: String,
    /// The label the model gives it.
    pub label: String,
    /// The model's confidence.
    pub confidence: f32,
}

/// An article and what its spans say about the model's uncertainty there.
#[derive(Clone, Debug, PartialEq)]
pub struct ArticleUncertainty<K> {
    /// The article.
    pub article: K,
    /// Mean over its distinct surface forms of their mean confidence; `None` without spans.
    pub mean_confidence: Option<f32>,
    /// Distinct surface forms among its spans.
    pub forms: usize,
}

/// Articles ordered by how much the model would learn from them: lowest mean confidence first
/// (each surface form counted once), articles without model spans last; ties keep `articles`'
/// order. `articles` lists every article, so those without spans are ordered too.
pub fn article_order<K: Clone + Eq + std::hash::Hash>(articles: &[K], spans: &[ModelSpan<K>]) -> Vec<ArticleUncertainty<K>> {
    let mut forms: HashMap<&K, BTreeMap<String, (f32, usize)>> = HashMap::new();
    for span in spans {
        let entry = forms.entry(&span.article).or_default().entry(normalize_form(&span.surface)).or_default();
        entry.0 += span.confidence;
        entry.1 += 1;
    }
    let mut out: Vec<ArticleUncertainty<K>> = articles
        .iter()
        .map(|article| {
            let by_form = forms.get(article);
            let means: Vec<f32> = by_form.map(|f| f.values().map(|(sum, n)| sum / *n as f32).collect()).unwrap_or_default();
            let mean_confidence = (!means.is_empty()).then(|| means.iter().sum::<f32>() / means.len() as f32);
            ArticleUncertainty { article: article.clone(), mean_confidence, forms: means.len() }
        })
        .collect();
    // A stable sort: equal means keep the articles' order.
    out.sort_by(|a, b| match (a.mean_confidence, b.mean_confidence) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    out
}

/// One question for the annotator: is this text an entity with this label?
#[derive(Clone, Debug, PartialEq)]
pub struct TeachQuestion<K> {
    /// The normalized form the occurrences share.
    pub form: String,
    /// The text as first written.
    pub surface: String,
    /// The label the model gives most of the occurrences (ties: the first in name order).
    pub label: String,
    /// Mean confidence over the occurrences.
    pub confidence: f32,
    /// Every occurrence: article, char range, label, confidence; in the order given.
    pub occurrences: Vec<ModelSpan<K>>,
}

/// The model's spans as questions, least certain first (mean confidence nearest 1/2; ties by
/// form), each normalized surface form once.
pub fn teach_queue<K: Clone>(spans: Vec<ModelSpan<K>>) -> Vec<TeachQuestion<K>> {
    let mut groups: Vec<TeachQuestion<K>> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for span in spans {
        let form = normalize_form(&span.surface);
        let at = *index.entry(form.clone()).or_insert_with(|| {
            groups.push(TeachQuestion { form, surface: span.surface.clone(), label: String::new(), confidence: 0.0, occurrences: Vec::new() });
            groups.len() - 1
        });
        groups[at].occurrences.push(span);
    }
    for group in &mut groups {
        let mut votes: BTreeMap<&str, usize> = BTreeMap::new();
        for span in &group.occurrences {
            *votes.entry(span.label.as_str()).or_default() += 1;
        }
        let best = votes.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(l, _)| (*l).to_owned());
        group.label = best.unwrap_or_default();
        group.confidence = group.occurrences.iter().map(|s| s.confidence).sum::<f32>() / group.occurrences.len().max(1) as f32;
    }
    groups.sort_by(|a, b| (a.confidence - 0.5).abs().total_cmp(&(b.confidence - 0.5).abs()).then(a.form.cmp(&b.form)));
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(article: &'static str, range: Range<usize>, surface: &str, label: &str, confidence: f32) -> ModelSpan<&'static str> {
        ModelSpan { article, range, surface: surface.to_owned(), label: label.to_owned(), confidence }
    }

    #[test]
    fn articles_with_uncertain_forms_come_first_and_repeats_count_once() {
        let spans = vec![
            // a: one uncertain name repeated five times and one sure name: forms mean (0.3 + 0.9) / 2.
            span("a", 0..4, "بشار", "PERS", 0.3),
            span("a", 10..14, "بشار", "PERS", 0.3),
            span("a", 20..24, "بشار", "PERS", 0.3),
            span("a", 30..34, "بشار", "PERS", 0.3),
            span("a", 40..44, "بشار", "PERS", 0.3),
            span("a", 50..54, "دمشق", "LOC", 0.9),
            // b: two middling forms, 0.5 each; the two spellings of أحمد are one form.
            span("b", 0..4, "أحمد", "PERS", 0.4),
            span("b", 10..14, "احمد", "PERS", 0.6),
            span("b", 20..24, "حلب", "LOC", 0.5),
        ];
        let order = article_order(&["a", "b", "c"], &spans);
        let ids: Vec<&str> = order.iter().map(|a| a.article).collect();
        assert_eq!(ids, ["b", "a", "c"], "{order:?}");
        assert_eq!(order[0].forms, 2);
        assert!((order[1].mean_confidence.expect("a has spans") - 0.6).abs() < 1e-6);
        assert_eq!(order[2].mean_confidence, None);
    }

    #[test]
    fn the_teach_queue_asks_each_form_once_least_certain_first() {
        let spans = vec![
            span("a", 0..5, "الأسد", "PERS", 0.95),
            span("a", 9..13, "حلب", "LOC", 0.55),
            span("b", 3..8, "الاسد", "PERS", 0.85),
            span("b", 20..25, "الأسد", "ORG", 0.9),
            span("c", 0..4, "نيويورك", "LOC", 0.2),
        ];
        let queue = teach_queue(spans);
        let forms: Vec<(&str, &str, usize)> = queue.iter().map(|q| (q.surface.as_str(), q.label.as_str(), q.occurrences.len())).collect();
        assert_eq!(forms, [("حلب", "LOC", 1), ("نيويورك", "LOC", 1), ("الأسد", "PERS", 3)]);
        assert!((queue[2].confidence - 0.9).abs() < 1e-6);
        assert_eq!(queue[2].occurrences[1].article, "b");
    }
}
