//! The annotation session without a window: commands, undo, files, odd articles.

mod common;

use common::{SampleProject, char_offset};
use tawsim::app::commands::{EditCommand as Command, Scope, SpanEnd, Step};
use tawsim::app::session::{ProposersLoading, Session};
use tawsim::model::{DocStatus, SpanState};
use tawsim::store::BreakLock;

fn session(project: &SampleProject) -> Session {
    Session::open(&project.root, "tester", None).expect("project opens")
}

fn label_word(session: &mut Session, word: &str, label: &str) -> u64 {
    let text = session.open.as_ref().expect("open").text.to_string();
    let c = char_offset(&text, word);
    session.apply(Command::LabelRange(c..c + word.chars().count(), label.into()));
    session.open.as_ref().and_then(|o| o.focused).expect("the new entity is focused")
}

#[test]
fn every_edit_undoes_back_to_an_empty_new_article() {
    let project = SampleProject::new("undo");
    let mut s = session(&project);
    let a = label_word(&mut s, "روسيا", "LOC");
    label_word(&mut s, "إيران", "LOC");
    s.apply(Command::Relabel(a, "ORG".into()));
    s.apply(Command::FocusEntity(a));
    s.apply(Command::MoveEdge { end: SpanEnd::End, forward: true, step: Step::Char });
    s.apply(Command::Delete(a));
    let mut undos = 0;
    while s.history.can_undo() {
        s.apply(Command::Undo);
        undos += 1;
    }
    assert_eq!(undos, 5);
    let open = s.open.as_ref().expect("open");
    assert!(open.annotation.spans.is_empty());
    assert_eq!(open.annotation.status, DocStatus::New);
    // And all the way forward again.
    while s.history.can_redo() {
        s.apply(Command::Redo);
    }
    assert_eq!(s.open.as_ref().expect("open").annotation.spans.len(), 1);
}

#[test]
fn a_save_leaves_the_annotation_unshared_and_writes_what_was_handed_over() {
    let project = SampleProject::new("unshared");
    let mut s = session(&project);
    label_word(&mut s, "روسيا", "LOC");
    s.save_now();
    let open = s.open.as_ref().expect("open");
    // The saver wrote (and kept) a copy of its own, so the next edit copies nothing here.
    assert_eq!(std::sync::Arc::strong_count(&open.annotation), 1, "the session's annotation is its own again");
    let rel = s.articles[open.index].rel.clone();
    let written = tawsim::store::read_annotation(&project.annotation("tester", &rel)).expect("readable").expect("written");
    assert_eq!(written.spans, open.annotation.spans);
    // Edits after the save land in the next one, and the earlier one is not disturbed.
    label_word(&mut s, "إيران", "LOC");
    s.save_now();
    let written = tawsim::store::read_annotation(&project.annotation("tester", &rel)).expect("readable").expect("written");
    assert_eq!(written.spans.len(), 2);
    assert_eq!(written.spans, s.open.as_ref().expect("open").annotation.spans);
}

#[test]
fn boundaries_move_by_character_and_by_word_in_logical_order() {
    let project = SampleProject::new("edges");
    let mut s = session(&project);
    let id = label_word(&mut s, "الطيران الروسي", "ORG");
    let before = s.open.as_ref().and_then(|o| o.focused_span().cloned()).expect("span");
    let span = |s: &Session| s.open.as_ref().and_then(|o| o.annotation.span(id).cloned()).expect("span");
    // The end moves forward: one more character.
    s.apply(Command::MoveEdge { end: SpanEnd::End, forward: true, step: Step::Char });
    assert_eq!((span(&s).start, span(&s).end), (before.start, before.end + 1));
    // The start moves forward: the entity loses its first letter.
    s.apply(Command::MoveEdge { end: SpanEnd::Start, forward: true, step: Step::Char });
    let moved = span(&s);
    assert_eq!((moved.start, moved.end), (before.start + 1, before.end + 1));
    assert_eq!(moved.text.chars().count(), moved.end - moved.start, "the stored text follows the offsets");
    // By word: the end takes in the next word.
    s.apply(Command::MoveEdge { end: SpanEnd::End, forward: true, step: Step::Word });
    let moved = span(&s);
    assert!(moved.text.starts_with("لطيران الروسي "), "{:?}", moved.text);
    assert!(!moved.text.ends_with(' '));
    // An edge never crosses the other.
    for _ in 0..40 {
        s.apply(Command::MoveEdge { end: SpanEnd::End, forward: false, step: Step::Char });
    }
    assert_eq!(span(&s).end, span(&s).start + 1);
}

