//! Imported predictions: other systems' entities, read from JSONL, CoNLL or brat files and matched
//! to the project's articles as [`Proposal`]s named `import:FILE`.
//!
//! A document is matched by its id first: the id may be the article's path below the corpus
//! folder (`news/aleppo.txt`), its path below the project root (`corpus/news/aleppo.txt`), either
//! without `.txt`, or its file name or stem (`aleppo.txt`, `aleppo`) when only one article has it.
//! When the id fits no article, or the document's own text (or CoNLL tokens) disagree with the
//! article its id names, it is matched by content: a text equal to an article's, allowing for CRLF
//! line ends and trailing whitespace (offsets are mapped across that difference), or CoNLL tokens
//! that spell an article's text once whitespace is removed and both are normalized for matching.
//! Content is looked up in a hash index, built once and only when some document needs it.
//!
//! Every span is checked (offsets inside the text, label in the schema, score in 0..=1, its own
//! text equal to the article's at its offsets); what fails is reported with its file and line,
//! never silently dropped.

#![warn(missing_docs)]

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::rc::Rc;

use crate::arabic::{NormalizeOptions, normalize};
use crate::formats::conll::ConllDocument;
use crate::formats::{ExternalDocument, ExternalSpan, FormatError, Loaded, Location, SkipReason, Skipped, brat, check_span, conll, jsonl};
use crate::propose::Proposal;
use crate::store::{Project, read_article};

/// The file formats predictions are read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum PredictionFormat {
    /// JSON Lines as spaCy, Prodigy or doccano write them.
    Jsonl,
    /// Token-level CoNLL (`token … LABEL`), IOB1, IOB2 or BIOES.
    Conll,
    /// brat standoff: a `.ann` file, or a folder of them.
    Brat,
}

impl PredictionFormat {
    /// The format a path's extension suggests: `.jsonl`/`.json`, `.conll`/`.txt`/`.iob`/`.bio`,
    /// `.ann` or a folder holding `.ann` files; `None` when it suggests none.
    pub fn guess(path: &Path) -> Option<PredictionFormat> {
        if path.is_dir() {
            return brat::holds_ann(path).then_some(PredictionFormat::Brat);
        }
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" | "json" => Some(PredictionFormat::Jsonl),
            "conll" | "txt" | "iob" | "bio" | "iobes" | "bioes" => Some(PredictionFormat::Conll),
            "ann" => Some(PredictionFormat::Brat),
            _ => None,
        }
    }
}

/// What an import found: proposals per article, and everything that could not be used.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// `import:FILE`, the source every proposal carries.
    pub source: String,
    /// Proposals by index into `project.articles`, sorted by range and label, without duplicates.
    pub proposals: BTreeMap<usize, Vec<Proposal>>,
    /// Documents matched to an article.
    pub matched: Vec<MatchedDocument>,
    /// Documents that fit no article.
    pub unmatched: Vec<UnmatchedDocument>,
    /// Documents whose id names an article their text or tokens disagree with.
    pub conflicts: Vec<IdConflict>,
    /// Lines and spans left out, with file, line and reason, in file order.
    pub skipped: Vec<Skipped>,
    /// Articles that could not be read, so nothing could match them.
    pub unreadable: Vec<UnreadableArticle>,
}

impl ImportReport {
    /// Number of proposals over all articles.
    pub fn proposal_count(&self) -> usize {
        self.proposals.values().map(Vec::len).sum()
    }
}

/// A document matched to an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchedDocument {
    /// Where the document is.
    pub origin: Location,
    /// Index into `project.articles`.
    pub article: usize,
    /// By id or by content.
    pub by: MatchedBy,
    /// How many of its spans became proposals.
    pub proposals: usize,
}

/// How a document was matched to its article.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchedBy {
    /// Its id names the article.
    Id,
    /// Its text (or its CoNLL tokens) is the article's.
    Content,
}

/// A document that fits no article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnmatchedDocument {
    /// Where the document is.
    pub origin: Location,
    /// Its id, if it has one.
    pub id: Option<String>,
    /// Why it was not matched.
    pub reason: NoMatch,
}

impl fmt::Display for UnmatchedDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.id {
            Some(id) => write!(f, "{}: document {id:?} not matched: {}", self.origin, self.reason),
            None => write!(f, "{}: document not matched: {}", self.origin, self.reason),
        }
    }
}

