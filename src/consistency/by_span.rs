//! The checks that look at the source's spans alone: (a) one name, several labels; (c) a
//! proclitic inside a span, or the article left out; (d) whitespace or punctuation at an edge.

use super::finding::{Finding, Fix, Kind};
use super::group::{Group, per_article, span_occurrence};
use super::spans::SpanInfo;
use crate::model::{Span, SpanEdit};

/// (a) A finding for each name with more than one label; its fixes relabel every span to one
/// label, the most frequent first.
pub(crate) fn label_conflicts(groups: &[Group], source: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    for group in groups {
        let labels = group.labels();
        if labels.len() < 2 {
            continue;
        }
        let top = labels[0].label.as_str();
        let fixes = labels
            .iter()
            .map(|target| {
                let others: Vec<&&SpanInfo> = group.spans.iter().filter(|s| s.span.label != target.label).collect();
                let edits = others.iter().map(|s| {
                    let after = Span { label: target.label.clone(), ..s.span.clone() };
                    (s.article, SpanEdit::Replace { before: s.span.clone(), after })
                });
                Fix { title: format!("relabel {} span(s) as {}", others.len(), target.label), mechanical: false, edits: per_article(edits, source) }
            })
            .collect();
        findings.push(Finding {
            kind: Kind::Labels,
            form: group.form(),
            key: group.key.to_owned(),
            occurrences: group.spans.iter().map(|s| span_occurrence(s, s.span.label != top)).collect(),
            labels,
            unlabelled: 0,
            fixes,
        });
    }
    findings
}

/// Whether a span needs one kind of cleaning.
type NeedsCleaning = fn(&SpanInfo) -> bool;

/// (c) and (d): for each name, a finding per kind of cleaning its spans need; the fix replaces
/// each such span by its clean version (all cleanings at once, so the fixes of two kinds for
/// one span are the same edit) or removes a span with nothing of a name in it.
pub(crate) fn unclean_spans(groups: &[Group], all: &[SpanInfo], source: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    let kinds: [(Kind, NeedsCleaning); 3] =
        [(Kind::Proclitic, |s| s.proclitic), (Kind::Article, |s| s.article_left_out), (Kind::Edges, |s| s.edges && !s.clean.is_empty())];
    for group in groups {
        for (kind, has) in kinds {
            let flagged: Vec<&SpanInfo> = group.spans.iter().copied().filter(|s| has(s)).collect();
            if !flagged.is_empty() {
                // A proclitic cut on the splitter's word statistics alone (no span of the bare
                // name) is right about 97 % of the time, not enough to apply unseen.
                let mechanical = kind != Kind::Proclitic || group.spans.iter().any(|s| !s.proclitic);
                findings.push(clean_finding(kind, group.form(), group.key, &flagged, mechanical, source));
            }
        }
    }
    // Spans of punctuation or whitespace alone: no name, so no group.
    let empty: Vec<&SpanInfo> = all.iter().filter(|s| s.clean.is_empty()).collect();
    let mut by_text: std::collections::BTreeMap<&str, Vec<&SpanInfo>> = std::collections::BTreeMap::new();
    for info in empty {
        by_text.entry(info.span.text.as_str()).or_default().push(info);
    }
    for (text, spans) in by_text {
        findings.push(clean_finding(Kind::Edges, text.to_owned(), text, &spans, true, source));
    }
    findings
}

/// A finding of `kind` about `spans`, with the fix that cleans them all (`mechanical` when it
/// may be applied without a person looking).
fn clean_finding(kind: Kind, form: String, key: &str, spans: &[&SpanInfo], mechanical: bool, source: &str) -> Finding {
    let edits = spans.iter().filter(|s| s.needs_cleaning()).map(|s| {
        let edit = match s.cleaned() {
            Some(after) => SpanEdit::Replace { before: s.span.clone(), after },
            None => SpanEdit::Remove(s.span.clone()),
        };
        (s.article, edit)
    });
    let title = match kind {
        Kind::Proclitic => "cut the proclitic off",
        Kind::Article => "take the article in",
        _ => "trim the edges",
    };
    Finding {
        kind,
        form,
        key: key.to_owned(),
        labels: super::group::count_labels(spans.iter().map(|s| s.span.label.as_str())),
        unlabelled: 0,
        occurrences: spans.iter().map(|s| span_occurrence(s, true)).collect(),
        fixes: vec![Fix { title: format!("{title} of {} span(s)", spans.len()), mechanical, edits: per_article(edits, source) }],
    }
}
