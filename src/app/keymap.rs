//! The one table that gives commands their keys, titles and places in the menus, per mode. Menus,
//! the keyboard reference (F1), hints in panels and notices, and the README's key tables all read
//! it, so none of them can name a key the keyboard does not have.
//!
//! The corpus search window's list has keys of its own (arrows, Enter, Delete, the label
//! hotkeys), which apply instead of the window's while the list has the keyboard.

use egui::{Key, KeyboardShortcut, ModifierNames, Modifiers};

use super::commands::{AppCommand, Command, EditCommand, ReviewCommand, Scope, SearchCommand, Side, Step, ViewCommand};
use crate::model::Schema;

/// Which set of keys applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Annotating one's own files.
    Annotate,
    /// Reviewing these annotators (in the order picked: key 1 takes the first one's version).
    Review(Vec<String>),
}

/// A command with its title and, for most, its key.
#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    /// What it does.
    pub command: Command,
    /// The key that triggers it; menu-only commands have none.
    pub shortcut: Option<KeyboardShortcut>,
    /// Menu and reference title.
    pub title: String,
    /// Section of the keyboard reference.
    pub group: &'static str,
}

/// One entry of a menu.
#[derive(Clone, Debug, PartialEq)]
pub enum MenuEntry {
    /// A command, shown with its binding's title and key.
    Item(Command),
    /// A line between entries.
    Separator,
    /// The submenu of recently opened projects.
    RecentProjects,
}

/// A menu of the menu bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Menu {
    /// Its title in the bar.
    pub title: &'static str,
    /// Its entries, top to bottom.
    pub entries: Vec<MenuEntry>,
}

/// The bindings and menus of one mode.
#[derive(Clone, Debug, PartialEq)]
pub struct Keymap {
    mode: Mode,
    bindings: Vec<Binding>,
    /// The keys of the corpus search window's list.
    search: Vec<Binding>,
    menus: Vec<Menu>,
    /// Label hotkeys of the schema left out because the key already does something else.
    pub clashes: Vec<String>,
}

/// Which modes a row of the table applies to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum In {
    Annotate,
    Review,
    Both,
}

impl In {
    fn covers(self, mode: &Mode) -> bool {
        matches!((self, mode), (In::Both, _) | (In::Annotate, Mode::Annotate) | (In::Review, Mode::Review(_)))
    }
}

const NONE: Modifiers = Modifiers::NONE;
const CTRL: Modifiers = Modifiers::COMMAND;
const SHIFT: Modifiers = Modifiers::SHIFT;
const ALT: Modifiers = Modifiers::ALT;

/// A row of the fixed table: (modes, group, title, modifiers, key, command).
type Row = (In, &'static str, &'static str, Modifiers, Option<Key>, Command);

