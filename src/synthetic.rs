//! Generated articles for benchmarks and load tests, built from the bundled sample articles so
//! they carry real Arabic: glued words, numbers, punctuation, long lines.

/// The bundled sample articles' text, concatenated.
const SAMPLE_TEXT: [&str; 5] = [
    include_str!("../assets/corpus/aleppo-street-fighting.txt"),
    include_str!("../assets/corpus/east-aleppo-advance.txt"),
    include_str!("../assets/corpus/kerry-lavrov-new-york.txt"),
    include_str!("../assets/corpus/london-talks-sanctions.txt"),
    include_str!("../assets/corpus/syria-news-digest.txt"),
];

/// An Arabic article of at least `bytes` UTF-8 bytes: the sample paragraphs over and over, each
/// copy numbered so no two paragraphs are identical.
pub fn arabic_article(bytes: usize) -> String {
    let paragraphs: Vec<&str> = SAMPLE_TEXT
        .iter()
        .flat_map(|t| t.lines())
        .filter(|l| !l.trim().is_empty())
        .collect();
    let mut out = String::with_capacity(bytes + 8192);
    let mut copy = 0usize;
    while out.len() < bytes {
        for paragraph in &paragraphs {
            out.push_str(paragraph);
            out.push_str(&format!(" ({copy})\n"));
            copy += 1;
            if out.len() >= bytes {
                break;
            }
        }
    }
    out
}

/// An article of about `tokens` words, starting at paragraph `seed` of the samples so that
/// articles differ.
pub fn numbered_article(tokens: usize, seed: usize) -> String {
    let paragraphs: Vec<&str> = SAMPLE_TEXT
        .iter()
        .flat_map(|t| t.lines())
        .filter(|l| !l.trim().is_empty())
        .collect();
    let mut out = String::new();
    let mut words = 0;
    let mut k = seed;
    while words < tokens {
        let paragraph = paragraphs[k % paragraphs.len()];
        words += paragraph.split_whitespace().count();
        out.push_str(paragraph);
        out.push('\n');
        k += 1;
    }
    out
}

/// Writes a project of `count` generated articles of about `tokens` words each under `root`
/// (`tawsim.ron` with default settings, articles in `corpus/NNNNN.txt`).
pub fn write_project(root: &std::path::Path, count: usize, tokens: usize) -> std::io::Result<()> {
    let corpus = root.join("corpus");
    std::fs::create_dir_all(&corpus)?;
    std::fs::write(root.join("tawsim.ron"), "(name: \"generated\")\n")?;
    for i in 0..count {
        std::fs::write(corpus.join(format!("{i:05}.txt")), numbered_article(tokens, i * 7))?;
    }
    Ok(())
}
