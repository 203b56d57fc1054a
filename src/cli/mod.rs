//! The `tawsim` command line: one file per subcommand.

pub mod agree;
pub mod eval;
pub mod export;
pub mod gazetteer;
pub mod import;
pub mod init;
pub mod propose;
pub mod render;
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
    /// Export a project's annotations as a dataset: RON, JSONL, CoNLL, BIOES, brat or Hugging Face.
    Export(export::ExportArgs),
    /// Import an annotated corpus (CoNLL, JSONL, brat, RON) as a project, or into one.
    Import(import::ImportArgs),
    /// Articles by status and entities per label, one table per annotator.
    Stats(stats::StatsArgs),
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
        Command::Export(args) => export::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Stats(args) => stats::run(&args),
        Command::Open(_) => anyhow::bail!("`tawsim open` starts the app; run it from the tawsim binary"),
    }
}
