//! JSON Lines: one document per line, as spaCy, Prodigy and doccano write them.
//!
//! A line is an object with an `id` (string or number) and/or a `text`, and its entities under
//! `spans`, `entities` or `label`, each either an object `{"start", "end", "label", "score"?,
//! "text"?}` (spaCy, Prodigy; doccano's `start_offset`/`end_offset` too) or an array
//! `[start, end, "LABEL"]` (doccano). Older doccano exports call the text `data`. Offsets count
//! Unicode scalars, as Python `str` indices do, never bytes.
//!
//! Reading is lenient: a line that is not such an object, or a span that is not readable, is
//! recorded in [`Loaded::skipped`] with its line, and the rest is kept; [`Loaded::strict`] turns
//! the first of them into an error for callers that want all or nothing.

use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::model::DocStatus;

use super::{ExternalDocument, ExternalSpan, FormatError, Loaded, Location, SkipReason, Skipped, read_text};

/// Keys that may hold the entity list, in the order they are looked at.
const SPAN_KEYS: [&str; 3] = ["spans", "entities", "label"];

/// Reads a JSONL file.
pub fn read(path: &Path) -> Result<Loaded, FormatError> {
    Ok(parse(&read_text(path)?, path))
}

/// Reads JSONL text; `path` is only used to name where things are.
pub fn parse(text: &str, path: &Path) -> Loaded {
    let mut loaded = Loaded::default();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let unreadable = |message: String| Skipped::new(path, line, SkipReason::Unreadable(message));
        let object = match serde_json::from_str::<Value>(raw) {
            Ok(Value::Object(object)) => object,
            Ok(other) => {
                loaded.skipped.push(unreadable(format!("expected a JSON object per line, found {}", kind_of(&other))));
                continue;
            }
            Err(e) => {
                loaded.skipped.push(unreadable(format!("expected a JSON object per line: {e}")));
                continue;
            }
        };
        match document(&object, path, line, &mut loaded.skipped) {
            Ok(doc) => loaded.documents.push(doc),
            Err(message) => loaded.skipped.push(unreadable(message)),
        }
    }
    loaded
}

/// The document on one line; its unreadable spans go to `skipped`, a line without id or text is
/// an error.
fn document(object: &Map<String, Value>, path: &Path, line: usize, skipped: &mut Vec<Skipped>) -> Result<ExternalDocument, String> {
    let id = match object.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(other) => {
            return Err(format!("`id` should be a string or a number, found {}", kind_of(other)));
        }
    };
    let text = match object.get("text").or_else(|| object.get("data")) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            return Err(format!("`text` should be a string, found {}", kind_of(other)));
        }
    };
    if id.is_none() && text.is_none() {
        return Err("expected an `id` or a `text` to match the document by".to_owned());
    }
    let mut items = None;
    for key in SPAN_KEYS {
        match object.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::Array(list)) => {
                // doccano's text classification puts a list of strings under `label`: no spans.
                if key != "label" || list.iter().all(|item| item.is_array() || item.is_object()) {
                    items = Some(list);
                    break;
                }
            }
            // A single class name under `label` (Prodigy's classification) is no span list either.
            Some(Value::String(_)) if key == "label" => {}
            Some(other) => {
                return Err(format!("`{key}` should be an array of spans, found {}", kind_of(other)));
            }
        }
    }
    let mut spans = Vec::new();
    for (i, item) in items.into_iter().flatten().enumerate() {
        match span(item, line) {
            Ok(span) => spans.push(span),
            Err(message) => skipped.push(Skipped::new(path, line, SkipReason::Unreadable(format!("span {}: {message}", i + 1)))),
        }
    }
    // Other tools keep their own things under `meta`; only a status tawsim can read counts.
    let status = object.get("meta").and_then(|meta| meta.get("status")).and_then(|status| DocStatus::deserialize(status).ok());
    Ok(ExternalDocument { id, text, spans, origin: Location::new(path, line), status })
}

/// One span, from `{"start", "end", "label", …}` or `[start, end, "label"]`.
fn span(item: &Value, line: usize) -> Result<ExternalSpan, String> {
    let (start, end, label, score, text) = match item {
        Value::Array(parts) => match parts.as_slice() {
            [start, end, label, rest @ ..] if rest.len() <= 1 => (Some(start), Some(end), Some(label), rest.first(), None),
            _ => return Err(format!("expected [start, end, \"LABEL\"], found {item}")),
        },
        Value::Object(fields) => (
            fields.get("start").or_else(|| fields.get("start_offset")),
            fields.get("end").or_else(|| fields.get("end_offset")),
            fields.get("label"),
            fields.get("score"),
            fields.get("text"),
        ),
        _ => {
            return Err(format!("expected an object or an array, found {}", kind_of(item)));
        }
    };
    let offset = |value: Option<&Value>, name: &str| {
        value.and_then(Value::as_u64).and_then(|n| usize::try_from(n).ok()).ok_or_else(|| format!("`{name}` should be a char offset (a whole number ≥ 0)"))
    };
    let start = offset(start, "start")?;
    let end = offset(end, "end")?;
    let label = label.and_then(Value::as_str).ok_or("`label` should be a string")?.to_owned();
    let score = match score {
        None | Some(Value::Null) => None,
        // f32 is what proposals carry; the precision lost is far below any threshold in use.
        Some(value) => Some(value.as_f64().ok_or("`score` should be a number")? as f32),
    };
    let text = match text {
        None | Some(Value::Null) => None,
        Some(value) => Some(value.as_str().ok_or("`text` should be a string")?.to_owned()),
    };
    Ok(ExternalSpan { start, end, label, score, text, line })
}

