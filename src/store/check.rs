//! Checking an annotation file against its article and the schema, re-anchoring on the way.

use std::collections::HashSet;

use super::article::ArticleText;
use super::problem::{Problem, ProblemKind};
use super::reanchor::{AnchorOutcome, reanchor_spans};
use crate::model::{AnnotationFile, CharIndex, Schema, Span, SpanState};

/// Checks `file` against `article` and `schema` and returns what is wrong, `path` being the name
/// shown in each problem.
///
/// Safe repairs are made in place and reported as fixed problems: spans whose article changed are
/// re-anchored, missing span text is filled in, and `text_sha256` is updated once every span
/// points at its text. Faulty spans are kept, never dropped; spans end up sorted.
pub fn check_annotation(file: &mut AnnotationFile, path: &str, article: &ArticleText, schema: &Schema, reanchor_window: usize) -> Vec<Problem> {
    let text = CharIndex::new(&article.text);
    let mut problems = Vec::new();
    file.sort_spans();
    // Spans whose text could not be found again already have their problem; don't report twice.
    let mut unanchored = vec![false; file.spans.len()];
    if file.text_sha256 != article.sha256 {
        let outcomes = reanchor_spans(&mut file.spans, &text, reanchor_window);
        for (i, (span, outcome)) in file.spans.iter().zip(&outcomes).enumerate() {
            problems.extend(anchor_problem(path, span, outcome, reanchor_window));
            unanchored[i] = !outcome.is_anchored();
        }
        if !unanchored.contains(&true) {
            let what = if file.text_sha256.is_empty() { "was missing" } else { "was of an older version of the article" };
            problems.push(Problem::file(path, ProblemKind::HashUpdated, format!("text_sha256 {what}; all spans match the article, updated")));
            file.text_sha256 = article.sha256.clone();
        }
    }
    let text_is_current = file.text_sha256 == article.sha256;
    let mut seen_ids = HashSet::new();
    for (span, unanchored) in file.spans.iter_mut().zip(unanchored) {
        let mut report = |kind, message: String| problems.push(Problem::span(path, span.id, kind, message));
        if !seen_ids.insert(span.id) {
            report(ProblemKind::DuplicateId, format!("id {} is used by another span too", span.id));
        }
        if !schema.contains(&span.label) {
            let known: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
            report(ProblemKind::UnknownLabel, format!("label {:?} is not in the schema ({})", span.label, known.join(", ")));
        }
        if span.start >= span.end {
            report(ProblemKind::EmptyRange, format!("start {} is not before end {}", span.start, span.end));
            continue;
        }
        if unanchored {
            continue;
        }
        match text.slice(span.range()) {
            None => report(ProblemKind::OutOfBounds, format!("range {:?} is past the end of the article ({} chars)", span.range(), text.len_chars())),
            Some(found) if span.text.is_empty() && text_is_current => {
                report(ProblemKind::TextFilledIn, format!("text was missing; set to {found:?} from the article"));
                span.text = found.to_owned();
            }
            Some(found) if found != span.text => {
                report(ProblemKind::TextMismatch, format!("text is {:?} but the article has {found:?} at {:?}", span.text, span.range()))
            }
            Some(found) if span.state != SpanState::Rejected && (found.starts_with(char::is_whitespace) || found.ends_with(char::is_whitespace)) => {
                report(ProblemKind::OuterSpace, format!("{found:?} begins or ends with a space; a span covers the name alone"))
            }
            Some(_) => {}
        }
    }
    file.sort_spans();
    problems
}

