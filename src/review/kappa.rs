//! Cohen's κ between two annotators over the tokens of the articles, with IOB2 tags.
//!
//! Spans are char ranges (DESIGN.md §4) but κ needs units both annotators tag, so the text is cut
//! into tokens the simplest way that never depends on an annotator: a token is a maximal run of
//! word chars (alphanumeric, which covers Arabic letters, digits and tatweel, plus the combining
//! marks and zero-width joiners that sit inside words), or any other single char that is not
//! white space (each punctuation mark is its own token). A glued `دمشقوموسكو` is one token, so two
//! places inside it become one tag; that is the price of token-level κ, and why the exact and
//! partial span F1 are the main measures.
//!
//! Each token gets `B-LABEL`, `I-LABEL` or `O` from one annotator's spans: a span tags the tokens
//! it shares at least one char with. When spans overlap or nest, the longest (outermost) span wins
//! and an overlapping shorter one is left out whole (ties: the one starting first, then the label
//! name), so every tagged span is a clean B I I … run.

use std::collections::HashMap;
use std::ops::Range;

use crate::model::Span;

/// The char ranges of the tokens of `text`, in order (see the module doc for what a token is).
pub fn tokenize(text: &str) -> Vec<Range<usize>> {
    let mut tokens = Vec::with_capacity(text.len() / 6);
    let mut word_start: Option<usize> = None;
    let mut index = 0;
    for c in text.chars() {
        if is_word_char(c) {
            word_start.get_or_insert(index);
        } else {
            if let Some(start) = word_start.take() {
                tokens.push(start..index);
            }
            if !c.is_whitespace() {
                tokens.push(index..index + 1);
            }
        }
        index += 1;
    }
    if let Some(start) = word_start {
        tokens.push(start..index);
    }
    tokens
}

/// Whether `c` continues a word: alphanumeric, or a combining mark or joiner found inside words.
///
/// Deliberately not `arabic::chars` (which `review` may not use, DESIGN.md §2) and not its word
/// segmentation: κ needs a fixed, documented cut that only depends on the text.
fn is_word_char(c: char) -> bool {
    // The common cases first: ASCII and the Arabic letters, without the Unicode tables.
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    matches!(c,
        '\u{0621}'..='\u{064A}'
        // Arabic marks: Quranic signs, harakat, superscript alef, small high signs.
        | '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06DC}'
        | '\u{06DF}'..='\u{06E4}'
        | '\u{06E7}'..='\u{06E8}'
        | '\u{06EA}'..='\u{06ED}'
        // Latin combining marks, and ZWNJ/ZWJ, which sit inside words.
        | '\u{0300}'..='\u{036F}'
        | '\u{200C}'..='\u{200D}')
        || c.is_alphanumeric()
}

/// An IOB2 tag with its label given by number (see [`LabelIds`]); `Tag::O` is outside any span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tag(u32);

impl Tag {
    /// Outside every span.
    pub const O: Tag = Tag(0);

    /// `B-label`: the first token of a span labelled `label`.
    pub fn begin(label: u32) -> Tag {
        Tag(2 * label + 1)
    }

    /// `I-label`: a later token of a span labelled `label`.
    pub fn inside(label: u32) -> Tag {
        Tag(2 * label + 2)
    }

    /// The tag's number, dense from 0, for tables indexed by tag.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The tag as text, e.g. `B-LOC`, with label names from `labels`.
    pub fn name(self, labels: &LabelIds) -> String {
        if self == Tag::O {
            return "O".to_owned();
        }
        let label = labels.name((self.0 - 1) / 2).unwrap_or("?");
        let prefix = if self.0 % 2 == 1 { "B" } else { "I" };
        format!("{prefix}-{label}")
    }
}