/// The fixed part of the table. A command may have several rows (two keys); its first row's title
/// is the menu title.
fn table() -> Vec<Row> {
    use AppCommand as A;
    use EditCommand as E;
    use In::{Annotate, Both, Review};
    use ReviewCommand as R;
    use ViewCommand as V;
    let edge = |edge, toward, step| Command::View(V::MoveEdge { edge, toward, step });
    vec![
        (Both, "File", "Open folder…", CTRL, Some(Key::O), A::OpenFolderDialog.into()),
        (Both, "File", "Export dataset…", CTRL | SHIFT, Some(Key::E), A::ExportDialog.into()),
        (Both, "File", "Import annotations…", CTRL | SHIFT, Some(Key::I), A::ImportDialog.into()),
        (Both, "File", "Quit", CTRL, Some(Key::Q), A::Quit.into()),
        (Both, "Edit", "Undo", CTRL, Some(Key::Z), E::Undo.into()),
        (Both, "Edit", "Redo", CTRL | SHIFT, Some(Key::Z), E::Redo.into()),
        (Both, "Edit", "Redo", CTRL, Some(Key::Y), E::Redo.into()),
        (Both, "Edit", "Find in article", CTRL, Some(Key::F), V::ToggleFind.into()),
        (Annotate, "Articles", "Mark done, open next unfinished", CTRL, Some(Key::Enter), A::MarkDone.into()),
        (Both, "Articles", "Next article", NONE, Some(Key::PageDown), E::NextArticle.into()),
        (Both, "Articles", "Previous article", NONE, Some(Key::PageUp), E::PreviousArticle.into()),
        (Annotate, "Entities", "Next entity", NONE, Some(Key::Tab), E::NextEntity.into()),
        (Annotate, "Entities", "Previous entity", SHIFT, Some(Key::Tab), E::PreviousEntity.into()),
        (Annotate, "Entities", "Delete focused entity", NONE, Some(Key::Delete), E::DeleteFocused.into()),
        (Annotate, "Entities", "Delete focused entity", NONE, Some(Key::Backspace), E::DeleteFocused.into()),
        (Annotate, "Entities", "Label its other occurrences in the article", SHIFT, Some(Key::O), E::LabelOccurrencesOfFocused(Scope::Article).into()),
        (Annotate, "Entities", "Label its other occurrences in the project", CTRL | SHIFT, Some(Key::O), E::LabelOccurrencesOfFocused(Scope::Project).into()),
        (Annotate, "Proposals", "Accept focused proposal", NONE, Some(Key::A), E::AcceptFocused.into()),
        (Annotate, "Proposals", "Reject focused proposal", NONE, Some(Key::X), E::RejectFocused.into()),
        (Annotate, "Proposals", "Accept every proposal of the same text", SHIFT, Some(Key::A), E::AcceptSameText.into()),
        (Annotate, "Proposals", "Accept proposals above a score…", CTRL | SHIFT, Some(Key::A), A::AcceptAboveDialog.into()),
        (Annotate, "Proposals", "Teach the model: its questions, least certain first…", CTRL | SHIFT, Some(Key::T), A::TeachDialog.into()),
        (Annotate, "Proposals", "Retrain the model now", NONE, None, A::RetrainModel.into()),
        (Annotate, "Articles", "Next article the model is least sure of", CTRL, Some(Key::PageDown), E::NextUncertainArticle.into()),
        (Annotate, "Proposals", "Next proposal", NONE, Some(Key::N), E::NextProposal.into()),
        (Annotate, "Proposals", "Previous proposal", SHIFT, Some(Key::N), E::PreviousProposal.into()),
        (Both, "Boundaries", "Left edge one character left", SHIFT, Some(Key::ArrowLeft), edge(Side::Left, Side::Left, Step::Char)),
        (Both, "Boundaries", "Left edge one character right", SHIFT, Some(Key::ArrowRight), edge(Side::Left, Side::Right, Step::Char)),
        (Both, "Boundaries", "Right edge one character left", ALT, Some(Key::ArrowLeft), edge(Side::Right, Side::Left, Step::Char)),
        (Both, "Boundaries", "Right edge one character right", ALT, Some(Key::ArrowRight), edge(Side::Right, Side::Right, Step::Char)),
        (Both, "Boundaries", "Left edge one word left", CTRL | SHIFT, Some(Key::ArrowLeft), edge(Side::Left, Side::Left, Step::Word)),
        (Both, "Boundaries", "Left edge one word right", CTRL | SHIFT, Some(Key::ArrowRight), edge(Side::Left, Side::Right, Step::Word)),
        (Both, "Boundaries", "Right edge one word left", CTRL | ALT, Some(Key::ArrowLeft), edge(Side::Right, Side::Left, Step::Word)),
        (Both, "Boundaries", "Right edge one word right", CTRL | ALT, Some(Key::ArrowRight), edge(Side::Right, Side::Right, Step::Word)),
        (Review, "Review", "Take the union (every annotator's spans)", NONE, Some(Key::U), R::Union.into()),
        (Review, "Review", "Reject (nothing goes to gold)", NONE, Some(Key::Delete), R::Reject.into()),
        (Review, "Review", "Reject (nothing goes to gold)", NONE, Some(Key::Backspace), R::Reject.into()),
        (Review, "Review", "Accept every agreed span", CTRL | SHIFT, Some(Key::A), R::AcceptAgreed.into()),
        (Review, "Review", "Next disagreement", NONE, Some(Key::N), R::Step { delta: 1, disagreements: true }.into()),
        (Review, "Review", "Previous disagreement", SHIFT, Some(Key::N), R::Step { delta: -1, disagreements: true }.into()),
        (Review, "Review", "Next span", NONE, Some(Key::Tab), R::Step { delta: 1, disagreements: false }.into()),
        (Review, "Review", "Previous span", SHIFT, Some(Key::Tab), R::Step { delta: -1, disagreements: false }.into()),
        (Review, "Review", "Mark reviewed, open the next article with disagreements", CTRL, Some(Key::Enter), R::MarkReviewedAndNext.into()),
        (Review, "Review", "Back to annotating", NONE, None, A::LeaveReview.into()),
        (Both, "View", "Larger text", CTRL, Some(Key::Plus), V::ZoomIn.into()),
        (Both, "View", "Larger text", CTRL, Some(Key::Equals), V::ZoomIn.into()),
        (Both, "View", "Smaller text", CTRL, Some(Key::Minus), V::ZoomOut.into()),
        (Both, "View", "Default text size", CTRL, Some(Key::Num0), V::ZoomReset.into()),
        (Both, "View", "Review…", CTRL | SHIFT, Some(Key::R), A::ReviewPicker.into()),
        (Both, "View", "Agreement…", CTRL | SHIFT, Some(Key::G), A::AgreementView.into()),
        (Annotate, "View", "Model…", CTRL | SHIFT, Some(Key::M), A::ModelView.into()),
        (Both, "View", "Corpus search…", CTRL | SHIFT, Some(Key::F), A::CorpusSearch.into()),
        (Both, "View", "Consistency…", NONE, None, A::ConsistencyView.into()),
        (Both, "View", "Keyboard reference", NONE, Some(Key::F1), A::ToggleHelp.into()),
        (Both, "View", "Clear selection, close popups", NONE, Some(Key::Escape), A::Escape.into()),
    ]
}

