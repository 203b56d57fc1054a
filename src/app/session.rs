//! The annotator's session: the project, the open article, its annotation, undo history and
//! saving. [`Session::apply`] carries out [`EditCommand`]s and is the one place annotations change.
//!
//! The session knows nothing of the screen: commands come in logical positions (a span's start or
//! end, forward or backward in the text), and what the view should do in answer (bring a
//! character into sight, drop the selection) goes out as [`ViewEvent`]s. So everything here runs
//! and is tested without a window.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use super::commands::{Command, EditCommand, Scope, SpanEnd, Step};
use super::history::{ArticleEdit, History, HistoryEntry};
use super::learning::{Learner, Learnt};
use super::saver::{SaveReport, SaveRequest, Saver};
use super::watch::{ProjectWatcher, canonical};
use crate::model::{AnnotationFile, DocStatus, Origin, Span, SpanEdit, SpanState, char_slice, partition_point_near};
use crate::preannotate::ProjectProposers;
use crate::propose::gazetteer::normalize_form;
use crate::propose::{Decision, KnownSpans, Proposers, WordStarts, labelled_count, occurrence_edits, occurrence_edits_indexed};
use crate::store::{
    AnnotatorLock, ArticleError, ArticleText, BreakLock, Fingerprint, LockError, OpenDocument, OpenError, Problem, Project, ProjectError, load_annotation,
    read_annotation,
};

/// How long after the first unsaved edit the annotation file is written (well within the promised
/// second), however busy the annotator keeps editing meanwhile.
pub const SAVE_DELAY: Duration = Duration::from_millis(300);

/// One article in the documents list.
#[derive(Clone, Debug, PartialEq)]
pub struct ArticleEntry {
    /// Path relative to the corpus folder.
    pub rel: String,
    /// Status of this annotator's annotation.
    pub status: DocStatus,
    /// Accepted entities.
    pub entities: usize,
    /// Why the article or its annotation cannot be used as it is.
    pub trouble: Option<String>,
    /// The article is not UTF-8 but decodes as this encoding, which the user may accept.
    pub decodable: Option<&'static str>,
}

/// The article being annotated.
pub struct OpenArticle {
    /// Index in the documents list.
    pub index: usize,
    /// The article text.
    pub text: Arc<str>,
    /// This annotator's annotation of it. Shared with the saver while a save takes its copy
    /// (on the saver's thread: a megabyte's spans take milliseconds to copy), and copied here on
    /// write only if an edit comes before it has.
    pub annotation: Arc<AnnotationFile>,
    /// What the checks found when it was opened.
    pub problems: Vec<Problem>,
    /// The entity with keyboard focus.
    pub focused: Option<u64>,
    /// Why edits are refused (the annotation file on disk is broken), if they are.
    pub read_only: Option<String>,
    /// Bumped on every change, so views can cache what they derive from the annotation.
    pub generation: u64,
    /// This opening's serial number, unique in the process: with `generation`, it tells views
    /// whether what they cached is still this version of this article.
    pub opened: u64,
    paragraphs: Paragraphs,
    path: PathBuf,
    /// `path` as the project watcher reports it.
    watched_path: PathBuf,
    /// The annotation as last read from or written to disk: what this session's edits start from.
    synced: Arc<AnnotationFile>,
    /// The fingerprint of that version on disk (`None`: no file yet).
    base: Option<Fingerprint>,
    changed_at: Option<Instant>,
    /// The words of the text indexed for finding a name's other occurrences, made on a thread of
    /// its own when the article opens (a megabyte takes tens of milliseconds) and used once there.
    words: Arc<OnceLock<WordStarts>>,
    /// The edits that made the last few generations, for views to patch what they derived.
    journal: Journal,
    /// Each span id's (start, end): with the spans sorted, where a span is without a pass over
    /// all of them. Kept with every edit; a lookup checks what it finds.
    keys: HashMap<u64, (usize, usize)>,
    /// What the proposers and the documents list need to know of the spans, kept with every edit.
    known: KnownSpans,
}

/// Where each span id is, for [`OpenArticle::keys`].
fn span_keys(file: &AnnotationFile) -> HashMap<u64, (usize, usize)> {
    file.spans.iter().map(|s| (s.id, (s.start, s.end))).collect()
}

/// The edits behind recent generations of an open article. A view that derived something from
/// 75,000 spans redoes it for the few spans a decision changed, not for all of them.
#[derive(Default)]
struct Journal {
    /// Edits applied since the last generation (`None`: too many to keep, or the annotation was
    /// replaced as a whole).
    pending: Option<Vec<SpanEdit>>,
    /// The edits that made each recent generation from the one before, oldest first.
    made: std::collections::VecDeque<(u64, Vec<SpanEdit>)>,
    /// Span edits held in `made` (bounded, like the number of generations).
    held: usize,
}

/// The most span edits the journal holds; a bigger change is derived afresh anyway.
const JOURNAL_EDITS: usize = 4096;
/// The most generations the journal holds.
const JOURNAL_GENERATIONS: usize = 32;

impl Journal {
    fn record(&mut self, edit: &SpanEdit) {
        let size = edit.len();
        if let Some(pending) = &mut self.pending {
            if pending.iter().map(SpanEdit::len).sum::<usize>() + size > JOURNAL_EDITS {
                self.pending = None;
            } else {
                pending.push(edit.clone());
            }
        }
    }

    /// Closes generation `generation`: the edits since the last one made it.
    fn close(&mut self, generation: u64) {
        match self.pending.replace(Vec::new()) {
            Some(edits) => {
                self.held += edits.iter().map(SpanEdit::len).sum::<usize>();
                self.made.push_back((generation, edits));
                while self.made.len() > JOURNAL_GENERATIONS || self.held > JOURNAL_EDITS {
                    let Some((_, dropped)) = self.made.pop_front() else { break };
                    self.held -= dropped.iter().map(SpanEdit::len).sum::<usize>();
                }
            }
            // A gap: nothing before this generation can be patched forward.
            None => {
                self.made.clear();
                self.held = 0;
            }
        }
    }
}

/// Articles opened so far in this process, for [`OpenArticle::opened`].
static OPENINGS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl OpenArticle {
    /// Which version of which opening this is: equal versions hold the same spans.
    pub fn version(&self) -> (u64, u64, usize) {
        (self.opened, self.generation, self.annotation.spans.len())
    }

    /// Applies an edit to the annotation, noting it for the views.
    pub(crate) fn apply(&mut self, edit: &SpanEdit) -> Result<(), crate::model::EditError> {
        Arc::make_mut(&mut self.annotation).apply(edit)?;
        self.journal.record(edit);
        let changes = crate::model::net_span_changes([edit]);
        self.known.take_changes(&changes);
        debug_assert!(self.known.agrees_with(&self.annotation), "the span facts went wrong after {edit:?}");
        for change in changes {
            match (change.before, change.after) {
                (_, Some(after)) => self.keys.insert(after.id, (after.start, after.end)),
                (Some(before), None) => self.keys.remove(&before.id),
                (None, None) => None,
            };
        }
        Ok(())
    }

    /// Takes a whole new annotation (a merge with another writer's): views derive afresh.
    fn replace_annotation(&mut self, annotation: AnnotationFile) {
        self.keys = span_keys(&annotation);
        self.known = KnownSpans::of(&annotation);
        self.annotation = Arc::new(annotation);
        self.journal.pending = None;
    }

    /// Where the span with id `id` is in the span list.
    pub fn position_of_id(&self, id: u64) -> Option<usize> {
        let spans = &self.annotation.spans;
        if let Some(&(start, end)) = self.keys.get(&id) {
            let at = partition_point_near(spans, start, |s| (s.start, s.end, s.id) < (start, end, id));
            if spans.get(at).is_some_and(|s| s.id == id) {
                return Some(at);
            }
        }
        // A file whose order or ids were broken by hand: look at every span.
        spans.iter().position(|s| s.id == id)
    }

    /// The span with id `id`.
    pub fn span(&self, id: u64) -> Option<&Span> {
        self.position_of_id(id).map(|at| &self.annotation.spans[at])
    }

    /// Where the focused span is in the span list.
    pub fn focused_index(&self) -> Option<usize> {
        self.focused.and_then(|id| self.position_of_id(id))
    }

    /// Starts a new generation after changes, so views know to update.
    fn bump(&mut self) {
        self.generation += 1;
        self.journal.close(self.generation);
    }

    /// The edits that made this version from generation `generation` of the same opening, in
    /// order; `None` when they are no longer known (too long ago, or too big) and whatever was
    /// derived from that generation has to be derived afresh.
    pub fn edits_since(&self, generation: u64) -> Option<impl Iterator<Item = &SpanEdit>> {
        let made = &self.journal.made;
        let first = if generation == self.generation { made.len() } else { made.iter().position(|(g, _)| *g == generation + 1)? };
        // Generations are closed one at a time, so the ones after `first` follow without a gap.
        Some(made.range(first..).flat_map(|(_, edits): &(u64, Vec<SpanEdit>)| edits.iter()))
    }

    /// Spans that are shown and navigated (accepted or pending), in reading order.
    pub fn visible_spans(&self) -> impl Iterator<Item = &Span> {
        self.annotation.spans.iter().filter(|s| s.state != SpanState::Rejected)
    }

    /// The focused span, if any.
    pub fn focused_span(&self) -> Option<&Span> {
        self.focused.and_then(|id| self.span(id))
    }

    /// How many proposals await a decision.
    pub fn pending_count(&self) -> usize {
        self.known.pending
    }

    /// How many spans are accepted.
    pub fn accepted_count(&self) -> usize {
        self.known.accepted
    }

    /// The spans that contain char `c`, found near it: none is longer than the longest span.
    pub fn spans_at(&self, c: usize) -> impl Iterator<Item = &Span> {
        let spans = &self.annotation.spans;
        let from = partition_point_near(spans, c.saturating_sub(self.known.longest), |s| s.start + self.known.longest <= c);
        spans[from..].iter().take_while(move |s| s.start <= c).filter(move |s| c < s.end)
    }

    /// Proposals awaiting a decision, in reading order.
    pub fn pending_spans(&self) -> impl Iterator<Item = &Span> {
        self.annotation.spans.iter().filter(|s| s.state == SpanState::Pending)
    }

    /// Whether the annotation has changes not yet handed to the saver.
    pub fn is_dirty(&self) -> bool {
        self.changed_at.is_some()
    }

    /// The text's length in characters.
    pub fn len_chars(&self) -> usize {
        self.paragraphs.len_chars
    }

    /// Edits labelling `span`'s other occurrences in this article (see [`occurrence_edits`]).
    fn occurrence_edits(&self, span: &Span) -> Vec<SpanEdit> {
        match self.words.get() {
            Some(words) => occurrence_edits_indexed(words, &self.text, span, &self.annotation, &self.known),
            None => occurrence_edits(&self.text, span, &self.annotation, &self.known),
        }
    }

    /// What the saver needs to write the annotation without losing another writer's changes.
    fn save_request(&self) -> SaveRequest {
        SaveRequest { path: self.path.clone(), snapshot: Arc::clone(&self.annotation), synced: Arc::clone(&self.synced), base: self.base }
    }
}

