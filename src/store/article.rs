//! Reading an article file: UTF-8 expected, legacy Arabic encodings recognised and reported.

use std::io;
use std::path::{Path, PathBuf};

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1256};
use sha2::{Digest, Sha256};

/// An article's text as the annotations' offsets see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleText {
    /// The decoded text, without the byte-order mark.
    pub text: String,
    /// Whether the file began with a UTF-8 byte-order mark, so it can be written back the same.
    pub had_bom: bool,
    /// Hex SHA-256 of `text` (the BOM excluded, so adding or removing one changes nothing).
    pub sha256: String,
}

impl ArticleText {
    /// Wraps already-decoded text.
    pub fn from_text(text: String) -> Self {
        let sha256 = sha256_hex(&text);
        ArticleText { text, had_bom: false, sha256 }
    }
}

/// Why an article cannot be used as it is.
#[derive(Debug, thiserror::Error)]
pub enum ArticleError {
    /// The file could not be read at all.
    #[error("{}: cannot read: {source}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The file has no text.
    #[error("{}: the file is empty", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The file holds NUL bytes, so it is not text.
    #[error("{}: not a text file (NUL byte at offset {offset})", path.display())]
    Binary {
        /// The file.
        path: PathBuf,
        /// Byte offset of the first NUL.
        offset: usize,
    },
    /// The file is text in another encoding; `decoded` is its text when the guess is confident.
    #[error("{}: not UTF-8 (first bad byte at offset {at}); {}", path.display(), guess(likely))]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// The encoding it most likely is (`"windows-1256"`, `"utf-16le"`, …) or `"unknown"`.
        likely: &'static str,
        /// The text decoded from `likely`, offered for conversion to UTF-8.
        decoded: Option<String>,
        /// Byte offset of the first byte that is not UTF-8.
        at: usize,
    },
}

fn guess(likely: &str) -> String {
    if likely == "unknown" { "its encoding is not recognised".to_owned() } else { format!("it looks like {likely}; convert it to UTF-8") }
}

impl ArticleError {
    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            ArticleError::Unreadable { path, .. } | ArticleError::Empty { path } | ArticleError::Binary { path, .. } | ArticleError::NotUtf8 { path, .. } => {
                path
            }
        }
    }
}

/// Hex SHA-256 of `text`'s UTF-8 bytes.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads and decodes the article at `path`.
pub fn read_article(path: &Path) -> Result<ArticleText, ArticleError> {
    let bytes = std::fs::read(path).map_err(|source| ArticleError::Unreadable { path: path.to_owned(), source })?;
    decode_article(bytes, path)
}

/// Decodes article bytes; split from `read_article` so the rules can be tested without files.
fn decode_article(bytes: Vec<u8>, path: &Path) -> Result<ArticleText, ArticleError> {
    let path = path.to_owned();
    // UTF-16 is full of NULs, so its BOM must be recognised before the binary check.
    for (bom, encoding) in [(&[0xff, 0xfe], UTF_16LE), (&[0xfe, 0xff], UTF_16BE)] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let decoded = decode_strictly(encoding, rest);
            return Err(ArticleError::NotUtf8 { path, likely: utf16_name(encoding), decoded, at: 0 });
        }
    }
    let (body, had_bom) = match bytes.strip_prefix(b"\xef\xbb\xbf") {
        Some(rest) => (rest, true),
        None => (&bytes[..], false),
    };
    if body.is_empty() {
        return Err(ArticleError::Empty { path });
    }
    if let Some(offset) = body.iter().position(|&b| b == 0) {
        let offset = offset + if had_bom { 3 } else { 0 };
        return Err(ArticleError::Binary { path, offset });
    }
    match std::str::from_utf8(body) {
        Ok(text) => {
            let text = text.to_owned();
            let sha256 = sha256_hex(&text);
            Ok(ArticleText { text, had_bom, sha256 })
        }
        Err(e) => {
            let at = e.valid_up_to() + if had_bom { 3 } else { 0 };
            let decoded = decode_strictly(WINDOWS_1256, body).filter(|t| mostly_arabic(t));
            let likely = if decoded.is_some() { "windows-1256" } else { "unknown" };
            Err(ArticleError::NotUtf8 { path, likely, decoded, at })
        }
    }
}

fn utf16_name(encoding: &'static Encoding) -> &'static str {
    if encoding == UTF_16LE { "utf-16le" } else { "utf-16be" }
}

fn decode_strictly(encoding: &'static Encoding, bytes: &[u8]) -> Option<String> {
    encoding.decode_without_bom_handling_and_without_replacement(bytes).map(|text| text.into_owned())
}

/// Whether most letters are Arabic: Windows-1256 decodes nearly any byte sequence, so decoding
/// without errors alone proves nothing.
fn mostly_arabic(text: &str) -> bool {
    let (arabic, letters) =
        text.chars().filter(|c| c.is_alphabetic()).fold((0usize, 0usize), |(a, l), c| (a + usize::from(('\u{0600}'..='\u{06ff}').contains(&c)), l + 1));
    arabic > 0 && arabic * 10 >= letters * 6
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARABIC: &str = "التقى وزير الخارجية الأمريكي جون كيري نظيره الروسي في موسكو.";

    fn decode(bytes: &[u8]) -> Result<ArticleText, ArticleError> {
        decode_article(bytes.to_vec(), Path::new("corpus/a.txt"))
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode(ARABIC.as_bytes()).unwrap();
        assert!(!plain.had_bom);
        let with_bom = decode(&[b"\xef\xbb\xbf", ARABIC.as_bytes()].concat()).unwrap();
        assert!(with_bom.had_bom);
        assert_eq!(with_bom.text, ARABIC);
        assert_eq!(with_bom.sha256, plain.sha256);
    }

    #[test]
    fn sha256_is_hex_of_the_utf8_bytes() {
        assert_eq!(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn windows_1256_is_recognised_and_decoded() {
        let (bytes, _, unmappable) = WINDOWS_1256.encode(ARABIC);
        assert!(!unmappable);
        match decode(&bytes) {
            Err(ArticleError::NotUtf8 { likely: "windows-1256", decoded: Some(text), at: 0, .. }) => {
                assert_eq!(text, ARABIC)
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn latin1_text_is_not_mistaken_for_arabic() {
        let err = decode(b"Caf\xe9 cr\xe8me br\xfbl\xe9e").unwrap_err();
        assert!(matches!(err, ArticleError::NotUtf8 { likely: "unknown", decoded: None, at: 3, .. }), "{err:?}");
    }

    #[test]
    fn utf16_is_recognised_by_its_bom() {
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend(ARABIC.encode_utf16().flat_map(u16::to_le_bytes));
        match decode(&bytes) {
            Err(ArticleError::NotUtf8 { likely: "utf-16le", decoded: Some(text), .. }) => assert_eq!(text, ARABIC),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn empty_and_binary() {
        assert!(matches!(decode(b""), Err(ArticleError::Empty { .. })));
        assert!(matches!(decode(b"\xef\xbb\xbf"), Err(ArticleError::Empty { .. })));
        assert!(matches!(decode(b"PK\x03\x04\x00\x00"), Err(ArticleError::Binary { offset: 4, .. })));
    }

    #[test]
    fn messages_name_the_file() {
        let err = decode(b"").unwrap_err();
        assert_eq!(err.to_string(), "corpus/a.txt: the file is empty");
    }
}
