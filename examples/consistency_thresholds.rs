//! The data behind the defaults of `consistency::Thresholds`: every name of a source that is
//! labelled somewhere and unlabelled elsewhere, with its labelled share, how many names and
//! unlabelled occurrences each choice of thresholds reports, and the unlabelled occurrences in
//! context to judge by hand:
//! `cargo run --release --example consistency_thresholds -- DIR [SOURCE] [--list]`.

use tawsim::consistency::{CheckOptions, Kind, Thresholds, check};
use tawsim::search::CorpusIndex;
use tawsim::store::Project;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let list = args.iter().any(|a| a == "--list");
    let positional: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let Some(dir) = positional.first() else {
        eprintln!("usage: consistency_thresholds DIR [SOURCE] [--list]");
        std::process::exit(2);
    };
    let source = positional.get(1).map_or("gold", |s| s.as_str());
    let project = match Project::open(std::path::Path::new(dir.as_str())) {
        Ok(project) => project,
        Err(error) => {
            eprintln!("consistency_thresholds: {error}");
            std::process::exit(1);
        }
    };
    let index = match CorpusIndex::build(&project, Some(&[source.to_owned()])) {
        Ok(index) => index,
        Err(error) => {
            eprintln!("consistency_thresholds: {error}");
            std::process::exit(1);
        }
    };
    let everything = CheckOptions { thresholds: Thresholds { min_ratio: 0.0, min_labelled: 1 }, ..CheckOptions::new(source) };
    let report = check(&index, &everything);
    // (labelled, unlabelled) of every name with both.
    let names: Vec<(usize, usize, &tawsim::consistency::Finding)> =
        report.findings.iter().filter(|f| f.kind == Kind::Unlabelled).map(|f| (f.labels.iter().map(|l| l.count).sum::<usize>(), f.unlabelled, f)).collect();
    println!("{} names labelled somewhere and unlabelled elsewhere", names.len());
    println!("{:>12} {:>10} {:>7} {:>12}", "min_labelled", "min_ratio", "names", "unlabelled");
    for min_labelled in [1, 2, 3, 5] {
        for min_ratio in [0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9] {
            let kept: Vec<_> = names.iter().filter(|(l, u, _)| *l >= min_labelled && *l as f64 / (*l + *u) as f64 >= min_ratio).collect();
            println!("{min_labelled:>12} {min_ratio:>10.1} {:>7} {:>12}", kept.len(), kept.iter().map(|(_, u, _)| u).sum::<usize>());
        }
    }
    if list {
        let mut sorted = names.clone();
        sorted.sort_by(|a, b| (b.0 as f64 / (b.0 + b.1) as f64).total_cmp(&(a.0 as f64 / (a.0 + a.1) as f64)));
        for (labelled, unlabelled, finding) in sorted {
            let ratio = labelled as f64 / (labelled + unlabelled) as f64;
            println!(
                "\n{ratio:.2} {labelled}/{} «{}» {:?}",
                labelled + unlabelled,
                finding.form,
                finding.labels.iter().map(|l| (&l.label, l.count)).collect::<Vec<_>>()
            );
            for occurrence in finding.flagged().take(3) {
                if let Some(article) = index.article(&occurrence.rel) {
                    let context = article.context(occurrence.range.clone(), 6);
                    println!("    {}:{:?}  {}[{}]{}", occurrence.rel, occurrence.range, context.left, context.hit, context.right);
                }
            }
        }
    }
}
