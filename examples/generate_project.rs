//! Writes a project of generated Arabic articles for load tests and benchmarks:
//! `cargo run --release --example generate_project -- DIR [ARTICLES] [TOKENS_EACH]`
//! (defaults: 10,000 articles of about 2,000 words).

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: generate_project DIR [ARTICLES] [TOKENS_EACH]");
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
    if let Err(error) = tawsim::synthetic::write_project(std::path::Path::new(&dir), count, tokens) {
        eprintln!("generate_project: {dir}: {error}");
        std::process::exit(1);
    }
    println!("{count} articles of about {tokens} words in {dir}");
}
