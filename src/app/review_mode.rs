//! Review mode: a reviewer compares two or more annotators' spans of an article and decides the
//! gold version, `annotations/gold/<article>.ron`.
//!
//! The mode runs its own [`Session`] on the gold files, opened without proposers, so saving, undo,
//! boundary moves and relabelling are the annotation session's own. The decisions themselves
//! (groups, matching gold, choices, accepting agreed spans) are [`crate::review::adjudicate`]'s,
//! shared with `tawsim adjudicate`; this module keeps the review of the open article in step with
//! the gold session and the reviewer's focus. Annotators' files are only read, never written.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};

use super::commands::{EditCommand, ReviewCommand};
use super::session::{Hint, Session};
use crate::dataset::{has_disagreements, load_article_sets};
use crate::model::{DocStatus, SpanEdit, SpanState};
use crate::review::{ArticleReview, Choice, Reviewers, initials};
use crate::store::{Project, ProjectError};

/// The review of the open article and where it came from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReviewedArticle {
    /// Index of the article in the documents list.
    pub index: usize,
    /// The diff, groups and decisions.
    pub review: ArticleReview,
    /// Annotation files that could not be read, naming file and place.
    pub problems: Vec<String>,
    /// The gold file's generation the decisions were read from.
    generation: u64,
}

impl ReviewedArticle {
    /// Reads the picked annotators' files of article `index` and diffs their accepted spans. A
    /// file that does not load is reported as such, not as work not done.
    fn load(project: &Project, index: usize, annotators: &[String]) -> Self {
        let Some(article) = project.articles.get(index) else { return Self::default() };
        let sets = load_article_sets(project, &article.rel, annotators);
        let mut review = ArticleReview::from_sets(&sets.sets);
        review.missing.retain(|i| !sets.broken.contains(i));
        ReviewedArticle { index, review, problems: sets.problems, generation: 0 }
    }
}

/// Review mode's state besides its session: who reviews, whom they compare, the open article's
/// review and the focused group.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReviewState {
    /// The reviewer, recorded as `decided_by`.
    pub reviewer: String,
    /// The picked annotators, in the order picked (key 1 takes the first one's version).
    pub annotators: Vec<String>,
    /// Their tags in the text.
    pub initials: Vec<String>,
    /// The open article's review.
    pub article: Option<ReviewedArticle>,
    /// The focused group.
    pub focus: Option<usize>,
    /// The focus moved on by itself after a decision: the next N stays on it instead of skipping
    /// it.
    pub advanced: bool,
}

impl ReviewState {
    /// The open article's review.
    pub fn review(&self) -> Option<&ArticleReview> {
        self.article.as_ref().map(|a| &a.review)
    }
}

/// Review mode: the gold session and the review of its open article.
pub struct ReviewMode {
    /// The session on the gold files; its edits are the decisions.
    pub session: Session,
    /// The diff and focus.
    pub state: ReviewState,
    /// A background search for the next article with disagreements (after Ctrl+Enter).
    next_article: Option<Receiver<Option<usize>>>,
}

