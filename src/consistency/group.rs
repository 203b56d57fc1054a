//! The source's spans grouped by name, and the pieces every check builds its findings from.

use std::collections::BTreeMap;

use super::finding::{ArticleEdit, LabelCount, Occurrence};
use super::spans::SpanInfo;
use crate::model::SpanEdit;
use crate::search::ArticleIndex;

/// The spans of one name.
pub(crate) struct Group<'i, 'a> {
    /// The name's normalized form.
    pub(crate) key: &'i str,
    /// Its spans, by article and position.
    pub(crate) spans: Vec<&'i SpanInfo<'a>>,
}

/// `infos` grouped by name, by key; spans with nothing of a name left are not grouped.
pub(crate) fn by_name<'i, 'a>(infos: &'i [SpanInfo<'a>]) -> Vec<Group<'i, 'a>> {
    let mut groups: BTreeMap<&str, Vec<&SpanInfo>> = BTreeMap::new();
    for info in infos.iter().filter(|i| !i.key.is_empty()) {
        groups.entry(info.key.as_str()).or_default().push(info);
    }
    groups.into_iter().map(|(key, spans)| Group { key, spans }).collect()
}

impl Group<'_, '_> {
    /// The name as written most often (the alphabetically first among equals).
    pub(crate) fn form(&self) -> String {
        most_common(self.spans.iter().map(|s| s.article.slice(s.clean.clone()).to_owned()))
    }

    /// Labels with how many spans have each, most frequent first.
    pub(crate) fn labels(&self) -> Vec<LabelCount> {
        count_labels(self.spans.iter().map(|s| s.span.label.as_str()))
    }
}

/// The value seen most often (the smallest among equals); empty for none.
pub(crate) fn most_common(values: impl Iterator<Item = String>) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for value in values {
        *counts.entry(value).or_default() += 1;
    }
    counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map(|(value, _)| value).unwrap_or_default()
}

/// Each label with its count, most frequent first, then by name.
pub(crate) fn count_labels<'l>(labels: impl Iterator<Item = &'l str>) -> Vec<LabelCount> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for label in labels {
        *counts.entry(label).or_default() += 1;
    }
    let mut out: Vec<LabelCount> = counts.into_iter().map(|(label, count)| LabelCount { label: label.to_owned(), count }).collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
    out
}

/// A span as an occurrence of its name.
pub(crate) fn span_occurrence(info: &SpanInfo, flagged: bool) -> Occurrence {
    Occurrence {
        rel: info.article.rel.to_string(),
        document: info.article.document.to_string(),
        range: info.span.range(),
        text: info.span.text.clone(),
        label: Some(info.span.label.clone()),
        span_id: Some(info.span.id),
        flagged,
    }
}

/// Edits grouped into one per article (a batch when there are several), in article order.
pub(crate) fn per_article<'a>(edits: impl IntoIterator<Item = (&'a ArticleIndex, SpanEdit)>, source: &str) -> Vec<ArticleEdit> {
    let mut grouped: BTreeMap<&str, Vec<SpanEdit>> = BTreeMap::new();
    for (article, edit) in edits {
        grouped.entry(article.rel.as_ref()).or_default().push(edit);
    }
    grouped
        .into_iter()
        .map(|(rel, mut edits)| ArticleEdit {
            rel: rel.to_owned(),
            annotator: source.to_owned(),
            edit: if edits.len() == 1 { edits.remove(0) } else { SpanEdit::Batch(edits) },
        })
        .collect()
}
