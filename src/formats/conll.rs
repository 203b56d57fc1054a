//! Token-level CoNLL files (ANERcorp, CoNLL-2003, conlleval output): documents, sentences,
//! entities.
//!
//! One token per line, its label in the last column, so `token LABEL`, `token POS CHUNK LABEL`
//! and conlleval's `token GOLD PRED` (whose last column is the prediction) all read; columns are
//! separated by spaces or tabs. Blank lines end sentences and `-DOCSTART-` lines end documents (a
//! column after `-DOCSTART-` other than `-X-` or `O` is taken as the document's id). Tags may be
//! IOB1, IOB2, BIOES or BILOU: `B-X` always opens an entity, `I-X` continues an open `X` and
//! otherwise opens one (as conlleval does), `E-X`/`L-X` likewise and then close it, `S-X`/`U-X`
//! are one-token entities.
//!
//! A CoNLL document has no text of its own; [`ConllDocument::align`] finds its tokens in an
//! article's text to give its entities char offsets.

use std::ops::Range;
use std::path::Path;

use super::{ExternalDocument, ExternalSpan, FormatError, Location, read_text};
use crate::arabic::{NormalizeOptions, Normalized, normalize};
/// A line of a CoNLL file that could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("CoNLL line {line}: {message}")]
pub struct ConllError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

/// A CoNLL sentence is a labelled sentence of the model.
pub use crate::model::LabelledSentence as ConllSentence;
pub use crate::model::tokens_overlapping;

/// One document of a CoNLL file: the sentences between two `-DOCSTART-` lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConllDocument {
    /// The id given on its `-DOCSTART-` line, if any.
    pub id: Option<String>,
    /// 1-based line where it starts: its `-DOCSTART-` line, or 1.
    pub line: usize,
    /// Its sentences, in order.
    pub sentences: Vec<ConllSentence>,
    /// 1-based line of each token, through all sentences in order.
    pub token_lines: Vec<usize>,
}

impl ConllDocument {
    /// All tokens, through all sentences in order.
    pub fn tokens(&self) -> impl Iterator<Item = &str> {
        self.sentences.iter().flat_map(|s| s.tokens.iter().map(String::as_str))
    }

    /// Entities as (token range over all tokens, label), in order.
    pub fn entities(&self) -> impl Iterator<Item = (Range<usize>, &str)> {
        let mut base = 0;
        self.sentences.iter().flat_map(move |s| {
            let at = base;
            base += s.tokens.len();
            s.entities.iter().map(move |(r, label)| (at + r.start..at + r.end, label.as_str()))
        })
    }

    /// The document with char offsets in `text`, found by locating each token in turn.
    ///
    /// Each token is looked for right after the previous one, past any whitespace; tokenizers
    /// split `وروسيا` into `و` `روسيا`, so no space is required between tokens. A token that is
    /// not there exactly is compared after [`NormalizeOptions::MATCHING`] normalization (a
    /// tokenizer may have dropped hamzas or harakat: `الاسد` aligns to `الأسد`). The error names
    /// the first token that is not found; `path` names the CoNLL file in it.
    pub fn align(&self, text: &str, path: &Path) -> Result<ExternalDocument, FormatError> {
        let chars: Vec<char> = text.chars().collect();
        // Only built when a token does not match exactly.
        let mut normalized: Option<(Normalized, Vec<char>)> = None;
        let mut ranges: Vec<Range<usize>> = Vec::with_capacity(self.token_lines.len());
        let mut at = 0;
        for (token, &line) in self.tokens().zip(&self.token_lines) {
            while chars.get(at).is_some_and(|c| c.is_whitespace()) {
                at += 1;
            }
            let len = token.chars().count();
            let range = if chars.get(at..at + len).is_some_and(|there| token.chars().eq(there.iter().copied())) {
                Some(at..at + len)
            } else {
                let (norm, norm_chars) = normalized.get_or_insert_with(|| {
                    let n = normalize(text, &NormalizeOptions::MATCHING);
                    let c = n.text.chars().collect();
                    (n, c)
                });
                let wanted: Vec<char> = normalize(token, &NormalizeOptions::MATCHING).text.chars().collect();
                let from = norm.from_original(at);
                (!wanted.is_empty() && norm_chars.get(from..from + wanted.len()) == Some(wanted.as_slice()))
                    .then(|| norm.to_original(from..from + wanted.len()))
            };
            let Some(range) = range else {
                let found: String = chars.iter().skip(at).take(len.max(12)).collect();
                return Err(FormatError::Invalid {
                    at: Location::new(path, line),
                    message: format!("token {token:?} not found in the article at char {at} (the text there is {found:?})"),
                });
            };
            at = range.end;
            ranges.push(range);
        }
        let spans = self
            .entities()
            .map(|(tokens, label)| ExternalSpan {
                start: ranges[tokens.start].start,
                end: ranges[tokens.end - 1].end,
                label: label.to_owned(),
                score: None,
                text: None,
                line: self.token_lines[tokens.start],
            })
            .collect();
        Ok(ExternalDocument { id: self.id.clone(), text: None, spans, origin: Location::new(path, self.line), status: None })
    }
}

