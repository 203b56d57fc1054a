//! `tawsim gazetteer --from FILE.conll --out LIST.ron`: builds a gazetteer list from annotated data.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::formats::conll::parse_conll;
use crate::propose::{Gazetteer, gazetteer_list_text};
use crate::store::{WriteOutcome, write_atomic};

/// Arguments of `tawsim gazetteer`.
#[derive(Debug, Args)]
pub struct GazetteerArgs {
    /// Annotated data (`token LABEL` CoNLL, IOB1 or IOB2) to learn the names from.
    #[arg(long)]
    pub from: PathBuf,
    /// The list file to write (RON), to be named under `proposers.gazetteers` in `tawsim.ron`.
    #[arg(long)]
    pub out: PathBuf,
}

/// Builds the list and writes it.
pub fn run(args: &GazetteerArgs) -> anyhow::Result<i32> {
    let text = std::fs::read_to_string(&args.from).with_context(|| format!("reading {}", args.from.display()))?;
    let sentences = parse_conll(&text).map_err(|e| anyhow::anyhow!("{}: {e}", args.from.display()))?;
    let gazetteer = Gazetteer::from_sentences(&sentences);
    let list = gazetteer.to_list();
    let text = gazetteer_list_text(&gazetteer).map_err(anyhow::Error::msg)?;
    let outcome = write_atomic(&args.out, text.as_bytes()).with_context(|| format!("writing {}", args.out.display()))?;
    let verb = if outcome == WriteOutcome::Unchanged { "unchanged" } else { "wrote" };
    println!(
        "{verb} {}: {} entries, {} person-name starts, {} name pieces (from {} sentences)",
        args.out.display(),
        list.entries.len(),
        list.person_starts.len(),
        list.person_pieces.len(),
        sentences.len()
    );
    Ok(0)
}
