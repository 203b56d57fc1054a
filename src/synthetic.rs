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
    let paragraphs: Vec<&str> = SAMPLE_TEXT.iter().flat_map(|t| t.lines()).filter(|l| !l.trim().is_empty()).collect();
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
    let paragraphs: Vec<&str> = SAMPLE_TEXT.iter().flat_map(|t| t.lines()).filter(|l| !l.trim().is_empty()).collect();
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

/// Names of the sample articles with their ANERcorp labels, for generated annotations.
const NAMES: [(&str, &str); 14] = [
    ("جون كيري", "PERS"),
    ("بوريس جونسون", "PERS"),
    ("لافروف", "PERS"),
    ("الأسد", "PERS"),
    ("روسيا", "LOC"),
    ("سوريا", "LOC"),
    ("حلب", "LOC"),
    ("دمشق", "LOC"),
    ("موسكو", "LOC"),
    ("إيران", "LOC"),
    ("واشنطن", "LOC"),
    ("الأمم المتحدة", "ORG"),
    ("مجلس الأمن", "ORG"),
    ("الجيش السوري", "ORG"),
];

/// A generated article ([`numbered_article`]) as gold data: every occurrence of a few well-known
/// names is an accepted span, including those glued to a proclitic (`وروسيا`), so exports have
/// entities to map onto tokens and notes to make.
pub fn labelled_article(id: &str, tokens: usize, seed: usize) -> crate::model::LabelledDocument {
    use crate::model::{DocStatus, LabelledDocument, Span};
    use std::sync::OnceLock;
    // One pass over the text for all names (leftmost-longest, so matches never overlap): a
    // search per name made generation slower than the exports it feeds.
    static FINDER: OnceLock<Option<aho_corasick::AhoCorasick>> = OnceLock::new();
    let finder = FINDER
        .get_or_init(|| aho_corasick::AhoCorasick::builder().match_kind(aho_corasick::MatchKind::LeftmostLongest).build(NAMES.map(|(name, _)| name)).ok());
    let text = numbered_article(tokens, seed);
    let mut spans = Vec::new();
    // Byte offsets to char offsets in one pass over the text.
    let (mut byte, mut chars) = (0, 0);
    for found in finder.iter().flat_map(|f| f.find_iter(&text)) {
        chars += text[byte..found.start()].chars().count();
        let name = &text[found.range()];
        let len = name.chars().count();
        let label = NAMES[found.pattern().as_usize()].1;
        spans.push(Span::manual(spans.len() as u64 + 1, chars..chars + len, label, name));
        chars += len;
        byte = found.end();
    }
    LabelledDocument { id: id.to_owned(), text, spans, annotator: "gold".to_owned(), status: DocStatus::Reviewed }
}

/// Writes [`write_project`]'s project with a gold annotation file for every article: the spans
/// of [`labelled_article`] (every occurrence of a few well-known names), for benchmarks of what
/// reads annotations (search, consistency checks).
pub fn write_gold_project(root: &std::path::Path, count: usize, tokens: usize) -> std::io::Result<()> {
    use crate::model::AnnotationFile;
    write_project(root, count, tokens)?;
    let gold = root.join("annotations").join("gold");
    std::fs::create_dir_all(&gold)?;
    for i in 0..count {
        let rel = format!("{i:05}.txt");
        let document = labelled_article(&format!("corpus/{rel}"), tokens, i * 7);
        let mut file = AnnotationFile::new(&document.id, &crate::store::sha256_hex(&document.text), "gold");
        file.status = document.status;
        file.spans = document.spans;
        file.next_id = file.next_free_id();
        let text = crate::ron_text::to_ron(&file, 2).map_err(std::io::Error::other)?;
        std::fs::write(gold.join(format!("{rel}.ron")), text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labelled_articles_have_their_names_as_spans() {
        let doc = labelled_article("corpus/00001.txt", 2_000, 7);
        let chars: Vec<char> = doc.text.chars().collect();
        assert!(doc.spans.len() > 50, "{} spans", doc.spans.len());
        for pair in doc.spans.windows(2) {
            assert!(pair[0].end <= pair[1].start, "sorted, apart: {pair:?}");
        }
        for span in &doc.spans {
            assert_eq!(chars[span.range()].iter().collect::<String>(), span.text);
        }
    }
}
