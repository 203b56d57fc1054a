//! `tawsim propose [DIR]`: pre-annotates every article of a project with pending proposals.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::preannotate::ProjectProposers;
use crate::preannotate::batch::{BatchPlan, propose_all};
use crate::preannotate::imported::{ImportReport, PredictionFormat, import_predictions};
use crate::propose::is_builtin_source;
use crate::store::Project;

/// Arguments of `tawsim propose`.
#[derive(Debug, Args)]
pub struct ProposeArgs {
    /// The project folder (default: the current folder).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Whose annotation files receive the proposals (default: the project's only annotator).
    #[arg(long)]
    pub annotator: Option<String>,
    /// Instead of the project's proposers, import another system's predictions from this file
    /// (or folder of brat `.ann` files); importing it again replaces its earlier proposals.
    #[arg(long, value_name = "FILE")]
    pub import: Option<PathBuf>,
    /// Format of `--import` (default: guessed from the file name).
    #[arg(long, value_enum)]
    pub format: Option<PredictionFormat>,
    /// Take the annotator's lock even if another tawsim holds it (when that one is known to be
    /// gone, e.g. it ran on another machine that crashed); a stale lock of this machine is taken
    /// over without it.
    #[arg(long)]
    pub break_lock: bool,
}

/// The annotator to write for: the one named, or the project's only one.
pub(crate) fn annotator_for(project: &Project, named: Option<&str>) -> anyhow::Result<String> {
    if let Some(name) = named {
        crate::store::validate_annotator(name).with_context(|| format!("--annotator {name:?}"))?;
        return Ok(name.to_owned());
    }
    let people: Vec<String> = project.annotators()?.into_iter().filter(|n| n != crate::store::GOLD).collect();
    match &people[..] {
        [only] => Ok(only.clone()),
        [] => bail!("name the annotator whose files get the proposals: --annotator NAME"),
        many => bail!("this project has several annotators ({}); choose one with --annotator NAME", many.join(", ")),
    }
}

/// A progress bar on the terminal (hidden when output is not a terminal).
pub(crate) fn progress_bar(len: usize, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len as u64);
    if let Ok(style) = ProgressStyle::with_template(&format!("{{bar:40}} {{pos}}/{{len}} {what} · {{elapsed}} · eta {{eta}}")) {
        bar.set_style(style);
    }
    bar
}

/// Runs the project's proposers over every article.
pub fn run(args: &ProposeArgs) -> anyhow::Result<i32> {
    let project = Project::open(&args.dir)?;
    let annotator = annotator_for(&project, args.annotator.as_deref())?;
    let _lock = super::take_lock(&project, &annotator, "tawsim propose", args.break_lock)?;
    let (proposers, problems) = ProjectProposers::load(&project, &annotator);
    for problem in &problems {
        eprintln!("warning: {problem}");
    }
    let rejected = |text: &str, label: &str| proposers.memory.as_ref().is_some_and(|m| m.is_rejected(text, label));
    let report = match &args.import {
        None => {
            let bar = progress_bar(project.articles.len(), "articles");
            let plan = BatchPlan { proposals_for: &|_, text| proposers.propose(text), refreshed: &is_builtin_source, rejected: &rejected };
            let report = propose_all(&project, &annotator, &plan, &|| bar.inc(1));
            bar.finish_and_clear();
            report
        }
        Some(path) => {
            let format = match args.format.or_else(|| PredictionFormat::guess(path)) {
                Some(format) => format,
                None => bail!("{}: cannot tell the format from the name; add --format jsonl|conll|brat", path.display()),
            };
            let imported = import_predictions(path, format, &project)?;
            print_import(&imported, path);
            let by_article: std::collections::HashMap<&str, &Vec<crate::propose::Proposal>> =
                imported.proposals.iter().filter_map(|(&i, p)| Some((project.articles.get(i)?.rel.as_str(), p))).collect();
            let proposals_for = |article: &crate::store::Article, _: &str| by_article.get(article.rel.as_str()).map(|p| p.to_vec()).unwrap_or_default();
            let source = imported.source.clone();
            let refreshed = move |s: &str| s == source;
            let bar = progress_bar(project.articles.len(), "articles");
            let plan = BatchPlan { proposals_for: &proposals_for, refreshed: &refreshed, rejected: &rejected };
            let report = propose_all(&project, &annotator, &plan, &|| bar.inc(1));
            bar.finish_and_clear();
            report
        }
    };
    print_report(&report, &annotator);
    Ok(if report.skipped.is_empty() { 0 } else { 1 })
}

/// What an import could not use, one line each with file and line, then a summary.
fn print_import(report: &ImportReport, path: &std::path::Path) {
    for skipped in &report.skipped {
        println!("skipped {skipped}");
    }
    for unmatched in &report.unmatched {
        println!("no article for {unmatched}");
    }
    for conflict in &report.conflicts {
        println!("{conflict}");
    }
    for unreadable in &report.unreadable {
        println!("unreadable article: {}", unreadable.error);
    }
    println!(
        "{}: {} document(s) matched, {} not, {} proposal(s) for {} article(s), {} span(s) skipped",
        path.display(),
        report.matched.len(),
        report.unmatched.len(),
        report.proposal_count(),
        report.proposals.len(),
        report.skipped.len()
    );
}

/// The summary lines of a run; skipped articles first, one per line.
pub(crate) fn print_report(report: &crate::preannotate::batch::BatchReport, annotator: &str) {
    for skipped in &report.skipped {
        println!("skipped {skipped}");
    }
    for conflict in &report.conflicts {
        println!("conflict {conflict}");
    }
    println!(
        "{} article(s): {} file(s) of {annotator} updated, {} proposal(s) added, {} withdrawn, {} decided span(s) kept, {} skipped",
        report.articles,
        report.changed,
        report.added,
        report.removed,
        report.decided,
        report.skipped.len()
    );
    if report.merged > 0 {
        println!(
            "{} file(s) were changed by another writer meanwhile: merged with another writer's changes, {} conflict(s) (listed above, both sides kept)",
            report.merged,
            report.conflicts.len()
        );
    }
}
