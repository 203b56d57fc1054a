//! The window's panels. Each draws from the session and returns the commands the user gave; none
//! changes an annotation itself.

pub mod consistency;
pub mod documents;
pub mod editor;
pub mod entities;
pub mod help;
pub mod kwic;
pub mod menu;
pub mod model;
pub mod review;
pub mod search;
pub mod status;

use egui::Color32;

use crate::model::Schema;

/// The colour of a found place: find-bar matches in the article, hits in the search lists.
pub const HIT_COLOR: Color32 = Color32::from_rgb(0xf0, 0xc0, 0x20);

/// The colour of a label (grey for a label the schema does not know).
pub fn label_color(schema: &Schema, label: &str) -> Color32 {
    schema.label(label).map_or(Color32::GRAY, |l| {
        let [r, g, b] = l.color.0;
        Color32::from_rgb(r, g, b)
    })
}

/// Where `label` is in `names`, compared byte by byte: for names this short that beats a call to
/// `memcmp` per comparison, and a pass over a 1 MB article's spans makes tens of thousands.
pub(super) fn position_of_label(names: &[&str], label: &str) -> Option<usize> {
    names.iter().position(|name| name.len() == label.len() && name.bytes().zip(label.bytes()).all(|(a, b)| a == b))
}

/// A small coloured chip with a label's name.
pub fn label_chip(ui: &mut egui::Ui, schema: &Schema, label: &str) -> egui::Response {
    let color = label_color(schema, label);
    let text = egui::RichText::new(label).color(Color32::from_gray(20)).strong().size(12.0);
    ui.add(egui::Button::new(text).fill(color).corner_radius(4.0).min_size(egui::vec2(44.0, 20.0)))
}