#[test]
fn label_every_occurrence_in_the_article_and_the_project() {
    let project = SampleProject::new("occurrences");
    let mut s = session(&project);
    let id = label_word(&mut s, "روسيا", "LOC");
    s.apply(Command::LabelOccurrences(id, Scope::Article));
    let open = s.open.as_ref().expect("open");
    let text = open.text.to_string();
    let expected = text.match_indices("روسيا").count();
    let russia: Vec<_> = open.annotation.spans.iter().filter(|s| s.text == "روسيا").collect();
    assert!(russia.len() >= 2 && russia.len() <= expected, "{} of {expected}", russia.len());
    for span in &russia {
        let before: String = text.chars().take(span.start).collect();
        let prefix: String = before.chars().rev().take_while(|c| c.is_alphabetic()).collect();
        assert!(prefix.chars().all(|c| "وفبلك".contains(c)), "only proclitics may precede: {prefix:?}");
    }
    // One undo takes back the whole batch.
    s.apply(Command::Undo);
    assert_eq!(s.open.as_ref().expect("open").annotation.spans.len(), 1);

    s.apply(Command::LabelOccurrences(id, Scope::Project));
    s.save_now();
    let other = tawsim::store::read_annotation(&project.annotation("tester", "london-talks-sanctions.txt")).expect("readable").expect("written");
    assert!(other.spans.iter().any(|s| s.text == "روسيا" && s.label == "LOC" && s.state == SpanState::Accepted));
    assert_eq!(other.status, DocStatus::InProgress);

    // Labelling across the project was one action: one undo takes it back in every article, and
    // the articles it started are new again.
    s.apply(Command::Undo);
    s.save_now();
    let other = tawsim::store::read_annotation(&project.annotation("tester", "london-talks-sanctions.txt")).expect("readable").expect("written");
    assert!(other.spans.is_empty(), "{:?}", other.spans);
    assert_eq!(other.status, DocStatus::New);
    assert_eq!(s.open.as_ref().expect("open").annotation.spans.len(), 1, "only the entity labelled by hand is left here");
    let listed = s.articles.iter().find(|a| a.rel == "london-talks-sanctions.txt").expect("listed");
    assert_eq!((listed.entities, listed.status), (0, DocStatus::New), "the documents list follows");
    // And one redo puts it all back.
    s.apply(Command::Redo);
    s.save_now();
    let other = tawsim::store::read_annotation(&project.annotation("tester", "london-talks-sanctions.txt")).expect("readable").expect("written");
    assert!(other.spans.iter().any(|s| s.text == "روسيا"));
    assert!(!s.history.can_redo());
}

#[test]
fn an_article_left_out_of_a_project_wide_labelling_is_named() {
    let project = SampleProject::new("left-out");
    let broken = project.annotation("tester", "london-talks-sanctions.txt");
    std::fs::create_dir_all(broken.parent().expect("folder")).expect("mkdir");
    std::fs::write(&broken, "(format: 1, spans: [").expect("write");
    let mut s = session(&project);
    open_rel(&mut s, "aleppo-street-fighting.txt");
    let id = label_word(&mut s, "روسيا", "LOC");
    s.apply(Command::LabelOccurrences(id, Scope::Project));
    let said = s.notices.iter().find(|n| n.error).map(|n| n.text.clone()).expect("the skipped article is reported");
    assert!(said.contains("london-talks-sanctions.txt.ron"), "{said}");
    assert_eq!(std::fs::read_to_string(&broken).expect("still there"), "(format: 1, spans: [", "never overwritten");
}

