//! File → Export dataset… and File → Import…: the same exports and imports as `tawsim export` and
//! `tawsim import`, with a preview of what would be written before anything is.
//!
//! Both dialogs run their work on a thread of its own (a preview reads every annotation file of
//! the project; an import of ANERcorp writes hundreds of files), so the window never stalls; the
//! dialog shows the outcome, with every note and skipped line, when the thread is done.

use std::path::{Path, PathBuf};

use super::job::Job;
use crate::dataset::export::ExportEvent;
use crate::dataset::{ExportOptions, ExportPreview, ExportSummary, ImportFormat, ImportOptions, ImportReport, LabelChoice, OnError, SplitSpec};
use crate::formats::export::ExportFormat;
use crate::store::{GOLD, Project};
use crate::text_view::TextRenderer;
use crate::text_view::widget::InlineText;

/// Said where the desktop offers no file dialog.
const NO_FILE_DIALOG: &str = "No file dialog is available on this desktop (no D-Bus session): type the path instead.";

/// Whether rfd has no way to show a file dialog: it talks to the desktop's file-chooser portal
/// over D-Bus, and without a session bus it returns nothing at all, which must not look like a
/// dead button.
pub(crate) fn no_file_dialog() -> bool {
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none()
}

/// How many notes or skipped lines a dialog lists (all of them are counted).
const LISTED: usize = 200;

/// What a finished export reports.
struct Exported {
    /// The choices it was made with.
    options: ExportOptions,
    summary: ExportSummary,
    /// What the format could not hold as annotated (`document:offset: what changed`).
    notes: Vec<String>,
    /// Articles left out of the dataset, with why.
    left_out: Vec<String>,
}

/// A finished export, or why it failed.
type ExportOutcome = Result<Exported, String>;

/// The export dialog's choices, its preview and its run.
pub struct ExportDialog {
    project: Project,
    format: ExportFormat,
    sources: Vec<String>,
    source: String,
    done_only: bool,
    /// Each schema label and whether the dataset keeps it.
    labels: Vec<(String, bool)>,
    /// Renames, `FROM=TO` separated by commas (as `--map`); `TO` of `O` drops a label.
    renames: String,
    split: bool,
    /// Train, dev and test percentages.
    parts: [u32; 3],
    seed: u64,
    split_clitics: bool,
    out: String,
    force: bool,
    /// Said when the file dialog could not open.
    hint: Option<&'static str>,
    /// The options the preview shows, and the preview (or why there is none).
    previewed: Option<(ExportOptions, Result<ExportPreview, String>)>,
    preview_job: Option<(ExportOptions, Job<Result<ExportPreview, String>>)>,
    run: Option<Job<ExportOutcome>>,
    outcome: Option<ExportOutcome>,
}

impl ExportDialog {
    /// The dialog over `project`, exporting gold when there is any.
    pub fn new(project: &Project) -> Self {
        let sources = project.annotators().unwrap_or_default();
        // Gold is the default source; without gold files, the first annotator.
        let source = if sources.iter().any(|s| s == GOLD) { GOLD.to_owned() } else { sources.first().cloned().unwrap_or_else(|| GOLD.to_owned()) };
        let mut dialog = ExportDialog {
            project: project.clone(),
            format: ExportFormat::Jsonl,
            sources,
            source,
            done_only: false,
            labels: project.config.schema.labels.iter().map(|l| (l.name.clone(), true)).collect(),
            renames: String::new(),
            split: false,
            parts: [80, 10, 10],
            seed: 0,
            split_clitics: false,
            out: String::new(),
            force: false,
            hint: None,
            previewed: None,
            preview_job: None,
            run: None,
            outcome: None,
        };
        dialog.out = dialog.default_out().display().to_string();
        dialog
    }

    /// `<project>/exports/<source>.<ext>` (a folder for brat and for splits).
    fn default_out(&self) -> PathBuf {
        let name = if self.split || self.format.writes_folder() {
            format!("{}-{}", self.source, self.format.name())
        } else {
            format!("{}-{}.{}", self.source, self.format.name(), self.format.extension())
        };
        self.project.root.join("exports").join(name)
    }

