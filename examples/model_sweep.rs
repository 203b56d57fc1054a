use std::path::Path;
use tawsim::cli::eval::{ProposerName, read_conll, evaluate_sentences};
fn main() {
    let train = read_conll(Path::new("/tmp/dev-train.conll")).unwrap();
    let test = read_conll(Path::new("/tmp/dev-test.conll")).unwrap();
    let t = std::time::Instant::now();
    let e = evaluate_sentences(&train, &test, &[ProposerName::Model, ProposerName::Gazetteer, ProposerName::Rules]);
    let m = e.model.unwrap();
    println!("{:?} combined {:.4} held-out {:.4} train {:.1}s total {:.1}s", std::env::var("TAWSIM_SWEEP").ok(), e.score.overall.f1(), m.report().model.overall.f1(), e.train_seconds, t.elapsed().as_secs_f32());
}
