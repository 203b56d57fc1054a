//! Review mode: a reviewer compares two or more annotators' spans of an article and decides the
//! gold version, `annotations/gold/<article>.ron`.
//!
//! The mode runs its own [`Session`] on the gold files, opened without proposers, so saving, undo,
//! boundary moves and relabelling are the annotation session's own. This module keeps the diff of
//! the open article between the picked annotators ([`crate::review::diff_article`]) and turns the
//! reviewer's decisions into edits of the gold file; [`ReviewMode::apply`] is the one place they
//! are made. Annotators' files are only read, never written.
//!
//! Spans that contradict each other (same range and another label, or overlapping with another
//! boundary) form one *group*, decided together; every other span is a group of its own. Which
//! groups are decided is read off the gold file itself, so it survives undo, restarts and edits:
//! a gold span decides the group of the identical diff span, or, once the reviewer moved its
//! boundaries, the group of the span it overlaps most. A rejection is kept in the gold file as
//! the group's spans with state `Rejected` (as annotators' files keep rejected proposals): it is
//! no gold entity, and every consumer of gold counts accepted spans only.

use std::cmp::Reverse;
use std::sync::Arc;

use egui::{Key, Modifiers};

use super::TawsimApp;
use super::commands::{Binding, Command, bind, bindings, key_for_hotkey};
use super::job::Job;
use super::session::Session;
use crate::model::{DocStatus, Origin, Schema, Span, SpanEdit, SpanState, char_slice};
use crate::review::{ArticleAnnotations, CorpusAgreement, DiffKind, SpanDiff, SpanFilter, diff_article};
use crate::store::{GOLD, Project, ProjectError, read_annotation, read_article};

/// What the reviewer asks for in review mode.
#[derive(Clone, Debug, PartialEq)]
pub enum ReviewCommand {
    /// Enter review mode comparing these annotators (or compare them instead, if already in it).
    Start(Vec<String>),
    /// Review an article comparing these annotators (from the agreement view's ranking).
    OpenArticle {
        /// The annotators to compare.
        annotators: Vec<String>,
        /// The article, corpus-relative.
        rel: String,
    },
    /// Back to annotating.
    Leave,
    /// Accept the focused group as this annotator (index in the picked order) has it.
    Take(usize),
    /// Accept every span of the focused group, whoever has it.
    Union,
    /// Reject the focused group: none of its spans goes to gold.
    Reject,
    /// Accept every agreed span not decided yet, in one step.
    AcceptAgreed,
    /// Focus the next (or, with a negative delta, previous) group.
    Step {
        /// +1 or −1.
        delta: isize,
        /// Only disagreements (N), or every group (Tab).
        disagreements: bool,
    },
    /// Focus a group (clicked in the list or the text).
    Focus(usize),
    /// Mark the article reviewed and open the next article with disagreements.
    MarkReviewedAndNext,
}

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

/// Makes the gold spans of decisions: the diff, the annotators' names, the reviewer, the text.
pub struct Decider<'a> {
    /// The article's diff.
    pub diffs: &'a [SpanDiff],
    /// The picked annotators, whose indices the diff's holders are.
    pub annotators: &'a [String],
    /// Who decides.
    pub reviewer: &'a str,
    /// The article text.
    pub text: &'a str,
}

impl Decider<'_> {
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
    pub fn gold_span(&self, member: usize, id: u64, state: SpanState) -> Span {
        let d = &self.diffs[member];
        let annotators = d.holders.iter().filter_map(|&i| self.annotators.get(i).cloned()).collect();
        Span {
            id,
            start: d.start,
            end: d.end,
            label: d.label.clone(),
            // The article's own characters; the annotator's stored copy only if the range is off.
            text: char_slice(self.text, d.start..d.end).unwrap_or(&d.text).to_owned(),
            origin: Origin::Adjudicated { annotators, decided_by: self.reviewer.to_owned() },
            state,
        }
    }
}

/// The review of the open article: the picked annotators' spans side by side and the groups.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ArticleReview {
    /// Index of the article in the documents list.
    pub index: usize,
    /// Every distinct span of the annotators who have a file for it; holders are indices into
    /// the picked annotators.
    pub diffs: Vec<SpanDiff>,
    /// The groups, in the order of their first span.
    pub groups: Vec<Group>,
    /// Accepted gold spans that decide no group (the reviewer drew them).
    pub own: Vec<u64>,
    /// Picked annotators without a file for this article.
    pub missing: Vec<usize>,
    /// Annotation files that could not be read.
    pub problems: Vec<String>,
    /// The gold file's generation the decisions were read from.
    generation: u64,
}

impl ArticleReview {
    /// The diff of `sets` (one per picked annotator; `None` for one without a file). Annotators
    /// without a file are left out, so "agreed" means agreed by everyone who annotated it.
    pub fn from_sets(index: usize, sets: &[Option<Vec<Span>>]) -> Self {
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
        ArticleReview { index, diffs, groups, own: Vec::new(), missing, problems: Vec::new(), generation: 0 }
    }

