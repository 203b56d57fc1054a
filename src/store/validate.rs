//! Checking a whole project: every article and every annotation file of every annotator.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::annotation_io::{AnnotationError, read_annotation};
use super::article::{ArticleError, ArticleText, read_article};
use super::names::{document_for_annotation, validate_annotator};
use super::problem::{Problem, ProblemKind};
use super::project::{Project, ProjectError};

/// What `validate_project` found.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Every fault, in the order found.
    pub problems: Vec<Problem>,
    /// Articles in the corpus.
    pub articles: usize,
    /// Annotation files read.
    pub annotation_files: usize,
    /// Spans in the annotation files that loaded.
    pub spans: usize,
    /// Annotator folders seen.
    pub annotators: Vec<String>,
}

impl Report {
    /// Problems tawsim cannot repair by itself.
    pub fn errors(&self) -> usize {
        self.problems.iter().filter(|p| !p.kind.is_fixed()).count()
    }

    /// Problems repaired automatically when the document is next opened.
    pub fn fixable(&self) -> usize {
        self.problems.iter().filter(|p| p.kind.is_fixed()).count()
    }

    /// Whether there is nothing to report at all.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }

    /// One line: what was checked and how many problems were found.
    pub fn summary(&self) -> String {
        format!(
            "checked {} and {} ({}) of {}: {}, {} fixable on open",
            count(self.articles, "article"),
            count(self.annotation_files, "annotation file"),
            count(self.spans, "span"),
            count(self.annotators.len(), "annotator"),
            count(self.errors(), "error"),
            self.fixable(),
        )
    }
}

/// `n thing` or `n things`.
fn count(n: usize, thing: &str) -> String {
    if n == 1 { format!("1 {thing}") } else { format!("{n} {thing}s") }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for problem in &self.problems {
            writeln!(f, "{problem}")?;
        }
        write!(f, "{}", self.summary())
    }
}

/// Checks the project at `root` without writing anything: unreadable articles, annotation files
/// that do not load, and every span fault; repairs the app would make on open are reported as
/// fixable.
pub fn validate_project(root: &Path) -> Result<Report, ProjectError> {
    let project = Project::open(root)?;
    let mut report = Report { articles: project.articles.len(), ..Report::default() };
    let config_path = project.display_path(&root.join(super::config::CONFIG_FILE_NAME));
    for fault in project.config.schema.faults() {
        report.problems.push(Problem::file(&config_path, ProblemKind::SchemaFault, fault));
    }
    for path in &project.skipped {
        report.problems.push(Problem::file(&project.display_path(path), ProblemKind::BadName, "file name is not UTF-8; skipped"));
    }
    for (link, target) in &project.outside_links {
        let message = format!("a symbolic link to {}, outside the project; not read", target.display());
        report.problems.push(Problem::file(&project.display_path(link), ProblemKind::Link, message));
    }
    let mut texts: HashMap<&str, Result<ArticleText, ArticleError>> = HashMap::new();
    for article in &project.articles {
        let text = read_article(&article.path);
        if let Err(e) = &text {
            report.problems.push(Problem::file(&article.document, ProblemKind::ArticleUnreadable, article_fault(e)));
        }
        texts.insert(article.rel.as_str(), text);
    }
    let annotations = project.annotations_dir();
    for entry in list_dir(&annotations, &mut report, &project) {
        let Some(annotator) = entry.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        if !entry.is_dir() {
            continue;
        }
        if let Err(e) = validate_annotator(&annotator) {
            report.problems.push(Problem::file(&project.display_path(&entry), ProblemKind::BadName, e.to_string()));
            continue;
        }
        let mut files = Vec::new();
        list_ron(&entry, &entry, &mut files, &mut report, &project);
        files.sort();
        for (rel, path) in files {
            report.annotation_files += 1;
            check_file(&project, &annotator, &rel, &path, &texts, &mut report);
        }
        report.annotators.push(annotator);
    }
    Ok(report)
}

fn check_file(project: &Project, annotator: &str, rel: &str, path: &Path, texts: &HashMap<&str, Result<ArticleText, ArticleError>>, report: &mut Report) {
    let shown = project.display_path(path);
    if let Err(e) = project.check_readable(path) {
        report.problems.push(Problem::file(&shown, ProblemKind::Link, strip_path(&e.to_string(), path)));
        return;
    }
    let mut annotation = match read_annotation(path) {
        Ok(Some(annotation)) => annotation,
        Ok(None) => return,
        Err(AnnotationError::Parse(e)) => {
            report.problems.push(Problem { position: Some((e.line, e.column)), ..Problem::file(&shown, ProblemKind::ParseError, e.message) });
            return;
        }
        Err(e @ AnnotationError::NewerFormat { .. }) => {
            report.problems.push(Problem::file(&shown, ProblemKind::NewerFormat, strip_path(&e.to_string(), path)));
            return;
        }
        Err(AnnotationError::Io { source, .. }) => {
            report.problems.push(Problem::file(&shown, ProblemKind::Unreadable, format!("cannot read: {source}")));
            return;
        }
    };
    report.spans += annotation.spans.len();
    let document = document_for_annotation(rel).unwrap_or(rel);
    let (Some(article), Some(text)) = (project.article(document), texts.get(document)) else {
        report.problems.push(Problem::file(
            &shown,
            ProblemKind::OrphanAnnotation,
            format!("no article {document:?} in the corpus folder {:?}", project.config.corpus),
        ));
        return;
    };
    // An unreadable article is reported once, under its own name.
    if let Ok(text) = text {
        report.problems.extend(project.check_loaded(&mut annotation, article, annotator, path, text));
    }
}

/// The sorted entries of a folder; a missing folder has none.
fn list_dir(dir: &Path, report: &mut Report, project: &Project) -> Vec<PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(entries) => {
            let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
            paths.sort();
            paths
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            report.problems.push(Problem::file(&project.display_path(dir), ProblemKind::Unreadable, format!("cannot list: {e}")));
            Vec::new()
        }
    }
}

/// Collects `(path relative to base, full path)` of `*.ron` files under `dir`, hidden ones aside.
fn list_ron(base: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>, report: &mut Report, project: &Project) {
    for path in list_dir(dir, report, project) {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            report.problems.push(Problem::file(&project.display_path(&path), ProblemKind::BadName, "file name is not UTF-8; skipped"));
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            list_ron(base, &path, out, report, project);
        } else if name.ends_with(".ron")
            && let Some(rel) = path.strip_prefix(base).ok().and_then(Path::to_str)
        {
            out.push((rel.replace('\\', "/"), path.clone()));
        }
    }
}

fn article_fault(e: &ArticleError) -> String {
    strip_path(&e.to_string(), e.path())
}

/// An error message without its leading `path: `, since the problem shows the path already.
fn strip_path(message: &str, path: &Path) -> String {
    let prefix = format!("{}: ", path.display());
    message.strip_prefix(&prefix).unwrap_or(message).to_owned()
}