    /// The export as chosen, or why the choices do not make one.
    fn options(&self) -> Result<ExportOptions, String> {
        if self.out.trim().is_empty() {
            return Err("choose where to write".to_owned());
        }
        let mut options = ExportOptions::new(self.format, Path::new(self.out.trim()));
        options.collect.source = self.source.clone();
        options.collect.done_only = self.done_only;
        for rename in self.renames.split(',').map(str::trim).filter(|r| !r.is_empty()) {
            options.collect.labels.map.push(LabelChoice::parse_map(rename).map_err(|e| format!("rename: {e}"))?);
        }
        // The boxes name the project's labels; the dataset keeps them under their new names.
        let kept: Vec<String> = self
            .labels
            .iter()
            .filter(|(_, keep)| *keep)
            .filter_map(|(label, _)| LabelChoice { map: options.collect.labels.map.clone(), keep: None }.output_name(label).map(str::to_owned))
            .collect();
        if kept.is_empty() {
            return Err("keep at least one label".to_owned());
        }
        if self.labels.iter().any(|(_, keep)| !keep) {
            options.collect.labels.keep = Some(kept);
        }
        if self.split {
            let [train, dev, test] = self.parts;
            options.split = Some(format!("{train},{dev},{test}").parse::<SplitSpec>()?);
            options.seed = self.seed;
        }
        options.split_clitics = self.split_clitics;
        options.force = self.force;
        Ok(options)
    }

    /// Starts a preview of the current choices when the shown one is of other choices.
    fn refresh_preview(&mut self, ctx: &egui::Context) {
        let Ok(options) = self.options() else { return };
        let shown = self.previewed.as_ref().map(|(o, _)| o);
        let running = self.preview_job.as_ref().map(|(o, _)| o);
        if shown == Some(&options) || running.is_some() {
            return;
        }
        let project = self.project.clone();
        let wanted = options.clone();
        let job = Job::start("tawsim-export-preview", ctx, move || crate::dataset::preview(&project, &wanted).map_err(|e| e.to_string()));
        self.preview_job = Some((options, job));
    }

    /// Takes in what the threads finished.
    fn poll(&mut self) {
        if let Some((options, job)) = &self.preview_job
            && let Some(outcome) = job.poll()
        {
            self.previewed = Some((options.clone(), outcome.and_then(|preview| preview)));
            self.preview_job = None;
        }
        if let Some(job) = &self.run
            && let Some(outcome) = job.poll()
        {
            self.outcome = Some(outcome.and_then(|done| done));
            self.run = None;
            // What was written is in the way now: the preview must say so.
            self.previewed = None;
        }
    }

    fn start_export(&mut self, options: ExportOptions, ctx: &egui::Context) {
        let project = self.project.clone();
        self.outcome = None;
        let written = options.clone();
        self.run = Some(Job::start("tawsim-export", ctx, move || {
            let (mut notes, mut left_out) = (Vec::new(), Vec::new());
            let summary = crate::dataset::export(&project, &options, &mut |event| match event {
                ExportEvent::Note(note) => notes.push(note.to_string()),
                ExportEvent::LeftOut(item) => left_out.push(item.to_string()),
            });
            summary.map(|summary| Exported { options: written, summary, notes, left_out }).map_err(|e| e.to_string())
        }));
    }