/// Where each paragraph (line) of a text starts, so a word step looks at one paragraph and costs
/// the same in a megabyte-long article as in a short one.
struct Paragraphs {
    /// (char offset, byte offset) of each paragraph's first character.
    starts: Vec<(usize, usize)>,
    len_chars: usize,
}

impl Paragraphs {
    fn new(text: &str) -> Self {
        let mut starts = vec![(0, 0)];
        let mut len_chars = 0;
        for (byte, c) in text.char_indices() {
            len_chars += 1;
            if c == '\n' {
                starts.push((len_chars, byte + 1));
            }
        }
        Paragraphs { starts, len_chars }
    }

    /// The paragraph holding char `at`: its first char and its bytes (without the line break).
    fn around<'t>(&self, text: &'t str, at: usize) -> (usize, &'t str) {
        let index = self.starts.partition_point(|&(c, _)| c <= at).saturating_sub(1);
        let (char_start, byte_start) = self.starts[index];
        let byte_end = self.starts.get(index + 1).map_or(text.len(), |&(_, b)| b - 1);
        (char_start, text[byte_start..byte_end].trim_end_matches('\r'))
    }
}

/// What the view should do after a command, the session having no view of its own.
#[derive(Clone, Debug, PartialEq)]
pub enum ViewEvent {
    /// Bring this character into sight, and flash this entity so the eye finds it.
    Reveal {
        /// The character.
        char: usize,
        /// The entity to flash, if any.
        flash: Option<u64>,
    },
    /// The selection was labelled, or an entity took the focus: drop it.
    ClearSelection,
    /// Select these characters (a place shown from a corpus window).
    Select(Range<usize>),
}

/// A command worth knowing about, offered next to a message (its key comes from the keymap).
#[derive(Clone, Debug, PartialEq)]
pub struct Hint {
    /// The command.
    pub command: Command,
    /// What it would do, said after its key: "accepts the 3 agreed spans left".
    pub what: String,
}

/// A message for the status bar or a dialog.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    /// What happened.
    pub text: String,
    /// Whether it is an error.
    pub error: bool,
    /// What the user may want to do next, with its key.
    pub hints: Vec<Hint>,
    /// When it was said (the status bar lets it go after a while).
    pub at: Instant,
}

/// The whole editing session.
pub struct Session {
    /// The project folder.
    pub project: Project,
    /// Whose annotations are edited.
    pub annotator: String,
    /// The documents list.
    pub articles: Vec<ArticleEntry>,
    /// The open article.
    pub open: Option<OpenArticle>,
    /// Undo and redo.
    pub history: History,
    /// Messages for the user, newest last.
    pub notices: Vec<Notice>,
    /// The article selected in the list when it could not be opened.
    pub unreadable_selected: Option<usize>,
    /// The project's proposers and the annotator's memory.
    pub proposers: ProjectProposers,
    /// The proposers being loaded on a thread, when the session opened without waiting for them.
    loading_proposers: Option<Receiver<(ProjectProposers, Vec<String>)>>,
    /// The learned proposer's retraining in the background (for an annotator, not for gold).
    pub learner: Learner,
    /// Whether this session retrains the learned proposer.
    learns: bool,
    /// Other places the entity just labelled occurs, offered for labelling too.
    pub offer: Option<OccurrenceOffer>,
    /// Why nothing may be changed in any article (a preview before the annotator is known, or
    /// another program writing this annotator's files).
    preview: Option<String>,
    view_events: Vec<ViewEvent>,
    saver: Saver,
    /// This program's claim on the annotator's folder, held while the session is open.
    lock: Option<AnnotatorLock>,
    /// Files of the project changed by something else.
    watcher: Option<ProjectWatcher>,
    /// Another program holds the annotator's lock.
    locked_out: bool,
}

/// After an entity is accepted: how often its text occurs unlabelled elsewhere in the article.
#[derive(Clone, Debug, PartialEq)]
pub struct OccurrenceOffer {
    /// The accepted entity.
    pub span_id: u64,
    /// Its text.
    pub text: String,
    /// Its label.
    pub label: String,
    /// Occurrences in the open article that no accepted entity covers yet.
    pub in_article: usize,
}

/// When an annotator's session loads the project's proposers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProposersLoading {
    /// Before the session opens (the command line, tests).
    Before,
    /// On a thread, so the first article shows at once; its proposals follow on a later frame,
    /// and a command given meanwhile waits for them.
    InBackground,
}

/// How a session opens.
struct Opening {
    /// Load the project's proposers, and when (not for gold, which holds only decisions).
    propose: Option<ProposersLoading>,
    /// Change nothing, for this reason.
    preview: Option<String>,
    /// Take the annotator's lock, and how (none for a preview).
    lock: Option<BreakLock>,
}

fn entry_for(project: &Project, annotator: &str, rel: &str) -> ArticleEntry {
    let mut entry = ArticleEntry { rel: rel.to_owned(), status: DocStatus::New, entities: 0, trouble: None, decodable: None };
    match project.annotation_path(annotator, rel).map(|path| read_annotation(&path)) {
        Ok(Ok(Some(file))) => {
            entry.status = file.status;
            entry.entities = file.spans.iter().filter(|s| s.state == SpanState::Accepted).count();
        }
        Ok(Ok(None)) => {}
        Ok(Err(error)) => entry.trouble = Some(error.to_string()),
        Err(error) => entry.trouble = Some(error.to_string()),
    }
    entry
}

impl Session {
    /// Opens a project for an annotator and the first article (or `start_at`, if it exists).
    /// While another program holds the annotator's lock the session only shows, and says why.
    pub fn open(root: &Path, annotator: &str, start_at: Option<&str>) -> Result<Self, ProjectError> {
        Self::open_annotating(root, annotator, start_at, BreakLock::IfStale, ProposersLoading::Before)
    }

    /// Opens like [`Self::open`], taking the annotator's lock over from whoever holds it (the user
    /// said that program is gone).
    pub fn take_over(root: &Path, annotator: &str, start_at: Option<&str>) -> Result<Self, ProjectError> {
        Self::open_annotating(root, annotator, start_at, BreakLock::Always, ProposersLoading::Before)
    }

    /// Opens an annotator's session, taking the lock as `lock` says and loading the proposers
    /// when `loading` says.
    pub fn open_annotating(root: &Path, annotator: &str, start_at: Option<&str>, lock: BreakLock, loading: ProposersLoading) -> Result<Self, ProjectError> {
        Self::open_with(root, annotator, start_at, Opening { propose: Some(loading), preview: None, lock: Some(lock) })
    }