/// Why a document was not matched.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NoMatch {
    /// Neither its id nor its content is any article's.
    #[error("no article has its id or its text")]
    NotFound,
    /// Its id or content fits several articles (their corpus paths), so none is chosen.
    #[error("it fits {} articles: {}", .0.len(), .0.join(", "))]
    Ambiguous(Vec<String>),
    /// Its id names an article whose text disagrees, or its tokens do not align; says how.
    #[error("{0}")]
    Misfit(String),
    /// Its id names an article (its corpus path) that cannot be read.
    #[error("its article {0} cannot be read")]
    ArticleUnreadable(String),
}

/// A document whose id names an article that its own text or tokens disagree with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdConflict {
    /// Where the document is.
    pub origin: Location,
    /// The document's id.
    pub id: String,
    /// Index into `project.articles` of the article the id names.
    pub article: usize,
    /// How they disagree.
    pub why: String,
}

impl fmt::Display for IdConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: document {:?}: {}", self.origin, self.id, self.why)
    }
}

/// An article that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnreadableArticle {
    /// Index into `project.articles`.
    pub article: usize,
    /// What went wrong, naming the file.
    pub error: String,
}

/// Reads predictions from `path` and matches them to `project`'s articles.
///
/// Only a file that cannot be read at all (or a CoNLL line that breaks the token sequence) is an
/// error; everything else is in the report.
pub fn import_predictions(path: &Path, format: PredictionFormat, project: &Project) -> Result<ImportReport, FormatError> {
    let (documents, skipped) = match format {
        PredictionFormat::Jsonl => characters(jsonl::read(path)?),
        PredictionFormat::Brat => characters(brat::read(path)?),
        PredictionFormat::Conll => {
            let documents = conll::read(path)?.into_iter().map(Prediction::Tokens);
            (documents.collect(), Vec::new())
        }
    };
    let mut import = Import::new(project, path);
    import.report.skipped = skipped;
    for document in documents {
        import.place(document);
    }
    Ok(import.finish())
}

/// `import:FILE` for predictions read from `path`.
pub fn source_name(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
    format!("import:{name}")
}

/// A document as read: in char offsets of its own text, or CoNLL tokens still to be aligned.
enum Prediction {
    /// JSONL and brat documents.
    Chars(ExternalDocument),
    /// CoNLL documents, which have no text.
    Tokens(ConllDocument),
}

fn characters(loaded: Loaded) -> (Vec<Prediction>, Vec<Skipped>) {
    let documents = loaded.documents.into_iter().map(Prediction::Chars).collect();
    (documents, loaded.skipped)
}

/// What a document's content is compared by when its id does not match.
#[derive(Clone, Copy)]
enum ContentKey {
    /// Its text, up to [`canonical`]'s changes (JSONL, brat).
    Text,
    /// Its tokens' letters, see [`token_key`] (CoNLL).
    Tokens,
}

impl ContentKey {
    /// The key of `text` (for CoNLL, of the tokens joined).
    fn of(self, text: &str) -> String {
        match self {
            ContentKey::Text => canonical(text).0,
            ContentKey::Tokens => token_key(text),
        }
    }
}

/// A document's spans as they fit a particular article.
struct Placed {
    /// The article's text.
    text: Rc<str>,
    spans: Vec<ExternalSpan>,
    /// Set when the document's text differs from the article's in line ends or trailing space.
    remap: Option<Remap>,
}

/// Whether a document fits an article.
enum Fit {
    Fits(Placed),
    /// They disagree; says how.
    Differs(String),
    Unreadable,
}

/// One import in progress.
struct Import<'p> {
    project: &'p Project,
    /// The predictions file, named in CoNLL alignment errors.
    path: &'p Path,
    corpus: Corpus<'p>,
    report: ImportReport,
}

impl<'p> Import<'p> {
    fn new(project: &'p Project, path: &'p Path) -> Self {
        Import { project, path, corpus: Corpus::new(project), report: ImportReport { source: source_name(path), ..ImportReport::default() } }
    }

