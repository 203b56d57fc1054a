//! Tokens, sentences, and how character spans become token tags: the rules every token-level
//! export (CoNLL, BIOES, Hugging Face), the JSONL token list and the export preview share.
//!
//! # Tokens
//!
//! With [`Tokenization::Words`] (the default) tokens are the words the annotation editor snaps
//! to ([`crate::arabic::words`]), so a span drawn by double-click or drag is whole tokens:
//! - whitespace separates tokens and belongs to none;
//! - a run of letters of one script with its harakat, shadda and tatweel is one token
//!   (`مُحَمَّد`, `كـــيري`); Arabic letters and digits never share a token (`الـ24` is `الـ` `24`),
//!   Latin letters and digits do (`G20`);
//! - a number keeps its decimal and thousands separators and a percent sign after it: `2.5`,
//!   `1,000`, `٢٫٥`, `83%`;
//! - every other punctuation mark or symbol is a token of its own: `«روسيا»` is `«` `روسيا` `»`,
//!   `128.` is `128` `.`;
//! - three joins on top of the editor's words, as ANERcorp writes them (and spaCy, for numbers):
//!   `/` `-` or `:` directly between two numbers (`2016/10/15`, `1625-1649`, `10:30`), a hyphen
//!   directly between two words (`أيرو-أتلنتيك`, `F-16`), an apostrophe directly between two
//!   Latin words (`O'Brien`).
//!
//! Words glued by a lost space (`دمشقوموسكو`) stay one token: nothing in the letters says where
//! the space was. With [`Tokenization::Whitespace`] tokens are exactly the whitespace-separated
//! pieces, for text that is tokenized already (ANERcorp's `(د` stays one token).
//!
//! With [`TokenOptions::split_clitics`], each proclitic that [`split_proclitics`] finds with the
//! bundled lexicon becomes a token of its own, with its harakat or tatweel: `وروسيا` → `و`
//! `روسيا`, `وبالقاهرة` → `و` `ب` `القاهرة`, while `بريطانيا` stays whole. The article ال is never
//! split off.
//!
//! # Sentences
//!
//! [`SentenceSplit::Lines`]: each line is a sentence. [`SentenceSplit::Punctuation`] (the
//! default): lines, and a sentence also ends after a token made of sentence-final punctuation
//! (`.` `!` `?` `؟` `…` `۔`), together with the closing quotes and brackets glued to it
//! (`«انتهى.»` ends after `»`), except a full stop after a one-letter word (`د.` for doctor,
//! initials). Empty lines make no sentences. A sentence break never cuts an entity: a break that
//! would fall inside one is moved to the entity's end, and noted.
//!
//! # Spans onto tokens
//!
//! CoNLL, BIOES and Hugging Face tag tokens, so each span becomes whole tokens and one flat layer:
//! 1. A span that is not accepted, or not a range inside the text, is left out (noted). For
//!    Hugging Face, a span whose label is not among the export's labels is written as `O`
//!    (noted).
//! 2. Nested or overlapping spans: the longer (outer) span is kept, a tie goes to the one that
//!    starts first (then to the earlier span); the other is dropped (noted: `ORG «مجلس الأمن»
//!    dropped: inside ORG «مجلس الأمن الدولي»`, or `overlaps …`, `same range as …`).
//! 3. A token belongs to an entity when the span covers any of its chars. A span that does not
//!    cover its tokens exactly is widened to them (noted: `LOC «روسيا» widened to the token
//!    «وروسيا»`); a span covering no token at all (only whitespace) is dropped (noted). Given
//!    one sentence's tokens, [`tag_tokens`] fits a span that reaches past them to the tokens it
//!    has there (noted: `fitted to the tokens «…»`).
//! 4. Two entities that would share a token (`دمشقوموسكو` holding two places, with no split at
//!    the span boundary): the first in the text keeps the token, the other is dropped (noted:
//!    `LOC «موسكو» dropped: shares the token «دمشقوموسكو» with LOC «دمشق»`).
//!
//! A note's offset is the span's start, in chars. JSONL needs none of this: its tokens are split
//! at every span boundary instead, and it keeps every span.

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use super::{DocContext, ExportNote, SentenceSplit, TokenOptions, Tokenization};
use crate::arabic::chars::{is_arabic_letter, is_letter, is_proclitic_letter};
use crate::arabic::{Lexicon, Word, WordKind, split_proclitics, words};
use crate::model::{LabelledDocument, Span};

/// One token: its char range in the text and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Unicode scalar (char) range in the document text.
    pub range: Range<usize>,
    /// The token's text, exactly as in the document.
    pub text: String,
}

