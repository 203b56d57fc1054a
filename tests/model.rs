//! The learned proposer: training, tagging, saving and loading, refusing bad files, the gate.

mod common;

use std::path::Path;
use std::sync::Arc;

use tawsim::arabic::Lexicon;
use tawsim::formats::conll::parse_conll;
use tawsim::propose::model::features::FeatureSettings;
use tawsim::propose::model::file::{MAGIC, decode, encode};
use tawsim::propose::model::{ModelFileError, SequenceModel, TrainOptions, TrainingDocument, train};

fn documents(sentences: usize, seed: u64) -> Vec<TrainingDocument> {
    let conll = common::synthetic_conll(sentences, seed);
    parse_conll(&conll).expect("generated CoNLL").iter().map(|s| TrainingDocument::from_sentence(s, Vec::new())).collect()
}

fn small_model(sentences: usize) -> SequenceModel {
    let options = TrainOptions { settings: FeatureSettings { hash_bits: 16, epochs: 5, ..FeatureSettings::default() }, ..TrainOptions::default() };
    train(&documents(sentences, 1), &options, Arc::new(Lexicon::bundled().clone()))
}

#[test]
fn it_tags_a_sentence_it_was_trained_on() {
    let model = small_model(300);
    let text = "التقى جون كيري مع سيرغي لافروف في جنيف أمس .";
    let found: Vec<(String, String)> =
        model.tag(text, &[]).into_iter().map(|s| (text.chars().skip(s.range.start).take(s.range.len()).collect(), s.label)).collect();
    let want = [("جون كيري", "PERS"), ("سيرغي لافروف", "PERS"), ("جنيف", "LOC")];
    assert_eq!(found, want.map(|(a, b)| (a.to_owned(), b.to_owned())));
    assert!(model.tag(text, &[]).iter().all(|s| (0.0..=1.0).contains(&s.confidence)));
    let report = model.report();
    assert_eq!(report.documents, 300);
    assert!(report.model.overall.f1() > 0.9, "{}", report.to_text());
    assert!(report.gate.passed, "{}", report.gate.reason);
    assert_eq!(report.curve.len(), 4);
}

#[test]
fn a_proclitic_stays_out_of_the_span() {
    let model = small_model(300);
    let text = "وصل جون كيري إلى ودمشق قادما من لندن .";
    let places: Vec<String> =
        model.tag(text, &[]).into_iter().filter(|s| s.label == "LOC").map(|s| text.chars().skip(s.range.start).take(s.range.len()).collect()).collect();
    assert!(places.contains(&"دمشق".to_owned()), "{places:?}");
}

#[test]
fn a_saved_model_loads_and_tags_identically() {
    let model = small_model(200);
    let bytes = encode(&model);
    assert!(bytes.starts_with(MAGIC));
    let loaded = decode(&bytes, Path::new("models/ner.tawsim-model")).expect("loads");
    let text = "قال بشار الأسد إن مجلس الأمن ستجتمع في حلب غدا . دعت الأمم المتحدة إلى وقف القتال في طهران .";
    assert_eq!(model.tag(text, &[]), loaded.tag(text, &[]));
    assert_eq!(model.report(), loaded.report());
    assert_eq!(encode(&loaded), bytes, "saving again gives the same bytes");
}

/// `bytes` with a new checksum, as a file edited on purpose would have.
fn resealed(mut bytes: Vec<u8>) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let body = bytes.len() - 32;
    let digest = Sha256::digest(&bytes[..body]);
    bytes[body..].copy_from_slice(&digest);
    bytes
}

#[test]
fn a_model_of_another_feature_version_is_refused_with_a_clear_message() {
    let mut bytes = encode(&small_model(50));
    let at = MAGIC.len() + 4;
    bytes[at..at + 4].copy_from_slice(&999u32.to_le_bytes());
    let error = decode(&resealed(bytes), Path::new("proj/models/ner.tawsim-model")).expect_err("refused");
    assert!(matches!(error, ModelFileError::Version { found: 999, .. }), "{error}");
    let message = error.to_string();
    assert!(message.contains("proj/models/ner.tawsim-model") && message.contains("feature version 999") && message.contains("tawsim train"), "{message}");
}

#[test]
fn a_damaged_file_is_refused_never_misread() {
    let bytes = encode(&small_model(50));
    let path = Path::new("m.tawsim-model");
    let mut flipped = bytes.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x40;
    let error = decode(&flipped, path).expect_err("refused");
    assert!(error.to_string().contains("m.tawsim-model: damaged model file (checksum mismatch)"), "{error}");
    assert!(matches!(decode(&bytes[..bytes.len() / 3], path), Err(ModelFileError::Corrupt { .. })));
    assert!(matches!(decode(b"(name: \"not a model\")", path), Err(ModelFileError::NotAModel { .. })));
    // A checksum that fits, contents that do not: the last weight row cut short.
    let mut cut = bytes[..bytes.len() - 32 - 3].to_vec();
    cut.extend_from_slice(&[0; 32]);
    assert!(matches!(decode(&resealed(cut), path), Err(ModelFileError::Corrupt { .. })));
}

#[test]
fn a_project_without_annotations_trains_an_empty_model_that_proposes_nothing() {
    let settings = FeatureSettings { hash_bits: 16, ..FeatureSettings::default() };
    let options = TrainOptions { settings, labels: (1..=10).map(|i| format!("L{i}")).collect(), ..TrainOptions::default() };
    let model = train(&[], &options, Arc::new(Lexicon::new()));
    assert!(!model.passes_gate());
    assert!(model.tag("التقى جون كيري في جنيف", &[]).is_empty());
    // 21 tags: three mask bytes per row in the file.
    let loaded = decode(&encode(&model), Path::new("m")).expect("loads");
    assert_eq!(loaded.tags().len(), 21);
    assert_eq!(loaded.report().gate, model.report().gate);
}

#[test]
fn the_gate_says_how_many_more_entities_are_needed() {
    let model = small_model(10);
    let report = model.report();
    assert!(!model.passes_gate());
    assert!(report.gate.reason.starts_with("needs ") && report.gate.reason.contains("more accepted entities"), "{}", report.gate.reason);
}

#[test]
fn the_model_and_its_training_data_can_move_to_another_thread() {
    fn send<T: Send + Sync>(_: &T) {}
    let docs = documents(20, 3);
    send(&docs);
    let model = std::thread::spawn(move || small_model(docs.len())).join().expect("trains on a thread");
    send(&model);
    // What the app hands to a retraining thread, and what comes back.
    fn send_type<T: Send + Sync>() {}
    send_type::<tawsim::store::Project>();
    send_type::<tawsim::propose::Proposers>();
    send_type::<tawsim::preannotate::learned::TrainRequest>();
    send_type::<tawsim::preannotate::learned::Retrained>();
    send_type::<tawsim::preannotate::learned::TrainError>();
}
