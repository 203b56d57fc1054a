//! `tawsim agree [DIR] --annotators A,B[,C…]`: how well annotators agree, pair by pair.
//!
//! For each pair: exact-match P/R/F1 per label and overall (the first annotator of the pair is
//! the reference), partial-overlap F1, Cohen's κ over tokens with and without the tokens both left
//! O, how many articles were compared and why others were skipped, and the articles with most
//! disagreement. The last line is `micro_f1=0.XXXX`, the mean over pairs of exact micro-F1 (`n/a`
//! when no article has a span). The numbers and their edge cases are defined in
//! [`crate::review::agreement`]; this file only loads the project and prints.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use serde_json::{Value, json};

use crate::dataset::{CorpusSets, load_corpus_sets};
use crate::review::{CorpusAgreement, Counts, PairScores, Scores, SpanFilter};
use crate::store::{GOLD, Project};

/// How many of the most disagreed-on articles the table lists.
const SHOWN_ARTICLES: usize = 10;

/// Arguments of `tawsim agree`.
#[derive(Debug, Args)]
pub struct AgreeArgs {
    /// The project folder (default: the current folder).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Two or more annotators (folders under annotations/, `gold` included), comma-separated.
    #[arg(long, value_delimiter = ',', required = true)]
    pub annotators: Vec<String>,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Count pending spans (imported or proposed predictions) as annotation: of every annotator
    /// but gold, or with `--pending=NAME,…` of those named.
    #[arg(long, num_args = 0..=1, require_equals = true, value_delimiter = ',', default_missing_value = "")]
    pub pending: Option<Vec<String>>,
    /// Only these labels, comma-separated (default: all).
    #[arg(long, value_delimiter = ',')]
    pub labels: Option<Vec<String>>,
}

impl AgreeArgs {
    /// Whether `annotator`'s pending spans count.
    fn pending_for(&self, annotator: &str) -> bool {
        match &self.pending {
            None => false,
            Some(names) if names.iter().all(String::is_empty) => annotator != GOLD,
            Some(names) => names.iter().any(|n| n == annotator),
        }
    }
}

/// Loads, compares, prints; exit status 1 when an article was skipped because of an error.
pub fn run(args: &AgreeArgs) -> anyhow::Result<i32> {
    let project = Project::open(&args.dir).with_context(|| format!("opening the project {}", args.dir.display()))?;
    check_annotators(&project, &args.annotators)?;
    check_labels(&project, args.labels.as_deref());
    let loaded = load(&project, args);
    let agreement = CorpusAgreement::compute(&args.annotators, &loaded.docs);
    if loaded.stale > 0 {
        eprintln!(
            "note: {} annotation file(s) were made on an earlier version of their article; \
             their offsets may be off (run `tawsim validate`)",
            loaded.stale
        );
    }
    if args.json {
        let value = json_report(&project, args, &loaded, &agreement);
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print!("{}", table(args, &loaded, &agreement));
    }
    Ok(if loaded.skipped.is_empty() { 0 } else { 1 })
}

/// Fails unless there are two or more distinct annotators, each with a folder under annotations/.
pub(super) fn check_annotators(project: &Project, names: &[String]) -> anyhow::Result<()> {
    let distinct: BTreeSet<&String> = names.iter().collect();
    if distinct.len() < 2 || distinct.len() != names.len() {
        anyhow::bail!("--annotators needs two or more different names, e.g. --annotators amal,badr");
    }
    let existing = project.annotators()?;
    for name in names {
        if !existing.contains(name) {
            let folder = project.annotations_dir().join(name);
            let known = if existing.is_empty() { "none".to_owned() } else { existing.join(", ") };
            anyhow::bail!("no annotator {name:?}: {} is not a folder; annotators in this project: {known}", folder.display());
        }
    }
    Ok(())
}

/// Warns about `--labels` the project's schema does not have (they may still be in files).
fn check_labels(project: &Project, labels: Option<&[String]>) {
    for label in labels.unwrap_or_default() {
        if !project.config.schema.contains(label) {
            eprintln!("note: label {label:?} is not in the project's schema");
        }
    }
}

/// Reads every annotator's file of every article with the shared loader; what could not be read
/// goes to stderr, naming the file and place.
fn load(project: &Project, args: &AgreeArgs) -> CorpusSets {
    let filters: Vec<SpanFilter> = args.annotators.iter().map(|a| SpanFilter { pending: args.pending_for(a), labels: args.labels.clone() }).collect();
    let loaded = load_corpus_sets(project, &args.annotators, &filters);
    for skipped in &loaded.skipped {
        eprintln!("{}", skipped.reason);
    }
    loaded
}

/// `0.1234`, or `n/a` when undefined.
fn number(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.4}"))
}

/// The labels a pair's rows show: those asked for, in that order, or those used.
fn row_labels<'a>(args: &'a AgreeArgs, scores: &'a Scores) -> Vec<&'a str> {
    match &args.labels {
        Some(labels) => labels.iter().map(String::as_str).collect(),
        None => scores.per_label.keys().map(String::as_str).collect(),
    }
}

/// Articles the pair compared, and why the others were not.
fn coverage(pair: &PairScores, names: (&str, &str), loaded: &CorpusSets) -> String {
    let mut out = format!("{} article(s) compared", pair.articles.len());
    let mut reasons = Vec::new();
    if pair.missing_a > 0 {
        reasons.push(format!("{} without a file of {}", pair.missing_a, names.0));
    }
    if pair.missing_b > 0 {
        reasons.push(format!("{} without a file of {}", pair.missing_b, names.1));
    }
    if !loaded.skipped.is_empty() {
        reasons.push(format!("{} because of errors", loaded.skipped.len()));
    }
    if !reasons.is_empty() {
        let _ = write!(out, "; skipped {}", reasons.join(", "));
    }
    out
}

