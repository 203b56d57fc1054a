//! A search hit as the app and the CLI show it: where it is, the words around it, and how it is
//! labelled now by each annotator.

use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

use super::index::ArticleIndex;
use crate::model::{Span, SpanState};

/// One occurrence found by a search.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hit {
    /// The article's path below the corpus folder.
    pub rel: Arc<str>,
    /// The article's path below the project root.
    pub document: Arc<str>,
    /// Char range in the article's text as stored.
    pub range: Range<usize>,
    /// Every span (of the annotators searched) that shares a char with the hit.
    pub labels: Vec<HitLabel>,
    /// The article's words the hit touches (indices in its word list), for its context.
    #[serde(skip)]
    pub(crate) words: Range<usize>,
}

impl Hit {
    /// Whether an accepted span overlaps the hit (of any annotator listed in [`Self::labels`]).
    pub fn is_labelled(&self) -> bool {
        self.labels.iter().any(|l| l.state == SpanState::Accepted)
    }
}

/// A hit in its context, as plain text: `left` and `right` hold a few words each, whitespace
/// runs (line breaks included) shown as one space. The strings are in reading order, so a
/// right-to-left view draws `left` on the right of `hit`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Context {
    /// The words before the hit (and the part of the hit's word before it, as a proclitic).
    pub left: String,
    /// The hit's own text.
    pub hit: String,
    /// The words after the hit.
    pub right: String,
}

/// How a span lies over a hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Relation {
    /// The same range.
    Exact,
    /// The span covers the hit and more (`بشار الأسد` over a hit on `الأسد`).
    Covers,
    /// The span lies inside the hit.
    Inside,
    /// They share some chars, and each has chars the other has not.
    Overlaps,
}

impl Relation {
    /// How `span` lies over `hit` (they are assumed to overlap).
    pub fn of(span: Range<usize>, hit: Range<usize>) -> Relation {
        match (span.start.cmp(&hit.start), span.end.cmp(&hit.end)) {
            (std::cmp::Ordering::Equal, std::cmp::Ordering::Equal) => Relation::Exact,
            (a, b) if a.is_le() && b.is_ge() => Relation::Covers,
            (a, b) if a.is_ge() && b.is_le() => Relation::Inside,
            _ => Relation::Overlaps,
        }
    }
}

/// One span over a hit, and whose it is.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HitLabel {
    /// Whose annotation file holds the span.
    pub annotator: String,
    /// The span's id in that file.
    pub id: u64,
    /// The span's char range.
    pub range: Range<usize>,
    /// Its label.
    pub label: String,
    /// Accepted, pending (a proposal) or rejected.
    pub state: SpanState,
    /// How it lies over the hit.
    pub relation: Relation,
}

impl HitLabel {
    /// `span` of `annotator`'s file as it lies over `hit`.
    pub fn new(annotator: &str, span: &Span, hit: Range<usize>) -> HitLabel {
        HitLabel {
            annotator: annotator.to_owned(),
            id: span.id,
            range: span.range(),
            label: span.label.clone(),
            state: span.state,
            relation: Relation::of(span.range(), hit),
        }
    }
}

impl ArticleIndex {
    /// `range` with `words` words on each side (punctuation does not count as a word).
    pub fn context(&self, range: Range<usize>, words: usize) -> Context {
        let (start, end) = (self.normalized_offset(range.start), self.normalized_offset(range.end));
        let touched = self.word_after(start)..self.words.partition_point(|w| (w.char_start as usize) < end);
        self.context_around(range, touched, words)
    }

