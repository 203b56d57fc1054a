//! Each accepted span of the source read by the gold convention (DESIGN.md §4): the name it
//! stands for, and what keeps the span from being exactly that name.
//!
//! In order, on the span's text:
//! 1. edges: whitespace and punctuation at either end are not part of a name (`روسيا،`,
//!    `«روسيا»`), except a bracket or quote whose partner is inside the span (`الأمم المتحدة
//!    (يونيسيف)`) and the dot of an initial (`محمد ب.`);
//! 2. a proclitic: the span begins with و ف ب ل ك (or two of them) that are not part of the name:
//!    `وروسيا` when `روسيا` is itself the text of another span of the source with the same
//!    label (unless the bundled lexicon has seen the whole word more often than the rest: `فريد`
//!    is not ب + `كين`), or when the
//!    proclitic splitter cuts the word there (`split_proclitics`, its evidence the bundled
//!    lexicon), so a name that merely starts with those letters (`واشنطن`, `لندن`) stays whole;
//! 3. the article left out: the span begins inside a word just after `ال` (`القاهرة` with the
//!    span on `قاهرة`) while `القاهرة` is the text of another span of the same label;
//! 4. after ل the article loses its alef (`للأسد`): a span `لأسد` there is the name `الأسد`
//!    (that is the convention, not a fault), so it is compared as `الاسد`.
//!
//! The name's key is its normalized form ([`Phrase::form`]), what the checks group spans by.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::arabic::chars::{is_arabic_letter, is_mark};
use crate::arabic::{Lexicon, NormalizeOptions, WordKind, normalize, proclitic_stems, split_proclitics, words};
use crate::model::{Span, SpanState};
use crate::search::{ArticleIndex, CorpusIndex, Phrase};

/// An accepted span of the source and the name it stands for.
#[derive(Clone, Debug)]
pub(crate) struct SpanInfo<'a> {
    /// Its article.
    pub(crate) article: &'a ArticleIndex,
    /// The span as in the file.
    pub(crate) span: &'a Span,
    /// The span as the convention wants it; empty when nothing of a name is left.
    pub(crate) clean: Range<usize>,
    /// Whitespace or punctuation was trimmed from its ends.
    pub(crate) edges: bool,
    /// A proclitic was cut from its start.
    pub(crate) proclitic: bool,
    /// The article before it was taken in.
    pub(crate) article_left_out: bool,
    /// The name's normalized form.
    pub(crate) key: String,
}

impl SpanInfo<'_> {
    /// Whether the span is not as the convention wants it.
    pub(crate) fn needs_cleaning(&self) -> bool {
        self.clean != self.span.range()
    }

    /// The span as the convention wants it (`None` when nothing of it is a name).
    pub(crate) fn cleaned(&self) -> Option<Span> {
        (!self.clean.is_empty()).then(|| Span {
            start: self.clean.start,
            end: self.clean.end,
            text: self.article.slice(self.clean.clone()).to_owned(),
            ..self.span.clone()
        })
    }
}

/// The accepted spans of `source` that can be checked (in range, not flagged as faulty by the
/// store), read by the convention; and the number of articles `source` has a file for.
///
/// A name is spelled the same way in most of its spans, so each reading is made once per
/// distinct text (and label) and shared.
pub(crate) fn source_spans<'a>(index: &'a CorpusIndex, source: &str) -> (Vec<SpanInfo<'a>>, usize) {
    let mut trimmed: Vec<(&ArticleIndex, &Span, Range<usize>)> = Vec::new();
    let mut trims: HashMap<&str, Range<usize>> = HashMap::new();
    let mut articles = 0;
    for article in index.articles() {
        let Some(annotation) = article.annotation(source) else { continue };
        articles += 1;
        let faulty: HashSet<u64> = annotation.problems.iter().filter(|p| !p.kind.is_fixed()).filter_map(|p| p.span_id).collect();
        for span in &annotation.file.spans {
            if span.state != SpanState::Accepted || span.start >= span.end || span.end > article.char_len() || faulty.contains(&span.id) {
                continue;
            }
            let text = article.slice(span.range());
            let inner = trims.entry(text).or_insert_with(|| trim_edges(text)).clone();
            trimmed.push((article, span, span.start + inner.start..span.start + inner.end));
        }
    }
    let mut forms_of: HashMap<&str, String> = HashMap::new();
    for (article, _, range) in &trimmed {
        let text = article.slice(range.clone());
        forms_of.entry(text).or_insert_with(|| form_of(text));
    }
    // The names of spans as they are, with their labels: a cut is only taken towards a name of
    // the same label (`بكين` is Beijing, not ب + `كين` the footballer).
    let forms: HashSet<(String, &str)> = trimmed
        .iter()
        .map(|(article, span, range)| (forms_of[article.slice(range.clone())].clone(), span.label.as_str()))
        .filter(|(f, _)| !f.is_empty())
        .collect();
    let mut readings: HashMap<(&str, &str), Reading> = HashMap::new();
    let infos = trimmed
        .into_iter()
        .map(|(article, span, range)| {
            let text = article.slice(range.clone());
            let reading = readings.entry((text, span.label.as_str())).or_insert_with(|| Reading::of(text, &span.label, &forms));
            read_span(article, span, range, reading, &forms)
        })
        .collect();
    (infos, articles)
}