/// The text report, ending with `micro_f1=`.
fn table(args: &AgreeArgs, loaded: &CorpusSets, agreement: &CorpusAgreement) -> String {
    let mut out = String::new();
    for pair in &agreement.pairs {
        let (a, b) = (agreement.annotators[pair.a].as_str(), agreement.annotators[pair.b].as_str());
        let _ = writeln!(out, "{a} ~ {b} ({a} is the reference): {}", coverage(pair, (a, b), loaded));
        let _ = writeln!(out, "{:<10} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7}", "label", "precision", "recall", "f1", a, b, "matched");
        let exact = &pair.spans.exact;
        let empty = Counts::default();
        let rows = row_labels(args, exact)
            .into_iter()
            .map(|l| (l, exact.per_label.get(l).unwrap_or(&empty)))
            .chain([("exact", &exact.overall), ("partial", &pair.spans.partial.overall)]);
        for (label, c) in rows {
            let _ = writeln!(
                out,
                "{label:<10} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7}",
                number(c.precision()),
                number(c.recall()),
                number(c.f1()),
                c.a,
                c.b,
                c.matched
            );
        }
        let _ = writeln!(
            out,
            "kappa, all tokens: {} ({} tokens); without all-O tokens: {} ({} tokens)\n",
            number(pair.kappa.kappa()),
            pair.kappa.tokens,
            number(pair.kappa_entities.kappa()),
            pair.kappa_entities.tokens
        );
    }
    if agreement.pairs.len() > 1 {
        let _ = writeln!(out, "pairwise mean of exact micro-F1 over {} pairs: {}\n", agreement.pairs.len(), number(agreement.mean_micro_f1()));
    }
    for skipped in &loaded.skipped {
        let _ = writeln!(out, "skipped {}: {}", skipped.article, skipped.reason);
    }
    let _ = writeln!(out, "most disagreement (1 - exact F1, spans not marked by all):");
    let _ = writeln!(out, "{:>8} {:>9}  article", "1-F1", "differing");
    for article in agreement.ranked.iter().take(SHOWN_ARTICLES) {
        let _ = writeln!(out, "{:>8.4} {:>9}  {}", article.disagreement, article.differing, article.article);
    }
    let _ = writeln!(out, "micro_f1={}", number(agreement.mean_micro_f1()));
    out
}

/// One count's numbers as JSON.
fn counts_json(c: &Counts) -> Value {
    json!({
        "precision": c.precision(),
        "recall": c.recall(),
        "f1": c.f1(),
        "matched": c.matched,
        "a": c.a,
        "b": c.b,
    })
}

/// Per label and overall, as JSON.
fn scores_json(args: &AgreeArgs, scores: &Scores) -> Value {
    let empty = Counts::default();
    let per_label: serde_json::Map<String, Value> =
        row_labels(args, scores).into_iter().map(|l| (l.to_owned(), counts_json(scores.per_label.get(l).unwrap_or(&empty)))).collect();
    json!({ "overall": counts_json(&scores.overall), "per_label": per_label })
}

/// The same numbers as the table, as one JSON object.
fn json_report(project: &Project, args: &AgreeArgs, loaded: &CorpusSets, agreement: &CorpusAgreement) -> Value {
    let pairs: Vec<Value> = agreement
        .pairs
        .iter()
        .map(|pair| {
            let articles: Vec<Value> = pair
                .articles
                .iter()
                .map(|a| {
                    json!({
                        "article": a.article,
                        "exact": counts_json(&a.spans.exact.overall),
                        "partial": counts_json(&a.spans.partial.overall),
                        "kappa": a.kappa,
                    })
                })
                .collect();
            json!({
                "a": agreement.annotators[pair.a],
                "b": agreement.annotators[pair.b],
                "articles_compared": pair.articles.len(),
                "skipped_without_file_of_a": pair.missing_a,
                "skipped_without_file_of_b": pair.missing_b,
                "exact": scores_json(args, &pair.spans.exact),
                "partial": scores_json(args, &pair.spans.partial),
                "micro_f1": pair.micro_f1(),
                "kappa": pair.kappa.kappa(),
                "kappa_tokens": pair.kappa.tokens,
                "kappa_without_o": pair.kappa_entities.kappa(),
                "kappa_without_o_tokens": pair.kappa_entities.tokens,
                "articles": articles,
            })
        })
        .collect();
    let ranked: Vec<Value> = agreement
        .ranked
        .iter()
        .map(|r| {
            json!({
                "article": r.article,
                "disagreement": r.disagreement,
                "differing": r.differing,
                "annotators": r.annotators.iter().map(|&i| &agreement.annotators[i]).collect::<Vec<_>>(),
            })
        })
        .collect();
    let errors: Vec<Value> = loaded.skipped.iter().map(|s| json!({ "article": s.article, "reason": s.reason })).collect();
    json!({
        "project": project.root.display().to_string(),
        "annotators": agreement.annotators,
        "pending": args.annotators.iter().filter(|a| args.pending_for(a)).collect::<Vec<_>>(),
        "labels": args.labels,
        "articles": project.articles.len(),
        "skipped_because_of_errors": errors,
        "pairs": pairs,
        "mean_micro_f1": agreement.mean_micro_f1(),
        "most_disagreement": ranked,
    })
}