/// The problem to report for a span after re-anchoring, `None` if it was still in place.
fn anchor_problem(path: &str, span: &Span, outcome: &AnchorOutcome, window: usize) -> Option<Problem> {
    let (kind, message) = match outcome {
        AnchorOutcome::InPlace => return None,
        AnchorOutcome::Moved { from, to } => (ProblemKind::Moved, format!("moved from {from:?} to {to:?}")),
        AnchorOutcome::Ambiguous { candidates } => (
            ProblemKind::Ambiguous,
            format!(
                "article changed: {:?} is no longer at {:?} and occurs {} times nearby (at {}); left in place",
                span.text,
                span.range(),
                candidates.len(),
                candidates.iter().map(usize::to_string).collect::<Vec<_>>().join(", "),
            ),
        ),
        AnchorOutcome::NotFound => (
            ProblemKind::NotFound,
            format!("article changed: {:?} is no longer at {:?} and not found within {window} chars; left in place", span.text, span.range(),),
        ),
        AnchorOutcome::NoText => (ProblemKind::NotFound, "article changed and the span stores no text to find it by; left in place".to_owned()),
    };
    Some(Problem::span(path, span.id, kind, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "التقى جون كيري بنظيره الروسي في موسكو.";

    fn check(file: &mut AnnotationFile) -> Vec<ProblemKind> {
        let article = ArticleText::from_text(TEXT.to_owned());
        check_annotation(file, "a.ron", &article, &Schema::anercorp(), 2000).iter().map(|p| p.kind).collect()
    }

    fn file(spans: Vec<Span>) -> AnnotationFile {
        let mut file = AnnotationFile::new("corpus/a.txt", &ArticleText::from_text(TEXT.to_owned()).sha256, "amal");
        file.spans = spans;
        file
    }

    #[test]
    fn a_correct_file_has_no_problems() {
        let mut f = file(vec![Span::manual(1, 6..14, "PERS", "جون كيري"), Span::manual(2, 32..37, "LOC", "موسكو")]);
        let before = f.clone();
        assert_eq!(check(&mut f), []);
        assert_eq!(f, before);
    }

    #[test]
    #[allow(clippy::reversed_empty_ranges, reason = "a reversed span is one of the faults")]
    fn each_fault_is_reported_and_the_span_kept() {
        let mut f = file(vec![
            Span::manual(1, 6..14, "PERS", "جون كيري"),
            Span::manual(1, 32..37, "LOC", "موسكو"),
            Span::manual(3, 9..6, "PERS", "x"),
            Span::manual(4, 30..90, "LOC", "x"),
            Span::manual(5, 0..5, "LOC", "غلط"),
            Span::manual(6, 0..5, "DATE", "التقى"),
        ]);
        let mut kinds = check(&mut f);
        kinds.sort_by_key(|k| format!("{k:?}"));
        assert_eq!(kinds, [ProblemKind::DuplicateId, ProblemKind::EmptyRange, ProblemKind::OutOfBounds, ProblemKind::TextMismatch, ProblemKind::UnknownLabel]);
        assert_eq!(f.spans.len(), 6);
    }

    #[test]
    fn missing_text_is_filled_in() {
        let mut f = file(vec![Span::manual(1, 32..37, "LOC", "")]);
        assert_eq!(check(&mut f), [ProblemKind::TextFilledIn]);
        assert_eq!(f.spans[0].text, "موسكو");
    }

    #[test]
    fn changed_article_moves_spans_and_updates_hash() {
        let mut f = file(vec![Span::manual(1, 0..8, "PERS", "جون كيري")]);
        f.text_sha256 = "old".into();
        assert_eq!(check(&mut f), [ProblemKind::Moved, ProblemKind::HashUpdated]);
        assert_eq!(f.spans[0].range(), 6..14);
        assert_eq!(f.text_sha256, ArticleText::from_text(TEXT.to_owned()).sha256);
    }

    #[test]
    fn hash_is_kept_while_a_span_is_lost() {
        let mut f = file(vec![Span::manual(1, 6..14, "PERS", "جون كيري"), Span::manual(2, 0..4, "LOC", "حلب")]);
        f.text_sha256 = "old".into();
        assert_eq!(check(&mut f), [ProblemKind::NotFound]);
        assert_eq!(f.text_sha256, "old");
    }

    #[test]
    fn a_span_with_an_outer_space_is_flagged() {
        let text = ArticleText::from_text("قال شام الإخبارية".to_owned());
        let mut file = AnnotationFile::new("corpus/a.txt", &text.sha256, "amal");
        file.spans.push(Span::manual(1, 3..7, "ORG", " شام"));
        file.spans.push(Span::manual(2, 4..7, "ORG", "شام"));
        let kinds: Vec<ProblemKind> = check_annotation(&mut file, "a.ron", &text, &Schema::anercorp(), 2000).into_iter().map(|p| p.kind).collect();
        assert_eq!(kinds, [ProblemKind::OuterSpace]);
    }
}
