//! CoNLL export: `token TAG` lines in IOB2 or BIOES, a blank line after each sentence, each
//! document opened by `-DOCSTART- <id>` and a blank line.
//!
//! The id after `-DOCSTART-` is what [`crate::formats::conll`] reads back as the document's id;
//! since columns are separated by whitespace, whitespace in an id is written as `_` (noted).
//! Tokens never hold whitespace (see [`super::tokens`]). A document without tokens writes nothing.

use std::path::Path;

use super::tokens::{TagScheme, Tagger};
use super::{DocumentWriter, ExportError, ExportNote, Output, TokenOptions};
use crate::model::LabelledDocument;

/// Writes CoNLL in one tag scheme.
pub(crate) struct ConllWriter {
    out: Output,
    scheme: TagScheme,
    tagger: Tagger,
    buf: Vec<u8>,
}

impl ConllWriter {
    /// Creates the file at `path`.
    pub(crate) fn create(path: &Path, options: &TokenOptions, scheme: TagScheme) -> Result<Self, ExportError> {
        Ok(ConllWriter { out: Output::create(path)?, scheme, tagger: Tagger::new(options, None), buf: Vec::new() })
    }
}

impl DocumentWriter for ConllWriter {
    fn write(&mut self, doc: &LabelledDocument, notes: &mut Vec<ExportNote>) -> Result<Vec<usize>, ExportError> {
        let first_note = notes.len();
        let tagged = self.tagger.tag(doc, notes);
        if tagged.is_empty() {
            return Ok(Vec::new());
        }
        let written = tagged.entity_spans().collect();
        let buf = &mut self.buf;
        buf.clear();
        buf.extend_from_slice(b"-DOCSTART- ");
        if doc.id.contains(char::is_whitespace) {
            let id = doc.id.replace(char::is_whitespace, "_");
            buf.extend_from_slice(id.as_bytes());
            let message = format!("document id has whitespace; its -DOCSTART- line names it «{id}»");
            // Offset 0: before the document's other notes.
            let note = ExportNote { document: doc.id.clone(), offset: 0, message };
            notes.insert(first_note, note);
        } else {
            buf.extend_from_slice(doc.id.as_bytes());
        }
        buf.extend_from_slice(b"\n\n");
        for sentence in tagged.sentences() {
            for (token, tag) in tagged.tagged(sentence) {
                let tag = tag.in_scheme(self.scheme);
                buf.extend_from_slice(token.as_bytes());
                buf.push(b' ');
                buf.extend_from_slice(tag.prefix().as_bytes());
                buf.extend_from_slice(tag.label().unwrap_or("").as_bytes());
                buf.push(b'\n');
            }
            buf.push(b'\n');
        }
        self.out.write(&self.buf)?;
        Ok(written)
    }

    fn finish(&mut self) -> Result<(), ExportError> {
        self.out.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::super::ExportFormat;
    use super::super::test_docs::{doc, empty, export, glued, nested};
    use super::*;
    use crate::formats::conll::parse_documents;

    #[test]
    fn iob2_output_is_exact() {
        let docs = [glued(), empty(), nested()];
        let (text, notes) = export(ExportFormat::Conll, &docs, &TokenOptions::default());
        let want = "\
-DOCSTART- corpus/a.txt

فرضت O
عقوبات O
على O
دمشقوموسكو B-LOC
وروسيا B-LOC
. O

قال O
CNN B-ORG
إن O
القرار O
2254 B-MISC
نافذ O
. O

-DOCSTART- corpus/sub/b.txt

اجتمع O
مجلس B-ORG
الأمن I-ORG
الدولي I-ORG
في O
نيويورك B-LOC
. O

وصرح O
كيري B-PERS

";
        assert_eq!(text, want);
        assert_eq!(
            notes,
            [
                "corpus/a.txt:16: LOC «دمشق» widened to the token «دمشقوموسكو»",
                "corpus/a.txt:21: LOC «موسكو» dropped: shares the token «دمشقوموسكو» with LOC «دمشق»",
                "corpus/a.txt:28: LOC «روسيا» widened to the token «وروسيا»",
                "corpus/sub/b.txt:6: ORG «مجلس الأمن» dropped: inside ORG «مجلس الأمن الدولي»",
                "corpus/sub/b.txt:27: LOC «نيويور» widened to the token «نيويورك»",
            ]
        );
    }

    #[test]
    fn bioes_tags_begin_inside_end_and_single() {
        let d = doc("b", "قال رئيس مجلس الأمن الدولي كيري", &[("رئيس مجلس", "MISC"), ("مجلس الأمن الدولي", "ORG"), ("كيري", "PERS")]);
        let (text, notes) = export(ExportFormat::Bioes, &[d], &TokenOptions::default());
        assert_eq!(text, "-DOCSTART- b\n\nقال O\nرئيس O\nمجلس B-ORG\nالأمن I-ORG\nالدولي E-ORG\nكيري S-PERS\n\n");
        assert_eq!(notes, ["b:4: MISC «رئيس مجلس» dropped: overlaps ORG «مجلس الأمن الدولي»"]);
    }

    #[test]
    fn the_reader_gets_back_ids_tokens_and_entities() {
        let options = TokenOptions { split_clitics: true, ..TokenOptions::default() };
        for format in [ExportFormat::Conll, ExportFormat::Bioes] {
            let (text, _) = export(format, &[glued(), nested()], &options);
            let docs = parse_documents(&text).expect("reads");
            let ids: Vec<_> = docs.iter().map(|d| d.id.as_deref()).collect();
            assert_eq!(ids, [Some("corpus/a.txt"), Some("corpus/sub/b.txt")]);
            let tokens: Vec<&str> = docs[0].tokens().collect();
            assert_eq!(tokens[3..6], ["دمشقوموسكو", "و", "روسيا"]);
            let entities: Vec<(String, &str)> = docs[0].entities().map(|(r, l)| (tokens[r].join(" "), l)).collect();
            assert_eq!(entities, [("دمشقوموسكو".to_owned(), "LOC"), ("روسيا".to_owned(), "LOC"), ("CNN".to_owned(), "ORG"), ("2254".to_owned(), "MISC"),]);
            let entities: Vec<_> = docs[1].entities().collect();
            assert_eq!(entities, [(1..4, "ORG"), (5..6, "LOC"), (8..9, "PERS")], "{format}");
            // Aligning to the article gives the spans back in char offsets.
            let aligned = docs[1].align(&nested().text, Path::new("x.conll")).expect("aligns");
            let ranges: Vec<_> = aligned.spans.iter().map(|s| s.start..s.end).collect();
            assert_eq!(ranges, [6..23, 27..34, 41..45]);
        }
    }

    #[test]
    fn whitespace_in_an_id_is_replaced_and_noted() {
        let d = doc("corpus/my file.txt", "كيري", &[("كيري", "PERS")]);
        let (text, notes) = export(ExportFormat::Conll, &[d], &TokenOptions::default());
        assert_eq!(text, "-DOCSTART- corpus/my_file.txt\n\nكيري B-PERS\n\n");
        assert_eq!(notes, ["corpus/my file.txt:0: document id has whitespace; its -DOCSTART- line names it «corpus/my_file.txt»"]);
        assert_eq!(parse_documents(&text).expect("reads")[0].id.as_deref(), Some("corpus/my_file.txt"));
    }
}
