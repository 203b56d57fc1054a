//! The learned proposer in the app: retraining in the background after the annotator's decisions,
//! and what the model then says about the project (which articles it is least sure of, which
//! spans to ask the annotator about).
//!
//! A run trains on a thread of its own at a lower priority, in a one-thread pool, so the window
//! keeps both its frames and most of the machine: it starts a few seconds after the last decision
//! (or at once when asked), one at a time, with at most one more queued behind it. When a run is
//! done the session takes its model (it proposes only once it passes its gate) and its insight.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use crate::model::SpanState;
use crate::preannotate::learned::{Retrained, TrainRequest, retrain};
use crate::propose::Proposers;
use crate::propose::model::SequenceModel;
use crate::propose::model::active::{ArticleUncertainty, ModelSpan, TeachQuestion, article_order, teach_queue};
use crate::store::{Project, read_annotation, read_article};

/// How long after the last decision a retraining starts (decisions come in bursts).
pub const RETRAIN_AFTER: Duration = Duration::from_secs(4);

/// Words of context on each side of a span shown in teach mode.
const CONTEXT_CHARS: usize = 80;

/// Where training stands.
#[derive(Clone, Debug, PartialEq)]
pub enum LearnerStatus {
    /// Nothing running.
    Idle,
    /// A run started at this moment.
    Training(Instant),
    /// The last run failed; why.
    Failed(String),
}

/// What the latest model says about the project's unfinished work.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Insight {
    /// Articles (corpus-relative) not done yet, least certain first.
    pub order: Vec<ArticleUncertainty<String>>,
    /// The model's undecided spans as questions, least certain first, one per surface form.
    pub questions: Vec<TeachQuestion<String>>,
    /// The text around each question's first occurrence: (before, after), by question form.
    pub context: HashMap<String, (String, String)>,
}

/// What a finished run hands back.
struct Outcome {
    retrained: Result<Retrained, String>,
    insight: Insight,
}

/// The background trainer of one annotator's session.
pub struct Learner {
    /// Since when decisions wait to be learnt from.
    pending_since: Option<Instant>,
    run: Option<Receiver<Outcome>>,
    /// Another run is wanted once this one is done.
    queued: bool,
    /// Where training stands.
    pub status: LearnerStatus,
    /// What the latest model says.
    pub insight: Arc<Insight>,
    /// Runs completed in this session.
    pub runs: usize,
}

impl Default for Learner {
    fn default() -> Self {
        Learner { pending_since: None, run: None, queued: false, status: LearnerStatus::Idle, insight: Arc::default(), runs: 0 }
    }
}

/// A finished run, for the session to take in.
pub struct Learnt {
    /// The new model.
    pub model: Arc<SequenceModel>,
    /// Files the run could not use.
    pub problems: Vec<String>,
}

impl Learner {
    /// The annotator decided something the model could learn from.
    pub fn note_decision(&mut self, now: Instant) {
        self.pending_since = Some(now);
    }

    /// Whether a run is going on.
    pub fn is_training(&self) -> bool {
        self.run.is_some()
    }

    /// Starts a run now if none is going on (else queues one).
    pub fn start_now(&mut self, project: &Project, annotator: &str, lists: &Proposers) {
        self.pending_since = None;
        if self.run.is_some() {
            self.queued = true;
            return;
        }
        self.start(project, annotator, lists);
    }

    /// Starts a run when decisions have waited long enough and none is going on; takes in a
    /// finished run. Call once a frame.
    pub fn tick(&mut self, now: Instant, project: &Project, annotator: &str, lists: &dyn Fn() -> Proposers) -> Option<Result<Learnt, String>> {
        let finished = self.poll();
        let due = self.pending_since.is_some_and(|since| now.duration_since(since) >= RETRAIN_AFTER);
        if self.run.is_none() && (due || std::mem::take(&mut self.queued)) {
            self.pending_since = None;
            self.start(project, annotator, &lists());
        } else if due && self.run.is_some() {
            self.pending_since = None;
            self.queued = true;
        }
        finished
    }

    fn poll(&mut self) -> Option<Result<Learnt, String>> {
        let outcome = match self.run.as_ref()?.try_recv() {
            Ok(outcome) => outcome,
            Err(TryRecvError::Empty) => return None,
            Err(TryRecvError::Disconnected) => Outcome { retrained: Err("the training thread stopped unexpectedly".to_owned()), insight: Insight::default() },
        };
        self.run = None;
        self.runs += 1;
        match outcome.retrained {
            Ok(retrained) => {
                self.status = LearnerStatus::Idle;
                self.insight = Arc::new(outcome.insight);
                Some(Ok(Learnt { model: retrained.model, problems: retrained.problems }))
            }
            Err(error) => {
                self.status = LearnerStatus::Failed(error.clone());
                Some(Err(error))
            }
        }
    }

