//! What a search asks for: a word or phrase (or a regular expression over normalized text),
//! filtered by how the hits are labelled.

use regex::Regex;

use super::matching::{Phrase, PhraseSet};
use crate::arabic::{NormalizeOptions, normalize};

/// Words on each side of a hit in its [`super::Context`], as `tawsim search` shows it.
pub const CONTEXT_WORDS: usize = 5;

/// A search: what to find and which hits to keep.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// The word or phrase (or, with `regex`, the pattern); normalized before matching, so any
    /// spelling will do.
    pub text: String,
    /// `text` is a regular expression (Rust `regex` syntax) over the normalized text, matching
    /// anywhere, not only at word boundaries (use `\b` for those).
    pub regex: bool,
    /// Keep hits that an accepted span of this label overlaps.
    pub label: Option<String>,
    /// Keep hits that no accepted span overlaps.
    pub unlabelled: bool,
    /// Only this annotator's spans are shown and filtered on (everyone's when `None`).
    pub annotator: Option<String>,
}

/// Why a query cannot run.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SearchError {
    /// Nothing to look for.
    #[error("the query has no word to look for")]
    Empty,
    /// The regular expression does not compile.
    #[error("not a valid regular expression: {0}")]
    Regex(String),
    /// Both a label and `unlabelled` were asked for.
    #[error("label:{0} and unlabelled exclude each other")]
    Contradictory(String),
    /// No annotation file of this annotator is in the index.
    #[error("no annotation files of {name:?} (annotators: {known})")]
    UnknownAnnotator {
        /// The name asked for.
        name: String,
        /// The annotators the index has, comma-separated.
        known: String,
    },
}

impl Query {
    /// A plain word or phrase search with no filter.
    pub fn new(text: &str) -> Query {
        Query { text: text.to_owned(), ..Query::default() }
    }

    /// A query typed in one line, as the app's search box takes it: the words to find, with
    /// `label:ORG`, `from:NAME` and `unlabelled` anywhere among them as filters.
    pub fn parse(input: &str) -> Query {
        let mut query = Query::default();
        let mut words = Vec::new();
        for word in input.split_whitespace() {
            if let Some(label) = word.strip_prefix("label:").filter(|l| !l.is_empty()) {
                query.label = Some(label.to_owned());
            } else if let Some(name) = word.strip_prefix("from:").filter(|n| !n.is_empty()) {
                query.annotator = Some(name.to_owned());
            } else if matches!(word, "unlabelled" | "unlabeled") {
                query.unlabelled = true;
            } else {
                words.push(word);
            }
        }
        query.text = words.join(" ");
        query
    }

    /// The compiled matcher, after checking the query makes sense.
    pub(crate) fn matcher(&self) -> Result<Matcher, SearchError> {
        if let (Some(label), true) = (&self.label, self.unlabelled) {
            return Err(SearchError::Contradictory(label.clone()));
        }
        if self.regex {
            if self.text.is_empty() {
                return Err(SearchError::Empty);
            }
            // The pattern is normalized like the text, so `أحمد` in a pattern finds `احمد`;
            // normalization leaves ASCII, and so the pattern's syntax, alone.
            let pattern = normalize(&self.text, &NormalizeOptions::MATCHING).text;
            let regex = Regex::new(&pattern).map_err(|e| SearchError::Regex(e.to_string()))?;
            return Ok(Matcher::Regex(regex));
        }
        let phrase = Phrase::new(&self.text).ok_or(SearchError::Empty)?;
        Ok(Matcher::Phrase(PhraseSet::new(vec![phrase])))
    }
}

/// A compiled query.
#[derive(Clone, Debug)]
pub(crate) enum Matcher {
    /// Whole words, the first possibly after proclitics.
    Phrase(PhraseSet),
    /// A regular expression over normalized text.
    Regex(Regex),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_takes_filters_out_of_the_words() {
        let q = Query::parse("  مجلس label:ORG الأمن from:amal ");
        assert_eq!((q.text.as_str(), q.label.as_deref(), q.annotator.as_deref(), q.unlabelled), ("مجلس الأمن", Some("ORG"), Some("amal"), false));
        let q = Query::parse("روسيا unlabelled");
        assert!(q.unlabelled && q.label.is_none());
        assert_eq!(Query::parse("label: x").text, "label: x", "an empty filter is a word");
    }

    #[test]
    fn bad_queries_say_why() {
        assert_eq!(Query::new(" ، ").matcher().err(), None, "punctuation is a word");
        assert_eq!(Query::new("  ").matcher().err(), Some(SearchError::Empty));
        let q = Query { regex: true, ..Query::new("(روسيا") };
        assert!(matches!(q.matcher(), Err(SearchError::Regex(_))));
        let q = Query { label: Some("LOC".into()), unlabelled: true, ..Query::new("روسيا") };
        assert_eq!(q.matcher().err(), Some(SearchError::Contradictory("LOC".into())));
    }
}
