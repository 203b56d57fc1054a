//! A rules proposer: trigger words that predict a name after them (`الرئيس`, `مدينة`) or open one
//! (`حزب`, `مجلس`).
//!
//! Rules are data, read from RON ([`RuleSet::load`]); the default set for Arabic news is
//! `assets/rules/arabic-news.ron`, compiled in ([`RuleSet::arabic_news`]), whose header explains
//! the format. Matching follows the gazetteer's conventions (DESIGN.md §4): triggers are found in
//! text normalized with [`NormalizeOptions::MATCHING`], as whole words, also after proclitics
//! (`والرئيس`), and spans leave the proclitic out but keep the article (`الأسد`).
//!
//! Where a name ends is the hard part. The words after a trigger are weighed with a [`Lexicon`]:
//! a word seen mostly inside names, or never seen, continues the name; a common word, punctuation,
//! a number, a stop word or another trigger ends it. The lexicon must come from annotated text
//! (the bundled one, or [`super::training::training_lexicon`]); counting a project's raw articles
//! into it would make its unseen names look like common words.
//!
//! Speed: one Aho-Corasick automaton finds every trigger in one pass; words are only looked at
//! after a trigger, and looked up in the lexicon as slices of the normalized text, so the cost per
//! token is the automaton's.

use std::cmp::Reverse;
use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use serde::Deserialize;

use super::Proposal;
use crate::arabic::chars::{is_letter, is_proclitic_letter};
use crate::arabic::{Lexicon, NormalizeOptions, WordKind, normalize, split_proclitics, words};
use crate::ron_text::{ParseError, from_ron};

/// Name of this proposer in [`Proposal::source`].
pub const SOURCE: &str = "rules";

/// The default rules for Arabic news, compiled in.
const ARABIC_NEWS: &str = include_str!("../../assets/rules/arabic-news.ron");

/// Shortest unseen word, in letters, taken for a name: shorter ones are mostly particles.
const MIN_UNSEEN_LETTERS: usize = 3;

/// Where a rule's trigger stands relative to the entity it predicts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum Position {
    /// The entity follows the trigger, which is not part of it (`الرئيس` + `بشار الأسد`).
    Before,
    /// The trigger opens the entity and is part of it (`حزب الله`).
    Inside,
}

/// One group of triggers that share a label and a way of finding the entity.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// What the rule is called in reports.
    pub name: String,
    /// The label it proposes.
    pub label: String,
    /// Where the trigger stands relative to the entity.
    pub position: Position,
    /// Trigger words or phrases, as written (normalized when the set is built).
    pub triggers: Vec<String>,
    /// For [`Position::Before`]: how many non-name words starting with ال may come between the
    /// trigger and the entity (`الرئيس السوري بشار الأسد`).
    #[serde(default)]
    pub skip: usize,
    /// When true, the first word after the trigger must be definite (`مجلس الأمن`) or seen mostly
    /// in names: an unseen indefinite word there is mostly an adjective (`منظمة شبيهة`).
    #[serde(default)]
    pub definite: bool,
    /// When true, the trigger does not count right after a word starting with ال, which it would
    /// describe: `الفرنسي` names a person in `سجل الفرنسي زيدان`, not in `الجيش الفرنسي`.
    #[serde(default)]
    pub not_after_definite: bool,
    /// Most words in the entity, not counting an inside trigger.
    pub max_words: usize,
    /// This rule's own share of a word's occurrences inside names from which the word counts as
    /// name-like, instead of the set's `name_share`.
    #[serde(default)]
    pub name_share: Option<f32>,
    /// Confidence of the rule's proposals, 0..=1.
    pub score: f32,
}

/// The RON file's shape.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default = "default_name_share")]
    name_share: f32,
    #[serde(default)]
    stop_words: Vec<String>,
    #[serde(default)]
    name_words: Vec<String>,
    #[serde(default)]
    joining_words: Vec<String>,
    rules: Vec<Rule>,
}

fn default_name_share() -> f32 {
    0.5
}

/// A rule file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// The file could not be read.
    #[error("reading {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Not valid RON for a rule set, or a rule that makes no sense; located by file:line:column.
    #[error(transparent)]
    Parse(#[from] ParseError),
}

/// What the automaton's pattern `i` stands for.
#[derive(Clone, Copy, Debug)]
struct Pattern {
    /// Index into [`RuleSet::rules`].
    rule: usize,
    /// The trigger's article written without its alef, valid only after a proclitic ل
    /// (`للرئيس` is ل + `لرئيس`).
    elided: bool,
}

