//! JSONL export: one article per line, spans and tokens in the spaCy/Prodigy shape.
//!
//! `{"id", "text", "spans": [{"start", "end", "label", "text", "token_start", "token_end"}],
//! "tokens": [{"text", "start", "end", "id", "ws"}], "meta": {"annotator", "status"}}`, keys in
//! that order, compact, so an export is reproducible byte for byte. Offsets are Unicode scalar
//! indices (Python `str` indices); `token_end` is inclusive, as Prodigy has it.
//!
//! The tokens are those of [`super::tokens`], additionally cut at every span boundary, so every
//! span covers whole tokens and all spans are kept, nested or overlapping. `ws` says a single
//! space follows the token; any other whitespace (a line break, a second space) is a token of its
//! own, as spaCy makes it. So `Doc(vocab, words, spaces)` built from the tokens has exactly the
//! article's text, and every span is a valid strict `Doc.char_span`. A space is never taken as
//! `ws` where a span starts on it or ends just after it, for the same reason.

use std::ops::Range;
use std::path::Path;

use super::json::{push_number, push_slice, push_str};
use super::tokens::{Pieces, tokenize};
use super::{DocContext, DocumentWriter, ExportError, ExportNote, Output, TokenOptions};
use crate::model::LabelledDocument;

/// A token of the line being written, as ranges of the text so that no token owns a string.
#[derive(Clone, Debug, PartialEq, Eq)]
struct LineToken {
    chars: Range<usize>,
    bytes: Range<usize>,
    /// One space follows the token.
    ws: bool,
}

/// Writes JSONL.
pub(crate) struct JsonlWriter {
    out: Output,
    options: TokenOptions,
    pieces: Pieces,
    usable: Vec<usize>,
    starts: Vec<usize>,
    ends: Vec<usize>,
    cuts: Vec<usize>,
    tokens: Vec<LineToken>,
    buf: Vec<u8>,
}

impl JsonlWriter {
    /// Creates the file at `path`.
    pub(crate) fn create(path: &Path, options: &TokenOptions) -> Result<Self, ExportError> {
        Ok(JsonlWriter {
            out: Output::create(path)?,
            options: *options,
            pieces: Pieces::default(),
            usable: Vec::new(),
            starts: Vec::new(),
            ends: Vec::new(),
            cuts: Vec::new(),
            tokens: Vec::new(),
            buf: Vec::new(),
        })
    }
}

impl DocumentWriter for JsonlWriter {
    fn write(&mut self, doc: &LabelledDocument, notes: &mut Vec<ExportNote>) -> Result<Vec<usize>, ExportError> {
        let ctx = DocContext::new(doc);
        tokenize(&doc.text, &self.options, &mut self.pieces);
        ctx.usable_spans(notes, &mut self.usable);
        self.cut_tokens(doc, ctx.len());
        self.buf.clear();
        write_line(&mut self.buf, doc, &self.usable, &self.tokens).map_err(|e| self.out.encode_error(&doc.id, e))?;
        self.out.write(&self.buf)?;
        Ok(self.usable.clone())
    }

    fn finish(&mut self) -> Result<(), ExportError> {
        self.out.finish()
    }
}

impl JsonlWriter {
    /// Fills `tokens` from `pieces`, cut at the usable spans' boundaries, with the gaps between
    /// them; `len` is the text's length in chars.
    fn cut_tokens(&mut self, doc: &LabelledDocument, len: usize) {
        let spans = &doc.spans;
        let usable = &self.usable;
        sorted_set(&mut self.starts, usable.iter().map(|&i| spans[i].start));
        sorted_set(&mut self.ends, usable.iter().map(|&i| spans[i].end));
        let both = self.starts.iter().chain(&self.ends).copied();
        sorted_set(&mut self.cuts, both);
        self.tokens.clear();
        let mut builder = TokenBuilder {
            text: &doc.text,
            starts: Cursor::new(&self.starts),
            ends: Cursor::new(&self.ends),
            cuts: Cursor::new(&self.cuts),
            tokens: &mut self.tokens,
        };
        let (chars, bytes) = (&self.pieces.chars, &self.pieces.bytes);
        let mut at = (0, 0);
        for (c, b) in chars.iter().zip(bytes) {
            builder.segment(at.0..c.start, at.1..b.start, true);
            builder.segment(c.clone(), b.clone(), false);
            at = (c.end, b.end);
        }
        builder.segment(at.0..len, at.1..doc.text.len(), true);
    }
}