/// The group of the search list's keys in the keyboard reference.
pub const SEARCH_GROUP: &str = "Corpus search list";

/// The keys of the corpus search window's list (its label keys come from the schema):
/// (title, modifiers, key, command).
fn search_table() -> Vec<(&'static str, Modifiers, Key, SearchCommand)> {
    use SearchCommand as S;
    vec![
        ("Next hit", NONE, Key::ArrowDown, S::Step(1)),
        ("Previous hit", NONE, Key::ArrowUp, S::Step(-1)),
        ("Add the next hit to the selection", SHIFT, Key::ArrowDown, S::Extend(1)),
        ("Add the previous hit to the selection", SHIFT, Key::ArrowUp, S::Extend(-1)),
        ("Select every hit", CTRL, Key::A, S::SelectAll),
        ("Open the article at the hit", NONE, Key::Enter, S::Open),
        ("Remove the entities exactly on the selected hits", NONE, Key::Delete, S::Delete),
        ("Remove the entities exactly on the selected hits", NONE, Key::Backspace, S::Delete),
    ]
}

/// The key for a label hotkey character (digits and Latin letters).
pub fn key_for_hotkey(hotkey: char) -> Option<Key> {
    Key::from_name(&hotkey.to_ascii_uppercase().to_string())
}

/// The menus of a mode, as data; every item is a command with a binding in that mode.
fn menus(mode: &Mode) -> Vec<Menu> {
    use AppCommand as A;
    use EditCommand as E;
    use MenuEntry::{Item, RecentProjects, Separator};
    use ReviewCommand as R;
    use ViewCommand as V;
    let item = |command: Command| Item(command);
    let file = Menu {
        title: "File",
        entries: vec![
            item(A::OpenFolderDialog.into()),
            Separator,
            item(A::ExportDialog.into()),
            item(A::ImportDialog.into()),
            RecentProjects,
            Separator,
            item(A::Quit.into()),
        ],
    };
    let edit = Menu { title: "Edit", entries: vec![item(E::Undo.into()), item(E::Redo.into()), Separator, item(V::ToggleFind.into())] };
    let mut view = vec![
        item(V::ZoomIn.into()),
        item(V::ZoomOut.into()),
        item(V::ZoomReset.into()),
        Separator,
        item(A::ReviewPicker.into()),
        item(A::AgreementView.into()),
    ];
    if *mode == Mode::Annotate {
        view.push(item(A::ModelView.into()));
    }
    view.extend([Separator, item(A::CorpusSearch.into()), item(A::ConsistencyView.into()), Separator, item(A::ToggleHelp.into())]);
    let view = Menu { title: "View", entries: view };
    let middle = match mode {
        Mode::Annotate => vec![
            Menu {
                title: "Article",
                entries: vec![
                    item(A::MarkDone.into()),
                    item(E::NextArticle.into()),
                    item(E::PreviousArticle.into()),
                    item(E::NextUncertainArticle.into()),
                    Separator,
                    item(E::NextEntity.into()),
                    item(E::PreviousEntity.into()),
                    item(E::DeleteFocused.into()),
                ],
            },
            Menu {
                title: "Proposals",
                entries: vec![
                    item(E::AcceptFocused.into()),
                    item(E::RejectFocused.into()),
                    item(E::AcceptSameText.into()),
                    item(A::AcceptAboveDialog.into()),
                    Separator,
                    item(E::NextProposal.into()),
                    item(E::PreviousProposal.into()),
                    Separator,
                    item(E::LabelOccurrencesOfFocused(Scope::Article).into()),
                    item(E::LabelOccurrencesOfFocused(Scope::Project).into()),
                    Separator,
                    item(A::TeachDialog.into()),
                    item(A::RetrainModel.into()),
                ],
            },
        ],
        Mode::Review(annotators) => {
            let mut entries: Vec<MenuEntry> = (0..annotators.len().min(9)).map(|i| item(R::Take(i).into())).collect();
            entries.extend([
                item(R::Union.into()),
                item(R::Reject.into()),
                item(R::AcceptAgreed.into()),
                Separator,
                item(R::Step { delta: 1, disagreements: true }.into()),
                item(R::Step { delta: -1, disagreements: true }.into()),
                Separator,
                item(R::MarkReviewedAndNext.into()),
                item(E::NextArticle.into()),
                item(E::PreviousArticle.into()),
                Separator,
                item(A::LeaveReview.into()),
            ]);
            vec![Menu { title: "Review", entries }]
        }
    };
    let mut all = vec![file, edit];
    all.extend(middle);
    all.push(view);
    all
}

