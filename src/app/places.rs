//! Edits at places the corpus windows point to (search hits, a finding's occurrences), carried
//! out by the session as one action across articles: the open article in memory, the others
//! through their files ([`Session::edit_articles`]).
//!
//! Each place carries the text the window saw there; an article whose text has moved on since
//! is said and left alone, never edited at the wrong chars.

use std::collections::BTreeMap;
use std::ops::Range;

use super::commands::Place;
use super::session::Session;
use crate::model::{AnnotationFile, Span, SpanEdit, SpanState, char_slice};

/// What labelling or removing at some places of one article comes to.
#[derive(Debug, Default, PartialEq)]
struct PlaceEdits {
    /// The edits, in the order to apply them.
    edits: Vec<SpanEdit>,
    /// Places that get a label (or lose their entities).
    done: usize,
    /// Places left alone: inside or across another entity (labelling), or nothing there
    /// (removing).
    left: usize,
}

/// Edits labelling `places` (sorted, text order) of `file` with `label`: an accepted span exactly
/// on a place is relabelled; a place another accepted span overlaps is left alone (`الأسد`
/// inside `بشار الأسد` is part of a longer name); elsewhere a proposal exactly there is accepted
/// under `label`, or a new span made ([`AnnotationFile::label_edits`]).
fn label_edits(file: &AnnotationFile, places: &[(Range<usize>, &str)], label: &str) -> PlaceEdits {
    let mut out = PlaceEdits::default();
    let mut fresh: Vec<(Range<usize>, &str)> = Vec::new();
    for (range, text) in places {
        if fresh.last().is_some_and(|(last, _)| last.end > range.start) {
            out.left += 1;
            continue;
        }
        let accepted: Vec<&Span> = file.spans.iter().filter(|s| s.state == SpanState::Accepted && s.start < range.end && s.end > range.start).collect();
        match accepted.as_slice() {
            [] => fresh.push((range.clone(), text)),
            [span] if span.range() == *range => {
                if span.label != label {
                    let after = Span { label: label.to_owned(), ..(*span).clone() };
                    out.edits.push(SpanEdit::Replace { before: (*span).clone(), after });
                }
                out.done += 1;
            }
            _ => out.left += 1,
        }
    }
    out.done += fresh.len();
    out.edits.extend(file.label_edits(&fresh, label));
    out
}

/// Edits removing the accepted spans exactly on `places` of `file` and rejecting the proposals
/// exactly there (a removed proposal would be proposed again).
fn remove_edits(file: &AnnotationFile, places: &[(Range<usize>, &str)]) -> PlaceEdits {
    let mut out = PlaceEdits::default();
    for (range, _) in places {
        let here: Vec<&Span> = file.spans.iter().filter(|s| s.range() == *range && s.state != SpanState::Rejected).collect();
        if here.is_empty() {
            out.left += 1;
            continue;
        }
        out.done += 1;
        for span in here {
            out.edits.push(match span.state {
                SpanState::Pending => SpanEdit::Replace { before: span.clone(), after: Span { state: SpanState::Rejected, ..span.clone() } },
                _ => SpanEdit::Remove(span.clone()),
            });
        }
    }
    out
}

/// What to do at the places.
#[derive(Clone, Copy)]
enum Action<'a> {
    Label(&'a str),
    Remove,
}

impl Session {
    /// Opens the article of `place` (unless it is open) and shows the place.
    pub(crate) fn open_at(&mut self, place: &Place) {
        let Some(index) = self.articles.iter().position(|a| a.rel == place.rel) else {
            self.notify(format!("{} is not in the project's list of articles", place.rel), true);
            return;
        };
        if self.current_index() != Some(index) {
            self.open_article(index);
        }
        self.show_place(place);
    }