    /// Opens a project's gold annotations for review mode: without proposers, because gold holds
    /// only what a reviewer decided.
    pub fn open_gold(root: &Path, start_at: Option<&str>) -> Result<Self, ProjectError> {
        Self::open_with(root, crate::store::GOLD, start_at, Opening { propose: None, preview: None, lock: Some(BreakLock::IfStale) })
    }

    /// Opens a project to look at, changing and writing nothing: what the window shows behind the
    /// first start's name prompt (the gold annotations, if there are any).
    pub fn preview(root: &Path) -> Result<Self, ProjectError> {
        Self::open_with(root, crate::store::GOLD, None, Opening { propose: None, preview: Some("tell tawsim your name first".to_owned()), lock: None })
    }

    /// Whether this is a preview that changes nothing.
    pub fn is_preview(&self) -> bool {
        self.preview.is_some()
    }

    /// Why nothing can be changed, when nothing can.
    pub fn read_only_reason(&self) -> Option<&str> {
        self.preview.as_deref()
    }

    /// Whether another program holds the annotator's lock (so the session only shows).
    pub fn locked_out(&self) -> bool {
        self.locked_out
    }

    fn open_with(root: &Path, annotator: &str, start_at: Option<&str>, opening: Opening) -> Result<Self, ProjectError> {
        let project = Project::open(root)?;
        let articles = project.articles.iter().map(|a| entry_for(&project, annotator, &a.rel)).collect();
        let mut session = Self {
            project,
            annotator: annotator.to_owned(),
            articles,
            open: None,
            history: History::default(),
            notices: Vec::new(),
            unreadable_selected: None,
            proposers: ProjectProposers::default(),
            loading_proposers: None,
            learner: Learner::default(),
            learns: false,
            offer: None,
            preview: opening.preview,
            view_events: Vec::new(),
            saver: Saver::new(),
            lock: None,
            watcher: None,
            locked_out: false,
        };
        if let Some(force) = opening.lock {
            match AnnotatorLock::acquire(&session.project, annotator, "tawsim app", force) {
                Ok(lock) => {
                    if let Some(replaced) = lock.replaced() {
                        session.notify(replaced.to_owned(), false);
                    }
                    session.lock = Some(lock);
                }
                Err(LockError::Held { holder, .. }) => {
                    session.preview = Some(format!("{} is writing these annotation files (Take over, in the status bar, if it is gone)", holder.describe()));
                    session.locked_out = true;
                }
                Err(error) => session.preview = Some(format!("cannot take the annotator's lock: {error}")),
            }
            if let Some(reason) = session.preview.clone() {
                session.notify(format!("read only: {reason}"), true);
            }
        }
        for leftover in session.project.removed_leftovers.clone() {
            let text = format!("removed the unfinished write {}", leftover.display());
            session.notify(text, false);
        }
        let watched = [session.project.annotations_dir(), session.project.corpus_dir()];
        match ProjectWatcher::new(&watched) {
            Ok(watcher) => session.watcher = Some(watcher),
            Err(error) => session.notify(error, true),
        }
        session.learns = opening.propose.is_some() && session.preview.is_none() && session.project.config.proposers.model.enabled;
        match opening.propose {
            Some(ProposersLoading::Before) => {
                let loaded = ProjectProposers::load(&session.project, annotator);
                session.install_proposers(loaded);
            }
            Some(ProposersLoading::InBackground) => session.load_proposers_in_background(),
            None => {}
        }
        let first = start_at.and_then(|rel| session.articles.iter().position(|a| a.rel == rel)).unwrap_or(0);
        if !session.articles.is_empty() {
            session.open_article(first);
        }
        Ok(session)
    }

    /// Adds a message for the status bar.
    pub(crate) fn notify(&mut self, text: impl Into<String>, error: bool) {
        self.notify_with(text, error, Vec::new());
    }

    /// Adds a message with what the user may do next.
    pub(crate) fn notify_with(&mut self, text: impl Into<String>, error: bool, hints: Vec<Hint>) {
        self.notices.push(Notice { text: text.into(), error, hints, at: Instant::now() });
        if self.notices.len() > 50 {
            self.notices.remove(0);
        }
    }

    /// What the view should do after the commands carried out since the last call.
    pub fn take_view_events(&mut self) -> Vec<ViewEvent> {
        std::mem::take(&mut self.view_events)
    }

    /// Done articles out of all.
    pub fn progress(&self) -> (usize, usize) {
        let done = self.articles.iter().filter(|a| matches!(a.status, DocStatus::Done | DocStatus::Reviewed)).count();
        (done, self.articles.len())
    }

    /// Opens an article, saving the current one first.
    pub fn open_article(&mut self, index: usize) {
        if index >= self.articles.len() {
            return;
        }
        self.save_now();
        let rel = self.articles[index].rel.clone();
        match self.project.open_document(&rel, &self.annotator) {
            Ok(doc) => {
                self.articles[index].trouble = None;
                self.show(index, doc, None);
            }
            Err(OpenError::Article(ArticleError::NotUtf8 { likely, decoded, .. })) if decoded.is_some() => {
                self.articles[index].decodable = Some(likely);
                self.articles[index].trouble = Some(format!("not UTF-8; it looks like {likely}"));
                self.open = None;
                self.unreadable_selected = Some(index);
            }
            Err(error) => {
                self.articles[index].trouble = Some(error.to_string());
                self.notify(error.to_string(), true);
                self.open = None;
                self.unreadable_selected = Some(index);
            }
        }
    }

    /// Opens an article that is not UTF-8 from its decoded text (the user agreed to the guess).
    pub fn open_decoded(&mut self, index: usize) {
        let Some(article) = self.project.articles.get(index).cloned() else { return };
        let decoded = match crate::store::read_article(&article.path) {
            Err(ArticleError::NotUtf8 { decoded: Some(text), .. }) => text,
            Ok(text) => text.text,
            Err(error) => {
                self.notify(error.to_string(), true);
                return;
            }
        };
        let text = ArticleText::from_text(decoded);
        let path = match self.project.annotation_path(&self.annotator, &article.rel) {
            Ok(path) => path,
            Err(error) => return self.notify(error.to_string(), true),
        };
        let (annotation, problems, fingerprint) = match load_annotation(&path) {
            Ok(Some((mut file, fingerprint))) => {
                let problems = self.project.check_loaded(&mut file, &article, &self.annotator, &path, &text);
                (file, problems, Some(fingerprint))
            }
            Ok(None) => (AnnotationFile::new(&article.document, &text.sha256, &self.annotator), Vec::new(), None),
            Err(error) => return self.notify(error.to_string(), true),
        };
        self.save_now();
        self.articles[index].trouble = None;
        let note = format!("{}: opened as {} (the file itself is unchanged)", article.rel, self.articles[index].decodable.unwrap_or("decoded"));
        let existed = fingerprint.is_some();
        self.show(index, OpenDocument { article: text, annotation, problems, path, existed, fingerprint }, Some(note));
    }

    fn show(&mut self, index: usize, doc: OpenDocument, note: Option<String>) {
        let paragraphs = Paragraphs::new(&doc.article.text);
        let text: Arc<str> = Arc::from(doc.article.text);
        let words = Arc::new(OnceLock::new());
        let (slot, indexed) = (Arc::clone(&words), Arc::clone(&text));
        // Without a thread the scan of the text serves instead.
        let _ = std::thread::Builder::new().name("tawsim-words".to_owned()).spawn(move || slot.set(WordStarts::new(&indexed)));
        self.unreadable_selected = None;
        let repaired = doc.problems.iter().any(|p| p.kind.is_fixed());
        let keys = span_keys(&doc.annotation);
        let known = KnownSpans::of(&doc.annotation);
        self.open = Some(OpenArticle {
            index,
            text,
            synced: Arc::new(doc.annotation.clone()),
            annotation: Arc::new(doc.annotation),
            problems: doc.problems,
            focused: None,
            read_only: self.preview.clone(),
            generation: 0,
            opened: OPENINGS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            paragraphs,
            watched_path: canonical(&doc.path),
            path: doc.path,
            base: doc.fingerprint,
            changed_at: (repaired && self.preview.is_none()).then(Instant::now),
            words,
            journal: Journal { pending: Some(Vec::new()), ..Journal::default() },
            keys,
            known,
        });
        self.offer = None;
        if let Some(note) = note {
            self.notify(note, false);
        }
        self.refresh_on_open();
    }

    /// Starts loading the project's proposers on a thread; without a thread, loads them now.
    fn load_proposers_in_background(&mut self) {
        let (sender, receiver) = std::sync::mpsc::channel();
        let (project, annotator) = (self.project.clone(), self.annotator.clone());
        let spawned = std::thread::Builder::new().name("tawsim-proposers".to_owned()).spawn(move || {
            // The session may have closed meanwhile; then nobody wants them.
            let _ = sender.send(ProjectProposers::load(&project, &annotator));
        });
        match spawned {
            Ok(_) => self.loading_proposers = Some(receiver),
            Err(_) => {
                let loaded = ProjectProposers::load(&self.project, &self.annotator);
                self.install_proposers(loaded);
            }
        }
    }