    /// Reads the picked annotators' files of article `index` (checked and re-anchored as the
    /// editor would, never saved) and diffs their accepted spans.
    fn load(project: &Project, index: usize, annotators: &[String]) -> Self {
        let Some(article) = project.articles.get(index) else { return Self::default() };
        let (mut problems, mut broken) = (Vec::new(), Vec::new());
        let sets: Vec<Option<Vec<Span>>> = annotators
            .iter()
            .enumerate()
            .map(|(i, annotator)| match project.open_document(&article.rel, annotator) {
                Ok(doc) => doc.existed.then(|| SpanFilter::default().select(&doc.annotation)),
                Err(error) => {
                    problems.push(format!("{annotator}: {error}"));
                    broken.push(i);
                    None
                }
            })
            .collect();
        let mut review = Self::from_sets(index, &sets);
        // A file that does not load is reported as such, not as work not done.
        review.missing.retain(|i| !broken.contains(i));
        ArticleReview { problems, ..review }
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
}

/// Whether article `rel` has something to adjudicate: two or more of `annotators` have a file for
/// it and they do not agree on everything. Reads the files without checking them against the text.
fn has_disagreements(project: &Project, rel: &str, annotators: &[String]) -> bool {
    let sets: Vec<Option<Vec<Span>>> = annotators
        .iter()
        .map(|a| {
            let path = project.annotation_path(a, rel).ok()?;
            read_annotation(&path).ok().flatten().map(|f| SpanFilter::default().select(&f))
        })
        .collect();
    sets.iter().flatten().count() >= 2 && ArticleReview::from_sets(0, &sets).groups.iter().any(|g| g.kind != GroupKind::Agreed)
}

/// Short tags for annotators, as the text shows holders: the shortest prefix (upper-cased) that
/// tells every picked name apart.
pub fn initials(names: &[String]) -> Vec<String> {
    let longest = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let tags = |k: usize| -> Vec<String> { names.iter().map(|n| n.chars().take(k).collect::<String>().to_uppercase()).collect() };
    (1..=longest).map(tags).find(|t| (1..t.len()).all(|i| !t[..i].contains(&t[i]))).unwrap_or_else(|| tags(longest))
}

/// Review mode's state besides its session: who reviews, whom they compare, the open article's
/// diff and the focused group.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReviewState {
    /// The reviewer, recorded as `decided_by`.
    pub reviewer: String,
    /// The picked annotators, in the order picked (key 1 takes the first one's version).
    pub annotators: Vec<String>,
    /// Their tags in the text.
    pub initials: Vec<String>,
    /// The open article's review.
    pub article: Option<ArticleReview>,
    /// The focused group.
    pub focus: Option<usize>,
}

/// Review mode: the gold session and the review of its open article.
pub struct ReviewMode {
    /// The session on the gold files; its edits are the decisions.
    pub session: Session,
    /// The diff and focus.
    pub state: ReviewState,
}

impl ReviewMode {
    /// Opens the project's gold files at `start_at` (or the first article) for `reviewer`,
    /// comparing `annotators`.
    pub fn open(root: &std::path::Path, reviewer: &str, annotators: Vec<String>, start_at: Option<&str>) -> Result<Self, ProjectError> {
        let session = Session::open_gold(root, start_at)?;
        let mut mode = ReviewMode { session, state: ReviewState { reviewer: reviewer.to_owned(), ..ReviewState::default() } };
        mode.set_annotators(annotators);
        Ok(mode)
    }

    /// Compares other annotators from now on.
    pub fn set_annotators(&mut self, annotators: Vec<String>) {
        self.state.initials = initials(&annotators);
        self.state.annotators = annotators;
        self.state.article = None;
        self.sync();
    }

    /// Carries out a command: the reviewer's own here, everything else (undo, boundaries,
    /// articles…) by the gold session.
    pub fn apply(&mut self, command: Command) {
        match command {
            Command::Review(review) => self.review(review),
            // A gold span that decides a group focuses the group, wherever it was clicked; one the
            // reviewer drew is focused alone.
            Command::SelectEntity(id) | Command::FocusEntity(id) => match self.group_of_gold(id) {
                Some(g) => self.focus_group(g, matches!(command, Command::FocusEntity(_))),
                None => {
                    self.state.focus = None;
                    self.session.apply(command);
                }
            },
            other => self.session.apply(other),
        }
        self.sync();
    }

    fn group_of_gold(&self, id: u64) -> Option<usize> {
        self.state.article.as_ref().and_then(|a| a.group_of_gold(id))
    }

    fn review(&mut self, command: ReviewCommand) {
        use ReviewCommand as R;
        match command {
            R::Take(i) => self.decide(Choice::Annotator(i)),
            R::Union => self.decide(Choice::Union),
            R::Reject => self.decide(Choice::Reject),
            R::AcceptAgreed => self.accept_agreed(),
            R::Step { delta, disagreements } => self.step(delta, disagreements),
            R::Focus(g) => self.focus_group(g, true),
            R::MarkReviewedAndNext => self.mark_reviewed_and_next(),
            // The window enters and leaves the mode.
            R::Start(_) | R::OpenArticle { .. } | R::Leave => {}
        }
    }

