//! Adjudication: turning several annotators' spans of an article into gold decisions.
//!
//! Spans that contradict each other (same range and another label, or overlapping with another
//! boundary) form one *group*, decided together; every other span is a group of its own. Which
//! groups are decided is read off the gold file itself, so it survives undo, restarts and edits:
//! a gold span decides the group of the identical diff span, or, once the reviewer moved its
//! boundaries, the group of the span it overlaps most. A rejection is kept in the gold file as
//! the group's spans with state `Rejected` (as annotators' files keep rejected proposals): it is
//! no gold entity, and every consumer of gold counts accepted spans only.
//!
//! Review mode in the app and `tawsim adjudicate` both decide through [`ArticleReview`]; neither
//! writes an annotator's file.

use std::cmp::Reverse;

use super::diff::{DiffKind, SpanDiff, diff_article};
use crate::model::{AnnotationFile, Origin, Span, SpanEdit, SpanState, char_slice};

/// How the spans of a group stand between the annotators, in the order the list shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum GroupKind {
    /// Spans that contradict each other.
    Conflict,
    /// One span some annotators have and the others simply did not mark.
    BySome,
    /// One span every annotator has.
    Agreed,
}

/// What the gold file says about a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Not decided yet.
    Open,
    /// Some of its spans are gold.
    Accepted,
    /// Rejected: nothing of it is gold.
    Rejected,
}

/// Spans of the diff decided together.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Indices into the article's diff, ascending.
    pub members: Vec<usize>,
    /// Conflict, by some or agreed.
    pub kind: GroupKind,
    /// Ids of the gold spans (accepted or rejected) that decide it.
    pub gold: Vec<u64>,
    /// What they say.
    pub decision: Decision,
}

/// The groups of an article's diff: spans that conflict, directly or through each other, form one
/// group; every other span is a group of its own. In the order of their first span.
pub fn group_diffs(diffs: &[SpanDiff]) -> Vec<Group> {
    let mut group_of = vec![None; diffs.len()];
    let mut groups = Vec::new();
    for first in 0..diffs.len() {
        if group_of[first].is_some() {
            continue;
        }
        let id = groups.len();
        group_of[first] = Some(id);
        let (mut members, mut stack) = (Vec::new(), vec![first]);
        while let Some(x) = stack.pop() {
            members.push(x);
            if let DiffKind::Conflict { with } = &diffs[x].kind {
                for &y in with {
                    if group_of[y].is_none() {
                        group_of[y] = Some(id);
                        stack.push(y);
                    }
                }
            }
        }
        members.sort_unstable();
        let kind = match diffs[first].kind {
            DiffKind::Agreed => GroupKind::Agreed,
            DiffKind::BySome => GroupKind::BySome,
            DiffKind::Conflict { .. } => GroupKind::Conflict,
        };
        groups.push(Group { members, kind, gold: Vec::new(), decision: Decision::Open });
    }
    groups
}

/// Chars two ranges share.
fn overlap(d: &SpanDiff, span: &Span) -> usize {
    d.end.min(span.end).saturating_sub(d.start.max(span.start))
}

/// Records in `groups` which gold spans decide them (see the module doc) and what they decided;
/// returns the accepted gold spans that decide no group: the reviewer's own additions.
pub fn match_gold(diffs: &[SpanDiff], groups: &mut [Group], gold: &[Span]) -> Vec<u64> {
    let mut group_of = vec![0; diffs.len()];
    for (g, group) in groups.iter_mut().enumerate() {
        group.gold.clear();
        group.decision = Decision::Open;
        for &m in &group.members {
            group_of[m] = g;
        }
    }
    let mut own = Vec::new();
    for span in gold.iter().filter(|s| s.state != SpanState::Pending) {
        let key = (span.start, span.end, span.label.as_str());
        let exact = diffs.binary_search_by(|d| (d.start, d.end, d.label.as_str()).cmp(&key)).ok();
        // Only a span whose boundaries the reviewer moved gets here; they are few.
        let nearest = || {
            let best = diffs.iter().enumerate().map(|(i, d)| (overlap(d, span), Reverse(i))).max()?;
            (best.0 > 0).then_some(best.1.0)
        };
        match exact.or_else(nearest) {
            Some(d) => {
                let group = &mut groups[group_of[d]];
                group.gold.push(span.id);
                group.decision = match (group.decision, span.state) {
                    (_, SpanState::Accepted) | (Decision::Accepted, _) => Decision::Accepted,
                    _ => Decision::Rejected,
                };
            }
            None if span.state == SpanState::Accepted => own.push(span.id),
            None => {}
        }
    }
    own
}