    /// Whether the proposers are still loading (the open article shows no proposals yet).
    pub fn proposers_loading(&self) -> bool {
        self.loading_proposers.is_some()
    }

    /// Takes in the proposers loaded on a thread if they have arrived (`wait`: waits for them),
    /// and brings the open article's proposals up to date with them.
    fn receive_proposers(&mut self, wait: bool) {
        let Some(receiver) = &self.loading_proposers else { return };
        let loaded = if wait { receiver.recv().map_err(|_| TryRecvError::Disconnected) } else { receiver.try_recv() };
        let loaded = match loaded {
            Ok(loaded) => loaded,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => {
                // The thread died (it panicked): load here, so the session still proposes.
                ProjectProposers::load(&self.project, &self.annotator)
            }
        };
        self.loading_proposers = None;
        self.install_proposers(loaded);
        let unfocused = self.open.as_ref().is_some_and(|o| o.focused.is_none());
        if self.refresh_proposals() && unfocused {
            let first = self.open.as_ref().and_then(|o| o.pending_spans().next().map(|s| s.id));
            if first.is_some() {
                self.focus(first, true);
            }
        }
    }

    /// Takes in the proposers loading on a thread if they have arrived (once a frame); the open
    /// article then shows their proposals.
    pub fn poll_proposers(&mut self) {
        self.receive_proposers(false);
    }

    /// Waits for proposers loading on a thread: what comes next learns from or proposes with them.
    pub fn wait_for_proposers(&mut self) {
        self.receive_proposers(true);
    }

    fn install_proposers(&mut self, (proposers, problems): (ProjectProposers, Vec<String>)) {
        self.proposers = proposers;
        for problem in problems {
            self.notify(problem, true);
        }
    }

    /// Brings the opened article's proposals up to date with the lists and memory and focuses the
    /// first one. This is not an undoable edit: it is what opening the article shows, like the
    /// text itself, and undoing it would only make the proposals come back on the next open.
    /// While the proposers load, the article shows as it was saved; they refresh it on arrival.
    fn refresh_on_open(&mut self) {
        if self.proposers_loading() {
            return;
        }
        if self.proposers.lists_changed() {
            let loaded = ProjectProposers::load(&self.project, &self.annotator);
            self.install_proposers(loaded);
            self.notify("proposal lists changed on disk; proposals recomputed", false);
        }
        if !self.refresh_proposals() {
            return;
        }
        let first = self.open.as_ref().and_then(|o| o.pending_spans().next().map(|s| s.id));
        if first.is_some() {
            self.focus(first, true);
        }
    }

    /// Brings the open article's proposals up to date with the proposers, outside the undo
    /// history (it is what the proposers show, not what the annotator did); false when that failed.
    fn refresh_proposals(&mut self) -> bool {
        let Some(open) = &mut self.open else { return false };
        if open.read_only.is_none()
            && let Some(refresh) = self.proposers.refresh(Arc::make_mut(&mut open.annotation), &open.text)
        {
            if let Err(error) = open.apply(&refresh) {
                let text = format!("proposals not updated: {error}");
                self.notify(text, true);
                return false;
            }
            open.changed_at.get_or_insert_with(Instant::now);
            open.bump();
            open.focused = open.focused.filter(|id| open.span(*id).is_some());
        }
        true
    }

    /// Retrains the learned proposer now (or as soon as the run going on is done).
    pub fn retrain_now(&mut self) {
        if !self.learns {
            let why = if self.project.config.proposers.model.enabled {
                "this session does not train (gold, or read only)"
            } else {
                "the project turns the learned proposer off (proposers.model.enabled)"
            };
            self.notify(format!("not retrained: {why}"), false);
            return;
        }
        self.save_now();
        self.wait_for_proposers();
        let lists = self.proposers.lists_only();
        self.learner.start_now(&self.project, &self.annotator, &lists);
    }

    /// Takes in a finished retraining: the new model proposes (once it passes its gate) in the
    /// open article at once, and in the others as they open.
    fn take_learnt(&mut self, learnt: Result<Learnt, String>) {
        let learnt = match learnt {
            Ok(learnt) => learnt,
            Err(error) => return self.notify(format!("the model could not be retrained: {error}"), true),
        };
        let report = learnt.model.report();
        let text = format!(
            "model retrained on {} entities: F1 {:.2} against lists and rules {:.2}; {}",
            report.spans,
            report.model.overall.f1(),
            report.baseline.overall.f1(),
            if learnt.model.passes_gate() { "it proposes".to_owned() } else { format!("it does not propose yet: {}", report.gate.reason) }
        );
        self.proposers.set_model(Some(learnt.model));
        for problem in learnt.problems {
            self.notify(format!("training left out {problem}"), true);
        }
        self.notify(text, false);
        self.refresh_proposals();
    }

    /// Hands a changed annotation to the saver when its delay has passed, takes in what the saver
    /// reports (another writer's changes merged with ours) and what changed on disk meanwhile.
    /// Call once a frame.
    pub fn tick(&mut self, now: Instant) {
        for report in self.saver.finished() {
            self.take_report(report);
        }
        // One save of the open article at a time: a request made while the last one is being
        // written would carry the version before it, and its own write would look like another
        // program's.
        if let Some(open) = &mut self.open
            && let Some(changed) = open.changed_at
            && now.duration_since(changed) >= SAVE_DELAY
            && open.read_only.is_none()
            && !self.saver.is_busy()
        {
            self.saver.save(open.save_request());
            open.changed_at = None;
        }
        if !self.saver.is_busy() {
            self.external_changes();
        }
        if self.learns && !self.proposers_loading() {
            let proposers = &self.proposers;
            let finished = self.learner.tick(now, &self.project, &self.annotator, &|| proposers.lists_only());
            if let Some(learnt) = finished {
                self.take_learnt(learnt);
            }
        }
    }

    /// What a finished save means for the open article: its new starting version, or, when
    /// another writer's changes were merged in, the merged file (with this session's edits since
    /// the snapshot re-applied on top).
    fn take_report(&mut self, report: SaveReport) {
        let SaveReport { request, outcome } = report;
        let saved = match outcome {
            Ok(saved) => saved,
            Err(error) => {
                if let Some(open) = &mut self.open
                    && open.path == request.path
                {
                    open.read_only = Some(error.clone());
                }
                self.notify(format!("not saved: {error}"), true);
                return;
            }
        };
        let Some(open) = self.open.as_mut().filter(|o| o.path == request.path) else { return };
        open.base = Some(saved.fingerprint);
        let Some(merged) = saved.merged else {
            open.synced = request.snapshot;
            return;
        };
        let newer = open.annotation.edits_since(&request.snapshot);
        let rebased = crate::store::merge::rebase(merged.clone(), &newer, &open.annotation);
        open.synced = Arc::new(merged);
        open.replace_annotation(rebased.file);
        open.bump();
        if !newer.is_empty() {
            open.changed_at.get_or_insert_with(Instant::now);
        }
        open.focused = open.focused.filter(|id| open.span(*id).is_some());
        let (index, name) = (open.index, self.articles[open.index].rel.clone());
        self.refresh_entry(index);
        if !saved.renumbered.is_empty() || !rebased.renumbered.is_empty() {
            // Undo steps name spans by id; ids changed in the merge, so those steps no longer fit.
            self.history.forget_article(index);
        }
        let conflicts: Vec<String> = saved.conflicts.iter().chain(&rebased.conflicts).map(ToString::to_string).collect();
        let mut text = format!("{name}: changed on disk by another program; its changes and yours are both kept");
        if !conflicts.is_empty() {
            text.push_str(&format!(" ({} conflict(s): {})", conflicts.len(), conflicts.join("; ")));
        }
        self.notify(text, !conflicts.is_empty());
    }

    /// Files changed by something else: the documents list follows; the open article is reloaded
    /// when it has no unsaved edits, and otherwise saved now, which merges the two.
    fn external_changes(&mut self) {
        let Some(watcher) = &self.watcher else { return };
        let changed = watcher.changed();
        if changed.is_empty() {
            return;
        }
        // annotations/<annotator>/<article>.ron names its article.
        let folder = canonical(&self.project.annotations_dir().join(&self.annotator));
        let touched: Vec<usize> = changed
            .iter()
            .filter_map(|path| path.strip_prefix(&folder).ok()?.to_str()?.strip_suffix(".ron").map(|rel| rel.replace('\\', "/")))
            .filter_map(|rel| self.articles.iter().position(|a| a.rel == rel))
            .collect();
        for index in touched {
            if self.open.as_ref().is_none_or(|o| o.index != index) {
                self.refresh_entry(index);
            }
        }
        let Some(open) = &mut self.open else { return };
        let article_path = self.project.articles.get(open.index).map(|a| canonical(&a.path));
        let text_changed = article_path.is_some_and(|p| changed.contains(&p));
        let ours = open.base.as_ref().map_or_else(|| !open.path.exists(), |base| base.matches_file(&open.path).unwrap_or(false));
        let annotation_changed = changed.contains(&open.watched_path) && !ours;
        if !text_changed && !annotation_changed {
            return;
        }
        let (index, name) = (open.index, self.articles[open.index].rel.clone());
        if annotation_changed && !text_changed && open.is_dirty() {
            // The next save merges; make it now so both sides show together soon.
            open.changed_at = Some(Instant::now() - SAVE_DELAY);
            return;
        }
        let focus = open.focused;
        self.open_article(index);
        if let Some(open) = &mut self.open
            && focus.is_some_and(|id| open.span(id).is_some())
        {
            open.focused = focus;
        }
        let what = if text_changed { "its text changed on disk" } else { "its annotation changed on disk" };
        self.notify(format!("{name}: reloaded, {what}"), false);
    }