#[test]
fn the_view_turns_screen_sides_into_logical_ends_without_painting() {
    use tawsim::app::commands::{Side, ViewCommand};
    use tawsim::app::view::ArticleView;
    let project = SampleProject::new("sides");
    std::fs::write(project.root.join("corpus/mixed.txt"), "قال لافروف في موسكو\nSergei Lavrov spoke in Moscow\n").expect("write");
    let mut s = session(&project);
    open_rel(&mut s, "mixed.txt");
    let mut view = ArticleView::default();
    view.sync(s.open.as_ref());
    let mut engine = tawsim::text_view::LayoutEngine::new();
    let left_edge_left = ViewCommand::MoveEdge { edge: Side::Left, toward: Side::Left, step: Step::Char };
    // Nothing has been painted: the view lays the entity's paragraph out to know its direction.
    label_word(&mut s, "لافروف", "PERS");
    let rtl = view.resolve(left_edge_left.clone(), s.open.as_ref(), &mut engine);
    assert_eq!(rtl, Some(Command::MoveEdge { end: SpanEnd::End, forward: true, step: Step::Char }), "right to left: the left edge is the end");
    label_word(&mut s, "Lavrov", "PERS");
    let ltr = view.resolve(left_edge_left, s.open.as_ref(), &mut engine);
    assert_eq!(ltr, Some(Command::MoveEdge { end: SpanEnd::Start, forward: false, step: Step::Char }), "left to right: the left edge is the start");
    // Labelling with a key means the selection when there is one, else the focused entity.
    assert_eq!(view.resolve(ViewCommand::Label("LOC".into()), s.open.as_ref(), &mut engine), Some(Command::RelabelFocused("LOC".into())));
    view.text.as_mut().expect("shown").selection = Some(0..3);
    assert_eq!(view.resolve(ViewCommand::Label("LOC".into()), s.open.as_ref(), &mut engine), Some(Command::LabelRange(0..3, "LOC".into())));
}

#[test]
fn a_windows_1256_article_is_reported_and_opens_decoded_on_request() {
    let project = SampleProject::new("cp1256");
    let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode("قصف مدينة حلب أمس");
    std::fs::write(project.root.join("corpus/legacy.txt"), &bytes).expect("write");
    let mut s = session(&project);
    let index = s.articles.iter().position(|a| a.rel == "legacy.txt").expect("listed");
    s.apply(Command::OpenArticle(index));
    assert!(s.open.is_none());
    assert_eq!(s.articles[index].decodable, Some("windows-1256"));
    assert!(s.articles[index].trouble.as_deref().is_some_and(|t| t.contains("windows-1256")));
    s.apply(Command::OpenDecoded(index));
    let open = s.open.as_ref().expect("opened decoded");
    assert_eq!(&*open.text, "قصف مدينة حلب أمس");
    let id = label_word(&mut s, "حلب", "LOC");
    s.save_now();
    let file = tawsim::store::read_annotation(&project.annotation("tester", "legacy.txt")).expect("ok").expect("saved");
    assert_eq!(file.span(id).map(|s| s.text.as_str()), Some("حلب"));
    assert_eq!(std::fs::read(project.root.join("corpus/legacy.txt")).expect("read"), bytes.to_vec(), "the article itself is untouched");
}

#[test]
fn empty_and_binary_articles_are_listed_with_the_reason() {
    let project = SampleProject::new("odd");
    std::fs::write(project.root.join("corpus/empty.txt"), b"").expect("write");
    std::fs::write(project.root.join("corpus/binary.txt"), b"\x00\x01PNG").expect("write");
    let mut s = session(&project);
    for (name, reason) in [("empty.txt", "empty"), ("binary.txt", "NUL")] {
        let index = s.articles.iter().position(|a| a.rel == name).expect("listed");
        s.apply(Command::OpenArticle(index));
        assert!(s.open.is_none());
        let trouble = s.articles[index].trouble.clone().expect("reason shown");
        assert!(trouble.contains(name) && trouble.contains(reason), "{trouble}");
    }
}

#[test]
fn a_broken_annotation_file_is_shown_and_never_overwritten() {
    let project = SampleProject::new("broken");
    let path = project.annotation("tester", "aleppo-street-fighting.txt");
    std::fs::create_dir_all(path.parent().expect("folder")).expect("mkdir");
    std::fs::write(&path, "(format: 1, spans: [ (id: 1, start: 3,, ])").expect("write");
    let mut s = session(&project);
    assert!(s.open.is_none());
    let trouble = s.articles[0].trouble.clone().expect("reported");
    assert!(trouble.contains("aleppo-street-fighting.txt.ron:1:"), "path:line:column in {trouble}");
    s.apply(Command::RelabelFocused("LOC".into()));
    s.save_now();
    assert_eq!(std::fs::read_to_string(&path).expect("still there"), "(format: 1, spans: [ (id: 1, start: 3,, ])");
}