/// A trigger found in normalized text, in bytes of that text.
#[derive(Clone, Copy, Debug)]
struct Trigger {
    /// Start of the word the trigger is in (before its proclitics).
    word_start: usize,
    /// Start of the trigger itself (after its proclitics).
    start: usize,
    end: usize,
    rule: usize,
}

/// A set of rules ready to propose: the rules, their automaton and the lexicon they weigh words
/// with.
#[derive(Clone, Debug)]
pub struct RuleSet {
    rules: Vec<Rule>,
    /// Share of a word's occurrences inside names from which it counts as name-like.
    name_share: f32,
    /// Normalized stop words.
    stop_words: HashSet<String>,
    /// Normalized words that continue a name whatever the lexicon says, but start none
    /// (`الثاني`).
    name_words: HashSet<String>,
    /// Normalized words that join the parts of a name (`بن`, `آل`): they continue one whatever
    /// the lexicon says, but a name never ends on them.
    joining_words: HashSet<String>,
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
    lexicon: Arc<Lexicon>,
}

impl RuleSet {
    /// The default rules for Arabic news (`assets/rules/arabic-news.ron`), weighing words with the
    /// bundled lexicon.
    pub fn arabic_news() -> RuleSet {
        Self::parse(ARABIC_NEWS, Path::new("assets/rules/arabic-news.ron"))
            // Compiled in and checked by a unit test, so a failure here is a build mistake.
            .unwrap_or_else(|e| panic!("bundled rules: {e}"))
    }

    /// Reads a rule file; errors name the file, line and column.
    pub fn load(path: &Path) -> Result<RuleSet, RulesError> {
        let bytes = std::fs::read(path).map_err(|source| RulesError::Read { path: path.to_owned(), source })?;
        let text = String::from_utf8_lossy(&bytes);
        // `from_ron` reports bytes that are not UTF-8 at their place.
        let file: RuleFile = from_ron(&bytes, path)?;
        Ok(Self::build(file, &text, path)?)
    }

