//! The `tawsim` command line: one file per subcommand.

pub mod render;

use clap::{Parser, Subcommand};

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
    /// Render an article (with highlighted ranges) to a PNG image, without a window or GPU.
    Render(render::RenderArgs),
}

/// Runs a subcommand and returns the process exit code.
pub fn run(command: Command) -> anyhow::Result<i32> {
    match command {
        Command::Render(args) => render::run(&args),
    }
}