#[test]
fn mark_done_skips_finished_articles_and_says_when_all_are_done() {
    let project = SampleProject::new("done");
    let mut s = session(&project);
    let total = s.articles.len();
    for _ in 0..total {
        s.apply(Command::MarkDoneAndNext { reject_pending: false });
    }
    assert_eq!(s.progress(), (total, total));
    assert!(s.notices.last().is_some_and(|n| n.text.contains("every article is done")));
}

fn open_rel(s: &mut Session, rel: &str) {
    let index = s.articles.iter().position(|a| a.rel == rel).expect("article");
    s.apply(Command::OpenArticle(index));
}

fn pending_texts(s: &Session, source: &str) -> Vec<String> {
    let open = s.open.as_ref().expect("open");
    open.pending_spans()
        .filter(|sp| matches!(&sp.origin, tawsim::model::Origin::Proposed { source: from, .. } if from == source))
        .map(|sp| sp.text.clone())
        .collect()
}

#[test]
fn what_was_accepted_proposes_itself_everywhere_and_undo_forgets_it() {
    let project = SampleProject::with_config("memory", "(name: \"test\", proposers: (builtin_rules: false, memory: true))\n");
    let mut s = session(&project);
    open_rel(&mut s, "kerry-lavrov-new-york.txt");
    assert!(pending_texts(&s, "memory").is_empty(), "nothing decided yet, nothing remembered");
    label_word(&mut s, "لافروف", "PERS");
    let here = pending_texts(&s, "memory");
    assert!(here.len() >= 5 && here.iter().all(|t| t == "لافروف"), "the other occurrences are proposed: {here:?}");
    open_rel(&mut s, "syria-news-digest.txt");
    assert_eq!(pending_texts(&s, "memory"), ["لافروف"], "and in other articles");

    // Undo the labelling (it is in the other article): its proposals go with it, here and there.
    s.apply(Command::Undo);
    assert!(pending_texts(&s, "memory").is_empty());
    open_rel(&mut s, "syria-news-digest.txt");
    assert!(pending_texts(&s, "memory").is_empty(), "memory forgot the undone decision");
}

fn open_in_background(project: &SampleProject, start_at: &str) -> Session {
    Session::open_annotating(&project.root, "tester", Some(start_at), BreakLock::IfStale, ProposersLoading::InBackground).expect("project opens")
}

#[test]
fn proposers_loaded_in_the_background_propose_once_they_arrive() {
    let project = SampleProject::with_proposers("background");
    let rel = "london-talks-sanctions.txt";
    let mut s = open_in_background(&project, rel);
    assert!(s.proposers_loading());
    assert_eq!(s.open.as_ref().expect("the article shows at once").pending_spans().count(), 0, "no proposals before the proposers arrive");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while s.proposers_loading() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
        s.poll_proposers();
    }
    assert!(!s.proposers_loading(), "the proposers arrived");
    let open = s.open.as_ref().expect("open");
    let arrived: Vec<_> = open.pending_spans().map(|p| (p.start, p.end, p.label.clone())).collect();
    assert_eq!(open.focused, open.pending_spans().next().map(|p| p.id), "the first proposal has focus");
    drop(s);
    let project_waited = SampleProject::with_proposers("waited");
    let mut waited = Session::open(&project_waited.root, "tester", None).expect("opens");
    open_rel(&mut waited, rel);
    let expected: Vec<_> = waited.open.as_ref().expect("open").pending_spans().map(|p| (p.start, p.end, p.label.clone())).collect();
    assert!(!expected.is_empty());
    assert_eq!(arrived, expected, "the same proposals as a session that waited for its proposers");
}

#[test]
fn a_command_given_while_the_proposers_load_learns_into_them() {
    let project = SampleProject::with_config("background-memory", "(name: \"test\", proposers: (builtin_rules: false, memory: true))\n");
    let mut s = open_in_background(&project, "kerry-lavrov-new-york.txt");
    assert!(s.proposers_loading());
    label_word(&mut s, "لافروف", "PERS");
    assert!(!s.proposers_loading());
    let here = pending_texts(&s, "memory");
    assert!(here.len() >= 5 && here.iter().all(|t| t == "لافروف"), "memory, loaded first, proposes the other occurrences: {here:?}");
}

