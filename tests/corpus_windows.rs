//! The corpus windows through the keyboard: corpus search (every occurrence of a name, how each
//! is labelled, opening the article at a hit, labelling hits of two articles as one undoable
//! action) and the consistency window (a finding, its fix across articles, undone).

mod common;

use std::ops::Range;
use std::time::{Duration, Instant};

use common::app::{app_harness, let_save_happen, saved};
use common::{SampleProject, char_offset};
use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use tawsim::app::TawsimApp;
use tawsim::app::commands::AppCommand;
use tawsim::app::corpus::CorpusIndexState;
use tawsim::model::{AnnotationFile, Span, SpanState};
use tawsim::search::Hit;
use tawsim::store::{save_annotation, sha256_hex};

const EAST: &str = "east-aleppo-advance.txt";
const LONDON: &str = "london-talks-sanctions.txt";
const DIGEST: &str = "syria-news-digest.txt";
const MOSCOW: &str = "موسكو";

/// Runs frames until `check` holds (the index and the checks work on threads).
fn wait_until(harness: &mut Harness<'static, TawsimApp>, what: &str, check: impl Fn(&TawsimApp) -> bool) {
    let started = Instant::now();
    while !check(harness.state()) {
        assert!(started.elapsed() < Duration::from_secs(20), "never: {what}");
        std::thread::sleep(Duration::from_millis(10));
        harness.run_steps(1);
    }
}

/// The char range of the `nth` occurrence of `needle` in `text`.
fn nth(text: &str, needle: &str, nth: usize) -> Range<usize> {
    let (byte, _) = text.match_indices(needle).nth(nth).unwrap_or_else(|| panic!("{needle:?} #{nth}"));
    let start = text[..byte].chars().count();
    start..start + needle.chars().count()
}

/// Writes `annotator`'s file of article `rel` with one accepted span.
fn write_span(project: &SampleProject, annotator: &str, rel: &str, range: Range<usize>, label: &str) {
    let text = project.text(rel);
    let mut file = AnnotationFile::new(&format!("corpus/{rel}"), &sha256_hex(&text), annotator);
    let id = file.alloc_id();
    let covered: String = text.chars().skip(range.start).take(range.len()).collect();
    file.spans.push(Span::manual(id, range, label, &covered));
    save_annotation(&project.annotation(annotator, rel), &file).expect("annotation written");
}

/// Opens the search window from the keyboard and types `query` into its field.
fn search(harness: &mut Harness<'static, TawsimApp>, query: &str) -> Vec<Hit> {
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::F);
    harness.run_steps(2);
    assert!(harness.state().search_window().open);
    harness.event(Event::Text(query.into()));
    harness.run_steps(1);
    wait_until(harness, "hits listed", |app| !app.search_window().hits.is_empty());
    harness.state().search_window().hits.clone()
}

fn open_rel(app: &TawsimApp) -> String {
    let session = app.session().expect("session");
    session.open.as_ref().map(|o| session.articles[o.index].rel.clone()).expect("an article is open")
}

fn spans_at(file: &AnnotationFile, range: &Range<usize>) -> Vec<(String, SpanState)> {
    file.spans.iter().filter(|s| s.range() == *range).map(|s| (s.label.clone(), s.state)).collect()
}