    /// Reads one article's entry of the documents list again.
    fn refresh_entry(&mut self, index: usize) {
        let entry = entry_for(&self.project, &self.annotator, &self.articles[index].rel);
        let open_here = self.open.as_ref().filter(|o| o.index == index);
        self.articles[index] = match open_here {
            // The open article's counts are the session's, saved or not.
            Some(open) => ArticleEntry { status: open.annotation.status, entities: open.accepted_count(), ..entry },
            None => entry,
        };
    }

    /// Whether a save is waiting or being written (the UI keeps repainting until it is done).
    pub fn save_pending(&self) -> bool {
        self.open.as_ref().is_some_and(OpenArticle::is_dirty) || self.saver.is_busy()
    }

    /// Writes the open article's annotation now (on switching articles and quitting) and waits.
    pub fn save_now(&mut self) {
        // The last save's outcome first: it is the version this one starts from.
        self.saver.flush();
        for report in self.saver.finished() {
            self.take_report(report);
        }
        if let Some(open) = &mut self.open
            && open.changed_at.take().is_some()
            && open.read_only.is_none()
        {
            self.saver.save(open.save_request());
        }
        self.saver.flush();
        self.tick(Instant::now());
    }

    /// Carries out a command. Annotation edits are recorded for undo, one entry per command.
    pub fn apply(&mut self, command: EditCommand) {
        use EditCommand as E;
        self.wait_for_proposers();
        match command {
            E::OpenArticle(index) => self.open_article(index),
            E::OpenDecoded(index) => self.open_decoded(index),
            E::NextArticle => self.step_article(1),
            E::PreviousArticle => self.step_article(-1),
            E::MarkDoneAndNext { reject_pending } => self.mark_done_and_next(reject_pending),
            E::FocusEntity(id) => self.focus(Some(id), true),
            E::SelectEntity(id) => self.focus(Some(id), false),
            E::NextEntity => self.focus_step(1),
            E::PreviousEntity => self.focus_step(-1),
            E::LabelRange(range, label) => self.label_range(range, &label),
            E::Relabel(id, label) => self.relabel(id, &label),
            E::RelabelFocused(label) => {
                if let Some(id) = self.focused() {
                    self.relabel(id, &label);
                }
            }
            E::DeleteFocused => {
                if let Some(id) = self.focused() {
                    self.delete(id);
                }
            }
            E::Delete(id) => self.delete(id),
            E::MoveEdge { end, forward, step } => self.move_edge(end, forward, step),
            E::LabelOccurrences(id, scope) => self.label_occurrences(id, scope),
            E::LabelOccurrencesOfFocused(scope) => {
                // While the offer shows, its entity is the one meant (focus has moved on to the
                // next proposal); the offer bar names this key.
                if let Some(id) = self.offer.as_ref().map(|o| o.span_id).or(self.focused()) {
                    self.label_occurrences(id, scope);
                }
            }
            E::AcceptFocused => match self.focused() {
                Some(id) => self.accept(id),
                None => self.focus_pending_step(1),
            },
            E::RejectFocused => {
                if let Some(id) = self.focused() {
                    self.reject(id);
                }
            }
            E::Accept(id) => self.accept(id),
            E::Reject(id) => self.reject(id),
            E::AcceptSameText => self.accept_same_text(),
            E::AcceptAbove(threshold) => self.accept_above(threshold),
            E::NextProposal => self.focus_pending_step(1),
            E::PreviousProposal => self.focus_pending_step(-1),
            E::DismissOffer => self.offer = None,
            E::NextUncertainArticle => self.next_uncertain_article(),
            E::DecidePlaces { places, label, accept } => self.decide_places(places, &label, accept),
            E::OpenAt(place) => self.open_at(&place),
            E::LabelPlaces { places, label } => self.label_places(places, &label),
            E::RemovePlaces(places) => self.remove_places(places),
            E::EditArticles { edits, what } => self.edit_articles_at(edits, &what),
            E::Undo => self.undo(),
            E::Redo => self.redo(),
        }
    }

    /// The focused entity of the open article.
    pub fn focused(&self) -> Option<u64> {
        self.open.as_ref().and_then(|o| o.focused)
    }

    fn step_article(&mut self, delta: isize) {
        let count = self.articles.len() as isize;
        if count == 0 {
            return;
        }
        let current = self.current_index().map_or(-1, |i| i as isize);
        let next = (current + delta).clamp(0, count - 1);
        if next != current {
            self.open_article(next as usize);
        }
    }

    /// Index of the article selected in the list (open or unreadable).
    pub fn current_index(&self) -> Option<usize> {
        self.open.as_ref().map(|o| o.index).or(self.unreadable_selected)
    }

    /// Marks the open article done (rejecting its undecided proposals first when asked, in the
    /// same undo step) and opens the next unfinished one.
    fn mark_done_and_next(&mut self, reject_pending: bool) {
        let Some(open) = &self.open else { return };
        let index = open.index;
        let before = open.annotation.status;
        let mut edits: Vec<SpanEdit> = Vec::new();
        if reject_pending {
            edits.extend(open.pending_spans().map(|s| SpanEdit::Replace { before: s.clone(), after: Span { state: SpanState::Rejected, ..s.clone() } }));
        }
        let rejected = edits.len();
        if before != DocStatus::Done && before != DocStatus::Reviewed {
            edits.push(SpanEdit::SetStatus { before, after: DocStatus::Done });
        }
        if !edits.is_empty() {
            self.edit(SpanEdit::Batch(edits), None);
        }
        if rejected > 0 {
            self.notify(format!("rejected {rejected} undecided proposal(s)"), false);
        }
        self.save_now();
        let count = self.articles.len();
        let next = (1..count)
            .map(|k| (index + k) % count)
            .find(|&i| !matches!(self.articles[i].status, DocStatus::Done | DocStatus::Reviewed) && self.articles[i].trouble.is_none());
        match next {
            Some(next) => self.open_article(next),
            None => self.notify("every article is done", false),
        }
    }

    /// Applies an annotation edit to the open article and records it as one undo step.
    pub(crate) fn edit(&mut self, edit: SpanEdit, focus: Option<u64>) {
        let Some(edit) = self.apply_and_learn(edit) else { return };
        self.record(edit, focus);
    }

    /// Applies an edit and the proposal refresh it causes; the returned edit holds both, so one
    /// undo takes the decision and what memory proposed because of it back together.
    fn apply_and_learn(&mut self, edit: SpanEdit) -> Option<SpanEdit> {
        let open = self.open.as_mut()?;
        if let Some(reason) = &open.read_only {
            let text = format!("edits are not saved while the annotation file is broken: {reason}");
            self.notify(text, true);
            return None;
        }
        let edit = edit.starting_article(open.annotation.status);
        if let Err(error) = open.apply(&edit) {
            let text = format!("edit refused: {error}");
            self.notify(text, true);
            return None;
        }
        let forms = learn(&mut self.proposers, &edit);
        if !forms.is_empty()
            && let Some(refresh) = self.proposers.refresh_forms(Arc::make_mut(&mut open.annotation), &open.known, &open.text, &forms)
            && open.apply(&refresh).is_ok()
        {
            return Some(SpanEdit::Batch(vec![edit, refresh]));
        }
        Some(edit)
    }

    /// Records an edit applied to the open article as one undo step.
    fn record(&mut self, edit: SpanEdit, focus: Option<u64>) {
        let Some(open) = &self.open else { return };
        self.history.record(HistoryEntry::single(open.index, edit, focus));
        self.after_change(focus);
    }

    fn after_change(&mut self, focus: Option<u64>) {
        self.learner.note_decision(Instant::now());
        let Some(open) = &mut self.open else { return };
        open.bump();
        open.changed_at.get_or_insert_with(Instant::now);
        open.focused = focus.filter(|id| open.span(*id).is_some());
        let entry = &mut self.articles[open.index];
        entry.status = open.annotation.status;
        entry.entities = open.accepted_count();
    }

    fn undo(&mut self) {
        let Some(entry) = self.history.pop_undo() else { return };
        self.replay(entry, true);
    }