/// Which tags a token-level format writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TagScheme {
    /// `B-` opens an entity, `I-` continues it.
    Iob2,
    /// `S-` for a one-token entity; otherwise `B-`, `I-` … and `E-` on the last token.
    Bioes,
}

/// A token's place in an entity, with the entity's label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tag<'a> {
    /// Outside every entity (`O`).
    Outside,
    /// First token of an entity of several tokens.
    Begin(&'a str),
    /// A token after the first, before the last.
    Inside(&'a str),
    /// Last token of an entity of several tokens.
    End(&'a str),
    /// The only token of an entity.
    Single(&'a str),
}

impl<'a> Tag<'a> {
    /// The tag as `scheme` writes it: IOB2 has no end or single tags.
    pub fn in_scheme(self, scheme: TagScheme) -> Tag<'a> {
        match (scheme, self) {
            (TagScheme::Iob2, Tag::End(label)) => Tag::Inside(label),
            (TagScheme::Iob2, Tag::Single(label)) => Tag::Begin(label),
            _ => self,
        }
    }

    /// `O`, `B-`, `I-`, `E-` or `S-`: what goes before the label.
    pub fn prefix(self) -> &'static str {
        match self {
            Tag::Outside => "O",
            Tag::Begin(_) => "B-",
            Tag::Inside(_) => "I-",
            Tag::End(_) => "E-",
            Tag::Single(_) => "S-",
        }
    }

    /// The entity's label, `None` outside.
    pub fn label(self) -> Option<&'a str> {
        match self {
            Tag::Outside => None,
            Tag::Begin(l) | Tag::Inside(l) | Tag::End(l) | Tag::Single(l) => Some(l),
        }
    }
}

impl fmt::Display for Tag<'_> {
    /// `O` or the prefix and label, `B-LOC`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.prefix())?;
        f.write_str(self.label().unwrap_or(""))
    }
}

/// The sentences of `text`, each a list of tokens, under `options` (no spans are known here, so
/// breaks are where the text puts them; [`tagged_sentences`] keeps entities whole).
pub fn sentences(text: &str, options: &TokenOptions) -> Vec<Vec<Token>> {
    let mut pieces = Pieces::default();
    tokenize(text, options, &mut pieces);
    let mut breaks = Vec::new();
    sentence_breaks(text, &pieces, options.sentences, &mut breaks);
    sentence_ranges(&breaks, pieces.len()).map(|sentence| sentence.map(|i| pieces.token(text, i)).collect()).collect()
}

/// Tags for `tokens` (a whole document's, or one sentence's, in order) from `doc`'s spans under
/// the mapping rule of the module documentation, in BIOES form ([`Tag::in_scheme`] gives IOB2);
/// adds a note for every span it had to change or drop.
///
/// Spans that do not reach the tokens' extent are left alone; a span reaching past it is fitted
/// to the tokens there.
pub fn tag_tokens<'d>(doc: &'d LabelledDocument, tokens: &[Token], notes: &mut Vec<ExportNote>) -> Vec<Tag<'d>> {
    let ctx = DocContext::new(doc);
    let mut pieces = Pieces::default();
    for token in tokens {
        pieces.push(token.range.clone(), ctx.bytes(token.range.clone()));
    }
    let window = match (tokens.first(), tokens.last()) {
        (Some(first), Some(last)) => first.range.start..last.range.end,
        _ => return Vec::new(),
    };
    let first_note = notes.len();
    let mut usable = Vec::new();
    ctx.usable_spans(notes, &mut usable);
    let mut entities = Vec::new();
    map_spans(&ctx, &pieces, window, None, &usable, notes, &mut entities);
    notes[first_note..].sort_by_key(|n| n.offset);
    tags(&doc.spans, &entities, 0..tokens.len()).collect()
}

/// The document's sentences with their tokens' tags (BIOES form), as CoNLL, BIOES and Hugging
/// Face exports write them; adds a note for every change the mapping rule made.
pub fn tagged_sentences<'d>(doc: &'d LabelledDocument, options: &TokenOptions, notes: &mut Vec<ExportNote>) -> Vec<Vec<(Token, Tag<'d>)>> {
    let mut tagger = Tagger::new(options, None);
    let tagged = tagger.tag(doc, notes);
    tagged
        .sentences()
        .map(|sentence| {
            let tags = tagged.tags(sentence.clone());
            sentence.map(|i| tagged.pieces.token(&doc.text, i)).zip(tags).collect()
        })
        .collect()
}