#[test]
fn a_search_lists_every_article_with_its_labels_and_enter_opens_the_hit() {
    let project = SampleProject::new("corpus-search");
    let east = project.text(EAST);
    // The tester labelled the second موسكو of one article; amal the first of another, as ORG.
    write_span(&project, "tester", EAST, nth(&east, MOSCOW, 1), "LOC");
    write_span(&project, "amal", DIGEST, nth(&project.text(DIGEST), MOSCOW, 0), "ORG");
    let mut harness = app_harness(&project);
    let hits = search(&mut harness, MOSCOW);

    let articles: std::collections::BTreeSet<&str> = hits.iter().map(|h| &*h.rel).collect();
    assert_eq!(articles, [EAST, LONDON, DIGEST].into_iter().collect(), "hits from every article that names the city");
    assert!(harness.query_by_label_contains(&format!("{} hit(s) in 3 article(s)", hits.len())).is_some());
    let labels = |hit: &Hit| hit.labels.iter().map(|l| (l.annotator.clone(), l.label.clone())).collect::<Vec<_>>();
    let pair = |a: &str, b: &str| vec![(a.to_owned(), b.to_owned())];
    let tester_hit = hits.iter().position(|h| &*h.rel == EAST && h.range == nth(&east, MOSCOW, 1)).expect("the labelled hit");
    assert_eq!(labels(&hits[tester_hit]), pair("tester", "LOC"));
    let amal_hit = hits.iter().find(|h| &*h.rel == DIGEST).expect("a hit in the digest");
    assert_eq!(labels(amal_hit), pair("amal", "ORG"));
    assert!(hits.iter().filter(|h| h.labels.is_empty()).count() >= hits.len() - 2, "the others are unlabelled");

    // Down goes from the query to the list, the first hit under the cursor; Enter opens it: no
    // entity is there, so the hit is selected in the editor.
    harness.key_press(Key::ArrowDown);
    harness.run_steps(2);
    assert_eq!(harness.state().search_window().cursor, Some(0));
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    assert_eq!(open_rel(harness.state()), *hits[0].rel);
    assert_eq!(harness.state().view().selection(), Some(hits[0].range.clone()));

    // Down to the tester's labelled hit and Enter: its entity takes the focus.
    for _ in 0..tester_hit {
        harness.key_press(Key::ArrowDown);
    }
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    let session = harness.state().session().expect("session");
    let open = session.open.as_ref().expect("open");
    assert_eq!(open.focused_span().map(|s| (s.range(), s.label.as_str())), Some((nth(&east, MOSCOW, 1), "LOC")));
    assert_eq!(harness.state().view().selection(), None);
    assert_eq!(open.annotation.spans.len(), 1);

    // Escape closes the window; Ctrl+Shift+F opens it on the focused entity's text.
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert!(!harness.state().search_window().open);
    harness.state_mut().queue(tawsim::app::commands::EditCommand::FocusEntity(1));
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::F);
    harness.run_steps(2);
    assert!(harness.state().search_window().open);
    assert_eq!(harness.state().search_window().input, MOSCOW);
}

#[test]
fn two_hits_of_two_articles_are_labelled_at_once_and_one_undo_takes_both_back() {
    let project = SampleProject::new("corpus-label");
    let mut harness = app_harness(&project);
    let hits = search(&mut harness, MOSCOW);
    // The last hit of one article and the first of the next: open the first article at its hit
    // (it is then edited in memory, the other through its file).
    let second = hits.iter().position(|h| &*h.rel == LONDON).expect("a hit in the London article");
    let first = second - 1;
    assert_eq!(&*hits[first].rel, EAST);
    harness.key_press(Key::ArrowDown);
    for _ in 0..first {
        harness.key_press(Key::ArrowDown);
    }
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    assert_eq!(open_rel(harness.state()), EAST);
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowDown);
    harness.run_steps(1);
    assert_eq!(harness.state().search_window().selected.iter().copied().collect::<Vec<_>>(), [first, second]);

    // 2 is LOC: both hits are labelled, in the open article and in the London file.
    harness.key_press(Key::Num2);
    harness.run_steps(3);
    let loc = vec![("LOC".to_owned(), SpanState::Accepted)];
    let open_annotation = |app: &TawsimApp| app.session().and_then(|s| s.open.as_ref()).map(|o| o.annotation.clone()).expect("open");
    assert_eq!(spans_at(&open_annotation(harness.state()), &hits[first].range), loc);
    let london = saved(&project, LONDON, |f| !f.spans.is_empty());
    assert_eq!(london.spans.len(), 1);
    assert_eq!(spans_at(&london, &hits[second].range), loc);
    assert_eq!(london.spans[0].text, MOSCOW);
    let east = saved(&project, EAST, |f| !f.spans.is_empty());
    assert_eq!(spans_at(&east, &hits[first].range), loc, "written when the action was done");
    // The list shows the new labels (the index read the changed files).
    wait_until(&mut harness, "labels in the list", |app| app.search_window().hits.get(second).is_some_and(|h| h.is_labelled()));
    assert!(harness.state().search_window().hits[first].is_labelled());
    assert_eq!(harness.state().search_window().selected.len(), 2, "the selection stays");

    // One Ctrl+Z: both articles lose the label.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(3);
    assert!(spans_at(&open_annotation(harness.state()), &hits[first].range).is_empty());
    let london = saved(&project, LONDON, |f| f.spans.is_empty());
    assert!(london.spans.is_empty());
    let_save_happen(&mut harness);
    saved(&project, EAST, |f| f.spans.is_empty());
    wait_until(&mut harness, "the list unlabelled again", |app| app.search_window().hits.iter().all(|h| !h.is_labelled()));
}

