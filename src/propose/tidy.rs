//! Last corrections to person proposals, made with the lexicon after the proposers ran.
//!
//! Two mistakes the rules (and, less often, the learned model) make after a verb of saying or a
//! title:
//! - A lone definite word the lexicon never saw inside a name, taken for a person: `وقال المرصد
//!   السوري`. Family names and epithets written alone with the article are mostly nisbas
//!   (`الظواهري`, `الخميني`) or names the lexicon or a gazetteer knows (`الأسد`); a definite word
//!   of another shape never seen in a name is mostly a common noun, participle or plural heading
//!   the subject (`المرصد`, `الناطقة`, `الخبراء`, `الرجلان`). Such a proposal is dropped.
//! - A name that runs on into the verb after it: `باترسون شددت`. A last word that is a common
//!   word of the lexicon with an inflection ending added (the feminine or dual perfect `شددت`,
//!   `أبلغا`, `أكدتا`, the accusative `متضامنا`) and is not itself mostly seen in names is
//!   trimmed off, as long as a word is left.
//!
//! Why not in the rules: the rules' proposals as they are are the learned model's features, and
//! it learnt to weigh them as they are. Made inside the rules, these corrections left the lists
//! and rules at the same F1 on the ANERcorp dev split but cost the model 1.3 to 2 points (0.7277
//! → 0.7151 and 0.7076). Applied to what the proposers propose (the lists' and rules' proposals
//! when no model proposes, the model's when it does), never to the model's features, they cost
//! nothing: on that split the model goes from 0.7277 to 0.7288 and the lists and rules from
//! 0.6696 to 0.6709 (`tawsim eval`, which corrects as the app does); over ten folds of ANERcorp's
//! training part every proposal they dropped or trimmed was wrong.

use super::Proposal;
use super::gazetteer::Gazetteer;
use crate::arabic::{Lexicon, WordKind, lexicon_key, words};
use crate::model::CharIndex;

/// The label corrected.
const PERSON: &str = "PERS";

/// Share of a word's occurrences inside names from which the lexicon counts it as a name word
/// (the rules' default `name_share`).
const NAME_SHARE: f32 = 0.5;

/// Fewest letters of the common word under an inflection ending: shorter stems are too often a
/// name's own letters (`عزت`).
const MIN_STEM_LETTERS: usize = 3;

/// Inflection endings of a trailing word that is not part of the name, longest first: the dual
/// feminine and masculine perfect (`أكدتا`, `أبلغا`), the feminine perfect (`شددت`), the
/// accusative (`متضامنا`).
const INFLECTIONS: [&str; 3] = ["تا", "ت", "ا"];

/// `proposals` with person proposals corrected as the module documentation says; other labels
/// are left alone. `lexicon` weighs words (the rules' one); a lone word any of `gazetteers`
/// proposes as a person is kept.
pub fn tidy(text: &str, proposals: Vec<Proposal>, lexicon: &Lexicon, gazetteers: &[Gazetteer]) -> Vec<Proposal> {
    if !proposals.iter().any(|p| p.label == PERSON) {
        return proposals;
    }
    let index = CharIndex::new(text);
    proposals.into_iter().filter_map(|p| tidy_person(p, &index, lexicon, gazetteers)).collect()
}

/// One proposal corrected, or `None` when it is not a person.
fn tidy_person(mut proposal: Proposal, index: &CharIndex, lexicon: &Lexicon, gazetteers: &[Gazetteer]) -> Option<Proposal> {
    if proposal.label != PERSON {
        return Some(proposal);
    }
    let Some(surface) = index.slice(proposal.range.clone()) else {
        return Some(proposal);
    };
    let found: Vec<_> = words(surface).collect();
    match found.as_slice() {
        [only] if only.kind == WordKind::Letters => {
            let known = || gazetteers.iter().any(|g| g.propose(surface).iter().any(|p| p.label == PERSON && p.range == only.range));
            (!is_common_definite(lexicon, surface) || known()).then_some(proposal)
        }
        [_, _, ..] => {
            let mut last = found.len() - 1;
            while last > 0 && found[last].kind == WordKind::Letters && is_inflected_common(lexicon, found[last].text(surface)) {
                last -= 1;
            }
            // Only letters are trimmed, so the name ends on a word of its own.
            if last + 1 < found.len() && found[last].kind == WordKind::Letters {
                proposal.range.end = proposal.range.start + found[last].range.end;
            }
            Some(proposal)
        }
        _ => Some(proposal),
    }
}

