//! Pre-annotating a whole project: proposals for every article, in parallel, written as pending
//! spans of one annotator's files.

use std::sync::Mutex;

use rayon::prelude::*;

use crate::model::{SpanEdit, SpanState};
use crate::propose::{Proposal, reconcile};
use crate::store::{Article, Project};

/// What a pre-annotation run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BatchReport {
    /// Articles looked at.
    pub articles: usize,
    /// Annotation files written.
    pub changed: usize,
    /// Proposals added as pending.
    pub added: usize,
    /// Pending proposals taken away because they are no longer proposed.
    pub removed: usize,
    /// Decided (accepted or rejected) spans in the files, all kept as they were.
    pub decided: usize,
    /// Files another writer changed while this run worked on them: its changes were kept and
    /// this run's proposals re-applied on top.
    pub merged: usize,
    /// Where this run's changes and another writer's disagreed, and how it was settled
    /// (`path: what`).
    pub conflicts: Vec<String>,
    /// Articles left alone, each with why (`path: reason`).
    pub skipped: Vec<String>,
}

/// How a run finds and applies proposals.
pub struct BatchPlan<'a> {
    /// The proposals for an article, given its text.
    pub proposals_for: &'a (dyn Fn(&Article, &str) -> Vec<Proposal> + Sync),
    /// Which sources' pending spans the run replaces.
    pub refreshed: &'a (dyn Fn(&str) -> bool + Sync),
    /// A (text, label) the annotator rejected elsewhere.
    pub rejected: &'a (dyn Fn(&str, &str) -> bool + Sync),
}

/// Brings every article's pending proposals up to date for `annotator`, on all cores, calling
/// `tick` after each article. A file that does not load is reported and left untouched; decided
/// spans are never changed. Files are saved with the merging save, so a writer that changes a
/// file meanwhile (the app, another run) loses nothing: its changes stay and the proposals are
/// re-applied on top of them.
pub fn propose_all(project: &Project, annotator: &str, plan: &BatchPlan<'_>, tick: &(dyn Fn() + Sync)) -> BatchReport {
    let report = Mutex::new(BatchReport { articles: project.articles.len(), ..BatchReport::default() });
    let note = |f: &dyn Fn(&mut BatchReport)| {
        if let Ok(mut report) = report.lock() {
            f(&mut report);
        }
    };
    project.articles.par_iter().for_each(|article| {
        let outcome = propose_one(project, annotator, article, plan);
        match outcome {
            Ok(one) => note(&|r| {
                r.added += one.added;
                r.removed += one.removed;
                r.decided += one.decided;
                r.changed += usize::from(one.wrote);
                r.merged += usize::from(one.merged);
                r.conflicts.extend(one.conflicts.iter().map(|c| format!("{}: {c}", article.document)));
            }),
            Err(why) => note(&|r| r.skipped.push(format!("{}: {why}", article.document))),
        }
        tick();
    });
    let mut report = report.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    report.skipped.sort();
    report.conflicts.sort();
    report
}

/// What one article's run did.
#[derive(Default)]
struct OneArticle {
    added: usize,
    removed: usize,
    decided: usize,
    wrote: bool,
    merged: bool,
    conflicts: Vec<crate::store::MergeConflict>,
}

fn propose_one(project: &Project, annotator: &str, article: &Article, plan: &BatchPlan<'_>) -> Result<OneArticle, String> {
    let mut doc = project.open_document(&article.rel, annotator).map_err(|e| e.to_string())?;
    let text = &doc.article.text;
    let decided = doc.annotation.spans.iter().filter(|s| s.state != SpanState::Pending).count();
    let proposals = (plan.proposals_for)(article, text);
    let Some(edit) = reconcile(&mut doc.annotation, text, &proposals, plan.refreshed, plan.rejected) else {
        return Ok(OneArticle { decided, ..OneArticle::default() });
    };
    let SpanEdit::Batch(edits) = &edit else { return Ok(OneArticle { decided, ..OneArticle::default() }) };
    let added = edits.iter().filter(|e| matches!(e, SpanEdit::Add(_))).count();
    let removed = edits.iter().filter(|e| matches!(e, SpanEdit::Remove(_))).count();
    doc.annotation.apply(&edit).map_err(|e| format!("proposals do not fit the file: {e}"))?;
    let saved = project
        .save_document_merging(&article.rel, annotator, doc.fingerprint.as_ref(), std::slice::from_ref(&edit), &doc.annotation)
        .map_err(|e| e.to_string())?;
    Ok(OneArticle { added, removed, decided, wrote: true, merged: saved.merged.is_some(), conflicts: saved.conflicts })
}
