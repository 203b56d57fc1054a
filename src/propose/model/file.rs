//! The saved model's bytes: a small header, RON metadata, a binary body, a checksum.
//!
//! Why this shape: the weights are a table of `2^20 × tags` numbers, most of them zero, far too
//! many for RON; the settings and the training report are small and worth reading with `head`.
//! So the file is:
//!
//! ```text
//! TAWSIM-MODEL\n                  magic (13 bytes)
//! u32 format version              FORMAT_VERSION: the layout of this file
//! u32 feature version             features::FEATURE_VERSION: what the weights mean
//! u32 n, n bytes of RON           ModelMeta: settings, tags, temperature, report
//! body                            rows, tags, transitions (f32), scale (f32), then each non-zero
//!                                 row: index delta (LEB128), a bit mask of its non-zero tags
//!                                 (one bit a tag, in bytes), one i16 per set bit
//! 32 bytes                        SHA-256 of everything before
//! ```
//!
//! Numbers are little-endian. Weights are stored as 16-bit integers times one scale; training
//! rounds the model's own weights the same way before it is used, so a model tags identically
//! before and after a save. A file whose checksum fails, whose versions differ from this build's,
//! or whose parts do not add up is refused with a message naming it; nothing is guessed.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;

use super::SequenceModel;
use super::decode::Weights;
use super::features::{FEATURE_VERSION, FeatureSettings};
use super::report::TrainingReport;
use super::tags::TagSet;
use crate::propose::rules::bundled_lexicon;

/// The first bytes of every model file.
pub const MAGIC: &[u8] = b"TAWSIM-MODEL\n";

/// Version of the file layout.
pub const FORMAT_VERSION: u32 = 1;

/// The file name a project's model is saved under, in its `models/` folder.
pub const MODEL_FILE_NAME: &str = "ner.tawsim-model";

/// Why a model file was refused.
#[derive(Debug, thiserror::Error)]
pub enum ModelFileError {
    /// It could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// It does not start like a model file.
    #[error("{}: not a tawsim model file", path.display())]
    NotAModel {
        /// The file.
        path: std::path::PathBuf,
    },
    /// It was made by a tawsim whose file layout or features differ from this one's.
    #[error("{}: made with {what} version {found}, this tawsim reads version {expected}; retrain it with `tawsim train`", path.display())]
    Version {
        /// The file.
        path: std::path::PathBuf,
        /// `file format` or `feature`.
        what: &'static str,
        /// The version in the file.
        found: u32,
        /// The version this build reads.
        expected: u32,
    },
    /// It is damaged: cut short, or its bytes do not match their checksum or each other.
    #[error("{}: damaged model file ({what}); retrain it with `tawsim train`", path.display())]
    Corrupt {
        /// The file.
        path: std::path::PathBuf,
        /// What does not add up.
        what: String,
    },
}

/// The readable part of a model file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct ModelMeta {
    settings: FeatureSettings,
    tags: TagSet,
    temperature: f32,
    report: TrainingReport,
}

/// The scale that maps the largest weight to `i16::MAX`.
fn scale_of(weights: &Weights) -> f32 {
    let max = weights.features.iter().fold(0f32, |m, w| m.max(w.abs()));
    if max > 0.0 { max / f32::from(i16::MAX) } else { 1.0 }
}

/// Rounds feature weights to 16-bit steps of one scale, as the file stores them; returns the scale.
pub(crate) fn quantize(weights: &mut Weights) -> f32 {
    let scale = scale_of(weights);
    for w in &mut weights.features {
        *w = f32::from((*w / scale).round() as i16) * scale;
    }
    scale
}

fn push_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// The bytes of a model file.
pub fn encode(model: &SequenceModel) -> Vec<u8> {
    let meta = ModelMeta { settings: model.settings.clone(), tags: model.tags.clone(), temperature: model.temperature, report: model.report.clone() };
    // Serializing plain data with derived impls cannot fail.
    let meta = ron::ser::to_string_pretty(&meta, ron::ser::PrettyConfig::default()).unwrap_or_default();
    let weights = &model.weights;
    let t = weights.tags;
    let rows = weights.features.len() / t.max(1);
    let mut out = Vec::with_capacity(1 << 20);
    out.extend_from_slice(MAGIC);
    push_u32(&mut out, FORMAT_VERSION);
    push_u32(&mut out, model.settings.version);
    push_u32(&mut out, meta.len() as u32);
    out.extend_from_slice(meta.as_bytes());
    push_u32(&mut out, rows as u32);
    push_u32(&mut out, t as u32);
    for w in &weights.transitions {
        out.extend_from_slice(&w.to_le_bytes());
    }
    let scale = scale_of(weights);
    out.extend_from_slice(&scale.to_le_bytes());
    let count_at = out.len();
    push_u32(&mut out, 0);
    let (mut count, mut last) = (0u32, 0usize);
    for (index, row) in weights.features.chunks_exact(t).enumerate() {
        let q: Vec<i16> = row.iter().map(|w| (w / scale).round() as i16).collect();
        let mut mask = vec![0u8; t.div_ceil(8)];
        for (i, _) in q.iter().enumerate().filter(|(_, v)| **v != 0) {
            mask[i / 8] |= 1 << (i % 8);
        }
        if mask.iter().all(|&b| b == 0) {
            continue;
        }
        let mut delta = (index - last) as u64;
        loop {
            let byte = (delta & 0x7f) as u8;
            delta >>= 7;
            out.push(if delta == 0 { byte } else { byte | 0x80 });
            if delta == 0 {
                break;
            }
        }
        out.extend_from_slice(&mask);
        for v in q.iter().filter(|v| **v != 0) {
            out.extend_from_slice(&v.to_le_bytes());
        }
        last = index;
        count += 1;
    }
    out[count_at..count_at + 4].copy_from_slice(&count.to_le_bytes());
    let digest = Sha256::digest(&out);
    out.extend_from_slice(&digest);
    out
}