    /// Draws the dialog; whether it stays open.
    pub fn show(&mut self, ctx: &egui::Context, renderer: &mut TextRenderer) -> bool {
        self.poll();
        self.refresh_preview(ctx);
        let mut open = true;
        egui::Modal::new(egui::Id::unique("export-dataset")).show(ctx, |ui| {
            ui.set_width(560.0);
            // A constant height keeps the dialog (and its Export button) where it is while the
            // preview and the outcome come and go.
            ui.set_min_height(dialog_height(ctx));
            ui.heading("Export dataset");
            let before_out = self.default_out();
            egui::Grid::new("export-choices").num_columns(2).spacing([12.0, 6.0]).show(ui, |ui| {
                ui.label("Format");
                egui::ComboBox::from_id_salt("export-format").selected_text(self.format.describe()).width(380.0).show_ui(ui, |ui| {
                    for format in ExportFormat::ALL {
                        ui.selectable_value(&mut self.format, format, format.describe());
                    }
                });
                ui.end_row();
                ui.label("Annotations of");
                egui::ComboBox::from_id_salt("export-source").selected_text(&self.source).show_ui(ui, |ui| {
                    for source in &self.sources {
                        ui.selectable_value(&mut self.source, source.clone(), source);
                    }
                });
                ui.end_row();
                ui.label("Articles");
                ui.checkbox(&mut self.done_only, "only those marked done or reviewed");
                ui.end_row();
                ui.label("Labels");
                ui.horizontal_wrapped(|ui| {
                    for (label, keep) in &mut self.labels {
                        ui.checkbox(keep, label.as_str());
                    }
                });
                ui.end_row();
                ui.label("Rename");
                ui.add(egui::TextEdit::singleline(&mut self.renames).desired_width(360.0).hint_text("e.g. PERS=PER, MISC=O (O drops a label)"));
                ui.end_row();
                ui.label("Split");
                ui.horizontal(|ui| {
                    ui.checkbox(&mut self.split, "train / dev / test by article");
                    ui.add_enabled_ui(self.split, |ui| {
                        for (part, name) in self.parts.iter_mut().zip(["train", "dev", "test"]) {
                            ui.add(egui::DragValue::new(part).range(0..=100).suffix(" %")).on_hover_text(name);
                        }
                        ui.label("seed");
                        ui.add(egui::DragValue::new(&mut self.seed));
                    });
                });
                ui.end_row();
                ui.label("Tokens");
                // Plain egui labels have no bidi, so the letters themselves are left to the README and --help.
                ui.checkbox(&mut self.split_clitics, "proclitics as tokens of their own (--split-clitics)");
                ui.end_row();
                ui.label("Write to");
                ui.horizontal(|ui| {
                    ui.add(egui::TextEdit::singleline(&mut self.out).desired_width(360.0));
                    if ui.button("Choose…").clicked() {
                        match self.choose_out() {
                            Some(path) => self.out = path.display().to_string(),
                            None if no_file_dialog() => self.hint = Some(NO_FILE_DIALOG),
                            None => {}
                        }
                    }
                });
                ui.end_row();
                ui.label("");
                ui.checkbox(&mut self.force, "write over what is there");
                ui.end_row();
            });
            if let Some(hint) = self.hint {
                ui.colored_label(ui.visuals().warn_fg_color, hint);
            }
            // The suggested path follows the format and source until the user types their own.
            if self.out == before_out.display().to_string() {
                self.out = self.default_out().display().to_string();
            }
            ui.separator();
            let options = self.options();
            self.preview_ui(ui, options.as_ref().err());
            ui.separator();
            self.outcome_ui(ui, renderer);
            ui.horizontal(|ui| {
                let blocked = self
                    .previewed
                    .as_ref()
                    .is_none_or(|(shown, preview)| Some(shown) != options.as_ref().ok() || preview.as_ref().map_or(true, |p| p.blocked.is_some()));
                let ready = self.run.is_none() && !blocked;
                if ui.add_enabled(ready, egui::Button::new("Export")).clicked()
                    && let Ok(options) = options.clone()
                {
                    self.start_export(options, ui.ctx());
                }
                if self.run.is_some() {
                    ui.spinner();
                    ui.label("exporting…");
                }
                if ui.button("Close").clicked() {
                    open = false;
                }
            });
        });
        open
    }

    /// A file or folder dialog for the output, as the format and split want.
    fn choose_out(&self) -> Option<PathBuf> {
        let dialog = rfd::FileDialog::new().set_directory(&self.project.root);
        if self.split || self.format.writes_folder() {
            dialog.set_title("Folder to export into").pick_folder()
        } else {
            dialog.set_title("Export dataset as").set_file_name(format!("{}.{}", self.source, self.format.extension())).save_file()
        }
    }

