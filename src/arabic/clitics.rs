//! Proclitic splitting: where the name starts in `وروسيا`, `بالقاهرة`, `للأسد`.
//!
//! A proclitic sequence is an optional conjunction (و ف), then an optional preposition (ب ل ك);
//! the definite article ال after them is never split off, because our gold convention keeps it
//! when it is part of the name (`والقاهرة` → `و` + `القاهرة`). After ل the article loses its
//! alef (`للأسد` is ل + الأسد): the split falls after the first ل, the stem is written `لأسد`,
//! and [`CliticSplit::article_elided`] says so.
//!
//! Many names begin with those letters (`بريطانيا`, `لندن`, `فرنسا`, `واشنطن`, `كيري`), so a
//! split needs evidence from a [`Lexicon`]. For each way of cutting the word, with a stem `s` of
//! at least [`MIN_STEM_LETTERS`] letters, the cut is accepted when:
//! 1. `s` is a known word (with the article restored after an elided ل);
//! 2. the whole word is not seen more often than `s`: `وروسيا` is rarer than `روسيا`, but `بيان`
//!    (a statement) is far more common than the name `يان`. This also keeps frequent verbs such as
//!    `وقال` whole, a harmless miss since they are never entities;
//! 3. not (the whole word is mostly seen as a name and `s` never is): names beat coincidences;
//! 4. a bare ك (without the article after it) never splits: "like" rarely precedes a name, and
//!    `كيري` would otherwise become ك + يرى.
//!
//! Among accepted cuts the one with the most frequent stem wins (`وبالقاهرة` → `وب` + `القاهرة`).
//! When the whole word is unknown or rare (seen at most twice, never in a name) and no stem is
//! known to be rarer than it, two fallbacks apply, both measured on held-out ANERcorp: a conjunction or
//! preposition followed by the article (`والرصافة`, `بالراموسة`, `للاجئين`) splits before it, and
//! a leading و splits (`وعفرين`): unknown words starting with و are mostly و + a name, while
//! unknown words starting with ف ب ل ك are mostly foreign names (`فولكسفاغن`, `بنفيكا`).
//!
//! Two-letter stems never split: `ولي`, `وهو`, `فان`, `كان` are far more often words than cuts.

use std::ops::Range;

use super::chars::{is_arabic_letter, is_mark};
use super::lexicon::{Entry, Lexicon};
use super::normalize::{NormalizeOptions, normalize};

/// Shortest stem, in letters, that a proclitic may be cut from.
pub const MIN_STEM_LETTERS: usize = 3;

/// Highest count at which a word never tagged as a name still gets the unknown-word fallbacks.
const RARE_COUNT: u32 = 2;

/// Where a word's proclitics end and its stem begins, in chars of the word as given.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CliticSplit {
    /// Length in chars of the proclitics, including any harakat or tatweel on them; 0 for no split.
    pub prefix_len: usize,
    /// The stem: `prefix_len..` the word's length in chars.
    pub stem: Range<usize>,
    /// True when the stem starts with an article whose alef was dropped after ل (`للأسد`).
    pub article_elided: bool,
}

impl CliticSplit {
    /// No proclitic: the whole word of `len` chars is the stem.
    pub fn none(len: usize) -> Self {
        CliticSplit { prefix_len: 0, stem: 0..len, article_elided: false }
    }

    /// True when some proclitic was split off.
    pub fn is_split(&self) -> bool {
        self.prefix_len > 0
    }
}

/// One way of cutting the normalized word: proclitic letters, the stem's lookup key, elision.
struct Cut {
    prefix_letters: usize,
    conjunction: Option<char>,
    preposition: Option<char>,
    key: String,
    elided: bool,
}

fn cuts(letters: &[char]) -> Vec<Cut> {
    let mut out = Vec::new();
    for conjunction in [None, Some('و'), Some('ف')] {
        for preposition in [None, Some('ب'), Some('ل'), Some('ك')] {
            let prefix: Vec<char> = conjunction.into_iter().chain(preposition).collect();
            if prefix.is_empty() || !letters.starts_with(&prefix) {
                continue;
            }
            let stem = &letters[prefix.len()..];
            if stem.len() < MIN_STEM_LETTERS {
                continue;
            }
            let cut = |key: String, elided| Cut { prefix_letters: prefix.len(), conjunction, preposition, key, elided };
            out.push(cut(stem.iter().collect(), false));
            if preposition == Some('ل') && stem.first() == Some(&'ل') {
                out.push(cut(std::iter::once('ا').chain(stem.iter().copied()).collect(), true));
            }
        }
    }
    out
}

fn starts_with_article(key: &str) -> bool {
    key.starts_with("ال")
}

