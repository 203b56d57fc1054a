//! Character classes shared by normalization and word segmentation.
//!
//! The standard library exposes no Unicode general category, so combining marks are recognised
//! from explicit ranges: every Arabic mark, the common Latin combining blocks and the variation
//! selectors. That is enough for Arabic news with some Latin; a mark outside these ranges is
//! treated as a letter, which at worst glues it to its word, as it should be anyway.

/// Arabic tatweel (kashida), a stretching stroke with no meaning.
pub const TATWEEL: char = '\u{0640}';

/// True for Arabic harakat and other Arabic diacritics that normalization removes.
///
/// Covers fathatan to sukun and the marks after them (U+064B–U+065F), the small Quranic and
/// honorific signs (U+0610–U+061A), superscript alef (U+0670) and the Quranic annotation marks
/// (U+06D6–U+06ED). The combining hamza and madda (U+0653–U+0655) are excluded: on a bare alef
/// they spell أ إ آ in decomposed text, so they are letters, not vowels (see [`is_combining_hamza`]).
pub fn is_haraka(c: char) -> bool {
    matches!(c,
        '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{0652}'
        | '\u{0656}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06DC}'
        | '\u{06DF}'..='\u{06E4}'
        | '\u{06E7}'..='\u{06E8}'
        | '\u{06EA}'..='\u{06ED}')
}

/// True for the combining madda and hamza above/below (U+0653–U+0655), the decomposed halves of آ أ إ.
pub fn is_combining_hamza(c: char) -> bool {
    matches!(c, '\u{0653}'..='\u{0655}')
}

/// True for any combining mark this module knows about: it belongs to the character before it.
pub fn is_mark(c: char) -> bool {
    is_haraka(c)
        || is_combining_hamza(c)
        || matches!(c,
            '\u{0300}'..='\u{036F}'
            | '\u{0483}'..='\u{0489}'
            | '\u{0591}'..='\u{05BD}'
            | '\u{08CA}'..='\u{08E1}'
            | '\u{08E3}'..='\u{08FF}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FE20}'..='\u{FE2F}')
}

/// True for invisible characters that sit inside words and shape their letters: ZWNJ, ZWJ, soft hyphen.
pub fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}' | '\u{00AD}')
}

/// True for invisible bidi controls and the byte-order mark: they never belong to a word.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// True for a letter of the Arabic script (including tatweel and the presentation forms).
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c,
        '\u{0620}'..='\u{064A}'
        | '\u{066E}'..='\u{066F}'
        | '\u{0671}'..='\u{06D3}'
        | '\u{06D5}'
        | '\u{06EE}'..='\u{06EF}'
        | '\u{06FA}'..='\u{06FC}'
        | '\u{06FF}'
        | '\u{0750}'..='\u{077F}'
        | '\u{08A0}'..='\u{08C9}'
        | '\u{FB50}'..='\u{FD3D}'
        | '\u{FD50}'..='\u{FDFB}'
        | '\u{FE70}'..='\u{FEFC}')
}

/// True for a letter of any script (Arabic or not), excluding marks and digits.
pub fn is_letter(c: char) -> bool {
    is_arabic_letter(c) || (c.is_alphabetic() && !is_mark(c))
}

/// Value of a decimal digit: ASCII, Arabic-Indic (٠–٩) or Extended Arabic-Indic (۰–۹).
pub fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x0660),
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x06F0),
        _ => None,
    }
}

/// True for a decimal digit of any of the three digit sets Arabic text uses.
pub fn is_digit(c: char) -> bool {
    digit_value(c).is_some()
}

/// True for a character that joins two digit runs into one number: `.` `,` and the Arabic decimal
/// and thousands separators ٫ ٬.
pub fn is_number_separator(c: char) -> bool {
    matches!(c, '.' | ',' | '\u{066B}' | '\u{066C}')
}

/// True for a percent or per-mille sign, which stays attached to the number before it.
pub fn is_percent(c: char) -> bool {
    matches!(c, '%' | '\u{066A}' | '‰' | '\u{0609}' | '\u{060A}')
}

/// The proclitic letters that attach to a following word: و ف ب ل ك.
pub fn is_proclitic_letter(c: char) -> bool {
    matches!(c, 'و' | 'ف' | 'ب' | 'ل' | 'ك')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert!(is_haraka('\u{064E}'));
        assert!(is_haraka('\u{0670}'));
        assert!(is_haraka('\u{0610}'));
        assert!(!is_haraka('\u{0654}'));
        assert!(is_mark('\u{0654}'));
        assert!(!is_haraka(TATWEEL));
        assert!(is_arabic_letter(TATWEEL));
        assert!(is_letter('ب') && is_letter('x') && is_letter('é'));
        assert!(!is_letter('\u{064E}'), "harakat are alphabetic in Unicode but not letters here");
        assert!(!is_letter('٣') && is_digit('٣') && is_digit('۳') && is_digit('3'));
        assert_eq!(digit_value('٧'), Some(7));
        assert_eq!(digit_value('۹'), Some(9));
        assert!(!is_letter('،') && !is_letter('؟') && !is_letter('«') && !is_letter('٪'));
        assert!(is_bidi_control('\u{200F}') && !is_joiner('\u{200F}'));
        assert!(is_joiner('\u{200C}'));
    }
}