#[test]
fn a_rejected_proposal_is_not_proposed_again_anywhere() {
    let project = SampleProject::with_proposers("reject");
    let mut s = session(&project);
    open_rel(&mut s, "london-talks-sanctions.txt");
    let moscow: Vec<u64> = s.open.as_ref().expect("open").pending_spans().filter(|sp| sp.text == "موسكو").map(|sp| sp.id).collect();
    assert!(!moscow.is_empty(), "the gazetteer proposes موسكو");
    for id in &moscow {
        s.apply(Command::Reject(*id));
    }
    open_rel(&mut s, "east-aleppo-advance.txt");
    let open = s.open.as_ref().expect("open");
    assert!(open.text.contains("موسكو"));
    assert!(open.pending_spans().all(|sp| !sp.text.ends_with("موسكو")), "rejected in one article, silent in the others");
    // The rejections stay in their file, so the next session knows them too.
    s.save_now();
    let mut again = session(&project);
    open_rel(&mut again, "syria-news-digest.txt");
    assert!(again.open.as_ref().expect("open").pending_spans().all(|sp| sp.text != "موسكو"));
}

#[test]
fn accepting_every_proposal_of_a_text_continues_after_it() {
    let project = SampleProject::with_proposers("same-text");
    let mut s = session(&project);
    open_rel(&mut s, "london-talks-sanctions.txt");
    let open = s.open.as_ref().expect("open");
    let pending: Vec<_> = open.pending_spans().cloned().collect();
    // A text proposed more than once, whose first proposal is not the article's first.
    let repeated = pending
        .iter()
        .skip(1)
        .find(|p| pending.iter().filter(|q| q.text == p.text).count() > 1 && pending[0].text != p.text)
        .cloned()
        .expect("a repeated proposal");
    s.apply(Command::FocusEntity(repeated.id));
    s.apply(Command::AcceptSameText);
    let open = s.open.as_ref().expect("open");
    let focused = open.focused_span().expect("a proposal has focus");
    assert_eq!(focused.state, tawsim::model::SpanState::Pending);
    let expected = open.pending_spans().find(|p| p.sort_key() > repeated.sort_key()).or_else(|| open.pending_spans().next()).map(|p| p.id);
    assert_eq!(Some(focused.id), expected, "the next proposal after {:?}, not the article's first", repeated.text);
    assert!(focused.start > repeated.start || expected == open.pending_spans().next().map(|p| p.id));
}

#[test]
fn marking_done_can_reject_the_undecided_proposals_in_the_same_step() {
    let project = SampleProject::with_proposers("done-rejects");
    let mut s = session(&project);
    open_rel(&mut s, "london-talks-sanctions.txt");
    let index = s.current_index().expect("open");
    let pending = s.open.as_ref().expect("open").pending_spans().count();
    assert!(pending > 0);
    s.apply(Command::MarkDoneAndNext { reject_pending: true });
    s.save_now();
    let file = tawsim::store::read_annotation(&project.annotation("tester", "london-talks-sanctions.txt")).expect("readable").expect("saved");
    assert_eq!(file.status, DocStatus::Done);
    assert!(file.spans.iter().all(|sp| sp.state == SpanState::Rejected), "every undecided proposal rejected");
    assert_eq!(file.spans.len(), pending);
    assert_ne!(s.current_index(), Some(index), "the next article opened");
    // One undo takes back the rejections and the status together.
    s.apply(Command::Undo);
    let open = s.open.as_ref().expect("back on the article");
    assert_eq!(open.index, index);
    assert_eq!(open.pending_spans().count(), pending);
    assert_ne!(open.annotation.status, DocStatus::Done);
}

/// What a teammate's `git pull` does to a file: another version written over it, with one more
/// accepted entity (`word`, LOC), by a program that knows nothing of this session.
fn teammate_adds(project: &SampleProject, rel: &str, word: &str) -> u64 {
    let path = project.annotation("tester", rel);
    let mut file = tawsim::store::read_annotation(&path).expect("readable").expect("there");
    let start = char_offset(&project.text(rel), word);
    let id = file.alloc_id() + 1000;
    file.apply(&tawsim::model::SpanEdit::Add(tawsim::model::Span::manual(id, start..start + word.chars().count(), "LOC", word))).expect("fits");
    tawsim::store::save_annotation(&path, &file).expect("written");
    id
}

