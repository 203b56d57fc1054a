//! A gazetteer proposer: known surface forms of names, matched in normalized text.
//!
//! Matching follows the gold convention of DESIGN.md §4: it runs on text normalized with
//! [`NormalizeOptions::MATCHING`] (so `الاسد` finds `الأسد`), maps matches back to the article's
//! own chars, takes the longest entry at each place, only where a word starts and ends, and lets a
//! match start after proclitics (`وروسيا` proposes `روسيا`, without the و).
//!
//! Entries built from training data are filtered for precision: the matcher is run over the
//! training sentences themselves and a form is kept only when most of its matches there were that
//! entity, so common words that are sometimes part of a name (`الأمن`, `الرئيس`) stay out. That
//! run is out of fold (5 folds): in-sample every training name is an entry, which hides how often a
//! first name alone matches only the start of a longer, unknown name.
//!
//! Person names are too open a class for a list, so one extension is learnt with it: a word that
//! usually starts a person name (`محمد`) followed by name pieces or words unseen in training is
//! proposed as one PERS span (`محمد الأغبش`).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};
use serde::{Deserialize, Serialize};

use super::Proposal;
use super::training::training_lexicon;
use crate::arabic::chars::{is_arabic_letter, is_proclitic_letter};
pub(crate) use crate::arabic::normalize_form;
use crate::arabic::{Lexicon, NormalizeOptions, Normalized, WordKind, normalize, normalized_words, proclitic_stems, split_proclitics};
use crate::model::{LabelledSentence, partition_point_from, tokens_overlapping};

/// Name of this proposer in [`Proposal::source`].
pub const SOURCE: &str = "gazetteer";

/// Shortest form kept, in letters: one- and two-letter forms are mostly particles or clitics.
const MIN_LETTERS: usize = 3;

/// Share of a form's matches in training that must be the label for the form to be kept.
const MIN_PRECISION: f32 = 0.6;

/// Matches in training a form needs before it is kept.
const MIN_SUPPORT: u32 = 1;

/// Times a word must start a multi-word person name to trigger the person extension.
const NAME_START_MIN: u32 = 1;

/// Share of a word's occurrences that must start a person name for it to trigger the extension.
const NAME_START_SHARE: f32 = 0.5;

/// Share of a word's occurrences inside person names for it to continue one.
const NAME_PIECE_SHARE: f32 = 0.5;

/// Most words a person name is extended by.
const MAX_NAME_WORDS: usize = 4;

/// Folds of the out-of-fold precision estimate.
const FOLDS: usize = 5;

/// Score of a form that no held-out fold could test.
const UNSEEN_SCORE: f32 = 0.5;

/// Known surface forms with their labels, and the automaton that finds them.
#[derive(Clone, Debug)]
pub struct Gazetteer {
    /// Normalized forms (words joined by one space) with label and score, indexed by pattern id.
    entries: Vec<(String, String, f32)>,
    automaton: AhoCorasick,
    /// Entries that start with the article, written without its alef (`لأمم المتحدة`), for
    /// matching after a proclitic ل (`للأمم المتحدة`); with the entry id of each pattern.
    elided: (AhoCorasick, Vec<usize>),
    /// Person-name extension: normalized words that usually start a person's name (`محمد`).
    name_starts: HashSet<String>,
    /// Normalized words that are mostly seen inside person names (`بن`, family names).
    name_pieces: HashSet<String>,
    /// Every normalized word of the training data, so an unseen word can be told apart.
    known_words: HashSet<String>,
}

