//! What the search keeps of each article: its text normalized for matching, its words located
//! in it with a hash of each word's form (and of the stems after proclitics), and every
//! annotator's annotation file.
//!
//! Word positions are kept in the normalized text only; original offsets come from the compact
//! [`OffsetMap`] when a hit is reported, so an article costs its two texts, 16 bytes per word and
//! a few per stem. Building needs nothing but the text and the files, so it runs on any thread;
//! [`super::disk`] fills it from a project folder.

use std::ops::Range;
use std::sync::Arc;

use crate::arabic::{NormalizeOptions, OffsetMap, WordKind, normalize, normalized_words, proclitic_stems};
use crate::model::{AnnotationFile, Span};
use crate::store::Problem;

use super::disk::FileStamp;

/// Original chars between two entries of [`ArticleIndex::checkpoints`].
const CHECKPOINT: usize = 32;

/// One word of an article, located in its normalized text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct IndexedWord {
    /// Byte range of the word's normalized form in the normalized text.
    pub(crate) start: u32,
    /// End of that byte range.
    pub(crate) end: u32,
    /// Char offset of the word in the normalized text.
    pub(crate) char_start: u32,
}

/// A place inside a word where a name may begin after proclitics (`روسيا` in `وروسيا`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Stem {
    /// Index of the word in [`ArticleIndex::words`].
    pub(crate) word: u32,
    /// Normalized letters of proclitics before the stem.
    pub(crate) cut: u8,
    /// The stem follows ل and stands for an article whose alef was dropped (`للأسد` is ل +
    /// `الأسد`): its key is that of `ا` + the stem.
    pub(crate) elided: bool,
    /// [`form_key`] of the stem (with the `ا` when elided).
    pub(crate) key: u32,
}

/// One annotator's annotation of the article, as loaded and checked by the store.
#[derive(Clone, Debug)]
pub struct Annotation {
    /// The annotator (`gold` for the adjudicated version).
    pub annotator: String,
    /// The file, with the store's safe repairs made (a re-anchored span, a filled-in text).
    pub file: AnnotationFile,
    /// What the store's check found in it (fixed problems included).
    pub problems: Vec<Problem>,
    /// Longest span, in chars, so overlap queries know how far back to look.
    pub(crate) longest: usize,
    /// What the file was on disk when read; `None` when it came from memory.
    pub(crate) stamp: Option<FileStamp>,
}

impl Annotation {
    /// An annotation of the article by `annotator`.
    pub fn new(annotator: &str, file: AnnotationFile) -> Self {
        let longest = file.spans.iter().map(|s| s.end.saturating_sub(s.start)).max().unwrap_or(0);
        Annotation { annotator: annotator.to_owned(), file, problems: Vec::new(), longest, stamp: None }
    }

    /// The spans that share at least one char with `range`, in file order.
    pub fn overlapping(&self, range: Range<usize>) -> impl Iterator<Item = &Span> {
        let spans = &self.file.spans;
        let from = spans.partition_point(|s| s.start + self.longest <= range.start);
        spans[from..].iter().take_while(move |s| s.start < range.end).filter(move |s| s.end > range.start && s.start < s.end)
    }
}

/// An article of a project, ready to search.
#[derive(Clone, Debug)]
pub struct ArticleIndex {
    /// Path below the corpus folder (what the app opens articles by); shared with its hits.
    pub rel: Arc<str>,
    /// Path below the project root (what annotation files and exports name).
    pub document: Arc<str>,
    text: String,
    /// Hex SHA-256 of the text, to check annotation files against.
    pub(crate) sha256: String,
    norm: String,
    offsets: OffsetMap,
    /// Byte offset in `text` of every [`CHECKPOINT`]-th char, for slicing it by chars.
    checkpoints: Vec<u32>,
    char_len: usize,
    pub(crate) words: Vec<IndexedWord>,
    /// [`form_key`] of each word's normalized form, in word order.
    pub(crate) keys: Vec<u32>,
    /// Stems after proclitics, in word order.
    pub(crate) stems: Vec<Stem>,
    /// Sorted by annotator.
    annotations: Vec<Annotation>,
    /// What the article file was on disk when read.
    pub(crate) stamp: Option<FileStamp>,
}

/// An article too large for the index's 32-bit offsets (4 GB of text).
#[derive(Debug, thiserror::Error)]
#[error("{0}: too large to index (more than 4 GB of text)")]
pub struct TooLarge(pub String);

impl ArticleIndex {
    /// Indexes article `rel` (`document` below the project root) with its annotations.
    pub fn new(rel: &str, document: &str, text: String, annotations: Vec<Annotation>) -> Result<ArticleIndex, TooLarge> {
        let sha256 = crate::store::sha256_hex(&text);
        Self::with_hash(rel, document, text, sha256, annotations)
    }

