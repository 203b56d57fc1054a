//! `tawsim search [DIR] QUERY [--regex] [--label L] [--unlabelled] [--from NAME]`: every
//! occurrence of a word or phrase in the project, one line each, then `hits=N`.
//!
//! A line: `document:start..end`, the hit in context (`left[hit]right`), and its labels
//! (`LOC (gold)`, `ORG (amal, pending)`, `PERS (gold, covers 31..41)`) or `unlabelled`, separated
//! by tabs. Offsets are chars of the article as stored.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::Args;

use crate::model::SpanState;
use crate::search::{CONTEXT_WORDS, Context, CorpusIndex, Hit, HitLabel, Query, Relation};
use crate::store::{Project, validate_annotator};

/// Arguments of `tawsim search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The project folder (default: the current folder), then the word or phrase to find. The
    /// first argument is taken as the folder only when there are more and it is a folder, so
    /// `tawsim search الأمم المتحدة` looks for the phrase in the current project.
    #[arg(required = true, value_name = "[DIR] QUERY")]
    pub args: Vec<String>,
    /// The query is a regular expression over normalized text (matching inside words too).
    #[arg(long)]
    pub regex: bool,
    /// Only hits that an accepted span of this label overlaps.
    #[arg(long, value_name = "LABEL", conflicts_with = "unlabelled")]
    pub label: Option<String>,
    /// Only hits that no accepted span overlaps.
    #[arg(long)]
    pub unlabelled: bool,
    /// Only this annotator's spans are shown and filtered on (`gold` included).
    #[arg(long, value_name = "NAME")]
    pub from: Option<String>,
}

impl SearchArgs {
    /// The project folder and the query text.
    fn dir_and_query(&self) -> (PathBuf, String) {
        match self.args.as_slice() {
            [dir, rest @ ..] if !rest.is_empty() && Path::new(dir).is_dir() => (PathBuf::from(dir), rest.join(" ")),
            all => (PathBuf::from("."), all.join(" ")),
        }
    }
}

/// Searches and prints; exit status 1 when a file could not be read (it is named), so the
/// hits may be incomplete.
pub fn run(args: &SearchArgs) -> anyhow::Result<i32> {
    let (dir, text) = args.dir_and_query();
    let project = Project::open(&dir).with_context(|| format!("opening the project {}", dir.display()))?;
    let scope = match &args.from {
        Some(name) => Some(vec![existing_annotator(&project, name)?]),
        None => None,
    };
    if let Some(label) = &args.label
        && !project.config.schema.contains(label)
    {
        eprintln!("note: label {label:?} is not in the project's schema");
    }
    let index = CorpusIndex::build(&project, scope.as_deref())?;
    for unreadable in index.unreadable() {
        eprintln!("not searched: {}", unreadable.message);
    }
    // Flags and filters typed in the query (`label:ORG`) both count.
    let typed = Query::parse(&text);
    let query = Query {
        regex: args.regex,
        label: args.label.clone().or(typed.label),
        unlabelled: args.unlabelled || typed.unlabelled,
        annotator: args.from.clone().or(typed.annotator),
        ..Query::new(&typed.text)
    };
    let hits = index.search(&query)?;
    let mut out = String::new();
    for hit in &hits {
        let context = index.context(hit, CONTEXT_WORDS).unwrap_or_default();
        let _ = writeln!(out, "{}", hit_line(hit, &context));
    }
    let _ = writeln!(out, "hits={}", hits.len());
    print!("{out}");
    Ok(if index.unreadable().is_empty() { 0 } else { 1 })
}

/// `name`, after checking it has a folder under annotations/.
pub(crate) fn existing_annotator(project: &Project, name: &str) -> anyhow::Result<String> {
    validate_annotator(name)?;
    let known = project.annotators()?;
    if !known.iter().any(|k| k == name) {
        let folder = project.annotations_dir().join(name);
        let listed = if known.is_empty() { "none".to_owned() } else { known.join(", ") };
        anyhow::bail!("no annotator {name:?}: {} is not a folder; annotators in this project: {listed}", folder.display());
    }
    Ok(name.to_owned())
}

/// One hit as a line of output.
fn hit_line(hit: &Hit, context: &Context) -> String {
    let labels = if hit.labels.is_empty() { "unlabelled".to_owned() } else { hit.labels.iter().map(label_text).collect::<Vec<_>>().join(", ") };
    format!("{}:{}..{}\t{}[{}]{}\t{labels}", hit.document, hit.range.start, hit.range.end, context.left, context.hit, context.right)
}

/// `LOC (gold)`, `ORG (amal, pending)`, `PERS (gold, covers 31..41)`.
fn label_text(label: &HitLabel) -> String {
    let mut notes = vec![label.annotator.clone()];
    match label.state {
        SpanState::Accepted => {}
        SpanState::Pending => notes.push("pending".to_owned()),
        SpanState::Rejected => notes.push("rejected".to_owned()),
    }
    let range = format!("{}..{}", label.range.start, label.range.end);
    match label.relation {
        Relation::Exact => {}
        Relation::Covers => notes.push(format!("covers {range}")),
        Relation::Inside => notes.push(format!("inside {range}")),
        Relation::Overlaps => notes.push(format!("overlaps {range}")),
    }
    format!("{} ({})", label.label, notes.join(", "))
}