    /// Shows `place` in the open article: focuses the entity of this annotator exactly there,
    /// or selects the place (a label key then labels it).
    pub(crate) fn show_place(&mut self, place: &Place) {
        let Some(open) = &self.open else { return };
        if self.articles.get(open.index).is_none_or(|a| a.rel != place.rel) {
            return;
        }
        if char_slice(&open.text, place.range.clone()) != Some(place.text.as_str()) {
            self.notify(format!("«{}» is no longer at {}:{}..{}: the article changed", place.text, place.rel, place.range.start, place.range.end), true);
            return;
        }
        let entity = open.visible_spans().find(|s| s.range() == place.range).map(|s| s.id);
        match entity {
            Some(id) => self.focus(Some(id), true),
            None => {
                self.focus(None, false);
                self.reveal(place.range.start);
                self.select(place.range.clone());
            }
        }
    }

    /// Labels `places` with `label` as one action (see [`super::commands::EditCommand::LabelPlaces`]).
    pub(crate) fn label_places(&mut self, places: Vec<Place>, label: &str) {
        if !self.project.config.schema.contains(label) {
            self.notify(format!("{label} is not a label of this project"), true);
            return;
        }
        self.edit_places(places, Action::Label(label));
    }

    /// Removes the entities exactly on `places` as one action.
    pub(crate) fn remove_places(&mut self, places: Vec<Place>) {
        self.edit_places(places, Action::Remove);
    }

    fn edit_places(&mut self, places: Vec<Place>, action: Action<'_>) {
        let mut by_article: BTreeMap<String, Vec<(Range<usize>, String)>> = BTreeMap::new();
        for place in places {
            by_article.entry(place.rel).or_default().push((place.range, place.text));
        }
        let (mut edits, mut trouble) = (Vec::new(), Vec::new());
        let (mut done, mut left, mut moved) = (0, 0, 0);
        let here = self.open.as_ref().map(|o| o.index);
        for (rel, mut places) in by_article {
            places.sort_by_key(|(range, _)| (range.start, range.end));
            places.dedup();
            let Some(index) = self.articles.iter().position(|a| a.rel == rel) else {
                trouble.push(format!("{rel}: not in the project's list of articles"));
                continue;
            };
            let loaded;
            let (text, file): (&str, &AnnotationFile) = match self.open.as_ref().filter(|_| here == Some(index)) {
                Some(open) => (&open.text, &open.annotation),
                None => match self.project.open_document(&rel, &self.annotator) {
                    Ok(doc) => {
                        loaded = doc;
                        (&loaded.article.text, &loaded.annotation)
                    }
                    Err(error) => {
                        trouble.push(error.to_string());
                        continue;
                    }
                },
            };
            let total = places.len();
            let still: Vec<(Range<usize>, &str)> =
                places.iter().filter(|(range, seen)| char_slice(text, range.clone()) == Some(seen.as_str())).map(|(r, t)| (r.clone(), t.as_str())).collect();
            moved += total - still.len();
            let planned = match action {
                Action::Label(label) => label_edits(file, &still, label),
                Action::Remove => remove_edits(file, &still),
            };
            done += planned.done;
            left += planned.left;
            if !planned.edits.is_empty() {
                edits.push((index, SpanEdit::Batch(planned.edits)));
            }
        }
        let focus = self.focused();
        let articles = self.edit_articles(edits, focus);
        let mut message = match action {
            Action::Label(label) => format!("labelled {done} place(s) as {label} in {articles} article(s)"),
            Action::Remove => format!("removed the entities (rejected the proposals) at {done} place(s) in {articles} article(s)"),
        };
        if left > 0 {
            message.push_str(&match action {
                Action::Label(_) => format!("; {left} left alone: inside or across another entity"),
                Action::Remove => format!("; {left} had no entity exactly there"),
            });
        }
        if moved > 0 {
            message.push_str(&format!("; {moved} no longer where they were (the article changed): search again"));
        }
        self.notify(message, moved > 0);
        if !trouble.is_empty() {
            self.notify(format!("left out: {}", trouble.join("; ")), true);
        }
    }