/// Reads a CoNLL file into documents; a line that is not `token … LABEL` is an error, since
/// leaving out a token would shift every entity after it.
pub fn read(path: &Path) -> Result<Vec<ConllDocument>, FormatError> {
    parse_documents(&read_text(path)?).map_err(|e| FormatError::Invalid { at: Location::new(path, e.line), message: e.message })
}

/// Parses a whole CoNLL text into sentences, across documents; errors name the 1-based line.
pub fn parse_conll(text: &str) -> Result<Vec<ConllSentence>, ConllError> {
    Ok(parse_documents(text)?.into_iter().flat_map(|d| d.sentences).collect())
}

/// Parses a whole CoNLL text into documents (empty ones left out); errors name the 1-based line.
pub fn parse_documents(text: &str) -> Result<Vec<ConllDocument>, ConllError> {
    let mut documents = Vec::new();
    let mut doc = ConllDocument { line: 1, ..ConllDocument::default() };
    let mut current = ConllSentence::default();
    // The open entity: start token and label.
    let mut open: Option<(usize, String)> = None;
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let trimmed = raw.trim();
        let columns: Vec<&str> = trimmed.split([' ', '\t']).filter(|c| !c.is_empty()).collect();
        let docstart = columns.first() == Some(&"-DOCSTART-");
        if columns.is_empty() || docstart {
            end_sentence(&mut doc, &mut current, &mut open);
            if docstart {
                let next =
                    ConllDocument { id: columns[1..].iter().find(|c| !matches!(**c, "-X-" | "O")).map(|c| (*c).to_owned()), line, ..ConllDocument::default() };
                let done = std::mem::replace(&mut doc, next);
                if !done.sentences.is_empty() {
                    documents.push(done);
                }
            }
            continue;
        }
        if columns.len() < 2 {
            return Err(ConllError { line, message: format!("expected `token LABEL`, found {trimmed:?}") });
        }
        let token = columns[0];
        let tag = columns[columns.len() - 1];
        let position = current.tokens.len();
        let mut single = false;
        if tag == "O" {
            close(&mut current, &mut open);
        } else {
            let (prefix, label) = tag
                .split_once('-')
                .filter(|(p, l)| matches!(*p, "B" | "I" | "E" | "L" | "S" | "U") && !l.is_empty())
                .ok_or_else(|| ConllError { line, message: format!("bad label {tag:?} (expected O, or B-, I-, E-, S-, L- or U- and a label)") })?;
            let continues = matches!(prefix, "I" | "E" | "L") && open.as_ref().is_some_and(|(_, l)| l == label);
            if !continues {
                close(&mut current, &mut open);
                open = Some((position, label.to_string()));
            }
            single = matches!(prefix, "E" | "L" | "S" | "U");
        }
        current.tokens.push(token.to_string());
        doc.token_lines.push(line);
        if single {
            close(&mut current, &mut open);
        }
    }
    end_sentence(&mut doc, &mut current, &mut open);
    if !doc.sentences.is_empty() {
        documents.push(doc);
    }
    Ok(documents)
}

/// Closes the open entity and moves a non-empty sentence into `doc`.
fn end_sentence(doc: &mut ConllDocument, current: &mut ConllSentence, open: &mut Option<(usize, String)>) {
    close(current, open);
    if !current.tokens.is_empty() {
        doc.sentences.push(std::mem::take(current));
    }
}

