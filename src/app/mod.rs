//! The eframe application.
//!
//! Where things are:
//! - `commands`: every user request as a value, by who carries it out (window, view, session,
//!   review); `keymap`: the one table of keys, titles and menus per mode.
//! - `workspace`: what is open (nothing, annotating, reviewing) and which session commands go to;
//!   `session`: the annotator's session, the one place annotations change, headless;
//!   `review_mode`: the gold session with the review of its article; `history`, `saver`.
//! - `view`: what the window keeps of the open article (layout, selection, scrolling, text size);
//!   it turns on-screen intents into logical edits.
//! - `dialogs`, `dataset_dialogs`, `agreement`: modal dialogs and the agreement window;
//!   `panels/`: drawing, each returning the commands the user gave; `job`: background work.
//! - `corpus`: the project's search index, built in the background and kept current, which the
//!   corpus windows share: `search_window` (every occurrence of a name, labelled from the list)
//!   and `consistency_window` (the checks and their fixes); `places`: the session's edits at
//!   the places they point to.
//!
//! Each frame: keys and menus become commands, panels are drawn and add theirs, then
//! [`TawsimApp::run`] hands each command to its one dispatcher.

pub mod agreement;
pub mod commands;
pub mod consistency_window;
pub mod corpus;
pub mod dataset_dialogs;
pub mod dialogs;
pub mod history;
pub mod job;
pub mod keymap;
pub mod learning;
pub mod panels;
pub mod places;
pub mod review_mode;
pub mod saver;
pub mod search_window;
pub mod session;
pub mod view;
pub mod watch;
pub mod workspace;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use self::agreement::AgreementView;
use self::commands::{AppCommand, Command, EditCommand};
use self::consistency_window::ConsistencyWindow;
use self::corpus::CorpusIndexState;
use self::dialogs::Dialog;
use self::keymap::{Keymap, Mode};
use self::review_mode::{Picker, ReviewMode};
use self::search_window::SearchWindow;
pub use self::session::ProposersLoading;
use self::session::{OpenArticle, Session};
use self::view::ArticleView;
use self::workspace::Workspace;
use crate::model::Schema;
use crate::store::{BreakLock, ConfigError, Project, ProjectError};
use crate::text_view::{TextRenderer, fonts};

/// Key under which settings are kept between runs.
const SETTINGS_KEY: &str = "tawsim.settings";
/// How many recent projects the File menu lists.
const RECENT_LIMIT: usize = 8;

/// What is remembered between runs.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The annotator's name, asked once.
    pub annotator: Option<String>,
    /// Recently opened project folders, newest first.
    pub recent: Vec<PathBuf>,
    /// The project open when the app last closed.
    pub last_project: Option<PathBuf>,
    /// The article open when the app last closed (corpus-relative).
    pub last_article: Option<String>,
    /// Article text size.
    pub font_size: Option<f32>,
}

/// How the app was started.
#[derive(Clone, Debug)]
pub struct StartOptions {
    /// The project folder to open.
    pub project: PathBuf,
    /// Annotator name given on the command line (overrides the remembered one).
    pub annotator: Option<String>,
    /// When the project's proposers load: the app shows the article first.
    pub proposers: ProposersLoading,
}

/// The main window.
pub struct TawsimApp {
    workspace: Workspace,
    settings: Settings,
    start: StartOptions,
    renderer: TextRenderer,
    view: ArticleView,
    keymap: Keymap,
    dialog: Option<Dialog>,
    help_open: bool,
    /// The learned proposer's window (View → Model).
    model_open: bool,
    agreement: Option<AgreementView>,
    search: SearchWindow,
    consistency: ConsistencyWindow,
    /// The search index the corpus windows share, once one of them was opened.
    corpus: Option<CorpusIndexState>,
    documents_filter: String,
    /// The score the accept-above dialog opens with: the last one used.
    last_threshold: f32,
    error: Option<String>,
    /// Commands given from outside a frame (tests, benchmarks), run at the start of the next one.
    queued: Vec<Command>,
}

/// Sets up fonts and options on an egui context the app will draw into.
pub fn setup_context(ctx: &egui::Context) {
    ctx.set_fonts(fonts::egui_font_definitions());
    // Ctrl +/- size the article text, not the whole interface.
    ctx.options_mut(|o| o.zoom_with_keyboard = false);
}