impl Keymap {
    /// The bindings of `mode`, label hotkeys from `schema` included (in review mode with Alt, the
    /// plain digits taking annotators' versions).
    pub fn new(mode: Mode, schema: &Schema) -> Self {
        let mut bindings: Vec<Binding> = table()
            .into_iter()
            .filter(|row| row.0.covers(&mode))
            .map(|(_, group, title, modifiers, key, command)| Binding {
                command,
                shortcut: key.map(|k| KeyboardShortcut::new(modifiers, k)),
                title: title.to_owned(),
                group,
            })
            .collect();
        if let Mode::Review(annotators) = &mode {
            for (i, name) in annotators.iter().enumerate().take(9) {
                let key = char::from_digit(i as u32 + 1, 10).and_then(key_for_hotkey);
                let title = format!("Take {name}'s version");
                bindings.push(Binding {
                    command: ReviewCommand::Take(i).into(),
                    shortcut: key.map(|k| KeyboardShortcut::new(NONE, k)),
                    title,
                    group: "Review",
                });
            }
        }
        let mut clashes = Vec::new();
        let (modifiers, what) = match mode {
            Mode::Annotate => (NONE, "Label the selection / relabel the focused entity as"),
            Mode::Review(_) => (ALT, "Label the selection / relabel the focused gold span as"),
        };
        for label in &schema.labels {
            let Some(key) = label.hotkey.and_then(key_for_hotkey) else { continue };
            let shortcut = KeyboardShortcut::new(modifiers, key);
            if let Some(taken) = bindings.iter().find(|b| b.shortcut == Some(shortcut)) {
                clashes.push(format!("label {}'s hotkey {} is left out: it already means \"{}\"", label.name, plain_text(&shortcut), taken.title));
                continue;
            }
            let command = ViewCommand::Label(label.name.clone()).into();
            bindings.push(Binding { command, shortcut: Some(shortcut), title: format!("{what} {}", label.name), group: "Labels" });
        }
        let mut search: Vec<Binding> = search_table()
            .into_iter()
            .map(|(title, modifiers, key, command)| Binding {
                command: command.into(),
                shortcut: Some(KeyboardShortcut::new(modifiers, key)),
                title: title.to_owned(),
                group: SEARCH_GROUP,
            })
            .collect();
        // The list has the keyboard to itself: plain label keys in either mode.
        for label in &schema.labels {
            let Some(key) = label.hotkey.and_then(key_for_hotkey) else { continue };
            let shortcut = KeyboardShortcut::new(NONE, key);
            if let Some(taken) = search.iter().find(|b| b.shortcut == Some(shortcut)) {
                clashes.push(format!(
                    "label {}'s hotkey {} is left out of the search list: it already means \"{}\"",
                    label.name,
                    plain_text(&shortcut),
                    taken.title
                ));
                continue;
            }
            let command = SearchCommand::Label(label.name.clone()).into();
            search.push(Binding { command, shortcut: Some(shortcut), title: format!("Label the selected hits as {}", label.name), group: SEARCH_GROUP });
        }
        let menus = menus(&mode);
        Keymap { mode, bindings, search, menus, clashes }
    }