    /// [`Self::new`] for a text whose hex SHA-256 is known already.
    pub(crate) fn with_hash(rel: &str, document: &str, text: String, sha256: String, annotations: Vec<Annotation>) -> Result<ArticleIndex, TooLarge> {
        let normalized = normalize(&text, &NormalizeOptions::MATCHING);
        if text.len() > u32::MAX as usize || normalized.text.len() > u32::MAX as usize {
            return Err(TooLarge(document.to_owned()));
        }
        // Byte offset of each normalized char, and the end.
        let mut byte_at: Vec<u32> = normalized.text.char_indices().map(|(b, _)| b as u32).collect();
        byte_at.push(normalized.text.len() as u32);
        let mut words = Vec::with_capacity(normalized.char_len() / 5);
        let mut keys = Vec::with_capacity(normalized.char_len() / 5);
        let mut stems = Vec::new();
        let mut letters = Vec::new();
        for (word, norm) in normalized_words(&text, &normalized) {
            if norm.is_empty() {
                continue;
            }
            let (start, end) = (byte_at[norm.start], byte_at[norm.end]);
            let form = &normalized.text[start as usize..end as usize];
            let index = words.len() as u32;
            words.push(IndexedWord { start, end, char_start: norm.start as u32 });
            keys.push(form_key(form));
            if word.kind != WordKind::Letters {
                continue;
            }
            letters.clear();
            letters.extend(form.chars());
            for cut in proclitic_stems(&letters).into_iter().flatten() {
                let stem = &form[letters[..cut].iter().map(|c| c.len_utf8()).sum::<usize>()..];
                stems.push(Stem { word: index, cut: cut as u8, elided: false, key: form_key(stem) });
                if letters[cut - 1] == 'ل' && letters[cut] == 'ل' {
                    stems.push(Stem { word: index, cut: cut as u8, elided: true, key: key_of(["ا", stem]) });
                }
            }
        }
        let offsets = normalized.offset_map();
        let mut checkpoints = Vec::with_capacity(text.len() / CHECKPOINT + 1);
        let mut char_len = 0;
        for (i, (byte, _)) in text.char_indices().enumerate() {
            if i % CHECKPOINT == 0 {
                checkpoints.push(byte as u32);
            }
            char_len = i + 1;
        }
        let mut annotations = annotations;
        annotations.sort_by(|a, b| a.annotator.cmp(&b.annotator));
        Ok(ArticleIndex {
            rel: Arc::from(rel),
            document: Arc::from(document),
            text,
            sha256,
            norm: normalized.text,
            offsets,
            checkpoints,
            char_len,
            words,
            keys,
            stems,
            annotations,
            stamp: None,
        })
    }

    /// The article's text as stored (offsets of hits and spans count its chars).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Number of chars in the text.
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    /// The text between char offsets `range` (clamped to the text).
    pub fn slice(&self, range: Range<usize>) -> &str {
        let end = range.end.min(self.char_len);
        let start = range.start.min(end);
        &self.text[self.byte_offset(start)..self.byte_offset(end)]
    }

    /// Byte offset of char `offset` (at most the text's length).
    fn byte_offset(&self, offset: usize) -> usize {
        if offset >= self.char_len {
            return self.text.len();
        }
        let base = self.checkpoints[offset / CHECKPOINT] as usize;
        // Walk the bytes, counting those that start a char: no decoding.
        let mut left = offset % CHECKPOINT;
        let bytes = &self.text.as_bytes()[base..];
        for (i, &b) in bytes.iter().enumerate() {
            if b & 0xC0 != 0x80 {
                if left == 0 {
                    return base + i;
                }
                left -= 1;
            }
        }
        self.text.len()
    }

    /// The normalized text (what regular expressions run over).
    pub(crate) fn normalized(&self) -> &str {
        &self.norm
    }

    /// The normalized form of word `i`.
    pub(crate) fn word_form(&self, i: usize) -> &str {
        let word = self.words[i];
        &self.norm[word.start as usize..word.end as usize]
    }

    /// Normalized char range of word `i`.
    pub(crate) fn word_chars(&self, i: usize) -> Range<usize> {
        let start = self.words[i].char_start as usize;
        start..start + self.word_form(i).chars().count()
    }

    /// Original char range of word `i`.
    pub(crate) fn word_original(&self, i: usize) -> Range<usize> {
        self.to_original(self.word_chars(i))
    }

    /// Original char range of the normalized char range `range`.
    pub(crate) fn to_original(&self, range: Range<usize>) -> Range<usize> {
        self.offsets.to_original(range)
    }

    /// Normalized char offset of original char `offset`.
    pub(crate) fn normalized_offset(&self, offset: usize) -> usize {
        self.offsets.from_original(offset)
    }

    /// Normalized char offset of byte `byte` of the normalized text (a char boundary).
    pub(crate) fn norm_char_at_byte(&self, byte: usize) -> usize {
        // From the last word starting at or before it, so only a word and a gap are counted.
        let i = self.words.partition_point(|w| w.start as usize <= byte);
        let (from_byte, from_char) = match i.checked_sub(1).map(|k| self.words[k]) {
            Some(word) => (word.start as usize, word.char_start as usize),
            None => (0, 0),
        };
        from_char + self.norm.get(from_byte..byte).map_or(0, |s| s.chars().count())
    }

    /// Index of the first word whose normalized chars end after normalized char `offset`.
    pub(crate) fn word_after(&self, offset: usize) -> usize {
        self.words.partition_point(|w| self.word_chars_end(w) <= offset)
    }

