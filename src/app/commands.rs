//! Everything a user can ask of the app, as plain values, by who carries it out:
//!
//! - [`AppCommand`]: the window (projects, dialogs, modes, windows, quitting);
//! - [`ViewCommand`]: the article view, which resolves on-screen intents (label *the selection*,
//!   move *the left edge*) against its layout into logical edits;
//! - [`EditCommand`]: the session (articles, focus, annotation edits, undo), in logical positions
//!   only, so it runs headless;
//! - [`ReviewCommand`]: a reviewer's decisions in review mode;
//! - [`SearchCommand`]: the corpus search window's list, while it has the keyboard.
//!
//! Keys, menus and titles for these live in `keymap`; this module depends on nothing else of the
//! app, so every part of the app can name commands without importing the others.

use std::ops::Range;
use std::path::PathBuf;

use crate::consistency::Fix;
use crate::model::SpanEdit;

/// Something the user asked for: keys, menus and panels produce these, and each kind has exactly
/// one place that carries it out.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// For the window.
    App(AppCommand),
    /// For the article view.
    View(ViewCommand),
    /// For the session of the open workspace.
    Edit(EditCommand),
    /// For review mode.
    Review(ReviewCommand),
    /// For the corpus search window.
    Search(SearchCommand),
}

/// What the window does: projects, dialogs, modes and windows.
#[derive(Clone, Debug, PartialEq)]
pub enum AppCommand {
    /// Choose a project folder with a dialog.
    OpenFolderDialog,
    /// Open a project folder.
    OpenProject(PathBuf),
    /// Quit, saving everything.
    Quit,
    /// Choose what to export as a dataset, see what it holds, and write it.
    ExportDialog,
    /// Import annotations from another tool's files (CoNLL, JSONL, brat, tawsim RON).
    ImportDialog,
    /// Choose a score and accept the proposals above it.
    AcceptAboveDialog,
    /// Mark the article done and open the next unfinished one, asking first what becomes of
    /// proposals still undecided.
    MarkDone,
    /// Choose annotators to compare and adjudicate (review mode).
    ReviewPicker,
    /// Show or hide agreement between annotators.
    AgreementView,
    /// Show the corpus search window and put the cursor in its query, looking for the selection
    /// (or the focused entity) when there is one; hide it when its query has the keyboard.
    CorpusSearch,
    /// Show or hide the consistency window.
    ConsistencyView,
    /// Apply a consistency fix, after checking it still fits the files.
    ApplyFix(Box<Fix>),
    /// Enter review mode comparing these annotators (or compare them instead, if already in it).
    StartReview(Vec<String>),
    /// Review an article comparing these annotators (from the agreement view's ranking).
    ReviewArticle {
        /// The annotators to compare.
        annotators: Vec<String>,
        /// The article, corpus-relative.
        rel: String,
    },
    /// Back to annotating.
    LeaveReview,
    /// Annotate as this person from now on (the name prompt's answer), and open the project.
    SetAnnotator(String),
    /// Make a folder of articles a project (write its `tawsim.ron`) and open it.
    InitProject(PathBuf),
    /// Retrain the learned proposer now.
    RetrainModel,
    /// Show or hide the learned proposer's report (View → Model).
    ModelView,
    /// Answer the learned proposer's questions, least certain first (Proposals → Teach).
    TeachDialog,
    /// Reopen the project taking the annotator's lock over from the program that holds it (the
    /// user says it is gone).
    TakeOverLock,
    /// Show or hide the keyboard reference.
    ToggleHelp,
    /// Close the open dialog; with none, clear the selection and close popups and windows.
    Escape,
}

/// A visual side of an entity on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The edge on the left of the screen.
    Left,
    /// The edge on the right of the screen.
    Right,
}

/// What the article view does, or resolves into an edit from what is on screen.
#[derive(Clone, Debug, PartialEq)]
pub enum ViewCommand {
    /// Larger article text.
    ZoomIn,
    /// Smaller article text.
    ZoomOut,
    /// Default article text size.
    ZoomReset,
    /// Show or hide the find bar.
    ToggleFind,
    /// Label the selection with this label, or relabel the focused entity when nothing is selected.
    Label(String),
    /// Move one visual edge of the focused entity left or right.
    MoveEdge {
        /// Which edge, on screen.
        edge: Side,
        /// Which way it moves on screen.
        toward: Side,
        /// How far.
        step: Step,
    },
}

/// How far a boundary moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// One character.
    Char,
    /// One word.
    Word,
}

/// One logical end of a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanEnd {
    /// Its first character.
    Start,
    /// One past its last character.
    End,
}

/// Where "label every occurrence" looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The open article.
    Article,
    /// Every article of the project.
    Project,
}