    fn redo(&mut self) {
        let Some(entry) = self.history.pop_redo() else { return };
        self.replay(entry, false);
    }

    /// Takes an action back (or does it again), in every article it changed: the open article in
    /// memory, the others on disk. The open article stays open when the action changed it;
    /// otherwise the first article it changed opens.
    fn replay(&mut self, entry: HistoryEntry, undoing: bool) {
        let here = self.open.as_ref().map(|o| o.index);
        if !entry.changes.iter().any(|c| Some(c.article) == here)
            && let Some(first) = entry.changes.first()
        {
            self.open_article(first.article);
        }
        let mut failures = Vec::new();
        let mut touched_here = None;
        let changes: Box<dyn Iterator<Item = &ArticleEdit>> = if undoing { Box::new(entry.changes.iter().rev()) } else { Box::new(entry.changes.iter()) };
        for change in changes {
            let edit = if undoing { change.edit.inverse() } else { change.edit.clone() };
            let applied = match self.open.as_mut().filter(|o| o.index == change.article) {
                Some(open) => {
                    let applied = open.apply(&edit).map_err(|e| e.to_string());
                    if applied.is_ok() {
                        touched_here = Some(touched_span(&edit));
                    }
                    applied
                }
                None => self.apply_to_closed(change.article, &edit),
            };
            match applied {
                Ok(()) => {
                    learn(&mut self.proposers, &edit);
                }
                Err(error) => failures.push(format!("{}: {error}", self.articles.get(change.article).map_or("?", |a| a.rel.as_str()))),
            }
        }
        let verb = if undoing { "undo" } else { "redo" };
        if !failures.is_empty() {
            self.notify(format!("could not {verb} everything: {}", failures.join("; ")), true);
        }
        if let Some(touched) = touched_here {
            self.offer = None;
            let focus = if undoing { touched } else { entry.focus };
            self.after_change(focus);
        }
        if undoing {
            self.history.undone(entry);
        } else {
            self.history.redone(entry);
        }
    }

    /// Applies an edit to an article that is not open, through its file on disk.
    fn apply_to_closed(&mut self, index: usize, edit: &SpanEdit) -> Result<(), String> {
        let rel = self.articles.get(index).map(|a| a.rel.clone()).ok_or("no such article")?;
        let mut doc = self.project.open_document(&rel, &self.annotator).map_err(|e| e.to_string())?;
        doc.annotation.apply(edit).map_err(|e| e.to_string())?;
        let edits = std::slice::from_ref(edit);
        self.project.save_document_merging(&rel, &self.annotator, doc.fingerprint.as_ref(), edits, &doc.annotation).map_err(|e| e.to_string())?;
        self.articles[index] = entry_for(&self.project, &self.annotator, &rel);
        Ok(())
    }

    /// Carries out edits of several articles (by index in the documents list) as one action: one
    /// undo step takes all of it back. The open article is edited in memory, the others through
    /// their files (merging with whatever is on disk); an article new until now is started. Says
    /// what could not be done, naming the article, and returns how many articles changed.
    pub fn edit_articles(&mut self, edits: Vec<(usize, SpanEdit)>, focus: Option<u64>) -> usize {
        if let Some(reason) = self.preview.clone() {
            self.notify(format!("nothing changed: {reason}"), true);
            return 0;
        }
        let here = self.open.as_ref().map(|o| o.index);
        let (mut changes, mut failures) = (Vec::new(), Vec::new());
        for (index, edit) in edits {
            let rel = self.articles.get(index).map_or_else(|| format!("article {index}"), |a| a.rel.clone());
            if Some(index) == here {
                match self.apply_and_learn(edit) {
                    Some(applied) => changes.push(ArticleEdit { article: index, edit: applied }),
                    None => failures.push(format!("{rel}: not applied")),
                }
                continue;
            }
            let status = match self.project.open_document(&rel, &self.annotator) {
                Ok(doc) => doc.annotation.status,
                Err(error) => {
                    failures.push(error.to_string());
                    continue;
                }
            };
            let edit = edit.starting_article(status);
            match self.apply_to_closed(index, &edit) {
                Ok(()) => {
                    learn(&mut self.proposers, &edit);
                    changes.push(ArticleEdit { article: index, edit });
                }
                Err(error) => failures.push(format!("{rel}: {error}")),
            }
        }
        if !failures.is_empty() {
            self.notify(format!("{} article(s) left unchanged: {}", failures.len(), failures.join("; ")), true);
        }
        let changed = changes.len();
        let touched_here = changes.iter().any(|c| Some(c.article) == here);
        if !changes.is_empty() {
            self.history.record(HistoryEntry { changes, focus });
            if touched_here {
                self.after_change(focus);
            }
        }
        changed
    }

    /// Opens the unfinished article the model is least sure of, other than this one.
    fn next_uncertain_article(&mut self) {
        let here = self.current_index();
        let next = self.learner.insight.order.iter().filter(|a| a.mean_confidence.is_some()).find_map(|a| {
            let index = self.articles.iter().position(|e| e.rel == a.article)?;
            let unfinished = !matches!(self.articles[index].status, DocStatus::Done | DocStatus::Reviewed);
            (Some(index) != here && unfinished && self.articles[index].trouble.is_none()).then_some(index)
        });
        match next {
            Some(index) => self.open_article(index),
            None => {
                let hint = Hint { command: super::commands::AppCommand::RetrainModel.into(), what: "retrains it".to_owned() };
                self.notify_with("the learned proposer has no article left to suggest", false, vec![hint]);
            }
        }
    }

    /// Labels (or rejects as no such entity) every place not decided yet, across articles, as one
    /// action.
    fn decide_places(&mut self, places: Vec<(String, Range<usize>, String)>, label: &str, accept: bool) {
        // Places by article.
        let mut by_article: std::collections::BTreeMap<usize, Vec<(Range<usize>, String)>> = std::collections::BTreeMap::new();
        for (rel, range, text) in places {
            if let Some(index) = self.articles.iter().position(|a| a.rel == rel) {
                by_article.entry(index).or_default().push((range, text));
            }
        }
        let here = self.open.as_ref().map(|o| o.index);
        let mut edits = Vec::new();
        for (index, places) in by_article {
            let file = match (here == Some(index), &self.open) {
                (true, Some(open)) => AnnotationFile::clone(&open.annotation),
                _ => match self.project.open_document(&self.articles[index].rel, &self.annotator) {
                    Ok(doc) => doc.annotation,
                    Err(error) => {
                        self.notify(error.to_string(), true);
                        continue;
                    }
                },
            };
            // Places already decided stay as they are: the answer is about the open ones.
            let open_places: Vec<(Range<usize>, &str)> = places
                .iter()
                .filter(|(range, _)| !file.spans.iter().any(|s| s.state != SpanState::Pending && s.start < range.end && range.start < s.end))
                .map(|(range, text)| (range.clone(), text.as_str()))
                .collect();
            if open_places.is_empty() {
                continue;
            }
            let edit = if accept { SpanEdit::Batch(file.label_edits(&open_places, label)) } else { SpanEdit::Batch(rejections(&file, &open_places, label)) };
            edits.push((index, edit));
        }
        let changed = self.edit_articles(edits, self.focused());
        let what = if accept { format!("labelled {label}") } else { format!("rejected as no {label}") };
        self.notify(format!("{what} in {changed} article(s)"), false);
    }

    /// Gives keyboard focus to a span (or none), bringing it into sight and flashing it when asked.
    pub(crate) fn focus(&mut self, id: Option<u64>, reveal: bool) {
        let Some(open) = &mut self.open else { return };
        if open.focused != id {
            self.offer = None;
        }
        open.focused = id;
        if let Some(span) = id.and_then(|id| open.span(id)) {
            if reveal {
                self.view_events.push(ViewEvent::Reveal { char: span.start, flash: Some(span.id) });
            }
            self.view_events.push(ViewEvent::ClearSelection);
        }
    }

    /// Asks the view to bring a character into sight.
    pub(crate) fn reveal(&mut self, char: usize) {
        self.view_events.push(ViewEvent::Reveal { char, flash: None });
    }

    /// Asks the view to select some characters.
    pub(crate) fn select(&mut self, range: Range<usize>) {
        self.view_events.push(ViewEvent::Select(range));
    }

    fn focus_step(&mut self, delta: isize) {
        let Some(open) = &self.open else { return };
        let ids: Vec<u64> = open.visible_spans().map(|s| s.id).collect();
        if ids.is_empty() {
            return;
        }
        let position = open.focused.and_then(|id| ids.iter().position(|&i| i == id));
        let next = match position {
            Some(p) => (p as isize + delta).rem_euclid(ids.len() as isize) as usize,
            None if delta > 0 => 0,
            None => ids.len() - 1,
        };
        self.focus(Some(ids[next]), true);
    }

