//! (b) A name labelled in most of its occurrences and left unlabelled in the others.
//!
//! Every name of the source is looked for in every article the source has a file for, as the
//! search finds words (normalized, whole words, after proclitics where the proclitic splitter
//! cuts the word). Each occurrence is:
//! - labelled as this name: an accepted span whose name it is overlaps it;
//! - inside another entity: other accepted spans overlap it (`الأسد` in `بشار الأسد`), so it
//!   counts neither way;
//! - decided: a rejected proposal lies exactly on it, so the annotator said no there;
//! - unlabelled otherwise.
//!
//! A name is reported when at least [`Thresholds::min_labelled`] occurrences are labelled and
//! they are at least [`Thresholds::min_ratio`] of the labelled and unlabelled ones together.
//! Words that are sometimes names and mostly not (`أمل` hope / Amal, `عادل` fair / Adel) fall
//! under the ratio; the defaults were chosen on ANERcorp (see the README).

use std::collections::HashMap;
use std::ops::Range;

use rayon::prelude::*;

use super::finding::{Finding, Fix, Kind, Occurrence};
use super::group::{Group, count_labels, per_article, span_occurrence};
use super::spans::SpanInfo;
use crate::arabic::{Lexicon, split_proclitics};
use crate::model::{Span, SpanState};
use crate::search::{ArticleIndex, CorpusIndex, Phrase, PhraseMatch, PhraseSet};

/// When a name's unlabelled occurrences are reported.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Thresholds {
    /// Labelled occurrences as a share of labelled and unlabelled ones, at least.
    pub min_ratio: f64,
    /// Labelled occurrences, at least.
    pub min_labelled: usize,
}

impl Default for Thresholds {
    /// Chosen on ANERcorp (`examples/consistency_thresholds.rs`; the README's "Corpus search and
    /// consistency"): judged by hand, names labelled in at least 80 % of their occurrences were
    /// real misses about 70 % of the time, those below it about half the time (common words
    /// that are sometimes names: `مشهد` a scene or Mashhad, `حماس` zeal or Hamas). At 0.8 a
    /// reported name is labelled at least four times, so the count floor only matters for
    /// lower ratios; three labelled occurrences are the least that say "this is a name here".
    fn default() -> Self {
        Thresholds { min_ratio: 0.8, min_labelled: 3 }
    }
}

/// What one occurrence of a name is.
enum Found<'a> {
    Labelled(&'a Span),
    Unlabelled(Range<usize>),
}

/// Whether a match that starts after proclitics (`روسيا` in `وروسيا`) is where the splitter
/// cuts its word: the search takes any و ف ب ل ك before a name, which finds `ليون` (Lyon) in
/// `بليون` (a billion); counted as an unlabelled name, that would be noise.
fn splits_there(article: &ArticleIndex, m: &PhraseMatch) -> bool {
    if m.range.start == m.first_word.start {
        return true;
    }
    let split = split_proclitics(article.slice(m.first_word.clone()), Lexicon::bundled());
    split.is_split() && m.first_word.start + split.prefix_len == m.range.start
}