    /// Parses rules from RON `text`; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<RuleSet, RulesError> {
        let file: RuleFile = from_ron(text.as_bytes(), path)?;
        Ok(Self::build(file, text, path)?)
    }

    /// The same rules weighing words with `lexicon` instead of the bundled one.
    pub fn with_lexicon(mut self, lexicon: Arc<Lexicon>) -> RuleSet {
        self.lexicon = lexicon;
        self
    }

    /// The rules, in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The lexicon the rules weigh words with.
    pub fn lexicon(&self) -> &Arc<Lexicon> {
        &self.lexicon
    }

    /// Checks the rules and compiles their triggers into one automaton.
    fn build(file: RuleFile, text: &str, path: &Path) -> Result<RuleSet, ParseError> {
        let error = |needle: &str, message: String| located(text, path, needle, 0, message);
        if !(0.0..=1.0).contains(&file.name_share) {
            return Err(error("name_share", "name_share must be within 0 and 1".into()));
        }
        let mut seen = HashSet::new();
        let mut forms = Vec::new();
        let mut patterns = Vec::new();
        for (index, rule) in file.rules.iter().enumerate() {
            let at = format!("\"{}\"", rule.name);
            if rule.label.trim().is_empty() {
                return Err(error(&at, format!("rule {:?} has no label", rule.name)));
            }
            if rule.max_words == 0 {
                return Err(error(&at, format!("rule {:?}: max_words must be at least 1", rule.name)));
            }
            if !rule.name_share.is_none_or(|share| (0.0..=1.0).contains(&share)) {
                return Err(error(&at, format!("rule {:?}: name_share must be within 0 and 1", rule.name)));
            }
            if !(0.0..=1.0).contains(&rule.score) {
                return Err(error(&at, format!("rule {:?}: score must be within 0 and 1", rule.name)));
            }
            if rule.triggers.is_empty() {
                return Err(error(&at, format!("rule {:?} has no trigger", rule.name)));
            }
            for trigger in &rule.triggers {
                let form = normalize_phrase(trigger);
                let quoted = format!("\"{trigger}\"");
                if !form.chars().next().is_some_and(is_letter) {
                    return Err(error(&quoted, format!("trigger {trigger:?} must start with a letter")));
                }
                if !seen.insert(form.clone()) {
                    return Err(located(text, path, &quoted, 1, format!("trigger {trigger:?} appears twice")));
                }
                if let Some(elided) = form.strip_prefix("ال") {
                    forms.push(format!("ل{elided}"));
                    patterns.push(Pattern { rule: index, elided: true });
                }
                forms.push(form);
                patterns.push(Pattern { rule: index, elided: false });
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            // A few hundred triggers make a small DFA, which runs the overlapping search over
            // every byte of the text more than twice as fast as the default NFA.
            .kind(Some(AhoCorasickKind::DFA))
            .build(&forms)
            // Building only fails past internal size limits, far beyond any rule file.
            .unwrap_or_else(|e| panic!("rules automaton: {e}"));
        Ok(RuleSet {
            rules: file.rules,
            name_share: file.name_share,
            stop_words: file.stop_words.iter().map(|w| normalize_phrase(w)).collect(),
            name_words: file.name_words.iter().map(|w| normalize_phrase(w)).collect(),
            joining_words: file.joining_words.iter().map(|w| normalize_phrase(w)).collect(),
            automaton,
            patterns,
            lexicon: bundled_lexicon(),
        })
    }

    /// Proposals for `text`, in order, never overlapping.
    pub fn propose(&self, text: &str) -> Vec<Proposal> {
        self.find(text)
            .into_iter()
            .map(|(rule, range)| Proposal { range, label: self.rules[rule].label.clone(), score: self.rules[rule].score, source: SOURCE.to_owned() })
            .collect()
    }

    /// Entities as (rule index, original char range), in order, never overlapping.
    fn find(&self, text: &str) -> Vec<(usize, Range<usize>)> {
        let normalized = normalize(text, &NormalizeOptions::MATCHING);
        let norm = normalized.text.as_str();
        let mut triggers: Vec<Trigger> = self
            .automaton
            .find_overlapping_iter(norm)
            .filter_map(|m| {
                let pattern = self.patterns[m.pattern().as_usize()];
                let word_start = proclitic_start(norm, m.start(), pattern.elided)?;
                let ends_word = norm[m.end()..].chars().next().is_none_or(|c| !is_letter(c));
                let describes = self.rules[pattern.rule].not_after_definite && follows_definite(norm, word_start);
                (ends_word && !describes).then_some(Trigger { word_start, start: m.start(), end: m.end(), rule: pattern.rule })
            })
            .collect();
        // Leftmost first, and the longest of those starting at one place.
        triggers.sort_unstable_by_key(|t| (t.start, Reverse(t.end)));
        // By the start of their word, for the words after a trigger.
        let mut trigger_words = triggers.clone();
        trigger_words.sort_by_key(|t| t.word_start);

        let mut out = Vec::new();
        let mut chars = CharCursor::new(norm);
        let mut covered = 0;
        for trigger in &triggers {
            if trigger.start < covered {
                continue;
            }
            covered = trigger.end;
            let Some(entity) = self.entity(norm, trigger, &trigger_words) else {
                continue;
            };
            covered = covered.max(entity.end);
            let start = chars.char_at(entity.start);
            let end = chars.char_at(entity.end);
            out.push((trigger.rule, normalized.to_original(start..end)));
        }
        out
    }

    /// The entity `trigger` predicts, in bytes of the normalized text, if the words allow one.
    fn entity(&self, norm: &str, trigger: &Trigger, trigger_words: &[Trigger]) -> Option<Range<usize>> {
        let rule = &self.rules[trigger.rule];
        let rest = &norm[trigger.end..];
        let mut name: Option<Range<usize>> = None;
        let mut count = 0;
        let mut skipped = 0;
        // End of the name's last word that is not a joining word.
        let mut solid_end = None;
        // End of a trigger phrase taken into the name, whose words are name words.
        let mut phrase_end = 0;
        for word in words(rest) {
            let at = trigger.end + word.bytes.start..trigger.end + word.bytes.end;
            let text = word.text(rest);
            let next = trigger_words.get(trigger_words.partition_point(|t| t.word_start < at.start)).filter(|t| t.word_start == at.start);
            if let Some(next) = next
                && name.is_none()
                && skipped == 0
                && self.opens_name(rule, next)
            {
                phrase_end = next.end;
            }
            let kind = if at.start < phrase_end {
                WordClass::Name
            } else if word.kind != WordKind::Letters || self.stop_words.contains(text) || next.is_some() {
                WordClass::Stop
            } else {
                self.classify(text, rule.name_share.unwrap_or(self.name_share), name.is_none())
            };
            let solid = !self.joining_words.contains(text);
            match (&mut name, kind) {
                (Some(range), WordClass::Name) if count < rule.max_words => {
                    range.end = at.end;
                    count += 1;
                    if solid {
                        solid_end = Some(at.end);
                    }
                }
                (Some(_), _) => break,
                // Right after a title an unseen `ال…ي` is mostly an adjective of origin
                // (`الرئيس الفنزويلي`); elsewhere a name (`مدينة اللاذقية`, `حاتم الجبلي`).
                (None, WordClass::Name | WordClass::Common)
                    if rule.position == Position::Before
                        && skipped < rule.skip
                        && text.starts_with("ال")
                        && (kind == WordClass::Common || self.is_unseen_nisba(text)) =>
                {
                    skipped += 1;
                }
                (None, WordClass::Name) if !(rule.definite && !text.starts_with("ال") && self.is_unseen(text)) => {
                    solid_end = solid.then_some(at.end);
                    name = Some(at);
                    count = 1;
                }
                (None, _) => return None,
            }
        }
        // A name ends on a word of its own, not on `بن` or `آل`.
        let name = name?.start..solid_end?;
        Some(match rule.position {
            Position::Before => name,
            Position::Inside => trigger.start..name.end,
        })
    }

    /// True when trigger `next`, right after a trigger of `rule`, is the start of the name `rule`
    /// predicts rather than the end of it: a title in a place's name (`حي الشيخ مقصود`), which
    /// a rule of another label proposing after it tells apart from `قال الرئيس`.
    fn opens_name(&self, rule: &Rule, next: &Trigger) -> bool {
        let other = &self.rules[next.rule];
        rule.position == Position::Before && other.position == Position::Before && other.label != rule.label && next.start == next.word_start
    }

    /// True when the lexicon has never seen the (normalized) word.
    fn is_unseen(&self, word: &str) -> bool {
        self.lexicon.get_key(word).count == 0
    }

    /// True for an unseen word shaped like a definite adjective of origin: `الفنزويلي`,
    /// `الفلبينية`.
    fn is_unseen_nisba(&self, word: &str) -> bool {
        word.starts_with("ال") && (word.ends_with('ي') || word.ends_with("ية")) && self.is_unseen(word)
    }

    /// Whether a letter word (normalized) looks like part of a name, `share` being the part of its
    /// occurrences that must be inside names; `first` when it would start the name.
    fn classify(&self, word: &str, share: f32, first: bool) -> WordClass {
        // Name words continue names but start none: `الملك عبد الله الثاني`, not `اللواء العاشر`.
        if !first && (self.name_words.contains(word) || self.joining_words.contains(word)) {
            return WordClass::Name;
        }
        // `لروسيا`, `والقاهرة`, `لاعتقال`: a preposition or conjunction starts another phrase.
        // (Only a word starting with a proclitic letter can split; most do not, and the splitter
        // allocates.)
        if word.starts_with(is_proclitic_letter) && split_proclitics(word, &self.lexicon).is_split() {
            return WordClass::Stop;
        }
        let entry = self.lexicon.get_key(word);
        if entry.count == 0 {
            let long = word.chars().nth(MIN_UNSEEN_LETTERS - 1).is_some();
            return if long && !looks_inflected(word, first) { WordClass::Name } else { WordClass::Common };
        }
        if entry.names as f32 >= share * entry.count as f32 { WordClass::Name } else { WordClass::Common }
    }
}

/// True for an unseen word shaped like an inflected common word rather than a name: with a
/// pronoun suffix (`انتقاداته`, `يسكنها`), or after the first word of a name, a feminine
/// participle (`جبهة النصرة المرتبطة`) or an imperfect verb (`بوتين يؤجج`).
fn looks_inflected(word: &str, first: bool) -> bool {
    const PRONOUN_SUFFIXES: [&str; 5] = ["ها", "هم", "هما", "كم", "اته"];
    let suffix = PRONOUN_SUFFIXES.iter().any(|s| word.ends_with(s));
    let participle = word.starts_with("الم") && word.ends_with('ة');
    let verb = word.starts_with('ي');
    suffix || (!first && (participle || verb))
}

/// How a word after a trigger is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WordClass {
    /// Part of a name.
    Name,
    /// A common word: ends a name (or is skipped before one).
    Common,
    /// Ends a name, and is never skipped.
    Stop,
}

