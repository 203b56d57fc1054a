//! Corpus search: every occurrence of a word or phrase across a project, with how each is
//! labelled now, and the index it runs on (which the consistency checks use too).
//!
//! Matching is the gazetteer's (DESIGN.md §4): on text normalized for matching (alef forms, ى/ي,
//! harakat, tatweel), whole words only, the first word possibly after proclitics, so `روسيا`
//! finds `وروسيا` with the hit on `روسيا`. A regular expression runs over the normalized text
//! instead. Offsets are chars of the article as stored, like every offset in tawsim.
//!
//! - [`index`]: one article's normalized text, words, stems and annotation files.
//! - [`CorpusIndex`] ([`corpus`]): every article; built and refreshed from disk by [`disk`]
//!   (only changed files are read again), `Send`, so the app builds it in the background.
//! - [`Query`] ([`query`]): words or a pattern, label filters; [`Hit`] ([`hit`]): where and
//!   labelled how; its [`Context`] (the words around it) made on demand by
//!   [`CorpusIndex::context`].
//! - [`matching`]: phrase and pattern matching over one indexed article.
//!
//! This layer may use `model`, `arabic` and `store` (to read a project), nothing above them.

#![warn(missing_docs)]

pub mod corpus;
pub mod disk;
pub mod hit;
pub mod index;
pub mod matching;
pub mod query;

pub use corpus::{CorpusIndex, Unreadable};
pub use disk::Refreshed;
pub use hit::{Context, Hit, HitLabel, Relation};
pub use index::{Annotation, ArticleIndex, TooLarge};
pub use matching::{Phrase, PhraseMatch, PhraseSet};
pub use query::{CONTEXT_WORDS, Query, SearchError};
