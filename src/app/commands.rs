//! Everything a user can ask of the app, and the one list that binds commands to keys and menu
//! titles, so the keyboard reference (F1), the menus and the shortcuts cannot drift apart.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::model::Schema;

/// A visual side of an entity on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The edge on the left of the screen.
    Left,
    /// The edge on the right of the screen.
    Right,
}

/// How far a boundary moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// One character.
    Char,
    /// One word.
    Word,
}

/// Where "label every occurrence" looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The open article.
    Article,
    /// Every article of the project.
    Project,
}

/// Something the user asked for. Panels and the keyboard produce these; `Session::apply` carries
/// them out and records undo.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Open the article with this index in the documents list.
    OpenArticle(usize),
    /// Open the next article.
    NextArticle,
    /// Open the previous article.
    PreviousArticle,
    /// Mark the article done and open the next unfinished one.
    MarkDoneAndNext,
    /// Give keyboard focus to an entity (and scroll to it).
    FocusEntity(u64),
    /// Give keyboard focus to an entity clicked in the text (no scrolling).
    SelectEntity(u64),
    /// Focus the next entity in reading order.
    NextEntity,
    /// Focus the previous entity in reading order.
    PreviousEntity,
    /// Label the selection with this label, or relabel the focused entity when nothing is selected.
    Label(String),
    /// Label a given character range (from the label picker).
    LabelRange(std::ops::Range<usize>, String),
    /// Relabel a given entity (from its context menu).
    Relabel(u64, String),
    /// Delete the focused entity.
    DeleteFocused,
    /// Delete a given entity (from its context menu).
    Delete(u64),
    /// Move one visual edge of the focused entity left or right.
    MoveEdge {
        /// Which edge.
        edge: Side,
        /// Which way it moves on screen.
        toward: Side,
        /// How far.
        step: Step,
    },
    /// Label every occurrence of an entity's text with its label.
    LabelOccurrences(u64, Scope),
    /// Label every occurrence of the focused entity's text with its label.
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
    /// Choose a score and accept the proposals above it.
    AcceptAboveDialog,
    /// Focus the next proposal.
    NextProposal,
    /// Focus the previous proposal.
    PreviousProposal,
    /// Close the offer to label other occurrences.
    DismissOffer,
    /// Undo the last annotation edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Larger article text.
    ZoomIn,
    /// Smaller article text.
    ZoomOut,
    /// Default article text size.
    ZoomReset,
    /// Show or hide the search bar.
    ToggleFind,
    /// Show or hide the keyboard reference.
    ToggleHelp,
    /// Clear the selection and close popups.
    Escape,
    /// Choose a project folder with a dialog.
    OpenFolderDialog,
    /// Open a project folder.
    OpenProject(PathBuf),
    /// Open the article's undecoded text as Windows-1256 (after the user agreed).
    OpenDecoded(usize),
    /// Quit, saving everything.
    Quit,
    /// Choose what to export as a dataset, see what it holds, and write it.
    ExportDialog,
    /// Import annotations from another tool's files (CoNLL, JSONL, brat, tawsim RON).
    ImportDialog,
    /// Choose annotators to compare and adjudicate (review mode).
    ReviewPicker,
    /// Show agreement between annotators.
    AgreementView,
    /// A reviewer's command in review mode (see `app::review`).
    Review(super::review::ReviewCommand),
}

/// A command with its key and its title, as shown in menus and in the keyboard reference.
#[derive(Clone, Debug)]
pub struct Binding {
    /// What it does.
    pub command: Command,
    /// The key that triggers it.
    pub shortcut: KeyboardShortcut,
    /// Menu and reference title.
    pub title: String,
    /// Section of the keyboard reference.
    pub group: &'static str,
}

/// A binding of `command` to `modifiers` + `key`.
pub(crate) fn bind(group: &'static str, title: &str, modifiers: Modifiers, key: Key, command: Command) -> Binding {
    Binding { command, shortcut: KeyboardShortcut::new(modifiers, key), title: title.to_owned(), group }
}

/// The key for a label hotkey character (digits and Latin letters).
pub fn key_for_hotkey(hotkey: char) -> Option<Key> {
    Key::from_name(&hotkey.to_ascii_uppercase().to_string())
}

