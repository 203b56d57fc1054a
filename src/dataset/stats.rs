//! `tawsim stats`: what a project holds, per annotator: articles by status, accepted entities per
//! label, and pending proposals apart from them (a proposal is not yet an entity).

use std::fmt;

use crate::model::{DocStatus, SpanState};
use crate::store::{GOLD, Project, read_annotation};

use super::DatasetError;

/// Counts for one label of one annotator.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelCount {
    /// The label.
    pub label: String,
    /// Accepted entities.
    pub entities: usize,
    /// Pending proposals.
    pub pending: usize,
}

/// One annotator's (or gold's) share of the project.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AnnotatorStats {
    /// The annotator, or `gold`.
    pub name: String,
    /// Annotation files by status: new, in progress, done, reviewed.
    pub by_status: [usize; 4],
    /// Articles this annotator has no file for.
    pub without_file: usize,
    /// Per label in schema order, then labels outside the schema (sorted); rows of zeros left out.
    pub labels: Vec<LabelCount>,
    /// Rejected proposals, kept so they are not proposed again.
    pub rejected: usize,
}

impl AnnotatorStats {
    /// Accepted entities over all labels.
    pub fn entities(&self) -> usize {
        self.labels.iter().map(|l| l.entities).sum()
    }

    /// Pending proposals over all labels.
    pub fn pending(&self) -> usize {
        self.labels.iter().map(|l| l.pending).sum()
    }
}

/// What [`stats`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProjectStats {
    /// The project's name.
    pub name: String,
    /// Articles in the corpus.
    pub articles: usize,
    /// Gold first, then the annotators by name.
    pub annotators: Vec<AnnotatorStats>,
    /// Annotation files that do not load, with why (naming the file); not counted above.
    pub unreadable: Vec<String>,
}

/// The statuses in the order of [`AnnotatorStats::by_status`].
const STATUSES: [DocStatus; 4] = [DocStatus::New, DocStatus::InProgress, DocStatus::Done, DocStatus::Reviewed];

/// Counts every annotation file of every annotator of `project` (read, not checked: `tawsim
/// validate` is for faults).
pub fn stats(project: &Project) -> Result<ProjectStats, DatasetError> {
    let mut names = project.annotators()?;
    // Gold is what datasets are made of, so it leads.
    names.sort_by_key(|n| (n != GOLD, n.clone()));
    let mut out = ProjectStats { name: project.config.name.clone(), articles: project.articles.len(), ..ProjectStats::default() };
    for name in names {
        let mut one = AnnotatorStats {
            name: name.clone(),
            labels: project.config.schema.labels.iter().map(|l| LabelCount { label: l.name.clone(), ..LabelCount::default() }).collect(),
            ..AnnotatorStats::default()
        };
        let known = one.labels.len();
        for article in &project.articles {
            let path = match project.annotation_path(&name, &article.rel) {
                Ok(path) => path,
                Err(e) => {
                    out.unreadable.push(e.to_string());
                    continue;
                }
            };
            let file = match read_annotation(&path) {
                Ok(Some(file)) => file,
                Ok(None) => {
                    one.without_file += 1;
                    continue;
                }
                Err(e) => {
                    out.unreadable.push(e.to_string());
                    continue;
                }
            };
            let status = STATUSES.iter().position(|s| *s == file.status).unwrap_or(0);
            one.by_status[status] += 1;
            for span in &file.spans {
                if span.state == SpanState::Rejected {
                    one.rejected += 1;
                    continue;
                }
                let row = match one.labels.iter().position(|l| l.label == span.label) {
                    Some(row) => row,
                    None => {
                        one.labels.push(LabelCount { label: span.label.clone(), ..LabelCount::default() });
                        one.labels.len() - 1
                    }
                };
                match span.state {
                    SpanState::Pending => one.labels[row].pending += 1,
                    _ => one.labels[row].entities += 1,
                }
            }
        }
        one.labels[known..].sort_by(|a, b| a.label.cmp(&b.label));
        one.labels.retain(|l| l.entities + l.pending > 0);
        out.annotators.push(one);
    }
    Ok(out)
}

impl fmt::Display for ProjectStats {
    /// A heading, then one table per annotator with a total row.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {} article(s)", self.name, self.articles)?;
        if self.annotators.is_empty() {
            writeln!(f, "no annotation files yet")?;
        }
        for a in &self.annotators {
            let [new, in_progress, done, reviewed] = a.by_status;
            writeln!(f)?;
            writeln!(
                f,
                "{}: {} file(s): {new} new, {in_progress} in progress, {done} done, {reviewed} reviewed; {} article(s) without a file",
                a.name,
                self.articles - a.without_file,
                a.without_file
            )?;
            let width = a.labels.iter().map(|l| l.label.chars().count()).max().unwrap_or(0).max(5);
            writeln!(f, "  {:<width$}  {:>8}  {:>8}", "label", "entities", "pending")?;
            for l in &a.labels {
                writeln!(f, "  {:<width$}  {:>8}  {:>8}", l.label, l.entities, l.pending)?;
            }
            writeln!(f, "  {:<width$}  {:>8}  {:>8}", "total", a.entities(), a.pending())?;
            if a.rejected > 0 {
                writeln!(f, "  ({} rejected proposal(s), counted in neither column)", a.rejected)?;
            }
        }
        Ok(())
    }
}
