//! Writes a project of generated Arabic articles for load tests and benchmarks:
//! `cargo run --release --example generate_project -- DIR [ARTICLES] [TOKENS_EACH] [--gold]`
//! (defaults: 10,000 articles of about 2,000 words); `--gold` adds a gold annotation file per
//! article with every occurrence of a few well-known names labelled.

fn main() {
    let all: Vec<String> = std::env::args().skip(1).collect();
    let gold = all.iter().any(|a| a == "--gold");
    let mut args = all.into_iter().filter(|a| a != "--gold");
    let Some(dir) = args.next() else {
        eprintln!("usage: generate_project DIR [ARTICLES] [TOKENS_EACH] [--gold]");
        std::process::exit(2);
    };
    let number = |arg: Option<String>, default: usize| match arg.map(|a| a.parse::<usize>()) {
        None => default,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("generate_project: {e}");
            std::process::exit(2);
        }
    };
    let count = number(args.next(), 10_000);
    let tokens = number(args.next(), 2_000);
    let written = if gold {
        tawsim::synthetic::write_gold_project(std::path::Path::new(&dir), count, tokens)
    } else {
        tawsim::synthetic::write_project(std::path::Path::new(&dir), count, tokens)
    };
    if let Err(error) = written {
        eprintln!("generate_project: {dir}: {error}");
        std::process::exit(1);
    }
    println!("{count} articles of about {tokens} words in {dir}{}", if gold { ", with gold annotations" } else { "" });
}
