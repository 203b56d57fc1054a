//! Arabic text tools: normalization with offset maps, word and clitic segmentation.
//!
//! Pure text logic with no UI. Every offset is a Unicode scalar (`char`) index into the original
//! text, as Python strings count them; nothing here changes what is stored.
//!
//! - [`normalize`]: folds alef forms, ى, harakat, tatweel, digits (and optionally ة) for matching,
//!   with a map back to original offsets.
//! - [`words`], [`word_at`]: letter, number and punctuation words with their offsets.
//! - [`split_proclitics`]: where the name starts in `وروسيا` or `بالقاهرة`, weighed against a
//!   [`Lexicon`] of known words (the bundled one comes from ANERcorp).
//! - [`snap_to_word`], [`snap_range`]: what double-click and drag select in the annotation editor.

pub mod chars;
mod clitics;
mod lexicon;
mod normalize;
mod snap;
mod words;

pub use clitics::{CliticSplit, MIN_STEM_LETTERS, proclitic_stems, split_proclitics};
pub use lexicon::{Entry, Lexicon, LexiconError, lexicon_key};
pub use normalize::{NormalizeOptions, Normalized, OffsetMap, normalize, normalize_form, normalized_words};
pub use snap::{snap_range, snap_range_with, snap_to_word, snap_to_word_with};
pub use words::{Word, WordKind, Words, word_at, word_containing, words};