    /// Brings the article review up to date with the gold session: a newly opened article is
    /// diffed and its first open disagreement focused; an edited gold file is matched again.
    fn sync(&mut self) {
        let Some(open) = &self.session.open else {
            self.state.article = None;
            self.state.focus = None;
            return;
        };
        let fresh = self.state.article.as_ref().is_none_or(|a| a.index != open.index);
        if fresh {
            self.state.article = Some(ArticleReview::load(&self.session.project, open.index, &self.state.annotators));
            self.state.focus = None;
        }
        let Some(article) = &mut self.state.article else { return };
        if fresh || article.generation != open.generation {
            article.own = match_gold(&article.diffs, &mut article.groups, &open.annotation.spans);
            article.generation = open.generation;
        }
        if fresh {
            let first = article.order(false).into_iter().find(|&g| article.groups[g].decision == Decision::Open);
            if let Some(g) = first {
                self.focus_group(g, true);
            }
        }
    }

    /// Focuses group `g`; its accepted gold span gets the session's focus, so boundary keys and
    /// relabelling edit it.
    fn focus_group(&mut self, g: usize, scroll: bool) {
        let Some(article) = &self.state.article else { return };
        let (Some(group), Some(start)) = (article.groups.get(g), article.start_of(g)) else { return };
        let gold = self
            .session
            .open
            .as_ref()
            .and_then(|open| group.gold.iter().copied().find(|&id| open.annotation.span(id).is_some_and(|s| s.state == SpanState::Accepted)));
        self.state.focus = Some(g);
        self.session.focus(gold, false);
        if scroll && let Some(open) = &mut self.session.open {
            open.view.scroll_to_char(start);
        }
    }

    /// Records a choice for the focused group and moves on to the next open disagreement.
    fn decide(&mut self, choice: Choice) {
        let Some(g) = self.state.focus else {
            self.session.notify("nothing is focused: N goes to the next disagreement", false);
            return;
        };
        if let Choice::Annotator(i) = choice
            && i >= self.state.annotators.len()
        {
            return;
        }
        let (Some(article), Some(open)) = (&self.state.article, &mut self.session.open) else { return };
        let Some(group) = article.groups.get(g) else { return };
        let text = Arc::clone(&open.text);
        let decider = Decider { diffs: &article.diffs, annotators: &self.state.annotators, reviewer: &self.state.reviewer, text: &text };
        let (members, state) = decider.chosen(group, choice);
        let before: Vec<Span> = group.gold.iter().filter_map(|&id| open.annotation.span(id).cloned()).collect();
        // Deciding again what the gold file already says changes nothing (and records no step).
        let key = |s: &Span| (s.start, s.end, s.label.clone(), s.state == SpanState::Accepted);
        let mut wanted: Vec<_> = members.iter().map(|&m| key(&decider.gold_span(m, 0, state))).collect();
        let mut now: Vec<_> = before.iter().map(key).collect();
        wanted.sort();
        now.sort();
        let mut notice = None;
        if let Choice::Annotator(i) = choice
            && state == SpanState::Rejected
        {
            let name = &self.state.annotators[i];
            notice = Some(if article.missing.contains(&i) {
                format!("{name} has not annotated this article; taking their version rejects the group")
            } else {
                format!("{name} has nothing here; taking their version rejects the group")
            });
        }
        if wanted != now {
            let ids = open.annotation.alloc_ids(members.len());
            let adds: Vec<Span> = members.iter().zip(ids).map(|(&m, id)| decider.gold_span(m, id, state)).collect();
            let focus = adds.iter().find(|s| s.state == SpanState::Accepted).map(|s| s.id);
            let edits = before.into_iter().map(SpanEdit::Remove).chain(adds.into_iter().map(SpanEdit::Add)).collect();
            self.session.edit(SpanEdit::Batch(edits), focus);
        }
        if let Some(notice) = notice {
            self.session.notify(notice, false);
        }
        self.sync();
        self.advance_from(g);
    }

    /// Focuses the next open disagreement after group `g`, or stays on `g` when none is left.
    fn advance_from(&mut self, g: usize) {
        let Some(article) = &self.state.article else { return };
        let order = article.order(false);
        let at = order.iter().position(|&x| x == g).unwrap_or(order.len());
        let next = (1..=order.len()).map(|k| order[(at + k) % order.len()]).find(|&x| article.groups[x].decision == Decision::Open);
        match next {
            Some(next) => self.focus_group(next, true),
            None => {
                let agreed = article.groups.iter().filter(|x| x.kind == GroupKind::Agreed && x.decision == Decision::Open).count();
                self.focus_group(g, false);
                let rest = if agreed > 0 { format!("Ctrl+Shift+A accepts the {agreed} agreed span(s) left; ") } else { String::new() };
                self.session.notify(format!("every disagreement in this article is decided; {rest}Ctrl+Enter marks it reviewed"), false);
            }
        }
    }

