//! The corpus search window's state: the query as typed and its options, the hits of the last
//! search, and which of them are selected. Its [`SearchCommand`]s move the selection or become
//! session commands for the selected hits (open, label, remove), so keys and clicks do the same.

use std::collections::BTreeSet;

use super::commands::{Command, EditCommand, Place, SearchCommand};
use crate::search::{CorpusIndex, Hit, Query};

/// The corpus search window.
#[derive(Default)]
pub struct SearchWindow {
    /// Whether it shows.
    pub open: bool,
    /// The query line as typed: words, with `label:L`, `from:NAME`, `unlabelled` if wished.
    pub input: String,
    /// The query is a regular expression over normalized text.
    pub regex: bool,
    /// Only hits no accepted span overlaps.
    pub unlabelled: bool,
    /// Only hits an accepted span of this label overlaps.
    pub label: Option<String>,
    /// Only this annotator's spans are shown and filtered on.
    pub annotator: Option<String>,
    /// The hits of the last search, by article and position.
    pub hits: Vec<Hit>,
    /// Why the last search could not run.
    pub error: Option<String>,
    /// The selected hits (indices in `hits`).
    pub selected: BTreeSet<usize>,
    /// The hit the keyboard is on.
    pub cursor: Option<usize>,
    /// Where a Shift-extended selection started.
    anchor: Option<usize>,
    /// The query and index generation the hits are for.
    searched: Option<(Query, u64)>,
    /// Give the query field the keyboard on the next frame.
    pub focus_query: bool,
    /// Bring the cursor's row into sight on the next frame.
    pub scroll_to_cursor: bool,
}

impl SearchWindow {
    /// The query the window asks for: what is typed, with the options ticked.
    pub fn query(&self) -> Query {
        let mut query = Query::parse(&self.input);
        query.regex = self.regex;
        query.unlabelled |= self.unlabelled;
        if self.label.is_some() {
            query.label = self.label.clone();
        }
        if self.annotator.is_some() {
            query.annotator = self.annotator.clone();
        }
        query
    }

    /// Searches again when the query or the index changed since the last search. A new query
    /// starts with the first hit under the cursor; the same query on a changed index keeps the
    /// selection on the same places.
    pub fn update(&mut self, index: &CorpusIndex, generation: u64) {
        let query = self.query();
        if self.searched.as_ref().is_some_and(|(q, g)| *q == query && *g == generation) {
            return;
        }
        let same_query = self.searched.as_ref().is_some_and(|(q, _)| *q == query);
        let place = |i: usize| self.hits.get(i).map(|h| (h.rel.clone(), h.range.clone()));
        let kept: Vec<_> = if same_query { self.selected.iter().filter_map(|&i| place(i)).collect() } else { Vec::new() };
        let cursor = if same_query { self.cursor.and_then(place) } else { None };
        self.searched = Some((query.clone(), generation));
        let found = if query.text.trim().is_empty() { Ok(Vec::new()) } else { index.search(&query) };
        (self.hits, self.error) = match found {
            Ok(hits) => (hits, None),
            Err(why) => (Vec::new(), Some(why.to_string())),
        };
        let hits = &self.hits;
        let position = |(rel, range): &(std::sync::Arc<str>, std::ops::Range<usize>)| hits.iter().position(|h| h.rel == *rel && h.range == *range);
        self.selected = kept.iter().filter_map(position).collect();
        self.cursor = cursor.as_ref().and_then(position).or_else(|| self.selected.first().copied());
        if !same_query {
            self.anchor = None;
        }
    }

    /// Clicks on hit `i`: alone it selects the hit and opens its article; with Ctrl it is added
    /// to or taken from the selection; with Shift the hits from the last one clicked to it are.
    pub fn click(&mut self, i: usize, toggle: bool, extend: bool, index: Option<&CorpusIndex>) -> Vec<Command> {
        if extend {
            let from = self.anchor.or(self.cursor).unwrap_or(i);
            self.selected = (from.min(i)..=from.max(i)).collect();
            self.cursor = Some(i);
            return Vec::new();
        }
        if toggle {
            if !self.selected.remove(&i) {
                self.selected.insert(i);
            }
            self.cursor = Some(i);
            self.anchor = Some(i);
            return Vec::new();
        }
        self.select_only(i);
        self.apply(SearchCommand::Open, index)
    }

    fn select_only(&mut self, i: usize) {
        self.selected = BTreeSet::from([i]);
        self.cursor = Some(i);
        self.anchor = Some(i);
        self.scroll_to_cursor = true;
    }