/// True for a definite word the lexicon never saw inside a name that is not shaped like a nisba
/// (`المرصد`, not `الظواهري`).
fn is_common_definite(lexicon: &Lexicon, word: &str) -> bool {
    let key = lexicon_key(word);
    key.starts_with("ال") && !key.ends_with('ي') && lexicon.get_key(&key).names == 0
}

/// True for a word that is a common word of the lexicon with an inflection ending added
/// (`شددت`: `شدد` + `ت`), and is not itself mostly seen in names. A stem ending in `ي` is left
/// out: with `ا` added it ends many names (`ماريا`, `سوريا`).
fn is_inflected_common(lexicon: &Lexicon, word: &str) -> bool {
    let key = lexicon_key(word);
    if is_name_word(lexicon, &key) {
        return false;
    }
    INFLECTIONS.iter().filter_map(|ending| key.strip_suffix(ending)).any(|stem| {
        let entry = lexicon.get_key(stem);
        stem.chars().count() >= MIN_STEM_LETTERS && !stem.ends_with('ي') && entry.count > 0 && !is_name_word(lexicon, stem)
    })
}

/// True when the lexicon saw the (normalized) word at least once, and mostly inside names.
fn is_name_word(lexicon: &Lexicon, key: &str) -> bool {
    let entry = lexicon.get_key(key);
    entry.count > 0 && entry.names as f32 >= NAME_SHARE * entry.count as f32
}

#[cfg(test)]
mod tests {
    use std::ops::Range;
    use std::path::Path;
    use std::sync::OnceLock;

    use super::*;
    use crate::propose::rules::bundled_lexicon;
    use crate::propose::{Proposers, RuleSet, load_gazetteer};

    const DIGEST: &str = include_str!("../../assets/corpus/syria-news-digest.txt");
    const EAST_ALEPPO: &str = include_str!("../../assets/corpus/east-aleppo-advance.txt");
    const STREET_FIGHTING: &str = include_str!("../../assets/corpus/aleppo-street-fighting.txt");

