//! The eframe application: window layout, keyboard dispatch, dialogs and settings. Panels return
//! commands; `Session::apply` carries them out.

pub mod commands;
pub mod dataset_dialogs;
pub mod history;
pub mod job;
pub mod panels;
pub mod review;
pub mod saver;
pub mod session;

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use self::commands::{Binding, Command, Scope, bindings};
use self::panels::editor::{EditorState, editor_panel};
use self::session::Session;
use crate::store::{ConfigError, Project, ProjectError};
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
}

/// The main window.
pub struct TawsimApp {
    session: Option<Session>,
    settings: Settings,
    start: StartOptions,
    renderer: TextRenderer,
    editor: EditorState,
    bindings: Vec<Binding>,
    filter: String,
    help_open: bool,
    name_input: String,
    offer_init: Option<PathBuf>,
    error: Option<String>,
    /// The accept-above-a-score dialog, with the score chosen so far.
    accept_above: Option<f32>,
    /// The score the dialog opens with: the last one used.
    last_threshold: f32,
    /// Review mode and its dialogs.
    review: review::ReviewUi,
    /// The export and import dialogs.
    dataset: dataset_dialogs::DatasetDialogs,
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
        let mut app = Self {
            session: None,
            settings,
            start: start.clone(),
            renderer: TextRenderer::new(),
            editor: EditorState::default(),
            bindings: Vec::new(),
            filter: String::new(),
            help_open: false,
            name_input: String::new(),
            offer_init: None,
            accept_above: None,
            last_threshold: 0.9,
            error: None,
            review: review::ReviewUi::default(),
            dataset: dataset_dialogs::DatasetDialogs::default(),
        };
        if app.annotator().is_some() {
            app.open_project(&start.project);
        }
        app
    }

    /// Whose annotations are edited: `--annotator` for this run, else the remembered name.
    fn annotator(&self) -> Option<String> {
        self.start.annotator.clone().or_else(|| self.settings.annotator.clone())
    }

    /// The session, once a project is open.
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// The session, mutably (tests drive it through commands).
    pub fn session_mut(&mut self) -> Option<&mut Session> {
        self.session.as_mut()
    }

    /// The settings as they would be saved now.
    pub fn settings(&self) -> Settings {
        let mut settings = self.settings.clone();
        if let Some(session) = &self.session {
            settings.last_project = Some(session.project.root.clone());
            settings.last_article = session.open.as_ref().map(|o| session.articles[o.index].rel.clone());
            settings.font_size = Some(session.font_size);
        }
        settings
    }

    fn open_project(&mut self, root: &Path) {
        let Some(annotator) = self.annotator() else { return };
        self.leave_review();
        let start_at = (self.settings.last_project.as_deref() == Some(root)).then(|| self.settings.last_article.clone()).flatten();
        if let Some(session) = &mut self.session {
            session.save_now();
        }
        match Session::open(root, &annotator, start_at.as_deref()) {
            Ok(mut session) => {
                if let Some(size) = self.settings.font_size {
                    session.set_font_size(size);
                }
                self.bindings = bindings(&session.project.config.schema);
                self.settings.recent.retain(|p| p != root);
                self.settings.recent.insert(0, root.to_owned());
                self.settings.recent.truncate(RECENT_LIMIT);
                self.settings.last_project = Some(root.to_owned());
                self.session = Some(session);
                self.error = None;
                self.offer_init = None;
            }
            Err(ProjectError::Config(ConfigError::Missing { .. })) => {
                self.offer_init = Some(root.to_owned());
            }
            Err(error) => self.error = Some(error.to_string()),
        }
    }

    /// Saves everything now (quitting).
    pub fn save_all(&mut self) {
        if let Some(session) = &mut self.session {
            session.save_now();
        }
        if let Some(mode) = &mut self.review.mode {
            mode.session.save_now();
        }
    }

    /// Draws one frame.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if self.annotator().is_none() {
            self.ask_name(&ctx);
            return;
        }
        if let Some(dir) = self.offer_init.clone() {
            self.ask_init(&ctx, &dir);
        }
        let mut commands = self.keyboard(&ctx);
        self.menu_bar(ui, &mut commands);
        if let Some(error) = &self.error {
            ui.label(egui::RichText::new(error).color(ui.visuals().error_fg_color));
        }
        // In review mode the window shows the gold session, with the review's list and editor.
        let (session, review) = match (&mut self.review.mode, &mut self.session) {
            (Some(mode), _) => (&mut mode.session, Some(&mode.state)),
            (None, Some(session)) => (session, None),
            (None, None) => {
                if self.offer_init.is_none() && self.error.is_none() {
                    ui.label("No project open. File → Open folder…");
                }
                self.run_window_commands(&ctx, commands);
                return;
            }
        };
        egui::Panel::bottom("status").show(ui, |ui| {
            panels::status::status_bar(ui, session, self.editor.hovered);
        });
        egui::Panel::left("documents").resizable(true).default_size(240.0).show(ui, |ui| {
            commands.extend(panels::documents::documents_panel(ui, session, &mut self.filter));
        });
        egui::Panel::right("entities").resizable(true).default_size(280.0).show(ui, |ui| match (&session.open, review) {
            (Some(open), Some(review)) => commands.extend(panels::review::review_list(ui, open, review, &session.project.config.schema, &mut self.renderer)),
            (Some(open), None) => commands.extend(panels::entities::entities_panel(ui, open, &session.project.config.schema, &mut self.renderer)),
            (None, _) => {}
        });
        egui::CentralPanel::default().show(ui, |ui| {
            let schema = session.project.config.schema.clone();
            match &mut session.open {
                Some(open) => match review {
                    Some(review) => commands.extend(panels::review::review_editor(ui, open, review, &schema, &mut self.renderer, &mut self.editor)),
                    None => commands.extend(editor_panel(ui, open, &schema, &mut self.renderer, &mut self.editor, session.offer.as_ref())),
                },
                None => unreadable_article(ui, session, &mut commands),
            }
        });
        panels::help::keyboard_reference(&ctx, &self.bindings, &mut self.help_open);
        if let Some(threshold) = &mut self.accept_above
            && let Some(open) = &session.open
        {
            let scores: Vec<f32> = open.pending_spans().map(session::proposal_score).collect();
            match accept_above_dialog(&ctx, threshold, &scores) {
                Some(true) => commands.push(Command::AcceptAbove(*threshold)),
                Some(false) => self.accept_above = None,
                None => {}
            }
        }
        commands.extend(self.review_dialogs(&ctx));
        if let Some(imported_into) = self.dataset.show(&ctx) {
            commands.push(Command::OpenProject(imported_into));
        }
        self.run_window_commands(&ctx, commands);
        if let Some(session) = self.active_session() {
            session.tick(Instant::now());
            if session.save_pending() {
                ctx.request_repaint_after(std::time::Duration::from_millis(60));
            }
        }
    }

    fn run_window_commands(&mut self, ctx: &egui::Context, commands: Vec<Command>) {
        for command in commands {
            match command {
                Command::ToggleFind => self.editor.toggle_find(),
                Command::ToggleHelp => self.help_open = !self.help_open,
                Command::Quit => {
                    self.save_all();
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
                Command::OpenFolderDialog => match rfd::FileDialog::new().set_title("Open a folder of articles").pick_folder() {
                    Some(dir) => self.open_project(&dir),
                    None if dataset_dialogs::no_file_dialog() => {
                        self.error = Some("No file dialog is available on this desktop (no D-Bus session); start with `tawsim open DIR` instead.".to_owned());
                    }
                    None => {}
                },
                Command::OpenProject(dir) => self.open_project(&dir),
                Command::ExportDialog | Command::ImportDialog => match &self.session {
                    Some(session) if command == Command::ExportDialog => self.dataset.open_export(&session.project),
                    Some(session) => self.dataset.open_import(&session.project),
                    None => self.error = Some("Open a project first: export and import work on a project folder.".to_owned()),
                },
                Command::AcceptAboveDialog => self.accept_above = Some(self.last_threshold),
                Command::AcceptAbove(threshold) => {
                    self.last_threshold = threshold;
                    self.accept_above = None;
                    if let Some(session) = &mut self.session {
                        session.apply(Command::AcceptAbove(threshold));
                    }
                }
                Command::Escape => {
                    self.accept_above = None;
                    self.editor.close_popups();
                    self.help_open = false;
                    self.review.picker = None;
                    self.dataset.close();
                    self.apply_active(Command::Escape);
                }
                command @ (Command::ReviewPicker | Command::AgreementView | Command::Review(_)) => self.review_command(ctx, command),
                other => self.apply_active(other),
            }
        }
    }

    /// Commands from the keyboard. While a text field has focus only shortcuts with Ctrl (and F1,
    /// Escape) count, so typing a digit in the filter never labels anything.
    fn keyboard(&self, ctx: &egui::Context) -> Vec<Command> {
        // A dialog owns the plain keys while it is open (Enter, digits in its fields).
        let typing = ctx.text_edit_focused() || self.accept_above.is_some() || self.review.owns_keys() || self.dataset.is_open();
        let mut commands = Vec::new();
        let mut took_tab = false;
        ctx.input_mut(|input| {
            for binding in &self.bindings {
                let plain = !binding.shortcut.modifiers.command && !binding.shortcut.modifiers.ctrl;
                let always = matches!(binding.shortcut.logical_key, egui::Key::F1 | egui::Key::Escape);
                if typing && plain && !always {
                    continue;
                }
                // Keys typed faster than frames arrive together: each press counts.
                let presses = input.count_and_consume_key(binding.shortcut.modifiers, binding.shortcut.logical_key);
                for _ in 0..presses {
                    took_tab |= binding.shortcut.logical_key == egui::Key::Tab;
                    commands.push(binding.command.clone());
                }
            }
        });
        if took_tab {
            // egui has already moved widget focus on this Tab; entity navigation owns it instead.
            ctx.memory_mut(|memory| {
                if let Some(id) = memory.focused() {
                    memory.surrender_focus(id);
                }
            });
        }
        commands
    }

    fn menu_bar(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let bindings = &self.bindings;
        // Menu entries take their title and shortcut from the key bindings, so menus, keys and the
        // F1 reference cannot drift apart.
        let item = |ui: &mut egui::Ui, command: Command, commands: &mut Vec<Command>| {
            let binding = bindings.iter().find(|b| b.command == command);
            let title = binding.map_or_else(|| format!("{command:?}"), |b| b.title.clone());
            let mut button = egui::Button::new(title);
            if let Some(binding) = binding {
                button = button.shortcut_text(ui.ctx().format_shortcut(&binding.shortcut));
            }
            if ui.add(button).clicked() {
                commands.push(command);
            }
        };
        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| {
                ui.menu_button("File", |ui| {
                    item(ui, Command::OpenFolderDialog, commands);
                    ui.separator();
                    item(ui, Command::ExportDialog, commands);
                    item(ui, Command::ImportDialog, commands);
                    ui.menu_button("Recent projects", |ui| {
                        for path in &self.settings.recent {
                            if ui.button(path.display().to_string()).clicked() {
                                commands.push(Command::OpenProject(path.clone()));
                            }
                        }
                    });
                    ui.separator();
                    item(ui, Command::Quit, commands);
                });
                ui.menu_button("Edit", |ui| {
                    item(ui, Command::Undo, commands);
                    item(ui, Command::Redo, commands);
                    ui.separator();
                    item(ui, Command::ToggleFind, commands);
                });
                // Review mode has its own keys for articles and decisions.
                if let Some(mode) = &self.review.mode {
                    panels::review::review_menu(ui, &mode.state.annotators, &item, commands);
                } else {
                    ui.menu_button("Article", |ui| {
                        item(ui, Command::MarkDoneAndNext, commands);
                        item(ui, Command::NextArticle, commands);
                        item(ui, Command::PreviousArticle, commands);
                        ui.separator();
                        item(ui, Command::NextEntity, commands);
                        item(ui, Command::PreviousEntity, commands);
                        item(ui, Command::DeleteFocused, commands);
                    });
                    ui.menu_button("Proposals", |ui| {
                        item(ui, Command::AcceptFocused, commands);
                        item(ui, Command::RejectFocused, commands);
                        item(ui, Command::AcceptSameText, commands);
                        item(ui, Command::AcceptAboveDialog, commands);
                        ui.separator();
                        item(ui, Command::NextProposal, commands);
                        item(ui, Command::PreviousProposal, commands);
                        ui.separator();
                        item(ui, Command::LabelOccurrencesOfFocused(Scope::Article), commands);
                        item(ui, Command::LabelOccurrencesOfFocused(Scope::Project), commands);
                    });
                }
                ui.menu_button("View", |ui| {
                    item(ui, Command::ZoomIn, commands);
                    item(ui, Command::ZoomOut, commands);
                    item(ui, Command::ZoomReset, commands);
                    ui.separator();
                    item(ui, Command::ReviewPicker, commands);
                    item(ui, Command::AgreementView, commands);
                    ui.separator();
                    item(ui, Command::ToggleHelp, commands);
                });
                if let Some(session) = &self.session {
                    ui.separator();
                    let name = &session.project.config.name;
                    ui.label(egui::RichText::new(if name.is_empty() { session.project.root.display().to_string() } else { name.clone() }).weak());
                }
            });
        });
    }

    fn ask_name(&mut self, ctx: &egui::Context) {
        egui::Modal::new(egui::Id::unique("annotator-name")).show(ctx, |ui| {
            ui.heading("Welcome to tawsim");
            ui.label("Your name is stored with every annotation you make (annotations/<name>/…).");
            ui.label("Letters, digits, - and _ ; it is asked only once.");
            let edit = ui.add(egui::TextEdit::singleline(&mut self.name_input).hint_text("e.g. amal"));
            edit.request_focus();
            let valid = crate::store::validate_annotator(self.name_input.trim());
            if let Err(reason) = &valid
                && !self.name_input.trim().is_empty()
            {
                ui.label(egui::RichText::new(reason.to_string()).color(ui.visuals().error_fg_color));
            }
            let submit = ui.add_enabled(valid.is_ok(), egui::Button::new("Start annotating")).clicked()
                || (valid.is_ok() && ui.input(|i| i.key_pressed(egui::Key::Enter)));
            if submit {
                self.settings.annotator = Some(self.name_input.trim().to_owned());
                let project = self.start.project.clone();
                self.open_project(&project);
            }
        });
    }

    fn ask_init(&mut self, ctx: &egui::Context, dir: &Path) {
        egui::Modal::new(egui::Id::unique("make-project")).show(ctx, |ui| {
            ui.heading("Not a tawsim project yet");
            ui.label(format!("{} has no tawsim.ron.", dir.display()));
            ui.label("Make it a project with the ANERcorp labels (PERS, LOC, ORG, MISC)? Its .txt files are not changed.");
            ui.horizontal(|ui| {
                if ui.button("Make project").clicked() {
                    match Project::init(dir) {
                        Ok(_) => {
                            self.offer_init = None;
                            self.open_project(dir);
                        }
                        Err(error) => {
                            self.offer_init = None;
                            self.error = Some(error.to_string());
                        }
                    }
                }
                if ui.button("Cancel").clicked() {
                    self.offer_init = None;
                }
            });
        });
    }
}