/// What the reviewer chose for a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// The spans this annotator (index in the picked order) has.
    Annotator(usize),
    /// Every span of the group.
    Union,
    /// None of them.
    Reject,
}

/// Who decides and for whom: the picked annotators (whose indices the diff's holders are) and the
/// reviewer recorded as `decided_by`.
#[derive(Clone, Copy, Debug)]
pub struct Reviewers<'a> {
    /// The picked annotators, in the order picked.
    pub annotators: &'a [String],
    /// Who decides.
    pub reviewer: &'a str,
}

/// The outcome of one decision on a group.
#[derive(Clone, Debug, PartialEq)]
pub struct Decided {
    /// The edit of the gold file; `None` when the gold file already says this.
    pub edit: Option<SpanEdit>,
    /// The accepted gold span the decision made, to focus.
    pub focus: Option<u64>,
    /// Whether taking an annotator's version rejected the group (they have nothing in it).
    pub rejected_by_taking: bool,
}

/// The review of one article: the picked annotators' spans side by side and the groups.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ArticleReview {
    /// Every distinct span of the annotators who have a file for it; holders are indices into
    /// the picked annotators.
    pub diffs: Vec<SpanDiff>,
    /// The groups, in the order of their first span.
    pub groups: Vec<Group>,
    /// Accepted gold spans that decide no group (the reviewer drew them).
    pub own: Vec<u64>,
    /// Picked annotators without a file for this article.
    pub missing: Vec<usize>,
}

impl ArticleReview {
    /// The diff of `sets` (one per picked annotator; `None` for one without a file). Annotators
    /// without a file are left out, so "agreed" means agreed by everyone who annotated it.
    pub fn from_sets(sets: &[Option<Vec<Span>>]) -> Self {
        let present: Vec<usize> = (0..sets.len()).filter(|&i| sets[i].is_some()).collect();
        let spans: Vec<&[Span]> = sets.iter().flatten().map(Vec::as_slice).collect();
        let mut diffs = diff_article(&spans);
        for d in &mut diffs {
            for holder in &mut d.holders {
                *holder = present[*holder];
            }
        }
        let groups = group_diffs(&diffs);
        let missing = (0..sets.len()).filter(|i| !present.contains(i)).collect();
        ArticleReview { diffs, groups, own: Vec::new(), missing }
    }

    /// Reads the decisions off the gold spans (see [`match_gold`]).
    pub fn match_gold(&mut self, gold: &[Span]) {
        self.own = match_gold(&self.diffs, &mut self.groups, gold);
    }

    /// Whether the annotators who have a file disagree anywhere.
    pub fn has_disagreements(&self) -> bool {
        self.groups.iter().any(|g| g.kind != GroupKind::Agreed)
    }