    /// Carries out a command of the list; what it asks of the session comes back as commands.
    pub fn apply(&mut self, command: SearchCommand, index: Option<&CorpusIndex>) -> Vec<Command> {
        let count = self.hits.len();
        if count == 0 {
            return Vec::new();
        }
        let step = |from: Option<usize>, delta: isize| match from {
            Some(at) => (at as isize + delta).clamp(0, count as isize - 1) as usize,
            None if delta > 0 => 0,
            None => count - 1,
        };
        match command {
            SearchCommand::Step(delta) => {
                let to = step(self.cursor, delta);
                self.select_only(to);
            }
            SearchCommand::Extend(delta) => {
                let from = self.cursor.unwrap_or(0);
                let to = step(self.cursor, delta);
                let anchor = *self.anchor.get_or_insert(from);
                self.selected = (anchor.min(to)..=anchor.max(to)).collect();
                self.cursor = Some(to);
                self.scroll_to_cursor = true;
            }
            SearchCommand::SelectAll => self.selected = (0..count).collect(),
            SearchCommand::Open => {
                let place = self.cursor.or_else(|| self.selected.first().copied()).and_then(|i| self.place(i, index?));
                return place.map(|p| vec![EditCommand::OpenAt(p).into()]).unwrap_or_default();
            }
            SearchCommand::Label(label) => {
                let places = self.selected_places(index);
                if !places.is_empty() {
                    return vec![EditCommand::LabelPlaces { places, label }.into()];
                }
            }
            SearchCommand::Delete => {
                let places = self.selected_places(index);
                if !places.is_empty() {
                    return vec![EditCommand::RemovePlaces(places).into()];
                }
            }
        }
        Vec::new()
    }

    /// The selected hits as places, or the cursor's when nothing is selected.
    fn selected_places(&self, index: Option<&CorpusIndex>) -> Vec<Place> {
        let Some(index) = index else { return Vec::new() };
        let chosen: Vec<usize> = if self.selected.is_empty() { self.cursor.into_iter().collect() } else { self.selected.iter().copied().collect() };
        chosen.into_iter().filter_map(|i| self.place(i, index)).collect()
    }

    /// Hit `i` as a place, with the text the index holds there.
    fn place(&self, i: usize, index: &CorpusIndex) -> Option<Place> {
        let hit = self.hits.get(i)?;
        let text = index.article(&hit.rel)?.slice(hit.range.clone()).to_owned();
        Some(Place { rel: hit.rel.to_string(), range: hit.range.clone(), text })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AnnotationFile, Span};
    use crate::search::{Annotation, ArticleIndex};

    fn index() -> CorpusIndex {
        let a = ArticleIndex::new("a.txt", "corpus/a.txt", "زار لافروف موسكو ثم عاد إلى موسكو".to_owned(), Vec::new()).expect("indexed");
        let mut amal = AnnotationFile::new("corpus/b.txt", "", "amal");
        amal.spans = vec![Span::manual(1, 0..5, "LOC", "موسكو")];
        let b = ArticleIndex::new("b.txt", "corpus/b.txt", "موسكو ترحب".to_owned(), vec![Annotation::new("amal", amal)]).expect("indexed");
        CorpusIndex::new(vec![b, a])
    }

    #[test]
    fn keys_move_and_extend_the_selection_and_act_on_it() {
        let index = index();
        let mut window = SearchWindow { input: "موسكو".to_owned(), ..SearchWindow::default() };
        window.update(&index, 1);
        assert_eq!(window.hits.len(), 3);
        assert!(window.apply(SearchCommand::Open, Some(&index)).is_empty(), "nothing under the cursor yet");
        window.apply(SearchCommand::Step(1), Some(&index));
        window.apply(SearchCommand::Extend(1), Some(&index));
        assert_eq!(window.selected, BTreeSet::from([0, 1]));
        let commands = window.apply(SearchCommand::Label("LOC".into()), Some(&index));
        let Some(Command::Edit(EditCommand::LabelPlaces { places, label })) = commands.first() else { panic!("{commands:?}") };
        assert_eq!(label, "LOC");
        let got: Vec<(&str, usize, &str)> = places.iter().map(|p| (p.rel.as_str(), p.range.start, p.text.as_str())).collect();
        assert_eq!(got, [("a.txt", 11, "موسكو"), ("a.txt", 28, "موسكو")]);
        // Ctrl-click adds b's hit; a plain click selects it alone and opens it.
        assert!(window.click(2, true, false, Some(&index)).is_empty());
        assert_eq!(window.selected.len(), 3);
        let opened = window.click(2, false, false, Some(&index));
        assert_eq!(opened, vec![Command::from(EditCommand::OpenAt(Place { rel: "b.txt".into(), range: 0..5, text: "موسكو".into() }))]);
        assert_eq!(window.selected, BTreeSet::from([2]));
    }

    #[test]
    fn a_changed_index_keeps_the_selection_a_new_query_drops_it() {
        let index = index();
        let mut window = SearchWindow { input: "موسكو".to_owned(), ..SearchWindow::default() };
        window.update(&index, 1);
        window.click(1, true, false, Some(&index));
        window.update(&index, 2);
        assert_eq!(window.selected, BTreeSet::from([1]));
        assert_eq!(window.cursor, Some(1));
        window.unlabelled = true;
        window.update(&index, 2);
        assert_eq!(window.hits.len(), 2, "b's موسكو is labelled");
        assert!(window.selected.is_empty() && window.cursor.is_none());
        window.input = "label:ORG موسكو".to_owned();
        window.update(&index, 2);
        assert!(window.hits.is_empty());
        assert_eq!(window.error.as_deref(), Some("label:ORG and unlabelled exclude each other"));
    }
}