/// Label names numbered in the order first seen, so tags are small integers and tallies are
/// arrays rather than maps keyed by strings.
#[derive(Clone, Debug, Default)]
pub struct LabelIds {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl LabelIds {
    /// The number of `label`, given one when it is new.
    pub fn id(&mut self, label: &str) -> u32 {
        if let Some(&id) = self.ids.get(label) {
            return id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(label.to_owned(), id);
        self.names.push(label.to_owned());
        id
    }

    /// The label numbered `id`.
    pub fn name(&self, id: u32) -> Option<&str> {
        self.names.get(id as usize).map(String::as_str)
    }
}

/// One annotator's IOB2 tag for every token of `tokens` (as [`tokenize`] gives them), from `spans`;
/// overlaps are resolved as the module doc says.
pub fn iob_tags(tokens: &[Range<usize>], spans: &[Span], labels: &mut LabelIds) -> Vec<Tag> {
    let mut tags = vec![Tag::O; tokens.len()];
    let mut order: Vec<&Span> = spans.iter().filter(|s| s.start < s.end).collect();
    order.sort_by(|a, b| (b.end - b.start).cmp(&(a.end - a.start)).then(a.start.cmp(&b.start)).then(a.label.cmp(&b.label)));
    for span in order {
        let covered = tokens_covering(tokens, span.start..span.end);
        if covered.is_empty() || tags[covered.clone()].iter().any(|&t| t != Tag::O) {
            continue;
        }
        let label = labels.id(&span.label);
        tags[covered.start] = Tag::begin(label);
        for tag in &mut tags[covered.start + 1..covered.end] {
            *tag = Tag::inside(label);
        }
    }
    tags
}

/// The indices of the tokens sharing a char with `range` (tokens are sorted and disjoint).
fn tokens_covering(tokens: &[Range<usize>], range: Range<usize>) -> Range<usize> {
    let first = tokens.partition_point(|t| t.end <= range.start);
    let end = tokens.partition_point(|t| t.start < range.end);
    first..end.max(first)
}

/// Two annotators' tags over the same tokens, tallied for Cohen's κ; tallies of several articles
/// add up to the corpus's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KappaTally {
    /// Tokens tallied.
    pub tokens: u64,
    /// Tokens both annotators gave the same tag.
    pub agreed: u64,
    /// For each tag (by [`Tag::index`]), how many tokens each annotator gave it: `[a, b]`.
    pub marginals: Vec<[u64; 2]>,
}

impl KappaTally {
    /// Tallies one token tagged `a` by one annotator and `b` by the other.
    pub fn add(&mut self, a: Tag, b: Tag) {
        self.tokens += 1;
        self.agreed += u64::from(a == b);
        let needed = a.index().max(b.index()) + 1;
        if self.marginals.len() < needed {
            self.marginals.resize(needed, [0, 0]);
        }
        self.marginals[a.index()][0] += 1;
        self.marginals[b.index()][1] += 1;
    }

    /// Adds another tally (of other tokens) to this one.
    pub fn merge(&mut self, other: &KappaTally) {
        self.tokens += other.tokens;
        self.agreed += other.agreed;
        if self.marginals.len() < other.marginals.len() {
            self.marginals.resize(other.marginals.len(), [0, 0]);
        }
        for (mine, theirs) in self.marginals.iter_mut().zip(&other.marginals) {
            mine[0] += theirs[0];
            mine[1] += theirs[1];
        }
    }

    /// Observed agreement p_o = agreed / tokens; `None` without tokens.
    pub fn observed(&self) -> Option<f64> {
        (self.tokens > 0).then(|| self.agreed as f64 / self.tokens as f64)
    }

    /// Chance agreement p_e = Σ over tags of (a's share of the tag) · (b's share); `None` without
    /// tokens.
    pub fn expected(&self) -> Option<f64> {
        let n = self.tokens as f64;
        (self.tokens > 0).then(|| self.chance_products() as f64 / (n * n))
    }