    fn accept_agreed(&mut self) {
        let (Some(article), Some(open)) = (&self.state.article, &mut self.session.open) else { return };
        let agreed: Vec<usize> =
            article.groups.iter().filter(|g| g.kind == GroupKind::Agreed && g.decision == Decision::Open).flat_map(|g| g.members.iter().copied()).collect();
        if agreed.is_empty() {
            self.session.notify("no agreed span is left to accept", false);
            return;
        }
        let text = Arc::clone(&open.text);
        let decider = Decider { diffs: &article.diffs, annotators: &self.state.annotators, reviewer: &self.state.reviewer, text: &text };
        let ids = open.annotation.alloc_ids(agreed.len());
        let adds = agreed.iter().zip(ids).map(|(&m, id)| SpanEdit::Add(decider.gold_span(m, id, SpanState::Accepted))).collect();
        let focus = open.focused;
        self.session.edit(SpanEdit::Batch(adds), focus);
        self.session.notify(format!("accepted {} agreed span(s)", agreed.len()), false);
    }

    fn step(&mut self, delta: isize, disagreements: bool) {
        let Some(article) = &self.state.article else { return };
        let order = article.order(!disagreements);
        if order.is_empty() {
            let what = if disagreements { "disagreements" } else { "spans" };
            self.session.notify(format!("no {what} in this article"), false);
            return;
        }
        let len = order.len() as isize;
        let next = match self.state.focus.and_then(|g| order.iter().position(|&x| x == g)) {
            Some(p) => (p as isize + delta).rem_euclid(len),
            None if delta > 0 => 0,
            None => len - 1,
        };
        self.focus_group(order[next as usize], true);
    }

    fn mark_reviewed_and_next(&mut self) {
        let Some(open) = &self.session.open else { return };
        let (index, before, focus) = (open.index, open.annotation.status, open.focused);
        let left = self.state.article.as_ref().map_or(0, ArticleReview::open_disagreements);
        if before != DocStatus::Reviewed {
            self.session.edit(SpanEdit::SetStatus { before, after: DocStatus::Reviewed }, focus);
        }
        self.session.save_now();
        if left > 0 {
            self.session.notify(format!("marked reviewed with {left} disagreement(s) undecided"), true);
        }
        let articles = &self.session.articles;
        let count = articles.len();
        let next = (1..count).map(|k| (index + k) % count).find(|&i| {
            articles[i].status != DocStatus::Reviewed
                && articles[i].trouble.is_none()
                && has_disagreements(&self.session.project, &articles[i].rel, &self.state.annotators)
        });
        match next {
            Some(next) => self.session.open_article(next),
            None => self.session.notify("no other article with disagreements is left to review", false),
        }
        self.sync();
    }
}

/// The keys of review mode: the reviewer's commands first (more modifiers before fewer, so Alt+1
/// is not taken for 1), then those of annotate mode that still apply.
pub fn review_bindings(schema: &Schema, annotators: &[String]) -> Vec<Binding> {
    use ReviewCommand as R;
    let (none, ctrl, shift, alt) = (Modifiers::NONE, Modifiers::COMMAND, Modifiers::SHIFT, Modifiers::ALT);
    let r = Command::Review;
    let mut list = vec![
        bind("Review", "Accept every agreed span", ctrl | shift, Key::A, r(R::AcceptAgreed)),
        bind("Review", "Mark reviewed, open the next article with disagreements", ctrl, Key::Enter, r(R::MarkReviewedAndNext)),
        bind("Review", "Previous disagreement", shift, Key::N, r(R::Step { delta: -1, disagreements: true })),
        bind("Review", "Next disagreement", none, Key::N, r(R::Step { delta: 1, disagreements: true })),
        bind("Review", "Previous span", shift, Key::Tab, r(R::Step { delta: -1, disagreements: false })),
        bind("Review", "Next span", none, Key::Tab, r(R::Step { delta: 1, disagreements: false })),
        bind("Review", "Take the union (every annotator's spans)", none, Key::U, r(R::Union)),
        bind("Review", "Reject (nothing goes to gold)", none, Key::Delete, r(R::Reject)),
        bind("Review", "Reject (nothing goes to gold)", none, Key::Backspace, r(R::Reject)),
    ];
    for label in &schema.labels {
        if let Some(key) = label.hotkey.and_then(key_for_hotkey) {
            let title = format!("Relabel the focused gold span / label the selection as {}", label.name);
            list.push(bind("Review", &title, alt, key, Command::Label(label.name.clone())));
        }
    }
    for (i, name) in annotators.iter().enumerate().take(9) {
        let key = char::from_digit(i as u32 + 1, 10).and_then(key_for_hotkey);
        if let Some(key) = key {
            list.push(bind("Review", &format!("Take {name}'s version"), none, key, r(R::Take(i))));
        }
    }
    // Labels, proposals and entity keys are annotate mode's; here those keys decide.
    let kept = ["Articles", "Boundaries", "Edit", "View", "File"];
    list.extend(bindings(schema).into_iter().filter(|b| kept.contains(&b.group) && b.command != Command::MarkDoneAndNext));
    list
}