    /// The sample project's proposers: the bundled ANERcorp list and the built-in rules.
    fn sample_proposers() -> &'static Proposers {
        static PROPOSERS: OnceLock<Proposers> = OnceLock::new();
        PROPOSERS.get_or_init(|| {
            let list = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/gazetteers/anercorp.ron");
            Proposers::new(vec![load_gazetteer(&list).expect("bundled list")], vec![RuleSet::arabic_news()], None)
        })
    }

    /// (text, label) of each proposal.
    fn found(text: &str, proposals: &[Proposal]) -> Vec<(String, String)> {
        let index = CharIndex::new(text);
        proposals.iter().map(|p| (index.slice(p.range.clone()).expect("in the text").to_owned(), p.label.clone())).collect()
    }

    /// Whether `proposals` hold `surface` as `label`.
    fn has(text: &str, proposals: &[Proposal], surface: &str, label: &str) -> bool {
        found(text, proposals).iter().any(|(s, l)| s == surface && l == label)
    }

    fn person(range: Range<usize>) -> Proposal {
        Proposal { range, label: PERSON.to_owned(), score: 0.6, source: "rules".to_owned() }
    }

    /// `tidy` over one person proposal on `surface` in `text`, as text.
    fn tidied(text: &str, surface: &str) -> Vec<String> {
        let start = text[..text.find(surface).expect("in the text")].chars().count();
        let out = tidy(text, vec![person(start..start + surface.chars().count())], &bundled_lexicon(), &[]);
        found(text, &out).into_iter().map(|(s, _)| s).collect()
    }

    #[test]
    fn an_observatory_after_said_is_no_person() {
        // The rules still propose it, as the learned model's feature.
        let raw = RuleSet::arabic_news().propose(EAST_ALEPPO);
        assert!(has(EAST_ALEPPO, &raw, "المرصد", "PERS"), "the rules' own proposals are unchanged");
        let proposals = sample_proposers().propose(EAST_ALEPPO);
        assert!(!found(EAST_ALEPPO, &proposals).iter().any(|(s, _)| s == "المرصد"), "{:?}", found(EAST_ALEPPO, &proposals));
    }

    #[test]
    fn a_lone_definite_word_stays_a_person_when_a_nisba_or_known() {
        let text = "وقال المرصد السوري ثم قال الظواهري إن وقال الأسد إن وقال الناطقة باسم";
        assert!(tidied(text, "المرصد").is_empty(), "never seen");
        assert!(tidied(text, "الناطقة").is_empty(), "seen, never in a name");
        assert_eq!(tidied(text, "الظواهري"), ["الظواهري"], "shaped like a family name");
        assert_eq!(tidied(text, "الأسد"), ["الأسد"], "the lexicon saw it in names");
        // A name the lexicon never saw but a gazetteer knows as a person.
        let text = "وقال الخبيرون إن";
        let start = text.find("الخبيرون").map(|b| text[..b].chars().count()).expect("there");
        let gazetteer = Gazetteer::new([("الخبيرون", "PERS")]);
        let out = tidy(text, vec![person(start..start + 8)], &bundled_lexicon(), std::slice::from_ref(&gazetteer));
        assert_eq!(found(text, &out), [("الخبيرون".to_owned(), PERSON.to_owned())]);
        let out = tidy(text, vec![person(start..start + 8)], &bundled_lexicon(), &[]);
        assert!(out.is_empty());
    }

    #[test]
    fn a_verb_after_a_name_is_left_out() {
        let raw = RuleSet::arabic_news().propose(DIGEST);
        assert!(has(DIGEST, &raw, "باترسون شددت", "PERS"), "the rules' own proposals are unchanged");
        assert!(has(DIGEST, &sample_proposers().list_proposals(DIGEST), "باترسون شددت", "PERS"), "so are the model's features");
        let proposals = sample_proposers().propose(DIGEST);
        assert!(has(DIGEST, &proposals, "باترسون", "PERS"), "{:?}", found(DIGEST, &proposals));
        assert!(!found(DIGEST, &proposals).iter().any(|(s, _)| s.contains("شددت")));
    }

    #[test]
    fn inflected_common_words_are_trimmed_off_the_end_of_a_name() {
        let text = "وأن مايكل ريتني أبلغا نائب الوزير وأن الرئيس طالباني متضامنا مع الحملة";
        assert_eq!(tidied(text, "مايكل ريتني أبلغا"), ["مايكل ريتني"], "dual perfect");
        assert_eq!(tidied(text, "طالباني متضامنا"), ["طالباني"], "accusative");
        // The last word of a name is kept: one the lexicon saw mostly in names, a stem of two
        // letters, a name in `يا`, a lone word.
        // (`دينا` is `دين` + `ا`, but seen mostly in names.)
        let text = "وقالت سارة دينا وقال حسين عزت وقال صوفيا ماريا وقال شددت";
        for name in ["سارة دينا", "حسين عزت", "صوفيا ماريا", "شددت"] {
            assert_eq!(tidied(text, name), [name]);
        }
    }

    #[test]
    fn other_labels_are_left_alone() {
        let text = "في كردستان سوريا وقال المرصد";
        let loc = |range| Proposal { range, label: "LOC".to_owned(), score: 0.9, source: "gazetteer".to_owned() };
        let proposals = vec![loc(3..16), Proposal { label: "ORG".to_owned(), ..person(22..28) }];
        assert_eq!(tidy(text, proposals.clone(), &bundled_lexicon(), &[]), proposals);
    }

    #[test]
    fn neighbourhoods_named_after_vineyards_are_places() {
        // `حي كرم الميسر وحي كرم الطحان`: two places, not a person (`كرم` starts person names).
        let proposals = sample_proposers().propose(EAST_ALEPPO);
        let found = found(EAST_ALEPPO, &proposals);
        for place in ["كرم الميسر", "كرم الطحان"] {
            assert!(found.contains(&(place.to_owned(), "LOC".to_owned())), "{place}: {found:?}");
        }
        assert!(!found.iter().any(|(s, _)| s.contains("الميسر وحي")));
    }

    #[test]
    fn a_first_name_the_lists_know_starts_the_name() {
        // The article spells Jean-Marc Ayrault `جو مارك إيرولت`; `جو` is a common word («جو
        // الحرب») that the lists never saw in a name, so only `مارك إيرولت` is proposed. With a
        // first name they know the whole name is.
        let proposals = sample_proposers().propose(STREET_FIGHTING);
        assert!(has(STREET_FIGHTING, &proposals, "مارك إيرولت", "PERS"));
        let text = "من جهته، واصل جون مارك إيرولت، وزير الخارجية الفرنسي انتقاداته";
        assert!(has(text, &sample_proposers().propose(text), "جون مارك إيرولت", "PERS"));
    }
}
