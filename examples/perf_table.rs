//! Writes the medians of the last `cargo bench` into the README's benchmark table:
//! `cargo run --release --example perf_table [-- --criterion DIR --readme FILE]`.
//!
//! Defaults: criterion's folder (`$CRITERION_HOME`, else `$CARGO_TARGET_DIR/criterion`, else
//! `target/criterion` of this repository) and this repository's `README.md`. Prints the rows it
//! updated, the rows that had no result (they keep their old median) and the results no row
//! names. See `src/bench_table.rs`.

use std::path::PathBuf;
use std::process::ExitCode;

use tawsim::bench_table::update_readme;

const USAGE: &str = "usage: perf_table [--criterion DIR] [--readme FILE]";

fn default_criterion() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("criterion")
}

fn main() -> ExitCode {
    let mut criterion = default_criterion();
    let mut readme = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let slot = match arg.as_str() {
            "--criterion" => &mut criterion,
            "--readme" => &mut readme,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("perf_table: unknown argument `{other}`\n{USAGE}");
                return ExitCode::from(2);
            }
        };
        let Some(value) = args.next() else {
            eprintln!("perf_table: `{arg}` needs a value\n{USAGE}");
            return ExitCode::from(2);
        };
        *slot = PathBuf::from(value);
    }

    let report = match update_readme(&criterion, &readme) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("perf_table: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("criterion results: {}", criterion.display());
    if report.updated.is_empty() {
        println!("no row of the table in {} has a result; the README is left alone", readme.display());
    } else {
        println!("updated {} row(s) of {}:", report.updated.len(), readme.display());
        for update in &report.updated {
            let changed = if update.old == update.new { "(unchanged)".to_owned() } else { format!("(was {})", update.old) };
            println!("  line {} [{}] {}: {} {changed}", update.line, update.bench, update.id, update.new);
        }
    }
    if !report.missing.is_empty() {
        println!("{} row(s) had no result and keep their median:", report.missing.len());
        for row in &report.missing {
            println!("  line {} [{}] {}: {}", row.line, row.bench, row.id, row.median);
        }
    }
    if !report.unused.is_empty() {
        println!("{} result(s) no row names:", report.unused.len());
        for result in &report.unused {
            println!("  {} ({})", result.id, result.dir.display());
        }
    }
    if let Some(stamp) = &report.stamp {
        println!("{stamp}");
    }
    ExitCode::SUCCESS
}