impl Gazetteer {
    /// A gazetteer of `(surface form, label)` pairs, each with score 1.
    pub fn new<'a, I>(entries: I) -> Gazetteer
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        Self::from_scored(entries.into_iter().map(|(form, label)| (form.to_string(), label.to_string(), 1.0)))
    }

    /// Builds from normalized-or-not forms with scores; later duplicates of a form are ignored.
    fn from_scored(entries: impl IntoIterator<Item = (String, String, f32)>) -> Gazetteer {
        let mut seen = HashSet::new();
        let mut kept = Vec::new();
        for (form, label, score) in entries {
            let key = normalize_form(&form);
            if key.is_empty() || !seen.insert(key.clone()) {
                continue;
            }
            kept.push((key, label, score));
        }
        let automaton = build_automaton(kept.iter().map(|(form, _, _)| form.clone()));
        let (elided_forms, elided_ids): (Vec<String>, Vec<usize>) = kept
            .iter()
            .enumerate()
            .filter_map(|(id, (form, _, _))| Some((form.strip_prefix('ا')?.to_string(), id)))
            .filter(|(form, _)| form.starts_with('ل'))
            .unzip();
        let elided = (build_automaton(elided_forms), elided_ids);
        Gazetteer { entries: kept, automaton, elided, name_starts: HashSet::new(), name_pieces: HashSet::new(), known_words: HashSet::new() }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the gazetteer has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries as (normalized form, label, score).
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str, f32)> {
        self.entries.iter().map(|(f, l, s)| (f.as_str(), l.as_str(), *s))
    }

    /// Builds a gazetteer from parsed training sentences (see the module documentation).
    pub fn from_sentences(sentences: &[LabelledSentence]) -> Gazetteer {
        // The proclitic splitter's evidence comes from the training data itself, so an evaluation
        // on held-out data does not see its answers through the bundled lexicon.
        let lexicon = training_lexicon(sentences);
        let raw_forms: HashSet<String> =
            sentences.iter().flat_map(|s| s.entities.iter().map(|(r, _)| normalize_form(&s.tokens[r.clone()].join(" ")))).collect();
        // Candidate forms with how often each was tagged with each label.
        let mut tagged: HashMap<String, HashMap<String, u32>> = HashMap::new();
        for sentence in sentences {
            for (range, label) in &sentence.entities {
                let mut tokens: Vec<String> = sentence.tokens[range.clone()].to_vec();
                if let Some(stem) = strip_proclitic(&tokens[0], &raw_forms, &lexicon, tokens.len() == 1) {
                    tokens[0] = stem;
                }
                let form = normalize_form(&tokens.join(" "));
                if form.chars().filter(|c| c.is_alphanumeric()).count() < MIN_LETTERS {
                    continue;
                }
                *tagged.entry(form).or_default().entry(label.clone()).or_default() += 1;
            }
        }
        // Each form's label: the one it was tagged with most often.
        let mut candidates: Vec<(String, String)> = tagged
            .iter()
            .filter_map(|(form, labels)| {
                let (label, _) = labels.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?;
                Some((form.clone(), label.clone()))
            })
            .collect();
        candidates.sort();
        // Precision is estimated out of fold: sentences of fold k are matched with the forms of the
        // other folds only. Matched in-sample, every training name is in the gazetteer whole, so a
        // first name such as `محمد` would look reliable although on new text it mostly matches the
        // first word of a longer, unknown name.
        let mut forms_of_fold: Vec<HashSet<String>> = vec![HashSet::new(); FOLDS];
        for (i, sentence) in sentences.iter().enumerate() {
            for (range, _) in &sentence.entities {
                let mut tokens: Vec<String> = sentence.tokens[range.clone()].to_vec();
                if let Some(stem) = strip_proclitic(&tokens[0], &raw_forms, &lexicon, tokens.len() == 1) {
                    tokens[0] = stem;
                }
                forms_of_fold[i % FOLDS].insert(normalize_form(&tokens.join(" ")));
            }
        }
        let mut stats: HashMap<String, (u32, u32)> = HashMap::new();
        for fold in 0..FOLDS {
            let others = candidates
                .iter()
                .filter(|(form, _)| (0..FOLDS).any(|k| k != fold && forms_of_fold[k].contains(form)))
                .map(|(f, l)| (f.clone(), l.clone(), 1.0));
            let gazetteer = Self::from_scored(others);
            let held_out: Vec<LabelledSentence> = sentences.iter().enumerate().filter(|(i, _)| i % FOLDS == fold).map(|(_, s)| s.clone()).collect();
            for (id, (matched, correct)) in gazetteer.training_stats(&held_out).into_iter().enumerate() {
                let Some((form, _, _)) = gazetteer.entries.get(id) else {
                    continue;
                };
                let entry = stats.entry(form.clone()).or_default();
                entry.0 += matched;
                entry.1 += correct;
            }
        }
        let everything = Self::from_scored(candidates.iter().map(|(f, l)| (f.clone(), l.clone(), 1.0)));
        let in_sample: HashMap<&str, (u32, u32)> = everything
            .training_stats(sentences)
            .into_iter()
            .enumerate()
            .filter_map(|(id, counts)| Some((everything.entries.get(id)?.0.as_str(), counts)))
            .collect();
        let candidates: Vec<(String, String, f32)> = candidates
            .iter()
            .filter_map(|(form, label)| {
                let (matched, correct) = stats.get(form.as_str()).copied().unwrap_or((0, 0));
                if matched == 0 {
                    // Tagged in one fold only: judge it by its matches in-sample, which still
                    // count its untagged occurrences.
                    let (matched, correct) = in_sample.get(form.as_str()).copied().unwrap_or((0, 0));
                    let precision = if matched == 0 { UNSEEN_SCORE } else { correct as f32 / matched as f32 };
                    return (precision >= MIN_PRECISION.min(UNSEEN_SCORE)).then(|| (form.clone(), label.clone(), precision.min(UNSEEN_SCORE)));
                }
                let precision = correct as f32 / matched as f32;
                (correct >= MIN_SUPPORT && precision >= MIN_PRECISION).then(|| (form.clone(), label.clone(), precision))
            })
            .collect();
        let mut gazetteer = Self::from_scored(candidates);
        gazetteer.learn_person_names(sentences);
        gazetteer
    }

    /// Collects the word statistics of the person-name extension (see [`Self::extend_persons`]).
    fn learn_person_names(&mut self, sentences: &[LabelledSentence]) {
        // Per normalized word: (occurrences, as the first word of a PERS, inside a PERS).
        let mut counts: HashMap<String, (u32, u32, u32)> = HashMap::new();
        for sentence in sentences {
            for (i, token) in sentence.tokens.iter().enumerate() {
                let entry = counts.entry(normalize_form(token)).or_default();
                entry.0 += 1;
                for (range, label) in &sentence.entities {
                    if label == "PERS" && range.contains(&i) {
                        entry.2 += 1;
                        if range.start == i && range.len() > 1 {
                            entry.1 += 1;
                        }
                    }
                }
            }
        }
        for (word, (count, starts, inside)) in counts {
            if starts >= NAME_START_MIN && starts as f32 >= NAME_START_SHARE * count as f32 {
                self.name_starts.insert(word.clone());
            }
            if inside as f32 >= NAME_PIECE_SHARE * count as f32 && inside > 0 {
                self.name_pieces.insert(word.clone());
            }
            self.known_words.insert(word);
        }
    }

    /// Person names the form list cannot know: a word that usually starts a name (`محمد`,
    /// `عثمان`) followed by words that are name pieces or never seen in training; first names alone
    /// are too ambiguous (`محمد` is mostly the start of a longer name) to be entries.
    fn extend_persons(&self, prepared: &Prepared, proposals: &mut Vec<Proposal>) {
        if self.name_starts.is_empty() {
            return;
        }
        let all = &prepared.words;
        let mut i = 0;
        while i < all.len() {
            let word = &all[i];
            // The name may follow proclitics: `ومحمد`.
            let cut = if word.kind == WordKind::Letters {
                let letters = &prepared.chars[word.norm.clone()];
                std::iter::once(0)
                    .chain(proclitic_stems(letters).into_iter().flatten())
                    .find(|&k| self.name_starts.contains(prepared.norm_str(word.norm.start + k..word.norm.end)))
            } else {
                None
            };
            let Some(k) = cut else {
                i += 1;
                continue;
            };
            let mut j = i + 1;
            while j < all.len() && j - i <= MAX_NAME_WORDS && all[j].kind == WordKind::Letters {
                let next = prepared.norm_str(all[j].norm.clone());
                let unseen = !self.known_words.contains(next) && all[j].norm.len() >= MIN_LETTERS;
                // An unseen word glued to `و` or `ف` mostly opens the next phrase: `سعيد ومعامل`.
                let conjoined = unseen && matches!(prepared.chars[all[j].norm.start], 'و' | 'ف') && all[j].norm.len() > MIN_LETTERS;
                if conjoined || !(unseen || self.name_pieces.contains(next)) {
                    break;
                }
                j += 1;
            }
            if j > i + 1 {
                let start = prepared.normalized.map[word.norm.start + k];
                let range = start..all[j - 1].range.end;
                let overlaps = |p: &Proposal| p.range.start < range.end && range.start < p.range.end;
                // Only persons or forms inside the name give way; other entities win.
                if proposals.iter().filter(|p| overlaps(p)).all(|p| p.label == "PERS" || (range.start <= p.range.start && p.range.end <= range.end)) {
                    proposals.retain(|p| !overlaps(p));
                    proposals.push(Proposal { range, label: "PERS".to_string(), score: UNSEEN_SCORE, source: SOURCE.to_owned() });
                    proposals.sort_by_key(|p| p.range.start);
                }
            }
            i = j;
        }
    }

    /// For each entry id: (times matched in the training sentences, times that match was gold).
    fn training_stats(&self, sentences: &[LabelledSentence]) -> Vec<(u32, u32)> {
        let mut stats = vec![(0u32, 0u32); self.entries.len()];
        for sentence in sentences {
            let (text, ranges) = sentence.text();
            for (id, range) in self.find(&Prepared::new(&text)) {
                let Some(tokens) = tokens_overlapping(&ranges, &range) else {
                    continue;
                };
                stats[id].0 += 1;
                let label = &self.entries[id].1;
                if sentence.entities.iter().any(|(r, l)| *r == tokens && l == label) {
                    stats[id].1 += 1;
                }
            }
        }
        stats
    }

    /// Proposals for `text`, in order, never overlapping.
    pub fn propose(&self, text: &str) -> Vec<Proposal> {
        self.propose_prepared(&Prepared::new(text))
    }

    /// [`Self::propose`] over a text already prepared, so several lists share one preparation.
    pub(crate) fn propose_prepared(&self, prepared: &Prepared) -> Vec<Proposal> {
        let mut proposals = self.matches(prepared);
        self.extend_persons(prepared, &mut proposals);
        proposals
    }

    /// Proposals from the form list alone.
    fn matches(&self, prepared: &Prepared) -> Vec<Proposal> {
        self.find(prepared)
            .into_iter()
            .map(|(id, range)| {
                let (_, label, score) = &self.entries[id];
                Proposal { range, label: label.clone(), score: *score, source: SOURCE.to_owned() }
            })
            .collect()
    }

    /// Matches as (entry id, original char range), leftmost first, longest at each start.
    fn find(&self, prepared: &Prepared) -> Vec<(usize, Range<usize>)> {
        if self.entries.is_empty() {
            return Vec::new();
        }
        let norm = prepared.normalized.text.as_str();
        let starts = prepared.name_starts(0..prepared.words.len());
        // The longest pattern of `automaton` at `start` that ends at a word end: if the longest
        // ends inside a word (`مجلس الأمن الدولي` in `الدوليين`), retry with the text cut before.
        let longest = |automaton: &AhoCorasick, start: usize| -> Option<(usize, usize)> {
            let mut limit = norm.len();
            while limit > prepared.byte_at[start] {
                let input = Input::new(norm).span(prepared.byte_at[start]..limit).anchored(Anchored::Yes);
                let m = automaton.find(input)?;
                let end = prepared.char_of_byte(m.end());
                if starts.is_end(end) {
                    return Some((m.pattern().as_usize(), end));
                }
                limit = prepared.byte_at[(start + 1..end).rev().find(|&e| starts.is_end(e))?];
            }
            None
        };
        starts.longest_matches(prepared, |start, after_lam| {
            let plain = longest(&self.automaton, start);
            let elided = if after_lam { longest(&self.elided.0, start).and_then(|(p, end)| Some((*self.elided.1.get(p)?, end))) } else { None };
            match (plain, elided) {
                (Some(a), Some(b)) => Some(if b.1 > a.1 { b } else { a }),
                (a, b) => a.or(b),
            }
        })
    }
}