/// The annotators a reviewer can compare: every folder under annotations/ but gold.
pub fn candidates(project: &Project) -> Vec<String> {
    project.annotators().unwrap_or_default().into_iter().filter(|a| a != GOLD).collect()
}

/// A choice of annotators, in the order they were picked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Picker {
    /// Who can be picked.
    pub candidates: Vec<String>,
    /// Who is picked, in order.
    pub picked: Vec<String>,
}

impl Picker {
    /// A picker over the project's annotators with `picked` already chosen.
    pub fn new(project: &Project, picked: &[String]) -> Self {
        let candidates = candidates(project);
        let picked = picked.iter().filter(|p| candidates.contains(p)).cloned().collect();
        Picker { candidates, picked }
    }

    /// Picks or unpicks an annotator (unpicking keeps the others' order).
    pub fn toggle(&mut self, name: &str) {
        match self.picked.iter().position(|p| p == name) {
            Some(at) => {
                self.picked.remove(at);
            }
            None if self.candidates.iter().any(|c| c == name) => self.picked.push(name.to_owned()),
            None => {}
        }
    }

    /// Whether enough annotators are picked to compare.
    pub fn ready(&self) -> bool {
        self.picked.len() >= 2
    }
}

/// Agreement over the corpus and the files that could not be used for it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AgreementReport {
    /// The scores.
    pub agreement: CorpusAgreement,
    /// Files or articles left out, with why.
    pub skipped: Vec<String>,
}

/// Reads every picked annotator's accepted spans of every article and computes their agreement.
/// A file that does not load leaves its article out (reported), like `tawsim agree`.
pub fn compute_agreement(project: &Project, annotators: &[String]) -> AgreementReport {
    let mut docs = Vec::new();
    let mut skipped = Vec::new();
    'articles: for article in &project.articles {
        let mut spans = Vec::with_capacity(annotators.len());
        for annotator in annotators {
            let read = project.annotation_path(annotator, &article.rel).map_err(|e| e.to_string()).and_then(|p| read_annotation(&p).map_err(|e| e.to_string()));
            match read {
                Ok(file) => spans.push(file.map(|f| SpanFilter::default().select(&f))),
                Err(error) => {
                    skipped.push(error);
                    continue 'articles;
                }
            }
        }
        // κ tokenizes the text; an article fewer than two annotators have is not compared.
        let text = if spans.iter().flatten().count() >= 2 {
            match read_article(&article.path) {
                Ok(text) => text.text,
                Err(error) => {
                    skipped.push(error.to_string());
                    continue;
                }
            }
        } else {
            String::new()
        };
        docs.push(ArticleAnnotations { article: article.rel.clone(), text, spans });
    }
    AgreementReport { agreement: CorpusAgreement::compute(annotators, &docs), skipped }
}

/// Where the agreement view is.
pub enum AgreementState {
    /// Nothing computed yet.
    Idle,
    /// A background thread computes for these annotators.
    Computing(Vec<String>, Job<AgreementReport>),
    /// The numbers for these annotators.
    Ready(Vec<String>, AgreementReport),
}

/// The agreement window: whom to compare and the numbers.
pub struct AgreementView {
    /// The annotators to compare.
    pub picker: Picker,
    /// Computing or computed.
    pub state: AgreementState,
}

impl AgreementView {
    /// Computes off the UI thread (a thousand articles take a fraction of a second, enough to
    /// stutter a frame); `ctx` is asked to repaint when the numbers are there.
    pub fn compute(&mut self, project: &Project, ctx: &egui::Context) {
        let annotators = self.picker.picked.clone();
        let (owned, names) = (project.clone(), annotators.clone());
        let job = Job::start("tawsim-agreement", ctx, move || compute_agreement(&owned, &names));
        self.state = AgreementState::Computing(annotators, job);
    }

    /// Takes the background thread's result once it is there.
    pub fn poll(&mut self) {
        if let AgreementState::Computing(annotators, job) = &self.state {
            match job.poll() {
                Some(Ok(report)) => self.state = AgreementState::Ready(annotators.clone(), report),
                Some(Err(_)) => self.state = AgreementState::Idle,
                None => {}
            }
        }
    }
}

/// What the reviewer did in the annotator picker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PickerOutcome {
    /// Review the picked annotators.
    Start,
    /// Close it, changing nothing.
    Cancel,
    /// Close it and go back to annotating.
    Leave,
}

/// Review mode and its dialogs, as the window holds them.
#[derive(Default)]
pub struct ReviewUi {
    /// Review mode, while it is on.
    pub mode: Option<ReviewMode>,
    /// The annotator picker, while it is open.
    pub picker: Option<Picker>,
    /// The agreement window, while it is open.
    pub agreement: Option<AgreementView>,
}

impl ReviewUi {
    /// Whether a dialog owns the plain keys (digits and Enter pick annotators in the picker).
    pub fn owns_keys(&self) -> bool {
        self.picker.is_some()
    }
}

impl TawsimApp {
    /// Review mode, while it is on.
    pub fn review_mode(&self) -> Option<&ReviewMode> {
        self.review.mode.as_ref()
    }