    /// Matches one document and turns its spans into proposals, or records why not.
    fn place(&mut self, document: Prediction) {
        let (origin, id) = match &document {
            Prediction::Chars(d) => (d.origin.clone(), d.id.clone()),
            Prediction::Tokens(d) => (Location::new(self.path, d.line), d.id.clone()),
        };
        let mut reason = NoMatch::NotFound;
        if let Some(id) = &id {
            let named = self.corpus.by_id(id);
            if let Some((article, placed)) = self.choose(&document, &named, &mut reason) {
                return self.accept(origin, article, MatchedBy::Id, placed);
            }
            if let (NoMatch::Misfit(why), &[article]) = (&reason, named.as_slice()) {
                self.report.conflicts.push(IdConflict { origin: origin.clone(), id: id.clone(), article, why: why.clone() });
            }
        }
        let candidates = match &document {
            Prediction::Chars(d) => match &d.text {
                Some(text) => self.corpus.by_content(ContentKey::Text, text),
                None => Vec::new(),
            },
            Prediction::Tokens(d) => self.corpus.by_content(ContentKey::Tokens, &d.tokens().collect::<String>()),
        };
        if let Some((article, placed)) = self.choose(&document, &candidates, &mut reason) {
            return self.accept(origin, article, MatchedBy::Content, placed);
        }
        self.report.unmatched.push(UnmatchedDocument { origin, id, reason });
    }

    /// The one article of `candidates` that `document` fits; when there is none, `reason` says why
    /// (it is left alone when there are no candidates, so an earlier reason stands).
    fn choose(&mut self, document: &Prediction, candidates: &[usize], reason: &mut NoMatch) -> Option<(usize, Placed)> {
        match *candidates {
            [] => {}
            [article] => match self.fit(document, article) {
                Fit::Fits(placed) => return Some((article, placed)),
                Fit::Differs(why) => *reason = NoMatch::Misfit(why),
                Fit::Unreadable => *reason = NoMatch::ArticleUnreadable(self.rel(article)),
            },
            ref several => *reason = NoMatch::Ambiguous(several.iter().map(|&a| self.rel(a)).collect()),
        }
        None
    }

    /// Whether `document` fits `article`: same text (up to line ends), or tokens that align.
    fn fit(&mut self, document: &Prediction, article: usize) -> Fit {
        let Some(text) = self.corpus.text(article) else {
            return Fit::Unreadable;
        };
        match document {
            Prediction::Chars(d) => match &d.text {
                Some(own) if **own != *text => match Remap::between(own, &text) {
                    Some(remap) => Fit::Fits(Placed { spans: d.spans.clone(), remap: Some(remap), text }),
                    None => {
                        let at = own.chars().zip(text.chars()).take_while(|(a, b)| a == b).count();
                        Fit::Differs(format!("its text differs from that of {} from char {at} on", self.rel(article)))
                    }
                },
                _ => Fit::Fits(Placed { spans: d.spans.clone(), remap: None, text }),
            },
            Prediction::Tokens(d) => match d.align(&text, self.path) {
                Ok(aligned) => Fit::Fits(Placed { spans: aligned.spans, remap: None, text }),
                Err(e) => Fit::Differs(format!("its tokens do not align with {}: {e}", self.rel(article))),
            },
        }
    }

    /// Checks the spans of a matched document and keeps the good ones as proposals.
    fn accept(&mut self, origin: Location, article: usize, by: MatchedBy, placed: Placed) {
        let chars: Vec<char> = placed.text.chars().collect();
        let schema = &self.project.config.schema;
        let proposals = self.report.proposals.entry(article).or_default();
        let mut kept = 0;
        for span in &placed.spans {
            let checked = match &placed.remap {
                Some(remap) => remap.apply(span).and_then(|s| check_span(&s, &chars, schema)),
                None => check_span(span, &chars, schema),
            };
            match checked {
                Ok(range) => {
                    kept += 1;
                    proposals.push(Proposal { range, label: span.label.clone(), score: span.score.unwrap_or(1.0), source: self.report.source.clone() });
                }
                Err(reason) => self.report.skipped.push(Skipped::new(&origin.path, span.line, reason)),
            }
        }
        self.report.matched.push(MatchedDocument { origin, article, by, proposals: kept });
    }

    fn rel(&self, article: usize) -> String {
        self.project.articles[article].rel.clone()
    }

    /// Sorts proposals, merges duplicates (keeping the highest score) and sorts the skipped.
    fn finish(mut self) -> ImportReport {
        self.report.proposals.retain(|_, p| !p.is_empty());
        for proposals in self.report.proposals.values_mut() {
            proposals.sort_by(|a, b| (a.range.start, a.range.end, &a.label).cmp(&(b.range.start, b.range.end, &b.label)).then(b.score.total_cmp(&a.score)));
            // The highest score of equal proposals sorts first and is the one kept.
            proposals.dedup_by(|later, kept| later.range == kept.range && later.label == kept.label);
        }
        // Stable: lines of one file stay in the order they were met.
        self.report.skipped.sort_by(|a, b| a.at.cmp(&b.at));
        self.report.unreadable = self.corpus.unreadable;
        self.report
    }
}

