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
