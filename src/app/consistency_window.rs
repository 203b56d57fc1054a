//! The consistency window's state: whose files it checks, the last report and which index it was
//! made from, so it is checked again whenever the files change (a fix applied, an undo, an edit
//! saved, another program's write).

use super::corpus::CorpusIndexState;
use crate::consistency::Report;

/// What a check came to: its report, or why there is none.
type Outcome = Result<Report, String>;

/// The consistency window.
#[derive(Default)]
pub struct ConsistencyWindow {
    /// Whether it shows.
    pub open: bool,
    /// The last check's outcome, with the source and index generation it was made from.
    last: Option<(Outcome, String, u64)>,
    /// The source and index generation of the check running.
    running: Option<(String, u64)>,
}

impl ConsistencyWindow {
    /// Starts a check of `source`'s files when there is no outcome yet, or one of another source
    /// or of an older index; says whether the outcome shown is current.
    pub fn keep_current(&mut self, source: &str, corpus: &mut CorpusIndexState, ctx: &egui::Context) -> bool {
        let generation = corpus.generation();
        let current = self.last.as_ref().is_some_and(|(_, s, g)| s == source && *g == generation);
        let asked = self.running.as_ref().is_some_and(|(s, g)| s == source && *g == generation);
        if !current && !asked && !corpus.is_checking() && corpus.start_check(source, ctx) {
            self.running = Some((source.to_owned(), generation));
        }
        current
    }

    /// Takes in the outcome of the check that ran.
    pub fn take_outcome(&mut self, outcome: Outcome) {
        if let Some((source, generation)) = self.running.take() {
            self.last = Some((outcome, source, generation));
        }
    }

    /// The last report (perhaps of an older index, while the new one is checked).
    pub fn report(&self) -> Option<&Report> {
        self.last.as_ref().and_then(|(outcome, _, _)| outcome.as_ref().ok())
    }

    /// Why the last check gave no report.
    pub fn failure(&self) -> Option<&str> {
        self.last.as_ref().and_then(|(outcome, _, _)| outcome.as_ref().err()).map(String::as_str)
    }

    /// Whether a check is under way.
    pub fn is_checking(&self) -> bool {
        self.running.is_some()
    }
}