impl TawsimApp {
    /// The app as eframe starts it, with settings from its storage.
    pub fn new(cc: &eframe::CreationContext<'_>, start: StartOptions) -> Self {
        setup_context(&cc.egui_ctx);
        let settings = cc.storage.and_then(|s| eframe::get_value::<Settings>(s, SETTINGS_KEY)).unwrap_or_default();
        Self::with_settings(settings, start)
    }

    /// The app with given settings (tests use this with a plain egui context).
    pub fn with_settings(settings: Settings, start: StartOptions) -> Self {
        let mut view = ArticleView::default();
        if let Some(size) = settings.font_size {
            view.set_font_size(size);
        }
        let mut app = Self {
            workspace: Workspace::Closed,
            settings,
            start: start.clone(),
            renderer: TextRenderer::new(),
            view,
            keymap: Keymap::new(Mode::Annotate, &Schema::default()),
            dialog: None,
            help_open: false,
            model_open: false,
            agreement: None,
            search: SearchWindow::default(),
            consistency: ConsistencyWindow::default(),
            corpus: None,
            documents_filter: String::new(),
            last_threshold: 0.9,
            error: None,
            queued: Vec::new(),
        };
        app.open_project(&start.project);
        app
    }

    /// Whose annotations are edited: `--annotator` for this run, else the remembered name.
    fn annotator(&self) -> Option<String> {
        self.start.annotator.clone().or_else(|| self.settings.annotator.clone())
    }

    /// The annotator's session, once a project is open (in review mode too).
    pub fn session(&self) -> Option<&Session> {
        self.workspace.annotating()
    }

    /// The session commands go to: the gold session in review mode, else the annotator's.
    pub fn active_session(&self) -> Option<&Session> {
        self.workspace.session()
    }

    /// The active session, mutably (tests and benchmarks drive it directly).
    pub fn active_session_mut(&mut self) -> Option<&mut Session> {
        self.workspace.session_mut()
    }

    /// Review mode, while it is on.
    pub fn review_mode(&self) -> Option<&ReviewMode> {
        self.workspace.review()
    }

    /// The agreement window's state, while it is open.
    pub fn agreement_view(&self) -> Option<&AgreementView> {
        self.agreement.as_ref()
    }

    /// The corpus search window's state.
    pub fn search_window(&self) -> &SearchWindow {
        &self.search
    }

    /// The consistency window's state.
    pub fn consistency_window(&self) -> &ConsistencyWindow {
        &self.consistency
    }

    /// The search index the corpus windows share, once one of them was opened.
    pub fn corpus(&self) -> Option<&CorpusIndexState> {
        self.corpus.as_ref()
    }

    /// The open article's view.
    pub fn view(&self) -> &ArticleView {
        &self.view
    }

    /// The open article's view, mutably (tests set selections).
    pub fn view_mut(&mut self) -> &mut ArticleView {
        &mut self.view
    }

    /// The keys, titles and menus of the current mode.
    pub fn keymap(&self) -> &Keymap {
        &self.keymap
    }

    /// Runs a command at the start of the next frame, as if the user had given it.
    pub fn queue(&mut self, command: impl Into<Command>) {
        self.queued.push(command.into());
    }

    /// The settings as they would be saved now.
    pub fn settings(&self) -> Settings {
        let mut settings = self.settings.clone();
        if let Some(session) = self.workspace.annotating() {
            settings.last_project = Some(session.project.root.clone());
            settings.last_article = session.open.as_ref().map(|o| session.articles[o.index].rel.clone());
        }
        settings.font_size = Some(self.view.font_size);
        settings
    }

    fn open_project(&mut self, root: &Path) {
        self.open_project_taking_over(root, false);
    }

    /// Opens a project; with `take_over`, takes the annotator's lock from whoever holds it.
    fn open_project_taking_over(&mut self, root: &Path, take_over: bool) {
        let Some(annotator) = self.annotator() else {
            // The first start: the project shows behind the name prompt, changing nothing, and the
            // login name is offered.
            if let Ok(preview) = Session::preview(root) {
                self.workspace = Workspace::Annotate(Box::new(preview));
                self.refresh_keymap();
            }
            self.dialog = Some(Dialog::AskName { input: crate::store::login_name().unwrap_or_default() });
            self.after_commands();
            return;
        };
        self.workspace.leave_review();
        self.workspace.save_all();
        let start_at = (self.settings.last_project.as_deref() == Some(root)).then(|| self.settings.last_article.clone()).flatten();
        let lock = if take_over { BreakLock::Always } else { BreakLock::IfStale };
        let opened = Session::open_annotating(root, &annotator, start_at.as_deref(), lock, self.start.proposers);
        match opened {
            Ok(session) => {
                self.workspace = Workspace::Annotate(Box::new(session));
                self.settings.recent.retain(|p| p != root);
                self.settings.recent.insert(0, root.to_owned());
                self.settings.recent.truncate(RECENT_LIMIT);
                self.settings.last_project = Some(root.to_owned());
                self.agreement = None;
                self.error = None;
                self.refresh_keymap();
            }
            Err(ProjectError::Config(ConfigError::Missing { .. })) => self.dialog = Some(Dialog::OfferInit(root.to_owned())),
            Err(error) => self.error = Some(error.to_string()),
        }
        self.after_commands();
    }

