//! The fonts tawsim ships and their registration with parley and egui.
//!
//! Everything is compiled into the binary from `assets/fonts/` (and egui's own bundled Latin
//! face), so the app never looks at system fonts and renders the same on every machine.

use std::sync::Arc;

/// Noto Naskh Arabic Regular: the reading face for Arabic text.
pub const NASKH_REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoNaskhArabic-Regular.ttf");
/// Noto Sans Arabic Regular: the interface face for Arabic in panels and lists.
pub const SANS_ARABIC_REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSansArabic-Regular.ttf");

/// Family name of the Arabic reading face, as registered with parley.
pub const ARABIC_FAMILY: &str = "Noto Naskh Arabic";
/// Family name of the Latin face (egui's bundled Ubuntu Light), as registered with parley.
pub const LATIN_FAMILY: &str = "Ubuntu";

/// The font stack used for article text: Arabic first, Latin for what Naskh lacks.
pub const ARTICLE_FONT_STACK: &str = "'Noto Naskh Arabic', 'Ubuntu', 'Noto Sans Arabic'";

/// Registers every bundled face with a parley font collection.
pub fn register_with_parley(collection: &mut parley::fontique::Collection) {
    for bytes in [NASKH_REGULAR, SANS_ARABIC_REGULAR, epaint_default_fonts::UBUNTU_LIGHT] {
        let blob = parley::fontique::Blob::new(Arc::new(bytes));
        collection.register_fonts(blob, None);
    }
}

/// egui font definitions with the Arabic faces added as fallbacks after egui's Latin faces,
/// so that Arabic in labels, lists and buttons is shaped with a real Arabic font.
pub fn egui_font_definitions() -> egui::FontDefinitions {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert("noto-sans-arabic".to_owned(), Arc::new(egui::FontData::from_static(SANS_ARABIC_REGULAR)));
    fonts.font_data.insert("noto-naskh-arabic".to_owned(), Arc::new(egui::FontData::from_static(NASKH_REGULAR)));
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        if let Some(list) = fonts.families.get_mut(&family) {
            list.push("noto-sans-arabic".to_owned());
            list.push("noto-naskh-arabic".to_owned());
        }
    }
    fonts
}
