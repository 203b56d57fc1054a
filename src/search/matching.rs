//! Finding words and phrases in an indexed article, the way the gazetteer finds names: on
//! normalized text (`الاسد` finds `الأسد`), whole words only, the first word possibly after
//! proclitics (`روسيا` finds the `روسيا` of `وروسيا`, and `الأسد` the `لأسد` of `للأسد`).
//!
//! A phrase is its words' normalized forms. Each article's words carry a hash of their form, so
//! looking for a phrase is one pass over an array of integers with a string comparison where the
//! hash agrees; many phrases at once (the consistency checks look for every name of a project)
//! cost one hash-table probe per word.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use regex::Regex;

use super::index::{ArticleIndex, Stem, form_key};
use crate::arabic::{NormalizeOptions, normalize, words};

/// The words to find, normalized.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phrase {
    words: Vec<String>,
}

impl Phrase {
    /// The phrase made of `text`'s words (see [`crate::arabic::words`]), each normalized for
    /// matching; `None` when `text` has no word.
    pub fn new(text: &str) -> Option<Phrase> {
        let words: Vec<String> = words(text).map(|w| normalize(w.text(text), &NormalizeOptions::MATCHING).text).filter(|w| !w.is_empty()).collect();
        (!words.is_empty()).then_some(Phrase { words })
    }

    /// The normalized words joined by spaces: what phrases are compared and grouped by.
    pub fn form(&self) -> String {
        self.words.join(" ")
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Always false: a phrase has at least one word.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// Hashes a key that is a hash already: spread over 64 bits, so the table's probes stay short.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u32(&mut self, key: u32) {
        self.0 = u64::from(key).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Phrases looked for together, by the key of their first word.
#[derive(Clone, Debug)]
pub struct PhraseSet {
    phrases: Vec<Phrase>,
    by_key: HashMap<u32, Vec<usize>, BuildHasherDefault<KeyHasher>>,
}

impl PhraseSet {
    /// A set of `phrases`; matches name them by their index in this list.
    pub fn new(phrases: Vec<Phrase>) -> PhraseSet {
        let mut by_key: HashMap<u32, Vec<usize>, BuildHasherDefault<KeyHasher>> = HashMap::default();
        for (i, phrase) in phrases.iter().enumerate() {
            by_key.entry(form_key(&phrase.words[0])).or_default().push(i);
        }
        PhraseSet { phrases, by_key }
    }

    /// The phrases, in the order given.
    pub fn phrases(&self) -> &[Phrase] {
        &self.phrases
    }

    /// Phrases whose first word has key `key`.
    fn with_key(&self, key: u32) -> &[usize] {
        self.by_key.get(&key).map_or(&[], Vec::as_slice)
    }
}

/// One place a phrase was found in an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhraseMatch {
    /// Index of the phrase in its [`PhraseSet`].
    pub phrase: usize,
    /// Original char range: from the first word's stem to the end of the last word.
    pub range: Range<usize>,
    /// Original char range of the first word, proclitics included.
    pub first_word: Range<usize>,
    /// The article's words it covers (indices in its word list), for its context.
    pub words: Range<usize>,
}

impl ArticleIndex {
    /// Where the phrases of `set` occur, ordered by position; a phrase's matches never overlap
    /// each other (the leftmost wins), matches of different phrases may.
    pub fn find_phrases(&self, set: &PhraseSet) -> Vec<PhraseMatch> {
        let mut found = Vec::new();
        if let [only] = set.phrases.as_slice() {
            // One phrase: a pass over the word keys and one over the stem keys, comparing
            // integers, where a table probe per word would cost several times more.
            let key = form_key(&only.words[0]);
            for (i, _) in self.keys.iter().enumerate().filter(|(_, k)| **k == key) {
                self.try_word(0, only, i, &mut found);
            }
            for stem in self.stems.iter().filter(|s| s.key == key) {
                self.try_stem(0, only, stem, &mut found);
            }
        } else {
            let mut stems = self.stems.iter().peekable();
            for (i, &key) in self.keys.iter().enumerate() {
                for &p in set.with_key(key) {
                    self.try_word(p, &set.phrases[p], i, &mut found);
                }
                while let Some(stem) = stems.next_if(|s| s.word as usize <= i) {
                    for &p in set.with_key(stem.key) {
                        self.try_stem(p, &set.phrases[p], stem, &mut found);
                    }
                }
            }
        }
        // Leftmost first within each phrase, then back in text order.
        found.sort_by_key(|m| (m.phrase, m.range.start, std::cmp::Reverse(m.range.end)));
        let mut last: Option<(usize, usize)> = None;
        found.retain(|m| {
            let keep = !matches!(last, Some((p, end)) if p == m.phrase && m.range.start < end);
            if keep {
                last = Some((m.phrase, m.range.end));
            }
            keep
        });
        found.sort_by_key(|m| (m.range.start, m.range.end, m.phrase));
        found
    }

    /// Adds the match of phrase `p` at word `i` when the words are the phrase's.
    fn try_word(&self, p: usize, phrase: &Phrase, i: usize, found: &mut Vec<PhraseMatch>) {
        if self.word_form(i) == phrase.words[0] && self.rest_matches(i, phrase) {
            found.push(self.located(p, phrase, i, 0));
        }
    }