    fn preview_ui(&self, ui: &mut egui::Ui, invalid: Option<&String>) {
        if let Some(reason) = invalid {
            ui.colored_label(ui.visuals().warn_fg_color, reason);
            return;
        }
        match &self.previewed {
            _ if self.preview_job.is_some() => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("counting…");
                });
            }
            None => {}
            Some((_, Err(error))) => {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            Some((_, Ok(preview))) => {
                let counts = &preview.counts;
                egui::Grid::new("export-preview").striped(true).show(ui, |ui| {
                    ui.strong("");
                    ui.strong("articles");
                    for label in &counts.labels {
                        ui.strong(label);
                    }
                    ui.end_row();
                    for part in &counts.parts {
                        ui.label(part.part.map_or("all", |p| p.name()));
                        ui.label(part.documents.to_string());
                        for n in &part.entities {
                            ui.label(n.to_string());
                        }
                        ui.end_row();
                    }
                });
                let left_out = counts.no_file + counts.not_done + counts.failed;
                if left_out > 0 {
                    ui.label(format!(
                        "Left out: {} article(s) without a {} file, {} not done, {} that do not load.",
                        counts.no_file, counts.source, counts.not_done, counts.failed
                    ));
                }
                let files: Vec<String> = preview.layout.parts.iter().map(|(_, path)| path.display().to_string()).collect();
                ui.label(egui::RichText::new(format!("Writes {}", files.join(", "))).weak());
                let just_written = matches!(&self.outcome, Some(Ok(done)) if self.previewed.as_ref().is_some_and(|(shown, _)| *shown == done.options));
                match &preview.blocked {
                    Some(_) if just_written => {
                        ui.label(egui::RichText::new("Written: see below. Exporting the same again needs “write over what is there”.").weak());
                    }
                    Some(blocked) => {
                        ui.colored_label(ui.visuals().warn_fg_color, format!("{blocked}; choose another place, or tick “write over what is there”"));
                    }
                    None => {}
                }
            }
        }
    }

    fn outcome_ui(&self, ui: &mut egui::Ui, renderer: &mut TextRenderer) {
        match &self.outcome {
            None => {}
            Some(Err(error)) => {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            Some(Ok(done)) => {
                ui.label(done.summary.to_string());
                listed_lines(ui, renderer, "export-notes", "note(s): what the format could not hold as annotated", &done.notes);
                listed_lines(ui, renderer, "export-left-out", "article(s) left out", &done.left_out);
            }
        }
    }
}

/// The height of the export and import dialogs: constant, within the window.
fn dialog_height(ctx: &egui::Context) -> f32 {
    (ctx.content_rect().height() - 120.0).clamp(200.0, 640.0)
}

/// A scrolled list of the first [`LISTED`] lines, under a heading that counts them all. The lines
/// quote Arabic names, so they go through the bidi-aware text engine.
fn listed_lines(ui: &mut egui::Ui, renderer: &mut TextRenderer, id: &str, what: &str, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    ui.label(format!("{} {what}", lines.len()));
    egui::ScrollArea::vertical().id_salt(id).max_height(160.0).show(ui, |ui| {
        let width = ui.available_width();
        for line in lines.iter().take(LISTED) {
            InlineText::new(line, 13.0).wrap(width).show(ui, renderer);
        }
        if lines.len() > LISTED {
            ui.label(format!("… and {} more", lines.len() - LISTED));
        }
    });
}

/// The import dialog's choices and its run.
pub struct ImportDialog {
    project_root: PathBuf,
    source: String,
    format: ImportFormat,
    annotator: String,
    sentences_per_article: usize,
    skip_errors: bool,
    /// Into a new project folder instead of the open project.
    into_new: bool,
    new_project: String,
    /// Said when the file dialog could not open.
    hint: Option<&'static str>,
    run: Option<Job<Result<ImportReport, String>>>,
    outcome: Option<Result<ImportReport, String>>,
}

impl ImportDialog {
    /// The dialog importing into `project` (or into a new project).
    pub fn new(project: &Project) -> Self {
        ImportDialog {
            project_root: project.root.clone(),
            source: String::new(),
            format: ImportFormat::Conll,
            annotator: GOLD.to_owned(),
            sentences_per_article: 50,
            skip_errors: false,
            into_new: false,
            new_project: project.root.parent().unwrap_or(&project.root).join("imported").display().to_string(),
            hint: None,
            run: None,
            outcome: None,
        }
    }

