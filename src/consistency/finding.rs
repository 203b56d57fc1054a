//! What a check finds: the name, where it occurs, and the fixes, as data the app applies as one
//! undoable action and `tawsim check` prints.

use std::fmt;
use std::ops::Range;

use serde::Serialize;

use crate::model::SpanEdit;

/// Kinds of inconsistency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// (a) The same name labelled differently in different places.
    Labels,
    /// (b) A name labelled in most of its occurrences and left unlabelled in the others.
    Unlabelled,
    /// (c) A span holding a proclitic that is not part of the name (`وروسيا` for `روسيا`).
    Proclitic,
    /// (c) A span leaving out the article of its word (`قاهرة` in `القاهرة`) where other spans
    /// of the name have it.
    Article,
    /// (d) A span with whitespace or punctuation at an end.
    Edges,
}

impl Kind {
    /// Every kind, in the order reports list them.
    pub const ALL: [Kind; 5] = [Kind::Labels, Kind::Unlabelled, Kind::Proclitic, Kind::Article, Kind::Edges];

    /// The name `tawsim check` prints (and JSON uses).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Labels => "labels",
            Kind::Unlabelled => "unlabelled",
            Kind::Proclitic => "proclitic",
            Kind::Article => "article",
            Kind::Edges => "edges",
        }
    }
}

/// One place a finding's name occurs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Occurrence {
    /// The article's path below the corpus folder (what the app opens).
    pub rel: String,
    /// The article's path below the project root.
    pub document: String,
    /// Char range: the span's, or for an unlabelled occurrence the name's.
    pub range: Range<usize>,
    /// The text there.
    pub text: String,
    /// The span's label; `None` for an unlabelled occurrence.
    pub label: Option<String>,
    /// The span's id in the source's file; `None` for an unlabelled occurrence.
    pub span_id: Option<u64>,
    /// Whether this occurrence is what the finding is about (the minority label, the unlabelled
    /// place, the span to trim); the others show the name's usual treatment.
    pub flagged: bool,
}

/// One edit of one annotation file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArticleEdit {
    /// The article's path below the corpus folder.
    pub rel: String,
    /// Whose annotation file (the checked source).
    pub annotator: String,
    /// The edit, made against the file the check read: a batch when it changes several spans.
    pub edit: SpanEdit,
}

/// A way to resolve a finding: edits across articles, applied together or not at all.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fix {
    /// What it does, e.g. `relabel 2 spans as LOC`.
    pub title: String,
    /// It follows from the gold convention alone (trimming edges, taking the article in, cutting
    /// a proclitic where another span of the bare name shows it), so it can be applied without
    /// a person looking (`tawsim check --fix` applies only these); label fixes and proclitic
    /// cuts on the splitter's word statistics alone are suggestions.
    pub mechanical: bool,
    /// At most one edit per article.
    pub edits: Vec<ArticleEdit>,
}

/// Labels of a name and how many spans have each.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LabelCount {
    /// The label.
    pub label: String,
    /// Spans (or labelled occurrences) with it.
    pub count: usize,
}

/// One inconsistency about one name.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// What kind.
    pub kind: Kind,
    /// The name as written most often.
    pub form: String,
    /// Its normalized form, what occurrences are grouped by.
    pub key: String,
    /// The labels the name has, most frequent first.
    pub labels: Vec<LabelCount>,
    /// For [`Kind::Unlabelled`]: occurrences left unlabelled (the labelled ones are
    /// the sum of `labels`).
    pub unlabelled: usize,
    /// Where it occurs, by article and position.
    pub occurrences: Vec<Occurrence>,
    /// Ways to resolve it, the suggested one first; empty when no fix is clear.
    pub fixes: Vec<Fix>,
}

impl Finding {
    /// The occurrences the finding is about.
    pub fn flagged(&self) -> impl Iterator<Item = &Occurrence> {
        self.occurrences.iter().filter(|o| o.flagged)
    }
}

/// How many flagged places a line names before `and N more`.
const PLACES_SHOWN: usize = 5;

impl fmt::Display for Finding {
    /// One line: kind, the name, what is wrong, and where.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let labels = self.labels.iter().map(|l| format!("{} {}", l.label, l.count)).collect::<Vec<_>>().join(", ");
        write!(f, "{} «{}»: ", self.kind.name(), self.form)?;
        match self.kind {
            Kind::Labels => write!(f, "labelled {labels}")?,
            Kind::Unlabelled => {
                let labelled: usize = self.labels.iter().map(|l| l.count).sum();
                let total = labelled + self.unlabelled;
                write!(f, "labelled {labelled} of {total} ({labels}), unlabelled {}", self.unlabelled)?;
            }
            Kind::Proclitic => write!(f, "a proclitic inside the span")?,
            Kind::Article => write!(f, "the article left out of the span")?,
            Kind::Edges => write!(f, "whitespace or punctuation at the span's edge")?,
        }
        let flagged: Vec<&Occurrence> = self.flagged().collect();
        let places: Vec<String> = flagged
            .iter()
            .take(PLACES_SHOWN)
            .map(|o| {
                let what = match (&o.label, self.kind) {
                    (Some(label), Kind::Labels) => format!(" {label}"),
                    (_, Kind::Unlabelled) => String::new(),
                    _ => format!(" «{}»", o.text),
                };
                format!("{}:{}..{}{what}", o.document, o.range.start, o.range.end)
            })
            .collect();
        write!(f, "; at {}", places.join(", "))?;
        if flagged.len() > PLACES_SHOWN {
            write!(f, " and {} more", flagged.len() - PLACES_SHOWN)?;
        }
        Ok(())
    }
}
