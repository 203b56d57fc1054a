//! The consistency window's state: whose files it checks, the last report and which index it was
//! made from, so it is checked again whenever the files change (a fix applied, an undo, an edit
//! saved, another program's write).

use super::corpus::CorpusIndexState;
use crate::consistency::Report;

/// The consistency window.
#[derive(Default)]
pub struct ConsistencyWindow {
    /// Whether it shows.
    pub open: bool,
    /// The last report, for the source and index generation it was made from.
    report: Option<(Report, u64)>,
    /// The source and index generation of the check running.
    running: Option<(String, u64)>,
}

impl ConsistencyWindow {
    /// Starts a check of `source`'s files when the report is missing, of another source or of
    /// an older index; says whether the report shown is current.
    pub fn keep_current(&mut self, source: &str, corpus: &mut CorpusIndexState, ctx: &egui::Context) -> bool {
        let generation = corpus.generation();
        let current = self.report.as_ref().is_some_and(|(r, g)| r.source == source && *g == generation);
        let asked = self.running.as_ref().is_some_and(|(s, g)| s == source && *g == generation);
        if !current && !asked && !corpus.is_checking() && corpus.start_check(source, ctx) {
            self.running = Some((source.to_owned(), generation));
        }
        current
    }

    /// Takes in a report that arrived.
    pub fn take_report(&mut self, report: Report) {
        let generation = self.running.take().map_or(0, |(_, g)| g);
        self.report = Some((report, generation));
    }

    /// The last report (perhaps of an older index, while the new one is checked).
    pub fn report(&self) -> Option<&Report> {
        self.report.as_ref().map(|(r, _)| r)
    }

    /// Whether a check is under way.
    pub fn is_checking(&self) -> bool {
        self.running.is_some()
    }
}