    fn word_chars_end(&self, word: &IndexedWord) -> usize {
        word.char_start as usize + self.norm[word.start as usize..word.end as usize].chars().count()
    }

    /// Every annotator's annotation, sorted by annotator.
    pub fn annotations(&self) -> &[Annotation] {
        &self.annotations
    }

    /// `annotator`'s annotation of the article, if they have one.
    pub fn annotation(&self, annotator: &str) -> Option<&Annotation> {
        self.annotations.binary_search_by(|a| a.annotator.as_str().cmp(annotator)).ok().map(|i| &self.annotations[i])
    }

    /// Replaces (or adds, or with `None` removes) `annotator`'s annotation, e.g. after the app
    /// edited it in memory.
    pub fn set_annotation(&mut self, annotator: &str, annotation: Option<Annotation>) {
        match (self.annotations.binary_search_by(|a| a.annotator.as_str().cmp(annotator)), annotation) {
            (Ok(i), Some(new)) => self.annotations[i] = new,
            (Ok(i), None) => {
                self.annotations.remove(i);
            }
            (Err(i), Some(new)) => self.annotations.insert(i, new),
            (Err(_), None) => {}
        }
    }

    /// Bytes the index holds for this article, roughly (texts, words, stems, spans).
    pub fn heap_bytes(&self) -> usize {
        let spans: usize = self.annotations.iter().map(|a| a.file.spans.iter().map(|s| size_of::<Span>() + s.text.len() + s.label.len()).sum::<usize>()).sum();
        self.text.capacity()
            + self.norm.capacity()
            + self.words.capacity() * size_of::<IndexedWord>()
            + self.keys.capacity() * size_of::<u32>()
            + self.stems.capacity() * size_of::<Stem>()
            + self.checkpoints.capacity() * size_of::<u32>()
            + spans
    }
}

#[cfg(test)]
impl ArticleIndex {
    /// A small article `corpus/a.txt` without annotations, for tests.
    pub(crate) fn of_text(text: &str) -> ArticleIndex {
        ArticleIndex::new("a.txt", "corpus/a.txt", text.to_owned(), Vec::new()).expect("small")
    }
}

/// The hash the index compares word forms by (FNV-1a, 32 bits); equal hashes are confirmed on
/// the text, so a collision costs a comparison, never a wrong hit.
pub(crate) fn form_key(form: &str) -> u32 {
    key_of([form])
}

/// [`form_key`] of the concatenation of `parts`.
pub(crate) fn key_of<'a>(parts: impl IntoIterator<Item = &'a str>) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for part in parts {
        for &byte in part.as_bytes() {
            hash ^= u32::from(byte);
            hash = hash.wrapping_mul(0x0100_0193);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_stems_are_located_in_the_normalized_text() {
        let article = ArticleIndex::of_text("قال مُحَمَّد إن وروسيا وللأسد «معاً»");
        let forms: Vec<&str> = (0..article.words.len()).map(|i| article.word_form(i)).collect();
        assert_eq!(forms, ["قال", "محمد", "ان", "وروسيا", "وللاسد", "«", "معا", "»"]);
        assert_eq!(article.to_original(article.word_chars(1)), 4..12, "the harakat are inside");
        let stems: Vec<(u32, u8, bool)> = article.stems.iter().map(|s| (s.word, s.cut, s.elided)).collect();
        // وروسيا: after و; وللاسد: after و, and after ول (plain and with the article restored).
        assert_eq!(stems, [(3, 1, false), (4, 1, false), (4, 2, false), (4, 2, true)]);
        assert_eq!(article.stems[3].key, form_key("الاسد"));
        assert_eq!(article.stems[0].key, form_key("روسيا"));
    }

    #[test]
    fn slicing_and_offsets() {
        let text = "ا".repeat(200) + " كيري";
        let article = ArticleIndex::of_text(&text);
        assert_eq!(article.slice(201..205), "كيري");
        assert_eq!(article.slice(203..999), "ري");
        assert_eq!(article.char_len(), 205);
        let byte = article.normalized().find("كيري").expect("there");
        assert_eq!(article.norm_char_at_byte(byte), 201);
        assert_eq!(article.word_after(201), 1);
        assert_eq!(article.word_after(200), 1);
        assert_eq!(article.word_after(199), 0);
    }

    #[test]
    fn annotations_by_annotator_and_overlaps() {
        let mut file = AnnotationFile::new("corpus/a.txt", "", "amal");
        file.spans = vec![Span::manual(1, 0..3, "PERS", "قال"), Span::manual(2, 4..12, "PERS", "")];
        let mut article = ArticleIndex::of_text("قال مُحَمَّد إن");
        article.set_annotation("amal", Some(Annotation::new("amal", file)));
        let amal = article.annotation("amal").expect("set");
        let ids: Vec<u64> = amal.overlapping(2..5).map(|s| s.id).collect();
        assert_eq!(ids, [1, 2]);
        assert_eq!(amal.overlapping(3..4).count(), 0, "the space between them");
        article.set_annotation("amal", None);
        assert!(article.annotation("amal").is_none());
    }
}