    /// The agreement window's state, while it is open.
    pub fn agreement_view(&self) -> Option<&AgreementView> {
        self.review.agreement.as_ref()
    }

    /// The session commands go to: the gold session in review mode, else the annotator's.
    pub(super) fn active_session(&mut self) -> Option<&mut Session> {
        match &mut self.review.mode {
            Some(mode) => Some(&mut mode.session),
            None => self.session.as_mut(),
        }
    }

    /// Carries out a command in whichever mode is on.
    pub(super) fn apply_active(&mut self, command: Command) {
        match (&mut self.review.mode, &mut self.session) {
            (Some(mode), _) => mode.apply(command),
            (None, Some(session)) => session.apply(command),
            (None, None) => {}
        }
    }

    /// Opens the review dialogs, enters and leaves review mode, and hands the reviewer's other
    /// commands to it.
    pub(super) fn review_command(&mut self, ctx: &egui::Context, command: Command) {
        let reviewing = self.review.mode.as_ref().map(|m| m.state.annotators.clone()).unwrap_or_default();
        let project = self.review.mode.as_ref().map(|m| &m.session.project).or(self.session.as_ref().map(|s| &s.project));
        match command {
            Command::ReviewPicker => self.review.picker = project.map(|p| Picker::new(p, &reviewing)),
            Command::AgreementView => {
                if self.review.agreement.take().is_some() {
                    return;
                }
                let Some(project) = project else { return };
                let mut view = AgreementView { picker: Picker::new(project, &reviewing), state: AgreementState::Idle };
                if view.picker.ready() {
                    view.compute(project, ctx);
                }
                self.review.agreement = Some(view);
            }
            Command::Review(ReviewCommand::Start(annotators)) => self.start_review(annotators, None),
            Command::Review(ReviewCommand::OpenArticle { annotators, rel }) => self.start_review(annotators, Some(&rel)),
            Command::Review(ReviewCommand::Leave) => self.leave_review(),
            other => self.apply_active(other),
        }
    }

    /// Enters review mode (or changes whom it compares) at article `rel`, or where the annotator
    /// is, saving the annotator's work first.
    fn start_review(&mut self, annotators: Vec<String>, rel: Option<&str>) {
        self.review.picker = None;
        match &mut self.review.mode {
            Some(mode) => {
                mode.set_annotators(annotators);
                if let Some(index) = rel.and_then(|rel| mode.session.articles.iter().position(|a| a.rel == rel)) {
                    mode.apply(Command::OpenArticle(index));
                }
            }
            None => {
                let (Some(reviewer), Some(session)) = (self.annotator(), self.session.as_mut()) else { return };
                session.save_now();
                let here = rel.map(str::to_owned).or_else(|| session.open.as_ref().map(|o| session.articles[o.index].rel.clone()));
                let root = session.project.root.clone();
                match ReviewMode::open(&root, &reviewer, annotators, here.as_deref()) {
                    Ok(mode) => self.review.mode = Some(mode),
                    Err(error) => return self.error = Some(error.to_string()),
                }
            }
        }
        if let Some(mode) = &self.review.mode {
            self.bindings = review_bindings(&mode.session.project.config.schema, &mode.state.annotators);
        }
    }

    /// Back to annotating, with the gold file saved.
    pub(super) fn leave_review(&mut self) {
        if let Some(mut mode) = self.review.mode.take() {
            mode.session.save_now();
        }
        if let Some(session) = &self.session {
            self.bindings = bindings(&session.project.config.schema);
        }
    }

