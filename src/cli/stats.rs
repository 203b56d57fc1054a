//! `tawsim stats [DIR]`: articles by status and entities per label, one table per annotator.

use std::path::PathBuf;

use clap::Args;

use crate::dataset::stats;
use crate::store::Project;

/// Arguments of `tawsim stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The project folder (default: the current folder).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

/// Prints the tables; exit status 1 when an annotation file does not load (it is named).
pub fn run(args: &StatsArgs) -> anyhow::Result<i32> {
    let project = Project::open(&args.dir)?;
    let found = stats(&project)?;
    print!("{found}");
    for unreadable in &found.unreadable {
        eprintln!("not counted: {unreadable}");
    }
    Ok(if found.unreadable.is_empty() { 0 } else { 1 })
}