    /// Adds the match of phrase `p` after the proclitics of `stem`'s word when the words fit.
    fn try_stem(&self, p: usize, phrase: &Phrase, stem: &Stem, found: &mut Vec<PhraseMatch>) {
        let i = stem.word as usize;
        let form = self.word_form(i);
        let tail = form.char_indices().nth(stem.cut as usize).map_or("", |(b, _)| &form[b..]);
        let first = &phrase.words[0];
        let fits = if stem.elided { first.strip_prefix('ا') == Some(tail) } else { first == tail };
        if fits && self.rest_matches(i, phrase) {
            found.push(self.located(p, phrase, i, stem.cut as usize));
        }
    }

    /// Whether the words after word `i` are the rest of `phrase`.
    fn rest_matches(&self, i: usize, phrase: &Phrase) -> bool {
        i + phrase.words.len() <= self.words.len() && phrase.words[1..].iter().enumerate().all(|(k, w)| self.word_form(i + 1 + k) == w)
    }

    /// The match of `phrase` starting `cut` normalized letters into word `i`.
    fn located(&self, p: usize, phrase: &Phrase, i: usize, cut: usize) -> PhraseMatch {
        let first = self.word_chars(i);
        let last = self.word_chars(i + phrase.words.len() - 1);
        PhraseMatch { phrase: p, range: self.to_original(first.start + cut..last.end), first_word: self.to_original(first), words: i..i + phrase.words.len() }
    }

    /// The non-empty matches of `regex` in the normalized text: original char ranges, with the
    /// words each touches (indices in the article's word list).
    pub fn find_regex(&self, regex: &Regex) -> Vec<(Range<usize>, Range<usize>)> {
        let norm = self.normalized();
        let mut out = Vec::new();
        for m in regex.find_iter(norm).filter(|m| !m.is_empty()) {
            let start = self.norm_char_at_byte(m.start());
            let end = start + norm[m.range()].chars().count();
            let words = self.words.partition_point(|w| w.end as usize <= m.start())..self.words.partition_point(|w| (w.start as usize) < m.end());
            out.push((self.to_original(start..end), words));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The original text of each match of `query`.
    fn found(text: &str, query: &str) -> Vec<String> {
        let article = ArticleIndex::of_text(text);
        let set = PhraseSet::new(vec![Phrase::new(query).expect("words")]);
        article.find_phrases(&set).iter().map(|m| article.slice(m.range.clone()).to_owned()).collect()
    }

    #[test]
    fn whole_words_after_proclitics_on_normalized_text() {
        let text = "زار روسيا ثم وروسيا وبروسيا، لا الروسيا ولا روسياه بل لِروسيّا";
        assert_eq!(found(text, "روسيا"), ["روسيا", "روسيا", "روسيا", "روسيّا"]);
        assert_eq!(found("قال الاسد إن الأَسَد وللأسد", "الأسد"), ["الاسد", "الأَسَد", "لأسد"]);
        assert_eq!(found("مصطفى ومصطفي", "مصطفي"), ["مصطفى", "مصطفي"]);
        assert!(found("الحلبي حلبية", "حلب").is_empty());
    }

    #[test]
    fn phrases_need_their_words_in_a_row() {
        let text = "قرار مجلس الأمن الدولي وبمجلس الأمن، لا مجلس النواب ولا مجلس\nالأمن";
        assert_eq!(found(text, "مجلس الأمن"), ["مجلس الأمن", "مجلس الأمن", "مجلس\nالأمن"]);
        assert_eq!(found(text, "الأمن الدولي"), ["الأمن الدولي"]);
        assert_eq!(found("الأمن ، الدولي", "الأمن الدولي"), Vec::<String>::new());
        assert_eq!(found("كيري، وقال", "كيري ،"), ["كيري،"]);
    }

    #[test]
    fn many_phrases_at_once_may_overlap_but_one_phrase_does_not() {
        let article = ArticleIndex::of_text("بشار الأسد والأسد نعم نعم نعم");
        let phrases = ["الأسد", "بشار الأسد", "نعم نعم"].map(|p| Phrase::new(p).expect("words"));
        let set = PhraseSet::new(phrases.to_vec());
        let got: Vec<(usize, &str)> = article.find_phrases(&set).iter().map(|m| (m.phrase, article.slice(m.range.clone()))).collect();
        assert_eq!(got, [(1, "بشار الأسد"), (0, "الأسد"), (0, "الأسد"), (2, "نعم نعم")]);
        let first = &article.find_phrases(&set)[2];
        assert_eq!(article.slice(first.first_word.clone()), "والأسد");
    }

    #[test]
    fn regular_expressions_run_over_normalized_text() {
        let article = ArticleIndex::of_text("قال أحمد إن مُحَمَّد وأحمدي");
        let regex = Regex::new("احمد|محمد").expect("valid");
        let got: Vec<&str> = article.find_regex(&regex).into_iter().map(|(r, _)| article.slice(r)).collect();
        assert_eq!(got, ["أحمد", "مُحَمَّد", "أحمد"]);
    }
}