/// The (b) findings, one per name over the thresholds; the fix labels the unlabelled
/// occurrences with the name's most frequent label.
pub(crate) fn partly_unlabelled(index: &CorpusIndex, groups: &[Group], source: &str, thresholds: Thresholds) -> Vec<Finding> {
    let phrases: Vec<Option<Phrase>> = groups.iter().map(|g| Phrase::new(g.key)).collect();
    // Phrase ids back to groups (a key whose phrase is empty is never looked for).
    let group_of: Vec<usize> = phrases.iter().enumerate().filter(|(_, p)| p.is_some()).map(|(g, _)| g).collect();
    let set = PhraseSet::new(phrases.into_iter().flatten().collect());
    // Which group each of the source's spans is in, by article and span id.
    let mut span_group: HashMap<(&str, u64), usize> = HashMap::new();
    for (g, group) in groups.iter().enumerate() {
        for info in &group.spans {
            span_group.insert((info.article.rel.as_ref(), info.span.id), g);
        }
    }
    let found: Vec<Vec<(usize, &ArticleIndex, Found)>> = index
        .articles()
        .par_iter()
        .map(|article| {
            let Some(annotation) = article.annotation(source) else { return Vec::new() };
            let mut out = Vec::new();
            for m in article.find_phrases(&set).into_iter().filter(|m| splits_there(article, m)) {
                let group = group_of[m.phrase];
                let overlapping: Vec<&Span> = annotation.overlapping(m.range.clone()).collect();
                let accepted = || overlapping.iter().filter(|s| s.state == SpanState::Accepted);
                if let Some(span) = accepted().find(|s| span_group.get(&(article.rel.as_ref(), s.id)) == Some(&group)) {
                    out.push((group, article, Found::Labelled(span)));
                } else if accepted().next().is_none() && !overlapping.iter().any(|s| s.state == SpanState::Rejected && s.range() == m.range) {
                    out.push((group, article, Found::Unlabelled(m.range)));
                }
            }
            out
        })
        .collect();
    let mut per_group: Vec<Vec<(&ArticleIndex, Found)>> = (0..groups.len()).map(|_| Vec::new()).collect();
    for (group, article, what) in found.into_iter().flatten() {
        per_group[group].push((article, what));
    }
    let mut findings = Vec::new();
    for (group, occurrences) in groups.iter().zip(per_group) {
        let labelled: Vec<&Span> = occurrences.iter().filter_map(|(_, f)| if let Found::Labelled(s) = f { Some(*s) } else { None }).collect();
        let unlabelled = occurrences.len() - labelled.len();
        let ratio = labelled.len() as f64 / occurrences.len().max(1) as f64;
        if unlabelled == 0 || labelled.len() < thresholds.min_labelled || ratio < thresholds.min_ratio {
            continue;
        }
        let labels = count_labels(labelled.iter().map(|s| s.label.as_str()));
        let label = labels[0].label.clone();
        findings.push(finding(group, occurrences, labels, &label, source));
    }
    findings
}

/// The finding of one name, its occurrences in text order, and the fix labelling the rest.
fn finding(group: &Group, occurrences: Vec<(&ArticleIndex, Found)>, labels: Vec<super::finding::LabelCount>, label: &str, source: &str) -> Finding {
    let by_id: HashMap<(&str, u64), &SpanInfo> = group.spans.iter().map(|s| ((s.article.rel.as_ref(), s.span.id), *s)).collect();
    let mut listed = Vec::new();
    let mut places: Vec<(&ArticleIndex, Range<usize>)> = Vec::new();
    for (article, what) in occurrences {
        match what {
            Found::Labelled(span) => {
                if let Some(info) = by_id.get(&(article.rel.as_ref(), span.id)) {
                    listed.push(span_occurrence(info, false));
                }
            }
            Found::Unlabelled(range) => {
                listed.push(Occurrence {
                    rel: article.rel.to_string(),
                    document: article.document.to_string(),
                    range: range.clone(),
                    text: article.slice(range.clone()).to_owned(),
                    label: None,
                    span_id: None,
                    flagged: true,
                });
                places.push((article, range));
            }
        }
    }
    // A span may be the name of two occurrences (an ANERcorp-style `وروسيا` holds `روسيا` once).
    listed.dedup();
    let unlabelled = places.len();
    let mut edits = Vec::new();
    let mut at = 0;
    while at < places.len() {
        let article = places[at].0;
        let mut end = at;
        while end < places.len() && std::ptr::eq(places[end].0, article) {
            end += 1;
        }
        if let Some(annotation) = article.annotation(source) {
            let here: Vec<(Range<usize>, &str)> = places[at..end].iter().map(|(a, r)| (r.clone(), a.slice(r.clone()))).collect();
            edits.extend(annotation.file.label_edits(&here, label).into_iter().map(|e| (article, e)));
        }
        at = end;
    }
    Finding {
        kind: Kind::Unlabelled,
        form: group.form(),
        key: group.key.to_owned(),
        labels,
        unlabelled,
        occurrences: listed,
        fixes: vec![Fix { title: format!("label the {unlabelled} unlabelled occurrence(s) as {label}"), mechanical: false, edits: per_article(edits, source) }],
    }
}