#[test]
fn in_review_mode_the_list_labels_gold_and_the_checks_are_golds() {
    let project = SampleProject::new("corpus-review");
    let east = project.text(EAST);
    write_span(&project, "amal", EAST, nth(&east, MOSCOW, 0), "LOC");
    write_span(&project, "badr", EAST, nth(&east, MOSCOW, 0), "ORG");
    let mut harness = app_harness(&project);
    harness.state_mut().queue(AppCommand::StartReview(vec!["amal".into(), "badr".into()]));
    harness.run_steps(2);
    assert!(harness.state().review_mode().is_some());
    let hits = search(&mut harness, MOSCOW);
    // To the last hit, and 3: the list has the keyboard, so the digit labels the hit (ORG) in the
    // gold file rather than taking an annotator's version in the article.
    for _ in 0..hits.len() {
        harness.key_press(Key::ArrowDown);
    }
    harness.key_press(Key::Num3);
    harness.run_steps(3);
    let last = hits.last().expect("hits");
    let gold = common::wait_for_file(&project.annotation("gold", &last.rel), |text| text.contains("ORG"));
    let gold: AnnotationFile = ron::from_str(&gold).expect("gold file");
    assert_eq!(spans_at(&gold, &last.range), vec![("ORG".to_owned(), SpanState::Accepted)]);
    assert!(!project.annotation("amal", &last.rel).exists(), "annotators' files are only read");

    harness.state_mut().queue(AppCommand::ConsistencyView);
    harness.run_steps(2);
    wait_until(&mut harness, "a report", |app| app.consistency_window().report().is_some());
    assert_eq!(harness.state().consistency_window().report().map(|r| r.source.as_str()), Some("gold"));
    assert!(harness.query_by_label("Consistency of the gold files").is_some());
}

/// Five articles naming Moscow, the tester's spans ORG in the first two and LOC in the others.
fn inconsistent_project() -> SampleProject {
    let project = SampleProject::with_config("corpus-consistency", "(name: \"test\", proposers: (builtin_rules: false, memory: false))\n");
    let corpus = project.root.join("corpus");
    for entry in std::fs::read_dir(&corpus).expect("corpus").flatten() {
        std::fs::remove_file(entry.path()).expect("sample article removed");
    }
    let texts = ["زار الوفد موسكو أمس.", "وصل المبعوث إلى موسكو اليوم.", "قالت موسكو إنها ترفض.", "ردت موسكو على البيان.", "في موسكو اجتماع."];
    for (i, text) in texts.iter().enumerate() {
        let rel = format!("{}.txt", (b'a' + i as u8) as char);
        std::fs::write(corpus.join(&rel), text).expect("article");
        let start = char_offset(text, MOSCOW);
        write_span(&project, "tester", &rel, start..start + 5, if i < 2 { "ORG" } else { "LOC" });
    }
    project
}

