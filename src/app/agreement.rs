//! The agreement window's state: whom to compare, and the numbers, computed off the UI thread with
//! the same loader and metrics as `tawsim agree`.

use super::job::Job;
use super::review_mode::Picker;
use crate::dataset::{CorpusSets, load_corpus_sets};
use crate::review::{CorpusAgreement, SpanFilter};
use crate::store::Project;

/// Agreement over the corpus and the files that could not be used for it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AgreementReport {
    /// The scores.
    pub agreement: CorpusAgreement,
    /// Articles left out, with which file and why.
    pub skipped: Vec<String>,
    /// Annotation files made on another version of their article (their offsets may be off).
    pub stale: usize,
}

/// Reads every picked annotator's accepted spans of every article and computes their agreement,
/// exactly as `tawsim agree` does without options.
pub fn compute_agreement(project: &Project, annotators: &[String]) -> AgreementReport {
    let filters = vec![SpanFilter::default(); annotators.len()];
    let CorpusSets { docs, skipped, stale } = load_corpus_sets(project, annotators, &filters);
    let skipped = skipped.into_iter().map(|s| format!("{}: {}", s.article, s.reason)).collect();
    AgreementReport { agreement: CorpusAgreement::compute(annotators, &docs), skipped, stale }
}

/// Where the agreement view is.
pub enum AgreementState {
    /// Nothing computed yet.
    Idle,
    /// A background thread computes for these annotators.
    Computing(Vec<String>, Job<AgreementReport>),
    /// The numbers for these annotators.
    Ready(Vec<String>, AgreementReport),
    /// The computation stopped without numbers.
    Failed(String),
}

/// The agreement window: whom to compare and the numbers.
pub struct AgreementView {
    /// The annotators to compare.
    pub picker: Picker,
    /// Computing or computed.
    pub state: AgreementState,
}

impl AgreementView {
    /// The window over `project` with `picked` chosen, already computing when two are picked.
    pub fn new(project: &Project, picked: &[String], ctx: &egui::Context) -> Self {
        let mut view = AgreementView { picker: Picker::new(project, picked), state: AgreementState::Idle };
        if view.picker.ready() {
            view.compute(project, ctx);
        }
        view
    }

    /// Computes off the UI thread (a thousand articles take a fraction of a second, enough to
    /// stutter a frame); `ctx` is asked to repaint when the numbers are there.
    pub fn compute(&mut self, project: &Project, ctx: &egui::Context) {
        let annotators = self.picker.picked.clone();
        let (owned, names) = (project.clone(), annotators.clone());
        let job = Job::start("tawsim-agreement", ctx, move || compute_agreement(&owned, &names));
        self.state = AgreementState::Computing(annotators, job);
    }

    /// Takes the background thread's result once it is there.
    pub fn poll(&mut self) {
        if let AgreementState::Computing(annotators, job) = &self.state {
            match job.poll() {
                Some(Ok(report)) => self.state = AgreementState::Ready(annotators.clone(), report),
                Some(Err(why)) => self.state = AgreementState::Failed(why),
                None => {}
            }
        }
    }
}