    /// Draws the picker and the agreement window; returns what the reviewer asked for there.
    pub(super) fn review_dialogs(&mut self, ctx: &egui::Context) -> Vec<Command> {
        let mut commands = Vec::new();
        let reviewing = self.review.mode.is_some();
        if let Some(picker) = &mut self.review.picker {
            let outcome = super::panels::review::picker_dialog(ctx, picker, reviewing);
            match outcome {
                Some(PickerOutcome::Start) => commands.push(Command::Review(ReviewCommand::Start(picker.picked.clone()))),
                Some(PickerOutcome::Leave) => commands.push(Command::Review(ReviewCommand::Leave)),
                Some(PickerOutcome::Cancel) | None => {}
            }
            if outcome.is_some() {
                self.review.picker = None;
            }
        }
        let project = self.review.mode.as_ref().map(|m| &m.session.project).or(self.session.as_ref().map(|s| &s.project));
        if let (Some(view), Some(project)) = (&mut self.review.agreement, project) {
            view.poll();
            let (mut open, mut compute) = (true, false);
            commands.extend(super::panels::review::agreement_window(ctx, view, &mut open, &mut compute));
            if compute && view.picker.ready() {
                view.compute(project, ctx);
            }
            if !open {
                self.review.agreement = None;
            }
        }
        commands
    }
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
        ArticleReview::from_sets(0, &[Some(amal), Some(badr)])
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
        assert_eq!(article.open_group_at(27), Some(2), "the shortest span containing the char");
        assert_eq!(article.open_group_at(5), None);
    }

    #[test]
    fn conflicts_chain_into_one_group() {
        // A overlaps B, B overlaps C, A and C do not touch: still one decision.
        let amal = vec![s(0, 6, "LOC"), s(10, 16, "LOC")];
        let badr = vec![s(4, 12, "LOC")];
        let article = ArticleReview::from_sets(0, &[Some(amal), Some(badr)]);
        assert_eq!(kinds(&article), [(GroupKind::Conflict, vec![0, 1, 2])]);
    }

    #[test]
    fn an_annotator_without_a_file_is_left_out_of_the_diff() {
        let sets = [Some(vec![s(0, 3, "LOC")]), None, Some(vec![s(0, 3, "LOC"), s(5, 8, "PERS")])];
        let article = ArticleReview::from_sets(0, &sets);
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
        let own = match_gold(&article.diffs, &mut article.groups, &spans);
        let decisions: Vec<Decision> = article.groups.iter().map(|g| g.decision).collect();
        assert_eq!(decisions, [Decision::Accepted, Decision::Open, Decision::Accepted, Decision::Rejected]);
        assert_eq!(article.groups[2].gold, [2]);
        assert_eq!(own, [4]);
        assert_eq!(article.group_of_gold(3), Some(3));
        assert_eq!(article.open_disagreements(), 1);
        assert_eq!(article.open_group_at(12), Some(1));
        // Matching again from scratch forgets what is no longer in the file (undo).
        let own = match_gold(&article.diffs, &mut article.groups, &spans[..1]);
        assert!(own.is_empty());
        assert_eq!(article.open_disagreements(), 3);
    }

    #[test]
    fn choices_take_an_annotators_spans_the_union_or_nothing() {
        let article = article();
        let annotators = names(&["amal", "badr"]);
        let text = "x".repeat(60);
        let decider = Decider { diffs: &article.diffs, annotators: &annotators, reviewer: "rev", text: &text };
        let label_conflict = &article.groups[1];
        assert_eq!(decider.chosen(label_conflict, Choice::Annotator(1)), (vec![1], SpanState::Accepted), "badr's ORG");
        assert_eq!(decider.chosen(label_conflict, Choice::Annotator(0)), (vec![2], SpanState::Accepted), "amal's PERS");
        assert_eq!(decider.chosen(label_conflict, Choice::Union), (vec![1, 2], SpanState::Accepted));
        assert_eq!(decider.chosen(label_conflict, Choice::Reject), (vec![1, 2], SpanState::Rejected), "kept as rejected");
        // badr has nothing where amal has MISC: taking badr's version rejects it.
        assert_eq!(decider.chosen(&article.groups[3], Choice::Annotator(1)), (vec![5], SpanState::Rejected));
        let span = decider.gold_span(0, 7, SpanState::Accepted);
        assert_eq!((span.id, span.range(), span.label.as_str(), span.text.as_str()), (7, 0..3, "LOC", "xxx"));
        assert_eq!(span.origin, Origin::Adjudicated { annotators: annotators.clone(), decided_by: "rev".into() });
    }

    #[test]
    fn initials_are_the_shortest_prefixes_that_tell_names_apart() {
        assert_eq!(initials(&names(&["amal", "badr"])), ["A", "B"]);
        assert_eq!(initials(&names(&["amal", "ahmad", "badr"])), ["AM", "AH", "BA"]);
        assert_eq!(initials(&names(&["ali", "alia"])), ["ALI", "ALIA"]);
        assert!(initials(&[]).is_empty());
    }

    #[test]
    fn review_keys_do_not_clash_and_modified_keys_come_first() {
        let schema = Schema::anercorp();
        let list = review_bindings(&schema, &names(&["amal", "badr", "chadi"]));
        for (i, a) in list.iter().enumerate() {
            for b in &list[i + 1..] {
                assert!(a.shortcut != b.shortcut, "{} and {} share {:?}", a.title, b.title, a.shortcut);
            }
        }
        let position = |c: &Command| list.iter().position(|b| &b.command == c).expect("bound");
        let take_first = Command::Review(ReviewCommand::Take(0));
        assert_eq!(list[position(&take_first)].shortcut.logical_key, Key::Num1);
        assert!(position(&Command::Label("PERS".into())) < position(&take_first), "Alt+1 before 1");
        assert!(list.iter().all(|b| !matches!(b.command, Command::AcceptFocused | Command::MarkDoneAndNext | Command::DeleteFocused)));
        assert!(list.iter().any(|b| b.command == Command::Undo) && list.iter().any(|b| b.command == Command::ReviewPicker));
    }

    #[test]
    fn the_picker_keeps_the_order_of_picking() {
        let mut picker = Picker { candidates: names(&["amal", "badr", "chadi"]), picked: Vec::new() };
        picker.toggle("chadi");
        picker.toggle("amal");
        picker.toggle("nobody");
        assert_eq!(picker.picked, ["chadi", "amal"]);
        assert!(picker.ready());
        picker.toggle("chadi");
        assert_eq!(picker.picked, ["amal"]);
        assert!(!picker.ready());
    }

    /// A project folder with one article and two annotators' files of it.
    fn project_with_two_annotators() -> (tempfile::TempDir, String) {
        let dir = tempfile::tempdir().expect("temp dir");
        let text = "قال الرئيس في دمشق إن موسكو وطهران";
        std::fs::create_dir_all(dir.path().join("corpus")).expect("corpus");
        std::fs::write(dir.path().join("corpus/a.txt"), text).expect("article");
        std::fs::write(dir.path().join("tawsim.ron"), "(name: \"t\", proposers: (builtin_rules: false, memory: false))\n").expect("config");
        let project = Project::open(dir.path()).expect("project");
        let sha = crate::store::sha256_hex(text);
        let piece = |start: usize, end: usize| text.chars().skip(start).take(end - start).collect::<String>();
        for (annotator, spans) in [("amal", vec![(14, 18, "LOC"), (22, 27, "LOC")]), ("badr", vec![(14, 18, "LOC"), (22, 27, "ORG"), (29, 34, "LOC")])] {
            let mut file = crate::model::AnnotationFile::new("corpus/a.txt", &sha, annotator);
            for (id, (start, end, label)) in spans.into_iter().enumerate() {
                file.spans.push(Span::manual(id as u64 + 1, start..end, label, &piece(start, end)));
            }
            project.save_document("a.txt", annotator, &file).expect("saved");
        }
        (dir, text.to_owned())
    }

    #[test]
    fn decisions_edit_the_gold_file_and_undo_like_any_edit() {
        let (dir, _) = project_with_two_annotators();
        let mut mode = ReviewMode::open(dir.path(), "rev", names(&["amal", "badr"]), None).expect("review mode");
        let gold = |mode: &ReviewMode| mode.session.open.as_ref().expect("open").annotation.spans.clone();
        let article = mode.state.article.clone().expect("article reviewed");
        // The label conflict over موسكو is focused first; then the span only badr has.
        assert_eq!(mode.state.focus, Some(1));
        assert_eq!(article.order(false), [1, 2]);
        mode.apply(Command::Review(ReviewCommand::Reject));
        let spans = gold(&mode);
        assert_eq!(spans.len(), 2, "both readings kept as rejected: {spans:?}");
        assert!(spans.iter().all(|s| s.state == SpanState::Rejected));
        assert_eq!(mode.state.focus, Some(2), "on to the next disagreement");
        // Changing one's mind replaces the rejection.
        mode.apply(Command::Review(ReviewCommand::Focus(1)));
        mode.apply(Command::Review(ReviewCommand::Take(0)));
        let spans = gold(&mode);
        assert_eq!(spans.len(), 1);
        assert_eq!((spans[0].label.as_str(), spans[0].state), ("LOC", SpanState::Accepted));
        assert_eq!(spans[0].origin, Origin::Adjudicated { annotators: names(&["amal"]), decided_by: "rev".into() });
        // Accepted spans are edited with the ordinary tools: focus it, relabel with its label key.
        mode.apply(Command::Review(ReviewCommand::Focus(1)));
        mode.apply(Command::Label("MISC".into()));
        assert_eq!(gold(&mode)[0].label, "MISC");
        assert_eq!(mode.state.article.as_ref().map(|a| a.groups[1].decision), Some(Decision::Accepted), "still decides its group");
        mode.apply(Command::Undo);
        mode.apply(Command::Undo);
        assert_eq!(gold(&mode).len(), 2, "back to the rejection");
        mode.apply(Command::Undo);
        assert!(gold(&mode).is_empty());
        assert_eq!(mode.state.article.as_ref().map(ArticleReview::open_disagreements), Some(2));
        mode.apply(Command::Redo);
        assert_eq!(gold(&mode).len(), 2);
        mode.session.save_now();
        let on_disk = std::fs::read_to_string(dir.path().join("annotations/gold/a.txt.ron")).expect("gold saved");
        assert!(
            on_disk.contains("Adjudicated(annotators: [\"amal\"], decided_by: \"rev\")")
                || on_disk.contains("Adjudicated(annotators: [\"badr\"], decided_by: \"rev\")"),
            "{on_disk}"
        );
    }

    #[test]
    fn the_next_article_to_review_is_one_with_disagreements() {
        let (dir, text) = project_with_two_annotators();
        let project = Project::open(dir.path()).expect("project");
        let annotators = names(&["amal", "badr"]);
        assert!(has_disagreements(&project, "a.txt", &annotators));
        assert!(!has_disagreements(&project, "a.txt", &names(&["amal", "nobody"])), "one file is nothing to compare");
        // badr agrees with amal now.
        let amal = project.open_document("a.txt", "amal").expect("amal");
        let mut badr = amal.annotation.clone();
        badr.annotator = "badr".into();
        project.save_document("a.txt", "badr", &badr).expect("saved");
        assert!(!has_disagreements(&project, "a.txt", &annotators));
        let report = compute_agreement(&project, &annotators);
        assert_eq!(report.agreement.mean_micro_f1(), Some(1.0));
        assert!(report.skipped.is_empty());
        assert!(!text.is_empty());
    }
}
