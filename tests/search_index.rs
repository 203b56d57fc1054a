//! The search index from the outside: matching on normalized text and after proclitics, label
//! filters, and refreshes that read only what changed on disk.

mod common;

use common::gold_project::{self, nth};
use tawsim::model::{AnnotationFile, Span};
use tawsim::search::{CorpusIndex, Query, Refreshed, SearchError};
use tawsim::store::{Project, save_annotation, sha256_hex};

fn places(index: &CorpusIndex, query: &Query) -> Vec<String> {
    index.search(query).expect("runs").iter().map(|h| format!("{}@{}", h.rel, index.context(h, 0).expect("article").hit)).collect()
}

#[test]
fn normalized_proclitic_aware_and_filtered() {
    let dir = gold_project::project();
    let project = Project::open(dir.path()).expect("project");
    let index = CorpusIndex::build(&project, None).expect("index");
    // Alef forms and proclitics: `الاسد` finds `الأسد`, `روسيا` the `روسيا` of `وروسيا`.
    assert_eq!(places(&index, &Query::new("الاسد")), ["a.txt@الأسد", "a.txt@الأسد"]);
    assert_eq!(places(&index, &Query::new("روسيا")), ["a.txt@روسيا", "b.txt@روسيا", "c.txt@روسيا"]);
    let hits = index.search(&Query::new("روسيا")).expect("runs");
    let b = &hits[1];
    let text = gold_project::ARTICLES[1].1;
    assert_eq!(b.range, nth(text, "روسيا", 0), "the hit is on the name, without its و");
    let context = index.context(b, 5).expect("article");
    assert_eq!(context.left.chars().last(), Some('و'), "the proclitic stays in the context");
    assert_eq!(context.right, " ترحب. وقالت الجزيرة إن الوفد", "five words, the full stop is no word");
    assert_eq!(b.labels.len(), 1);
    assert_eq!((b.labels[0].label.as_str(), b.labels[0].relation), ("LOC", tawsim::search::Relation::Covers));
    // Label filters, typed or set.
    assert_eq!(places(&index, &Query::parse("الجزيرة label:LOC")), ["b.txt@الجزيرة"]);
    assert_eq!(places(&index, &Query::parse("موسكو unlabelled")), ["d.txt@موسكو", "e.txt@موسكو"], "pending and rejected are not labels");
    assert_eq!(places(&index, &Query { regex: true, ..Query::new(r"\bام[لر]\b") }), ["d.txt@أمل", "d.txt@أمل", "d.txt@أمل"]);
    assert!(matches!(index.search(&Query { annotator: Some("amal".into()), ..Query::new("موسكو") }), Err(SearchError::UnknownAnnotator { .. })));
}

#[test]
fn a_refresh_reads_only_what_changed() {
    let dir = gold_project::project();
    let root = dir.path();
    let mut project = Project::open(root).expect("project");
    let mut index = CorpusIndex::build(&project, None).expect("index");
    assert_eq!(index.articles().len(), 5);
    assert!(index.refresh(&project).expect("refresh").is_empty(), "nothing changed");

    // An annotation file changes: only it is read, and the search sees the new label.
    let text = gold_project::ARTICLES[3].1;
    let mut file = AnnotationFile::new("corpus/d.txt", &sha256_hex(text), "gold");
    file.spans.push(Span::manual(1, nth(text, "جنيف", 0), "LOC", "جنيف"));
    save_annotation(&root.join("annotations/gold/d.txt.ron"), &file).expect("save");
    assert_eq!(index.refresh(&project).expect("refresh"), Refreshed { annotations_read: 1, ..Refreshed::default() });
    assert_eq!(places(&index, &Query::parse("جنيف label:LOC")), ["d.txt@جنيف"]);
    assert!(places(&index, &Query::parse("أمل label:PERS")).is_empty(), "d's other spans are gone with the old file");

    // An article is rewritten with the same text: its words are kept.
    std::fs::write(root.join("corpus/e.txt"), "").expect("truncate");
    std::fs::write(root.join("corpus/e.txt"), gold_project::ARTICLES[4].1).expect("rewrite");
    assert_eq!(index.refresh(&project).expect("refresh"), Refreshed::default());
    // Its text changes: it is indexed again, with its annotation re-anchored by the store.
    std::fs::write(root.join("corpus/e.txt"), format!("خبر. {}", gold_project::ARTICLES[4].1)).expect("edit");
    let refreshed = index.refresh(&project).expect("refresh");
    assert_eq!((refreshed.articles_indexed, refreshed.annotations_read), (1, 1));
    let hits = index.search(&Query::new("موسكو")).expect("runs");
    let e = hits.iter().find(|h| &*h.rel == "e.txt").expect("e");
    assert_eq!(e.labels.first().map(|l| l.range.clone()), Some(e.range.clone()), "the rejected proposal moved with its text");

    // Articles come and go.
    std::fs::write(root.join("corpus/f.txt"), "زار الوفد موسكو.").expect("new article");
    std::fs::remove_file(root.join("corpus/a.txt")).expect("remove");
    project.rescan().expect("rescan");
    let refreshed = index.refresh(&project).expect("refresh");
    assert_eq!((refreshed.articles_indexed, refreshed.articles_removed), (1, 1));
    assert_eq!(index.articles().iter().map(|a| a.rel.as_ref()).collect::<Vec<_>>(), ["b.txt", "c.txt", "d.txt", "e.txt", "f.txt"]);

    // A file that does not load is reported once, and again only when it changes.
    std::fs::write(root.join("annotations/gold/b.txt.ron"), "(((").expect("break");
    index.refresh(&project).expect("refresh");
    assert_eq!(index.unreadable().len(), 1);
    assert!(index.unreadable()[0].message.contains("b.txt.ron"), "{}", index.unreadable()[0].message);
    assert!(index.refresh(&project).expect("refresh").is_empty());
    assert_eq!(index.unreadable().len(), 1);
}

#[test]
fn the_index_can_move_to_another_thread() {
    fn send_and_sync<T: Send + Sync>() {}
    send_and_sync::<CorpusIndex>();
    let dir = gold_project::project();
    let project = Project::open(dir.path()).expect("project");
    let index = std::thread::spawn(move || CorpusIndex::build(&project, None)).join().expect("thread").expect("index");
    assert_eq!(index.articles().len(), 5);
}
