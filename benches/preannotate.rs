//! `tawsim propose` over a whole project: 10,000 generated articles pre-annotated with the
//! built-in proposers and written as pending spans, once on one thread and once on every core.
//! The ratio of the two is what "uses both cores" means in numbers.

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use tawsim::preannotate::ProjectProposers;
use tawsim::preannotate::batch::{BatchPlan, propose_all};
use tawsim::propose::is_builtin_source;
use tawsim::store::Project;

/// Articles in the generated project, and words in each.
const ARTICLES: usize = 10_000;
const WORDS: usize = 1_000;
// The group's id below spells these out, as a literal the README's table can name.
const _: () = assert!(ARTICLES == 10_000 && WORDS == 1_000, "change the benchmark group's id too");

/// Pre-annotates every article for a fresh annotator on a pool of `threads` threads; the time
/// the run took, after which the annotator's files are removed again (not timed).
fn run(project: &Project, proposers: &ProjectProposers, threads: usize, annotator: &str) -> Duration {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("thread pool");
    let rejected = |_: &str, _: &str| false;
    let plan = BatchPlan { proposals_for: &|_, text| proposers.propose(text), refreshed: &is_builtin_source, rejected: &rejected };
    let started = Instant::now();
    let report = pool.install(|| propose_all(project, annotator, &plan, &|| {}));
    let took = started.elapsed();
    assert_eq!(report.changed, ARTICLES, "every article got proposals: {report:?}");
    let _ = std::fs::remove_dir_all(project.annotations_dir().join(annotator));
    took
}

fn benches(c: &mut Criterion) {
    let root = std::env::temp_dir().join(format!("tawsim-bench-propose-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    tawsim::synthetic::write_project(&root, ARTICLES, WORDS).expect("generated project");
    std::fs::write(root.join("tawsim.ron"), "(name: \"bench\", proposers: (builtin_rules: true, memory: true))").expect("config");
    let project = Project::open(Path::new(&root)).expect("project");
    let (proposers, problems) = ProjectProposers::load(&project, "bench");
    assert!(problems.is_empty(), "{problems:?}");
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut group = c.benchmark_group("tawsim propose over 10000 generated articles of 1000 words");
    group.sample_size(10).warm_up_time(Duration::from_millis(1)).measurement_time(Duration::from_secs(30));
    eprintln!("all cores: {cores} threads");
    for (threads, id) in [(1, "1 thread"), (cores, "all cores")] {
        let mut round = 0;
        group.bench_function(id, |b| {
            b.iter_custom(|iterations| {
                (0..iterations)
                    .map(|_| {
                        round += 1;
                        run(&project, &proposers, threads, &format!("t{threads}-{round}"))
                    })
                    .sum()
            })
        });
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&root);
}

criterion_group!(preannotate_benches, benches);
criterion_main!(preannotate_benches);