/// A document's tokens as parallel char and byte ranges, so writers slice the text without an
/// allocation per token; the buffers are reused from one document to the next.
#[derive(Clone, Debug, Default)]
pub(crate) struct Pieces {
    /// Char range of each token.
    pub(crate) chars: Vec<Range<usize>>,
    /// Byte range of each token.
    pub(crate) bytes: Vec<Range<usize>>,
}

impl Pieces {
    /// Number of tokens.
    pub(crate) fn len(&self) -> usize {
        self.chars.len()
    }

    /// Text of token `i` in `text`, the text it was made from.
    pub(crate) fn text<'t>(&self, text: &'t str, i: usize) -> &'t str {
        text.get(self.bytes[i].clone()).unwrap_or("")
    }

    /// Token `i` as a [`Token`].
    fn token(&self, text: &str, i: usize) -> Token {
        Token { range: self.chars[i].clone(), text: self.text(text, i).to_owned() }
    }

    fn clear(&mut self) {
        self.chars.clear();
        self.bytes.clear();
    }

    fn push(&mut self, chars: Range<usize>, bytes: Range<usize>) {
        self.chars.push(chars);
        self.bytes.push(bytes);
    }

    /// Adds a word of `text`, its proclitics first as tokens of their own when `split` says so.
    fn push_word(&mut self, text: &str, chars: Range<usize>, bytes: Range<usize>, split: bool) {
        let word = &text[bytes.clone()];
        // Only words that start with a proclitic letter can have one; the splitter normalizes
        // the word, which is worth avoiding for all the others.
        if !(split && word.starts_with(is_proclitic_letter)) {
            self.push(chars, bytes);
            return;
        }
        let cut = split_proclitics(word, Lexicon::bundled());
        // A new token starts at each proclitic letter; harakat and tatweel stay with the letter
        // before them.
        let mut from = (0, 0);
        for (i, (b, c)) in word.char_indices().enumerate().take(cut.prefix_len + 1).skip(1) {
            if i == cut.prefix_len || is_proclitic_letter(c) {
                let start = (chars.start + from.0, bytes.start + from.1);
                self.push(start.0..chars.start + i, start.1..bytes.start + b);
                from = (i, b);
            }
        }
        self.push(chars.start + from.0..chars.end, bytes.start + from.1..bytes.end);
    }
}

/// Cuts `text` into tokens under `options`, into `out`.
pub(crate) fn tokenize(text: &str, options: &TokenOptions, out: &mut Pieces) {
    out.clear();
    let split = options.split_clitics;
    match options.tokenize {
        Tokenization::Words => {
            let mut words = words(text).peekable();
            let mut pending: Option<Word> = None;
            while let Some(word) = words.next() {
                if let Some(before) = pending.as_mut() {
                    if let Some(after) = words.peek().filter(|a| joins(text, before, &word, a)) {
                        before.range.end = after.range.end;
                        before.bytes.end = after.bytes.end;
                        words.next();
                        continue;
                    }
                    out.push_word(text, before.range.clone(), before.bytes.clone(), split);
                }
                pending = Some(word);
            }
            if let Some(last) = pending {
                out.push_word(text, last.range, last.bytes, split);
            }
        }
        Tokenization::Whitespace => {
            let mut start: Option<(usize, usize)> = None;
            let mut at = 0;
            for (b, c) in text.char_indices() {
                match (c.is_whitespace(), start) {
                    (true, Some((sc, sb))) => {
                        out.push_word(text, sc..at, sb..b, split);
                        start = None;
                    }
                    (false, None) => start = Some((at, b)),
                    _ => {}
                }
                at += 1;
            }
            if let Some((sc, sb)) = start {
                out.push_word(text, sc..at, sb..text.len(), split);
            }
        }
    }
}

/// Whether the punctuation word `mid` joins `before` and `after` into one token (see the module
/// documentation).
fn joins(text: &str, before: &Word, mid: &Word, after: &Word) -> bool {
    if mid.kind != WordKind::Punct || before.bytes.end != mid.bytes.start || mid.bytes.end != after.bytes.start || after.kind == WordKind::Punct {
        return false;
    }
    let latin_edges = || {
        let last = before.text(text).chars().next_back();
        let first = after.text(text).chars().next();
        [last, first].iter().all(|c| c.is_some_and(|c| is_letter(c) && !is_arabic_letter(c)))
    };
    let numbers = before.kind == WordKind::Number && after.kind == WordKind::Number;
    match mid.text(text) {
        "-" | "\u{2010}" => before.kind != WordKind::Punct,
        "/" | ":" => numbers,
        "'" | "\u{2019}" => latin_edges(),
        _ => false,
    }
}