    /// The format a source's name suggests.
    fn guess_format(path: &Path) -> Option<ImportFormat> {
        if path.is_dir() {
            return Some(ImportFormat::Brat);
        }
        match path.extension()?.to_str()? {
            "conll" | "conllu" | "iob" | "bio" | "tsv" => Some(ImportFormat::Conll),
            "jsonl" | "json" => Some(ImportFormat::Jsonl),
            "ann" => Some(ImportFormat::Brat),
            "ron" => Some(ImportFormat::Ron),
            _ => None,
        }
    }

    fn options(&self) -> Result<ImportOptions, String> {
        let source = self.source.trim();
        if source.is_empty() {
            return Err("choose a file to import".to_owned());
        }
        let into = if self.into_new { PathBuf::from(self.new_project.trim()) } else { self.project_root.clone() };
        let mut options = ImportOptions::new(self.format, Path::new(source), &into);
        options.annotator = self.annotator.trim().to_owned();
        crate::store::validate_annotator(&options.annotator).map_err(|e| format!("as: {e}"))?;
        options.sentences_per_article = self.sentences_per_article.max(1);
        options.on_error = if self.skip_errors { OnError::Skip } else { OnError::Stop };
        Ok(options)
    }

    /// Draws the dialog; what its closing asks of the window, once it closes.
    pub fn show(&mut self, ctx: &egui::Context, renderer: &mut TextRenderer) -> Option<ImportClosed> {
        if let Some(job) = &self.run
            && let Some(outcome) = job.poll()
        {
            self.outcome = Some(outcome.and_then(|report| report));
            self.run = None;
        }
        let mut closed = None;
        egui::Modal::new(egui::Id::unique("import-dataset")).show(ctx, |ui| {
            ui.set_width(560.0);
            ui.set_min_height(dialog_height(ctx));
            ui.heading("Import annotations");
            egui::Grid::new("import-choices").num_columns(2).spacing([12.0, 6.0]).show(ui, |ui| {
                let label = ui.label("File");
                ui.horizontal(|ui| {
                    let edit = ui
                        .add(
                            egui::TextEdit::singleline(&mut self.source)
                                .desired_width(360.0)
                                .hint_text("a .conll, .jsonl, .ann or .ron file, or a brat folder"),
                        )
                        .labelled_by(label.id);
                    let mut chosen = edit.changed();
                    if ui.button("Choose…").clicked() {
                        match rfd::FileDialog::new().set_title("Import annotations from").pick_file() {
                            Some(path) => {
                                self.source = path.display().to_string();
                                chosen = true;
                            }
                            None if no_file_dialog() => self.hint = Some(NO_FILE_DIALOG),
                            None => {}
                        }
                    }
                    if chosen && let Some(format) = Self::guess_format(Path::new(self.source.trim())) {
                        self.format = format;
                    }
                });
                ui.end_row();
                ui.label("Format");
                ui.horizontal(|ui| {
                    for (format, name) in
                        [(ImportFormat::Conll, "CoNLL"), (ImportFormat::Jsonl, "JSONL"), (ImportFormat::Brat, "brat"), (ImportFormat::Ron, "tawsim RON")]
                    {
                        ui.radio_value(&mut self.format, format, name);
                    }
                });
                ui.end_row();
                if self.format == ImportFormat::Conll {
                    ui.label("Articles of");
                    ui.add(egui::DragValue::new(&mut self.sentences_per_article).range(1..=100_000).suffix(" sentences (without -DOCSTART- lines)"));
                    ui.end_row();
                }
                ui.label("As annotator");
                ui.add(egui::TextEdit::singleline(&mut self.annotator).desired_width(160.0));
                ui.end_row();
                ui.label("Into");
                ui.vertical(|ui| {
                    ui.radio_value(&mut self.into_new, false, format!("this project ({})", self.project_root.display()));
                    ui.horizontal(|ui| {
                        ui.radio_value(&mut self.into_new, true, "a new project folder");
                        ui.add_enabled(self.into_new, egui::TextEdit::singleline(&mut self.new_project).desired_width(280.0));
                    });
                });
                ui.end_row();
                ui.label("On a problem");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut self.skip_errors, false, "stop, write nothing");
                    ui.radio_value(&mut self.skip_errors, true, "leave it out, import the rest");
                });
                ui.end_row();
            });
            if let Some(hint) = self.hint {
                ui.colored_label(ui.visuals().warn_fg_color, hint);
            }
            ui.separator();
            let options = self.options();
            if let Err(reason) = &options {
                ui.colored_label(ui.visuals().warn_fg_color, reason);
            }
            match &self.outcome {
                None => {}
                Some(Err(error)) => {
                    let width = ui.available_width();
                    InlineText::new(error, 14.0).color(ui.visuals().error_fg_color).wrap(width).show(ui, renderer);
                }
                Some(Ok(report)) => {
                    let entities: Vec<String> = report.entities.iter().map(|(l, n)| format!("{l} {n}")).collect();
                    ui.label(format!(
                        "Imported {} document(s) into {} as {} ({} new article(s)): {}.",
                        report.documents,
                        report.root.display(),
                        report.annotator,
                        report.articles_written,
                        if entities.is_empty() { "no entities".to_owned() } else { entities.join(", ") }
                    ));
                    let skipped: Vec<String> = report.skipped.iter().map(ToString::to_string).collect();
                    listed_lines(ui, renderer, "import-skipped", "span(s), line(s) or document(s) left out", &skipped);
                }
            }
            ui.horizontal(|ui| {
                if ui.add_enabled(self.run.is_none() && options.is_ok(), egui::Button::new("Import")).clicked()
                    && let Ok(options) = options
                {
                    self.outcome = None;
                    self.run = Some(Job::start("tawsim-import", ui.ctx(), move || crate::dataset::import(&options).map_err(|e| e.to_string())));
                }
                if self.run.is_some() {
                    ui.spinner();
                    ui.label("importing…");
                }
                if ui.button("Close").clicked() {
                    closed = Some(match &self.outcome {
                        Some(Ok(report)) => ImportClosed::Open(report.root.clone()),
                        _ => ImportClosed::Nothing,
                    });
                }
            });
        });
        closed
    }
}