    /// The keys of the corpus search window's list, which apply while it has the keyboard.
    pub fn search_bindings(&self) -> &[Binding] {
        &self.search
    }

    /// The search list's keys in the order they are matched (more modifiers first).
    pub fn search_keyed(&self) -> Vec<(KeyboardShortcut, &Command)> {
        keyed(&self.search)
    }

    /// The mode these keys are for.
    pub fn mode(&self) -> &Mode {
        &self.mode
    }

    /// Every binding, in the order of the keyboard reference.
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The bindings with keys, in the order keys are matched: more modifiers first, because egui
    /// matches Shift+Tab as Tab when Tab is asked for first.
    pub fn keyed(&self) -> Vec<(KeyboardShortcut, &Command)> {
        keyed(&self.bindings)
    }

    /// The menus of the menu bar.
    pub fn menus(&self) -> &[Menu] {
        &self.menus
    }

    /// The binding of a command (its first, for a command with two keys).
    pub fn binding(&self, command: &Command) -> Option<&Binding> {
        self.bindings.iter().find(|b| &b.command == command)
    }

    /// The first key of a command.
    pub fn shortcut(&self, command: &Command) -> Option<KeyboardShortcut> {
        self.bindings.iter().filter(|b| &b.command == command).find_map(|b| b.shortcut)
    }

    /// A command's key as this platform writes it (`Ctrl+Shift+O`, `⇧⌘O`); empty when it has none.
    pub fn key_text(&self, ctx: &egui::Context, command: &Command) -> String {
        self.shortcut(command).map(|s| ctx.format_shortcut(&s)).unwrap_or_default()
    }