/// A gazetteer as a list file holds it: entries and the person-name word lists.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GazetteerList {
    /// `(form, label, score)`; forms are matched after normalization, so any spelling will do.
    pub entries: Vec<(String, String, f32)>,
    /// Words that usually start a person's name (`محمد`), for the person-name extension.
    pub person_starts: Vec<String>,
    /// Words mostly seen inside person names (`بن`, family names).
    pub person_pieces: Vec<String>,
    /// Every word of the data the list was built from, so the extension can tell unseen words.
    pub vocabulary: Vec<String>,
}

impl Gazetteer {
    /// The gazetteer as a list, sorted so that files built from the same data are identical.
    pub fn to_list(&self) -> GazetteerList {
        let sorted = |set: &HashSet<String>| {
            let mut words: Vec<String> = set.iter().cloned().collect();
            words.sort();
            words
        };
        let mut entries = self.entries.clone();
        entries.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        GazetteerList { entries, person_starts: sorted(&self.name_starts), person_pieces: sorted(&self.name_pieces), vocabulary: sorted(&self.known_words) }
    }

    /// A gazetteer from a list (the inverse of [`Self::to_list`]).
    pub fn from_list(list: GazetteerList) -> Gazetteer {
        let GazetteerList { entries, person_starts, person_pieces, vocabulary } = list;
        let normalized = |words: Vec<String>| words.iter().map(|w| normalize_form(w)).collect::<HashSet<_>>();
        // The matcher and the word lists do not depend on each other: built on both cores, the
        // bundled list (the most of opening a project) costs the longer of the two.
        let (mut gazetteer, (name_starts, name_pieces, known_words)) =
            rayon::join(|| Self::from_scored(entries), || (normalized(person_starts), normalized(person_pieces), normalized(vocabulary)));
        gazetteer.name_starts = name_starts;
        gazetteer.name_pieces = name_pieces;
        gazetteer.known_words = known_words;
        gazetteer
    }