/// The accept-above-a-score dialog: a slider with the count it would accept. Returns
/// `Some(true)` to accept, `Some(false)` to cancel.
fn accept_above_dialog(ctx: &egui::Context, threshold: &mut f32, scores: &[f32]) -> Option<bool> {
    let mut outcome = None;
    egui::Modal::new(egui::Id::unique("accept-above")).show(ctx, |ui| {
        ui.heading("Accept proposals above a score");
        ui.add(egui::Slider::new(threshold, 0.0..=1.0).step_by(0.05).text("lowest score"));
        let count = scores.iter().filter(|&&s| s >= *threshold).count();
        ui.label(format!("{count} of the article's {} proposal(s) score {:.2} or more.", scores.len(), threshold));
        ui.horizontal(|ui| {
            let accept = ui.add_enabled(count > 0, egui::Button::new(format!("Accept {count}"))).clicked()
                || (count > 0 && ui.input(|i| i.key_pressed(egui::Key::Enter)));
            if accept {
                outcome = Some(true);
            }
            if ui.button("Cancel").clicked() {
                outcome = Some(false);
            }
        });
    });
    outcome
}

/// What the editor shows for an article that could not be opened.
fn unreadable_article(ui: &mut egui::Ui, session: &session::Session, commands: &mut Vec<Command>) {
    let Some(index) = session.unreadable_selected else {
        ui.label("No article.");
        return;
    };
    let entry = &session.articles[index];
    ui.heading(&entry.rel);
    if let Some(trouble) = &entry.trouble {
        ui.label(egui::RichText::new(trouble).color(ui.visuals().warn_fg_color));
    }
    if let Some(encoding) = entry.decodable
        && ui.button(format!("Open it decoded as {encoding}")).clicked()
    {
        commands.push(Command::OpenDecoded(index));
    }
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