impl ReviewMode {
    /// Opens the project's gold files at `start_at` (or the first article) for `reviewer`,
    /// comparing `annotators`.
    pub fn open(root: &std::path::Path, reviewer: &str, annotators: Vec<String>, start_at: Option<&str>) -> Result<Self, ProjectError> {
        let session = Session::open_gold(root, start_at)?;
        let mut mode = ReviewMode { session, state: ReviewState { reviewer: reviewer.to_owned(), ..ReviewState::default() }, next_article: None };
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

    /// Opens an article of the documents list by its corpus-relative path.
    pub fn open_rel(&mut self, rel: &str) {
        if let Some(index) = self.session.articles.iter().position(|a| a.rel == rel) {
            self.apply_edit(EditCommand::OpenArticle(index));
        }
    }

    /// Carries out an edit command with the gold session: a gold span that decides a group
    /// focuses the group, wherever it was clicked; one the reviewer drew is focused alone.
    pub fn apply_edit(&mut self, command: EditCommand) {
        match command {
            EditCommand::SelectEntity(id) | EditCommand::FocusEntity(id) => match self.state.review().and_then(|a| a.group_of_gold(id)) {
                Some(g) => self.focus_group(g, matches!(command, EditCommand::FocusEntity(_))),
                None => {
                    self.state.focus = None;
                    self.session.apply(command);
                }
            },
            EditCommand::OpenAt(place) => {
                match self.session.articles.iter().position(|a| a.rel == place.rel) {
                    Some(index) if self.session.current_index() != Some(index) => self.session.open_article(index),
                    Some(_) => {}
                    None => return self.session.open_at(&place),
                }
                // A newly opened article focuses its first disagreement; the place asked for is
                // what the reviewer wants to see.
                self.sync();
                self.session.show_place(&place);
                return;
            }
            other => self.session.apply(other),
        }
        self.sync();
    }

    /// Carries out a reviewer's command.
    pub fn apply_review(&mut self, command: ReviewCommand) {
        use ReviewCommand as R;
        let advanced = std::mem::take(&mut self.state.advanced);
        match command {
            // After a decision the focus already moved to the next open disagreement: N shows it
            // rather than passing it by.
            R::Step { delta: 1, disagreements: true } if advanced && self.focused_is_open() => {
                if let Some(g) = self.state.focus {
                    self.focus_group(g, true);
                }
            }
            R::Take(i) => self.decide(Choice::Annotator(i)),
            R::Union => self.decide(Choice::Union),
            R::Reject => self.decide(Choice::Reject),
            R::AcceptAgreed => self.accept_agreed(),
            R::Step { delta, disagreements } => self.step(delta, disagreements),
            R::Focus(g) => self.focus_group(g, true),
            R::MarkReviewedAndNext => self.mark_reviewed_and_next(),
        }
        self.sync();
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
            self.state.article = Some(ReviewedArticle::load(&self.session.project, open.index, &self.state.annotators));
            self.state.focus = None;
        }
        let Some(article) = &mut self.state.article else { return };
        if fresh || article.generation != open.generation {
            article.review.match_gold(&open.annotation.spans);
            article.generation = open.generation;
        }
        if fresh && let Some(g) = article.review.first_open() {
            self.focus_group(g, true);
        }
    }

    /// Focuses group `g`; its accepted gold span gets the session's focus, so boundary keys and
    /// relabelling edit it.
    fn focus_group(&mut self, g: usize, reveal: bool) {
        let Some(review) = self.state.review() else { return };
        let (Some(group), Some(start)) = (review.groups.get(g), review.start_of(g)) else { return };
        let gold =
            self.session.open.as_ref().and_then(|open| group.gold.iter().copied().find(|&id| open.span(id).is_some_and(|s| s.state == SpanState::Accepted)));
        self.state.focus = Some(g);
        self.session.focus(gold, false);
        if reveal {
            self.session.reveal(start);
        }
    }

    /// Records a choice for the focused group and moves on to the next open disagreement.
    fn decide(&mut self, choice: Choice) {
        let Some(g) = self.state.focus else {
            let hint = Hint { command: ReviewCommand::Step { delta: 1, disagreements: true }.into(), what: "goes to the next disagreement".to_owned() };
            self.session.notify_with("nothing is focused", false, vec![hint]);
            return;
        };
        let (Some(article), Some(open)) = (&self.state.article, &mut self.session.open) else { return };
        let text = Arc::clone(&open.text);
        let who = Reviewers { annotators: &self.state.annotators, reviewer: &self.state.reviewer };
        let Some(decided) = article.review.decide(g, choice, std::sync::Arc::make_mut(&mut open.annotation), who, &text) else { return };
        let notice = match choice {
            Choice::Annotator(i) if decided.rejected_by_taking => {
                let name = &self.state.annotators[i];
                Some(if article.review.missing.contains(&i) {
                    format!("{name} has not annotated this article; taking their version rejects the group")
                } else {
                    format!("{name} has nothing here; taking their version rejects the group")
                })
            }
            _ => None,
        };
        if let Some(edit) = decided.edit {
            self.session.edit(edit, decided.focus);
        }
        if let Some(notice) = notice {
            self.session.notify(notice, false);
        }
        self.sync();
        self.advance_from(g);
    }

