//! The annotation app's speed: start-up on the sample project, frames on a 1 MB article with
//! 20,000 entities, edits, and saving that article's annotation file; frames of the corpus search
//! window over 2,000 generated articles.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use egui::{Event, RawInput, Rect, pos2, vec2};
use tawsim::app::commands::EditCommand as Command;
use tawsim::app::{ProposersLoading, Settings, StartOptions, TawsimApp, setup_context};
use tawsim::model::{AnnotationFile, DocStatus, Span, SpanEdit, SpanState};
use tawsim::store::{save_annotation, sha256_hex};

fn input(events: Vec<Event>) -> RawInput {
    RawInput { screen_rect: Some(Rect::from_min_size(pos2(0.0, 0.0), vec2(1360.0, 860.0))), events, ..Default::default() }
}

fn frame(ctx: &egui::Context, app: &mut TawsimApp, events: Vec<Event>) -> usize {
    let output = ctx.run_ui(input(events), |ui| app.show(ui));
    ctx.tessellate(output.shapes, output.pixels_per_point).len()
}

/// A project folder with one generated 1 MB article and an annotation of it with `entities` spans;
/// `proposers` turns on the built-in rules and project memory (off: the editor alone).
fn big_project(entities: usize, proposers: bool) -> PathBuf {
    let root = std::env::temp_dir().join(format!("tawsim-bench-{}-{proposers}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("corpus")).expect("folder");
    let text = tawsim::synthetic::arabic_article(1 << 20);
    std::fs::write(root.join("corpus/big.txt"), &text).expect("article");
    let config = format!("(name: \"bench\", proposers: (builtin_rules: {proposers}, memory: {proposers}))");
    std::fs::write(root.join("tawsim.ron"), config).expect("config");
    let mut file = AnnotationFile::new("corpus/big.txt", &sha256_hex(&text), "bench");
    let words: Vec<_> = tawsim::arabic::words(&text).filter(|w| w.range.len() > 2).collect();
    let stride = (words.len() / entities).max(1);
    let chars: Vec<char> = text.chars().collect();
    for (k, word) in words.iter().step_by(stride).take(entities).enumerate() {
        let id = file.alloc_id();
        let label = ["PERS", "LOC", "ORG", "MISC"][k % 4];
        let surface: String = chars[word.range.clone()].iter().collect();
        file.apply(&SpanEdit::Add(Span::manual(id, word.range.clone(), label, &surface))).expect("add");
    }
    save_annotation(&root.join("annotations/bench/big.txt.ron"), &file).expect("save");
    root
}

/// The app opened on `root` with its proposers loaded before it shows.
fn open_app(root: &Path, annotator: &str) -> TawsimApp {
    open_app_loading(root, annotator, ProposersLoading::Before)
}

fn open_app_loading(root: &Path, annotator: &str, proposers: ProposersLoading) -> TawsimApp {
    TawsimApp::with_settings(Settings::default(), StartOptions { project: root.to_owned(), annotator: Some(annotator.to_owned()), proposers })
}

/// A copy of the sample project (articles, config, gazetteer and gold annotation), so opening it
/// (which writes proposals into the annotator's files) leaves the repository alone.
fn sample_copy() -> PathBuf {
    let root = std::env::temp_dir().join(format!("tawsim-bench-sample-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let assets = tawsim::sample_project_dir();
    for sub in ["corpus", "gazetteers"] {
        std::fs::create_dir_all(root.join(sub)).expect("folder");
        for entry in std::fs::read_dir(assets.join(sub)).expect("sample folder").flatten() {
            std::fs::copy(entry.path(), root.join(sub).join(entry.file_name())).expect("copy");
        }
    }
    let config = std::fs::read_to_string(assets.join("tawsim.ron")).expect("config").replace("\"../annotations\"", "\"annotations\"");
    std::fs::write(root.join("tawsim.ron"), config).expect("config");
    let gold = assets.join("../annotations/gold");
    std::fs::create_dir_all(root.join("annotations/gold")).expect("folder");
    for entry in std::fs::read_dir(gold).expect("gold annotations").flatten() {
        std::fs::copy(entry.path(), root.join("annotations/gold").join(entry.file_name())).expect("copy");
    }
    root
}

/// Opening as `tawsim` does (the proposers loading on a thread): the time to the first painted
/// article, and to the first frame that shows its proposals. Each opening's loading finishes and
/// its window is dropped outside the timing, so the next opening has the cores to itself.
fn startup(c: &mut Criterion) {
    let sample = sample_copy();
    let open_timed = |iters: u64, until_proposals: bool| {
        let mut total = Duration::ZERO;
        for _ in 0..iters {
            let start = Instant::now();
            let ctx = egui::Context::default();
            setup_context(&ctx);
            let mut app = open_app_loading(&sample, "gold", ProposersLoading::InBackground);
            black_box(frame(&ctx, &mut app, Vec::new()));
            if until_proposals {
                app.active_session_mut().expect("session").wait_for_proposers();
                black_box(frame(&ctx, &mut app, Vec::new()));
            }
            total += start.elapsed();
            app.active_session_mut().expect("session").wait_for_proposers();
            assert!(app.session().and_then(|s| s.open.as_ref()).is_some_and(|o| o.pending_spans().next().is_some()), "the sample article shows proposals");
            drop((app, ctx));
        }
        total
    };
    c.bench_function("open the sample project to the first painted article", |b| b.iter_custom(|iters| open_timed(iters, false)));
    c.bench_function("open the sample project to its proposals painted", |b| b.iter_custom(|iters| open_timed(iters, true)));
}

/// The everyday case: deciding a proposal in a news article (the sample digest, 12 kB) with the
/// sample project's gazetteer, the built-in rules and project memory.
fn decide_in_news_article(c: &mut Criterion) {
    let sample = sample_copy();
    let ctx = egui::Context::default();
    setup_context(&ctx);
    let mut app = open_app(&sample, "bench");
    let digest = app.session().and_then(|s| s.articles.iter().position(|a| a.rel.ends_with("syria-news-digest.txt"))).expect("digest");
    app.active_session_mut().expect("session").apply(Command::OpenArticle(digest));
    for _ in 0..50 {
        frame(&ctx, &mut app, Vec::new());
    }
    accept_and_undo(c, "news article (syria-news-digest): accept a proposal (memory refresh) and draw the next frame", &ctx, &mut app);
}

/// Shift+A on the most frequent proposed name of the 1 MB article: every proposal of that text
/// accepted (and memory's refresh), undone, and the next frame.
fn shift_a_on_a_frequent_name(c: &mut Criterion, ctx: &egui::Context, app: &mut TawsimApp) {
    let open = app.session().and_then(|s| s.open.as_ref()).expect("open article");
    let mut counts: std::collections::HashMap<&str, (usize, u64)> = std::collections::HashMap::new();
    for span in open.pending_spans() {
        counts.entry(span.text.as_str()).or_insert((0, span.id)).0 += 1;
    }
    let (&text, &(times, id)) = counts.iter().max_by_key(|(text, (n, _))| (*n, *text)).expect("proposals");
    let text = text.to_owned();
    eprintln!("Shift+A on «{text}», proposed {times} times");
    c.bench_function("1 MB article with proposals: Shift+A on its most frequent proposed name and draw the next frame", |b| {
        b.iter(|| {
            let session = app.active_session_mut().expect("session");
            session.apply(Command::FocusEntity(id));
            session.apply(Command::AcceptSameText);
            session.apply(Command::Undo);
            frame(ctx, app, Vec::new())
        })
    });
}

/// Accepting the focused proposal (which refreshes memory's proposals) and the frame after: what
/// one decision costs. Each decision is undone, and that frame drawn, outside the timing.
fn accept_and_undo(c: &mut Criterion, name: &str, ctx: &egui::Context, app: &mut TawsimApp) {
    c.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                app.active_session_mut().expect("session").apply(Command::AcceptFocused);
                black_box(frame(ctx, app, Vec::new()));
                total += start.elapsed();
                app.active_session_mut().expect("session").apply(Command::Undo);
                black_box(frame(ctx, app, Vec::new()));
            }
            total
        })
    });
}