/// The project's articles, looked up by id or content; texts are read once, when first needed.
struct Corpus<'p> {
    project: &'p Project,
    /// `None` until read; then the text, or `None` inside when it cannot be read.
    texts: Vec<Option<Option<Rc<str>>>>,
    /// Corpus- and project-relative paths, with and without `.txt`: unique.
    by_path: HashMap<String, usize>,
    /// File names and stems: several articles in different folders may share one.
    by_name: HashMap<String, Vec<usize>>,
    /// Per [`ContentKey`], the hash of each readable article's key → articles; built on first use.
    by_content: [Option<HashMap<u64, Vec<usize>>>; 2],
    unreadable: Vec<UnreadableArticle>,
}

impl<'p> Corpus<'p> {
    fn new(project: &'p Project) -> Self {
        let mut by_path = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        // Corpus-relative paths first: on a clash with another article's project-relative path,
        // the path as the annotation files name it wins.
        let paths = |a: &crate::store::Article| [a.rel.clone(), a.document.clone()];
        for (i, article) in project.articles.iter().enumerate() {
            for path in paths(article) {
                by_path.entry(without_txt(&path).to_owned()).or_insert(i);
                by_path.entry(path).or_insert(i);
            }
            let name = article.rel.rsplit('/').next().unwrap_or(&article.rel);
            for key in [name, without_txt(name)] {
                let list = by_name.entry(key.to_owned()).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        Corpus { project, texts: vec![None; project.articles.len()], by_path, by_name, by_content: [None, None], unreadable: Vec::new() }
    }

    /// Articles an id names (one, or several when it is a file name they share).
    fn by_id(&self, id: &str) -> Vec<usize> {
        let id = id.trim().replace('\\', "/");
        let id = id.trim_start_matches("./");
        match self.by_path.get(id) {
            Some(&i) => vec![i],
            None => self.by_name.get(id).cloned().unwrap_or_default(),
        }
    }

    /// Articles whose content is `content`'s, compared as `kind` says.
    fn by_content(&mut self, kind: ContentKey, content: &str) -> Vec<usize> {
        let wanted = kind.of(content);
        let slot = kind as usize;
        if self.by_content[slot].is_none() {
            let mut index: HashMap<u64, Vec<usize>> = HashMap::new();
            for i in 0..self.texts.len() {
                if let Some(text) = self.text(i) {
                    index.entry(hash_of(&kind.of(&text))).or_default().push(i);
                }
            }
            self.by_content[slot] = Some(index);
        }
        let candidates = self.by_content[slot].as_ref().and_then(|index| index.get(&hash_of(&wanted)).cloned()).unwrap_or_default();
        // The hash only narrows the search; equality decides.
        candidates.into_iter().filter(|&i| self.text(i).is_some_and(|t| kind.of(&t) == wanted)).collect()
    }

    /// The article's text, read on first use; `None` (and reported once) if it cannot be read.
    fn text(&mut self, article: usize) -> Option<Rc<str>> {
        if let Some(read) = &self.texts[article] {
            return read.clone();
        }
        let read = match read_article(&self.project.articles[article].path) {
            Ok(a) => Some(Rc::from(a.text)),
            Err(e) => {
                self.unreadable.push(UnreadableArticle { article, error: e.to_string() });
                None
            }
        };
        self.texts[article] = Some(read.clone());
        read
    }
}

/// `path` without a final `.txt` (in any case).
fn without_txt(path: &str) -> &str {
    match path.len().checked_sub(4) {
        Some(cut) if path.is_char_boundary(cut) && path[cut..].eq_ignore_ascii_case(".txt") => &path[..cut],
        _ => path,
    }
}

fn hash_of(text: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// A text's letters for matching CoNLL tokens: normalized for matching, whitespace removed.
fn token_key(text: &str) -> String {
    normalize(text, &NormalizeOptions::MATCHING).text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `text` with CRLF turned into LF, a leading BOM and trailing whitespace removed; and for each
/// char kept, its char offset in `text`.
///
/// Only deletions, so offsets map across by counting kept chars (see [`Remap`]).
fn canonical(text: &str) -> (String, Vec<usize>) {
    let body = text.trim_end();
    let mut out = String::with_capacity(body.len());
    let mut kept = Vec::new();
    let mut chars = body.chars().enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        let crlf = c == '\r' && chars.peek().is_some_and(|&(_, next)| next == '\n');
        if crlf || (i == 0 && c == '\u{FEFF}') {
            continue;
        }
        out.push(c);
        kept.push(i);
    }
    (out, kept)
}

/// Maps char offsets of a document's text onto an article whose text is the same up to
/// [`canonical`]'s changes.
struct Remap {
    /// Char length of the document's text.
    len: usize,
    /// Document offset of each canonical char.
    from: Vec<usize>,
    /// Article offset of each canonical char.
    to: Vec<usize>,
}

impl Remap {
    /// The map between the two texts, or `None` when they differ in more than line ends.
    fn between(document: &str, article: &str) -> Option<Remap> {
        let (a, from) = canonical(document);
        let (b, to) = canonical(article);
        (a == b).then(|| Remap { len: document.chars().count(), from, to })
    }

    /// `span` in article offsets; offsets outside the document's own text are refused first, so
    /// the error speaks of the text the offsets were written for.
    fn apply(&self, span: &ExternalSpan) -> Result<ExternalSpan, SkipReason> {
        if span.start >= span.end || span.end > self.len {
            return Err(SkipReason::BadRange { start: span.start, end: span.end, len: self.len });
        }
        // Canonical chars before an offset; a span keeps the canonical chars it covers.
        let before = |offset: usize| self.from.partition_point(|&o| o < offset);
        let (first, past) = (before(span.start), before(span.end));
        let start = self.to.get(first).copied().unwrap_or_else(|| self.end());
        let end = match past {
            0 => start,
            n => self.to[n - 1] + 1,
        };
        Ok(ExternalSpan { start, end: end.max(start), ..span.clone() })
    }

    /// Article offset just past the last canonical char.
    fn end(&self) -> usize {
        self.to.last().map_or(0, |&o| o + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_guessed_from_the_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(PredictionFormat::guess(Path::new("p.JSONL")), Some(PredictionFormat::Jsonl));
        assert_eq!(PredictionFormat::guess(Path::new("p.json")), Some(PredictionFormat::Jsonl));
        for name in ["p.conll", "p.txt", "p.iob", "p.bio"] {
            assert_eq!(PredictionFormat::guess(Path::new(name)), Some(PredictionFormat::Conll), "{name}");
        }
        assert_eq!(PredictionFormat::guess(Path::new("a.ann")), Some(PredictionFormat::Brat));
        assert_eq!(PredictionFormat::guess(Path::new("p.csv")), None);
        assert_eq!(PredictionFormat::guess(dir.path()), None, "a folder without .ann files");
        std::fs::create_dir(dir.path().join("sub")).expect("folder");
        std::fs::write(dir.path().join("sub/a.ann"), "").expect("write");
        assert_eq!(PredictionFormat::guess(dir.path()), Some(PredictionFormat::Brat));
    }

    #[test]
    fn crlf_and_trailing_newlines_map_offsets_onto_the_article() {
        let document = "\u{FEFF}زار كيري\r\nموسكو\r\n";
        let article = "زار كيري\nموسكو";
        let remap = Remap::between(document, article).expect("same up to line ends");
        let span = |start, end| ExternalSpan { start, end, label: "LOC".into(), score: None, text: None, line: 1 };
        let moved = remap.apply(&span(11, 16)).expect("inside");
        let chars: Vec<char> = article.chars().collect();
        assert_eq!(chars[moved.start..moved.end].iter().collect::<String>(), "موسكو");
        assert_eq!(remap.apply(&span(11, 19)).map(|s| s.start), Err(SkipReason::BadRange { start: 11, end: 19, len: 18 }));
        assert!(Remap::between("زار كيري موسكو", article).is_none());
        assert_eq!(without_txt("news/a.TXT"), "news/a");
        assert_eq!(without_txt("حلب"), "حلب");
    }

    #[test]
    fn token_keys_ignore_spacing_and_spelling_variants() {
        assert_eq!(token_key("قال  الأسد\nفي دمشق"), token_key("قال الاسد في دمشق"));
        assert_ne!(token_key("دمشق"), token_key("حلب"));
    }
}