#[test]
fn a_label_conflict_is_shown_fixed_across_articles_and_undone() {
    let project = inconsistent_project();
    let mut harness = app_harness(&project);
    assert_eq!(open_rel(harness.state()), "a.txt");
    harness.state_mut().queue(AppCommand::ConsistencyView);
    harness.run_steps(2);
    wait_until(&mut harness, "a report", |app| app.consistency_window().report().is_some());
    let report = harness.state().consistency_window().report().cloned().expect("report");
    assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
    assert!(harness.query_by_label_contains("Labelled differently in different places (1)").is_some());

    // Open the finding and apply its suggested fix: the two ORG spans become LOC.
    harness.get_by_label("LOC 3, ORG 2").click();
    harness.run_steps(3);
    assert!(harness.query_by_label("relabel 3 span(s) as ORG").is_some(), "the other way round is offered too");
    harness.get_by_label("relabel 2 span(s) as LOC").click();
    harness.run_steps(3);
    let labels = |file: &AnnotationFile| file.spans.iter().map(|s| s.label.clone()).collect::<Vec<_>>();
    assert_eq!(labels(&saved(&project, "a.txt", |f| f.spans[0].label == "LOC")), ["LOC"], "the open article, saved at once");
    assert_eq!(labels(&saved(&project, "b.txt", |f| f.spans[0].label == "LOC")), ["LOC"]);
    wait_until(&mut harness, "checked again, clean", |app| app.consistency_window().report().is_some_and(|r| r.findings.is_empty()));
    harness.run_steps(2);
    assert!(harness.query_by_label_contains("0 finding(s)").is_some());

    // One Ctrl+Z restores both files, and the finding is back.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(3);
    saved(&project, "b.txt", |f| f.spans[0].label == "ORG");
    let_save_happen(&mut harness);
    saved(&project, "a.txt", |f| f.spans[0].label == "ORG");
    wait_until(&mut harness, "the finding back", |app| app.consistency_window().report().is_some_and(|r| r.findings.len() == 1));
}

#[test]
fn a_fix_made_before_a_file_changed_is_refused_and_one_made_after_is_taken() {
    let project_dir = inconsistent_project();
    let project = tawsim::store::Project::open(&project_dir.root).expect("project");
    let ctx = egui::Context::default();
    let mut corpus = CorpusIndexState::new(&project);
    let started = Instant::now();
    let check = |corpus: &mut CorpusIndexState| {
        while !corpus.start_check("tester", &ctx) {
            assert!(started.elapsed() < Duration::from_secs(20), "no index");
            std::thread::sleep(Duration::from_millis(10));
            assert!(corpus.poll(&project, &ctx).is_none());
        }
        loop {
            if let Some(outcome) = corpus.poll(&project, &ctx) {
                break outcome.expect("a report");
            }
            assert!(started.elapsed() < Duration::from_secs(20), "no report");
            std::thread::sleep(Duration::from_millis(10));
        }
    };
    let report = check(&mut corpus);
    let fix = report.findings[0].fixes.iter().find(|f| f.title == "relabel 2 span(s) as LOC").cloned().expect("the fix");

    // Another program relabels b's span meanwhile: the fix no longer fits and changes nothing.
    let b = project_dir.text("b.txt");
    let start = char_offset(&b, MOSCOW);
    write_span(&project_dir, "tester", "b.txt", start..start + 5, "LOC");
    let refused = corpus.apply_fix(&project, &fix).expect_err("a stale fix");
    assert!(refused.contains("b.txt") && refused.contains("changed since the check"), "{refused}");
    let on_disk = |rel: &str| tawsim::store::read_annotation(&project_dir.annotation("tester", rel)).expect("readable").expect("a file");
    assert_eq!(on_disk("a.txt").spans[0].label, "ORG", "nothing written");

    // Checked again, the finding is one ORG span against four LOC, and its fix fits.
    let report = check(&mut corpus);
    assert_eq!(report.findings.len(), 1);
    let fix = report.findings[0].fixes.first().cloned().expect("a fix");
    assert_eq!(fix.title, "relabel 1 span(s) as LOC");
    assert_eq!(corpus.apply_fix(&project, &fix), Ok(vec![("a.txt".to_owned(), "tester".to_owned())]));
}
