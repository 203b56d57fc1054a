//! `tawsim adjudicate DIR --annotators A,B --accept-agreed`: in batch, what review mode's
//! "accept every agreed span" does article by article: every span all of the annotators who
//! annotated an article agree on goes to gold (`annotations/gold/`), with the annotators and the
//! reviewer as its provenance. Disagreements are left for review mode; spans already decided in
//! gold are left as they are; annotators' files are only read.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::dataset::load_article_sets;
use crate::review::{ArticleReview, Reviewers};
use crate::store::{GOLD, Project, login_name, validate_annotator};

/// Arguments of `tawsim adjudicate`.
#[derive(Debug, Args)]
pub struct AdjudicateArgs {
    /// The project folder (default: the current folder).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Two or more annotators to compare (folders under annotations/), comma-separated.
    #[arg(long, value_delimiter = ',', required = true)]
    pub annotators: Vec<String>,
    /// Accept every span the annotators agree on into gold (the batch decision this command makes).
    #[arg(long, required = true)]
    pub accept_agreed: bool,
    /// Who decides, recorded as `decided_by` (default: the login name).
    #[arg(long)]
    pub reviewer: Option<String>,
}

/// Decides every article; exit status 1 when an article was skipped because a file did not load.
pub fn run(args: &AdjudicateArgs) -> anyhow::Result<i32> {
    let project = Project::open(&args.dir).with_context(|| format!("opening the project {}", args.dir.display()))?;
    super::agree::check_annotators(&project, &args.annotators)?;
    if args.annotators.iter().any(|a| a == GOLD) {
        anyhow::bail!("--annotators compares annotators to decide gold; gold itself cannot be one of them");
    }
    let reviewer = match &args.reviewer {
        Some(name) => name.clone(),
        None => login_name().context("no login name to record as the reviewer; give --reviewer NAME")?,
    };
    validate_annotator(&reviewer).context("--reviewer")?;
    let who = Reviewers { annotators: &args.annotators, reviewer: &reviewer };
    let (mut accepted, mut articles, mut left, mut skipped) = (0, 0, 0, 0);
    for article in &project.articles {
        let sets = load_article_sets(&project, &article.rel, &args.annotators);
        if !sets.problems.is_empty() {
            for problem in &sets.problems {
                eprintln!("{}: skipped: {problem}", article.rel);
            }
            skipped += 1;
            continue;
        }
        if sets.present() < 2 {
            continue;
        }
        let mut review = ArticleReview::from_sets(&sets.sets);
        let mut gold = match project.open_document(&article.rel, GOLD) {
            Ok(gold) => gold,
            Err(error) => {
                eprintln!("{}: skipped: gold: {error}", article.rel);
                skipped += 1;
                continue;
            }
        };
        review.match_gold(&gold.annotation.spans);
        left += review.open_disagreements();
        let Some((count, edit)) = review.accept_agreed(&mut gold.annotation, who, &gold.article.text) else { continue };
        let edit = edit.starting_article(gold.annotation.status);
        gold.annotation.apply(&edit).with_context(|| format!("{}: deciding the agreed spans", article.rel))?;
        project.save_document(&article.rel, GOLD, &gold.annotation)?;
        println!("{}: accepted {count} agreed span(s); {} disagreement(s) left for review", article.rel, review.open_disagreements());
        accepted += count;
        articles += 1;
    }
    println!("accepted={accepted} articles={articles} disagreements_left={left} skipped={skipped}");
    Ok(if skipped == 0 { 0 } else { 1 })
}
