//! The `arabic` module from the outside: normalization maps, words, proclitics and snapping on
//! sentences from the sample articles, and the splitter's agreement with ANERcorp.

use std::ops::Range;

use proptest::prelude::*;
use tawsim::arabic::{Lexicon, NormalizeOptions, WordKind, normalize, snap_range, snap_to_word, split_proclitics, word_at, words};

fn slice(text: &str, range: Range<usize>) -> String {
    text.chars().skip(range.start).take(range.len()).collect()
}

/// Char range of the first occurrence of `needle` in `text`.
fn find(text: &str, needle: &str) -> Range<usize> {
    let byte = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in the text"));
    let start = text[..byte].chars().count();
    start..start + needle.chars().count()
}

fn article(name: &str) -> String {
    let path = tawsim::sample_corpus_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("reading {}: {err}", path.display()))
}

// ---------------------------------------------------------------- normalization

#[test]
fn normalization_table_with_offset_maps() {
    let default = NormalizeOptions::default();
    // (input, options, normalized, a normalized range, the original text it maps back to)
    let table: &[(&str, NormalizeOptions, &str, Range<usize>, &str)] = &[
        // Harakat inside a name, and the tanwin after the last letter, stay inside the highlight.
        ("قال مُحَمَّدٌ أمس", default, "قال محمد امس", 4..8, "مُحَمَّدٌ"),
        ("هجومًا بريًا", default, "هجوما بريا", 6..10, "بريًا"),
        ("فنفّذت أكثر", default, "فنفذت اكثر", 1..5, "نفّذت"),
        // Tatweel inside the match is covered; after the match it is not.
        ("جون كـــيري", default, "جون كيري", 4..8, "كـــيري"),
        ("الساعات الـ24", default, "الساعات ال24", 8..10, "ال"),
        ("بـ750 ألف", default, "ب750 الف", 1..4, "750"),
        // Alef forms and ى.
        ("إيطاليا وآشتون وأوباما", default, "ايطاليا واشتون واوباما", 9..14, "آشتون"),
        ("ٱلله", default, "الله", 0..4, "ٱلله"),
        ("مصطفى الأمم المتحدة", default, "مصطفي الامم المتحدة", 0..5, "مصطفى"),
        // ة is kept by default and folded on request.
        ("سورية", default, "سورية", 0..5, "سورية"),
        ("سورية", NormalizeOptions { teh_marbuta: true, ..default }, "سوريه", 0..5, "سورية"),
        // Digits.
        ("القرار ٢٢٥٤ قبل", default, "القرار 2254 قبل", 7..11, "٢٢٥٤"),
        ("القرار ٢٢٥٤ قبل", NormalizeOptions { digits: false, ..default }, "القرار ٢٢٥٤ قبل", 7..11, "٢٢٥٤"),
        // Invisible marks disappear and are not part of the match.
        ("كيري\u{200F}، لافروف", default, "كيري، لافروف", 0..4, "كيري"),
    ];
    for (input, opts, want, range, original) in table {
        let n = normalize(input, opts);
        assert_eq!(n.text, *want, "normalizing {input:?}");
        let back = n.to_original(range.clone());
        assert_eq!(slice(input, back.clone()), *original, "{input:?}: normalized {range:?} maps to {back:?}");
        assert_eq!(n.from_original(back.start), range.start);
    }
}

#[test]
fn harakat_option_off_keeps_them() {
    let opts = NormalizeOptions { harakat: false, ..NormalizeOptions::default() };
    assert_eq!(normalize("مُحَمَّد", &opts).text, "مُحَمَّد");
    let opts = NormalizeOptions { tatweel: false, ..NormalizeOptions::default() };
    assert_eq!(normalize("كـيري", &opts).text, "كـيري");
    let opts = NormalizeOptions { alef: false, alef_maqsura: false, ..NormalizeOptions::default() };
    assert_eq!(normalize("أحمد مصطفى", &opts).text, "أحمد مصطفى");
}

#[test]
fn a_normalized_name_found_in_an_article_maps_back_to_its_letters() {
    let text = article("syria-news-digest.txt");
    let n = normalize(&text, &NormalizeOptions::default());
    // "فنفّذت" holds a shadda: found without it, highlighted with it.
    let byte = n.text.find("فنفذت").expect("word in the normalized article");
    let start = n.text[..byte].chars().count();
    let back = n.to_original(start..start + 5);
    assert_eq!(slice(&text, back), "فنفّذت");
    assert_eq!(n.map.len(), n.text.chars().count() + 1);
    assert_eq!(n.map.last(), Some(&text.chars().count()));
}

