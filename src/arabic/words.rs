//! Word segmentation with character offsets.
//!
//! The rules, chosen for annotating Arabic news:
//! - Whitespace (and invisible bidi marks) separates words and belongs to none.
//! - A word is a run of letters of one script with their combining marks (harakat, shadda) and any
//!   tatweel: `مُحَمَّد`, `كـــيري`. A change between Arabic and another script ends the word.
//! - Digits form a number word: `2254`, `٢٢٥٤`. A `.` `,` ٫ or ٬ between two digits stays inside
//!   (`2.2`, `4,500`, `14.5`); one at the end does not (`128.` is `128` + `.`). A `%` or `٪`
//!   right after a number stays attached (`83%`), as ANERcorp tokenizes it.
//! - Arabic letters and digits never share a word (`الـ24` is `الـ` + `24`), while Latin letters
//!   and digits do (`G20`, `F16`), because that is how those names are written.
//! - Every other character (، ؛ ؟ « » ( ) " . , : / - …) is a word of its own, one character each.
//! - ZWNJ, ZWJ and soft hyphen stay inside a word when letters follow them, otherwise belong to none.
//!
//! Words glued by a lost space (`دمشقوموسكو`, `الولاياتالمتحدة`) are one word here: nothing in the
//! letters says where the space was, so splitting them is left to the annotator's raw selection.

use std::iter::Peekable;
use std::ops::Range;
use std::str::CharIndices;

use super::chars::{is_arabic_letter, is_bidi_control, is_digit, is_joiner, is_mark, is_number_separator, is_percent};

/// What a word is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WordKind {
    /// Letters (Arabic, or Latin possibly with digits as in `G20`) and their marks.
    Letters,
    /// Digits, with internal decimal or thousands separators and an attached percent sign.
    Number,
    /// One punctuation or symbol character.
    Punct,
}

/// One word of a text, located both in chars (the project's offsets) and bytes (for slicing).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Word {
    /// Unicode scalar (char) range in the text.
    pub range: Range<usize>,
    /// Byte range of the same word in the same text, so `&text[word.bytes.clone()]` is its text.
    pub bytes: Range<usize>,
    /// What the word is made of.
    pub kind: WordKind,
}

impl Word {
    /// The word's text in `source`, the string it was found in (empty if `source` is another text).
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        source.get(self.bytes.clone()).unwrap_or("")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Space,
    Joiner,
    Mark,
    Arabic,
    Other,
    Digit,
    Punct,
}

fn class(c: char) -> Class {
    quick_class(c).unwrap_or_else(|| full_class(c))
}

/// The class of the characters that make up most of Arabic news (the basic Arabic letters, ASCII
/// letters, digits, spaces and punctuation, the Arabic comma, semicolon and question mark), found
/// without the full chain of tests; `None` for the others.
fn quick_class(c: char) -> Option<Class> {
    match c {
        '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' => Some(Class::Arabic),
        'a'..='z' | 'A'..='Z' => Some(Class::Other),
        '0'..='9' => Some(Class::Digit),
        ' ' | '\n' => Some(Class::Space),
        '\u{060C}' | '\u{061B}' | '\u{061F}' => Some(Class::Punct),
        _ if c.is_ascii_punctuation() => Some(Class::Punct),
        _ => None,
    }
}

fn full_class(c: char) -> Class {
    if c.is_whitespace() || c.is_control() || is_bidi_control(c) {
        Class::Space
    } else if is_joiner(c) {
        Class::Joiner
    } else if is_mark(c) {
        Class::Mark
    } else if is_arabic_letter(c) {
        Class::Arabic
    } else if is_digit(c) || (c.is_numeric() && !c.is_alphabetic()) {
        Class::Digit
    } else if c.is_alphabetic() {
        Class::Other
    } else {
        Class::Punct
    }
}

/// Iterator over the words of a text, in order; see the module documentation for the rules.
#[derive(Clone, Debug)]
pub struct Words<'a> {
    text: &'a str,
    chars: Peekable<CharIndices<'a>>,
    /// Char offset of the next character `chars` yields.
    pos: usize,
}

/// The words of `text`, in order.
pub fn words(text: &str) -> Words<'_> {
    Words { text, chars: text.char_indices().peekable(), pos: 0 }
}

impl Words<'_> {
    fn peek(&mut self) -> Option<Class> {
        self.chars.peek().map(|&(_, c)| class(c))
    }

    fn peek_char(&mut self) -> Option<char> {
        self.chars.peek().map(|&(_, c)| c)
    }

    /// Class of the first character after the next one that is not a joiner.
    fn peek_after_joiners(&self) -> Option<Class> {
        let mut ahead = self.chars.clone();
        ahead.next();
        ahead.map(|(_, c)| class(c)).find(|&k| k != Class::Joiner)
    }

    fn class_after_next(&self) -> Option<Class> {
        let mut ahead = self.chars.clone();
        ahead.next();
        ahead.next().map(|(_, c)| class(c))
    }

    fn bump(&mut self) {
        if self.chars.next().is_some() {
            self.pos += 1;
        }
    }

    fn byte_pos(&mut self) -> usize {
        let len = self.text.len();
        self.chars.peek().map_or(len, |&(b, _)| b)
    }

    /// Consumes marks, and joiners followed by a mark or by something `continues` accepts.
    fn take_marks(&mut self, continues: impl Fn(Class) -> bool) {
        loop {
            match self.peek() {
                Some(Class::Mark) => {}
                Some(Class::Joiner) if self.peek_after_joiners().is_some_and(|k| k == Class::Mark || continues(k)) => {}
                _ => return,
            }
            self.bump();
        }
    }
}

