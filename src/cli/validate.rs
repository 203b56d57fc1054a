//! `tawsim validate [DIR]`: one line per problem, a summary, exit status 1 when anything is wrong.

use std::path::PathBuf;

use clap::Args;

use crate::store::validate_project;

/// Arguments of `tawsim validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The project folder (default: the current folder).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

/// Checks the project and prints what is wrong.
pub fn run(args: &ValidateArgs) -> anyhow::Result<i32> {
    let report = validate_project(&args.dir)?;
    for problem in &report.problems {
        println!("{problem}");
    }
    println!("{}", report.summary());
    Ok(if report.is_clean() { 0 } else { 1 })
}