    /// A gazetteer of scored entries whose forms are matched after normalization.
    pub fn from_entries(entries: impl IntoIterator<Item = (String, String, f32)>) -> Gazetteer {
        Self::from_scored(entries)
    }
}

/// A text prepared for matching, once per call: normalized, with its words located in both the
/// original and the normalized text, so no word is normalized (or allocated) on its own.
pub(crate) struct Prepared {
    normalized: Normalized,
    /// The normalized text's chars.
    chars: Vec<char>,
    /// Byte offset in the normalized text of each of its chars, plus its length.
    byte_at: Vec<usize>,
    /// The original text's words.
    words: Vec<LocatedWord>,
}

/// A word of the original text and where its letters are in the normalized text.
struct LocatedWord {
    kind: WordKind,
    /// Char range in the original text.
    range: Range<usize>,
    /// Char range in the normalized text (empty for a word of marks only). Its text there is the
    /// word's own normalized form, since normalization maps each char on its own.
    norm: Range<usize>,
}

impl Prepared {
    pub(crate) fn new(text: &str) -> Prepared {
        let normalized = normalize(text, &NormalizeOptions::MATCHING);
        let norm = &normalized.text;
        let len = normalized.char_len();
        let (mut byte_at, mut chars) = (Vec::with_capacity(len + 1), Vec::with_capacity(len));
        for (b, c) in norm.char_indices() {
            byte_at.push(b);
            chars.push(c);
        }
        byte_at.push(norm.len());
        let mut located = Vec::with_capacity(len / 4);
        located.extend(normalized_words(text, &normalized).map(|(word, norm)| LocatedWord { kind: word.kind, range: word.range, norm }));
        Prepared { normalized, chars, byte_at, words: located }
    }