/// What a JSON value is, for messages.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(text: &str) -> Loaded {
        parse(text, Path::new("p.jsonl"))
    }

    #[test]
    fn spacy_and_prodigy_spans_with_string_or_number_ids() {
        let loaded = read_str(concat!(
            r#"{"id": "london", "spans": [{"start": 4, "end": 8, "label": "PERS", "score": 0.75}]}"#,
            "\n\n",
            r#"{"id": 17, "text": "زار كيري موسكو", "spans": [{"start": 9, "end": 14, "label": "LOC", "text": "موسكو"}]}"#,
            "\n",
        ));
        assert!(loaded.skipped.is_empty(), "{:?}", loaded.skipped);
        let [first, second] = loaded.documents.as_slice() else { panic!("two documents expected, got {:?}", loaded.documents) };
        assert_eq!(first.id.as_deref(), Some("london"));
        assert_eq!(first.text, None);
        assert_eq!(first.spans[0].score, Some(0.75));
        assert_eq!((first.spans[0].start, first.spans[0].end), (4, 8));
        // Blank line 2 is skipped but still counted.
        assert_eq!(second.origin, Location::new(Path::new("p.jsonl"), 3));
        assert_eq!(second.id.as_deref(), Some("17"));
        assert_eq!(second.spans[0].text.as_deref(), Some("موسكو"));
        assert_eq!(second.spans[0].line, 3);
    }

    #[test]
    fn doccano_label_arrays_and_offset_objects() {
        let loaded = read_str(concat!(
            r#"{"id": 1, "text": "دمشق", "label": [[0, 4, "LOC"]]}"#,
            "\n",
            r#"{"id": 2, "data": "حلب", "entities": [{"id": 9, "start_offset": 0, "end_offset": 3, "label": "LOC"}]}"#,
            "\n",
            // Text classification: `label` is a list of strings, so no spans.
            r#"{"id": 3, "text": "خبر", "label": ["NEWS"]}"#,
        ));
        assert!(loaded.skipped.is_empty(), "{:?}", loaded.skipped);
        let spans: Vec<_> = loaded.documents.iter().map(|d| d.spans.iter().map(|s| (s.start, s.end, s.label.as_str())).collect::<Vec<_>>()).collect();
        assert_eq!(spans, vec![vec![(0, 4, "LOC")], vec![(0, 3, "LOC")], vec![]]);
        assert_eq!(loaded.documents[1].text.as_deref(), Some("حلب"));
    }

    #[test]
    fn offsets_count_chars_not_bytes_even_outside_the_bmp() {
        // 𝕏 is outside the BMP (two UTF-16 units, four UTF-8 bytes) and counts as one char, as in
        // Python; the Arabic letters are two bytes each and count one.
        let text = "𝕏 وزار كيري";
        let line = format!(r#"{{"text": "{text}", "spans": [{{"start": 7, "end": 11, "label": "PERS"}}]}}"#);
        let loaded = read_str(&line);
        let span = &loaded.documents[0].spans[0];
        let got: String = text.chars().skip(span.start).take(span.end - span.start).collect();
        assert_eq!(got, "كيري");
    }

    #[test]
    fn bad_lines_are_named_by_line_and_reading_goes_on() {
        let loaded = read_str(concat!(
            r#"{"id": "a", "spans": []}"#,
            "\n",
            r#"{"id": "b", "spans": [}"#,
            "\n",
            "[1, 2]\n",
            r#"{"spans": []}"#,
            "\n",
            r#"{"id": "c", "spans": [{"start": -1, "end": 3, "label": "LOC"}, [0, 2, "LOC"], [0, "LOC"]]}"#,
            "\n",
        ));
        assert_eq!(loaded.documents.len(), 2, "lines 1 and 5 are documents");
        assert_eq!(loaded.documents[1].spans.len(), 1, "the good span of line 5 is kept");
        let shown: Vec<String> = loaded.skipped.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 5, "{shown:#?}");
        assert!(shown[0].starts_with("p.jsonl:2: expected a JSON object per line: "), "{}", shown[0]);
        assert_eq!(shown[1], "p.jsonl:3: expected a JSON object per line, found an array");
        assert_eq!(shown[2], "p.jsonl:4: expected an `id` or a `text` to match the document by");
        assert!(shown[3].starts_with("p.jsonl:5: span 1: `start` should be a char offset"), "{}", shown[3]);
        assert!(shown[4].starts_with("p.jsonl:5: span 3: expected [start, end, \"LABEL\"]"), "{}", shown[4]);
        let err = read_str("{}\n").strict().unwrap_err();
        assert_eq!(err.to_string(), "p.jsonl:1: expected an `id` or a `text` to match the document by");
    }

    #[test]
    fn offsets_past_the_end_are_read_for_the_matcher_to_reject() {
        let loaded = read_str(r#"{"text": "حلب", "spans": [{"start": 1, "end": 40, "label": "LOC"}]}"#);
        let doc = &loaded.documents[0];
        let chars: Vec<char> = doc.text.as_deref().unwrap_or_default().chars().collect();
        let err = super::super::check_span(&doc.spans[0], &chars, &crate::model::Schema::anercorp());
        assert_eq!(err, Err(SkipReason::BadRange { start: 1, end: 40, len: 3 }));
    }
}
