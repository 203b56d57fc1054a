//! Plain annotation data: documents, spans, labels, schemas, edits.
//!
//! Nothing here touches the disk or the screen; `store` reads and writes these values and `app`
//! shows them. Offsets everywhere are Unicode scalar (`char`) indices into the article text exactly
//! as decoded, the same convention as Python strings, so exported offsets work in spaCy unchanged.

#![warn(missing_docs)]

mod annotation;
mod document;
mod edit;
mod label;
mod sentence;
mod span;
mod text;

pub use annotation::{AnnotationFile, DocStatus, FORMAT_VERSION, MAX_SPAN_ID};
pub use document::LabelledDocument;
pub use edit::{EditError, SpanChange, SpanEdit, net_span_changes};
pub use label::{Label, Rgb, RgbParseError, Schema};
pub use sentence::{LabelledSentence, tokens_overlapping};
pub use span::{Origin, Span, SpanState, partition_point_near};
pub use text::{CharIndex, Coverage, char_slice, partition_point_from};