    fn start(&mut self, project: &Project, annotator: &str, lists: &Proposers) {
        let (sender, receiver) = std::sync::mpsc::channel();
        let (project, annotator, lists) = (project.clone(), annotator.to_owned(), lists.lists_only());
        let work = move || {
            let request = TrainRequest::from_config(&project, &annotator);
            let retrained = retrain(&project, &request, &lists).map_err(|e| e.to_string());
            let insight = match &retrained {
                Ok(run) if run.model.passes_gate() => insight(&project, &annotator, &run.model, &lists),
                _ => Insight::default(),
            };
            let _ = sender.send(Outcome { retrained, insight });
        };
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).thread_name(|_| "tawsim-training".to_owned()).start_handler(|_| lower_priority()).build();
        let spawned = match pool {
            Ok(pool) => std::thread::Builder::new().name("tawsim-retrain".to_owned()).spawn(move || {
                lower_priority();
                pool.install(work);
            }),
            Err(error) => {
                self.status = LearnerStatus::Failed(format!("cannot start training: {error}"));
                return;
            }
        };
        match spawned {
            Ok(_) => {
                self.run = Some(receiver);
                self.status = LearnerStatus::Training(Instant::now());
            }
            Err(error) => self.status = LearnerStatus::Failed(format!("cannot start training: {error}")),
        }
    }
}

/// Lowers the calling thread's scheduling priority, so training yields to the window.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority on the calling thread's id only changes that thread's niceness.
    unsafe {
        let tid = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 10);
    }
}

/// The model's spans over every unfinished article, where the annotator has decided nothing yet:
/// the order of articles and the teach questions.
fn insight(project: &Project, annotator: &str, model: &SequenceModel, lists: &Proposers) -> Insight {
    let mut articles = Vec::new();
    let mut spans: Vec<ModelSpan<String>> = Vec::new();
    let mut texts: HashMap<String, String> = HashMap::new();
    for article in &project.articles {
        let file = project.annotation_path(annotator, &article.rel).ok().and_then(|path| read_annotation(&path).ok().flatten());
        if file.as_ref().is_some_and(|f| matches!(f.status, crate::model::DocStatus::Done | crate::model::DocStatus::Reviewed)) {
            continue;
        }
        let Ok(text) = read_article(&article.path) else { continue };
        let decided: Vec<Range<usize>> = file.iter().flat_map(|f| &f.spans).filter(|s| s.state != SpanState::Pending).map(|s| s.range()).collect();
        articles.push(article.rel.clone());
        for tagged in model.tag(&text.text, &lists.list_proposals(&text.text)) {
            if decided.iter().any(|d| d.start < tagged.range.end && tagged.range.start < d.end) {
                continue;
            }
            let Some(surface) = crate::model::char_slice(&text.text, tagged.range.clone()) else { continue };
            spans.push(ModelSpan {
                article: article.rel.clone(),
                range: tagged.range.clone(),
                surface: surface.to_owned(),
                label: tagged.label,
                confidence: tagged.confidence,
            });
        }
        texts.insert(article.rel.clone(), text.text);
    }
    let order = article_order(&articles, &spans);
    let questions = teach_queue(spans);
    let context = questions
        .iter()
        .filter_map(|q| {
            let first = q.occurrences.first()?;
            let text = texts.get(&first.article)?;
            Some((q.form.clone(), around(text, first.range.clone())))
        })
        .collect();
    Insight { order, questions, context }
}

/// Up to [`CONTEXT_CHARS`] characters of `text` on each side of `range`, cut at spaces and kept to
/// the range's line.
fn around(text: &str, range: Range<usize>) -> (String, String) {
    let chars: Vec<char> = text.chars().collect();
    let start = range.start.min(chars.len());
    let end = range.end.min(chars.len());
    let mut from = start.saturating_sub(CONTEXT_CHARS);
    if let Some(newline) = chars[from..start].iter().rposition(|&c| c == '\n') {
        from += newline + 1;
    } else if from > 0
        && let Some(space) = chars[from..start].iter().position(|c| c.is_whitespace())
    {
        from += space + 1;
    }
    let mut to = (end + CONTEXT_CHARS).min(chars.len());
    if let Some(newline) = chars[end..to].iter().position(|&c| c == '\n') {
        to = end + newline;
    } else if to < chars.len()
        && let Some(space) = chars[end..to].iter().rposition(|c| c.is_whitespace())
    {
        to = end + space;
    }
    (chars[from..start].iter().collect(), chars[end..to].iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_stops_at_words_and_lines() {
        let text = "سطر أول\nقال الوزير إن موسكو ترحب بالقرار اليوم\nسطر آخر";
        let start = text.chars().position(|c| c == 'م').expect("موسكو");
        let (before, after) = around(text, start..start + 5);
        assert_eq!(before, "قال الوزير إن ");
        assert_eq!(after, " ترحب بالقرار اليوم");
    }
}