    /// Whether the focused group is still to be decided.
    fn focused_is_open(&self) -> bool {
        let group = self.state.focus.and_then(|g| self.state.review()?.groups.get(g));
        group.is_some_and(|g| g.decision == crate::review::Decision::Open)
    }

    /// Focuses the next open disagreement after group `g`, or stays on `g` when none is left.
    fn advance_from(&mut self, g: usize) {
        let Some(review) = self.state.review() else { return };
        match review.next_open_after(g) {
            Some(next) => {
                self.focus_group(next, true);
                self.state.advanced = true;
            }
            None => {
                let agreed = review.open_agreed();
                self.focus_group(g, false);
                let mut hints = Vec::new();
                if agreed > 0 {
                    hints.push(Hint { command: ReviewCommand::AcceptAgreed.into(), what: format!("accepts the {agreed} agreed span(s) left") });
                }
                hints.push(Hint { command: ReviewCommand::MarkReviewedAndNext.into(), what: "marks it reviewed".to_owned() });
                self.session.notify_with("every disagreement in this article is decided", false, hints);
            }
        }
    }

    fn accept_agreed(&mut self) {
        let (Some(article), Some(open)) = (&self.state.article, &mut self.session.open) else { return };
        let text = Arc::clone(&open.text);
        let who = Reviewers { annotators: &self.state.annotators, reviewer: &self.state.reviewer };
        let focus = open.focused;
        match article.review.accept_agreed(std::sync::Arc::make_mut(&mut open.annotation), who, &text) {
            Some((count, edit)) => {
                self.session.edit(edit, focus);
                self.session.notify(format!("accepted {count} agreed span(s)"), false);
            }
            None => self.session.notify("no agreed span is left to accept", false),
        }
    }