/// True for a token made of sentence-final punctuation only (`.`, `؟`, `...`, `?!`).
fn is_final(token: &str) -> bool {
    !token.is_empty() && token.chars().all(|c| matches!(c, '.' | '!' | '?' | '\u{061F}' | '\u{2026}' | '\u{06D4}'))
}

/// True for a token made of closing quotes and brackets, which stay with the sentence they close.
fn is_closing(token: &str) -> bool {
    !token.is_empty() && token.chars().all(|c| matches!(c, '»' | ')' | ']' | '}' | '"' | '\'' | '\u{201D}' | '\u{2019}' | '\u{203A}'))
}

/// True for a line break of any kind.
fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{0085}' | '\u{2028}' | '\u{2029}')
}

/// True when token `i` stays in the sentence a sentence-final token before it ends: more final
/// punctuation (`...`), or a closing quote or bracket glued to the token before (`.»`; with a
/// space, `"` opens the next sentence).
fn closes_sentence(text: &str, pieces: &Pieces, i: usize) -> bool {
    let token = pieces.text(text, i);
    is_final(token) || (i > 0 && pieces.bytes[i - 1].end == pieces.bytes[i].start && is_closing(token))
}

/// Indices of the tokens that start a new sentence (never 0), by the text alone, into `out`.
fn sentence_breaks(text: &str, pieces: &Pieces, split: SentenceSplit, out: &mut Vec<usize>) {
    out.clear();
    // True after a sentence-final token, while only what closes the sentence follows it.
    let mut ended = false;
    for i in 0..pieces.len() {
        let closes = closes_sentence(text, pieces, i);
        if i > 0 {
            let gap = &text[pieces.bytes[i - 1].end..pieces.bytes[i].start];
            if gap.contains(is_line_break) || (ended && !closes) {
                out.push(i);
                ended = false;
            }
        }
        if split == SentenceSplit::Punctuation {
            let token = pieces.text(text, i);
            ended = if is_final(token) {
                // `د.` (doctor) and initials: a full stop glued to a one-letter word.
                let abbreviation = token == "."
                    && i > 0
                    && pieces.bytes[i - 1].end == pieces.bytes[i].start
                    && pieces.chars[i - 1].len() == 1
                    && pieces.text(text, i - 1).chars().all(is_letter);
                !abbreviation
            } else {
                ended && closes
            };
        }
    }
}

/// Token index ranges of the sentences that `breaks` (sorted sentence starts) make of `len`
/// tokens; none when there are no tokens.
fn sentence_ranges(breaks: &[usize], len: usize) -> impl Iterator<Item = Range<usize>> + '_ {
    let starts = std::iter::once(0).chain(breaks.iter().copied());
    let ends = breaks.iter().copied().chain(std::iter::once(len));
    starts.zip(ends).filter(|(start, end)| start < end).map(|(start, end)| start..end)
}

/// An entity over tokens: which tokens, and which of the document's spans it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entity {
    /// Token indices.
    pub(crate) tokens: Range<usize>,
    /// Index into the document's spans.
    pub(crate) span: usize,
}

