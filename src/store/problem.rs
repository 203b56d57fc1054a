//! One thing wrong with a project file, as shown to the user.

use std::fmt;

/// What kind of fault a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// The config's schema repeats a label name or hotkey.
    SchemaFault,
    /// A file or folder name that cannot be used (not UTF-8, bad annotator name).
    BadName,
    /// An article cannot be read as UTF-8 text.
    ArticleUnreadable,
    /// An annotation file cannot be read.
    Unreadable,
    /// An annotation file is not valid RON or not an annotation file.
    ParseError,
    /// An annotation file was written by a newer tawsim.
    NewerFormat,
    /// An annotation file whose article does not exist.
    OrphanAnnotation,
    /// The file's `document` or `annotator` field disagrees with its path; fixed from the path.
    WrongIdentity,
    /// The article changed and every span was found again; the stored hash was updated.
    HashUpdated,
    /// A span's range is empty or reversed.
    EmptyRange,
    /// A span's range goes past the end of the article.
    OutOfBounds,
    /// A span's stored text differs from the article at its offsets.
    TextMismatch,
    /// A span had no stored text; it was filled in from the article.
    TextFilledIn,
    /// A span's label is not in the schema.
    UnknownLabel,
    /// Two spans share an id.
    DuplicateId,
    /// The article changed and the span's text was found once nearby; the span was moved.
    Moved,
    /// The article changed and the span's text occurs several times nearby; left in place.
    Ambiguous,
    /// The article changed and the span's text was not found nearby; left in place.
    NotFound,
    /// A symbolic link that leaves the project; not followed.
    Link,
    /// A span begins or ends with a space (its boundary took in what is not the name).
    OuterSpace,
}

impl ProblemKind {
    /// Whether tawsim repaired this by itself (the repair is saved with the next save).
    pub fn is_fixed(self) -> bool {
        matches!(self, ProblemKind::WrongIdentity | ProblemKind::HashUpdated | ProblemKind::TextFilledIn | ProblemKind::Moved)
    }
}

/// One fault found in a project, with where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// The file, relative to the project root when it is inside it, with forward slashes.
    pub path: String,
    /// Line and column in the file, for syntax errors.
    pub position: Option<(usize, usize)>,
    /// The span it concerns, if any.
    pub span_id: Option<u64>,
    /// What kind of fault.
    pub kind: ProblemKind,
    /// What is wrong, in words.
    pub message: String,
}

impl Problem {
    /// A problem with a whole file.
    pub fn file(path: &str, kind: ProblemKind, message: impl Into<String>) -> Self {
        Problem { path: path.to_owned(), position: None, span_id: None, kind, message: message.into() }
    }

    /// A problem with one span of a file.
    pub fn span(path: &str, span_id: u64, kind: ProblemKind, message: impl Into<String>) -> Self {
        Problem { span_id: Some(span_id), ..Problem::file(path, kind, message) }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some((line, column)) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        if let Some(id) = self.span_id {
            write!(f, ":span {id}")?;
        }
        write!(f, ": {}", self.message)?;
        if self.kind.is_fixed() {
            write!(f, " (fixed)")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_forms() {
        let p = Problem::span("annotations/amal/x.txt.ron", 3, ProblemKind::UnknownLabel, "label \"DATE\" is not in the schema");
        assert_eq!(p.to_string(), "annotations/amal/x.txt.ron:span 3: label \"DATE\" is not in the schema");
        let p = Problem { position: Some((12, 5)), ..Problem::file("a.ron", ProblemKind::ParseError, "expected ','") };
        assert_eq!(p.to_string(), "a.ron:12:5: expected ','");
        let p = Problem::span("a.ron", 1, ProblemKind::Moved, "moved from 1..2 to 3..4");
        assert_eq!(p.to_string(), "a.ron:span 1: moved from 1..2 to 3..4 (fixed)");
    }
}
