//! `tawsim propose [DIR]`: pre-annotates every article of a project with pending proposals.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::propose::batch::{BatchPlan, propose_all};
use crate::propose::{Proposers, is_builtin_source};
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
}

/// The annotator to write for: the one named, or the project's only one.
fn annotator_for(project: &Project, named: Option<&str>) -> anyhow::Result<String> {
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
    let (proposers, problems) = Proposers::for_project(&project, &annotator);
    for problem in &problems {
        eprintln!("warning: {problem}");
    }
    let bar = progress_bar(project.articles.len(), "articles");
    let rejected = |text: &str, label: &str| proposers.memory.as_ref().is_some_and(|m| m.is_rejected(text, label));
    let plan = BatchPlan { proposals_for: &|_, text| proposers.propose(text), refreshed: &is_builtin_source, rejected: &rejected };
    let report = propose_all(&project, &annotator, &plan, &|| bar.inc(1));
    bar.finish_and_clear();
    print_report(&report, &annotator);
    Ok(if report.skipped.is_empty() { 0 } else { 1 })
}

/// The summary lines of a run; skipped articles first, one per line.
pub(crate) fn print_report(report: &crate::propose::batch::BatchReport, annotator: &str) {
    for skipped in &report.skipped {
        println!("skipped {skipped}");
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
}
