//! `tawsim train [DIR]`: trains the project's learned proposer and saves it under `models/`.

use std::path::PathBuf;

use clap::Args;

use super::propose::annotator_for;
use crate::preannotate::ProjectProposers;
use crate::preannotate::learned::{TrainRequest, TrainingSource, retrain};
use crate::store::{GOLD, Project, TrainFrom};

/// Arguments of `tawsim train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// The project folder (default: the current folder).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Whose annotations to learn from: `gold`, an annotator's name, or `both` (gold where an
    /// article has it, else the annotator's). Default: the project's `proposers.model.train_from`
    /// (`both` by default; gold alone when the project has no single annotator to name).
    #[arg(long, value_name = "gold|NAME|both")]
    pub from: Option<String>,
    /// The annotator for `--from both` (default: the project's only annotator).
    #[arg(long)]
    pub annotator: Option<String>,
    /// Also learn from this annotated CoNLL file (default: the project's `proposers.model.extra`).
    #[arg(long, value_name = "FILE.conll")]
    pub extra: Option<PathBuf>,
    /// Where to save the model (default: `models/ner.tawsim-model` in the project).
    #[arg(long, value_name = "MODEL")]
    pub out: Option<PathBuf>,
    /// Skip the learning curve (three shorter trainings).
    #[arg(long)]
    pub no_curve: bool,
}

/// Trains, prints the report and saves the model; exit status 0 (also when the model does not
/// pass its gate: the report says why).
pub fn run(args: &TrainArgs) -> anyhow::Result<i32> {
    let project = Project::open(&args.dir)?;
    let config = &project.config.proposers.model;
    let source = match args.from.as_deref() {
        Some(GOLD) => TrainingSource::Gold,
        Some("both") => TrainingSource::Both(annotator_for(&project, args.annotator.as_deref())?),
        Some(name) => {
            crate::store::validate_annotator(name).map_err(|e| anyhow::anyhow!("--from {name:?}: {e}"))?;
            TrainingSource::Annotator(name.to_owned())
        }
        None => match config.train_from {
            TrainFrom::Gold => TrainingSource::Gold,
            // Gold and the annotator's files: with no annotator to name, gold alone.
            TrainFrom::Both if args.annotator.is_none() => annotator_for(&project, None).map_or(TrainingSource::Gold, TrainingSource::Both),
            from => TrainingSource::from_config(from, &annotator_for(&project, args.annotator.as_deref())?),
        },
    };
    let extra = args.extra.clone().or_else(|| config.extra.as_ref().map(PathBuf::from));
    let (proposers, problems) = ProjectProposers::load(&project, GOLD);
    for problem in problems.iter().filter(|p| !p.starts_with("learned model")) {
        eprintln!("warning: {problem}");
    }
    let request = TrainRequest { source, extra, out: args.out.clone(), curve: !args.no_curve };
    let trained = retrain(&project, &request, &proposers.lists_only())?;
    for problem in &trained.problems {
        eprintln!("warning: {problem}");
    }
    print!("{}", trained.model.report().to_text());
    println!("saved {}", project.display_path(&trained.path));
    Ok(0)
}
