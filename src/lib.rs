//! tawsim: a desktop tool for annotating named entities in Arabic text.
//!
//! Layers (see DESIGN.md): `text_view` lays out and paints right-to-left text and is the only
//! module besides `app` that knows egui; `cli` holds one file per subcommand.

pub mod app;
pub mod cli;
pub mod synthetic;
pub mod text_view;

/// Folder of the bundled sample project's articles.
pub fn sample_corpus_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets").join("corpus")
}