    /// Applies each article's edit (by its path below the corpus folder) as one action.
    pub(crate) fn edit_articles_at(&mut self, edits: Vec<(String, SpanEdit)>, what: &str) {
        let mut indexed = Vec::with_capacity(edits.len());
        let mut unknown = Vec::new();
        for (rel, edit) in edits {
            match self.articles.iter().position(|a| a.rel == rel) {
                Some(index) => indexed.push((index, edit)),
                None => unknown.push(rel),
            }
        }
        if !unknown.is_empty() {
            self.notify(format!("nothing changed: not in the project's list of articles: {}", unknown.join(", ")), true);
            return;
        }
        let focus = self.focused();
        let count = indexed.len();
        let changed = self.edit_articles(indexed, focus);
        if changed == count {
            self.notify(format!("{what} ({changed} article(s))"), false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    const TEXT: &str = "زار بشار الأسد موسكو ثم الأسد وموسكو";

    fn at(needle: &str, nth: usize) -> Range<usize> {
        let (byte, _) = TEXT.match_indices(needle).nth(nth).expect("in the text");
        let start = TEXT[..byte].chars().count();
        start..start + needle.chars().count()
    }

    fn file(spans: Vec<Span>) -> AnnotationFile {
        let mut file = AnnotationFile::new("corpus/a.txt", "", "amal");
        file.spans = spans;
        file.sort_spans();
        file.next_id = file.next_free_id();
        file
    }

    fn pending(id: u64, range: Range<usize>, label: &str) -> Span {
        let text = char_slice(TEXT, range.clone()).expect("range").to_owned();
        Span { origin: Origin::Proposed { source: "gazetteer".into(), score: 0.8 }, state: SpanState::Pending, ..Span::manual(id, range, label, &text) }
    }

    #[test]
    fn labelling_relabels_an_exact_entity_accepts_a_proposal_and_leaves_a_longer_name_alone() {
        let moscow = Span::manual(1, at("موسكو", 0), "ORG", "موسكو");
        let assad = Span::manual(2, at("بشار الأسد", 0), "PERS", "بشار الأسد");
        let proposal = pending(3, at("موسكو", 1), "LOC");
        let file = file(vec![moscow.clone(), assad, proposal.clone()]);
        let places = [(at("موسكو", 0), "موسكو"), (at("الأسد", 0), "الأسد"), (at("الأسد", 1), "الأسد"), (at("موسكو", 1), "موسكو")];
        let planned = label_edits(&file, &places, "LOC");
        assert_eq!((planned.done, planned.left), (3, 1), "the الأسد of بشار الأسد is left alone");
        let mut labelled = file.clone();
        labelled.apply(&SpanEdit::Batch(planned.edits)).expect("edits fit");
        let got: Vec<(&str, &str, SpanState)> = labelled.spans.iter().map(|s| (s.text.as_str(), s.label.as_str(), s.state)).collect();
        assert_eq!(
            got,
            [
                ("بشار الأسد", "PERS", SpanState::Accepted),
                ("موسكو", "LOC", SpanState::Accepted),
                ("الأسد", "LOC", SpanState::Accepted),
                ("موسكو", "LOC", SpanState::Accepted)
            ]
        );
        assert_eq!(labelled.span(1).map(|s| s.label.as_str()), Some("LOC"), "relabelled in place");
        assert_eq!(labelled.span(3).map(|s| s.state), Some(SpanState::Accepted), "the proposal accepted");
        // Labelling again changes nothing.
        let again = label_edits(&labelled, &places, "LOC");
        assert!(again.edits.is_empty() && again.done == 3);
    }

    #[test]
    fn removing_takes_exact_entities_and_rejects_exact_proposals_only() {
        let moscow = Span::manual(1, at("موسكو", 0), "LOC", "موسكو");
        let assad = Span::manual(2, at("بشار الأسد", 0), "PERS", "بشار الأسد");
        let proposal = pending(3, at("موسكو", 1), "LOC");
        let file = file(vec![moscow, assad, proposal]);
        let places = [(at("موسكو", 0), "موسكو"), (at("الأسد", 0), "الأسد"), (at("موسكو", 1), "موسكو")];
        let planned = remove_edits(&file, &places);
        assert_eq!((planned.done, planned.left), (2, 1));
        let mut removed = file.clone();
        removed.apply(&SpanEdit::Batch(planned.edits)).expect("edits fit");
        let got: Vec<(u64, SpanState)> = removed.spans.iter().map(|s| (s.id, s.state)).collect();
        assert_eq!(got, [(2, SpanState::Accepted), (3, SpanState::Rejected)]);
    }
}
