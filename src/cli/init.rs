//! `tawsim init DIR`: make a project out of any folder of .txt files.

use std::path::PathBuf;

use clap::Args;

use crate::store::{CONFIG_FILE_NAME, Project};

/// Arguments of `tawsim init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder holding the articles (at any depth).
    pub dir: PathBuf,
}

/// Writes tawsim.ron with the ANERcorp labels; refuses when the folder is a project already.
pub fn run(args: &InitArgs) -> anyhow::Result<i32> {
    let project = Project::init(&args.dir)?;
    println!(
        "made {}: {} article(s) under {}, labels {}",
        args.dir.join(CONFIG_FILE_NAME).display(),
        project.articles.len(),
        project.corpus_dir().display(),
        project.config.schema.labels.iter().map(|l| l.name.as_str()).collect::<Vec<_>>().join(", ")
    );
    Ok(0)
}