/// Appends the line of `doc`, with the spans `usable` over `tokens`, to `buf`.
///
/// Written by hand rather than through serde, as serde_json wrote it: serialization was most of
/// the export's time, and the keys and their order are fixed.
fn write_line(buf: &mut Vec<u8>, doc: &LabelledDocument, usable: &[usize], tokens: &[LineToken]) -> serde_json::Result<()> {
    let text = doc.text.as_str();
    buf.extend_from_slice(b"{\"id\":");
    push_str(buf, &doc.id);
    buf.extend_from_slice(b",\"text\":");
    push_str(buf, text);
    buf.extend_from_slice(b",\"spans\":[");
    for (n, span) in usable.iter().map(|&i| &doc.spans[i]).enumerate() {
        // Every span boundary is a token boundary, by the cuts.
        let first = tokens.partition_point(|t| t.chars.start < span.start);
        let last = tokens.partition_point(|t| t.chars.end < span.end);
        buf.extend_from_slice(if n == 0 { b"{\"start\":" } else { b",{\"start\":" });
        push_number(buf, span.start);
        buf.extend_from_slice(b",\"end\":");
        push_number(buf, span.end);
        buf.extend_from_slice(b",\"label\":");
        push_str(buf, &span.label);
        buf.extend_from_slice(b",\"text\":");
        push_slice(buf, text, tokens[first].bytes.start..tokens[last].bytes.end);
        buf.extend_from_slice(b",\"token_start\":");
        push_number(buf, first);
        buf.extend_from_slice(b",\"token_end\":");
        push_number(buf, last);
        buf.push(b'}');
    }
    buf.extend_from_slice(b"],\"tokens\":[");
    for (id, token) in tokens.iter().enumerate() {
        buf.extend_from_slice(if id == 0 { b"{\"text\":" } else { b",{\"text\":" });
        push_slice(buf, text, token.bytes.clone());
        buf.extend_from_slice(b",\"start\":");
        push_number(buf, token.chars.start);
        buf.extend_from_slice(b",\"end\":");
        push_number(buf, token.chars.end);
        buf.extend_from_slice(b",\"id\":");
        push_number(buf, id);
        buf.extend_from_slice(if token.ws { b",\"ws\":true}" } else { b",\"ws\":false}" });
    }
    buf.extend_from_slice(b"],\"meta\":{\"annotator\":");
    push_str(buf, &doc.annotator);
    buf.extend_from_slice(b",\"status\":");
    // serde names the status, as in every other file the project writes.
    serde_json::to_writer(&mut *buf, &doc.status)?;
    buf.extend_from_slice(b"}}\n");
    Ok(())
}

/// Fills `out` with `values`, sorted, without repeats.
fn sorted_set(out: &mut Vec<usize>, values: impl Iterator<Item = usize>) {
    out.clear();
    out.extend(values);
    out.sort_unstable();
    out.dedup();
}

/// A walk through sorted char offsets, asked about offsets that only grow, so each question is
/// answered without a search.
struct Cursor<'c> {
    values: &'c [usize],
    next: usize,
}

impl<'c> Cursor<'c> {
    /// Starts before the first of `values` (sorted).
    fn new(values: &'c [usize]) -> Self {
        Cursor { values, next: 0 }
    }

    /// The first value after `at`, having passed every value up to `at`.
    fn after(&mut self, at: usize) -> Option<usize> {
        while self.values.get(self.next).is_some_and(|&v| v <= at) {
            self.next += 1;
        }
        self.values.get(self.next).copied()
    }

    /// True when `at` is one of the values.
    fn contains(&mut self, at: usize) -> bool {
        while self.values.get(self.next).is_some_and(|&v| v < at) {
            self.next += 1;
        }
        self.values.get(self.next) == Some(&at)
    }
}

/// Builds the token list from the text cut into segments (tokens and the gaps between them),
/// which come in text order.
struct TokenBuilder<'t, 'c> {
    text: &'t str,
    /// Span starts and ends: where a space may not be taken as `ws`.
    starts: Cursor<'c>,
    ends: Cursor<'c>,
    /// All span boundaries.
    cuts: Cursor<'c>,
    tokens: &'c mut Vec<LineToken>,
}

