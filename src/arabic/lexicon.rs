//! A word list with counts: the evidence the proclitic splitter weighs.
//!
//! Keys are normalized with [`NormalizeOptions::MATCHING`], so spelling variants share one entry.
//! Each entry counts how often the word was seen and how often it was seen inside a named entity;
//! the second number tells names (`لافروف`) from common words (`يرى`).
//!
//! The bundled list (`assets/arabic/lexicon.txt`) is generated from ANERcorp by
//! `examples/build_lexicon.rs` and compiled into the binary, so nothing is read at run time. Its
//! format, one entry per line: `word count [names]`, `#` starts a comment line.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::normalize::{NormalizeOptions, normalize};
use super::words::{WordKind, words};

/// The bundled lexicon's text: normalized ANERcorp tokens (CC BY-SA 4.0, see its header).
const BUNDLED: &str = include_str!("../../assets/arabic/lexicon.txt");

/// How often a word was seen, and how often as (part of) a named entity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Entry {
    /// Occurrences of the word as a whole token.
    pub count: u32,
    /// Occurrences inside a named-entity span; never more than `count` in a consistent list.
    pub names: u32,
}

/// A line of a lexicon file that could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("lexicon line {line}: {message}")]
pub struct LexiconError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

/// Normalized words with counts; see the module documentation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lexicon {
    entries: HashMap<String, Entry>,
}

/// The normalized form a lexicon stores and looks up.
pub fn lexicon_key(word: &str) -> String {
    normalize(word, &NormalizeOptions::MATCHING).text
}

impl Lexicon {
    /// An empty lexicon.
    pub fn new() -> Self {
        Self::default()
    }

    /// The lexicon built from ANERcorp that ships with tawsim, parsed on first use.
    pub fn bundled() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        // Lenient: a damaged line costs one word, not the whole list; a unit test keeps the file clean.
        LEXICON.get_or_init(|| Self::parse_lines(BUNDLED, false).unwrap_or_default())
    }

    /// Reads a lexicon in the `word count [names]` format, refusing malformed lines.
    pub fn parse(text: &str) -> Result<Lexicon, LexiconError> {
        Self::parse_lines(text, true)
    }

    fn parse_lines(text: &str, strict: bool) -> Result<Lexicon, LexiconError> {
        let mut lexicon = Lexicon::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match parse_line(line) {
                Ok((word, count, names)) => lexicon.add(word, count, names),
                Err(message) if strict => return Err(LexiconError { line: index + 1, message }),
                Err(_) => {}
            }
        }
        Ok(lexicon)
    }

    /// A lexicon in which every item of `words` counts once (repeat a word to count it more).
    pub fn from_words<I, S>(words: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut lexicon = Lexicon::new();
        for word in words {
            lexicon.add(word.as_ref(), 1, 0);
        }
        lexicon
    }

    /// Adds `count` occurrences of `word`, `names` of them inside named entities.
    pub fn add(&mut self, word: &str, count: u32, names: u32) {
        let key = lexicon_key(word);
        if key.is_empty() {
            return;
        }
        let entry = self.entries.entry(key).or_default();
        entry.count = entry.count.saturating_add(count);
        entry.names = entry.names.saturating_add(names);
    }

    /// Counts every letter word of `text` once per occurrence, e.g. a project's own articles.
    ///
    /// The bundled list is 2007 newswire; adding the articles being annotated teaches it names
    /// such as حلب that it never saw, so `بحلب` splits. Words are counted whole, as ANERcorp
    /// counts its tokens: a clitic form seen three times or more while its stem never appears alone
    /// is then taken for a word of its own (see `split_proclitics`).
    pub fn add_text(&mut self, text: &str) {
        for word in words(text).filter(|w| w.kind == WordKind::Letters) {
            self.add(word.text(text), 1, 0);
        }
    }

    /// Adds every entry of `other` to this lexicon.
    pub fn merge(&mut self, other: &Lexicon) {
        for (key, entry) in &other.entries {
            let mine = self.entries.entry(key.clone()).or_default();
            mine.count = mine.count.saturating_add(entry.count);
            mine.names = mine.names.saturating_add(entry.names);
        }
    }

    /// The entry for `word` (normalized first); zero counts when unknown.
    pub fn get(&self, word: &str) -> Entry {
        self.get_key(&lexicon_key(word))
    }

    /// The entry for an already normalized key.
    pub fn get_key(&self, key: &str) -> Entry {
        self.entries.get(key).copied().unwrap_or_default()
    }

    /// How often `word` was seen.
    pub fn count(&self, word: &str) -> u32 {
        self.get(word).count
    }

    /// Number of distinct normalized words.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the lexicon holds no word.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entries sorted by decreasing count, then by word, for writing a stable file.
    pub fn sorted_entries(&self) -> Vec<(&str, Entry)> {
        let mut all: Vec<(&str, Entry)> = self.entries.iter().map(|(k, e)| (k.as_str(), *e)).collect();
        all.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(b.0)));
        all
    }

    /// The lexicon in its file format, after `header` (each header line is written as a comment).
    pub fn to_text(&self, header: &str) -> String {
        let mut out = String::new();
        for line in header.lines() {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
        for (word, entry) in self.sorted_entries() {
            out.push_str(word);
            out.push(' ');
            out.push_str(&entry.count.to_string());
            if entry.names > 0 {
                out.push(' ');
                out.push_str(&entry.names.to_string());
            }
            out.push('\n');
        }
        out
    }
}