    /// `what` preceded by the command's key: `Shift+O label them`; `what` alone without a key.
    pub fn hint(&self, ctx: &egui::Context, command: &Command, what: &str) -> String {
        match self.shortcut(command) {
            Some(shortcut) => format!("{} {what}", ctx.format_shortcut(&shortcut)),
            None => what.to_owned(),
        }
    }

    /// The keys of this mode as a Markdown table (for the README), one row per command, its keys
    /// joined by "or", in the order of the keyboard reference.
    pub fn markdown_table(&self) -> String {
        markdown_table(&self.bindings)
    }

    /// The search list's keys as a Markdown table, like [`Self::markdown_table`].
    pub fn search_markdown_table(&self) -> String {
        markdown_table(&self.search)
    }
}

/// `bindings` with keys in the order they are matched: more modifiers first, because egui matches
/// Shift+Tab as Tab when Tab is asked for first.
fn keyed(bindings: &[Binding]) -> Vec<(KeyboardShortcut, &Command)> {
    let mut keyed: Vec<(KeyboardShortcut, &Command)> = bindings.iter().filter_map(|b| Some((b.shortcut?, &b.command))).collect();
    let count = |m: Modifiers| [m.command || m.ctrl, m.shift, m.alt].iter().filter(|&&on| on).count();
    keyed.sort_by_key(|(shortcut, _)| std::cmp::Reverse(count(shortcut.modifiers)));
    keyed
}

/// `bindings` as a Markdown table, one row per command, its keys joined by "or".
fn markdown_table(bindings: &[Binding]) -> String {
    let mut out = String::from("| keys | what they do |\n|---|---|\n");
    let mut done: Vec<&Command> = Vec::new();
    for binding in bindings.iter().filter(|b| b.shortcut.is_some()) {
        if done.contains(&&binding.command) {
            continue;
        }
        done.push(&binding.command);
        let keys: Vec<String> = bindings.iter().filter(|b| b.command == binding.command).filter_map(|b| b.shortcut.as_ref().map(plain_text)).collect();
        out.push_str(&format!("| {} | {} |\n", keys.join(" or "), binding.title));
    }
    out
}

