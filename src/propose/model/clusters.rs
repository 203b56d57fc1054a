//! Word clusters and word frequencies from unlabelled Arabic news, compiled in.
//!
//! `assets/clusters/ant-news.tsv` is made by `examples/word_clusters.rs` from the ANT corpus (see
//! `assets/clusters/README.md`): for each frequent word key (see [`word_key`]) its count in the
//! corpus and its class at three granularities, each class inside one class of the next coarser
//! level, so the three numbers act like prefixes of a Brown cluster path. Words the table does not
//! hold get no cluster feature and the lowest frequency bucket.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::arabic::{Lexicon, WordKind, lexicon_key, split_proclitics};

/// The bundled table's text (Apache-2.0, from the ANT corpus; see `assets/clusters/README.md`).
const BUNDLED: &str = include_str!("../../../assets/clusters/ant-news.tsv");

/// Number of cluster granularities in the table, coarsest first.
pub const LEVELS: usize = 3;

/// What the clustering and the features call a word: numbers are one word `<num>`, Latin words
/// `<latin>`, punctuation itself; Arabic words are normalized for matching with their proclitics
/// cut off (`وروسيا` → `روسيا`), so the clitic forms of a word share its counts and cluster.
pub fn word_key(word: &str, kind: WordKind, lexicon: &Lexicon) -> String {
    match kind {
        WordKind::Number => "<num>".to_owned(),
        WordKind::Punct => lexicon_key(word),
        WordKind::Letters => {
            if !word.chars().any(crate::arabic::chars::is_arabic_letter) {
                return "<latin>".to_owned();
            }
            let split = split_proclitics(word, lexicon);
            if !split.is_split() {
                return lexicon_key(word);
            }
            let stem: String = word.chars().skip(split.prefix_len).collect();
            let key = lexicon_key(&stem);
            // `للأسد` is ل + (ا)لأسد: the stem is looked up with its article restored.
            if split.article_elided { format!("ا{key}") } else { key }
        }
    }
}

/// A word's count in the unlabelled corpus and its classes, coarsest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClusterEntry {
    /// Occurrences in the corpus.
    pub count: u32,
    /// Class ids at each granularity, coarsest first.
    pub classes: [u16; LEVELS],
}

/// Word keys with their counts and classes.
#[derive(Clone, Debug, Default)]
pub struct WordClusters {
    entries: HashMap<String, ClusterEntry>,
}

/// A line of a cluster table that could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("cluster table line {line}: {message}")]
pub struct ClusterTableError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

impl WordClusters {
    /// The table that ships with tawsim, parsed on first use.
    pub fn bundled() -> &'static WordClusters {
        static TABLE: OnceLock<WordClusters> = OnceLock::new();
        // A unit test keeps the bundled file clean, so an error here cannot happen in a build
        // that passed its tests; an empty table would only cost the cluster features.
        TABLE.get_or_init(|| Self::parse(BUNDLED).unwrap_or_default())
    }

    /// Reads `key<TAB>count<TAB>coarse<TAB>middle<TAB>fine` lines; `#` starts a comment line.
    pub fn parse(text: &str) -> Result<WordClusters, ClusterTableError> {
        let mut entries = HashMap::new();
        for (index, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let error = |message: String| ClusterTableError { line: index + 1, message };
            let fields: Vec<&str> = line.split('\t').collect();
            if fields.len() != 2 + LEVELS {
                return Err(error(format!("expected {} tab-separated fields, found {}", 2 + LEVELS, fields.len())));
            }
            let count = fields[1].parse().map_err(|_| error(format!("count {:?} is not a number", fields[1])))?;
            let mut classes = [0u16; LEVELS];
            for (class, field) in classes.iter_mut().zip(&fields[2..]) {
                *class = field.parse().map_err(|_| error(format!("class {field:?} is not a number")))?;
            }
            entries.insert(fields[0].to_owned(), ClusterEntry { count, classes });
        }
        Ok(WordClusters { entries })
    }

    /// The entry of a word key, if the table has it.
    pub fn get(&self, key: &str) -> Option<ClusterEntry> {
        self.entries.get(key).copied()
    }

    /// Number of words in the table.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the table is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The frequency bucket of a corpus count: 0 for unseen, then one bucket per doubling.
pub fn frequency_bucket(count: u32) -> u8 {
    (32 - count.leading_zeros()) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_table_parses_and_knows_common_words() {
        WordClusters::parse(BUNDLED).expect("bundled table");
        let table = WordClusters::bundled();
        assert!(table.len() > 10_000, "{}", table.len());
        assert!(table.get("في").is_some_and(|e| e.count > 10_000));
        assert!(table.get("<num>").is_some());
    }

    #[test]
    fn keys_cut_proclitics_and_fold_spelling() {
        let lexicon = Lexicon::bundled();
        assert_eq!(word_key("وروسيا", WordKind::Letters, lexicon), "روسيا");
        assert_eq!(word_key("للأسد", WordKind::Letters, lexicon), "الاسد");
        assert_eq!(word_key("2016", WordKind::Number, lexicon), "<num>");
        assert_eq!(word_key("Obama", WordKind::Letters, lexicon), "<latin>");
        assert_eq!(word_key("،", WordKind::Punct, lexicon), "،");
    }

    #[test]
    fn bad_lines_are_refused_with_their_number() {
        let error = WordClusters::parse("# header\nفي\t3\t1\t2\n").unwrap_err();
        assert_eq!(error.line, 2);
        assert!(WordClusters::parse("في\tx\t1\t2\t3").unwrap_err().message.contains("count"));
        assert_eq!(frequency_bucket(0), 0);
        assert_eq!(frequency_bucket(1), 1);
        assert_eq!(frequency_bucket(1000), 10);
    }
}
