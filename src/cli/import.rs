//! `tawsim import`: another tool's annotated files as a project (a new one, or added to one).

use std::path::PathBuf;

use clap::Args;

use crate::dataset::DatasetError;
use crate::dataset::import::{ImportFormat, ImportOptions, OnError, Scheme, import};

/// Arguments of `tawsim import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to import (for brat, a .ann file or a folder of them).
    #[arg(value_name = "SRC")]
    pub source: PathBuf,
    /// Its format.
    #[arg(long, value_enum)]
    pub format: ImportFormat,
    /// The project folder; made a project (tawsim.ron) when it is not one yet.
    #[arg(long, value_name = "DIR")]
    pub into: PathBuf,
    /// Whose annotation files the entities go to.
    #[arg(long = "as", value_name = "NAME", default_value = "gold")]
    pub annotator: String,
    /// CoNLL without -DOCSTART- lines: sentences per article.
    #[arg(long, value_name = "N", default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..))]
    pub sentences_per_article: u32,
    /// CoNLL tags: iob1 reads leniently (an I- may open an entity); iob2 and bioes refuse tags
    /// that break their scheme.
    #[arg(long, value_enum, default_value_t = Scheme::Iob1)]
    pub scheme: Scheme,
    /// At a bad span, line or document: stop and write nothing, or skip it and list it.
    #[arg(long, value_enum, default_value_t = OnError::Stop)]
    pub on_error: OnError,
    /// The labels the source uses, e.g. --labels PERS,LOC,ORG,MISC: a new project's schema (by
    /// default, the labels found, less any that look cut short), or part of an existing one's.
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub labels: Option<Vec<String>>,
    /// Take the annotator's lock in an existing project even if another tawsim holds it (when
    /// that one is known to be gone); a stale lock of this machine is taken over without it.
    #[arg(long)]
    pub break_lock: bool,
}

/// Imports; prints what was skipped (one `file:line: why` each) and a summary. Exit status 1
/// when the import stopped, had nothing to import, or anything was skipped.
pub fn run(args: &ImportArgs) -> anyhow::Result<i32> {
    let options = ImportOptions {
        annotator: args.annotator.clone(),
        sentences_per_article: args.sentences_per_article as usize,
        scheme: args.scheme,
        on_error: args.on_error,
        labels: args.labels.clone(),
        ..ImportOptions::new(args.format, &args.source, &args.into)
    };
    // Into an existing project: one writer of the annotator's files at a time.
    let _lock = match args.into.join(crate::store::CONFIG_FILE_NAME).is_file() {
        true => {
            crate::store::validate_annotator(&args.annotator)?;
            Some(super::take_lock(&crate::store::Project::open(&args.into)?, &args.annotator, "tawsim import", args.break_lock)?)
        }
        false => None,
    };
    let report = match import(&options) {
        Ok(report) => report,
        Err(error @ (DatasetError::Import(_) | DatasetError::Format(_))) => {
            eprintln!("{error}");
            return Ok(1);
        }
        Err(error) => return Err(error.into()),
    };
    for skipped in &report.skipped {
        eprintln!("skipped {skipped}");
    }
    let entities: Vec<String> = report.entities.iter().map(|(l, n)| format!("{l} {n}")).collect();
    println!(
        "imported {} document(s) into {}{} as {}: {} article(s) written, {} already there, {} entities ({}); {} skipped",
        report.documents,
        report.root.display(),
        if report.created { format!(" (a new project, labels {})", report.labels.join(", ")) } else { String::new() },
        report.annotator,
        report.articles_written,
        report.documents - report.articles_written,
        report.entities.iter().map(|(_, n)| n).sum::<usize>(),
        entities.join(", "),
        report.skipped.len()
    );
    Ok(if report.skipped.is_empty() { 0 } else { 1 })
}