    fn step(&mut self, delta: isize, disagreements: bool) {
        let Some(review) = self.state.review() else { return };
        let order = review.order(!disagreements);
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

    /// Marks the article reviewed and looks for the next one with disagreements on a thread of
    /// its own (it reads every following article's files); [`Self::poll`] opens it when found.
    fn mark_reviewed_and_next(&mut self) {
        let Some(open) = &self.session.open else { return };
        let (index, before, focus) = (open.index, open.annotation.status, open.focused);
        let left = self.state.review().map_or(0, ArticleReview::open_disagreements);
        if before != DocStatus::Reviewed {
            self.session.edit(SpanEdit::SetStatus { before, after: DocStatus::Reviewed }, focus);
        }
        self.session.save_now();
        if left > 0 {
            self.session.notify(format!("marked reviewed with {left} disagreement(s) undecided"), true);
        }
        let count = self.session.articles.len();
        let candidates: Vec<(usize, String)> = (1..count)
            .map(|k| (index + k) % count)
            .filter(|&i| self.session.articles[i].status != DocStatus::Reviewed && self.session.articles[i].trouble.is_none())
            .map(|i| (i, self.session.articles[i].rel.clone()))
            .collect();
        let (project, annotators) = (self.session.project.clone(), self.state.annotators.clone());
        let (found, receiver) = std::sync::mpsc::channel();
        let search = move || {
            let next = candidates.into_iter().find(|(_, rel)| has_disagreements(&project, rel, &annotators)).map(|(i, _)| i);
            let _ = found.send(next);
        };
        if let Err(error) = std::thread::Builder::new().name("tawsim-next-review".to_owned()).spawn(search) {
            self.session.notify(format!("cannot look for the next article: {error}"), true);
            return;
        }
        self.next_article = Some(receiver);
    }

    /// Whether the next article to review is still being looked for.
    pub fn is_searching(&self) -> bool {
        self.next_article.is_some()
    }

    /// Opens the next article with disagreements once the search found it. Call once a frame.
    pub fn poll(&mut self) {
        let Some(receiver) = &self.next_article else { return };
        let found = match receiver.try_recv() {
            Ok(found) => found,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => {
                self.next_article = None;
                self.session.notify("the search for the next article stopped unexpectedly", true);
                return;
            }
        };
        self.next_article = None;
        match found {
            Some(next) => self.session.open_article(next),
            None => self.session.notify("no other article with disagreements is left to review", false),
        }
        self.sync();
    }
}

/// The annotators a reviewer can compare: every folder under annotations/ but gold.
pub fn candidates(project: &Project) -> Vec<String> {
    project.annotators().unwrap_or_default().into_iter().filter(|a| a != crate::store::GOLD).collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, Span};

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|n| (*n).to_owned()).collect()
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
    fn project_with_two_annotators() -> tempfile::TempDir {
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
        dir
    }

    #[test]
    fn decisions_edit_the_gold_file_and_undo_like_any_edit() {
        let dir = project_with_two_annotators();
        let mut mode = ReviewMode::open(dir.path(), "rev", names(&["amal", "badr"]), None).expect("review mode");
        let gold = |mode: &ReviewMode| mode.session.open.as_ref().expect("open").annotation.spans.clone();
        let review = mode.state.review().cloned().expect("article reviewed");
        // The label conflict over موسكو is focused first; then the span only badr has.
        assert_eq!(mode.state.focus, Some(1));
        assert_eq!(review.order(false), [1, 2]);
        mode.apply_review(ReviewCommand::Reject);
        let spans = gold(&mode);
        assert_eq!(spans.len(), 2, "both readings kept as rejected: {spans:?}");
        assert!(spans.iter().all(|s| s.state == SpanState::Rejected));
        assert_eq!(mode.state.focus, Some(2), "on to the next disagreement");
        // N right after that shows the group the focus moved to instead of passing it by.
        mode.apply_review(ReviewCommand::Step { delta: 1, disagreements: true });
        assert_eq!(mode.state.focus, Some(2));
        mode.apply_review(ReviewCommand::Step { delta: 1, disagreements: true });
        assert_eq!(mode.state.focus, Some(1), "and the next N moves on");
        // Changing one's mind replaces the rejection.
        mode.apply_review(ReviewCommand::Focus(1));
        mode.apply_review(ReviewCommand::Take(0));
        let spans = gold(&mode);
        assert_eq!(spans.len(), 1);
        assert_eq!((spans[0].label.as_str(), spans[0].state), ("LOC", SpanState::Accepted));
        assert_eq!(spans[0].origin, Origin::Adjudicated { annotators: names(&["amal"]), decided_by: "rev".into() });
        // Accepted spans are edited with the ordinary tools: focus it, relabel it.
        mode.apply_review(ReviewCommand::Focus(1));
        mode.apply_edit(EditCommand::RelabelFocused("MISC".into()));
        assert_eq!(gold(&mode)[0].label, "MISC");
        assert_eq!(mode.state.review().map(|a| a.groups[1].decision), Some(crate::review::Decision::Accepted), "still decides its group");
        mode.apply_edit(EditCommand::Undo);
        mode.apply_edit(EditCommand::Undo);
        assert_eq!(gold(&mode).len(), 2, "back to the rejection");
        mode.apply_edit(EditCommand::Undo);
        assert!(gold(&mode).is_empty());
        assert_eq!(mode.state.review().map(ArticleReview::open_disagreements), Some(2));
        mode.apply_edit(EditCommand::Redo);
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
        let dir = project_with_two_annotators();
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
        let report = crate::app::agreement::compute_agreement(&project, &annotators);
        assert_eq!(report.agreement.mean_micro_f1(), Some(1.0));
        assert!(report.skipped.is_empty() && report.stale == 0);
    }
}