/// What the UI thread spends when a decision's save is due: the session hands its annotation to
/// the saver, which copies it on its own thread. The decision before it, and waiting for the
/// write after it, are not timed.
fn hand_a_save_to_the_saver(c: &mut Criterion, app: &mut TawsimApp) {
    c.bench_function("1 MB article with proposals: hand a due save to the saver (the UI thread's share)", |b| {
        b.iter_custom(|iterations| {
            let mut spent = Duration::ZERO;
            for k in 0..iterations {
                let session = app.active_session_mut().expect("session");
                session.apply(if k % 2 == 0 { Command::AcceptFocused } else { Command::Undo });
                let due = Instant::now() + tawsim::app::session::SAVE_DELAY;
                let started = Instant::now();
                session.tick(due);
                spent += started.elapsed();
                session.save_now();
            }
            spent
        })
    });
}

/// Switching between two articles of the sample project (opening one: its file read, proposals
/// refreshed, laid out) and the frame that shows it.
fn switch_articles(c: &mut Criterion) {
    let sample = sample_copy();
    let ctx = egui::Context::default();
    setup_context(&ctx);
    let mut app = open_app(&sample, "bench");
    for _ in 0..20 {
        frame(&ctx, &mut app, Vec::new());
    }
    let articles = app.session().map_or(0, |s| s.articles.len());
    assert!(articles >= 2, "the sample project has {articles} articles");
    let mut next = 0;
    c.bench_function("sample project: switch to another article and draw it", |b| {
        b.iter(|| {
            next = (next + 1) % articles;
            app.active_session_mut().expect("session").apply(Command::OpenArticle(next));
            frame(&ctx, &mut app, Vec::new())
        })
    });
}