    fn label_range(&mut self, range: Range<usize>, label: &str) {
        let Some(open) = &mut self.open else { return };
        if !self.project.config.schema.contains(label) || range.is_empty() {
            return;
        }
        let Some(text) = char_slice(&open.text, range.clone()) else { return };
        let text = text.to_owned();
        self.view_events.push(ViewEvent::ClearSelection);
        // The same range with the same label already there: just focus it.
        if let Some(existing) = open.annotation.spans.iter().find(|s| s.range() == range && s.label == label && s.state == SpanState::Accepted) {
            let id = existing.id;
            self.focus(Some(id), false);
            return;
        }
        let id = Arc::make_mut(&mut open.annotation).alloc_id();
        let span = Span::manual(id, range, label, &text);
        self.edit(SpanEdit::Add(span.clone()), Some(id));
        self.offer_occurrences(&span);
    }

    fn relabel(&mut self, id: u64, label: &str) {
        let Some(open) = &self.open else { return };
        if !self.project.config.schema.contains(label) {
            return;
        }
        let Some(before) = open.span(id).cloned() else { return };
        let mut after = before.clone();
        after.label = label.to_owned();
        after.state = SpanState::Accepted;
        self.decide(before, after);
    }

    /// Replaces a span by its decided version; deciding a proposal moves focus to the next one
    /// and offers the entity's other occurrences.
    fn decide(&mut self, before: Span, after: Span) {
        let was_pending = before.state == SpanState::Pending;
        let (id, key) = (before.id, before.sort_key());
        let accepted = (after.state == SpanState::Accepted).then(|| after.clone());
        self.edit(SpanEdit::Replace { before, after }, Some(id));
        if was_pending {
            // Looked up after the edit: accepting may have brought new proposals (memory).
            let next = self.open.as_ref().and_then(|open| {
                let mut pending = open.pending_spans();
                open.pending_spans().find(|s| s.sort_key() > key).or_else(|| pending.next()).map(|s| s.id)
            });
            self.focus(next, next.is_some());
            if next.is_none() {
                self.notify("no proposals left in this article", false);
            }
        }
        if let Some(span) = accepted {
            self.offer_occurrences(&span);
        }
    }

    fn accept(&mut self, id: u64) {
        let Some(before) = self.open.as_ref().and_then(|o| o.span(id)).cloned() else { return };
        if before.state == SpanState::Accepted {
            return self.focus_pending_step(1);
        }
        let after = Span { state: SpanState::Accepted, ..before.clone() };
        self.decide(before, after);
    }

    fn reject(&mut self, id: u64) {
        let Some(before) = self.open.as_ref().and_then(|o| o.span(id)).cloned() else { return };
        if before.state != SpanState::Pending {
            let hint = Hint { command: EditCommand::DeleteFocused.into(), what: "removes an accepted entity".to_owned() };
            self.notify_with("only proposals are rejected", false, vec![hint]);
            return;
        }
        let after = Span { state: SpanState::Rejected, ..before.clone() };
        self.decide(before, after);
    }

    /// Accepts several proposals in one undoable step.
    fn accept_many(&mut self, ids: Vec<u64>, what: &str) {
        let Some((count, edit)) = self.accept_pending(&ids) else {
            self.notify(format!("no proposals {what}"), false);
            return;
        };
        let focused = self.focused();
        let from = self.open.as_ref().and_then(|o| o.focused_span()).map(Span::sort_key);
        self.record(edit, focused);
        self.after_accepting_many(count, what, from);
    }

    /// Applies the acceptance of those of `ids` still pending; `None` when there were none.
    fn accept_pending(&mut self, ids: &[u64]) -> Option<(usize, SpanEdit)> {
        let open = self.open.as_ref()?;
        // One pass over the spans, not a search per id: Shift+A may accept thousands.
        let wanted: HashSet<u64> = ids.iter().copied().collect();
        let edits: Vec<SpanEdit> = open
            .annotation
            .spans
            .iter()
            .filter(|s| s.state == SpanState::Pending && wanted.contains(&s.id))
            .map(|before| SpanEdit::Replace { before: before.clone(), after: Span { state: SpanState::Accepted, ..before.clone() } })
            .collect();
        let count = edits.len();
        if count == 0 {
            return None;
        }
        Some((count, self.apply_and_learn(SpanEdit::Batch(edits))?))
    }

    /// Focus goes to the next proposal after where the annotator was (`from`), wrapping around.
    fn after_accepting_many(&mut self, count: usize, what: &str, from: Option<(usize, usize, u64)>) {
        let next = self.open.as_ref().and_then(|o| {
            let after = from.and_then(|key| o.pending_spans().find(|s| s.sort_key() > key));
            after.or_else(|| o.pending_spans().next()).map(|s| s.id)
        });
        self.focus(next, next.is_some());
        self.notify(format!("accepted {count} proposal(s) {what}"), false);
    }

    /// Every proposal with the focused proposal's text (normalized), each under its own label,
    /// including those memory proposes once the first are accepted: the annotator asked for all.
    fn accept_same_text(&mut self) {
        let Some(open) = &self.open else { return };
        let Some(span) = open.focused_span() else { return };
        let (form, what, from) = (normalize_form(&span.text), format!("of «{}»", span.text), Some(span.sort_key()));
        // Each distinct surface is normalized once: a big article repeats a few thousand
        // surfaces across tens of thousands of proposals.
        let same_text = |open: &OpenArticle| -> Vec<u64> {
            let mut same: HashMap<&str, bool> = HashMap::new();
            open.pending_spans().filter(|s| *same.entry(s.text.as_str()).or_insert_with(|| normalize_form(&s.text) == form)).map(|s| s.id).collect()
        };
        let focused = open.focused;
        let mut total = 0;
        let mut steps = Vec::new();
        // Memory proposes from what was accepted, so a second round finds the rest; it is bounded
        // because each round only accepts, and accepted spans are never proposed again.
        for _ in 0..2 {
            let ids = self.open.as_ref().map(&same_text).unwrap_or_default();
            let Some((count, edit)) = self.accept_pending(&ids) else { break };
            total += count;
            steps.push(edit);
        }
        if steps.is_empty() {
            self.notify(format!("no proposals {what}"), false);
            return;
        }
        self.record(SpanEdit::Batch(steps), focused);
        self.after_accepting_many(total, &what, from);
    }

    fn accept_above(&mut self, threshold: f32) {
        let Some(open) = &self.open else { return };
        let ids = open.pending_spans().filter(|s| proposal_score(s) >= threshold).map(|s| s.id).collect();
        self.accept_many(ids, &format!("scoring {threshold:.2} or more"));
    }

    fn focus_pending_step(&mut self, delta: isize) {
        let Some(open) = &self.open else { return };
        let ids: Vec<u64> = open.pending_spans().map(|s| s.id).collect();
        if ids.is_empty() {
            self.notify("no proposals left in this article", false);
            return;
        }
        let here = open.focused_span().map(Span::sort_key);
        let next = match here {
            Some(key) if delta > 0 => open.pending_spans().find(|s| s.sort_key() > key).map(|s| s.id).unwrap_or(ids[0]),
            Some(key) => open.pending_spans().filter(|s| s.sort_key() < key).last().map(|s| s.id).unwrap_or(ids[ids.len() - 1]),
            None if delta > 0 => ids[0],
            None => ids[ids.len() - 1],
        };
        self.focus(Some(next), true);
    }

    /// Offers the accepted entity's other unlabelled occurrences in the article.
    fn offer_occurrences(&mut self, span: &Span) {
        let Some(open) = &self.open else { return };
        let in_article = labelled_count(&open.occurrence_edits(span));
        self.offer = (in_article > 0).then(|| OccurrenceOffer { span_id: span.id, text: span.text.clone(), label: span.label.clone(), in_article });
    }

    fn delete(&mut self, id: u64) {
        let Some(open) = &self.open else { return };
        let Some(span) = open.span(id).cloned() else { return };
        // Focus moves to the next entity so Delete can be pressed repeatedly.
        let next = open.visible_spans().map(|s| s.id).skip_while(|&s| s != id).nth(1);
        self.edit(SpanEdit::Remove(span), next);
    }

    fn move_edge(&mut self, end: SpanEnd, forward: bool, step: Step) {
        let Some(open) = &self.open else { return };
        let Some(before) = open.focused_span().cloned() else { return };
        let text = &open.text;
        let length = open.len_chars();
        let target = |at: usize| match step {
            Step::Char => {
                if forward {
                    (at + 1).min(length)
                } else {
                    at.saturating_sub(1)
                }
            }
            Step::Word => {
                let (start, paragraph) = open.paragraphs.around(text, if forward { at } else { at.saturating_sub(1) });
                let local = at.saturating_sub(start).min(paragraph.chars().count());
                start + word_step(paragraph, local, end, forward)
            }
        };
        let mut after = before.clone();
        match end {
            SpanEnd::Start => after.start = target(before.start).min(before.end.saturating_sub(1)),
            SpanEnd::End => after.end = target(before.end).max(before.start + 1),
        }
        let Some(slice) = char_slice(text, after.range()) else { return };
        after.text = slice.to_owned();
        // An adjusted proposal is the annotator's own span, still waiting to be accepted; a
        // refresh of its proposer must not take it away or put the old boundaries back.
        if after.state == SpanState::Pending {
            after.origin = Origin::Manual;
        }
        if after != before {
            let id = before.id;
            self.edit(SpanEdit::Replace { before, after }, Some(id));
        }
    }

