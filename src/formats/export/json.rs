//! Compact JSON written by hand into a byte buffer, byte for byte as serde_json writes it.
//!
//! Strings escape `"`, `\` and the control characters below U+0020 only (`\n`, `\t`, `\r`,
//! `\b`, `\f` in their short forms, the others as `\u00XX` with lowercase hex); everything else,
//! Arabic included, is written as its UTF-8 bytes. Numbers are plain decimals.
//!
//! The JSONL export writes about two hundred bytes per token, so these are built for short
//! strings and small numbers: words of eight bytes are tested and copied at once, and a short
//! value is appended as a block of fixed length and cut back, because copying a slice of any
//! length costs a call that took as long as the formatting itself.

/// Appends `n` in decimal.
pub(crate) fn push_number(out: &mut Vec<u8>, n: usize) {
    // Offsets and token numbers of articles have at most eight digits, which fit one word.
    match u64::try_from(n) {
        Ok(n) if n < 100_000_000 => {
            let digits = eight_digits(n);
            // The first digit is in the lowest byte, so leading zeros are the low zero bytes.
            let leading_zeros = (digits.trailing_zeros() / 8).min(7);
            let ascii = (digits >> (8 * leading_zeros)) + 0x3030_3030_3030_3030;
            let at = out.len();
            out.extend_from_slice(&ascii.to_le_bytes());
            out.truncate(at + 8 - leading_zeros as usize);
        }
        _ => out.extend_from_slice(n.to_string().as_bytes()),
    }
}

/// The eight decimal digits of `n` (below 10⁸) as the bytes of a word, the most significant in
/// the lowest byte (so first in memory), each byte 0 to 9.
fn eight_digits(n: u64) -> u64 {
    // Halves, quarters and eighths side by side in the lanes of one word: four digits in each
    // 32-bit lane, then two in each 16-bit lane, then one in each byte. A lane is divided by 100
    // (it is below 10⁴) or by 10 (below 100) by multiplying and shifting, exact in that range.
    let halves = (n / 10_000) | ((n % 10_000) << 32);
    let hundreds = ((halves * 5243) >> 19) & 0x0000_007f_0000_007f;
    let quarters = hundreds | ((halves - hundreds * 100) << 16);
    let tens = ((quarters * 103) >> 10) & 0x000f_000f_000f_000f;
    tens | ((quarters - tens * 10) << 8)
}

/// Appends the slice `bytes` of `text` as a JSON string, as [`push_str`] does.
pub(crate) fn push_slice(out: &mut Vec<u8>, text: &str, bytes: std::ops::Range<usize>) {
    // A token is short: when the text has sixteen bytes from its start and it needs no escape,
    // those sixteen are appended and cut back.
    let len = bytes.len();
    let window = text.as_bytes().get(bytes.start..bytes.start + 16);
    match window.filter(|w| len <= 16 && !window_needs_escape(w, len)) {
        Some(window) => {
            let at = out.len();
            out.push(b'"');
            out.extend_from_slice(window);
            out.truncate(at + 1 + len);
            out.push(b'"');
        }
        None => push_str(out, text.get(bytes).unwrap_or("")),
    }
}

/// True when one of the first `len` (at most 16) bytes of the 16 bytes `window` needs escaping.
fn window_needs_escape(window: &[u8], len: usize) -> bool {
    // The bytes past `len` count as spaces, which need no escape.
    let keep = |len: usize| match len {
        0 => 0,
        8.. => u64::MAX,
        _ => u64::MAX >> (64 - 8 * len),
    };
    let masked = |word: u64, keep: u64| word & keep | 0x2020_2020_2020_2020 & !keep;
    let low = masked(word8(window), keep(len));
    let high = masked(word8(&window[8..]), keep(len.saturating_sub(8)));
    word_needs_escape(low) || word_needs_escape(high)
}