/// Labelling a name in every article of a generated project of 200 articles (one action), then
/// what is measured: undoing it (each closed article's file written back) and the next frame.
fn undo_project_wide_labelling(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    tawsim::synthetic::write_project(dir.path(), 200, 1_000).expect("generated project");
    let ctx = egui::Context::default();
    setup_context(&ctx);
    let mut app = open_app(dir.path(), "bench");
    for _ in 0..10 {
        frame(&ctx, &mut app, Vec::new());
    }
    let name = "روسيا";
    let open = app.session().and_then(|s| s.open.as_ref()).expect("open article");
    let at = open.text.find(name).map(|byte| open.text[..byte].chars().count()).expect("the name in the first article");
    let range = at..at + name.chars().count();
    let accepted = |app: &TawsimApp| {
        app.session()
            .and_then(|s| s.open.as_ref())
            .map_or(0, |o| o.annotation.spans.iter().filter(|s| s.text == name && s.state == SpanState::Accepted).count())
    };
    let accepted_before = accepted(&app);
    c.bench_function("200 generated articles: undo labelling a name in all of them, and the next frame", |b| {
        b.iter_custom(|iterations| {
            let mut spent = Duration::ZERO;
            for _ in 0..iterations {
                let session = app.active_session_mut().expect("session");
                session.apply(Command::LabelRange(range.clone(), "LOC".into()));
                session.apply(Command::LabelOccurrencesOfFocused(tawsim::app::commands::Scope::Project));
                frame(&ctx, &mut app, Vec::new());
                let started = std::time::Instant::now();
                app.active_session_mut().expect("session").apply(Command::Undo);
                frame(&ctx, &mut app, Vec::new());
                spent += started.elapsed();
                // The label of the name itself, the action before.
                app.active_session_mut().expect("session").apply(Command::Undo);
            }
            spent
        })
    });
    assert_eq!(accepted(&app), accepted_before, "every labelling was undone");
}

/// Makes three annotators' files of every gold file of `root`, each missing a different third of
/// the entities so there is something to adjudicate; their names.
fn three_annotators_from_gold(root: &Path) -> Vec<String> {
    let gold = root.join("annotations/gold");
    let annotators = ["amal", "badr", "huda"];
    for (k, annotator) in annotators.iter().enumerate() {
        let folder = root.join("annotations").join(annotator);
        std::fs::create_dir_all(&folder).expect("folder");
        for entry in std::fs::read_dir(&gold).expect("gold").flatten() {
            let (mut file, _) = tawsim::store::load_annotation(&entry.path()).expect("gold file readable").expect("gold file");
            file.annotator = (*annotator).to_owned();
            let mut n = 0;
            file.spans.retain(|_| {
                n += 1;
                n % 3 != k
            });
            save_annotation(&folder.join(entry.file_name()), &file).expect("saved");
        }
    }
    annotators.iter().map(|a| (*a).to_owned()).collect()
}

/// Opening the review of one article that three annotators labelled (their files read and
/// compared, the groups drawn), from annotating; leaving it again is not measured.
fn open_review_of_three_annotators(c: &mut Criterion) {
    let sample = sample_copy();
    let names = three_annotators_from_gold(&sample);
    let gold = sample.join("annotations/gold");
    let rel = std::fs::read_dir(&gold).expect("gold").flatten().next().expect("a gold file").file_name().to_string_lossy().trim_end_matches(".ron").to_owned();
    let ctx = egui::Context::default();
    setup_context(&ctx);
    let mut app = open_app(&sample, "bench");
    for _ in 0..10 {
        frame(&ctx, &mut app, Vec::new());
    }
    c.bench_function("sample article labelled by three annotators: open its review and draw it", |b| {
        b.iter_custom(|iterations| {
            let mut spent = Duration::ZERO;
            for _ in 0..iterations {
                let started = std::time::Instant::now();
                app.queue(tawsim::app::commands::AppCommand::ReviewArticle { annotators: names.clone(), rel: rel.clone() });
                frame(&ctx, &mut app, Vec::new());
                spent += started.elapsed();
                assert!(app.review_mode().is_some(), "in review mode");
                app.queue(tawsim::app::commands::AppCommand::LeaveReview);
                frame(&ctx, &mut app, Vec::new());
            }
            spent
        })
    });
}