/// Maps the spans `usable` (indices into the document's spans, sorted) onto `pieces` by the
/// module's rule, into `out` (sorted, disjoint, whole tokens); spans not overlapping the char
/// range `window` are left alone, and with `labels`, spans with another label are written as `O`.
fn map_spans(
    ctx: &DocContext<'_>,
    pieces: &Pieces,
    window: Range<usize>,
    labels: Option<&[String]>,
    usable: &[usize],
    notes: &mut Vec<ExportNote>,
    out: &mut Vec<Entity>,
) {
    out.clear();
    let spans = &ctx.doc().spans;
    let mut order: Vec<usize> = Vec::with_capacity(usable.len());
    for &i in usable {
        let span = &spans[i];
        if span.end <= window.start || span.start >= window.end {
            continue;
        }
        match labels {
            Some(labels) if !labels.contains(&span.label) => {
                let message = format!("{} written as O: {} is not among the export's labels ({})", ctx.describe(span), span.label, labels.join(", "));
                ctx.note(notes, span.start, message);
            }
            _ => order.push(i),
        }
    }
    // Longest first, so outer spans claim their chars before what they contain.
    order.sort_by_key(|&i| (Reverse(spans[i].end - spans[i].start), spans[i].sort_key()));
    // Kept spans by start: (end, span index); disjoint, so the one starting last before a span's
    // end is the only one that can overlap it.
    let mut kept: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for i in order {
        let span = &spans[i];
        if let Some((&start, &(end, k))) = kept.range(..span.end).next_back()
            && end > span.start
        {
            let how = if (start, end) == (span.start, span.end) {
                "same range as"
            } else if start <= span.start && span.end <= end {
                "inside"
            } else {
                "overlaps"
            };
            let message = format!("{} dropped: {how} {}", ctx.describe(span), ctx.describe(&spans[k]));
            ctx.note(notes, span.start, message);
            continue;
        }
        kept.insert(span.start, (span.end, i));
    }
    let text = &ctx.doc().text;
    for (_, (_, i)) in kept {
        let span = &spans[i];
        let first = pieces.chars.partition_point(|t| t.end <= span.start);
        let end = pieces.chars.partition_point(|t| t.start < span.end);
        if first >= end {
            let message = format!("{} dropped: covers no token", ctx.describe(span));
            ctx.note(notes, span.start, message);
            continue;
        }
        if let Some(before) = out.last().filter(|e| first < e.tokens.end) {
            let message = format!("{} dropped: shares the token «{}» with {}", ctx.describe(span), pieces.text(text, first), ctx.describe(&spans[before.span]));
            ctx.note(notes, span.start, message);
            continue;
        }
        let extent = pieces.chars[first].start..pieces.chars[end - 1].end;
        if extent != span.range() {
            let widened = extent.start <= span.start && span.end <= extent.end;
            let message = format!(
                "{} {} to the {} «{}»",
                ctx.describe(span),
                if widened { "widened" } else { "fitted" },
                if end - first == 1 { "token" } else { "tokens" },
                // `get`: tokens handed to `tag_tokens` need not be in order.
                text.get(pieces.bytes[first].start..pieces.bytes[end - 1].end).unwrap_or("")
            );
            ctx.note(notes, span.start, message);
        }
        out.push(Entity { tokens: first..end, span: i });
    }
}

/// Moves every break in `breaks` that falls inside an entity to that entity's end, noting it.
fn keep_entities_whole(ctx: &DocContext<'_>, pieces: &Pieces, entities: &[Entity], breaks: &mut Vec<usize>, notes: &mut Vec<ExportNote>) {
    let text = &ctx.doc().text;
    let mut moved: Vec<usize> = Vec::with_capacity(breaks.len());
    for &at in breaks.iter() {
        let mut at = at;
        loop {
            let e = entities.partition_point(|e| e.tokens.end <= at);
            let Some(entity) = entities.get(e).filter(|e| e.tokens.start < at) else {
                break;
            };
            let span = &ctx.doc().spans[entity.span];
            let message = format!("sentence break after «{}» moved to the end of {}", pieces.text(text, at - 1), ctx.describe(span));
            ctx.note(notes, span.start, message);
            // The full stop or closing quote right after the entity still ends its sentence.
            at = entity.tokens.end;
            while at < pieces.len() && closes_sentence(text, pieces, at) {
                at += 1;
            }
        }
        if at < pieces.len() && moved.last().is_none_or(|&last| last < at) {
            moved.push(at);
        }
    }
    *breaks = moved;
}

/// Tags of the tokens `range`, from `entities` (sorted, disjoint) over the spans `spans`.
fn tags<'d, 'e>(spans: &'d [Span], entities: &'e [Entity], range: Range<usize>) -> impl Iterator<Item = Tag<'d>> + use<'d, 'e> {
    let mut e = entities.partition_point(|e| e.tokens.end <= range.start);
    range.map(move |i| {
        while entities.get(e).is_some_and(|x| x.tokens.end <= i) {
            e += 1;
        }
        match entities.get(e).filter(|x| x.tokens.start <= i) {
            None => Tag::Outside,
            Some(entity) => {
                let label = spans[entity.span].label.as_str();
                let tokens = &entity.tokens;
                match (i == tokens.start, i + 1 == tokens.end) {
                    (true, true) => Tag::Single(label),
                    (true, false) => Tag::Begin(label),
                    (false, true) => Tag::End(label),
                    (false, false) => Tag::Inside(label),
                }
            }
        }
    })
}

/// Tokenizes, maps spans and splits sentences document after document, reusing its buffers.
pub(crate) struct Tagger {
    options: TokenOptions,
    labels: Option<Vec<String>>,
    pieces: Pieces,
    usable: Vec<usize>,
    entities: Vec<Entity>,
    breaks: Vec<usize>,
}