    /// Original chars where any of `forms` (normalized) may occur: every place the form's text
    /// is found, inside words too, and for a form with the article also the place of it written
    /// without its alef after ل (`للأمم`). More places than matches, never fewer.
    pub(crate) fn places_of(&self, forms: &[String]) -> Vec<usize> {
        let patterns: Vec<&str> = forms.iter().map(|f| if f.starts_with("ال") { &f['ا'.len_utf8()..] } else { f.as_str() }).filter(|f| !f.is_empty()).collect();
        let Ok(finder) = AhoCorasick::new(&patterns) else { return Vec::new() };
        finder
            .find_overlapping_iter(self.normalized.text.as_str())
            .map(|m| {
                let start = self.char_of_byte(m.start());
                self.normalized.to_original(start..start + 1).start
            })
            .collect()
    }

    /// The words whose original char range starts inside `chars` (as indices into the words).
    pub(crate) fn words_within(&self, chars: Range<usize>) -> Range<usize> {
        let first = self.words.partition_point(|w| w.range.start < chars.start);
        let end = self.words.partition_point(|w| w.range.start < chars.end);
        first..end.max(first)
    }

    /// The normalized char at normalized byte offset `byte` (or the one after, inside a char).
    fn char_of_byte(&self, byte: usize) -> usize {
        let guess = byte * self.chars.len() / self.normalized.text.len().max(1);
        partition_point_from(&self.byte_at, guess, |&x| x < byte)
    }