    /// Cohen's κ = (p_o − p_e) / (1 − p_e).
    ///
    /// `None` when there are no tokens. When p_e = 1 both annotators gave every token the same
    /// single tag, so they agree everywhere (p_o = 1) and κ is defined as 1. Computed as
    /// (n·agreed − Σ a_t·b_t) / (n² − Σ a_t·b_t) in integers, so p_e = 1 is detected exactly.
    pub fn kappa(&self) -> Option<f64> {
        if self.tokens == 0 {
            return None;
        }
        let n = u128::from(self.tokens);
        let chance = self.chance_products();
        let denominator = n * n - chance;
        if denominator == 0 {
            return Some(1.0);
        }
        let numerator = (n * u128::from(self.agreed)) as f64 - chance as f64;
        Some(numerator / denominator as f64)
    }

    /// Σ over tags of a_t · b_t: n² · p_e.
    fn chance_products(&self) -> u128 {
        self.marginals.iter().map(|[a, b]| u128::from(*a) * u128::from(*b)).sum()
    }
}

/// κ tallies for two annotators' tags of the same tokens: over every token, and over the tokens
/// that at least one of them tagged (the all-O tokens left out).
pub fn kappa_tallies(a: &[Tag], b: &[Tag]) -> (KappaTally, KappaTally) {
    let mut all = KappaTally::default();
    let mut entities = KappaTally::default();
    for (&ta, &tb) in a.iter().zip(b) {
        all.add(ta, tb);
        if ta != Tag::O || tb != Tag::O {
            entities.add(ta, tb);
        }
    }
    (all, entities)
}

/// Cohen's κ of two tag sequences over the same tokens (`None` when empty); see
/// [`KappaTally::kappa`].
pub fn kappa(a: &[Tag], b: &[Tag]) -> Option<f64> {
    kappa_tallies(a, b).0.kappa()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words<'t>(text: &'t str, tokens: &[Range<usize>]) -> Vec<&'t str> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let byte = |i: usize| chars.get(i).map_or(text.len(), |c| c.0);
        tokens.iter().map(|t| &text[byte(t.start)..byte(t.end)]).collect()
    }

    #[test]
    fn tokens_are_word_runs_and_single_marks() {
        let text = "قالَ كيري، إنّ «دمشقوموسكو» 2016-09 ok.";
        let tokens = tokenize(text);
        assert_eq!(words(text, &tokens), ["قالَ", "كيري", "،", "إنّ", "«", "دمشقوموسكو", "»", "2016", "-", "09", "ok", "."]);
        assert_eq!(tokens[0], 0..4, "offsets are chars, harakat included");
        assert!(tokenize("  \n ").is_empty());
    }

    #[test]
    fn iob_tags_from_spans_with_nesting_resolved_to_the_outermost() {
        // Tokens: وزير(0) خارجية(1) روسيا(2) سيرغي(3) لافروف(4) .(5)
        let text = "وزير خارجية روسيا سيرغي لافروف.";
        let tokens = tokenize(text);
        assert_eq!(tokens.len(), 6);
        let org = Span::manual(1, 0..17, "ORG", "وزير خارجية روسيا");
        let loc = Span::manual(2, 12..17, "LOC", "روسيا");
        let pers = Span::manual(3, 18..30, "PERS", "سيرغي لافروف");
        let mut labels = LabelIds::default();
        let tags = iob_tags(&tokens, &[loc, org, pers], &mut labels);
        let names: Vec<String> = tags.iter().map(|t| t.name(&labels)).collect();
        // LOC is nested in ORG: the outermost span wins, LOC is left out.
        assert_eq!(names, ["B-ORG", "I-ORG", "I-ORG", "B-PERS", "I-PERS", "O"]);
    }

    #[test]
    fn a_span_inside_a_glued_word_tags_the_whole_token() {
        let text = "في دمشقوموسكو";
        let tokens = tokenize(text);
        let spans = [Span::manual(1, 3..7, "LOC", "دمشق"), Span::manual(2, 8..13, "LOC", "موسكو")];
        let mut labels = LabelIds::default();
        let tags = iob_tags(&tokens, &spans, &mut labels);
        // Both spans touch token 1; the longer (موسكو) wins, دمشق overlaps it and is left out.
        assert_eq!(tags, [Tag::O, Tag::begin(0)]);
    }

    #[test]
    fn kappa_worked_by_hand() {
        // Ten tokens, labels LOC = 0, PERS = 1:
        //   token:  1     2     3   4   5       6       7   8   9     10
        //   A:      B-LOC O     O   O   B-PERS  I-PERS  O   O   B-LOC O
        //   B:      B-LOC O     O   O   B-PERS  O       O   O   O     B-LOC
        // Agreed on tokens 1,2,3,4,5,7,8: p_o = 7/10 = 0.7.
        // Marginals (A, B): O (6, 7), B-LOC (2, 2), B-PERS (1, 1), I-PERS (1, 0).
        // p_e = (6·7 + 2·2 + 1·1 + 1·0) / 10² = 47/100 = 0.47.
        // κ = (0.7 − 0.47) / (1 − 0.47) = 0.23 / 0.53 = 0.433962…
        let (o, bl, bp, ip) = (Tag::O, Tag::begin(0), Tag::begin(1), Tag::inside(1));
        let a = [bl, o, o, o, bp, ip, o, o, bl, o];
        let b = [bl, o, o, o, bp, o, o, o, o, bl];
        let (all, entities) = kappa_tallies(&a, &b);
        assert_eq!(all.observed(), Some(0.7));
        assert!((all.expected().expect("tokens") - 0.47).abs() < 1e-12);
        assert!((all.kappa().expect("tokens") - 0.23 / 0.53).abs() < 1e-12);
        assert!((kappa(&a, &b).expect("tokens") - 0.433962).abs() < 1e-6);
        // Without the all-O tokens (2,3,4,7,8): tokens 1,5,6,9,10 remain.
        //   A: B-LOC B-PERS I-PERS B-LOC O ; B: B-LOC B-PERS O O B-LOC
        // p_o = 2/5 = 0.4. Marginals: B-LOC (2, 2), B-PERS (1, 1), I-PERS (1, 0), O (1, 2).
        // p_e = (2·2 + 1·1 + 1·0 + 1·2) / 25 = 7/25 = 0.28. κ = (0.4 − 0.28)/(1 − 0.28) = 1/6.
        assert_eq!(entities.tokens, 5);
        assert!((entities.kappa().expect("tokens") - 1.0 / 6.0).abs() < 1e-12);
    }

    #[test]
    fn kappa_edge_cases() {
        // No tokens: undefined.
        assert_eq!(kappa(&[], &[]), None);
        assert_eq!(KappaTally::default().kappa(), None);
        // Identical constant tagging: p_o = 1, p_e = 1, κ defined as 1.
        assert_eq!(kappa(&[Tag::O; 4], &[Tag::O; 4]), Some(1.0));
        // Both all-O: nothing left once the all-O tokens are dropped.
        let (_, entities) = kappa_tallies(&[Tag::O; 4], &[Tag::O; 4]);
        assert_eq!(entities.kappa(), None);
        // Perfect agreement with two tags: p_o = 1, p_e = (1·1 + 3·3)/16 = 10/16, κ = 1.
        let a = [Tag::begin(0), Tag::O, Tag::O, Tag::O];
        assert_eq!(kappa(&a, &a), Some(1.0));
        // Complete disagreement on two equally used tags: p_o = 0, p_e = (1·1 + 1·1)/4 = 0.5,
        // κ = (0 − 0.5)/(1 − 0.5) = −1.
        assert_eq!(kappa(&[Tag::begin(0), Tag::O], &[Tag::O, Tag::begin(0)]), Some(-1.0));
    }

    #[test]
    fn tallies_of_articles_add_up() {
        let a = [Tag::begin(0), Tag::O, Tag::O, Tag::begin(1)];
        let b = [Tag::begin(0), Tag::begin(0), Tag::O, Tag::O];
        let (whole, _) = kappa_tallies(&a, &b);
        let (mut first, _) = kappa_tallies(&a[..2], &b[..2]);
        let (second, _) = kappa_tallies(&a[2..], &b[2..]);
        first.merge(&second);
        assert_eq!(first.tokens, whole.tokens);
        assert_eq!(first.kappa(), whole.kappa());
    }
}