    /// Groups in the order the list shows them and N walks them: conflicts, then spans held by
    /// some, then (with `agreed`) agreed spans; each kind in reading order.
    pub fn order(&self, agreed: bool) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.groups.len()).filter(|&g| agreed || self.groups[g].kind != GroupKind::Agreed).collect();
        order.sort_by_key(|&g| self.groups[g].kind);
        order
    }

    /// Disagreements not decided yet.
    pub fn open_disagreements(&self) -> usize {
        self.groups.iter().filter(|g| g.kind != GroupKind::Agreed && g.decision == Decision::Open).count()
    }

    /// Agreed groups not decided yet.
    pub fn open_agreed(&self) -> usize {
        self.groups.iter().filter(|g| g.kind == GroupKind::Agreed && g.decision == Decision::Open).count()
    }

    /// The next open disagreement after group `g` in list order, wrapping around; `None` when
    /// every disagreement is decided.
    pub fn next_open_after(&self, g: usize) -> Option<usize> {
        let order = self.order(false);
        let at = order.iter().position(|&x| x == g).unwrap_or(order.len());
        (1..=order.len()).map(|k| order[(at + k) % order.len()]).find(|&x| self.groups[x].decision == Decision::Open)
    }

    /// The first open disagreement in list order.
    pub fn first_open(&self) -> Option<usize> {
        self.order(false).into_iter().find(|&g| self.groups[g].decision == Decision::Open)
    }

    /// The group a gold span decides.
    pub fn group_of_gold(&self, id: u64) -> Option<usize> {
        self.groups.iter().position(|g| g.gold.contains(&id))
    }

    /// The undecided group with the shortest span containing char `c` (decided groups show as
    /// their gold spans, which the editor finds itself).
    pub fn open_group_at(&self, c: usize) -> Option<usize> {
        let mut best: Option<(usize, usize)> = None;
        for (g, group) in self.groups.iter().enumerate().filter(|(_, g)| g.decision == Decision::Open) {
            for d in group.members.iter().map(|&m| &self.diffs[m]).filter(|d| d.start <= c && c < d.end) {
                if best.is_none_or(|(len, _)| d.end - d.start < len) {
                    best = Some((d.end - d.start, g));
                }
            }
        }
        best.map(|(_, g)| g)
    }

    /// Where a group starts in the text.
    pub fn start_of(&self, g: usize) -> Option<usize> {
        let group = self.groups.get(g)?;
        group.members.iter().map(|&m| self.diffs[m].start).min()
    }

    /// The members of `group` that `choice` takes, and the state they go to gold with. Taking an
    /// annotator who has none of them is their word that nothing here is an entity: a rejection.
    pub fn chosen(&self, group: &Group, choice: Choice) -> (Vec<usize>, SpanState) {
        let taken: Vec<usize> = match choice {
            Choice::Annotator(i) => group.members.iter().copied().filter(|&m| self.diffs[m].held_by(i)).collect(),
            Choice::Union => group.members.clone(),
            Choice::Reject => Vec::new(),
        };
        if taken.is_empty() { (group.members.clone(), SpanState::Rejected) } else { (taken, SpanState::Accepted) }
    }

    /// The gold span of diff span `member`, with its holders and the reviewer as provenance.
    pub fn gold_span(&self, member: usize, id: u64, state: SpanState, who: Reviewers, text: &str) -> Span {
        let d = &self.diffs[member];
        let annotators = d.holders.iter().filter_map(|&i| who.annotators.get(i).cloned()).collect();
        Span {
            id,
            start: d.start,
            end: d.end,
            label: d.label.clone(),
            // The article's own characters; the annotator's stored copy only if the range is off.
            text: char_slice(text, d.start..d.end).unwrap_or(&d.text).to_owned(),
            origin: Origin::Adjudicated { annotators, decided_by: who.reviewer.to_owned() },
            state,
        }
    }

    /// The gold edit that records `choice` for group `g` (replacing what gold said of it before);
    /// allocates span ids in `gold` but does not apply the edit. `None` for a group that does not
    /// exist or an annotator who was not picked.
    pub fn decide(&self, g: usize, choice: Choice, gold: &mut AnnotationFile, who: Reviewers, text: &str) -> Option<Decided> {
        let group = self.groups.get(g)?;
        if let Choice::Annotator(i) = choice
            && i >= who.annotators.len()
        {
            return None;
        }
        let (members, state) = self.chosen(group, choice);
        let before: Vec<Span> = group.gold.iter().filter_map(|&id| gold.span(id).cloned()).collect();
        let rejected_by_taking = matches!(choice, Choice::Annotator(_)) && state == SpanState::Rejected;
        // Deciding again what the gold file already says changes nothing (and records no step).
        let key = |s: &Span| (s.start, s.end, s.label.clone(), s.state == SpanState::Accepted);
        let mut wanted: Vec<_> = members.iter().map(|&m| key(&self.gold_span(m, 0, state, who, text))).collect();
        let mut now: Vec<_> = before.iter().map(key).collect();
        wanted.sort();
        now.sort();
        if wanted == now {
            let focus = before.iter().find(|s| s.state == SpanState::Accepted).map(|s| s.id);
            return Some(Decided { edit: None, focus, rejected_by_taking });
        }
        let ids = gold.alloc_ids(members.len());
        let adds: Vec<Span> = members.iter().zip(ids).map(|(&m, id)| self.gold_span(m, id, state, who, text)).collect();
        let focus = adds.iter().find(|s| s.state == SpanState::Accepted).map(|s| s.id);
        let edits = before.into_iter().map(SpanEdit::Remove).chain(adds.into_iter().map(SpanEdit::Add)).collect();
        Some(Decided { edit: Some(SpanEdit::Batch(edits)), focus, rejected_by_taking })
    }

    /// The gold edit that accepts every agreed span not decided yet, with how many it accepts;
    /// allocates ids in `gold` but does not apply the edit. `None` when no agreed span is open.
    pub fn accept_agreed(&self, gold: &mut AnnotationFile, who: Reviewers, text: &str) -> Option<(usize, SpanEdit)> {
        let agreed: Vec<usize> =
            self.groups.iter().filter(|g| g.kind == GroupKind::Agreed && g.decision == Decision::Open).flat_map(|g| g.members.iter().copied()).collect();
        if agreed.is_empty() {
            return None;
        }
        let ids = gold.alloc_ids(agreed.len());
        let adds = agreed.iter().zip(ids).map(|(&m, id)| SpanEdit::Add(self.gold_span(m, id, SpanState::Accepted, who, text))).collect();
        Some((agreed.len(), SpanEdit::Batch(adds)))
    }
}