    /// Where a name may start among `words` (word starts, and the places after proclitics, flagged
    /// when an elided article may follow), and where words end.
    fn name_starts(&self, words: Range<usize>) -> NameStarts {
        let words = &self.words[words];
        let lo = words.first().map_or(0, |w| w.norm.start);
        let hi = words.last().map_or(0, |w| w.norm.end).max(lo);
        let mut starts: Vec<(usize, bool)> = Vec::with_capacity(words.len() * 2);
        let mut is_end = vec![false; hi - lo + 1];
        for word in words {
            let (start, end) = (word.norm.start, word.norm.end);
            if start >= end {
                continue;
            }
            starts.push((start, false));
            is_end[end - lo] = true;
            if word.kind == WordKind::Letters {
                let letters = &self.chars[start..end];
                for k in proclitic_stems(letters).into_iter().flatten() {
                    starts.push((start + k, letters[k - 1] == 'ل' && letters[k] == 'ل'));
                }
            }
        }
        starts.sort_unstable();
        starts.dedup();
        NameStarts { starts, lo, is_end }
    }

    /// Forms found by `lookup` (given a normalized candidate, what it proposes), leftmost first,
    /// longest at each start, each ending where a word ends. `longest_starting` is asked first
    /// with the candidate's first three chars (fewer at the end of the text) for the longest form
    /// that begins so, if any does, so most places cost no string lookup. After ل an article may have lost its alef
    /// (`للأمم المتحدة`): the candidate is then also looked up with the alef put back.
    pub(crate) fn find_forms<T>(
        &self,
        words: Range<usize>,
        longest_starting: impl Fn(&[char]) -> Option<usize>,
        lookup: impl Fn(&str) -> Option<T>,
    ) -> Vec<(T, Range<usize>)> {
        let starts = self.name_starts(words);
        let mut with_alef = String::new();
        starts.longest_matches(self, |start, after_lam| {
            let head = &self.chars[start..(start + 3).min(self.chars.len())];
            let elided_head = ['ا', head.first().copied().unwrap_or('ا'), head.get(1).copied().unwrap_or('ا')];
            let plain = longest_starting(head);
            let elided = if after_lam { longest_starting(&elided_head).map(|n| n.saturating_sub(1)) } else { None };
            let (plain_may, elided_may) = (plain.is_some(), elided.is_some());
            let longest = plain.max(elided)?;
            let limit = starts.last_end().min(start + longest);
            (start + 1..=limit).rev().filter(|&end| starts.is_end(end)).find_map(|end| {
                let candidate = self.norm_str(start..end);
                if plain_may && let Some(hit) = lookup(candidate) {
                    return Some((hit, end));
                }
                if elided_may {
                    with_alef.clear();
                    with_alef.push('ا');
                    with_alef.push_str(candidate);
                    return lookup(&with_alef).map(|hit| (hit, end));
                }
                None
            })
        })
    }