/// Reads through a byte slice, failing with a [`ModelFileError::Corrupt`] past its end.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    path: &'a Path,
}

impl<'a> Reader<'a> {
    fn corrupt(&self, what: impl Into<String>) -> ModelFileError {
        ModelFileError::Corrupt { path: self.path.to_owned(), what: what.into() }
    }

    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], ModelFileError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len()).ok_or_else(|| self.corrupt(format!("cut short in the {what}")))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn u32(&mut self, what: &str) -> Result<u32, ModelFileError> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn f32(&mut self, what: &str) -> Result<f32, ModelFileError> {
        Ok(f32::from_bits(self.u32(what)?))
    }
}

/// Reads a model from the bytes of `path` (named in errors); the stem features use the bundled
/// lexicon, as every saved model does.
pub fn decode(bytes: &[u8], path: &Path) -> Result<SequenceModel, ModelFileError> {
    if !bytes.starts_with(MAGIC) {
        return Err(ModelFileError::NotAModel { path: path.to_owned() });
    }
    let corrupt = |what: &str| ModelFileError::Corrupt { path: path.to_owned(), what: what.to_owned() };
    let body_len = bytes.len().checked_sub(32).filter(|&n| n >= MAGIC.len() + 12).ok_or_else(|| corrupt("cut short"))?;
    let (body, digest) = bytes.split_at(body_len);
    if Sha256::digest(body).as_slice() != digest {
        return Err(corrupt("checksum mismatch"));
    }
    let mut r = Reader { bytes: body, at: MAGIC.len(), path };
    for (what, expected) in [("file format", FORMAT_VERSION), ("feature", FEATURE_VERSION)] {
        let found = r.u32("header")?;
        if found != expected {
            return Err(ModelFileError::Version { path: path.to_owned(), what, found, expected });
        }
    }
    let meta_len = r.u32("header")? as usize;
    let meta_bytes = r.take(meta_len, "metadata")?;
    let meta: ModelMeta = ron::de::from_bytes(meta_bytes).map_err(|e| r.corrupt(format!("metadata: {e}")))?;
    if meta.settings.version != FEATURE_VERSION {
        return Err(ModelFileError::Version { path: path.to_owned(), what: "feature", found: meta.settings.version, expected: FEATURE_VERSION });
    }
    let rows = r.u32("body")? as usize;
    let t = r.u32("body")? as usize;
    if t != meta.tags.len() || rows != 1usize << meta.settings.hash_bits.min(30) {
        return Err(r.corrupt("the weight table does not match the settings"));
    }
    let mut weights = Weights::zeros(rows, &meta.tags);
    for w in &mut weights.transitions {
        *w = r.f32("transitions")?;
    }
    let scale = r.f32("body")?;
    let count = r.u32("body")?;
    let mut index = 0usize;
    for n in 0..count {
        let mut delta = 0u64;
        let mut shift = 0;
        loop {
            let byte = r.take(1, "weights")?[0];
            delta |= u64::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 || shift > 63 {
                break;
            }
        }
        index = index.checked_add(delta as usize).filter(|&i| i < rows && (n == 0 || delta > 0)).ok_or_else(|| r.corrupt("a weight row out of range"))?;
        let mask = r.take(t.div_ceil(8), "weights")?;
        let has = |tag: usize| mask[tag / 8] >> (tag % 8) & 1 == 1;
        if (t..mask.len() * 8).any(has) {
            return Err(r.corrupt("a weight for a tag that does not exist"));
        }
        for tag in (0..t).filter(|&tag| has(tag)) {
            let b = r.take(2, "weights")?;
            weights.features[index * t + tag] = f32::from(i16::from_le_bytes([b[0], b[1]])) * scale;
        }
    }
    if r.at != body.len() {
        return Err(r.corrupt("bytes left over after the weights"));
    }
    Ok(SequenceModel { settings: meta.settings, tags: meta.tags, weights, temperature: meta.temperature, report: meta.report, lexicon: bundled_lexicon() })
}

/// Reads a model file.
pub fn load_model(path: &Path) -> Result<SequenceModel, ModelFileError> {
    let bytes = std::fs::read(path).map_err(|source| ModelFileError::Io { path: path.to_owned(), source })?;
    decode(&bytes, path)
}