/// What a span's trimmed text says by itself: where its name starts, and the name's form.
struct Reading {
    /// Chars of proclitics to cut, and whether the article after ل lost its alef.
    cut: Option<(usize, bool)>,
    /// The normalized form of the text after the cut (of all of it without one).
    form: String,
}

impl Reading {
    fn of(text: &str, label: &str, forms: &HashSet<(String, &str)>) -> Reading {
        let known = |form: String| forms.contains(&(form, label));
        let rest = |chars: usize| text.char_indices().nth(chars).map_or("", |(b, _)| &text[b..]);
        let cut = proclitic_cut(text, |rest_start, with_alef| {
            let form = form_of(rest(rest_start));
            (with_alef && known(format!("ا{form}"))) || known(form)
        });
        let form = form_of(rest(cut.map_or(0, |(chars, _)| chars)));
        Reading { cut, form }
    }
}

/// The normalized form of `text`'s words (empty when it has none).
fn form_of(text: &str) -> String {
    Phrase::new(text).map_or_else(String::new, |p| p.form())
}

/// The rest of the reading once the edges are trimmed (see the module documentation): what
/// depends on the text around the span.
fn read_span<'a>(article: &'a ArticleIndex, span: &'a Span, trimmed: Range<usize>, reading: &Reading, forms: &HashSet<(String, &str)>) -> SpanInfo<'a> {
    let mut info =
        SpanInfo { article, span, clean: trimmed.clone(), edges: trimmed != span.range(), proclitic: false, article_left_out: false, key: String::new() };
    if trimmed.is_empty() {
        info.key = form_of(article.slice(span.range()));
        return info;
    }
    let known = |form: String| forms.contains(&(form, span.label.as_str()));
    let text = article.slice(trimmed.clone());
    let mut elided = false;
    let mut form = reading.form.clone();
    if let Some((cut, after_lam)) = reading.cut {
        info.clean.start += cut;
        info.proclitic = true;
        elided = after_lam;
    } else if trimmed.start >= 2 && article.slice(trimmed.start - 2..trimmed.start) == "ال" && starts_with_letter(text) {
        let with_article = form_of(article.slice(trimmed.start - 2..trimmed.end));
        if known(with_article.clone()) {
            info.clean.start -= 2;
            info.article_left_out = true;
            form = with_article;
        }
    } else if trimmed.start >= 1 && article.slice(trimmed.start - 1..trimmed.start) == "ل" && text.starts_with('ل') {
        elided = known(format!("ا{form}"));
    }
    info.key = if elided && !form.starts_with("ال") { format!("ا{form}") } else { form };
    info
}

/// Where the name starts in a span's text that begins with proclitics: `(chars cut, the article
/// after ل lost its alef)`, or `None` to keep the span's start. `known(rest_start, elided)` says
/// whether the text from char `rest_start` on is the name of another span (with `ا` restored
/// when `elided`); failing that, the splitter decides.
fn proclitic_cut(text: &str, known: impl Fn(usize, bool) -> bool) -> Option<(usize, bool)> {
    let first = words(text).next().filter(|w| w.kind == WordKind::Letters && w.range.start == 0)?;
    let word = first.text(text);
    let normalized = normalize(word, &NormalizeOptions::MATCHING);
    let letters: Vec<char> = normalized.text.chars().collect();
    if !letters.iter().all(|&c| is_arabic_letter(c) || is_mark(c)) {
        return None;
    }
    let lexicon = Lexicon::bundled();
    let whole = lexicon.get_key(&normalized.text).count;
    for k in proclitic_stems(&letters).into_iter().rev().flatten() {
        let cut = normalized.map[k];
        let elided = letters[k - 1] == 'ل' && letters[k] == 'ل';
        let stem: String = letters[k..].iter().collect();
        // The splitter's rule 2 as a veto: a word seen more often whole than as its stem is a
        // word of its own (`بكين` Beijing is not ب + `كين` Keane).
        let seen = lexicon.get_key(&stem).count.max(if elided { lexicon.get_key(&format!("ا{stem}")).count } else { 0 });
        if whole > seen {
            continue;
        }
        if known(cut, elided) {
            return Some((cut, elided));
        }
    }
    let split = split_proclitics(word, lexicon);
    split.is_split().then_some((split.prefix_len, split.article_elided))
}