fn arabic_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "ب", "ا", "أ", "إ", "آ", "ٱ", "ى", "ي", "ة", "ه", "ـ", "\u{064E}", "\u{0651}", "\u{064B}", "\u{0670}", "\u{0654}", "\u{0610}", "\u{200C}", "\u{200F}",
        " ", "،", "٣", "7", "x",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    /// Any normalized range maps back to an original range that normalizes to the same text.
    #[test]
    fn normalized_ranges_round_trip(text in arabic_text(), a in 0usize..45, b in 0usize..45) {
        let opts = NormalizeOptions { teh_marbuta: true, ..NormalizeOptions::default() };
        let n = normalize(&text, &opts);
        let len = n.text.chars().count();
        prop_assert_eq!(n.map.len(), len + 1);
        prop_assert!(n.map.windows(2).all(|w| w[0] < w[1]) || len == 0);
        let (a, b) = (a.min(b).min(len), a.max(b).min(len));
        let back = n.to_original(a..b);
        let piece: String = slice(&text, back.clone());
        let want: String = n.text.chars().skip(a).take(b - a).collect();
        prop_assert_eq!(normalize(&piece, &opts).text, want);
        if a < b {
            prop_assert_eq!(n.from_original(back.start), a);
            prop_assert_eq!(n.from_original(back.end), b);
        }
    }

    /// The compact offset map answers exactly what the full one does.
    #[test]
    fn offset_map_equals_the_full_map(text in arabic_text(), a in 0usize..45, b in 0usize..45, offset in 0usize..45) {
        let n = normalize(&text, &NormalizeOptions::default());
        let compact = n.offset_map();
        prop_assert_eq!(compact.to_original(a..b), n.to_original(a..b));
        prop_assert_eq!(compact.from_original(offset), n.from_original(offset));
    }
}

// ---------------------------------------------------------------- words

fn word_texts(text: &str) -> Vec<String> {
    words(text).map(|w| w.text(text).to_string()).collect()
}

#[test]
fn words_of_sample_sentences() {
    let table: &[(&str, &[&str])] = &[
        (
            "وأن بلاده تدرس مع واشنطن فرض عقوبات على دمشقوموسكو بسبب حلب، مشيراً",
            &["وأن", "بلاده", "تدرس", "مع", "واشنطن", "فرض", "عقوبات", "على", "دمشقوموسكو", "بسبب", "حلب", "،", "مشيراً"],
        ),
        ("إن الفصائل أبلغت الولاياتالمتحدة أنها لن تترك حلب", &["إن", "الفصائل", "أبلغت", "الولاياتالمتحدة", "أنها", "لن", "تترك", "حلب"]),
        ("التي تعقد في جنيفيعمل المبعوث الأممي", &["التي", "تعقد", "في", "جنيفيعمل", "المبعوث", "الأممي"]),
        ("مجلس الأمن رقم 2254 وحثت روسيا", &["مجلس", "الأمن", "رقم", "2254", "وحثت", "روسيا"]),
        ("فنفّذت أكثر من 4500 غارة جوية", &["فنفّذت", "أكثر", "من", "4500", "غارة", "جوية"]),
        ("السيطرة على 83% من سوريا، قبل", &["السيطرة", "على", "83%", "من", "سوريا", "،", "قبل"]),
        ("نحو ملياري يورو (2.2 مليار دولار أميركي)", &["نحو", "ملياري", "يورو", "(", "2.2", "مليار", "دولار", "أميركي", ")"]),
        ("بلغت 4,500 و1.3% و128.", &["بلغت", "4,500", "و", "1.3%", "و", "128", "."]),
        ("وقال كيري «نبحث فرض المزيد من العقوبات»، وأضاف", &["وقال", "كيري", "«", "نبحث", "فرض", "المزيد", "من", "العقوبات", "»", "،", "وأضاف"]),
        ("القانونية؛ إلا أنه سيعمل", &["القانونية", "؛", "إلا", "أنه", "سيعمل"]),
        ("في شمال غرب سوريا؟\"", &["في", "شمال", "غرب", "سوريا", "؟", "\""]),
        ("الساعات الـ24 الأخيرة", &["الساعات", "الـ", "24", "الأخيرة"]),
        ("في 9 أيلول/ سبتمبر مع", &["في", "9", "أيلول", "/", "سبتمبر", "مع"]),
        ("هو 'عملية كاملة' تشمل", &["هو", "'", "عملية", "كاملة", "'", "تشمل"]),
        ("البندين ١٢ و ١٣ على", &["البندين", "١٢", "و", "١٣", "على"]),
        ("جدّاً أمس\n\nوفي ريف", &["جدّاً", "أمس", "وفي", "ريف"]),
    ];
    for (input, want) in table {
        assert_eq!(word_texts(input), *want, "words of {input:?}");
    }
}