impl Tagger {
    /// A tagger under `options`; with `labels`, spans of other labels become `O`.
    pub(crate) fn new(options: &TokenOptions, labels: Option<&[String]>) -> Self {
        Tagger {
            options: *options,
            labels: labels.map(<[String]>::to_vec),
            pieces: Pieces::default(),
            usable: Vec::new(),
            entities: Vec::new(),
            breaks: Vec::new(),
        }
    }

    /// Tags `doc`, adding its notes (sorted by offset) to `notes`.
    pub(crate) fn tag<'s, 'd>(&'s mut self, doc: &'d LabelledDocument, notes: &mut Vec<ExportNote>) -> TaggedDoc<'s, 'd> {
        let first_note = notes.len();
        let ctx = DocContext::new(doc);
        tokenize(&doc.text, &self.options, &mut self.pieces);
        ctx.usable_spans(notes, &mut self.usable);
        let labels = self.labels.as_deref();
        let everything = 0..ctx.len();
        map_spans(&ctx, &self.pieces, everything, labels, &self.usable, notes, &mut self.entities);
        sentence_breaks(&doc.text, &self.pieces, self.options.sentences, &mut self.breaks);
        keep_entities_whole(&ctx, &self.pieces, &self.entities, &mut self.breaks, notes);
        notes[first_note..].sort_by_key(|n| n.offset);
        TaggedDoc { doc, pieces: &self.pieces, entities: &self.entities, breaks: &self.breaks }
    }
}

/// A tagged document: its tokens, flat entities and sentence breaks.
pub(crate) struct TaggedDoc<'s, 'd> {
    doc: &'d LabelledDocument,
    pieces: &'s Pieces,
    entities: &'s [Entity],
    breaks: &'s [usize],
}

impl<'s, 'd> TaggedDoc<'s, 'd> {
    /// True when the document has no tokens.
    pub(crate) fn is_empty(&self) -> bool {
        self.pieces.len() == 0
    }

