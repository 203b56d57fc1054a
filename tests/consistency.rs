//! The consistency checks on a constructed gold project (`common::gold_project`): every kind of
//! inconsistency found, nothing else, and the fixes apply to the files on disk as they are.

mod common;

use common::gold_project::{self, ARTICLES, nth, slice};
use tawsim::consistency::{CheckOptions, Kind, Report, apply_fix, check};
use tawsim::model::SpanEdit;
use tawsim::search::CorpusIndex;
use tawsim::store::Project;

fn report(root: &std::path::Path) -> (Project, CorpusIndex, Report) {
    let project = Project::open(root).expect("project");
    let index = CorpusIndex::build(&project, None).expect("index");
    assert!(index.unreadable().is_empty(), "{:?}", index.unreadable());
    let report = check(&index, &CheckOptions::new("gold"));
    (project, index, report)
}

fn text_of(rel: &str) -> &'static str {
    ARTICLES.iter().find(|(r, _)| *r == rel).map(|(_, t)| *t).expect("article")
}

/// (kind, name, flagged places as `rel@text`).
fn summary(report: &Report) -> Vec<(Kind, String, Vec<String>)> {
    report
        .findings
        .iter()
        .map(|f| (f.kind, f.form.clone(), f.flagged().map(|o| format!("{}@{}", o.rel, slice(text_of(&o.rel), o.range.clone()))).collect()))
        .collect()
}

#[test]
fn every_kind_is_found_and_nothing_else() {
    let dir = gold_project::project();
    let (_, _, report) = report(dir.path());
    assert_eq!(report.articles, 5);
    let strings = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        summary(&report),
        vec![
            (Kind::Labels, "الجزيرة".to_owned(), strings(&["b.txt@الجزيرة"])),
            (Kind::Unlabelled, "موسكو".to_owned(), strings(&["d.txt@موسكو"])),
            (Kind::Proclitic, "روسيا".to_owned(), strings(&["b.txt@وروسيا"])),
            (Kind::Article, "القاهرة".to_owned(), strings(&["c.txt@قاهرة"])),
            (Kind::Edges, "دمشق".to_owned(), strings(&["a.txt@دمشق،"])),
        ]
    );
    let labels = &report.findings[0];
    assert_eq!(labels.labels.iter().map(|l| (l.label.as_str(), l.count)).collect::<Vec<_>>(), [("ORG", 3), ("LOC", 1)]);
    assert_eq!(labels.occurrences.len(), 4, "every span of the name is listed");
    let unlabelled = &report.findings[1];
    assert_eq!((unlabelled.labels[0].count, unlabelled.unlabelled), (4, 1), "e.txt's rejected proposal is a decision, not a miss");
    for (line, kind) in report.findings.iter().zip(["labels «الجزيرة»", "unlabelled «موسكو»", "proclitic «روسيا»", "article «القاهرة»", "edges «دمشق»"])
    {
        assert!(line.to_string().starts_with(kind), "{line}");
    }
    assert!(report.findings[1].to_string().contains("labelled 4 of 5 (LOC 4), unlabelled 1; at corpus/d.txt:"), "{}", report.findings[1]);
}

#[test]
fn fixes_are_edits_of_the_files_on_disk_and_resolve_the_findings() {
    let dir = gold_project::project();
    let (project, _, first) = report(dir.path());
    // Each finding's first fix, applied to the files as the store reads them (as the app would).
    for finding in &first.findings {
        let fix = &finding.fixes[0];
        assert!(!fix.edits.is_empty(), "{finding}");
        for edit in &fix.edits {
            let mut open = project.open_document(&edit.rel, &edit.annotator).expect("open");
            open.annotation.apply(&edit.edit).unwrap_or_else(|e| panic!("{finding}: {e}"));
            open.annotation.apply(&edit.edit.inverse()).expect("undo");
            open.annotation.apply(&edit.edit).expect("redo");
            project.save_document(&edit.rel, &edit.annotator, &open.annotation).expect("save");
        }
    }
    let (_, _, after) = report(dir.path());
    assert!(after.findings.is_empty(), "{:#?}", summary(&after));
    // What the edits did, on the files.
    let d = project.open_document("d.txt", "gold").expect("d");
    let moscow = d.annotation.spans.iter().find(|s| s.range() == nth(text_of("d.txt"), "موسكو", 1)).expect("span");
    assert_eq!((moscow.label.as_str(), moscow.state), ("LOC", tawsim::model::SpanState::Accepted), "the pending proposal was accepted");
    let b = project.open_document("b.txt", "gold").expect("b");
    let russia = nth(text_of("b.txt"), "روسيا", 0);
    assert!(b.annotation.spans.iter().any(|s| s.range() == russia && s.text == "روسيا"), "the و is cut off");
    assert!(b.annotation.spans.iter().filter(|s| s.text == "الجزيرة").all(|s| s.label == "ORG"));
}

#[test]
fn apply_fix_changes_the_index_all_or_nothing() {
    let dir = gold_project::project();
    let (_, mut index, report) = report(dir.path());
    let edges = report.findings.iter().find(|f| f.kind == Kind::Edges).expect("edges");
    assert!(edges.fixes[0].mechanical);
    assert!(!report.findings.iter().find(|f| f.kind == Kind::Labels).expect("labels").fixes[0].mechanical);
    let changed = apply_fix(&mut index, &edges.fixes[0]).expect("applies");
    assert_eq!(changed, [("a.txt".to_owned(), "gold".to_owned())]);
    assert!(check(&index, &CheckOptions::new("gold")).findings.iter().all(|f| f.kind != Kind::Edges));
    // The same fix again no longer fits: refused, and nothing changes.
    let before = index.article("a.txt").and_then(|a| a.annotation("gold")).map(|a| a.file.clone());
    assert!(apply_fix(&mut index, &edges.fixes[0]).is_err());
    assert_eq!(index.article("a.txt").and_then(|a| a.annotation("gold")).map(|a| a.file.clone()), before);
    // A fix spanning articles with one stale edit changes none of them.
    let labels = report.findings.iter().find(|f| f.kind == Kind::Labels).expect("labels");
    let mut stale = labels.fixes[1].clone();
    stale.edits.push(tawsim::consistency::ArticleEdit { rel: "a.txt".into(), annotator: "gold".into(), edit: edges.fixes[0].edits[0].edit.clone() });
    let b_before = index.article("b.txt").and_then(|a| a.annotation("gold")).map(|a| a.file.clone());
    assert!(apply_fix(&mut index, &stale).is_err());
    assert_eq!(index.article("b.txt").and_then(|a| a.annotation("gold")).map(|a| a.file.clone()), b_before);
    assert!(matches!(edges.fixes[0].edits[0].edit, SpanEdit::Replace { .. }));
}
