//! The `tawsim` command line: one file per subcommand.

pub mod adjudicate;
pub mod agree;
pub mod check;
pub mod eval;
pub mod export;
pub mod gazetteer;
pub mod import;
pub mod init;
pub mod propose;
pub mod render;
pub mod search;
pub mod stats;
pub mod train;
pub mod validate;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// tawsim: annotate named entities in Arabic text.
#[derive(Debug, Parser)]
#[command(name = "tawsim", version, about)]
pub struct Cli {
    /// What to do; without a subcommand the app opens the bundled sample project.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open a project folder in the app.
    Open(OpenArgs),
    /// Make a project out of a folder of .txt articles (writes tawsim.ron).
    Init(init::InitArgs),
    /// Check every annotation file of a project; exit status 1 when anything is wrong.
    Validate(validate::ValidateArgs),
    /// Render an article (with highlighted ranges) to a PNG image, without a window or GPU.
    Render(render::RenderArgs),
    /// Score the proposers (learned model, gazetteer, rules): learn from a training CoNLL file, predict a test file.
    Eval(eval::EvalArgs),
    /// Train the project's learned proposer on its annotations; prints held-out scores and saves it under models/.
    Train(train::TrainArgs),
    /// Build a gazetteer list (RON) from annotated CoNLL data, for `proposers.gazetteers`.
    Gazetteer(gazetteer::GazetteerArgs),
    /// Pre-annotate every article with pending proposals (decisions are never changed).
    Propose(propose::ProposeArgs),
    /// How well annotators agree: pairwise P/R/F1 per label, partial F1, Cohen's kappa, worst articles.
    Agree(agree::AgreeArgs),
    /// Decide gold in batch: accept every span the annotators agree on (disagreements stay for review mode).
    Adjudicate(adjudicate::AdjudicateArgs),
    /// Export a project's annotations as a dataset: RON, JSONL, CoNLL, BIOES, brat or Hugging Face.
    Export(export::ExportArgs),
    /// Import an annotated corpus (CoNLL, JSONL, brat, RON) as a project, or into one.
    Import(import::ImportArgs),
    /// Articles by status and entities per label, one table per annotator.
    Stats(stats::StatsArgs),
    /// Every occurrence of a word or phrase (normalized, after proclitics) with its labels.
    Search(search::SearchArgs),
    /// Consistency of one source: names labelled differently, left unlabelled, bounded against the convention; exit 1 on findings.
    Check(check::CheckArgs),
}

/// Arguments of `tawsim open`.
#[derive(Debug, Args)]
pub struct OpenArgs {
    /// The project folder.
    pub dir: PathBuf,
    /// Annotate as this person (instead of the remembered name).
    #[arg(long)]
    pub annotator: Option<String>,
}

/// Takes `annotator`'s lock in `project` for the CLI command `holder` (e.g. `tawsim propose`),
/// breaking a live one only when `break_lock`; says on stderr when a stale one was taken over.
pub(crate) fn take_lock(project: &crate::store::Project, annotator: &str, holder: &str, break_lock: bool) -> anyhow::Result<crate::store::AnnotatorLock> {
    use crate::store::{AnnotatorLock, BreakLock};
    let force = if break_lock { BreakLock::Always } else { BreakLock::IfStale };
    let lock = AnnotatorLock::acquire(project, annotator, holder, force)?;
    if let Some(replaced) = lock.replaced() {
        eprintln!("{}: {replaced}", project.display_path(lock.path()));
    }
    Ok(lock)
}

/// An error and its causes on one line, each cause once: a library error that already shows its
/// cause (`x: cannot write: No space left on device (os error 28)`) is not followed by that cause
/// again, as anyhow's `{:#}` would.
pub fn error_message(error: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if message.contains(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    message
}

/// Runs a subcommand that needs no window and returns the process exit code.
pub fn run(command: Command) -> anyhow::Result<i32> {
    match command {
        Command::Render(args) => render::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::Train(args) => train::run(&args),
        Command::Gazetteer(args) => gazetteer::run(&args),
        Command::Propose(args) => propose::run(&args),
        Command::Agree(args) => agree::run(&args),
        Command::Adjudicate(args) => adjudicate::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Stats(args) => stats::run(&args),
        Command::Search(args) => search::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Open(_) => anyhow::bail!("`tawsim open` starts the app; run it from the tawsim binary"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_already_shown_is_not_repeated() {
        let os = std::io::Error::from_raw_os_error(28);
        let shown = os.to_string();
        let inner = crate::formats::export::ExportError::io(std::path::Path::new("out.jsonl"), os);
        let error = anyhow::Error::from(crate::dataset::DatasetError::from(inner));
        assert_eq!(error_message(&error), format!("out.jsonl: cannot write: {shown}"));
        assert_eq!(format!("{error:#}").matches(&shown).count(), 2, "what anyhow alone prints");
        let context = anyhow::Error::from(std::io::Error::other("deep")).context("outer");
        assert_eq!(error_message(&context), "outer: deep");
    }
}
