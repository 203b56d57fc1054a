//! Prints what the default rules propose for an article, with the words around each proposal:
//! `cargo run --example rules -- assets/corpus/syria-news-digest.txt`.

use tawsim::propose::RuleSet;

fn main() -> anyhow::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "assets/corpus/syria-news-digest.txt".to_owned());
    let text = std::fs::read_to_string(&path).map_err(|e| anyhow::anyhow!("reading {path}: {e}"))?;
    let chars: Vec<char> = text.chars().collect();
    let slice = |from: usize, to: usize| -> String { chars[from..to].iter().collect::<String>().replace('\n', " ") };
    for p in RuleSet::arabic_news().propose(&text) {
        let before = p.range.start.saturating_sub(30);
        let after = (p.range.end + 20).min(chars.len());
        println!("{:<5} {}⟦{}⟧{}", p.label, slice(before, p.range.start), slice(p.range.start, p.range.end), slice(p.range.end, after));
    }
    Ok(())
}