fn starts_with_letter(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_alphabetic)
}

/// The part of `text` (as a char range) left when whitespace and punctuation are trimmed from
/// both ends; a bracket or quote stays when its partner is inside and not at the other end.
pub(crate) fn trim_edges(text: &str) -> Range<usize> {
    let chars: Vec<char> = text.chars().collect();
    let (mut start, mut end) = (0, chars.len());
    loop {
        while start < end && chars[start].is_whitespace() {
            start += 1;
        }
        while end > start && chars[end - 1].is_whitespace() {
            end -= 1;
        }
        let mut changed = false;
        if start < end && is_edge_mark(chars[start]) && !partner_inside(between(&chars, start, end), chars[start], true) {
            start += 1;
            changed = true;
        }
        if end > start
            && is_edge_mark(chars[end - 1])
            && !partner_inside(between(&chars, start, end), chars[end - 1], false)
            && !ends_initial(&chars[start..end])
        {
            end -= 1;
            changed = true;
        }
        if !changed {
            return start..end;
        }
    }
}

/// The chars strictly between `start` and `end - 1`.
fn between(chars: &[char], start: usize, end: usize) -> &[char] {
    if end >= start + 2 { &chars[start + 1..end - 1] } else { &[] }
}

/// Whether `chars` end with the dot of an abbreviation: after a one-letter word (`محمد ب.`), or
/// with other dots before it (`الكي. جي. بي.`).
fn ends_initial(chars: &[char]) -> bool {
    match chars {
        [rest @ .., before, letter, '.'] => letter.is_alphabetic() && (before.is_whitespace() || *before == '.' || rest.contains(&'.')),
        [letter, '.'] => letter.is_alphabetic(),
        _ => false,
    }
}

/// Punctuation or a symbol: neither a letter, a digit, a mark nor whitespace.
fn is_edge_mark(c: char) -> bool {
    !c.is_alphanumeric() && !is_mark(c) && !c.is_whitespace()
}

/// Whether `inside` holds the partner of the bracket or quote `c` (which opens at the start when
/// `opening`, closes at the end otherwise).
fn partner_inside(inside: &[char], c: char, opening: bool) -> bool {
    const PAIRS: [(char, char); 9] = [('(', ')'), ('[', ']'), ('{', '}'), ('«', '»'), ('“', '”'), ('‘', '’'), ('‹', '›'), ('"', '"'), ('\'', '\'')];
    PAIRS.iter().filter(|(open, close)| if opening { *open == c } else { *close == c }).any(|(open, close)| inside.contains(if opening { close } else { open }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trimmed(text: &str) -> String {
        let range = trim_edges(text);
        text.chars().skip(range.start).take(range.len()).collect()
    }

    #[test]
    fn edges_are_trimmed_unless_a_bracket_pairs_inside() {
        for (text, want) in [
            ("روسيا", "روسيا"),
            ("روسيا،", "روسيا"),
            (" «روسيا» ", "روسيا"),
            ("(الأمم المتحدة)", "الأمم المتحدة"),
            ("الأمم المتحدة (يونيسيف)", "الأمم المتحدة (يونيسيف)"),
            ("(يونيسيف) الأمم", "(يونيسيف) الأمم"),
            ("منظمة (يونيسيف", "منظمة (يونيسيف"),
            ("يونيسيف)", "يونيسيف"),
            ("83%", "83"),
            ("،.", ""),
            ("الأَسَدُ.", "الأَسَدُ"),
            ("محمد ب.", "محمد ب."),
            ("الكي. جي. بي.", "الكي. جي. بي."),
            ("–صنعاء", "صنعاء"),
        ] {
            assert_eq!(trimmed(text), want, "{text:?}");
        }
    }

    #[test]
    fn proclitics_are_cut_on_evidence() {
        let never = |_: usize, _: bool| false;
        // The splitter's evidence alone.
        assert_eq!(proclitic_cut("وروسيا", never), Some((1, false)));
        assert_eq!(proclitic_cut("وَبِالقاهرة الجديدة", never), Some((4, false)));
        assert_eq!(proclitic_cut("للأسد", never), Some((1, true)));
        for name in ["واشنطن", "لندن", "بريطانيا", "فرنسا", "كيري", "2254", "الأسد"] {
            assert_eq!(proclitic_cut(name, never), None, "{name}");
        }
        // Another span's text: the longest cut it supports.
        assert_eq!(proclitic_cut("وبكوباني", |rest, _| rest == 2), Some((2, false)));
        assert_eq!(proclitic_cut("وبكوباني", |rest, _| rest == 1), Some((1, false)));
        // Unless the whole word is the more common one (Beijing, not ب + Keane).
        assert_eq!(proclitic_cut("بكين", |rest, _| rest == 1), None);
    }
}
