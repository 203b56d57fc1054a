//! `tawsim check [DIR] [--from NAME|gold] [--json] [--fix]`: consistency findings of one source,
//! one line each, then `findings=N`.
//!
//! Exit status: 0 when clean, 1 when there are findings (or a file could not be read, so the
//! check is incomplete), 2 on usage errors, so dataset builders can run it in CI before
//! training. The checks are [`crate::consistency`]'s.

use std::collections::BTreeSet;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;
use serde_json::json;

use super::search::existing_annotator;
use crate::consistency::{CheckOptions, Kind, Report, apply_fix, check};
use crate::search::CorpusIndex;
use crate::store::{GOLD, Project};

/// Rounds of `--fix`: a fix may leave another one to make (a span trimmed, then relabelled is
/// not among them, but trimmed twice may be), and each round checks again.
const FIX_ROUNDS: usize = 5;

/// Arguments of `tawsim check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The project folder (default: the current folder).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Whose annotation files to check: an annotator, or gold.
    #[arg(long, value_name = "NAME", default_value = GOLD)]
    pub from: String,
    /// Print one JSON object (the findings with their occurrences and fixes as span edits).
    #[arg(long)]
    pub json: bool,
    /// Apply the fixes that follow from the gold convention alone (cut proclitics, take the
    /// article in, trim edges) and save the files; label findings are left for a person.
    #[arg(long)]
    pub fix: bool,
}

/// Checks and prints; see the module documentation for the exit status.
pub fn run(args: &CheckArgs) -> anyhow::Result<i32> {
    let project = Project::open(&args.dir).with_context(|| format!("opening the project {}", args.dir.display()))?;
    let source = existing_annotator(&project, &args.from)?;
    let mut index = CorpusIndex::build(&project, Some(std::slice::from_ref(&source)))?;
    for unreadable in index.unreadable() {
        eprintln!("not checked: {}", unreadable.message);
    }
    let options = CheckOptions::new(&source);
    if args.fix {
        let (fixes, files) = fix(&project, &mut index, &options)?;
        eprintln!("fixed: {fixes} finding(s) in {files} file(s)");
    }
    let report = check(&index, &options);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&json_report(&report))?);
    } else {
        print!("{}", text_report(&report));
    }
    Ok(if report.findings.is_empty() && index.unreadable().is_empty() { 0 } else { 1 })
}

/// Applies the mechanical fixes round after round, then saves the changed files; returns the
/// number of fixes applied and of files saved.
fn fix(project: &Project, index: &mut CorpusIndex, options: &CheckOptions) -> anyhow::Result<(usize, usize)> {
    let mut changed: BTreeSet<(String, String)> = BTreeSet::new();
    let mut applied = 0;
    for _ in 0..FIX_ROUNDS {
        let report = check(index, options);
        let mut this_round = 0;
        for fix in report.findings.iter().flat_map(|f| &f.fixes).filter(|f| f.mechanical) {
            // A fix whose span an earlier one of this round already changed waits for the next.
            if let Ok(files) = apply_fix(index, fix) {
                this_round += 1;
                changed.extend(files);
            }
        }
        applied += this_round;
        if this_round == 0 {
            break;
        }
    }
    for (rel, annotator) in &changed {
        let Some(annotation) = index.article(rel).and_then(|a| a.annotation(annotator)) else { continue };
        project.save_document(rel, annotator, &annotation.file).with_context(|| format!("saving {annotator}'s annotation of {rel}"))?;
    }
    Ok((applied, changed.len()))
}

/// One line per finding, a count per kind, then `findings=N`.
fn text_report(report: &Report) -> String {
    let mut out = String::new();
    for finding in &report.findings {
        out.push_str(&format!("{finding}\n"));
    }
    let counts: Vec<String> = Kind::ALL.iter().map(|&k| format!("{} {}", k.name(), report.count(k))).collect();
    out.push_str(&format!("{} article(s), {} span(s) of {}: {}\n", report.articles, report.spans, report.source, counts.join(", ")));
    out.push_str(&format!("findings={}\n", report.findings.len()));
    out
}

/// The report as JSON, with the counts per kind.
fn json_report(report: &Report) -> serde_json::Value {
    let counts: serde_json::Map<String, serde_json::Value> = Kind::ALL.iter().map(|&k| (k.name().to_owned(), json!(report.count(k)))).collect();
    json!({
        "source": report.source,
        "articles": report.articles,
        "spans": report.spans,
        "counts": counts,
        "findings": report.findings,
    })
}