/// Appends `s` as a JSON string.
pub(crate) fn push_str(out: &mut Vec<u8>, s: &str) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    let mut rest = s.as_bytes();
    // Escapes are rare in articles (line breaks): the runs between them are copied whole.
    while let Some(at) = find_escape(rest) {
        out.extend_from_slice(&rest[..at]);
        push_escape(out, rest[at]);
        rest = &rest[at + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// Index of the first byte of `bytes` that needs escaping.
fn find_escape(bytes: &[u8]) -> Option<usize> {
    let len = bytes.len();
    let mut clean = bytes.chunks_exact(8).position(|chunk| word_needs_escape(word8(chunk))).map_or(len - len % 8, |chunk| chunk * 8);
    // The last few bytes, as the word that ends the string (overlapping the one before).
    if clean + 8 > len && len >= 8 {
        if !word_needs_escape(word8(&bytes[len - 8..])) {
            return None;
        }
        clean = clean.min(len - 8);
    }
    let at = bytes[clean..].iter().position(|&b| needs_escape(b));
    at.map(|at| clean + at)
}

/// The first eight bytes of `bytes` as a little-endian word.
fn word8(bytes: &[u8]) -> u64 {
    let mut word = [0; 8];
    word.copy_from_slice(&bytes[..8]);
    u64::from_le_bytes(word)
}

/// True when one of the eight bytes of `word` needs escaping.
fn word_needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    // The classic test for a byte below `n` (n <= 0x80), exact as a yes or no; equality is a
    // zero byte after xor, and zero is below 1.
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH_BITS;
    let control = below(word, 0x20);
    let quote = below(word ^ (ONES * u64::from(b'"')), 1);
    let backslash = below(word ^ (ONES * u64::from(b'\\')), 1);
    control | quote | backslash != 0
}

/// True for the bytes JSON strings cannot hold as they are.
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Appends the escape of `b`, one of the bytes [`needs_escape`] accepts.
fn push_escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        b'\x08' => out.extend_from_slice(b"\\b"),
        b'\x0c' => out.extend_from_slice(b"\\f"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        _ => out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xF)]]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut tricky: Vec<String> = (0u8..0x80).map(|b| char::from(b).to_string()).collect();
        tricky.extend(
            ["", "زار \"كيري\"\\ موسكو\n", "\u{7f}\u{85}\u{2028}\u{2029}\u{feff}\u{200f}", "a\tb\r\n\u{1}\u{1f}😀 and a longer tail\u{c}"].map(str::to_owned),
        );
        for s in &tricky {
            let mut got = Vec::new();
            push_str(&mut got, s);
            let want = serde_json::to_string(s).expect("serializes");
            assert_eq!(String::from_utf8_lossy(&got), want, "{s:?}");
        }
    }

    #[test]
    fn escapes_are_found_wherever_they_are() {
        // The word-at-a-time search finds what a byte-by-byte one finds, for every byte at every
        // place of strings of every length up to three words.
        assert_eq!(find_escape(b""), None);
        for filler in [b'a', b' ', b'#', b']', 0x7f, 0x80, 0xd9, 0xff] {
            for b in 0..=u8::MAX {
                for len in 1..=24 {
                    for at in 0..len {
                        let mut bytes = vec![filler; len];
                        bytes[at] = b;
                        let want = bytes.iter().position(|&b| needs_escape(b));
                        assert_eq!(find_escape(&bytes), want, "{bytes:?}");
                        bytes[len - 1] = b'"';
                        let want = bytes.iter().position(|&b| needs_escape(b));
                        assert_eq!(find_escape(&bytes), want, "{bytes:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_slice_is_written_as_the_slice_alone() {
        let text = "قال \"كيري\"\tفي\nموسكو: \\ 1.5٪ أمس والـ24 ساعة";
        let ends: Vec<usize> = (0..=text.len()).filter(|&b| text.is_char_boundary(b)).collect();
        for (i, &start) in ends.iter().enumerate() {
            for &end in &ends[i..] {
                let (mut got, mut want) = (Vec::new(), Vec::new());
                push_slice(&mut got, text, start..end);
                push_str(&mut want, &text[start..end]);
                assert_eq!(got, want, "{:?}", &text[start..end]);
            }
        }
    }

    #[test]
    fn numbers_are_plain_decimals() {
        let edges = [10_000_000, 99_999_999, 100_000_000, usize::MAX];
        // Every number of up to six digits, and others up to eight digits and past them.
        let others = (0..100_000).map(|i| i * 7_919 + 99_999_000);
        for n in (0..1_000_000).chain(others).chain(edges) {
            let mut got = b"x".to_vec();
            push_number(&mut got, n);
            assert_eq!(got[1..], *n.to_string().as_bytes());
        }
    }
}