#[test]
fn word_kinds_and_char_offsets() {
    let text = "على 83% من سوريا، (2.2 مليار)";
    let got: Vec<(String, Range<usize>, WordKind)> = words(text).map(|w| (w.text(text).to_string(), w.range, w.kind)).collect();
    let want = [
        ("على", 0..3, WordKind::Letters),
        ("83%", 4..7, WordKind::Number),
        ("من", 8..10, WordKind::Letters),
        ("سوريا", 11..16, WordKind::Letters),
        ("،", 16..17, WordKind::Punct),
        ("(", 18..19, WordKind::Punct),
        ("2.2", 19..22, WordKind::Number),
        ("مليار", 23..28, WordKind::Letters),
        (")", 28..29, WordKind::Punct),
    ];
    let want: Vec<(String, Range<usize>, WordKind)> = want.into_iter().map(|(t, r, k)| (t.to_string(), r, k)).collect();
    assert_eq!(got, want);
}

#[test]
fn words_cover_every_visible_character_of_the_sample_articles() {
    let dir = tawsim::sample_corpus_dir();
    let mut names: Vec<_> = std::fs::read_dir(&dir).expect("sample corpus").flatten().map(|e| e.path()).collect();
    names.sort();
    assert!(names.len() >= 5);
    for path in names {
        let text = std::fs::read_to_string(&path).expect("sample article");
        let chars: Vec<char> = text.chars().collect();
        let mut covered = vec![false; chars.len()];
        let mut previous_end = 0;
        for word in words(&text) {
            assert!(word.range.start >= previous_end && word.range.start < word.range.end, "{}", path.display());
            assert_eq!(word.text(&text).chars().count(), word.range.len());
            previous_end = word.range.end;
            for i in word.range.clone() {
                assert!(!chars[i].is_whitespace(), "{}: whitespace inside a word at {i}", path.display());
                covered[i] = true;
            }
        }
        for (i, c) in chars.iter().enumerate() {
            assert!(covered[i] || c.is_whitespace(), "{}: {c:?} at {i} is in no word", path.display());
        }
    }
}

#[test]
fn word_at_for_double_click() {
    let text = article("london-talks-sanctions.txt");
    let glued = find(&text, "دمشقوموسكو");
    assert_eq!(word_at(&text, glued.start + 5), Some(glued.clone()));
    assert_eq!(word_at(&text, glued.end), None, "the space after it");
}

// ---------------------------------------------------------------- proclitics

fn stem(word: &str) -> String {
    let split = split_proclitics(word, Lexicon::bundled());
    slice(word, split.stem)
}

#[test]
fn proclitics_split_off_names() {
    for (word, want) in [
        ("وروسيا", "روسيا"),
        ("والقاهرة", "القاهرة"),
        ("بالقاهرة", "القاهرة"),
        ("لروسيا", "روسيا"),
        ("وبريطانيا", "بريطانيا"),
        ("فبريطانيا", "بريطانيا"),
        ("وفرنسا", "فرنسا"),
        ("ولبنان", "لبنان"),
        ("بلبنان", "لبنان"),
        ("وواشنطن", "واشنطن"),
        ("والأسد", "الأسد"),
        ("وتركيا", "تركيا"),
        ("بسوريا", "سوريا"),
        ("والولايات", "الولايات"),
    ] {
        assert_eq!(stem(word), want, "stem of {word}");
    }
    let split = split_proclitics("وللأسد", Lexicon::bundled());
    assert_eq!((split.prefix_len, split.article_elided), (2, true), "و + ل + (ا)لأسد");
    let split = split_proclitics("للأسد", Lexicon::bundled());
    assert_eq!((split.prefix_len, split.article_elided), (1, true));
    assert!(!split_proclitics("بالقاهرة", Lexicon::bundled()).article_elided);
}

