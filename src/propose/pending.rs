//! Proposals become pending spans in the annotator's file, without disturbing decisions.
//!
//! A refresh recomputes the proposals of some sources (the built-in proposers when an article is
//! opened, one import file when it is imported again): pending spans of those sources that are no
//! longer proposed go, new proposals come in as pending. Accepted and rejected spans are never
//! touched, nothing is proposed over an accepted span, a proposal the annotator rejected (same
//! range, or same text, with that label) does not come back, a proposal under an accepted span
//! gives way to it, and pending spans never overlap.

use std::ops::Range;

use rustc_hash::{FxHashMap, FxHashSet};

use super::gazetteer::normalize_form;
use super::{KnownSpans, Proposal};
use crate::model::{AnnotationFile, CharIndex, Coverage, Origin, Span, SpanEdit, SpanState, partition_point_near};

/// Where a pending span came from, if it is a proposal.
pub fn proposal_source(span: &Span) -> Option<&str> {
    match &span.origin {
        Origin::Proposed { source, .. } => Some(source),
        _ => None,
    }
}

/// The parts of an article a refresh looks at: the whole text, or some of its clauses. No span
/// may cross a region's edge (the caller widens regions until none does).
pub struct Regions<'t> {
    /// Each region's first char in the article and the index of its text.
    parts: Vec<(usize, CharIndex<'t>)>,
    /// Chars in the whole article.
    len_chars: usize,
}

impl<'t> Regions<'t> {
    /// The whole of `text`.
    pub fn whole(text: &'t str) -> Self {
        let index = CharIndex::new(text);
        Regions { len_chars: index.len_chars(), parts: vec![(0, index)] }
    }

    /// Parts of an article of `len_chars` chars: (first char, the part's text), in order.
    pub fn parts(parts: impl IntoIterator<Item = (usize, &'t str)>, len_chars: usize) -> Self {
        Regions { parts: parts.into_iter().map(|(first, text)| (first, CharIndex::new(text))).collect(), len_chars }
    }

    /// The region holding `range` whole, as (its first char, its index).
    fn part_of(&self, range: &Range<usize>) -> Option<&(usize, CharIndex<'t>)> {
        let at = self.parts.partition_point(|(first, _)| *first <= range.start).checked_sub(1)?;
        let part = &self.parts[at];
        (range.end <= part.0 + part.1.len_chars()).then_some(part)
    }

    /// The article's text in `range`, if a region holds it.
    fn slice(&self, range: Range<usize>) -> Option<&'t str> {
        let (first, index) = self.part_of(&range)?;
        index.slice(range.start - first..range.end - first)
    }

    /// The spans of `file` that begin in a region.
    fn spans<'f>(&self, file: &'f AnnotationFile) -> Vec<&'f Span> {
        let mut found = Vec::new();
        for (first, index) in &self.parts {
            let end = first + index.len_chars();
            let from = partition_point_near(&file.spans, *first, |s| s.start < *first);
            let to = from + partition_point_near(&file.spans[from..], 0, |s| s.start < end);
            found.extend(&file.spans[from..to]);
        }
        found
    }
}

/// The edit that brings `file`'s pending spans in line with `proposals`, or `None` when they
/// already are. `refreshed` says which sources' pending spans the proposals replace; pending
/// spans of any source whose (text, label) is `rejected` go too. Fresh ids are taken from `file`,
/// which is otherwise not changed.
pub fn reconcile(
    file: &mut AnnotationFile,
    text: &str,
    proposals: &[Proposal],
    refreshed: impl Fn(&str) -> bool,
    rejected: impl Fn(&str, &str) -> bool,
) -> Option<SpanEdit> {
    let known = KnownSpans::of(file);
    reconcile_in(file, &known, &Regions::whole(text), proposals, refreshed, rejected)
}

/// [`reconcile`] in some regions of the text only: pending spans elsewhere stay as they are, and
/// `proposals` must lie inside the regions. What a decision changes lies in a few clauses of a long
/// article, so this costs those clauses, not the article. `known` holds `file`'s facts.
pub fn reconcile_in(
    file: &mut AnnotationFile,
    known: &KnownSpans,
    regions: &Regions,
    proposals: &[Proposal],
    refreshed: impl Fn(&str) -> bool,
    rejected: impl Fn(&str, &str) -> bool,
) -> Option<SpanEdit> {
    let (mut edits, additions) = plan(file, known, regions, proposals, refreshed, rejected);
    if additions.is_empty() {
        return (!edits.is_empty()).then_some(SpanEdit::Batch(edits));
    }
    let ids = file.alloc_ids_above(known.max_id, additions.len());
    for ((proposal, surface), id) in additions.into_iter().zip(ids) {
        edits.push(SpanEdit::Add(Span {
            id,
            start: proposal.range.start,
            end: proposal.range.end,
            label: proposal.label.clone(),
            text: surface,
            origin: Origin::Proposed { source: proposal.source.clone(), score: proposal.score },
            state: SpanState::Pending,
        }));
    }
    (!edits.is_empty()).then_some(SpanEdit::Batch(edits))
}