/// Short tags for annotators, as the text shows holders: the shortest prefix (upper-cased) that
/// tells every picked name apart.
pub fn initials(names: &[String]) -> Vec<String> {
    let longest = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let tags = |k: usize| -> Vec<String> { names.iter().map(|n| n.chars().take(k).collect::<String>().to_uppercase()).collect() };
    (1..=longest).map(tags).find(|t| (1..t.len()).all(|i| !t[..i].contains(&t[i]))).unwrap_or_else(|| tags(longest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(start: usize, end: usize, label: &str) -> Span {
        Span::manual(0, start..end, label, "")
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|n| (*n).to_owned()).collect()
    }

    /// amal and badr: one agreed span, a label conflict, a boundary conflict, one only amal has.
    fn article() -> ArticleReview {
        let amal = vec![s(0, 3, "LOC"), s(10, 15, "PERS"), s(20, 30, "ORG"), s(40, 44, "MISC")];
        let badr = vec![s(0, 3, "LOC"), s(10, 15, "ORG"), s(25, 30, "ORG")];
        ArticleReview::from_sets(&[Some(amal), Some(badr)])
    }

    fn kinds(article: &ArticleReview) -> Vec<(GroupKind, Vec<usize>)> {
        article.groups.iter().map(|g| (g.kind, g.members.clone())).collect()
    }

    #[test]
    fn conflicting_spans_form_one_group_and_the_rest_stand_alone() {
        let article = article();
        use GroupKind::*;
        // Diff order: LOC 0..3, ORG 10..15, PERS 10..15, ORG 20..30, ORG 25..30, MISC 40..44.
        assert_eq!(kinds(&article), [(Agreed, vec![0]), (Conflict, vec![1, 2]), (Conflict, vec![3, 4]), (BySome, vec![5])]);
        assert_eq!(article.order(false), [1, 2, 3], "conflicts first, then by some; agreed left out");
        assert_eq!(article.order(true), [1, 2, 3, 0]);
        assert_eq!(article.open_disagreements(), 3);
        assert_eq!(article.open_agreed(), 1);
        assert!(article.has_disagreements());
        assert_eq!(article.open_group_at(27), Some(2), "the shortest span containing the char");
        assert_eq!(article.open_group_at(5), None);
        assert_eq!(article.first_open(), Some(1));
        assert_eq!(article.next_open_after(3), Some(1), "wraps around");
    }

    #[test]
    fn conflicts_chain_into_one_group() {
        // A overlaps B, B overlaps C, A and C do not touch: still one decision.
        let amal = vec![s(0, 6, "LOC"), s(10, 16, "LOC")];
        let badr = vec![s(4, 12, "LOC")];
        let article = ArticleReview::from_sets(&[Some(amal), Some(badr)]);
        assert_eq!(kinds(&article), [(GroupKind::Conflict, vec![0, 1, 2])]);
    }

    #[test]
    fn an_annotator_without_a_file_is_left_out_of_the_diff() {
        let sets = [Some(vec![s(0, 3, "LOC")]), None, Some(vec![s(0, 3, "LOC"), s(5, 8, "PERS")])];
        let article = ArticleReview::from_sets(&sets);
        assert_eq!(article.missing, [1]);
        assert_eq!(article.diffs[0].holders, [0, 2], "holders are indices into the picked annotators");
        assert_eq!(article.groups[0].kind, GroupKind::Agreed, "agreed by everyone who annotated it");
        assert_eq!(article.diffs[1].holders, [2]);
    }

    fn gold(id: u64, start: usize, end: usize, label: &str, state: SpanState) -> Span {
        Span { state, ..Span::manual(id, start..end, label, "") }
    }

    #[test]
    fn gold_spans_decide_their_groups_even_after_their_boundaries_moved() {
        let mut article = article();
        let spans = [
            gold(1, 0, 3, "LOC", SpanState::Accepted),
            // amal's ORG 20..30, its left edge moved by the reviewer: overlaps 20..30 most.
            gold(2, 21, 30, "ORG", SpanState::Accepted),
            gold(3, 40, 44, "MISC", SpanState::Rejected),
            // Drawn by the reviewer where nobody had anything.
            gold(4, 50, 55, "LOC", SpanState::Accepted),
        ];
        article.match_gold(&spans);
        let decisions: Vec<Decision> = article.groups.iter().map(|g| g.decision).collect();
        assert_eq!(decisions, [Decision::Accepted, Decision::Open, Decision::Accepted, Decision::Rejected]);
        assert_eq!(article.groups[2].gold, [2]);
        assert_eq!(article.own, [4]);
        assert_eq!(article.group_of_gold(3), Some(3));
        assert_eq!(article.open_disagreements(), 1);
        assert_eq!(article.open_group_at(12), Some(1));
        // Matching again from scratch forgets what is no longer in the file (undo).
        article.match_gold(&spans[..1]);
        assert!(article.own.is_empty());
        assert_eq!(article.open_disagreements(), 3);
    }

    #[test]
    fn choices_take_an_annotators_spans_the_union_or_nothing() {
        let article = article();
        let annotators = names(&["amal", "badr"]);
        let who = Reviewers { annotators: &annotators, reviewer: "rev" };
        let text = "x".repeat(60);
        let label_conflict = &article.groups[1];
        assert_eq!(article.chosen(label_conflict, Choice::Annotator(1)), (vec![1], SpanState::Accepted), "badr's ORG");
        assert_eq!(article.chosen(label_conflict, Choice::Annotator(0)), (vec![2], SpanState::Accepted), "amal's PERS");
        assert_eq!(article.chosen(label_conflict, Choice::Union), (vec![1, 2], SpanState::Accepted));
        assert_eq!(article.chosen(label_conflict, Choice::Reject), (vec![1, 2], SpanState::Rejected), "kept as rejected");
        // badr has nothing where amal has MISC: taking badr's version rejects it.
        assert_eq!(article.chosen(&article.groups[3], Choice::Annotator(1)), (vec![5], SpanState::Rejected));
        let span = article.gold_span(0, 7, SpanState::Accepted, who, &text);
        assert_eq!((span.id, span.range(), span.label.as_str(), span.text.as_str()), (7, 0..3, "LOC", "xxx"));
        assert_eq!(span.origin, Origin::Adjudicated { annotators: annotators.clone(), decided_by: "rev".into() });
    }

    #[test]
    fn a_decision_replaces_what_gold_said_and_deciding_it_again_changes_nothing() {
        let mut article = article();
        let annotators = names(&["amal", "badr"]);
        let who = Reviewers { annotators: &annotators, reviewer: "rev" };
        let text = "x".repeat(60);
        let mut file = AnnotationFile::new("corpus/a.txt", "", "gold");
        let decided = article.decide(1, Choice::Reject, &mut file, who, &text).expect("a group");
        file.apply(decided.edit.as_ref().expect("an edit")).expect("applies");
        article.match_gold(&file.spans);
        assert_eq!(article.groups[1].decision, Decision::Rejected);
        assert_eq!(file.spans.len(), 2, "both readings kept as rejected");
        let decided = article.decide(1, Choice::Annotator(1), &mut file, who, &text).expect("a group");
        file.apply(decided.edit.as_ref().expect("an edit")).expect("applies");
        article.match_gold(&file.spans);
        assert_eq!(file.spans.len(), 1, "the rejection is replaced");
        assert_eq!(decided.focus, Some(file.spans[0].id));
        let again = article.decide(1, Choice::Annotator(1), &mut file, who, &text).expect("a group");
        assert_eq!(again.edit, None);
        assert_eq!(again.focus, decided.focus);
        let taken = article.decide(3, Choice::Annotator(1), &mut file, who, &text).expect("a group");
        assert!(taken.rejected_by_taking, "badr has nothing in the MISC group");
        assert!(article.decide(1, Choice::Annotator(2), &mut file, who, &text).is_none(), "no third annotator");
    }

    #[test]
    fn accepting_agreed_spans_adds_each_open_one_once() {
        let mut article = article();
        let annotators = names(&["amal", "badr"]);
        let who = Reviewers { annotators: &annotators, reviewer: "rev" };
        let text = "x".repeat(60);
        let mut file = AnnotationFile::new("corpus/a.txt", "", "gold");
        let (count, edit) = article.accept_agreed(&mut file, who, &text).expect("one agreed span");
        assert_eq!(count, 1);
        file.apply(&edit).expect("applies");
        article.match_gold(&file.spans);
        assert_eq!(article.open_agreed(), 0);
        assert!(article.accept_agreed(&mut file, who, &text).is_none(), "nothing left to accept");
    }

    #[test]
    fn initials_are_the_shortest_prefixes_that_tell_names_apart() {
        assert_eq!(initials(&names(&["amal", "badr"])), ["A", "B"]);
        assert_eq!(initials(&names(&["amal", "ahmad", "badr"])), ["AM", "AH", "BA"]);
        assert_eq!(initials(&names(&["ali", "alia"])), ["ALI", "ALIA"]);
        assert!(initials(&[]).is_empty());
    }
}