    fn label_occurrences(&mut self, id: u64, scope: Scope) {
        self.offer = None;
        let Some(open) = &self.open else { return };
        let Some(span) = open.span(id).cloned() else { return };
        let index = open.index;
        let adds = open.occurrence_edits(&span);
        let here = labelled_count(&adds);
        let mut changes = Vec::new();
        if here > 0
            && let Some(edit) = self.apply_and_learn(SpanEdit::Batch(adds))
        {
            changes.push(ArticleEdit { article: index, edit });
        }
        let mut message = format!("labelled {here} more occurrence(s) of «{}» as {}", span.text, span.label);
        if scope == Scope::Project {
            let (elsewhere, left_out) = self.label_occurrences_elsewhere(&span, &mut changes);
            message.push_str(&format!(" here and {elsewhere} in other articles"));
            if !left_out.is_empty() {
                self.notify(format!("{} article(s) left out of the labelling: {}", left_out.len(), left_out.join("; ")), true);
            }
        }
        if !changes.is_empty() {
            self.history.record(HistoryEntry { changes, focus: Some(id) });
            if here > 0 {
                self.after_change(Some(id));
            }
        }
        self.notify(message, false);
    }

    /// Labels `span`'s occurrences in every article but the open one, through their files, adding
    /// each article's edit to `changes`; returns how many were labelled and the articles that
    /// could not be (with why).
    fn label_occurrences_elsewhere(&mut self, span: &Span, changes: &mut Vec<ArticleEdit>) -> (usize, Vec<String>) {
        let current = self.open.as_ref().map(|o| o.index);
        let (mut total, mut left_out) = (0, Vec::new());
        for (index, article) in self.project.articles.clone().iter().enumerate() {
            if Some(index) == current {
                continue;
            }
            let mut doc = match self.project.open_document(&article.rel, &self.annotator) {
                Ok(doc) => doc,
                Err(error) => {
                    left_out.push(error.to_string());
                    continue;
                }
            };
            let adds = occurrence_edits(&doc.article.text, span, &doc.annotation, &KnownSpans::of(&doc.annotation));
            if adds.is_empty() {
                continue;
            }
            let count = labelled_count(&adds);
            let edit = SpanEdit::Batch(adds).starting_article(doc.annotation.status);
            if let Err(error) = doc.annotation.apply(&edit) {
                left_out.push(format!("{}: {error}", article.rel));
                continue;
            }
            match self.project.save_document_merging(&article.rel, &self.annotator, doc.fingerprint.as_ref(), std::slice::from_ref(&edit), &doc.annotation) {
                Ok(_) => {
                    total += count;
                    learn(&mut self.proposers, &edit);
                    changes.push(ArticleEdit { article: index, edit });
                    self.articles[index] = entry_for(&self.project, &self.annotator, &article.rel);
                }
                Err(error) => left_out.push(format!("not saved: {error}")),
            }
        }
        (total, left_out)
    }
}

/// Edits that reject each of `places` as no `label`: such a proposal exactly there is rejected, and
/// elsewhere a rejected span records the answer (as the learned proposer's, so neither memory nor
/// the model proposes it there again and training counts it as a no).
fn rejections(file: &AnnotationFile, places: &[(Range<usize>, &str)], label: &str) -> Vec<SpanEdit> {
    let mut next_id = file.next_free_id();
    places
        .iter()
        .map(|(range, text)| match file.spans.iter().find(|s| s.state == SpanState::Pending && s.range() == *range && s.label == label) {
            Some(proposal) => SpanEdit::Replace { before: proposal.clone(), after: Span { state: SpanState::Rejected, ..proposal.clone() } },
            None => {
                let origin = Origin::Proposed { source: "model".to_owned(), score: 0.5 };
                let span = Span { origin, state: SpanState::Rejected, ..Span::manual(next_id, range.clone(), label, text) };
                next_id += 1;
                SpanEdit::Add(span)
            }
        })
        .collect()
}

/// The score of a proposal (1 for spans that are not proposals).
pub fn proposal_score(span: &Span) -> f32 {
    match &span.origin {
        Origin::Proposed { score, .. } => *score,
        _ => 1.0,
    }
}

/// Counts an applied edit's decisions into the memory (a removal takes one back); returns the
/// texts whose decisions changed (empty without memory).
fn learn(proposers: &mut Proposers, edit: &SpanEdit) -> Vec<String> {
    let Some(memory) = &mut proposers.memory else { return Vec::new() };
    let mut changed = Vec::new();
    let mut count = |span: &Span, times: i32| {
        let decision = match span.state {
            SpanState::Accepted => Decision::Accepted,
            SpanState::Rejected => Decision::Rejected,
            SpanState::Pending => return,
        };
        memory.record(&span.text, &span.label, decision, times);
        changed.push(normalize_form(&span.text));
    };
    let mut stack = vec![edit];
    while let Some(edit) = stack.pop() {
        match edit {
            SpanEdit::Add(span) => count(span, 1),
            SpanEdit::Remove(span) => count(span, -1),
            SpanEdit::Replace { before, after } => {
                if before.state != after.state || before.text != after.text || before.label != after.label {
                    count(before, -1);
                    count(after, 1);
                }
            }
            SpanEdit::SetStatus { .. } => {}
            SpanEdit::Batch(edits) => stack.extend(edits),
        }
    }
    changed.sort_unstable();
    changed.dedup();
    changed
}

/// The span an edit touched last, to focus after undoing it.
fn touched_span(edit: &SpanEdit) -> Option<u64> {
    match edit {
        SpanEdit::Add(span) => Some(span.id),
        SpanEdit::Replace { after, .. } => Some(after.id),
        SpanEdit::Remove(_) | SpanEdit::SetStatus { .. } => None,
        SpanEdit::Batch(edits) => edits.iter().rev().find_map(touched_span),
    }
}

/// Where a span's `end` goes one word `forward` (or back) from char `at`, by the same rules as the
/// mouse's snapping: a start lands where a word begins, after its proclitics (`وشبكة` → `شبكة`);
/// an end lands where a word ends; punctuation is no word, and an edge never lands on a space.
fn word_step(text: &str, at: usize, end: SpanEnd, forward: bool) -> usize {
    let words: Vec<crate::arabic::Word> = crate::arabic::words(text).filter(|w| w.kind != crate::arabic::WordKind::Punct).collect();
    let starts = || words.iter().map(|w| crate::arabic::snap_to_word(text, w.range.start).start);
    let ends = || words.iter().map(|w| w.range.end);
    let found = match (end, forward) {
        (SpanEnd::Start, true) => starts().find(|&s| s > at),
        (SpanEnd::Start, false) => starts().rev().find(|&s| s < at),
        (SpanEnd::End, true) => ends().find(|&e| e > at),
        (SpanEnd::End, false) => ends().rev().find(|&e| e < at),
    };
    found.unwrap_or(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_steps_snap_like_the_mouse() {
        let text = "قالت وشبكة شام الإخبارية، أمس";
        let at = |needle: &str| text[..text.find(needle).expect("in text")].chars().count();
        let name = at("شام");
        // The start one word back takes شبكة without its و; one word on from there is شام again.
        assert_eq!(word_step(text, name, SpanEnd::Start, false), at("شبكة"));
        assert_eq!(word_step(text, at("شبكة"), SpanEnd::Start, true), name, "never a leading space");
        // The end one word on stops before the comma and the space; one back is the end of شام.
        let end = at("الإخبارية") + "الإخبارية".chars().count();
        assert_eq!(word_step(text, name + 3, SpanEnd::End, true), end);
        assert_eq!(word_step(text, end, SpanEnd::End, false), name + 3, "never a trailing space");
        assert_eq!(word_step(text, at("أمس") + 3, SpanEnd::End, true), at("أمس") + 3, "no word further on: it stays");
    }

    #[test]
    fn a_word_step_looks_at_its_own_paragraph() {
        let text = "أول سطر\nقال لافروف في موسكو\r\nآخر";
        let paragraphs = Paragraphs::new(text);
        assert_eq!(paragraphs.len_chars, text.chars().count());
        let second = text.chars().position(|c| c == 'ق').expect("second line");
        assert_eq!(paragraphs.around(text, second + 3), (second, "قال لافروف في موسكو"));
        assert_eq!(paragraphs.around(text, 0), (0, "أول سطر"));
        let last = text.chars().count() - 1;
        assert_eq!(paragraphs.around(text, last).1, "آخر");
    }
}
