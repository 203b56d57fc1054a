//! The documents of one annotation source (an annotator, or `gold`), one article at a time.
//!
//! Each article of the project yields one [`Collected`]: its document, or why it is not in the
//! dataset (no annotation file of that source, not done, a file that does not load or has faulty
//! spans). Nothing is left out without a trace, and only one article is in memory at a time, so
//! an export of a large corpus streams.
//!
//! Annotation files are opened through [`Project::open_document`], so they get the store's
//! checks and re-anchoring: repairs the store makes by itself (a moved span, a filled-in text)
//! are fine; a fault it cannot repair in an accepted span (text that disagrees with the article,
//! a range past its end, a label not in the schema, a span lost after an edit) keeps the whole
//! document out, since a dataset with a wrong entity is worse than one without the document.

use std::fmt;

use crate::model::{DocStatus, LabelledDocument, Schema, SpanState};
use crate::store::{GOLD, Problem, Project, validate_annotator};

use super::DatasetError;

/// Which labels a dataset holds and under what names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelChoice {
    /// `FROM=TO` renames, applied first; `None` (written `FROM=O` or `FROM=-`) drops the label.
    pub map: Vec<(String, Option<String>)>,
    /// Keep only these labels, named as they are after `map`; `None` keeps every label.
    pub keep: Option<Vec<String>>,
}

impl LabelChoice {
    /// Parses one `--map FROM=TO` argument; `TO` of `O` or `-` drops `FROM`.
    pub fn parse_map(arg: &str) -> Result<(String, Option<String>), String> {
        let (from, to) = arg
            .split_once('=')
            .map(|(f, t)| (f.trim(), t.trim()))
            .filter(|(f, t)| !f.is_empty() && !t.is_empty())
            .ok_or_else(|| format!("expected FROM=TO (TO may be O or - to drop FROM), found {arg:?}"))?;
        let to = (!matches!(to, "O" | "-")).then(|| to.to_owned());
        Ok((from.to_owned(), to))
    }

    /// The name `label` has in the dataset, or `None` when it is dropped or not kept.
    pub fn output_name<'a>(&'a self, label: &'a str) -> Option<&'a str> {
        let name = match self.map.iter().find(|(from, _)| from == label) {
            Some((_, to)) => to.as_deref()?,
            None => label,
        };
        match &self.keep {
            Some(keep) if !keep.iter().any(|k| k == name) => None,
            _ => Some(name),
        }
    }

    /// The dataset's labels in schema order (renamed, merged, filtered), after checking that every
    /// `FROM` is in the schema and every kept label exists after renaming: a typo would otherwise
    /// quietly export nothing of that label.
    pub fn labels(&self, schema: &Schema) -> Result<Vec<String>, DatasetError> {
        let known: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
        for (from, _) in &self.map {
            if !known.contains(&from.as_str()) {
                return Err(DatasetError::Option(format!("--map {from}=…: {from:?} is not a label of the project ({})", known.join(", "))));
            }
        }
        let renamed = LabelChoice { map: self.map.clone(), keep: None };
        let mut all: Vec<String> = Vec::new();
        for label in &known {
            if let Some(name) = renamed.output_name(label)
                && !all.iter().any(|a| a == name)
            {
                all.push(name.to_owned());
            }
        }
        if let Some(keep) = &self.keep
            && let Some(missing) = keep.iter().find(|k| !all.contains(k))
        {
            return Err(DatasetError::Option(format!("--labels {missing}: no such label after --map (the labels are {})", all.join(", "))));
        }
        Ok(all.into_iter().filter(|l| self.output_name(l).is_some()).collect())
    }
}

/// What goes into a dataset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CollectOptions {
    /// Whose annotation: an annotator's name, or `gold` (the default).
    pub source: String,
    /// Only articles whose annotation is `Done` or `Reviewed`.
    pub done_only: bool,
    /// Label renames and filter.
    pub labels: LabelChoice,
}

impl Default for CollectOptions {
    fn default() -> Self {
        CollectOptions { source: GOLD.to_owned(), done_only: false, labels: LabelChoice::default() }
    }
}

/// One article's outcome.
#[derive(Clone, Debug, PartialEq)]
pub enum Collected {
    /// The document, with only its accepted spans, under their dataset names.
    Document(LabelledDocument),
    /// The source has no annotation file for this article (project-relative path).
    NoFile(String),
    /// `--done-only`, and the annotation is not done.
    NotDone {
        /// The article's project-relative path.
        document: String,
        /// Its status.
        status: DocStatus,
    },
    /// The annotation file (or its article) does not load, or has faults in accepted spans.
    Failed {
        /// The article's project-relative path.
        document: String,
        /// What is wrong, one line each, naming the file.
        problems: Vec<String>,
    },
}