    /// Takes the keys of the workspace's mode and project schema; a label hotkey that clashes
    /// with a command's key is said in the status bar.
    fn refresh_keymap(&mut self) {
        let schema = self.workspace.project().map(|p| p.config.schema.clone()).unwrap_or_default();
        self.keymap = Keymap::new(self.workspace.mode(), &schema);
        let clashes = self.keymap.clashes.clone();
        if let Some(session) = self.workspace.session_mut() {
            for clash in clashes {
                session.notify(clash, true);
            }
        }
    }

    /// Saves everything now (quitting).
    pub fn save_all(&mut self) {
        self.workspace.save_all();
    }

    /// Draws one frame.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        // The session may have been driven directly since the last frame (tests, benchmarks).
        self.after_commands();
        let mut commands = std::mem::take(&mut self.queued);
        let (keyed, took_tab) = self.keyboard(&ctx);
        commands.extend(keyed);
        egui::Panel::top("menu").show(ui, |ui| {
            let name = self.workspace.project().map(|p| if p.config.name.is_empty() { p.root.display().to_string() } else { p.config.name.clone() });
            commands.extend(panels::menu::menu_bar(ui, &self.keymap, &self.settings.recent, name.as_deref()));
        });
        if let Some(error) = &self.error {
            ui.label(egui::RichText::new(error).color(ui.visuals().error_fg_color));
        }
        if self.workspace.session().is_some() {
            commands.extend(draw_panels(ui, &self.workspace, &mut self.view, &mut self.renderer, &self.keymap, &mut self.documents_filter));
        } else if self.dialog.is_none() && self.error.is_none() {
            ui.label("No project open: File, Open folder…");
        }
        panels::help::keyboard_reference(&ctx, &self.keymap, &mut self.help_open);
        if self.model_open
            && let Some(session) = self.workspace.annotating()
        {
            commands.extend(panels::model::model_window(&ctx, session, &mut self.model_open));
        }
        commands.extend(self.agreement_window(&ctx));
        commands.extend(self.corpus_windows(&ctx));
        if let Some(dialog) = &mut self.dialog {
            let outcome = dialog.show(&ctx, &self.workspace, &mut self.renderer);
            if outcome.closed {
                self.dialog = None;
            }
            commands.extend(outcome.commands);
        }
        for command in commands {
            self.run(&ctx, command);
        }
        if self.workspace.tick(Instant::now()) {
            // Proposals loading arrive within a frame or two; a save only needs seeing through.
            let loading = self.workspace.session().is_some_and(Session::proposers_loading);
            ctx.request_repaint_after(Duration::from_millis(if loading { 16 } else { 60 }));
        }
        if took_tab {
            // egui moves widget focus on Tab too, to the next widget drawn this frame (the File
            // menu, say), where Space would then open it; entity navigation owns Tab instead, so
            // that focus is taken back once everything is drawn.
            ctx.memory_mut(|memory| {
                if let Some(id) = memory.focused() {
                    memory.surrender_focus(id);
                }
            });
        }
    }

    /// The agreement window, while open; the article the reviewer chose there, if any.
    fn agreement_window(&mut self, ctx: &egui::Context) -> Vec<Command> {
        let (Some(view), Some(project)) = (&mut self.agreement, self.workspace.project()) else { return Vec::new() };
        view.poll();
        let (mut open, mut compute) = (true, false);
        let commands = panels::review::agreement_window(ctx, view, &mut open, &mut compute);
        if compute && view.picker.ready() {
            view.compute(project, ctx);
        }
        if !open {
            self.agreement = None;
        }
        commands
    }

    /// The corpus search and consistency windows, while open, with the index they share kept
    /// current; what the user asked for there.
    fn corpus_windows(&mut self, ctx: &egui::Context) -> Vec<Command> {
        let mut commands = Vec::new();
        if !self.search.open && !self.consistency.open {
            return commands;
        }
        let Some(session) = self.workspace.session() else { return commands };
        let project = &session.project;
        if self.corpus.as_ref().is_none_or(|c| c.root() != project.root) {
            self.corpus = Some(CorpusIndexState::new(project));
        }
        let Some(corpus) = &mut self.corpus else { return commands };
        if let Some(outcome) = corpus.poll(project, ctx) {
            self.consistency.take_outcome(outcome);
        }
        let schema = &project.config.schema;
        if self.search.open {
            if let Some(index) = corpus.index() {
                self.search.update(index, corpus.generation());
            }
            commands.extend(panels::search::search_window(ctx, &mut self.search, corpus, schema, &self.keymap, &mut self.renderer));
        }
        if self.consistency.open {
            let current = self.consistency.keep_current(&session.annotator, corpus, ctx);
            let checked = panels::consistency::Checked { source: &session.annotator, current, schema };
            commands.extend(panels::consistency::consistency_window(ctx, &mut self.consistency, corpus, &checked, &mut self.renderer));
        }
        if corpus.status() != corpus::IndexStatus::Ready || self.consistency.is_checking() {
            // Background work reports by repainting; the spinner wants frames meanwhile.
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        commands
    }

    /// A corpus window opened: files may have changed while none was open (the project watcher
    /// has told, unless it could not be started), so the index is refreshed before it is used.
    fn corpus_opened(&mut self) {
        if let Some(corpus) = &mut self.corpus {
            corpus.mark_stale();
        }
    }

    /// After an action that changed files the corpus windows look at: the open article is
    /// written now and the index reads what changed, so hits and findings show the new labels.
    fn corpus_files_changed(&mut self) {
        if let Some(corpus) = &mut self.corpus
            && (self.search.open || self.consistency.open)
        {
            if let Some(session) = self.workspace.session_mut() {
                session.save_now();
            }
            corpus.mark_stale();
        }
    }

    /// Carries out one command by its one dispatcher, then lets the view follow.
    pub fn run(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::App(command) => self.apply_app(ctx, command),
            Command::View(command) => {
                let open = self.workspace.session().and_then(|s| s.open.as_ref());
                if let Some(edit) = self.view.resolve(command, open, &mut self.renderer.engine) {
                    self.workspace.apply_edit(edit);
                }
            }
            Command::Edit(command) => {
                if let EditCommand::AcceptAbove(threshold) = command {
                    // The dialog opens with the score used last.
                    self.last_threshold = threshold;
                }
                if let (commands::EditCommand::Undo, Some(Dialog::Teach(teach))) = (&command, &mut self.dialog) {
                    // Undoing an answer brings its question back.
                    teach.back();
                }
                let across = matches!(
                    command,
                    EditCommand::LabelPlaces { .. }
                        | EditCommand::DecidePlaces { .. }
                        | EditCommand::RemovePlaces(_)
                        | EditCommand::EditArticles { .. }
                        | EditCommand::Undo
                        | EditCommand::Redo
                );
                self.workspace.apply_edit(command);
                if across {
                    self.corpus_files_changed();
                }
            }
            Command::Review(command) => self.workspace.apply_review(command),
            Command::Search(command) => {
                let index = self.corpus.as_ref().and_then(CorpusIndexState::index);
                for follow in self.search.apply(command, index) {
                    self.run(ctx, follow);
                }
            }
        }
        self.after_commands();
    }

    /// The view follows the session: another article, a character to bring into sight.
    fn after_commands(&mut self) {
        let events = self.workspace.take_view_events();
        self.view.sync(self.workspace.session().and_then(|s| s.open.as_ref()));
        self.view.handle(events, Instant::now());
    }

    /// What the window itself does.
    fn apply_app(&mut self, ctx: &egui::Context, command: AppCommand) {
        use AppCommand as A;
        match command {
            A::OpenFolderDialog => match rfd::FileDialog::new().set_title("Open a folder of articles").pick_folder() {
                Some(dir) => self.open_project(&dir),
                None if dataset_dialogs::no_file_dialog() => {
                    self.error = Some("No file dialog is available on this desktop (no D-Bus session); start with `tawsim open DIR` instead.".to_owned());
                }
                None => {}
            },
            A::OpenProject(dir) => self.open_project(&dir),
            A::Quit => {
                self.save_all();
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            A::ExportDialog | A::ImportDialog => match self.workspace.annotating().map(|s| &s.project) {
                Some(project) if command == A::ExportDialog => self.dialog = Some(Dialog::Export(Box::new(dataset_dialogs::ExportDialog::new(project)))),
                Some(project) => self.dialog = Some(Dialog::Import(Box::new(dataset_dialogs::ImportDialog::new(project)))),
                None => self.error = Some("Open a project first: export and import work on a project folder.".to_owned()),
            },
            A::AcceptAboveDialog => self.dialog = Some(Dialog::AcceptAbove { threshold: self.last_threshold }),
            A::MarkDone => match self.workspace.session().and_then(|s| s.open.as_ref()).map_or(0, OpenArticle::pending_count) {
                0 => self.workspace.apply_edit(commands::EditCommand::MarkDoneAndNext { reject_pending: false }),
                pending => self.dialog = Some(Dialog::ConfirmDone { pending }),
            },
            A::ReviewPicker => {
                let picked = self.reviewing();
                if let Some(project) = self.workspace.project() {
                    self.dialog = Some(Dialog::ReviewPicker(Picker::new(project, &picked)));
                }
            }
            A::AgreementView => {
                let picked = self.reviewing();
                self.agreement = match (self.agreement.take(), self.workspace.project()) {
                    (None, Some(project)) => Some(AgreementView::new(project, &picked, ctx)),
                    _ => None,
                };
            }
            A::CorpusSearch => {
                if self.search.open && panels::search::query_has_focus(ctx) {
                    self.search.open = false;
                    return;
                }
                // The selection, or else the focused entity, is what to look for.
                let open = self.workspace.session().and_then(|s| s.open.as_ref());
                let range = self.view.selection().or_else(|| open.and_then(|o| o.focused_span()).map(|s| s.range()));
                if let Some(text) = open.zip(range).and_then(|(o, r)| crate::model::char_slice(&o.text, r)).filter(|t| !t.trim().is_empty()) {
                    self.search.input = text.split_whitespace().collect::<Vec<_>>().join(" ");
                }
                self.search.open = true;
                self.search.focus_query = true;
                self.corpus_opened();
            }
            A::ConsistencyView => {
                self.consistency.open = !self.consistency.open;
                self.corpus_opened();
            }
            A::ApplyFix(fix) => self.apply_fix(&fix),
            A::StartReview(annotators) => self.enter_review(annotators, None),
            A::ReviewArticle { annotators, rel } => {
                // The reviewer chose the article to work on: the window has done its part.
                self.agreement = None;
                self.enter_review(annotators, Some(&rel));
            }
            A::LeaveReview => {
                self.workspace.leave_review();
                self.refresh_keymap();
            }
            A::SetAnnotator(name) => {
                self.settings.annotator = Some(name);
                let project = self.start.project.clone();
                self.open_project(&project);
            }
            A::InitProject(dir) => match Project::init(&dir) {
                Ok(_) => self.open_project(&dir),
                Err(error) => self.error = Some(error.to_string()),
            },
            A::RetrainModel => match self.workspace.session_mut() {
                Some(session) => session.retrain_now(),
                None => self.error = Some("Open a project first: the model learns from its annotations.".to_owned()),
            },
            A::ModelView => self.model_open = !self.model_open,
            A::TeachDialog => {
                if let Some(session) = self.workspace.session() {
                    self.dialog = Some(Dialog::Teach(dialogs::TeachState::new(std::sync::Arc::clone(&session.learner.insight))));
                }
            }
            A::TakeOverLock => {
                if let Some(root) = self.workspace.annotating().map(|s| s.project.root.clone()) {
                    // Reopening releases this window's own claim first, so only the other is taken.
                    self.workspace = Workspace::Closed;
                    self.open_project_taking_over(&root, true);
                }
            }
            A::ToggleHelp => self.help_open = !self.help_open,
            A::Escape => match &self.dialog {
                Some(dialog) if dialog.closes_on_escape() => self.dialog = None,
                Some(_) => {}
                None => {
                    self.view.close_popups();
                    self.view.clear_selection();
                    self.help_open = false;
                    self.model_open = false;
                    self.agreement = None;
                    self.search.open = false;
                    self.consistency.open = false;
                    self.workspace.apply_edit(commands::EditCommand::DismissOffer);
                }
            },
        }
    }

    /// Applies a consistency fix as one action, once the index says its edits still fit the
    /// files as they are now (the open article saved first); a fix that no longer fits is
    /// refused, and the check runs again.
    fn apply_fix(&mut self, fix: &crate::consistency::Fix) {
        let Some(session) = self.workspace.session_mut() else { return };
        if let Some(other) = fix.edits.iter().find(|e| e.annotator != session.annotator) {
            let text = format!("not applied: the fix edits {}'s files, and this window edits {}'s", other.annotator, session.annotator);
            session.notify(text, true);
            return;
        }
        session.save_now();
        let (Some(corpus), Some(project)) = (&mut self.corpus, self.workspace.project()) else { return };
        match corpus.apply_fix(project, fix) {
            Ok(_) => {
                let edits = fix.edits.iter().map(|e| (e.rel.clone(), e.edit.clone())).collect();
                self.workspace.apply_edit(EditCommand::EditArticles { edits, what: fix.title.clone() });
                self.corpus_files_changed();
            }
            Err(why) => {
                if let Some(session) = self.workspace.session_mut() {
                    session.notify(format!("not applied: {why}"), true);
                }
            }
        }
    }

    /// The annotators review mode compares (none outside it).
    fn reviewing(&self) -> Vec<String> {
        self.workspace.review().map(|r| r.state.annotators.clone()).unwrap_or_default()
    }

    /// Enters review mode (or changes whom it compares) at article `rel`, or where the annotator is.
    fn enter_review(&mut self, annotators: Vec<String>, rel: Option<&str>) {
        let Some(reviewer) = self.annotator() else { return };
        match self.workspace.enter_review(&reviewer, annotators, rel) {
            Ok(()) => self.refresh_keymap(),
            Err(error) => self.error = Some(error),
        }
    }

    /// Commands from the keyboard. While a text field has focus, a dialog is open or the search
    /// list has the keyboard, only shortcuts with Ctrl (and F1, Escape) count, so typing a digit
    /// in the filter never labels anything, a dialog owns Enter and digits, and digits in the
    /// search list label its hits. Also says whether Tab was taken.
    fn keyboard(&self, ctx: &egui::Context) -> (Vec<Command>, bool) {
        let typing = ctx.text_edit_focused() || self.dialog.is_some() || (self.search.open && panels::search::list_has_focus(ctx));
        let mut commands = Vec::new();
        let mut took_tab = false;
        ctx.input_mut(|input| {
            for (shortcut, command) in self.keymap.keyed() {
                let plain = !shortcut.modifiers.command && !shortcut.modifiers.ctrl;
                let always = matches!(shortcut.logical_key, egui::Key::F1 | egui::Key::Escape);
                if typing && plain && !always {
                    continue;
                }
                // Keys typed faster than frames arrive together: each press counts.
                let presses = input.count_and_consume_key(shortcut.modifiers, shortcut.logical_key);
                for _ in 0..presses {
                    took_tab |= shortcut.logical_key == egui::Key::Tab;
                    commands.push(command.clone());
                }
            }
        });
        (commands, took_tab)
    }
}

