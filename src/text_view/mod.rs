//! The article view: right-to-left paragraph layout (parley: bidi, shaping, line breaking),
//! glyph painting from our own atlas, hit-testing and highlights in character offsets.
//!
//! egui shapes Arabic but has no bidi and assumes left-to-right hit-testing, so this module does
//! layout itself and hands egui only rectangles and textured quads. It knows styled character
//! ranges, not annotations.

pub mod atlas;
pub mod document;
pub mod fonts;
pub mod paragraph;
pub mod png;
pub mod scene;
pub mod widget;

pub use document::DocumentLayout;
pub use paragraph::{LayoutEngine, ParagraphLayout};
pub use scene::{Highlight, HighlightStyle, OutlineKind};
pub use widget::{TextRenderer, TextView, TextViewOutput, TextViewState};