/// Removals and in-place updates of pending spans, and the proposals (with their text) to add.
///
/// Linear in the spans and proposals (a 1 MB article holds tens of thousands of both): overlaps
/// are looked up in char coverage maps, sameness in (Fx) hash sets.
fn plan<'p>(
    file: &AnnotationFile,
    known: &KnownSpans,
    regions: &Regions,
    proposals: &'p [Proposal],
    refreshed: impl Fn(&str) -> bool,
    rejected_elsewhere: impl Fn(&str, &str) -> bool,
) -> (Vec<SpanEdit>, Vec<(&'p Proposal, String)>) {
    let spans = regions.spans(file);
    let in_state = |state: SpanState| spans.iter().copied().filter(move |s| s.state == state);
    let length = regions.len_chars;
    let mut accepted = Coverage::new(length);
    in_state(SpanState::Accepted).for_each(|s| accepted.cover(s.range()));
    let rejected: FxHashSet<(usize, usize, &str)> = in_state(SpanState::Rejected).map(|s| (s.start, s.end, s.label.as_str())).collect();

    let mut wanted: Vec<(&Proposal, String)> = Vec::new();
    for proposal in proposals {
        let range = &proposal.range;
        if range.is_empty() || range.end > length || accepted.covers_any(range.clone()) {
            continue;
        }
        if rejected.contains(&(range.start, range.end, proposal.label.as_str())) {
            continue;
        }
        let Some(surface) = regions.slice(range.clone()) else { continue };
        // A form rejected anywhere in the article is not proposed again in these regions.
        let rejected_here = known.has_rejections() && known.is_rejected_form(&normalize_form(surface), &proposal.label);
        if rejected_here || rejected_elsewhere(surface, &proposal.label) {
            continue;
        }
        wanted.push((proposal, surface.to_owned()));
    }

    fn key(range: Range<usize>, label: &str) -> (usize, usize, &str) {
        (range.start, range.end, label)
    }
    let wanted_keys: FxHashSet<(usize, usize, &str)> = wanted.iter().map(|(p, _)| key(p.range.clone(), &p.label)).collect();
    let is_refreshed = |span: &Span| proposal_source(span).is_some_and(&refreshed);
    let mut edits = Vec::new();
    // Pending spans that stay: those of other sources, and those still proposed.
    let mut staying: FxHashMap<(usize, usize, &str), &Span> = FxHashMap::default();
    let mut taken = Coverage::new(length);
    for span in in_state(SpanState::Pending) {
        let stays = !rejected_elsewhere(&span.text, &span.label)
            && !accepted.covers_any(span.range())
            && (!is_refreshed(span) || wanted_keys.contains(&key(span.range(), &span.label)));
        if stays {
            taken.cover(span.range());
            staying.insert(key(span.range(), &span.label), span);
        } else {
            edits.push(SpanEdit::Remove(span.clone()));
        }
    }
    let mut additions = Vec::new();
    for (proposal, surface) in wanted {
        if let Some(existing) = staying.get(&key(proposal.range.clone(), &proposal.label)) {
            // Still proposed: only the score or source may have changed.
            let origin = Origin::Proposed { source: proposal.source.clone(), score: proposal.score };
            if is_refreshed(existing) && existing.origin != origin {
                edits.push(SpanEdit::Replace { before: (*existing).clone(), after: Span { origin, ..(*existing).clone() } });
            }
            continue;
        }
        if taken.covers_any(proposal.range.clone()) {
            continue;
        }
        taken.cover(proposal.range.clone());
        additions.push((proposal, surface));
    }
    (edits, additions)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "التقى لافروف في موسكو مع وفد من دمشق";

    fn proposal(range: std::ops::Range<usize>, label: &str, source: &str) -> Proposal {
        Proposal { range, label: label.to_owned(), score: 0.8, source: source.to_owned() }
    }

    fn states(file: &AnnotationFile) -> Vec<(String, &str, SpanState)> {
        file.spans.iter().map(|s| (s.text.clone(), s.label.as_str(), s.state)).collect()
    }

    fn refresh(file: &mut AnnotationFile, proposals: &[Proposal], source: &str) {
        if let Some(edit) = reconcile(file, TEXT, proposals, |s| s == source, |_, _| false) {
            file.apply(&edit).expect("applies");
        }
    }

    #[test]
    fn proposals_come_in_pending_and_a_second_refresh_changes_nothing() {
        let mut file = AnnotationFile::new("a.txt", "", "amal");
        let proposals = [proposal(6..12, "PERS", "gazetteer"), proposal(16..21, "LOC", "gazetteer")];
        refresh(&mut file, &proposals, "gazetteer");
        assert_eq!(states(&file), [("لافروف".to_owned(), "PERS", SpanState::Pending), ("موسكو".to_owned(), "LOC", SpanState::Pending)]);
        assert!(reconcile(&mut file, TEXT, &proposals, |s| s == "gazetteer", |_, _| false).is_none());
    }

    #[test]
    fn decisions_are_never_disturbed() {
        let mut file = AnnotationFile::new("a.txt", "", "amal");
        file.spans.push(Span::manual(1, 16..21, "LOC", "موسكو"));
        file.spans.push(Span { state: SpanState::Rejected, ..Span::manual(2, 6..12, "PERS", "لافروف") });
        file.next_id = 3;
        // Over the accepted span, the rejected range, and (by text) the rejected form elsewhere.
        let text = format!("{TEXT} لافروف");
        let proposals = [proposal(6..12, "PERS", "gazetteer"), proposal(16..20, "ORG", "gazetteer"), proposal(37..43, "PERS", "gazetteer")];
        assert!(reconcile(&mut file, &text, &proposals, |_| true, |_, _| false).is_none());
        // Another label for the rejected range is still worth asking about.
        let edit = reconcile(&mut file, &text, &[proposal(6..12, "ORG", "rules")], |_| true, |_, _| false).expect("a proposal");
        file.apply(&edit).expect("applies");
        assert_eq!(file.spans.iter().filter(|s| s.state == SpanState::Pending).count(), 1);
    }

    #[test]
    fn stale_proposals_of_refreshed_sources_go_and_other_sources_stay() {
        let mut file = AnnotationFile::new("a.txt", "", "amal");
        refresh(&mut file, &[proposal(32..36, "LOC", "import:x.jsonl")], "import:x.jsonl");
        refresh(&mut file, &[proposal(6..12, "PERS", "gazetteer"), proposal(32..36, "ORG", "gazetteer")], "gazetteer");
        // The import's دمشق stays; the gazetteer's overlapping proposal is not added.
        assert_eq!(states(&file), [("لافروف".to_owned(), "PERS", SpanState::Pending), ("دمشق".to_owned(), "LOC", SpanState::Pending)]);
        refresh(&mut file, &[proposal(16..21, "LOC", "gazetteer")], "gazetteer");
        assert_eq!(states(&file), [("موسكو".to_owned(), "LOC", SpanState::Pending), ("دمشق".to_owned(), "LOC", SpanState::Pending)]);
    }

    #[test]
    fn a_form_rejected_elsewhere_goes_whatever_its_source() {
        let mut file = AnnotationFile::new("a.txt", "", "amal");
        refresh(&mut file, &[proposal(32..36, "LOC", "import:x.jsonl")], "import:x.jsonl");
        refresh(&mut file, &[proposal(16..21, "LOC", "gazetteer")], "gazetteer");
        let edit = reconcile(&mut file, TEXT, &[proposal(16..21, "LOC", "gazetteer")], |s| s == "gazetteer", |text, label| text == "دمشق" && label == "LOC")
            .expect("the import's دمشق goes");
        file.apply(&edit).expect("applies");
        assert_eq!(states(&file), [("موسكو".to_owned(), "LOC", SpanState::Pending)]);
    }

    #[test]
    fn a_changed_score_is_updated_in_place() {
        let mut file = AnnotationFile::new("a.txt", "", "amal");
        refresh(&mut file, &[proposal(16..21, "LOC", "gazetteer")], "gazetteer");
        let id = file.spans[0].id;
        let mut better = proposal(16..21, "LOC", "gazetteer");
        better.score = 0.95;
        refresh(&mut file, &[better], "gazetteer");
        assert_eq!(file.spans[0].id, id);
        assert_eq!(file.spans[0].origin, Origin::Proposed { source: "gazetteer".to_owned(), score: 0.95 });
    }

    #[test]
    fn the_edit_undoes_to_the_file_as_it_was() {
        let mut file = AnnotationFile::new("a.txt", "", "amal");
        refresh(&mut file, &[proposal(6..12, "PERS", "gazetteer")], "gazetteer");
        let before = file.clone();
        let edit = reconcile(&mut file, TEXT, &[proposal(16..21, "LOC", "gazetteer")], |s| s == "gazetteer", |_, _| false).expect("changes");
        let allocated = file.clone();
        file.apply(&edit).expect("applies");
        file.apply(&edit.inverse()).expect("undoes");
        assert_eq!(file, allocated);
        assert_eq!(file.spans, before.spans);
    }
}