/// The bundled lexicon, shared by every rule set that was not given another.
pub(crate) fn bundled_lexicon() -> Arc<Lexicon> {
    static LEXICON: OnceLock<Arc<Lexicon>> = OnceLock::new();
    LEXICON.get_or_init(|| Arc::new(Lexicon::bundled().clone())).clone()
}

/// Where the word holding a trigger at byte `start` of `norm` begins, if the trigger starts the
/// word or follows only proclitics (an optional و/ف, then an optional ب/ل/ك); an elided trigger
/// must follow a proclitic ل.
fn proclitic_start(norm: &str, start: usize, elided: bool) -> Option<usize> {
    let mut before = norm[..start].char_indices().rev().take_while(|&(_, c)| is_letter(c));
    let (first, second, third) = (before.next(), before.next(), before.next());
    let is_conjunction = |c| matches!(c, 'و' | 'ف');
    let word_start = match (first, second, third) {
        (None, _, _) => start,
        (Some((b, c)), None, _) if is_proclitic_letter(c) => b,
        (Some((_, c)), Some((b, d)), None) if matches!(c, 'ب' | 'ل' | 'ك') && is_conjunction(d) => b,
        _ => return None,
    };
    let after_lam = first.is_some_and(|(_, c)| c == 'ل');
    (!elided || after_lam).then_some(word_start)
}