/// Every key binding, label hotkeys from the schema included. More specific shortcuts (more
/// modifiers) come first so that Shift+Tab is not taken for Tab.
pub fn bindings(schema: &Schema) -> Vec<Binding> {
    use Command as C;
    let none = Modifiers::NONE;
    let ctrl = Modifiers::COMMAND;
    let shift = Modifiers::SHIFT;
    let alt = Modifiers::ALT;
    let mut list = vec![
        bind("Articles", "Mark done, open next unfinished", ctrl, Key::Enter, C::MarkDoneAndNext),
        bind("Articles", "Next article", none, Key::PageDown, C::NextArticle),
        bind("Articles", "Previous article", none, Key::PageUp, C::PreviousArticle),
        bind("Entities", "Previous entity", shift, Key::Tab, C::PreviousEntity),
        bind("Entities", "Next entity", none, Key::Tab, C::NextEntity),
        bind("Entities", "Delete focused entity", none, Key::Delete, C::DeleteFocused),
        bind("Entities", "Label its other occurrences in the project", ctrl | shift, Key::O, C::LabelOccurrencesOfFocused(Scope::Project)),
        bind("Entities", "Label its other occurrences in the article", shift, Key::O, C::LabelOccurrencesOfFocused(Scope::Article)),
        bind("Proposals", "Accept proposals above a score…", ctrl | shift, Key::A, C::AcceptAboveDialog),
        bind("Proposals", "Accept every proposal of the same text", shift, Key::A, C::AcceptSameText),
        bind("Proposals", "Accept focused proposal", none, Key::A, C::AcceptFocused),
        bind("Proposals", "Reject focused proposal", none, Key::X, C::RejectFocused),
        bind("Proposals", "Previous proposal", shift, Key::N, C::PreviousProposal),
        bind("Proposals", "Next proposal", none, Key::N, C::NextProposal),
        bind("Entities", "Delete focused entity", none, Key::Backspace, C::DeleteFocused),
        bind("Boundaries", "Left edge one word left", ctrl | shift, Key::ArrowLeft, C::MoveEdge { edge: Side::Left, toward: Side::Left, step: Step::Word }),
        bind("Boundaries", "Left edge one word right", ctrl | shift, Key::ArrowRight, C::MoveEdge { edge: Side::Left, toward: Side::Right, step: Step::Word }),
        bind("Boundaries", "Right edge one word left", ctrl | alt, Key::ArrowLeft, C::MoveEdge { edge: Side::Right, toward: Side::Left, step: Step::Word }),
        bind("Boundaries", "Right edge one word right", ctrl | alt, Key::ArrowRight, C::MoveEdge { edge: Side::Right, toward: Side::Right, step: Step::Word }),
        bind("Boundaries", "Left edge one character left", shift, Key::ArrowLeft, C::MoveEdge { edge: Side::Left, toward: Side::Left, step: Step::Char }),
        bind("Boundaries", "Left edge one character right", shift, Key::ArrowRight, C::MoveEdge { edge: Side::Left, toward: Side::Right, step: Step::Char }),
        bind("Boundaries", "Right edge one character left", alt, Key::ArrowLeft, C::MoveEdge { edge: Side::Right, toward: Side::Left, step: Step::Char }),
        bind("Boundaries", "Right edge one character right", alt, Key::ArrowRight, C::MoveEdge { edge: Side::Right, toward: Side::Right, step: Step::Char }),
        bind("Edit", "Redo", ctrl | shift, Key::Z, C::Redo),
        bind("Edit", "Undo", ctrl, Key::Z, C::Undo),
        bind("Edit", "Redo", ctrl, Key::Y, C::Redo),
        bind("Edit", "Find in article", ctrl, Key::F, C::ToggleFind),
        bind("View", "Larger text", ctrl, Key::Plus, C::ZoomIn),
        bind("View", "Larger text", ctrl, Key::Equals, C::ZoomIn),
        bind("View", "Smaller text", ctrl, Key::Minus, C::ZoomOut),
        bind("View", "Default text size", ctrl, Key::Num0, C::ZoomReset),
        bind("View", "Review…", ctrl | shift, Key::R, C::ReviewPicker),
        bind("View", "Agreement…", ctrl | shift, Key::G, C::AgreementView),
        bind("View", "Keyboard reference", none, Key::F1, C::ToggleHelp),
        bind("View", "Clear selection, close popups", none, Key::Escape, C::Escape),
        bind("File", "Open folder…", ctrl, Key::O, C::OpenFolderDialog),
        bind("File", "Export dataset…", ctrl | shift, Key::E, C::ExportDialog),
        bind("File", "Import annotations…", ctrl | shift, Key::I, C::ImportDialog),
        bind("File", "Quit", ctrl, Key::Q, C::Quit),
    ];
    for label in &schema.labels {
        if let Some(key) = label.hotkey.and_then(key_for_hotkey) {
            list.push(bind("Labels", &format!("Label selection / focused entity as {}", label.name), none, key, C::Label(label.name.clone())));
        }
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_bindings_share_a_shortcut() {
        let list = bindings(&Schema::anercorp());
        for (i, a) in list.iter().enumerate() {
            for b in &list[i + 1..] {
                assert!(a.shortcut != b.shortcut, "{} and {} share {:?}", a.title, b.title, a.shortcut);
            }
        }
    }

    #[test]
    fn label_hotkeys_come_from_the_schema() {
        let list = bindings(&Schema::anercorp());
        let labels: Vec<_> = list.iter().filter(|b| matches!(b.command, Command::Label(_))).collect();
        assert_eq!(labels.len(), 4);
        assert_eq!(labels[0].shortcut.logical_key, Key::Num1);
    }

    #[test]
    fn shifted_shortcuts_come_before_their_plain_twins() {
        let list = bindings(&Schema::anercorp());
        let position = |c: &Command| list.iter().position(|b| &b.command == c).expect("bound");
        assert!(position(&Command::PreviousEntity) < position(&Command::NextEntity));
        assert!(position(&Command::Redo) < position(&Command::Undo));
    }
}
