//! The README's benchmark table names benchmarks that exist: every row's bench is a `[[bench]]`
//! target in Cargo.toml and its criterion id is written as a string literal in that bench's
//! source. Names only, no timings, so it cannot flake; the numbers come from
//! `cargo run --release --example perf_table` (see `src/bench_table.rs`).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use tawsim::bench_table::{BEGIN, END, Row, parse_table};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `[[bench]]` targets of Cargo.toml and their source files (`path`, or `benches/NAME.rs`).
fn bench_targets() -> BTreeMap<String, PathBuf> {
    let manifest = read(&repo().join("Cargo.toml"));
    let mut targets = BTreeMap::new();
    let mut in_bench = false;
    let mut current: (Option<String>, Option<String>) = (None, None);
    let mut finish = |current: &mut (Option<String>, Option<String>)| {
        if let (Some(name), path) = std::mem::take(current) {
            let path = path.unwrap_or_else(|| format!("benches/{name}.rs"));
            targets.insert(name, repo().join(path));
        }
    };
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            finish(&mut current);
            in_bench = line == "[[bench]]";
            continue;
        }
        let Some((key, value)) = line.split_once('=') else { continue };
        let value = value.trim().trim_matches('"').to_owned();
        match key.trim() {
            "name" if in_bench => current.0 = Some(value),
            "path" if in_bench => current.1 = Some(value),
            _ => {}
        }
    }
    finish(&mut current);
    targets
}

/// Whether `id` is in `source` as a string literal: the whole id, or for an id in a group
/// (`group/function`), the group and the function each.
fn names(source: &str, id: &str) -> bool {
    let literal = |text: &str| source.contains(&format!("\"{text}\""));
    literal(id) || id.match_indices('/').any(|(at, _)| literal(&id[..at]) && literal(&id[at + 1..]))
}

fn table() -> Vec<Row> {
    let readme = repo().join("README.md");
    match parse_table(&read(&readme)) {
        Ok(table) => table.rows,
        Err(e) => panic!("{}: {e}", readme.display()),
    }
}

#[test]
fn the_markers_are_in_the_readme_once_each() {
    let readme = read(&repo().join("README.md"));
    for marker in [BEGIN, END] {
        let lines: Vec<usize> = readme.lines().enumerate().filter(|(_, l)| l.trim() == marker).map(|(i, _)| i + 1).collect();
        assert_eq!(lines.len(), 1, "README.md: `{marker}` must be on exactly one line, found on lines {lines:?}");
    }
    assert!(!table().is_empty(), "README.md: the benchmark table has no rows");
}

#[test]
fn every_row_names_a_bench_target_and_a_benchmark_in_it() {
    let targets = bench_targets();
    assert!(targets.contains_key("app"), "Cargo.toml: no [[bench]] named app; found {:?}", targets.keys().collect::<Vec<_>>());
    let mut sources: BTreeMap<&str, String> = BTreeMap::new();
    let mut wrong = Vec::new();
    let mut seen = HashSet::new();
    for row in table() {
        let at = format!("README.md line {} ({:?}, bench {:?})", row.line, row.id, row.bench);
        if !seen.insert(row.id.clone()) {
            wrong.push(format!("{at}: the same id is in an earlier row"));
        }
        let Some((name, path)) = targets.get_key_value(row.bench.as_str()) else {
            wrong.push(format!(
                "{at}: `{}` is not a [[bench]] in Cargo.toml (there are: {})",
                row.bench,
                targets.keys().cloned().collect::<Vec<_>>().join(", ")
            ));
            continue;
        };
        let source = sources.entry(name.as_str()).or_insert_with(|| read(path));
        if !names(source, &row.id) {
            wrong.push(format!(
                "{at}: {} has no string literal \"{}\" (criterion ids in the table must be written literally in the bench; a group's as \"group\" and \"function\")",
                path.strip_prefix(repo()).unwrap_or(path).display(),
                row.id
            ));
        }
    }
    assert!(wrong.is_empty(), "the README's benchmark table names benchmarks that do not exist:\n{}", wrong.join("\n"));
}

#[test]
fn a_group_id_is_found_from_its_two_literals() {
    let source = r#"let mut group = c.benchmark_group("search 10,000 articles"); group.bench_function("index build", f);"#;
    assert!(names(source, "search 10,000 articles/index build"));
    assert!(!names(source, "search 10,000 articles/index rebuild"));
    assert!(names(r#"c.bench_function("a/b", f)"#, "a/b"));
    assert!(!names(r#"c.bench_function(format!("{n} tokens"), f)"#, "100 tokens"));
}