    /// The context of `range`, which touches the words `touched` (indices in the word list).
    pub(crate) fn context_around(&self, range: Range<usize>, touched: Range<usize>, words: usize) -> Context {
        let wordlike = |i: usize| self.word_form(i).chars().next().is_some_and(char::is_alphanumeric);
        // Left: back from the first word the hit touches (its proclitics come along).
        let mut k = touched.start.min(self.words.len());
        let mut counted = 0;
        while k > 0 && counted < words {
            k -= 1;
            counted += usize::from(wordlike(k));
        }
        let left_start = if k < self.words.len() { self.word_original(k).start.min(range.start) } else { range.start };
        // Right: the rest of the last word touched, then on.
        let mut right_end = range.end;
        if let Some(last) = touched.end.checked_sub(1).filter(|&i| i >= touched.start && i < self.words.len()) {
            right_end = right_end.max(self.word_original(last).end);
        }
        let mut counted = 0;
        for i in touched.end..self.words.len() {
            if counted == words {
                break;
            }
            counted += usize::from(wordlike(i));
            right_end = self.word_original(i).end;
        }
        Context {
            left: one_line(self.slice(left_start..range.start)),
            hit: one_line(self.slice(range.clone())),
            right: one_line(self.slice(range.end..right_end.max(range.end))),
        }
    }

    /// The spans over `range` of `annotator` (of everyone when `None`), by annotator then
    /// position.
    pub fn labels_at(&self, range: Range<usize>, annotator: Option<&str>) -> Vec<HitLabel> {
        self.annotations()
            .iter()
            .filter(|a| annotator.is_none_or(|name| a.annotator == name))
            .flat_map(|a| a.overlapping(range.clone()).map(|span| HitLabel::new(&a.annotator, span, range.clone())))
            .collect()
    }
}

/// `text` with each run of whitespace as one space.
fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AnnotationFile;
    use crate::search::index::Annotation;

    fn at(text: &str, needle: &str) -> Range<usize> {
        let start = text[..text.find(needle).expect("there")].chars().count();
        start..start + needle.chars().count()
    }

    #[test]
    fn context_counts_words_not_punctuation_and_keeps_proclitics_left() {
        let text = "في بيان، قال الوزير إن\nوروسيا «ستبحث» الأمر غداً مع الوفد";
        let article = ArticleIndex::of_text(text);
        let hit = at(text, "روسيا");
        let context = article.context(hit.clone(), 2);
        assert_eq!(context, Context { left: "الوزير إن و".into(), hit: "روسيا".into(), right: " «ستبحث» الأمر".into() });
        let context = article.context(hit, 20);
        assert_eq!(context.left, "في بيان، قال الوزير إن و");
        assert_eq!(context.right, " «ستبحث» الأمر غداً مع الوفد");
        // A hit inside a word: the rest of the word is context.
        let context = article.context(at(text, "ستب"), 0);
        assert_eq!((context.left.as_str(), context.right.as_str()), ("", "حث"));
    }

    #[test]
    fn relations() {
        assert_eq!(Relation::of(3..8, 3..8), Relation::Exact);
        assert_eq!(Relation::of(0..8, 3..8), Relation::Covers);
        assert_eq!(Relation::of(4..6, 3..8), Relation::Inside);
        assert_eq!(Relation::of(1..5, 3..8), Relation::Overlaps);
    }

    #[test]
    fn labels_of_every_annotator_or_one() {
        let text = "زار بشار الأسد موسكو";
        let mut article = ArticleIndex::of_text(text);
        let mut gold = AnnotationFile::new("corpus/a.txt", "", "gold");
        gold.spans = vec![Span::manual(1, at(text, "بشار الأسد"), "PERS", "بشار الأسد")];
        let mut amal = AnnotationFile::new("corpus/a.txt", "", "amal");
        amal.spans = vec![Span { state: SpanState::Pending, ..Span::manual(4, at(text, "الأسد"), "ORG", "الأسد") }];
        article.set_annotation("gold", Some(Annotation::new("gold", gold)));
        article.set_annotation("amal", Some(Annotation::new("amal", amal)));
        let labels = article.labels_at(at(text, "الأسد"), None);
        let got: Vec<(&str, &str, SpanState, Relation)> = labels.iter().map(|l| (l.annotator.as_str(), l.label.as_str(), l.state, l.relation)).collect();
        assert_eq!(got, [("amal", "ORG", SpanState::Pending, Relation::Exact), ("gold", "PERS", SpanState::Accepted, Relation::Covers)]);
        assert_eq!(article.labels_at(at(text, "الأسد"), Some("amal")).len(), 1);
        assert!(article.labels_at(at(text, "موسكو"), None).is_empty());
    }
}