#[test]
fn names_beginning_with_proclitic_letters_are_not_split() {
    for word in [
        "بريطانيا",
        "باريس",
        "لندن",
        "لافروف",
        "فرنسا",
        "واشنطن",
        "كيري",
        "فيينا",
        "وليد",
        "بشار",
        "لبنان",
        "ليبيا",
        "كردستان",
        "فلسطين",
        "بوريس",
        "فلاديمير",
        "بيروت",
        "بغداد",
        "ولي",
        "كان",
        "لكن",
    ] {
        assert_eq!(stem(word), word, "{word} must stay whole");
    }
}

#[test]
fn a_project_lexicon_learns_names_from_its_articles() {
    // ANERcorp never saw حلب; the articles being annotated did.
    assert_eq!(stem("بحلب"), "بحلب");
    let mut lexicon = Lexicon::bundled().clone();
    lexicon.add_text(&article("london-talks-sanctions.txt"));
    lexicon.add_text(&article("aleppo-street-fighting.txt"));
    assert_eq!(slice("بحلب", split_proclitics("بحلب", &lexicon).stem), "حلب");
    assert_eq!(slice("كيري", split_proclitics("كيري", &lexicon).stem), "كيري");
    // Counting the articles' own words must not make their rare clitic forms look like words.
    lexicon.add_text(&article("syria-news-digest.txt"));
    assert_eq!(slice("وعفرين", split_proclitics("وعفرين", &lexicon).stem), "عفرين");
    assert_eq!(slice("وكوباني", split_proclitics("وكوباني", &lexicon).stem), "كوباني");
}

/// Agreement with the ANERcorp oracle on every B-LOC/B-PERS/B-ORG token that starts with a
/// proclitic letter (the fixture is written by `examples/build_lexicon.rs`). In-sample, since the
/// bundled lexicon comes from the same file: a regression floor, not an accuracy claim.
#[test]
fn agreement_with_the_anercorp_oracle() {
    let fixture = include_str!("data/anercorp_proclitic_entities.tsv");
    let (mut total, mut agree) = (0usize, 0usize);
    for line in fixture.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [token, _kind, oracle, count] = fields[..] else { panic!("bad fixture line {line:?}") };
        let oracle: usize = oracle.parse().expect("oracle prefix length");
        let count: usize = count.parse().expect("occurrences");
        total += count;
        if split_proclitics(token, Lexicon::bundled()).prefix_len == oracle {
            agree += count;
        }
    }
    assert!(total > 2000, "the fixture holds {total} tokens");
    let rate = agree as f64 / total as f64;
    assert!(rate >= 0.95, "agreement {agree}/{total} = {rate:.3}");
}

// ---------------------------------------------------------------- snapping

#[test]
fn snapping_in_a_sample_article() {
    let text = article("london-talks-sanctions.txt");
    let on = |needle: &str| find(&text, needle);

    let r = on("وروسيا،");
    assert_eq!(slice(&text, snap_to_word(&text, r.start)), "روسيا");
    assert_eq!(slice(&text, snap_to_word(&text, r.start + 3)), "روسيا");
    assert_eq!(slice(&text, snap_range(&text, r.clone())), "روسيا", "drag over وروسيا،");

    let r = on("دمشقوموسكو");
    assert_eq!(snap_to_word(&text, r.start + 6), r, "glued words stay whole");
    assert_eq!(snap_range(&text, r.start + 5..r.end), r, "a drag inside them grows to the whole");

    let r = on("بوريس جونسون");
    assert_eq!(snap_range(&text, r.start + 2..r.end - 3), r);
    let r = on("عادل الجبير");
    assert_eq!(slice(&text, snap_to_word(&text, r.end - 1)), "الجبير");

    let r = on("«نبحث");
    assert_eq!(slice(&text, snap_range(&text, r.start..r.end)), "نبحث");

    let r = on("وألمانيا");
    assert_eq!(slice(&text, snap_to_word(&text, r.start + 1)), "ألمانيا");
}

#[test]
fn snapping_in_the_kerry_lavrov_article() {
    let text = article("kerry-lavrov-new-york.txt");
    let r = find(&text, "وحلفائه");
    assert_eq!(slice(&text, snap_to_word(&text, r.start)), "حلفائه");
    let r = find(&text, "جون كيري،");
    assert_eq!(slice(&text, snap_range(&text, r.clone())), "جون كيري", "the comma is dropped");
    let r = find(&text, "بجنيف");
    assert_eq!(slice(&text, snap_to_word(&text, r.start)), "جنيف");
}