/// The status bar, documents list, entities (or review) list and editor of the active session.
fn draw_panels(
    ui: &mut egui::Ui,
    workspace: &Workspace,
    view: &mut ArticleView,
    renderer: &mut TextRenderer,
    keymap: &Keymap,
    filter: &mut String,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let Some(session) = workspace.session() else { return commands };
    let review = workspace.review().map(|r| &r.state);
    let schema = &session.project.config.schema;
    egui::Panel::bottom("status").show(ui, |ui| commands.extend(panels::status::status_bar(ui, session, view, keymap, renderer)));
    egui::Panel::left("documents").resizable(true).default_size(240.0).show(ui, |ui| {
        commands.extend(panels::documents::documents_panel(ui, session, filter));
    });
    egui::Panel::right("entities").resizable(true).default_size(280.0).show(ui, |ui| match (&session.open, review) {
        (Some(open), Some(review)) => commands.extend(panels::review::review_list(ui, open, review, schema, renderer)),
        (Some(open), None) => commands.extend(panels::entities::entities_panel(ui, open, schema, renderer, keymap)),
        (None, _) => {}
    });
    egui::CentralPanel::default().show(ui, |ui| match (&session.open, review) {
        (Some(open), Some(review)) => commands.extend(panels::review::review_editor(ui, open, review, schema, renderer, view, keymap)),
        (Some(open), None) => commands.extend(panels::editor::editor_panel(ui, open, schema, renderer, view, session.offer.as_ref(), keymap)),
        (None, _) => commands.extend(panels::editor::unreadable_article(ui, session)),
    });
    commands
}

impl eframe::App for TawsimApp {
    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.save_all();
        eframe::set_value(storage, SETTINGS_KEY, &self.settings());
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.save_all();
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }
}