fn parse_line(line: &str) -> Result<(&str, u32, u32), String> {
    let mut fields = line.split_whitespace();
    let (Some(word), Some(count)) = (fields.next(), fields.next()) else {
        return Err(format!("expected `word count [names]`, found {line:?}"));
    };
    let number = |field: &str| field.parse::<u32>().map_err(|_| format!("{field:?} is not a count"));
    let count = number(count)?;
    let names = match fields.next() {
        Some(field) => number(field)?,
        None => 0,
    };
    if let Some(extra) = fields.next() {
        return Err(format!("unexpected {extra:?} after the counts"));
    }
    Ok((word, count, names))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_file_is_clean_and_attributed() {
        let parsed = Lexicon::parse(BUNDLED).expect("the bundled lexicon parses strictly");
        assert_eq!(&parsed, Lexicon::bundled());
        assert!(BUNDLED.lines().next().is_some_and(|l| l.starts_with('#')));
        assert!(BUNDLED.contains("CC BY-SA 4.0"), "the licence is named in the header");
    }

    #[test]
    fn parse_and_lookup() {
        let lexicon = Lexicon::parse("# comment\nروسيا 43 43\nأحمد 5\n\nاحمد 2 1\n").expect("valid");
        assert_eq!(lexicon.get("روسيا"), Entry { count: 43, names: 43 });
        assert_eq!(lexicon.get("أحمد"), Entry { count: 7, names: 1 }, "variants share a key");
        assert_eq!(lexicon.count("إحمد"), 7);
        assert_eq!(lexicon.count("لندن"), 0);
        assert_eq!(lexicon.len(), 2);
    }

    #[test]
    fn parse_errors_name_the_line() {
        let err = Lexicon::parse("روسيا 43\nلندن many\n").expect_err("bad count");
        assert_eq!(err.line, 2);
        assert!(Lexicon::parse("روسيا\n").is_err());
        assert!(Lexicon::parse("روسيا 1 2 3\n").is_err());
    }

    #[test]
    fn text_round_trip() {
        let mut lexicon = Lexicon::from_words(["روسيا", "روسيا", "حلب"]);
        lexicon.add("لافروف", 4, 4);
        let text = lexicon.to_text("test list\nsecond line");
        assert!(text.starts_with("# test list\n# second line\nلافروف 4 4\nروسيا 2\n"));
        assert_eq!(Lexicon::parse(&text), Ok(lexicon));
    }

    #[test]
    fn add_text_counts_letter_words() {
        let mut lexicon = Lexicon::new();
        lexicon.add_text("قصف حلب، وحلب 2016 حلبُ");
        assert_eq!(lexicon.count("حلب"), 2);
        assert_eq!(lexicon.count("وحلب"), 1);
        assert_eq!(lexicon.count("2016"), 0);
    }
}