/// Ctrl+Enter in review mode over 200 generated articles that three annotators labelled: the
/// article marked reviewed and saved, the search for the next one with disagreements handed to
/// a thread, and the next frame. Not timed: the search, the article it finds opening, and
/// going back to the first article made unreviewed again.
fn mark_reviewed_and_next(c: &mut Criterion) {
    use tawsim::app::commands::{AppCommand, ReviewCommand};
    let dir = tempfile::tempdir().expect("temp dir");
    tawsim::synthetic::write_gold_project(dir.path(), 200, 1_000).expect("generated project");
    let names = three_annotators_from_gold(dir.path());
    // Nothing reviewed yet: no gold files.
    std::fs::remove_dir_all(dir.path().join("annotations/gold")).expect("gold removed");
    let ctx = egui::Context::default();
    setup_context(&ctx);
    let mut app = open_app(dir.path(), "bench");
    let first = "corpus/00000.txt".to_owned();
    let review_first = |app: &mut TawsimApp| {
        app.queue(AppCommand::ReviewArticle { annotators: names.clone(), rel: first.clone() });
        frame(&ctx, app, Vec::new());
        assert!(app.review_mode().is_some(), "in review mode");
    };
    let open_rel = |app: &TawsimApp| app.active_session().and_then(|s| s.open.as_ref().map(|o| s.articles[o.index].rel.clone()));
    review_first(&mut app);
    c.bench_function("200 generated articles, three annotators: Ctrl+Enter in review (mark reviewed, look for the next) and the next frame", |b| {
        b.iter_custom(|iterations| {
            let mut spent = Duration::ZERO;
            for _ in 0..iterations {
                let started = Instant::now();
                app.queue(ReviewCommand::MarkReviewedAndNext);
                frame(&ctx, &mut app, Vec::new());
                spent += started.elapsed();
                let status = |app: &TawsimApp| app.active_session().and_then(|s| s.open.as_ref()).map(|o| o.annotation.status);
                assert_eq!(status(&app), Some(DocStatus::Reviewed), "marked reviewed");
                // Made unreviewed again before the search's answer opens another article.
                app.active_session_mut().expect("session").apply(Command::Undo);
                assert_ne!(status(&app), Some(DocStatus::Reviewed), "unreviewed again");
                while app.review_mode().is_some_and(|r| r.is_searching()) {
                    std::thread::sleep(Duration::from_micros(200));
                    frame(&ctx, &mut app, Vec::new());
                }
                assert_ne!(open_rel(&app).as_deref(), Some(first.as_str()), "the next article opened");
                review_first(&mut app);
            }
            spent
        })
    });
}

fn big_article(c: &mut Criterion) {
    let root = big_project(20_000, false);
    let ctx = egui::Context::default();
    setup_context(&ctx);
    let mut app = open_app(&root, "bench");
    for _ in 0..400 {
        frame(&ctx, &mut app, Vec::new());
    }
    let spans = app.session().and_then(|s| s.open.as_ref()).map_or(0, |o| o.annotation.spans.len());
    assert_eq!(spans, 20_000);

    c.bench_function("1 MB article, 20,000 entities: idle frame", |b| b.iter(|| frame(&ctx, &mut app, Vec::new())));

    c.bench_function("1 MB article, 20,000 entities: scrolling frame", |b| {
        b.iter(|| {
            let wheel = Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: vec2(0.0, -90.0),
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
                modifiers: egui::Modifiers::NONE,
            };
            frame(&ctx, &mut app, vec![Event::PointerMoved(pos2(700.0, 400.0)), wheel])
        })
    });

    let mut next = 0usize;
    c.bench_function("1 MB article, 20,000 entities: add an entity and draw the next frame", |b| {
        b.iter(|| {
            next += 7;
            let start = 1 + (next * 13) % 900_000;
            let session = app.active_session_mut().expect("session");
            session.apply(Command::LabelRange(start..start + 1, "MISC".into()));
            session.apply(Command::Undo);
            frame(&ctx, &mut app, Vec::new())
        })
    });

    let file = app.session().and_then(|s| s.open.as_ref()).map(|o| AnnotationFile::clone(&o.annotation)).expect("open");
    let path = root.join("annotations/bench/saved.txt.ron");
    let mut flip = false;
    c.bench_function("save a 20,000-entity annotation file (atomic write)", |b| {
        b.iter(|| {
            // Alternate the status so every save really writes.
            flip = !flip;
            let mut file = file.clone();
            file.status = if flip { tawsim::model::DocStatus::Done } else { tawsim::model::DocStatus::InProgress };
            black_box(save_annotation(&path, &file).expect("saved"))
        })
    });
    drop(app);
    let _ = std::fs::remove_dir_all(&root);
}