/// True when the word before byte `word_start` of `norm` (past spaces only) starts with ال.
fn follows_definite(norm: &str, word_start: usize) -> bool {
    let before = norm[..word_start].trim_end_matches(' ');
    let word_start = before.char_indices().rev().take_while(|&(_, c)| is_letter(c)).last().map_or(before.len(), |(b, _)| b);
    before[word_start..].starts_with("ال")
}

/// Char offsets of increasing byte offsets in one text, counted incrementally.
struct CharCursor<'a> {
    text: &'a str,
    byte: usize,
    char: usize,
}

impl<'a> CharCursor<'a> {
    fn new(text: &'a str) -> Self {
        CharCursor { text, byte: 0, char: 0 }
    }

    /// Char offset of byte offset `byte` (a char boundary); restarts when asked for an earlier one.
    fn char_at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            (self.byte, self.char) = (0, 0);
        }
        self.char += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.char
    }
}

/// A trigger or stop word as matched: normalized, whitespace runs folded to one space.
fn normalize_phrase(phrase: &str) -> String {
    let normalized = normalize(phrase, &NormalizeOptions::MATCHING).text;
    normalized.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An error at the `nth` (0-based) occurrence of `needle` in `text`, or at an earlier one (or the
/// start of the file) when there are fewer.
fn located(text: &str, path: &Path, needle: &str, nth: usize, message: String) -> ParseError {
    let mut at = 0;
    let mut found = None;
    for _ in 0..=nth {
        let Some(offset) = text[at..].find(needle) else {
            break;
        };
        found = Some(at + offset);
        at += offset + needle.len();
    }
    let (line, column) = position(text, found.unwrap_or(0));
    ParseError { path: path.to_owned(), line, column, message }
}

/// 1-based line and column (in chars) of byte offset `at`.
fn position(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = 1 + before.matches('\n').count();
    let column = 1 + before.rsplit('\n').next().map_or(0, |l| l.chars().count());
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::conll::{ConllSentence, parse_conll};
    use crate::model::tokens_overlapping;
    use crate::propose::training_lexicon;
    use crate::propose::{Gazetteer, combine};
    use std::collections::BTreeMap;

    /// Per-rule and per-trigger precision on a training file, out of fold: the lexicon (and the
    /// gazetteer the rules are combined with) come from the other folds.
    /// `TAWSIM_TRAIN=/tmp/tw_train.conll cargo test --release --lib train_split -- --ignored --nocapture`;
    /// TAWSIM_SHOW=NAME prints that rule's or trigger's wrong proposals.
    #[test]
    #[ignore]
    fn train_split_precision() {
        let Ok(train) = std::env::var("TAWSIM_TRAIN") else {
            panic!("set TAWSIM_TRAIN");
        };
        let show = std::env::var("TAWSIM_SHOW").unwrap_or_default();
        let text = std::fs::read_to_string(&train).expect("training file");
        let sentences = parse_conll(&text).expect("CoNLL");
        let base = RuleSet::arabic_news();
        // Key: rule name or `rule/trigger`; value: (alone, correct alone, kept, correct kept).
        let mut stats: BTreeMap<String, [u32; 4]> = BTreeMap::new();
        const FOLDS: usize = 5;
        for fold in 0..FOLDS {
            let (held, rest): (Vec<_>, Vec<_>) = sentences.iter().enumerate().partition(|(i, _)| i % FOLDS == fold);
            let rest: Vec<ConllSentence> = rest.into_iter().map(|(_, s)| s.clone()).collect();
            let lexicon = Arc::new(training_lexicon(&rest));
            let gazetteer = Gazetteer::from_sentences(&rest);
            let mut sets: Vec<(String, RuleSet)> = vec![(String::new(), base.clone().with_lexicon(lexicon.clone()))];
            for rule in base.rules() {
                for trigger in &rule.triggers {
                    let single = RuleFile {
                        name_share: base.name_share,
                        stop_words: base.stop_words.iter().cloned().collect(),
                        name_words: base.name_words.iter().cloned().collect(),
                        joining_words: base.joining_words.iter().cloned().collect(),
                        rules: vec![Rule { triggers: vec![trigger.clone()], ..rule.clone() }],
                    };
                    let set = RuleSet::build(single, "", Path::new("t")).expect("valid").with_lexicon(lexicon.clone());
                    sets.push((format!("{}/{trigger}", rule.name), set));
                }
            }
            for (_, sentence) in held {
                let (text, ranges) = sentence.text();
                let gold = |range: &Range<usize>, label: &str| {
                    tokens_overlapping(&ranges, range).is_some_and(|t| sentence.entities.iter().any(|(r, l)| *r == t && l == label))
                };
                let gazetteer = gazetteer.propose(&text);
                if let Ok(label) = std::env::var("TAWSIM_MISSED") {
                    let all = combine(vec![gazetteer.clone(), sets[0].1.propose(&text)]);
                    for (r, l) in sentence.entities.iter().filter(|(_, l)| *l == label) {
                        let found = all.iter().any(|p| p.label == *l && tokens_overlapping(&ranges, &p.range).as_ref() == Some(r));
                        if !found {
                            let before = sentence.tokens[r.start.saturating_sub(2)..r.start].join(" ");
                            let after = sentence.tokens[r.end..(r.end + 2).min(sentence.tokens.len())].join(" ");
                            println!("MISSED {before} ⟦{}⟧ {after}", sentence.tokens[r.clone()].join(" "));
                        }
                    }
                }
                for (key, set) in &sets {
                    let found = set.find(&text);
                    let kept = combine(vec![gazetteer.clone(), set.propose(&text)]);
                    for (rule, range) in found {
                        let rule = &set.rules[rule];
                        let key = if key.is_empty() { rule.name.clone() } else { key.clone() };
                        let ok = gold(&range, &rule.label);
                        let survives = kept.iter().any(|p| p.range == range && p.source == SOURCE);
                        let entry = stats.entry(key.clone()).or_default();
                        entry[0] += 1;
                        entry[1] += u32::from(ok);
                        entry[2] += u32::from(survives);
                        entry[3] += u32::from(survives && ok);
                        if !ok && !show.is_empty() && key == show {
                            let chars: Vec<char> = text.chars().collect();
                            let from = range.start.saturating_sub(40);
                            let to = (range.end + 30).min(chars.len());
                            let gold: Vec<String> = sentence.entities.iter().map(|(r, l)| format!("{l}:{}", sentence.tokens[r.clone()].join(" "))).collect();
                            println!(
                                "[{}] {} ⟦{}⟧ {} | gold {gold:?}",
                                if survives { "kept" } else { "lost" },
                                chars[from..range.start].iter().collect::<String>(),
                                chars[range.clone()].iter().collect::<String>(),
                                chars[range.end..to].iter().collect::<String>(),
                            );
                        }
                    }
                }
            }
        }
        println!("{:<40} {:>6} {:>6} {:>7} {:>6} {:>6} {:>7}", "rule", "alone", "right", "prec", "kept", "right", "prec");
        for (key, [a, ac, k, kc]) in &stats {
            let p = |c: &u32, n: &u32| if *n == 0 { 0.0 } else { *c as f64 / *n as f64 };
            println!("{key:<40} {a:>6} {ac:>6} {:>7.3} {k:>6} {kc:>6} {:>7.3}", p(ac, a), p(kc, k));
        }
    }
}