/// The cut the lexicon supports best, if any (rules 1–4 of the module documentation).
fn best_supported<'a>(cuts: &'a [Cut], whole: Entry, lexicon: &Lexicon) -> Option<&'a Cut> {
    let whole_is_name = whole.names > 0 && whole.names.saturating_mul(2) >= whole.count;
    let mut best: Option<(&Cut, u32)> = None;
    for cut in cuts {
        let stem = lexicon.get_key(&cut.key);
        let supported = stem.count > 0
            && whole.count <= stem.count
            && !(whole_is_name && stem.names == 0)
            && (cut.preposition != Some('ك') || starts_with_article(&cut.key));
        if !supported {
            continue;
        }
        let better = match best {
            None => true,
            Some((b, count)) => stem.count > count || (stem.count == count && cut.prefix_letters > b.prefix_letters),
        };
        if better {
            best = Some((cut, stem.count));
        }
    }
    best.map(|(cut, _)| cut)
}

/// The fallback cut for a word that neither the lexicon nor any of its stems is known to.
fn unknown_word_cut(cuts: &[Cut]) -> Option<&Cut> {
    let before_article = cuts
        .iter()
        .filter(|c| c.preposition != Some('ك'))
        .filter(|c| starts_with_article(&c.key) && c.key.chars().count() >= 2 + MIN_STEM_LETTERS)
        .max_by_key(|c| c.prefix_letters);
    before_article.or_else(|| cuts.iter().find(|c| c.conjunction == Some('و') && c.preposition.is_none()))
}

/// Offsets (in letters) inside a normalized word where a name may start after proclitics: after
/// an optional و/ف then an optional ب/ل/ك, leaving a stem of at least [`MIN_STEM_LETTERS`]
/// letters. At most two, shortest first; an array so the hot path of matching allocates nothing.
///
/// Letters only, no lexicon: this is where a known name may be looked for (`روسيا` in
/// `وروسيا`), not a judgement that the word is split there (that is [`split_proclitics`]).
pub fn proclitic_stems(word: &[char]) -> [Option<usize>; 2] {
    let mut out = [None, None];
    let mut at = 0;
    if matches!(word.first(), Some('و' | 'ف')) {
        at = 1;
        out[0] = Some(1);
    }
    if matches!(word.get(at), Some('ب' | 'ل' | 'ك')) {
        out[1] = Some(at + 1);
    }
    out.map(|k| k.filter(|&k| word.len() >= k + MIN_STEM_LETTERS))
}

