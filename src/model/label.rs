//! Entity labels and the schema that lists them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A colour written as `"#rrggbb"` in RON so people can edit it by hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Rgb(pub [u8; 3]);

/// Why a colour string is not `#rrggbb`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("colour {0:?} is not of the form \"#rrggbb\"")]
pub struct RgbParseError(pub String);

impl FromStr for Rgb {
    type Err = RgbParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || RgbParseError(s.to_owned());
        let hex = s.strip_prefix('#').ok_or_else(bad)?;
        if hex.len() != 6 || !hex.is_ascii() {
            return Err(bad());
        }
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| bad());
        Ok(Rgb([channel(0)?, channel(2)?, channel(4)?]))
    }
}

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [r, g, b] = self.0;
        write!(f, "#{r:02x}{g:02x}{b:02x}")
    }
}

impl TryFrom<String> for Rgb {
    type Error = RgbParseError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Rgb> for String {
    fn from(c: Rgb) -> String {
        c.to_string()
    }
}

impl Default for Rgb {
    /// A neutral grey, so a label written without a colour is still visible.
    fn default() -> Self {
        Rgb([0xc8, 0xc8, 0xc8])
    }
}

/// One entity type an annotator can assign.
///
/// Unknown fields are refused so a misspelt `colour:` in a hand-written schema is reported, not
/// silently ignored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// Name stored in spans, e.g. `"PERS"`.
    pub name: String,
    /// Highlight colour.
    #[serde(default)]
    pub color: Rgb,
    /// Key that assigns this label.
    #[serde(default)]
    pub hotkey: Option<char>,
    /// One line telling annotators what belongs under this label.
    #[serde(default)]
    pub description: String,
}

impl Label {
    /// A label with the given name, colour, hotkey and description.
    pub fn new(name: &str, color: [u8; 3], hotkey: Option<char>, description: &str) -> Self {
        Label { name: name.to_owned(), color: Rgb(color), hotkey, description: description.to_owned() }
    }
}

/// The set of labels a project uses.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    /// Labels in the order they are shown.
    #[serde(default)]
    pub labels: Vec<Label>,
}

impl Schema {
    /// The four ANERcorp classes with hotkeys 1–4.
    pub fn anercorp() -> Self {
        Schema {
            labels: vec![
                Label::new("PERS", [0x8e, 0xc5, 0xff], Some('1'), "A person: a real or fictional individual, e.g. جون كيري."),
                Label::new("LOC", [0x9b, 0xe0, 0x9b], Some('2'), "A place: a country, city, region or geographic feature, e.g. حلب."),
                Label::new("ORG", [0xff, 0xc0, 0x7a], Some('3'), "An organization: a government body, company, party, army or agency."),
                Label::new("MISC", [0xd8, 0xb4, 0xff], Some('4'), "Any other named entity: events, nationalities, products, works."),
            ],
        }
    }

    /// The label called `name`.
    pub fn label(&self, name: &str) -> Option<&Label> {
        self.labels.iter().find(|l| l.name == name)
    }

    /// The label assigned by `key`.
    pub fn by_hotkey(&self, key: char) -> Option<&Label> {
        self.labels.iter().find(|l| l.hotkey == Some(key))
    }

    /// Whether a label called `name` exists.
    pub fn contains(&self, name: &str) -> bool {
        self.label(name).is_some()
    }

    /// Human-readable faults: empty or duplicate names, hotkeys used twice.
    pub fn faults(&self) -> Vec<String> {
        let mut faults = Vec::new();
        for (i, label) in self.labels.iter().enumerate() {
            if label.name.trim().is_empty() {
                faults.push(format!("label {} has an empty name", i + 1));
            }
            let earlier = &self.labels[..i];
            if earlier.iter().any(|l| l.name == label.name) {
                faults.push(format!("label name {:?} is used twice", label.name));
            }
            if let Some(key) = label.hotkey
                && earlier.iter().any(|l| l.hotkey == Some(key))
            {
                faults.push(format!("hotkey {key:?} is used by two labels"));
            }
        }
        faults
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rgb_round_trips_through_hex() {
        let c: Rgb = "#8ec5ff".parse().unwrap();
        assert_eq!(c, Rgb([0x8e, 0xc5, 0xff]));
        assert_eq!(c.to_string(), "#8ec5ff");
    }

    #[test]
    fn rgb_rejects_malformed_strings() {
        for bad in ["8ec5ff", "#8ec5f", "#8ec5fff", "#gggggg", "#ééé", ""] {
            assert!(bad.parse::<Rgb>().is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn anercorp_has_four_distinct_labels_with_hotkeys() {
        let schema = Schema::anercorp();
        assert_eq!(schema.labels.len(), 4);
        assert!(schema.faults().is_empty());
        assert_eq!(schema.by_hotkey('3').map(|l| l.name.as_str()), Some("ORG"));
        assert_eq!(schema.label("LOC").and_then(|l| l.hotkey), Some('2'));
        assert!(!schema.contains("DATE"));
        let colours: std::collections::HashSet<Rgb> = schema.labels.iter().map(|l| l.color).collect();
        assert_eq!(colours.len(), 4);
    }

    #[test]
    fn faults_reports_duplicates() {
        let mut schema = Schema::anercorp();
        schema.labels.push(Label::new("PERS", [0, 0, 0], Some('1'), ""));
        let faults = schema.faults();
        assert_eq!(faults.len(), 2, "{faults:?}");
    }
}