impl TokenBuilder<'_, '_> {
    /// Adds the segment `chars` (`bytes`), cut at every span boundary inside it; `gap` is true
    /// for the whitespace between tokens.
    fn segment(&mut self, chars: Range<usize>, bytes: Range<usize>, gap: bool) {
        if chars.is_empty() {
            return;
        }
        let mut from = (chars.start, bytes.start);
        let mut cut = self.cuts.after(chars.start);
        if cut.is_some_and(|c| c < chars.end) {
            let inside = self.text[bytes.clone()].char_indices().enumerate().skip(1);
            for (i, (b, _)) in inside {
                let at = (chars.start + i, bytes.start + b);
                if cut == Some(at.0) {
                    self.piece(from.0..at.0, from.1..at.1, gap);
                    from = at;
                    cut = self.cuts.after(at.0);
                }
            }
        }
        self.piece(from.0..chars.end, from.1..bytes.end, gap);
    }

    /// Adds one piece: a space right after a token becomes that token's `ws`, the rest a token.
    fn piece(&mut self, mut chars: Range<usize>, mut bytes: Range<usize>, gap: bool) {
        let at = chars.start;
        let space_after_token = gap
            && self.text.as_bytes().get(bytes.start) == Some(&b' ')
            && self.tokens.last().is_some_and(|t| !t.ws)
            && !self.starts.contains(at)
            && !self.ends.contains(at + 1);
        if space_after_token {
            if let Some(last) = self.tokens.last_mut() {
                last.ws = true;
            }
            chars.start += 1;
            bytes.start += 1;
            if chars.is_empty() {
                return;
            }
        }
        self.tokens.push(LineToken { chars, bytes, ws: false });
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_docs::{doc, empty, export, glued, nested};
    use super::super::{ExportFormat, Tokenization};
    use super::*;
    use crate::formats::jsonl::parse;
    use crate::model::Span;
    use serde_json::Value;

    #[test]
    fn output_is_exact() {
        let d = doc("x", "زار كيري وروسيا", &[("كيري", "PERS"), ("روسيا", "LOC")]);
        let (text, notes) = export(ExportFormat::Jsonl, &[d, empty()], &TokenOptions::default());
        let want = concat!(
            r#"{"id":"x","text":"زار كيري وروسيا","spans":["#,
            r#"{"start":4,"end":8,"label":"PERS","text":"كيري","token_start":1,"token_end":1},"#,
            r#"{"start":10,"end":15,"label":"LOC","text":"روسيا","token_start":3,"token_end":3}],"#,
            r#""tokens":[{"text":"زار","start":0,"end":3,"id":0,"ws":true},"#,
            r#"{"text":"كيري","start":4,"end":8,"id":1,"ws":true},"#,
            r#"{"text":"و","start":9,"end":10,"id":2,"ws":false},"#,
            r#"{"text":"روسيا","start":10,"end":15,"id":3,"ws":false}],"#,
            r#""meta":{"annotator":"gold","status":"Reviewed"}}"#,
            "\n",
            r#"{"id":"corpus/empty.txt","text":"","spans":[],"tokens":[],"meta":{"annotator":"gold","status":"Reviewed"}}"#,
            "\n",
        );
        assert_eq!(text, want);
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn a_document_with_quotes_and_control_characters_is_valid_json() {
        let mut d = doc("q\"\\\u{1}.txt", "قال \"كيري\"\tأمس\r\nفي \\ موسكو", &[("\"كيري\"", "PERS"), ("موسكو", "LOC")]);
        d.annotator = "a\"b".to_owned();
        let (text, _) = export(ExportFormat::Jsonl, &[d.clone()], &TokenOptions::default());
        let line: Value = serde_json::from_str(text.trim_end()).expect("json");
        assert_eq!(line["id"], d.id.as_str());
        assert_eq!(line["text"], d.text.as_str());
        assert_eq!(line["spans"][0]["text"], "\"كيري\"");
        assert_eq!(line["meta"]["annotator"], "a\"b");
        check_spacy_shape(&line);
        // Each string is written as serde_json writes it.
        let json = |s: &str| serde_json::to_string(s).expect("serializes");
        let id = format!("{{\"id\":{},\"text\":{},", json(&d.id), json(&d.text));
        assert!(text.starts_with(&id), "{text}");
        let meta = format!(",\"meta\":{{\"annotator\":{},", json(&d.annotator));
        assert!(text.contains(&meta), "{text}");
    }

    /// Checks what spaCy needs: words and spaces give back the text, and every span starts and
    /// ends on token boundaries at the tokens it names.
    fn check_spacy_shape(line: &Value) {
        let text = line["text"].as_str().expect("text");
        let mut rebuilt = String::new();
        let mut at = 0;
        let tokens = line["tokens"].as_array().expect("tokens");
        for (i, token) in tokens.iter().enumerate() {
            let t = token["text"].as_str().expect("token text");
            assert_eq!(token["id"], i);
            assert_eq!(token["start"], at, "token {i} of {text:?}");
            at += t.chars().count();
            assert_eq!(token["end"], at);
            rebuilt.push_str(t);
            if token["ws"] == true {
                rebuilt.push(' ');
                at += 1;
            }
        }
        assert_eq!(rebuilt, text);
        for span in line["spans"].as_array().expect("spans") {
            let first = &tokens[span["token_start"].as_u64().expect("start") as usize];
            let last = &tokens[span["token_end"].as_u64().expect("end") as usize];
            assert_eq!(first["start"], span["start"]);
            assert_eq!(last["end"], span["end"]);
        }
    }

    #[test]
    fn every_span_is_kept_and_covers_whole_tokens() {
        let mut awkward = doc("w", " أ  ب\n\nج د", &[("ب", "LOC")]);
        // A span starting on a space, and one ending just after a space.
        awkward.spans.push(Span::manual(2, 2..5, "LOC", "  ب"));
        awkward.spans.push(Span::manual(3, 1..3, "LOC", "أ "));
        for options in [TokenOptions::default(), TokenOptions { tokenize: Tokenization::Whitespace, split_clitics: true, ..TokenOptions::default() }] {
            let docs = [glued(), nested(), awkward.clone()];
            let (text, notes) = export(ExportFormat::Jsonl, &docs, &options);
            assert!(notes.is_empty(), "{notes:?}");
            let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).expect("json")).collect();
            assert_eq!(lines.len(), 3);
            lines.iter().for_each(check_spacy_shape);
            // The reader gets back the same text and spans, nested ones too.
            let loaded = parse(&text, Path::new("x.jsonl"));
            assert!(loaded.skipped.is_empty(), "{:?}", loaded.skipped);
            for (read, written) in loaded.documents.iter().zip(&docs) {
                assert_eq!(read.id.as_deref(), Some(written.id.as_str()));
                assert_eq!(read.text.as_deref(), Some(written.text.as_str()));
                let mut want: Vec<_> = written.spans.iter().map(|s| (s.start, s.end, s.label.clone(), Some(s.text.clone()))).collect();
                want.sort();
                let mut got: Vec<_> = read.spans.iter().map(|s| (s.start, s.end, s.label.clone(), s.text.clone())).collect();
                got.sort();
                assert_eq!(got, want);
            }
        }
        // Glued words are cut at the span boundaries: دمشق|و|موسكو.
        let (text, _) = export(ExportFormat::Jsonl, &[glued()], &TokenOptions::default());
        let line: Value = serde_json::from_str(text.trim_end()).expect("json");
        let words: Vec<&str> = line["tokens"].as_array().expect("tokens").iter().filter_map(|t| t["text"].as_str()).collect();
        assert_eq!(words[3..7], ["دمشق", "و", "موسكو", "و"]);
        // The whitespace of the awkward document: tokens for what is not one space after a token.
        let (text, _) = export(ExportFormat::Jsonl, &[awkward], &TokenOptions::default());
        let line: Value = serde_json::from_str(text.trim_end()).expect("json");
        let tokens: Vec<(String, bool)> =
            line["tokens"].as_array().expect("tokens").iter().map(|t| (t["text"].as_str().unwrap_or("").to_owned(), t["ws"] == true)).collect();
        // The second space is not a token boundary for any span, so it is the first one's `ws`.
        let want = [(" ", false), ("أ", false), (" ", true), ("ب", false), ("\n\n", false), ("ج", true), ("د", false)];
        let want: Vec<(String, bool)> = want.iter().map(|(t, w)| ((*t).to_owned(), *w)).collect();
        assert_eq!(tokens, want);
    }
}