impl fmt::Display for Collected {
    /// One line for what was left out (problems on lines of their own); the id for a document.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Collected::Document(doc) => write!(f, "{}", doc.id),
            Collected::NoFile(document) => write!(f, "{document}: no annotation file"),
            Collected::NotDone { document, status } => {
                write!(f, "{document}: left out, its status is {status:?} (--done-only)")
            }
            Collected::Failed { document, problems } => {
                write!(f, "{document}: left out of the dataset:")?;
                problems.iter().try_for_each(|p| write!(f, "\n  {p}"))
            }
        }
    }
}

/// The articles of `project` as [`Collected`] items for `options`, read one at a time.
///
/// Fails at once (before reading anything) when the source name or the label options are not
/// usable.
pub fn collect<'a>(project: &'a Project, options: &'a CollectOptions) -> Result<Collector<'a>, DatasetError> {
    validate_annotator(&options.source).map_err(|e| DatasetError::Option(format!("--from: {e}")))?;
    options.labels.labels(&project.config.schema)?;
    Ok(Collector { project, options, next: 0 })
}

/// The iterator [`collect`] returns.
#[derive(Debug)]
pub struct Collector<'a> {
    project: &'a Project,
    options: &'a CollectOptions,
    next: usize,
}

impl Iterator for Collector<'_> {
    type Item = Collected;

    fn next(&mut self) -> Option<Collected> {
        let article = self.project.articles.get(self.next)?;
        self.next += 1;
        Some(collect_one(self.project, self.options, &article.rel, &article.document))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.project.articles.len() - self.next;
        (left, Some(left))
    }
}

/// The outcome of one article (`rel` below the corpus, `document` below the project root).
fn collect_one(project: &Project, options: &CollectOptions, rel: &str, document: &str) -> Collected {
    let source = options.source.as_str();
    let failed = |problems: Vec<String>| Collected::Failed { document: document.to_owned(), problems };
    // Checked before opening, so an article without a file is not read for nothing.
    if !project.has_annotation(source, rel) {
        return Collected::NoFile(document.to_owned());
    }
    let open = match project.open_document(rel, source) {
        Ok(open) => open,
        Err(e) => return failed(vec![e.to_string()]),
    };
    let status = open.annotation.status;
    if options.done_only && !matches!(status, DocStatus::Done | DocStatus::Reviewed) {
        return Collected::NotDone { document: document.to_owned(), status };
    }
    let accepted = |id: Option<u64>| id.is_none_or(|id| open.annotation.span(id).is_some_and(|s| s.state == SpanState::Accepted));
    let faults: Vec<String> = open.problems.iter().filter(|p: &&Problem| !p.kind.is_fixed() && accepted(p.span_id)).map(ToString::to_string).collect();
    if !faults.is_empty() {
        return failed(faults);
    }
    let labels = &options.labels;
    let spans = open
        .annotation
        .spans
        .into_iter()
        .filter(|s| s.state == SpanState::Accepted)
        .filter_map(|mut span| {
            let name = labels.output_name(&span.label)?.to_owned();
            span.label = name;
            Some(span)
        })
        .collect();
    Collected::Document(LabelledDocument { id: document.to_owned(), text: open.article.text, spans, annotator: source.to_owned(), status })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(map: &[&str], keep: Option<&[&str]>) -> LabelChoice {
        LabelChoice {
            map: map.iter().map(|m| LabelChoice::parse_map(m).expect("valid")).collect(),
            keep: keep.map(|k| k.iter().map(|s| (*s).to_owned()).collect()),
        }
    }

    #[test]
    fn map_renames_merges_and_drops() {
        let labels = choice(&["PERS=PER", "MISC=O", "ORG=LOC"], None);
        assert_eq!(labels.output_name("PERS"), Some("PER"));
        assert_eq!(labels.output_name("MISC"), None);
        assert_eq!(labels.output_name("ORG"), Some("LOC"));
        assert_eq!(labels.output_name("LOC"), Some("LOC"));
        assert_eq!(labels.labels(&Schema::anercorp()).expect("valid"), ["PER", "LOC"]);
        assert_eq!(LabelChoice::parse_map("X=-"), Ok(("X".into(), None)));
        assert!(LabelChoice::parse_map("X").is_err());
        assert!(LabelChoice::parse_map("=Y").is_err());
    }

    #[test]
    fn keep_filters_names_after_the_map() {
        let labels = choice(&["PERS=PER"], Some(&["PER", "LOC"]));
        assert_eq!(labels.output_name("PERS"), Some("PER"));
        assert_eq!(labels.output_name("ORG"), None);
        assert_eq!(labels.labels(&Schema::anercorp()).expect("valid"), ["PER", "LOC"]);
    }

    #[test]
    fn typos_in_label_options_are_errors() {
        let err = choice(&["PER=X"], None).labels(&Schema::anercorp()).unwrap_err();
        assert!(err.to_string().contains("\"PER\" is not a label"), "{err}");
        let err = choice(&["PERS=PER"], Some(&["PERS"])).labels(&Schema::anercorp()).unwrap_err();
        assert!(err.to_string().starts_with("--labels PERS: no such label"), "{err}");
    }
}
