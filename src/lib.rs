//! tawsim: a desktop tool for annotating named entities in Arabic text.
//!
//! Layers (see DESIGN.md): `text_view` lays out and paints right-to-left text and is the only
//! module besides `app` that knows egui; `cli` holds one file per subcommand.

pub mod app;
pub mod arabic;
pub mod bench_table;
pub mod cli;
pub mod consistency;
pub mod dataset;
pub mod formats;
pub mod model;
pub mod preannotate;
pub mod propose;
pub mod review;
pub mod ron_text;
pub mod search;
pub mod store;
pub mod synthetic;
pub mod text_view;

/// The bundled sample project (its `tawsim.ron`, articles under `corpus/`, annotations in the
/// repository's `annotations/`).
pub fn sample_project_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets")
}

/// Folder of the bundled sample project's articles.
pub fn sample_corpus_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets").join("corpus")
}