    /// The normalized text of the normalized char range `range`.
    fn norm_str(&self, range: Range<usize>) -> &str {
        &self.normalized.text[self.byte_at[range.start]..self.byte_at[range.end]]
    }
}

/// Where names may start in some words of a prepared text, and where those words end.
struct NameStarts {
    /// (normalized char, after ل so an elided article may follow), in order.
    starts: Vec<(usize, bool)>,
    /// The normalized char `is_end` begins at.
    lo: usize,
    /// Whether a word ends at normalized char `lo + i`.
    is_end: Vec<bool>,
}

impl NameStarts {
    fn is_end(&self, end: usize) -> bool {
        end >= self.lo && self.is_end.get(end - self.lo).copied().unwrap_or(false)
    }

    /// The normalized char the last word ends at.
    fn last_end(&self) -> usize {
        self.lo + self.is_end.len() - 1
    }

    /// At each start not inside the last match, what `longest` finds there: (entry, end) as
    /// original char ranges, leftmost first.
    fn longest_matches<T>(&self, prepared: &Prepared, mut longest: impl FnMut(usize, bool) -> Option<(T, usize)>) -> Vec<(T, Range<usize>)> {
        let mut out = Vec::new();
        let mut covered = 0;
        for &(start, after_lam) in &self.starts {
            if start < covered {
                continue;
            }
            if let Some((id, end)) = longest(start, after_lam) {
                out.push((id, prepared.normalized.to_original(start..end)));
                covered = end;
            }
        }
        out
    }
}

/// An anchored leftmost-longest automaton over `patterns`.
fn build_automaton(patterns: impl IntoIterator<Item = String>) -> AhoCorasick {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .start_kind(StartKind::Anchored)
        .build(patterns)
        // Building only fails past internal size limits, far beyond any gazetteer we load.
        .unwrap_or_else(|e| panic!("gazetteer automaton: {e}"))
}