/// Splits the proclitics off `word` (one word, as [`super::words`] finds them) using `lexicon`.
pub fn split_proclitics(word: &str, lexicon: &Lexicon) -> CliticSplit {
    let normalized = normalize(word, &NormalizeOptions::MATCHING);
    let len = normalized.map.last().copied().unwrap_or(0);
    let letters: Vec<char> = normalized.text.chars().collect();
    if letters.is_empty() || !letters.iter().all(|&c| is_arabic_letter(c) || is_mark(c)) {
        return CliticSplit::none(len);
    }
    let cuts = cuts(&letters);
    if cuts.is_empty() {
        return CliticSplit::none(len);
    }
    let whole = lexicon.get_key(&normalized.text);
    // A word seen once or twice and never in a name is as good as unknown: raw text holds clitic
    // forms as often as words, so only frequency or a name tag says the whole is a word of its own.
    // Without this, adding a project's articles (which contain `وعفرين` itself) would undo the
    // fallbacks for every word of the project.
    // The fallbacks stand in for missing evidence, never against it: a known stem that is rarer
    // than the whole word (rule 2) still says no.
    let rare = whole.names == 0 && whole.count <= RARE_COUNT;
    let contradicted = || {
        cuts.iter().any(|c| {
            let stem = lexicon.get_key(&c.key);
            stem.count > 0 && whole.count > stem.count
        })
    };
    let chosen = best_supported(&cuts, whole, lexicon).or_else(|| (rare && !contradicted()).then(|| unknown_word_cut(&cuts)).flatten());
    match chosen {
        Some(cut) => {
            // The prefix ends where the stem's first letter is, so harakat and tatweel on the
            // proclitic (`وَروسيا`, `بـروسيا`) go with the proclitic.
            let prefix_len = normalized.map[cut.prefix_letters];
            CliticSplit { prefix_len, stem: prefix_len..len, article_elided: cut.elided }
        }
        None => CliticSplit::none(len),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word with its proclitics cut off, as "prefix+stem" ("+stem" when nothing is cut).
    fn cut(word: &str, lexicon: &Lexicon) -> String {
        let split = split_proclitics(word, lexicon);
        let chars: Vec<char> = word.chars().collect();
        assert_eq!(split.stem, split.prefix_len..chars.len());
        let prefix: String = chars[..split.prefix_len].iter().collect();
        let stem: String = chars[split.prefix_len..].iter().collect();
        format!("{prefix}+{stem}{}", if split.article_elided { " (ال)" } else { "" })
    }

    #[test]
    fn splits_with_the_bundled_lexicon() {
        let lexicon = Lexicon::bundled();
        let table = [
            ("وروسيا", "و+روسيا"),
            ("والقاهرة", "و+القاهرة"),
            ("بالقاهرة", "ب+القاهرة"),
            ("وبالقاهرة", "وب+القاهرة"),
            ("لروسيا", "ل+روسيا"),
            ("وبريطانيا", "و+بريطانيا"),
            ("فبريطانيا", "ف+بريطانيا"),
            ("للأسد", "ل+لأسد (ال)"),
            ("وللأسد", "ول+لأسد (ال)"),
            ("للبنان", "ل+لبنان"),
            ("ولبنان", "و+لبنان"),
            ("بلبنان", "ب+لبنان"),
            ("وإسرائيل", "و+إسرائيل"),
            ("كالعادة", "ك+العادة"),
            // Unknown to the lexicon: the fallbacks.
            ("والرصافة", "و+الرصافة"),
            ("بالراموسة", "ب+الراموسة"),
            ("للاجئين", "ل+لاجئين (ال)"),
            ("وعفرين", "و+عفرين"),
        ];
        for (word, want) in table {
            assert_eq!(cut(word, lexicon), want, "splitting {word}");
        }
    }

    #[test]
    fn names_that_begin_with_proclitic_letters_stay_whole() {
        let lexicon = Lexicon::bundled();
        for word in [
            "بريطانيا",
            "باريس",
            "لندن",
            "لافروف",
            "فرنسا",
            "فلسطين",
            "كيري",
            "واشنطن",
            "وليد",
            "بشار",
            "لبنان",
            "ليبيا",
            "كردستان",
            "فيينا",
            "بغداد",
            "بيروت",
            "فبراير",
            "بوتين",
            "كوفي",
            // Short or common words whose tail is also a word.
            "ولي",
            "كان",
            "فان",
            "لكن",
            "بين",
            "وهو",
            "لقد",
            "وكالة",
            "وزير",
        ] {
            assert_eq!(cut(word, lexicon), format!("+{word}"), "{word} must not be split");
        }
    }

    #[test]
    fn marks_and_tatweel_on_the_proclitic_go_with_it() {
        let lexicon = Lexicon::bundled();
        assert_eq!(cut("وَروسيا", lexicon), "وَ+روسيا");
        assert_eq!(cut("بـروسيا", lexicon), "بـ+روسيا");
        assert_eq!(cut("وَبِالقاهرة", lexicon), "وَبِ+القاهرة");
        assert_eq!(cut("وروسيا", lexicon), "و+روسيا");
    }

    #[test]
    fn non_arabic_and_short_words() {
        let lexicon = Lexicon::bundled();
        for word in ["", "و", "ول", "2254", "Washington", "ب2"] {
            assert!(!split_proclitics(word, lexicon).is_split(), "{word:?}");
        }
        assert_eq!(split_proclitics("", lexicon), CliticSplit::none(0));
    }

    #[test]
    fn evidence_rules_with_a_small_lexicon() {
        // Rule 2: a whole word seen more often than its stem is a word of its own.
        let words = ["ولي", "ولي", "ولي", "ليس"];
        assert_eq!(cut("وليس", &Lexicon::from_words(words)), "و+ليس");
        let lexicon = Lexicon::from_words(["ولاية", "ولاية", "لاية"]);
        assert_eq!(cut("ولاية", &lexicon), "+ولاية");
        // Rule 3: a name beats a coincidental common word.
        let mut lexicon = Lexicon::from_words(["سام", "سام"]);
        lexicon.add("وسام", 2, 2);
        assert_eq!(cut("وسام", &lexicon), "+وسام");
        lexicon.add("سام", 0, 1);
        assert_eq!(cut("وسام", &lexicon), "و+سام", "the stem is a name too");
        // Rule 4: a bare ك is not cut, ك + article is.
        let lexicon = Lexicon::from_words(["يري", "العادة"]);
        assert_eq!(cut("كيري", &lexicon), "+كيري");
        assert_eq!(cut("كالعادة", &lexicon), "ك+العادة");
        // The longest supported sequence, by stem frequency.
        let lexicon = Lexicon::from_words(["بالقاهرة", "القاهرة", "القاهرة"]);
        assert_eq!(cut("وبالقاهرة", &lexicon), "وب+القاهرة");
        // Unknown words: و splits, ف ب ل ك do not.
        let empty = Lexicon::new();
        assert_eq!(cut("وكوباني", &empty), "و+كوباني");
        assert_eq!(cut("فولكسفاغن", &empty), "+فولكسفاغن");
        assert_eq!(cut("بنفيكا", &empty), "+بنفيكا");
    }
}