#[test]
fn another_writers_changes_are_merged_with_unsaved_edits_not_overwritten() {
    let project = SampleProject::new("merge");
    let mut s = session(&project);
    let ours = label_word(&mut s, "روسيا", "LOC");
    s.save_now();
    label_word(&mut s, "إيران", "LOC");
    // Meanwhile, on disk: a teammate's version with حلب.
    let theirs = teammate_adds(&project, "aleppo-street-fighting.txt", "حلب");
    s.save_now();
    let file = tawsim::store::read_annotation(&project.annotation("tester", "aleppo-street-fighting.txt")).expect("readable").expect("there");
    let texts: Vec<&str> = file.spans.iter().map(|sp| sp.text.as_str()).collect();
    assert!(texts.contains(&"روسيا") && texts.contains(&"إيران") && texts.contains(&"حلب"), "both writers' entities: {texts:?}");
    let open = s.open.as_ref().expect("open");
    assert!(open.annotation.span(theirs).is_some() && open.annotation.span(ours).is_some(), "the session shows the merged file");
    assert!(s.notices.iter().any(|n| n.text.contains("changed on disk by another program")), "and says so");
}

#[test]
fn an_article_changed_on_disk_is_reloaded_when_nothing_is_unsaved() {
    let project = SampleProject::new("reload");
    let mut s = session(&project);
    label_word(&mut s, "روسيا", "LOC");
    s.save_now();
    let theirs = teammate_adds(&project, "aleppo-street-fighting.txt", "حلب");
    let started = std::time::Instant::now();
    while s.open.as_ref().is_none_or(|o| o.annotation.span(theirs).is_none()) {
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "the change on disk was never noticed");
        std::thread::sleep(std::time::Duration::from_millis(20));
        s.tick(std::time::Instant::now());
    }
    assert!(s.notices.iter().any(|n| n.text.contains("reloaded")), "{:?}", s.notices.last());
}

#[test]
fn a_second_program_for_the_same_annotator_only_shows_until_it_takes_over() {
    let project = SampleProject::new("locked");
    let mut first = session(&project);
    let mut second = session(&project);
    assert!(second.locked_out() && !first.locked_out());
    assert!(second.notices.iter().any(|n| n.error && n.text.contains("tawsim app")), "names the holder: {:?}", second.notices);
    let text = second.open.as_ref().expect("open").text.to_string();
    let c = char_offset(&text, "روسيا");
    second.apply(Command::LabelRange(c..c + 5, "LOC".into()));
    assert!(second.open.as_ref().expect("open").annotation.spans.is_empty(), "no edit while another program writes these files");
    label_word(&mut first, "إيران", "LOC");
    drop(first);
    drop(second);
    // The first is gone for good: a new session takes over without being told.
    let mut again = session(&project);
    assert!(!again.locked_out());
    label_word(&mut again, "روسيا", "LOC");
    let held = Session::take_over(&project.root, "tester", None).expect("opens");
    assert!(!held.locked_out(), "taking over works even while another holds the lock");
}

#[test]
fn edits_of_several_articles_are_one_action() {
    let project = SampleProject::new("several");
    let mut s = session(&project);
    let index_of = |s: &Session, rel: &str| s.articles.iter().position(|a| a.rel == rel).expect("listed");
    let (here, there) = (index_of(&s, "aleppo-street-fighting.txt"), index_of(&s, "london-talks-sanctions.txt"));
    let span_in = |rel: &str, id: u64, word: &str| {
        let start = char_offset(&project.text(rel), word);
        tawsim::model::SpanEdit::Add(tawsim::model::Span::manual(id, start..start + word.chars().count(), "LOC", word))
    };
    let changed =
        s.edit_articles(vec![(here, span_in("aleppo-street-fighting.txt", 1, "حلب")), (there, span_in("london-talks-sanctions.txt", 1, "لندن"))], None);
    assert_eq!(changed, 2);
    s.save_now();
    let other = || tawsim::store::read_annotation(&project.annotation("tester", "london-talks-sanctions.txt")).expect("readable");
    assert_eq!(other().expect("written").spans.len(), 1);
    assert_eq!(s.open.as_ref().expect("open").annotation.spans.len(), 1);
    s.apply(Command::Undo);
    s.save_now();
    assert!(other().expect("still there").spans.is_empty(), "one undo, both articles");
    assert!(s.open.as_ref().expect("open").annotation.spans.is_empty());
}