/// The stem of a training entity's first token without its proclitic, when one is attached.
///
/// ANERcorp keeps proclitics inside entity tokens (`وإسرائيل` is B-LOC); our spans do not. A cut
/// is taken when the stem is itself a name seen in training, or (for a one-token entity, where the
/// splitter's word statistics apply) when [`split_proclitics`] makes it.
fn strip_proclitic(token: &str, forms: &HashSet<String>, lexicon: &Lexicon, single: bool) -> Option<String> {
    let chars: Vec<char> = token.chars().collect();
    if !chars.first().is_some_and(|&c| is_proclitic_letter(c)) || !chars.iter().all(|&c| is_arabic_letter(c)) {
        return None;
    }
    let key: Vec<char> = normalize_form(token).chars().collect();
    // Longest proclitic first: `وبالقاهرة` → `القاهرة` before `بالقاهرة`.
    for k in proclitic_stems(&key).into_iter().rev().flatten() {
        let mut stem: String = key[k..].iter().collect();
        if key[k - 1] == 'ل' && key[k] == 'ل' && forms.contains(&format!("ا{stem}")) {
            // `للأمم المتحدة`: ل + the article without its alef.
            stem.insert(0, 'ا');
        }
        if forms.contains(&stem) || (!single && lexicon.get_key(&stem).names > 0) {
            return Some(stem);
        }
    }
    let split = split_proclitics(token, lexicon);
    let stem: String = chars[split.stem.clone()].iter().collect();
    split.is_split().then(|| if split.article_elided { format!("ا{stem}") } else { stem })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proposed(g: &Gazetteer, text: &str) -> Vec<(String, String)> {
        let chars: Vec<char> = text.chars().collect();
        g.propose(text).into_iter().map(|p| (chars[p.range].iter().collect(), p.label)).collect()
    }

    fn pair(s: &str, l: &str) -> (String, String) {
        (s.to_string(), l.to_string())
    }

    #[test]
    fn proclitic_is_left_out_of_the_match() {
        let g = Gazetteer::new([("روسيا", "LOC")]);
        let text = "زار وروسيا";
        let p = g.propose(text);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].range, 5..10);
        assert_eq!(proposed(&g, "وبروسيا فروسيا"), vec![pair("روسيا", "LOC"), pair("روسيا", "LOC")]);
        // After ل the article loses its alef: `للأمم المتحدة` is ل + (ا)لأمم المتحدة.
        let g = Gazetteer::new([("الأمم المتحدة", "ORG")]);
        assert_eq!(proposed(&g, "وللأمم المتحدة"), vec![pair("لأمم المتحدة", "ORG")]);
        assert!(g.propose("لأمم المتحدة").is_empty());
    }

    #[test]
    fn longest_match_wins() {
        let g = Gazetteer::new([("مجلس الأمن", "ORG"), ("مجلس الأمن الدولي", "ORG"), ("الأمن", "MISC")]);
        assert_eq!(proposed(&g, "قرار مجلس الأمن الدولي اليوم"), vec![pair("مجلس الأمن الدولي", "ORG")]);
        // The longest entry ends inside a word, so the shorter one is taken.
        assert_eq!(proposed(&g, "مجلس الأمن الدوليين"), vec![pair("مجلس الأمن", "ORG")]);
    }

    #[test]
    fn word_boundaries_are_respected() {
        let g = Gazetteer::new([("حلب", "LOC")]);
        assert!(g.propose("قال الحلبي إن").is_empty());
        assert!(g.propose("حلبية").is_empty());
        assert_eq!(proposed(&g, "في حلب، اليوم"), vec![pair("حلب", "LOC")]);
    }

    #[test]
    fn normalized_matching_maps_back_to_original_chars() {
        let g = Gazetteer::new([("الأسد", "PERS")]);
        let text = "قال الاسد";
        let p = g.propose(text);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].range, 4..9);
        // Harakat inside the original are kept in the range.
        assert_eq!(proposed(&g, "قال الأَسَد"), vec![pair("الأَسَد", "PERS")]);
    }

    #[test]
    fn first_names_extend_over_unseen_words() {
        let conll = "قال O\nمحمد B-PERS\nعلي I-PERS\n\nو O\nمحمد B-PERS\nحسن I-PERS\nقال O\n";
        let g = Gazetteer::from_sentences(&crate::formats::conll::parse_conll(conll).expect("valid"));
        // `الأغبش` was never seen; `قال` was, and is no name, so the name stops before it.
        assert_eq!(proposed(&g, "ومحمد الأغبش قال"), vec![pair("محمد الأغبش", "PERS")]);
        // An unseen word glued to `و` opens the next phrase; a seen name piece would not.
        assert_eq!(proposed(&g, "محمد الأغبش ومعامل الزجاج"), vec![pair("محمد الأغبش", "PERS")]);
    }

    #[test]
    fn training_keeps_reliable_names_and_strips_proclitics() {
        let conll = "زار B-PERS\nوروسيا B-LOC\n\nروسيا B-LOC\nكبيرة O\n\nالأمن O\nالأمن O\nالأمن B-ORG\n";
        let g = Gazetteer::from_sentences(&crate::formats::conll::parse_conll(conll).expect("valid"));
        let forms: Vec<(&str, &str)> = g.entries().map(|(f, l, _)| (f, l)).collect();
        assert!(forms.contains(&("روسيا", "LOC")), "{forms:?}");
        assert!(!forms.iter().any(|(f, _)| *f == "وروسيا" || *f == "الامن"), "{forms:?}");
    }
}