/// What the session does: articles, focus, annotation edits and undo, in logical positions.
#[derive(Clone, Debug, PartialEq)]
pub enum EditCommand {
    /// Open the article with this index in the documents list.
    OpenArticle(usize),
    /// Open the article's undecoded text as Windows-1256 (after the user agreed).
    OpenDecoded(usize),
    /// Open the next article.
    NextArticle,
    /// Open the previous article.
    PreviousArticle,
    /// Mark the article done and open the next unfinished one.
    MarkDoneAndNext {
        /// Reject its undecided proposals first (in the same undo step).
        reject_pending: bool,
    },
    /// Give keyboard focus to an entity (and scroll to it).
    FocusEntity(u64),
    /// Give keyboard focus to an entity clicked in the text (no scrolling).
    SelectEntity(u64),
    /// Focus the next entity in reading order.
    NextEntity,
    /// Focus the previous entity in reading order.
    PreviousEntity,
    /// Label a character range.
    LabelRange(Range<usize>, String),
    /// Relabel a given entity (from its context menu).
    Relabel(u64, String),
    /// Relabel the focused entity.
    RelabelFocused(String),
    /// Delete the focused entity.
    DeleteFocused,
    /// Delete a given entity (from its context menu).
    Delete(u64),
    /// Move one logical end of the focused entity forward or backward in the text.
    MoveEdge {
        /// Which end.
        end: SpanEnd,
        /// Toward the end of the text.
        forward: bool,
        /// How far.
        step: Step,
    },
    /// Label every occurrence of an entity's text with its label.
    LabelOccurrences(u64, Scope),
    /// Label every occurrence of the entity just labelled (while its offer shows), else of the
    /// focused entity.
    LabelOccurrencesOfFocused(Scope),
    /// Accept the focused proposal (or focus the first proposal when nothing is focused).
    AcceptFocused,
    /// Reject the focused proposal.
    RejectFocused,
    /// Accept a given proposal (from the entities panel or its context menu).
    Accept(u64),
    /// Reject a given proposal.
    Reject(u64),
    /// Accept every proposal in the article with the focused proposal's text.
    AcceptSameText,
    /// Accept every proposal in the article scoring at least this much.
    AcceptAbove(f32),
    /// Focus the next proposal.
    NextProposal,
    /// Focus the previous proposal.
    PreviousProposal,
    /// Close the offer to label other occurrences.
    DismissOffer,
    /// Open the unfinished article the learned proposer is least sure of (what it would learn most
    /// from).
    NextUncertainArticle,
    /// Answer a question about places in articles ("is this a LOC?"): label them all, or reject
    /// them as no such entity; one undo step (teach mode).
    DecidePlaces {
        /// (article, corpus-relative; char range; the text there).
        places: Vec<(String, Range<usize>, String)>,
        /// The label asked about (or chosen).
        label: String,
        /// Yes (label them) or no (reject them).
        accept: bool,
    },
    /// Open an article and show a place in it: the entity exactly there is focused, or else
    /// the place is selected.
    OpenAt(Place),
    /// Label places across articles with a label, as one action: an entity exactly there is
    /// relabelled, a proposal there accepted; a place inside a longer entity is left alone.
    LabelPlaces {
        /// Where.
        places: Vec<Place>,
        /// The label.
        label: String,
    },
    /// Remove the entities exactly on these places (and reject the proposals there), as one
    /// action.
    RemovePlaces(Vec<Place>),
    /// Apply edits of several articles' annotation files (by article path below the corpus
    /// folder) as one action, made against the files as they are now.
    EditArticles {
        /// Each article's edit.
        edits: Vec<(String, SpanEdit)>,
        /// What the action does, for the status bar.
        what: String,
    },
    /// Undo the last user action.
    Undo,
    /// Redo the last undone action.
    Redo,
}

/// A char range of an article, with the text expected there (a search hit, a finding's
/// occurrence); an article changed since is told rather than edited in the wrong place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The article's path below the corpus folder.
    pub rel: String,
    /// Char range in its text.
    pub range: Range<usize>,
    /// The text there.
    pub text: String,
}

/// What the corpus search window does with its list of hits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchCommand {
    /// Move the cursor one hit down (+1) or up (−1), selecting only it.
    Step(isize),
    /// Move the cursor one hit down or up, adding the hits passed to the selection.
    Extend(isize),
    /// Select every hit.
    SelectAll,
    /// Open the article at the hit under the cursor.
    Open,
    /// Label the selected hits.
    Label(String),
    /// Remove the entities exactly on the selected hits.
    Delete,
}

/// What the reviewer asks for in review mode.
#[derive(Clone, Debug, PartialEq)]
pub enum ReviewCommand {
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

impl From<AppCommand> for Command {
    fn from(command: AppCommand) -> Self {
        Command::App(command)
    }
}

impl From<ViewCommand> for Command {
    fn from(command: ViewCommand) -> Self {
        Command::View(command)
    }
}

impl From<EditCommand> for Command {
    fn from(command: EditCommand) -> Self {
        Command::Edit(command)
    }
}

impl From<ReviewCommand> for Command {
    fn from(command: ReviewCommand) -> Self {
        Command::Review(command)
    }
}

impl From<SearchCommand> for Command {
    fn from(command: SearchCommand) -> Self {
        Command::Search(command)
    }
}