impl Iterator for Words<'_> {
    type Item = Word;

    fn next(&mut self) -> Option<Word> {
        while matches!(self.peek()?, Class::Space | Class::Joiner) {
            self.bump();
        }
        let (start_char, start_byte) = (self.pos, self.byte_pos());
        let first = self.peek()?;
        self.bump();
        let kind = match first {
            Class::Punct => {
                self.take_marks(|_| false);
                WordKind::Punct
            }
            Class::Arabic | Class::Mark => {
                let arabic = |k| k == Class::Arabic;
                loop {
                    self.take_marks(arabic);
                    if self.peek() != Some(Class::Arabic) {
                        break;
                    }
                    self.bump();
                }
                WordKind::Letters
            }
            Class::Other | Class::Digit => {
                let alnum = |k| matches!(k, Class::Other | Class::Digit);
                let mut has_letter = first == Class::Other;
                let mut last = first;
                loop {
                    self.take_marks(alnum);
                    match self.peek() {
                        Some(k @ (Class::Other | Class::Digit)) => {
                            has_letter |= k == Class::Other;
                            last = k;
                            self.bump();
                        }
                        Some(Class::Punct)
                            if last == Class::Digit && self.peek_char().is_some_and(is_number_separator) && self.class_after_next() == Some(Class::Digit) =>
                        {
                            self.bump();
                        }
                        Some(Class::Punct) if last == Class::Digit && self.peek_char().is_some_and(is_percent) => {
                            self.bump();
                            break;
                        }
                        _ => break,
                    }
                }
                if has_letter { WordKind::Letters } else { WordKind::Number }
            }
            Class::Space | Class::Joiner => return None,
        };
        let end_byte = self.byte_pos();
        Some(Word { range: start_char..self.pos, bytes: start_byte..end_byte, kind })
    }
}

/// Char range of the word containing the character at `char_offset`, or `None` on whitespace or
/// past the end (the offset is the index of the character under the pointer, not a caret).
pub fn word_at(text: &str, char_offset: usize) -> Option<Range<usize>> {
    word_containing(text, char_offset).map(|w| w.range)
}

/// The word containing the character at `char_offset`, with its byte range and kind.
pub fn word_containing(text: &str, char_offset: usize) -> Option<Word> {
    words(text).take_while(|w| w.range.start <= char_offset).find(|w| w.range.contains(&char_offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        words(text).map(|w| w.text(text)).collect()
    }

    #[test]
    fn table() {
        let table: &[(&str, &[&str])] = &[
            ("جون كيري، وسيرغي لافروف.", &["جون", "كيري", "،", "وسيرغي", "لافروف", "."]),
            ("مُحَمَّد كـــيري", &["مُحَمَّد", "كـــيري"]),
            ("رقم 2254 و4500 غارة", &["رقم", "2254", "و", "4500", "غارة"]),
            ("على 83% من سوريا", &["على", "83%", "من", "سوريا"]),
            ("(2.2 مليار)", &["(", "2.2", "مليار", ")"]),
            ("4,500 و128.", &["4,500", "و", "128", "."]),
            ("القرار ٢٢٥٤ و٢٫٥ و٪٣", &["القرار", "٢٢٥٤", "و", "٢٫٥", "و", "٪", "٣"]),
            ("الساعات الـ24 الأخيرة", &["الساعات", "الـ", "24", "الأخيرة"]),
            ("قمة G20 في", &["قمة", "G20", "في"]),
            ("«نبحث فرض»", &["«", "نبحث", "فرض", "»"]),
            ("أيلول/ سبتمبر؛ لماذا؟", &["أيلول", "/", "سبتمبر", "؛", "لماذا", "؟"]),
            ("عقوبات على دمشقوموسكو بسبب", &["عقوبات", "على", "دمشقوموسكو", "بسبب"]),
            ("Reuters رويترز", &["Reuters", "رويترز"]),
            ("Reutersرويترز", &["Reuters", "رويترز"]),
            ("كـ”إبراز", &["كـ", "”", "إبراز"]),
            ("مي\u{200C}خائيل \u{200F}كيري\u{200C} ", &["مي\u{200C}خائيل", "كيري"]),
            ("...", &[".", ".", "."]),
            ("", &[]),
            ("   \n ", &[]),
        ];
        for (input, want) in table {
            assert_eq!(texts(input), *want, "words of {input:?}");
        }
    }

    #[test]
    fn kinds_and_char_ranges() {
        let text = "بلغت 1.2 مليون، أي 83%";
        let got: Vec<(Range<usize>, WordKind)> = words(text).map(|w| (w.range, w.kind)).collect();
        assert_eq!(
            got,
            vec![
                (0..4, WordKind::Letters),
                (5..8, WordKind::Number),
                (9..14, WordKind::Letters),
                (14..15, WordKind::Punct),
                (16..18, WordKind::Letters),
                (19..22, WordKind::Number),
            ]
        );
    }

    #[test]
    fn quick_class_agrees_with_the_full_tests() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if let Some(quick) = quick_class(c) {
                assert_eq!(quick, full_class(c), "{c:?}");
            }
        }
    }

    #[test]
    fn word_at_offsets() {
        let text = "في جنيفيعمل المبعوث";
        assert_eq!(word_at(text, 0), Some(0..2));
        assert_eq!(word_at(text, 2), None, "whitespace");
        assert_eq!(word_at(text, 3), Some(3..11));
        assert_eq!(word_at(text, 10), Some(3..11));
        assert_eq!(word_at(text, 12), Some(12..19));
        assert_eq!(word_at(text, 19), None, "past the end");
        assert_eq!(word_at(text, 500), None);
    }
}
