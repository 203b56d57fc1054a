//! `tawsim export`: a project's annotations as a dataset for training tools.

use std::path::PathBuf;

use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser};

use crate::dataset::collect::{CollectOptions, Collected, LabelChoice};
use crate::dataset::export::{ExportEvent, ExportOptions, export};
use crate::dataset::split::SplitSpec;
use crate::formats::export::ExportFormat;
use crate::store::{ExportDefaults, ExportSentences, ExportTokenize, Project};

/// How many articles without a file (or not done) are named before the rest are only counted.
const NAMED: usize = 10;

/// Arguments of `tawsim export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The project folder (default: the current folder).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// ron (the whole corpus with provenance), jsonl (spaCy/Prodigy), conll (IOB2), bioes, brat
    /// (a folder of .txt/.ann) or hf (Hugging Face token classification, with labels.json).
    #[arg(long, value_parser = format_parser())]
    pub format: ExportFormat,
    /// The data file (a folder for brat); with --split, the folder that gets train, dev and test.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Whose annotations: an annotator's name, or gold.
    #[arg(long = "from", value_name = "NAME", default_value = "gold")]
    pub source: String,
    /// Only articles whose annotation is done or reviewed.
    #[arg(long)]
    pub done_only: bool,
    /// Keep only these labels (named as after --map), e.g. --labels PERS,LOC.
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub labels: Option<Vec<String>>,
    /// Rename a label (repeatable); TO of O or - drops it, e.g. --map MISC=O --map PERS=PER.
    #[arg(long = "map", value_name = "FROM=TO", value_parser = LabelChoice::parse_map)]
    pub map: Vec<(String, Option<String>)>,
    /// Split by document into train,dev,test percentages (e.g. 80,10,10; two numbers: train,test).
    #[arg(long, value_name = "PERCENTS")]
    pub split: Option<SplitSpec>,
    /// Seed of the split's shuffle; the same seed and documents give the same split.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Proclitics (و ف ب ل ك) as tokens of their own in token-level formats.
    #[arg(long)]
    pub split_clitics: bool,
    /// Tokens: words (the Arabic word segmenter) or whitespace (text already tokenized);
    /// default: the project's `export` setting, else words.
    #[arg(long, value_parser = PossibleValuesParser::new(["words", "whitespace"])
        .map(|s| if s == "words" { ExportTokenize::Words } else { ExportTokenize::Whitespace }))]
    pub tokenize: Option<ExportTokenize>,
    /// Sentences end at punctuation or at line breaks (lines); default: the project's `export`
    /// setting, else punctuation.
    #[arg(long, value_parser = PossibleValuesParser::new(["punctuation", "lines"])
        .map(|s| if s == "lines" { ExportSentences::Lines } else { ExportSentences::Punctuation }))]
    pub sentences: Option<ExportSentences>,
    /// Write over existing files and into a folder that is not empty.
    #[arg(long)]
    pub force: bool,
}

/// Parses `--format` through the formats' own names, so the two cannot disagree.
fn format_parser() -> impl TypedValueParser<Value = ExportFormat> {
    PossibleValuesParser::new(ExportFormat::ALL.map(ExportFormat::name)).try_map(|s| s.parse::<ExportFormat>())
}

/// Writes the dataset; notes and articles left out go to stderr, the summary to stdout. Exit
/// status 1 when an annotation file was left out for not loading or having faults.
pub fn run(args: &ExportArgs) -> anyhow::Result<i32> {
    let project = Project::open(&args.dir)?;
    let options = ExportOptions {
        collect: CollectOptions {
            source: args.source.clone(),
            done_only: args.done_only,
            labels: LabelChoice { map: args.map.clone(), keep: args.labels.clone() },
        },
        split: args.split,
        seed: args.seed,
        tokens: ExportDefaults { tokenize: args.tokenize, sentences: args.sentences },
        split_clitics: args.split_clitics,
        force: args.force,
        ..ExportOptions::new(args.format, &args.out)
    };
    let (mut no_file, mut not_done) = (0, 0);
    let summary = export(&project, &options, &mut |event| match event {
        ExportEvent::Note(note) => eprintln!("{note}"),
        ExportEvent::LeftOut(item @ Collected::Failed { .. }) => eprintln!("{item}"),
        ExportEvent::LeftOut(item) => {
            let seen = match item {
                Collected::NoFile(_) => &mut no_file,
                _ => &mut not_done,
            };
            *seen += 1;
            if *seen <= NAMED {
                eprintln!("{item}");
            }
        }
    })?;
    for (n, what) in [(no_file, "without a file"), (not_done, "not done")] {
        if n > NAMED {
            eprintln!("… and {} more article(s) {what}", n - NAMED);
        }
    }
    println!("{summary}");
    Ok(if summary.counts.failed > 0 { 1 } else { 0 })
}