/// A shortcut written out in full, as on Windows and Linux (`Ctrl+Shift+Left`).
pub fn plain_text(shortcut: &KeyboardShortcut) -> String {
    shortcut.format(&ModifierNames::NAMES, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|n| (*n).to_owned()).collect()
    }

    fn modes() -> [Keymap; 2] {
        let schema = Schema::anercorp();
        [Keymap::new(Mode::Annotate, &schema), Keymap::new(Mode::Review(names(&["amal", "badr", "chadi"])), &schema)]
    }

    #[test]
    fn no_two_bindings_of_a_mode_share_a_key() {
        for keymap in modes() {
            for keyed in [keymap.keyed(), keymap.search_keyed()] {
                for (i, (a, x)) in keyed.iter().enumerate() {
                    for (b, y) in &keyed[i + 1..] {
                        assert!(a != b, "{x:?} and {y:?} share {} in {:?}", plain_text(a), keymap.mode());
                    }
                }
            }
            assert!(keymap.clashes.is_empty(), "{:?}", keymap.clashes);
        }
    }

    #[test]
    fn the_search_list_labels_with_plain_keys_in_both_modes() {
        for keymap in modes() {
            let label = keymap.search_bindings().iter().find(|b| b.command == SearchCommand::Label("LOC".into()).into()).and_then(|b| b.shortcut);
            assert_eq!(label, Some(KeyboardShortcut::new(NONE, Key::Num2)), "{:?}", keymap.mode());
        }
    }

    #[test]
    fn every_menu_item_has_a_binding_in_its_mode() {
        for keymap in modes() {
            for menu in keymap.menus() {
                for entry in &menu.entries {
                    if let MenuEntry::Item(command) = entry {
                        assert!(keymap.binding(command).is_some(), "{} → {command:?} has no binding in {:?}", menu.title, keymap.mode());
                    }
                }
            }
        }
    }

    #[test]
    fn modified_keys_are_matched_before_their_plain_twins() {
        for keymap in modes() {
            for keyed in [keymap.keyed(), keymap.search_keyed()] {
                for (i, (a, _)) in keyed.iter().enumerate() {
                    for (b, _) in &keyed[..i] {
                        let fewer = |m: Modifiers| [m.command || m.ctrl, m.shift, m.alt].iter().filter(|&&on| on).count();
                        assert!(fewer(b.modifiers) >= fewer(a.modifiers), "{} is matched before {}", plain_text(b), plain_text(a));
                    }
                }
            }
        }
    }

    #[test]
    fn label_hotkeys_come_from_the_schema_and_review_takes_digits_for_annotators() {
        let [annotate, review] = modes();
        let label = |keymap: &Keymap, name: &str| keymap.shortcut(&ViewCommand::Label(name.into()).into());
        assert_eq!(label(&annotate, "PERS"), Some(KeyboardShortcut::new(NONE, Key::Num1)));
        assert_eq!(label(&review, "PERS"), Some(KeyboardShortcut::new(ALT, Key::Num1)));
        assert_eq!(review.shortcut(&ReviewCommand::Take(0).into()), Some(KeyboardShortcut::new(NONE, Key::Num1)));
        assert_eq!(review.binding(&ReviewCommand::Take(2).into()).map(|b| b.title.as_str()), Some("Take chadi's version"));
        // What each mode leaves out.
        assert!(review.binding(&EditCommand::AcceptFocused.into()).is_none() && review.binding(&AppCommand::MarkDone.into()).is_none());
        assert!(annotate.binding(&ReviewCommand::Union.into()).is_none() && annotate.binding(&AppCommand::LeaveReview.into()).is_none());
        assert!(review.binding(&EditCommand::Undo.into()).is_some() && review.binding(&AppCommand::ReviewPicker.into()).is_some());
    }

    #[test]
    fn a_label_hotkey_that_clashes_is_left_out_and_said() {
        let mut schema = Schema::anercorp();
        schema.labels[0].hotkey = Some('a');
        let keymap = Keymap::new(Mode::Annotate, &schema);
        assert_eq!(keymap.shortcut(&EditCommand::AcceptFocused.into()), Some(KeyboardShortcut::new(NONE, Key::A)));
        assert!(keymap.shortcut(&ViewCommand::Label("PERS".into()).into()).is_none());
        assert_eq!(keymap.clashes.len(), 1);
        assert!(keymap.clashes[0].contains("Accept focused proposal"), "{}", keymap.clashes[0]);
    }

    /// The README's key tables are the keymap's own (rewrite them with `TAWSIM_BLESS=1 cargo test`).
    #[test]
    fn the_readme_key_tables_are_the_keymaps() {
        let schema = Schema::anercorp();
        let (annotate, review) = (Keymap::new(Mode::Annotate, &schema), Keymap::new(Mode::Review(names(&["amal", "badr"])), &schema));
        let readme_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
        let readme = std::fs::read_to_string(&readme_path).expect("README.md");
        let mut updated = readme.clone();
        for (marker, table) in [("annotate", annotate.markdown_table()), ("review", review.markdown_table()), ("search", annotate.search_markdown_table())] {
            let (start, end) = (format!("<!-- keys:{marker} -->\n"), format!("<!-- /keys:{marker} -->"));
            let from = updated.find(&start).unwrap_or_else(|| panic!("README has no {start:?}")) + start.len();
            let to = from + updated[from..].find(&end).unwrap_or_else(|| panic!("README has no {end:?}"));
            updated.replace_range(from..to, &table);
        }
        if updated != readme && std::env::var_os("TAWSIM_BLESS").is_some() {
            std::fs::write(&readme_path, &updated).expect("README written");
            return;
        }
        assert!(updated == readme, "the README's key tables differ from the keymap; run `TAWSIM_BLESS=1 cargo test --lib keymap` to rewrite them");
    }
}