/// Deciding proposals in a 1 MB article: each decision teaches project memory, which re-proposes
/// over the whole article, so this is the slowest edit an annotator makes.
fn big_article_with_proposals(c: &mut Criterion) {
    let root = big_project(20_000, true);
    let ctx = egui::Context::default();
    setup_context(&ctx);
    let mut app = open_app(&root, "bench");
    for _ in 0..100 {
        frame(&ctx, &mut app, Vec::new());
    }
    let pending = app.session().and_then(|s| s.open.as_ref()).map_or(0, |o| o.pending_spans().count());
    assert!(pending > 1000, "the rules propose in the generated article ({pending})");
    accept_and_undo(c, "1 MB article with proposals: accept one (memory refresh) and draw the next frame", &ctx, &mut app);
    shift_a_on_a_frequent_name(c, &ctx, &mut app);
    hand_a_save_to_the_saver(c, &mut app);
    drop(app);
    let _ = std::fs::remove_dir_all(&root);
}

/// The corpus search window over 2,000 generated articles of 1,000 words with gold files: a frame
/// with 16,000 hits listed (a screenful drawn, their context cut out), against the same frame
/// without the window, a scrolling frame, and a keystroke in the query (the search runs again,
/// then the frame).
fn corpus_search_window(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    tawsim::synthetic::write_gold_project(dir.path(), 2_000, 1_000).expect("generated project");
    let ctx = egui::Context::default();
    setup_context(&ctx);
    let mut app = open_app(dir.path(), "bench");
    for _ in 0..20 {
        frame(&ctx, &mut app, Vec::new());
    }
    // What the window costs is measured against the same window without it.
    c.bench_function("2,000 generated articles: idle frame without the corpus search window", |b| b.iter(|| frame(&ctx, &mut app, Vec::new())));
    app.queue(tawsim::app::commands::AppCommand::CorpusSearch);
    let started = std::time::Instant::now();
    while app.corpus().is_none_or(|c| c.index().is_none()) {
        assert!(started.elapsed() < Duration::from_secs(120), "the index was never built");
        std::thread::sleep(Duration::from_millis(20));
        frame(&ctx, &mut app, Vec::new());
    }
    frame(&ctx, &mut app, vec![Event::Text("روسيا".into())]);
    frame(&ctx, &mut app, Vec::new());
    let hits = app.search_window().hits.len();
    assert!(hits > 10_000, "{hits} hits");

    c.bench_function("corpus search window on روسيا: idle frame", |b| b.iter(|| frame(&ctx, &mut app, Vec::new())));
    c.bench_function("corpus search window on روسيا: scrolling frame", |b| {
        b.iter(|| {
            let wheel = Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: vec2(0.0, -90.0),
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
                modifiers: egui::Modifiers::NONE,
            };
            frame(&ctx, &mut app, vec![Event::PointerMoved(pos2(500.0, 760.0)), wheel])
        })
    });
    let mut typed = false;
    c.bench_function("corpus search window: a keystroke in the query (search 2,000 articles, frame)", |b| {
        b.iter(|| {
            typed = !typed;
            let key = if typed {
                Event::Text("ا".into())
            } else {
                Event::Key { key: egui::Key::Backspace, physical_key: None, pressed: true, repeat: false, modifiers: egui::Modifiers::NONE }
            };
            frame(&ctx, &mut app, vec![key])
        })
    });
    assert_eq!(app.search_window().input, if typed { "روسياا" } else { "روسيا" }, "the keystrokes reached the query");
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(4));
    targets = startup, decide_in_news_article, switch_articles, open_review_of_three_annotators, mark_reviewed_and_next, big_article, big_article_with_proposals, undo_project_wide_labelling, corpus_search_window
}
criterion_main!(benches);