/// Ends the open entity (if any) after the sentence's last token so far.
fn close(sentence: &mut ConllSentence, open: &mut Option<(usize, String)>) {
    if let Some((start, label)) = open.take() {
        sentence.entities.push((start..sentence.tokens.len(), label));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_iob2_and_iob1() {
        let text = "في O\nمجلس B-ORG\nالأمن I-ORG\nو O\nكيري I-PERS\n\nالقاهرة\tB-LOC\nدمشق B-LOC\n";
        let sentences = parse_conll(text).expect("valid");
        assert_eq!(sentences.len(), 2);
        assert_eq!(sentences[0].entities, vec![(1..3, "ORG".to_string()), (4..5, "PERS".to_string())]);
        assert_eq!(sentences[1].entities, vec![(0..1, "LOC".to_string()), (1..2, "LOC".to_string())]);
        let (joined, ranges) = sentences[0].text();
        assert_eq!(joined, "في مجلس الأمن و كيري");
        assert_eq!(ranges[1], 3..7);
    }

    #[test]
    fn errors_name_the_line() {
        let err = parse_conll("في O\nمجلس\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.to_string().starts_with("CoNLL line 2:"), "{err}");
        let err = parse_conll("في O\n\nمجلس X-ORG\n").unwrap_err();
        assert_eq!(err.line, 3);
        let err = read(Path::new("/nonexistent/p.conll")).unwrap_err();
        assert!(matches!(err, FormatError::Io { .. }), "{err}");
    }

    #[test]
    fn docstart_splits_documents_and_may_carry_an_id() {
        let text = "-DOCSTART- -X- -X- O\n\nكيري B-PERS\n\nزار O\n-DOCSTART- london-talks\nموسكو B-LOC\n";
        let docs = parse_documents(text).expect("valid");
        assert_eq!(docs.len(), 2);
        assert_eq!((docs[0].id.as_deref(), docs[0].line), (None, 1));
        assert_eq!(docs[0].sentences.len(), 2);
        assert_eq!(docs[0].token_lines, vec![3, 5]);
        assert_eq!((docs[1].id.as_deref(), docs[1].line), (Some("london-talks"), 6));
        assert_eq!(docs[1].entities().collect::<Vec<_>>(), vec![(0..1, "LOC")]);
        // The flat reader sees the same three sentences.
        assert_eq!(parse_conll(text).expect("valid").len(), 3);
    }

    #[test]
    fn the_last_column_is_the_label_so_conlleval_output_reads_its_predictions() {
        // token GOLD PRED: the gold says PERS, the prediction says LOC.
        let docs = parse_documents("كيري B-PERS B-LOC\nقال O O\nجون\tNNP\tB-NP\tB-PERS\n").expect("valid");
        let entities: Vec<_> = docs[0].entities().collect();
        assert_eq!(entities, vec![(0..1, "LOC"), (2..3, "PERS")]);
    }

    #[test]
    fn bioes_and_bilou_read_like_iob() {
        let text = "جون B-PERS\nكيري E-PERS\nموسكو S-LOC\nدمشق S-LOC\nمجلس B-ORG\nالأمن L-ORG\nحلب U-LOC\nكيري E-PERS\n";
        let entities: Vec<_> = parse_documents(text).expect("valid")[0].entities().map(|(r, l)| (r, l.to_owned())).collect();
        let want: Vec<(Range<usize>, String)> =
            [(0..2, "PERS"), (2..3, "LOC"), (3..4, "LOC"), (4..6, "ORG"), (6..7, "LOC"), (7..8, "PERS")].into_iter().map(|(r, l)| (r, l.to_owned())).collect();
        assert_eq!(entities, want);
    }

    #[test]
    fn tokens_align_to_the_article_exactly_or_after_normalization() {
        let article = "قال  جون كيري إن وروسيا\nو الأسد، في دمشق.";
        // Tokenized with the proclitic split off and the hamza dropped from الأسد.
        let conll = "قال O\nجون B-PERS\nكيري I-PERS\nإن O\nو O\nروسيا B-LOC\n\nو O\nالاسد B-PERS\n، O\nفي O\nدمشق B-LOC\n. O\n";
        let doc = &parse_documents(conll).expect("valid")[0];
        let aligned = doc.align(article, Path::new("p.conll")).expect("aligns");
        let chars: Vec<char> = article.chars().collect();
        let found: Vec<(String, &str, usize)> = aligned.spans.iter().map(|s| (chars[s.start..s.end].iter().collect(), s.label.as_str(), s.line)).collect();
        assert_eq!(
            found,
            vec![("جون كيري".to_owned(), "PERS", 2), ("روسيا".to_owned(), "LOC", 6), ("الأسد".to_owned(), "PERS", 9), ("دمشق".to_owned(), "LOC", 12),]
        );
        assert_eq!(aligned.origin, Location::new(Path::new("p.conll"), 1));
    }

    #[test]
    fn a_token_missing_from_the_article_is_named_with_its_line() {
        let doc = &parse_documents("قال O\nكيري B-PERS\n").expect("valid")[0];
        let err = doc.align("قال لافروف", Path::new("p.conll")).unwrap_err();
        assert_eq!(err.to_string(), "p.conll:2: token \"كيري\" not found in the article at char 4 (the text there is \"لافروف\")");
        // Running out of text is the same error, not a panic.
        assert!(doc.align("قال", Path::new("p.conll")).is_err());
    }

    #[test]
    fn overlap_maps_stems_to_their_token() {
        let ranges = [0..6, 7..10];
        assert_eq!(tokens_overlapping(&ranges, &(1..6)), Some(0..1));
        assert_eq!(tokens_overlapping(&ranges, &(1..10)), Some(0..2));
        assert_eq!(tokens_overlapping(&ranges, &(6..7)), None);
    }
}