/// What closing the import dialog asks of the window.
pub enum ImportClosed {
    /// Nothing was imported.
    Nothing,
    /// Open (or reopen, to see the new files) the project imported into.
    Open(PathBuf),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_formats_are_guessed_from_the_name() {
        for (name, format) in [
            ("a.conll", Some(ImportFormat::Conll)),
            ("b.jsonl", Some(ImportFormat::Jsonl)),
            ("c.ann", Some(ImportFormat::Brat)),
            ("d.ron", Some(ImportFormat::Ron)),
            ("e.pdf", None),
        ] {
            assert_eq!(ImportDialog::guess_format(Path::new(name)), format, "{name}");
        }
    }

    #[test]
    fn export_choices_become_options() {
        let project = Project::open(&crate::sample_project_dir()).expect("sample project");
        let mut dialog = ExportDialog::new(&project);
        assert_eq!(dialog.source, GOLD, "gold is the default source");
        assert!(dialog.out.ends_with("gold-jsonl.jsonl"), "{}", dialog.out);
        dialog.labels[3].1 = false;
        dialog.split = true;
        let options = dialog.options().expect("valid choices");
        assert_eq!(options.collect.labels.keep.as_deref(), Some(&["PERS".to_owned(), "LOC".to_owned(), "ORG".to_owned()][..]));
        assert_eq!(options.split, Some("80,10,10".parse().expect("split")));
        dialog.parts = [80, 10, 5];
        assert!(dialog.options().is_err(), "parts must add up to 100");
        dialog.parts = [80, 10, 10];
        dialog.renames = "PERS=PER, MISC=O".to_owned();
        let options = dialog.options().expect("valid renames");
        assert_eq!(options.collect.labels.map, [("PERS".to_owned(), Some("PER".to_owned())), ("MISC".to_owned(), None)]);
        assert_eq!(options.collect.labels.keep.as_deref(), Some(&["PER".to_owned(), "LOC".to_owned(), "ORG".to_owned()][..]), "kept under the new name");
        dialog.renames = "PERS".to_owned();
        assert!(dialog.options().is_err_and(|e| e.starts_with("rename: ")));
        dialog.renames.clear();
        dialog.labels.iter_mut().for_each(|(_, keep)| *keep = false);
        assert_eq!(dialog.options().err().as_deref(), Some("keep at least one label"));
    }
}