    /// Token index ranges of the sentences, in order, none empty.
    pub(crate) fn sentences(&self) -> impl Iterator<Item = Range<usize>> + 's {
        sentence_ranges(self.breaks, self.pieces.len())
    }

    /// The spans written as entities (indices into the document's spans), in text order.
    pub(crate) fn entity_spans(&self) -> impl Iterator<Item = usize> + 's {
        self.entities.iter().map(|e| e.span)
    }

    /// Tags (BIOES form) of the tokens `range`.
    pub(crate) fn tags(&self, range: Range<usize>) -> impl Iterator<Item = Tag<'d>> + use<'s, 'd> {
        tags(&self.doc.spans, self.entities, range)
    }

    /// Texts and tags (BIOES form) of the tokens `range`.
    pub(crate) fn tagged(&self, range: Range<usize>) -> impl Iterator<Item = (&'d str, Tag<'d>)> + use<'s, 'd> {
        let (text, pieces) = (&self.doc.text, self.pieces);
        range.clone().map(move |i| pieces.text(text, i)).zip(self.tags(range))
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_docs::{doc, glued, nested};
    use super::*;

    fn options(tokenize: Tokenization, split_clitics: bool) -> TokenOptions {
        TokenOptions { tokenize, sentences: SentenceSplit::Punctuation, split_clitics }
    }

    fn texts(text: &str, options: &TokenOptions) -> Vec<String> {
        let mut pieces = Pieces::default();
        tokenize(text, options, &mut pieces);
        (0..pieces.len()).map(|i| pieces.text(text, i).to_owned()).collect()
    }

    #[test]
    fn word_tokens_table() {
        let words = options(Tokenization::Words, false);
        let table: &[(&str, &[&str])] = &[
            ("«روسيا»", &["«", "روسيا", "»"]),
            ("بلغ 2.5 مليون", &["بلغ", "2.5", "مليون"]),
            ("على 83% من 1,000", &["على", "83%", "من", "1,000"]),
            ("في 2016/10/15 و1625-1649 الساعة 10:30", &["في", "2016/10/15", "و", "1625-1649", "الساعة", "10:30"]),
            ("شركة أيرو-أتلنتيك وطائرات F-16", &["شركة", "أيرو-أتلنتيك", "وطائرات", "F-16"]),
            ("O'Brien قال: «لا»", &["O'Brien", "قال", ":", "«", "لا", "»"]),
            ("مُحَمَّد كـــيري", &["مُحَمَّد", "كـــيري"]),
            ("عقوبات على دمشقوموسكو", &["عقوبات", "على", "دمشقوموسكو"]),
            ("القرار 2254 وCNN", &["القرار", "2254", "و", "CNN"]),
            ("أبريل / نيسان - 5", &["أبريل", "/", "نيسان", "-", "5"]),
            ("(د ب أ)", &["(", "د", "ب", "أ", ")"]),
            ("128. -5", &["128", ".", "-", "5"]),
            ("الـ24 ساعة", &["الـ", "24", "ساعة"]),
            ("", &[]),
        ];
        for (text, want) in table {
            assert_eq!(texts(text, &words), *want, "tokens of {text:?}");
        }
    }

    #[test]
    fn whitespace_tokens_are_the_pieces_between_spaces() {
        let ws = options(Tokenization::Whitespace, false);
        assert_eq!(texts("(د ب أ) قال\tكيري،  غدا\n", &ws), ["(د", "ب", "أ)", "قال", "كيري،", "غدا"]);
        assert_eq!(texts("   ", &ws), Vec::<String>::new());
    }

    #[test]
    fn proclitics_split_off_as_tokens_of_their_own() {
        let split = options(Tokenization::Words, true);
        let table: &[(&str, &[&str])] = &[
            ("وروسيا", &["و", "روسيا"]),
            ("بالقاهرة", &["ب", "القاهرة"]),
            ("وبالقاهرة", &["و", "ب", "القاهرة"]),
            ("وَروسيا", &["وَ", "روسيا"]),
            ("للأسد", &["ل", "لأسد"]),
            ("بريطانيا لندن واشنطن", &["بريطانيا", "لندن", "واشنطن"]),
            ("«وروسيا»", &["«", "و", "روسيا", "»"]),
        ];
        for (text, want) in table {
            assert_eq!(texts(text, &split), *want, "tokens of {text:?}");
        }
        let ws = options(Tokenization::Whitespace, true);
        assert_eq!(texts("(د وروسيا", &ws), ["(د", "و", "روسيا"]);
        // Char and byte ranges agree after a split.
        let mut pieces = Pieces::default();
        tokenize("في وروسيا", &split, &mut pieces);
        assert_eq!(pieces.chars, [0..2, 3..4, 4..9]);
        assert_eq!(pieces.bytes, [0..4, 5..7, 7..17]);
    }

    fn sentence_texts(text: &str, options: &TokenOptions) -> Vec<String> {
        sentences(text, options).iter().map(|s| s.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" ")).collect()
    }

    #[test]
    fn sentences_end_at_lines_and_final_punctuation() {
        let text = "قال د. كيري: «انتهى.» ثم غادر... هل يعود؟ نعم! \"لا\"\n\nسطر ثان 2.5\nثالث";
        let punct = options(Tokenization::Words, false);
        assert_eq!(sentence_texts(text, &punct), ["قال د . كيري : « انتهى . »", "ثم غادر . . .", "هل يعود ؟", "نعم !", "\" لا \"", "سطر ثان 2.5", "ثالث"]);
        let lines = TokenOptions { sentences: SentenceSplit::Lines, ..punct };
        assert_eq!(sentence_texts(text, &lines), ["قال د . كيري : « انتهى . » ثم غادر . . . هل يعود ؟ نعم ! \" لا \"", "سطر ثان 2.5", "ثالث"]);
        let first = &sentences(text, &punct)[0];
        assert_eq!(first[3], Token { range: 7..11, text: "كيري".into() });
        assert!(sentences("", &punct).is_empty());
        assert!(sentences(" \n\n ", &punct).is_empty());
    }

    fn shown(notes: &[ExportNote]) -> Vec<String> {
        notes.iter().map(ToString::to_string).collect()
    }

    fn tagged(doc: &LabelledDocument, options: &TokenOptions) -> (Vec<Vec<String>>, Vec<String>) {
        let mut notes = Vec::new();
        let sentences =
            tagged_sentences(doc, options, &mut notes).into_iter().map(|s| s.into_iter().map(|(t, tag)| format!("{} {tag}", t.text)).collect()).collect();
        (sentences, shown(&notes))
    }

    #[test]
    fn glued_words_proclitics_digits_and_latin_map_onto_tokens() {
        let (sentences, notes) = tagged(&glued(), &options(Tokenization::Words, false));
        assert_eq!(
            sentences,
            [
                vec!["فرضت O", "عقوبات O", "على O", "دمشقوموسكو S-LOC", "وروسيا S-LOC", ". O"],
                vec!["قال O", "CNN S-ORG", "إن O", "القرار O", "2254 S-MISC", "نافذ O", ". O"],
            ]
        );
        assert_eq!(
            notes,
            [
                "corpus/a.txt:16: LOC «دمشق» widened to the token «دمشقوموسكو»",
                "corpus/a.txt:21: LOC «موسكو» dropped: shares the token «دمشقوموسكو» with LOC «دمشق»",
                "corpus/a.txt:28: LOC «روسيا» widened to the token «وروسيا»",
            ]
        );
        // Splitting proclitics makes روسيا a token of its own: no note for it.
        let (sentences, notes) = tagged(&glued(), &options(Tokenization::Words, true));
        assert_eq!(sentences[0][4..], ["و O", "روسيا S-LOC", ". O"]);
        assert_eq!(notes.len(), 2, "{notes:?}");
    }

    #[test]
    fn nested_spans_keep_the_outer_one_and_a_span_inside_a_token_widens() {
        let (sentences, notes) = tagged(&nested(), &options(Tokenization::Words, false));
        assert_eq!(sentences, [vec!["اجتمع O", "مجلس B-ORG", "الأمن I-ORG", "الدولي E-ORG", "في O", "نيويورك S-LOC", ". O"], vec!["وصرح O", "كيري S-PERS"],]);
        assert_eq!(
            notes,
            ["corpus/sub/b.txt:6: ORG «مجلس الأمن» dropped: inside ORG «مجلس الأمن الدولي»", "corpus/sub/b.txt:27: LOC «نيويور» widened to the token «نيويورك»",]
        );
    }

    #[test]
    fn overlaps_ties_and_spans_without_tokens() {
        // Two spans of equal length that overlap: the first keeps its place.
        let mut d = doc("x", "جون كيري قال", &[("جون كيري", "PERS"), ("كيري قال", "MISC")]);
        d.spans.push(Span::manual(3, 8..9, "LOC", " "));
        d.spans.push(Span::manual(4, 0..8, "ORG", "جون كيري"));
        let (sentences, notes) = tagged(&d, &options(Tokenization::Words, false));
        assert_eq!(sentences, [vec!["جون B-PERS", "كيري E-PERS", "قال O"]]);
        assert_eq!(
            notes,
            [
                "x:0: ORG «جون كيري» dropped: same range as PERS «جون كيري»",
                "x:4: MISC «كيري قال» dropped: overlaps PERS «جون كيري»",
                "x:8: LOC « » dropped: covers no token",
            ]
        );
    }

    #[test]
    fn a_sentence_break_inside_an_entity_moves_to_its_end() {
        let d = doc("x", "زار د. محمد. ثم وزارة الخارجية. الأمريكية. أمس", &[("وزارة الخارجية. الأمريكية", "ORG")]);
        let (sentences, notes) = tagged(&d, &options(Tokenization::Words, false));
        assert_eq!(
            sentences,
            [
                vec!["زار O", "د O", ". O", "محمد O", ". O"],
                // The full stop after the entity stays in its sentence.
                vec!["ثم O", "وزارة B-ORG", "الخارجية I-ORG", ". I-ORG", "الأمريكية E-ORG", ". O"],
                vec!["أمس O"],
            ]
        );
        assert_eq!(notes, ["x:16: sentence break after «.» moved to the end of ORG «وزارة الخارجية. الأمريكية»"]);
    }

    #[test]
    fn tag_tokens_tags_one_sentence_and_schemes_convert() {
        let d = nested();
        let all = sentences(&d.text, &TokenOptions::default());
        let mut notes = Vec::new();
        let tags = tag_tokens(&d, &all[1], &mut notes);
        assert_eq!(tags, [Tag::Outside, Tag::Single("PERS")]);
        assert!(notes.is_empty(), "{notes:?}");
        let tags = tag_tokens(&d, &all[0], &mut notes);
        let iob: Vec<String> = tags.iter().map(|t| t.in_scheme(TagScheme::Iob2).to_string()).collect();
        assert_eq!(iob, ["O", "B-ORG", "I-ORG", "I-ORG", "O", "B-LOC", "O"]);
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(tag_tokens(&d, &[], &mut notes).is_empty());
        // Sentences from `sentences` know no entities, so one may cut an entity: it is fitted.
        let d = doc("x", "ثم وزارة الخارجية. الأمريكية", &[("وزارة الخارجية. الأمريكية", "ORG")]);
        let first = &sentences(&d.text, &TokenOptions::default())[0];
        let mut notes = Vec::new();
        let tags = tag_tokens(&d, first, &mut notes);
        assert_eq!(tags, [Tag::Outside, Tag::Begin("ORG"), Tag::Inside("ORG"), Tag::End("ORG")]);
        assert_eq!(shown(&notes), ["x:3: ORG «وزارة الخارجية. الأمريكية» fitted to the tokens «وزارة الخارجية.»"]);
    }
}
