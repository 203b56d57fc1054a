//! Hugging Face token classification export: JSONL, one sentence per line.
//!
//! `{"id": "<doc id>#<n>", "document": "<doc id>", "tokens": [...], "ner_tags": [...]}`, with
//! `n` the sentence's 0-based number in its document and IOB2 tags numbered as [`tag_names`]
//! lists them (`O` is 0, then `B-` and `I-` of each label in schema order), the layout of
//! `datasets` token-classification sets such as CoNLL-2003. [`write_label_file`] writes the names
//! for `ClassLabel(names=…)`. A span whose label is not among the export's labels is written as
//! `O` (noted). A document without tokens writes nothing.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use super::tokens::{Tag, TagScheme, Tagger};
use super::{DocumentWriter, ExportError, ExportNote, Output, TokenOptions};
use crate::model::LabelledDocument;

/// The tag names in number order: `O`, then `B-X`, `I-X` for each label `X` in order.
pub fn tag_names(labels: &[String]) -> Vec<String> {
    std::iter::once("O".to_owned()).chain(labels.iter().flat_map(|l| [format!("B-{l}"), format!("I-{l}")])).collect()
}

/// Writes [`tag_names`] of `labels` to `path` as a JSON array.
pub fn write_label_file(path: &Path, labels: &[String]) -> Result<(), ExportError> {
    let mut out = Output::create(path)?;
    let mut json = serde_json::to_vec(&tag_names(labels)).map_err(|e| out.encode_error("(tag names)", e))?;
    json.push(b'\n');
    out.write(&json)?;
    out.finish()
}

/// One line of the file.
#[derive(Serialize)]
struct Line<'a> {
    id: String,
    document: &'a str,
    tokens: Vec<&'a str>,
    ner_tags: Vec<usize>,
}

/// Writes Hugging Face JSONL.
pub(crate) struct HfWriter {
    out: Output,
    tagger: Tagger,
    /// Position of each label in the schema.
    numbers: HashMap<String, usize>,
    buf: Vec<u8>,
}

impl HfWriter {
    /// Creates the file at `path`, numbering tags by `labels`.
    pub(crate) fn create(path: &Path, labels: &[String], options: &TokenOptions) -> Result<Self, ExportError> {
        let mut numbers = HashMap::new();
        for (i, label) in labels.iter().enumerate() {
            numbers.entry(label.clone()).or_insert(i);
        }
        Ok(HfWriter { out: Output::create(path)?, tagger: Tagger::new(options, Some(labels)), numbers, buf: Vec::new() })
    }
}

/// The number of `tag` in [`tag_names`] order, given each label's position in the schema.
fn number(tag: Tag<'_>, numbers: &HashMap<String, usize>) -> usize {
    let position = |label: &str| numbers.get(label).copied();
    match tag.in_scheme(TagScheme::Iob2) {
        Tag::Begin(label) => position(label).map_or(0, |p| 1 + 2 * p),
        Tag::Inside(label) => position(label).map_or(0, |p| 2 + 2 * p),
        // The tagger was given the labels, so every other label is already O.
        _ => 0,
    }
}

impl DocumentWriter for HfWriter {
    fn write(&mut self, doc: &LabelledDocument, notes: &mut Vec<ExportNote>) -> Result<Vec<usize>, ExportError> {
        let HfWriter { out, tagger, numbers, buf } = self;
        let tagged = tagger.tag(doc, notes);
        let written = if tagged.is_empty() { Vec::new() } else { tagged.entity_spans().collect() };
        buf.clear();
        for (n, sentence) in tagged.sentences().enumerate() {
            let (tokens, ner_tags) = tagged.tagged(sentence).map(|(token, tag)| (token, number(tag, numbers))).unzip();
            let line = Line { id: format!("{}#{n}", doc.id), document: &doc.id, tokens, ner_tags };
            serde_json::to_writer(&mut *buf, &line).map_err(|e| out.encode_error(&doc.id, e))?;
            buf.push(b'\n');
        }
        out.write(buf)?;
        Ok(written)
    }

    fn finish(&mut self) -> Result<(), ExportError> {
        self.out.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::super::ExportFormat;
    use super::super::test_docs::{doc, empty, export, glued, labels, nested};
    use super::*;
    use serde_json::Value;

    #[test]
    fn tag_names_follow_the_labels() {
        assert_eq!(tag_names(&labels()), ["O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]);
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("labels.json");
        write_label_file(&path, &labels()[..2]).expect("writes");
        assert_eq!(std::fs::read_to_string(&path).expect("reads"), "[\"O\",\"B-PERS\",\"I-PERS\",\"B-LOC\",\"I-LOC\"]\n");
    }

    #[test]
    fn output_is_exact_one_sentence_per_line() {
        let (text, notes) = export(ExportFormat::Hf, &[nested(), empty()], &TokenOptions::default());
        let want = concat!(
            r#"{"id":"corpus/sub/b.txt#0","document":"corpus/sub/b.txt","#,
            r#""tokens":["اجتمع","مجلس","الأمن","الدولي","في","نيويورك","."],"ner_tags":[0,5,6,6,0,3,0]}"#,
            "\n",
            r#"{"id":"corpus/sub/b.txt#1","document":"corpus/sub/b.txt","tokens":["وصرح","كيري"],"ner_tags":[0,1]}"#,
            "\n",
        );
        assert_eq!(text, want);
        assert_eq!(notes.len(), 2, "{notes:?}");
    }

    #[test]
    fn labels_outside_the_schema_become_o_and_are_noted() {
        let d = doc("g", "زار كيري موسكو", &[("كيري", "PERS"), ("موسكو", "GPE")]);
        let (text, notes) = export(ExportFormat::Hf, &[d], &TokenOptions::default());
        let line: Value = serde_json::from_str(text.trim_end()).expect("json");
        assert_eq!(line["ner_tags"], serde_json::json!([0, 1, 0]));
        assert_eq!(notes, ["g:9: GPE «موسكو» written as O: GPE is not among the export's labels (PERS, LOC, ORG, MISC)"]);
        // The same notes as CoNLL for what both must change.
        let (_, conll_notes) = export(ExportFormat::Conll, &[glued()], &TokenOptions::default());
        let (_, hf_notes) = export(ExportFormat::Hf, &[glued()], &TokenOptions::default());
        assert_eq!(hf_notes, conll_notes);
    }
}
