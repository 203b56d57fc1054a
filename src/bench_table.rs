//! The README's benchmark table, written from criterion's results so its numbers cannot go stale.
//!
//! The table sits between the lines [`BEGIN`] and [`END`] of `README.md`; its columns are the
//! criterion id of a benchmark (the string given to `bench_function`, prefixed with its group
//! and a `/` when it is in one), the bench target that holds it, the median and a free-text
//! target. [`update_readme`] reads every `new/benchmark.json` and `new/estimates.json` under a
//! criterion folder, replaces the median cell of each row that has a result and writes one line
//! above the table saying when and where. `cargo run --release --example perf_table` runs it;
//! `tests/readme_benchmarks.rs` checks, without timing anything, that every row names a
//! benchmark that exists.
//!
//! Plain std and serde_json; nothing here knows the rest of the crate.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Deserialize;

/// The line that opens the table.
pub const BEGIN: &str = "<!-- benchmarks:begin -->";
/// The line that closes the table.
pub const END: &str = "<!-- benchmarks:end -->";
/// The table's column headers.
pub const HEADER: [&str; 4] = ["what is measured (criterion id)", "bench", "median", "target"];
/// How the line above the table starts.
const STAMP_START: &str = "Medians from criterion";

/// What went wrong, with the file or README line it went wrong in.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder that could not be read or written.
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    /// A criterion file without what it should hold.
    #[error("{}: expected {expected}: {source}", path.display())]
    Json { path: PathBuf, expected: &'static str, source: serde_json::Error },
    /// A criterion folder with no results in it.
    #[error("{}: no criterion results under it (`cargo bench` writes them)", path.display())]
    NoResults { path: PathBuf },
    /// The README's table is not as it should be (`line` is 1-based, 0 for the whole file).
    #[error("README line {line}: {message}")]
    Table { line: usize, message: String },
    /// The same, in a README read from `path`.
    #[error("{}:{line}: {message}", path.display())]
    ReadmeTable { path: PathBuf, line: usize, message: String },
}

fn table_error(line: usize, message: impl Into<String>) -> Error {
    Error::Table { line, message: message.into() }
}

/// One row of the table as written in the README.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// 1-based line in the README.
    pub line: usize,
    /// The criterion id (backticks around it and `\|` escapes removed).
    pub id: String,
    /// The bench target (`app`, `propose`, …).
    pub bench: String,
    /// The median as written.
    pub median: String,
    /// The target as written.
    pub target: String,
}

/// The table between the markers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// 0-based line index of [`BEGIN`].
    begin: usize,
    /// 0-based line index of [`END`].
    end: usize,
    /// 0-based line indices of the header and separator rows.
    head: (usize, usize),
    /// The rows, in order.
    pub rows: Vec<Row>,
}

/// Splits a table line into its raw cells (text between unescaped `|`, untrimmed); `None` when
/// the line does not start and end with `|`.
fn raw_cells(line: &str) -> Option<Vec<&str>> {
    let inner = line.trim().strip_prefix('|')?.strip_suffix('|')?;
    let mut cells = Vec::new();
    let mut start = 0;
    let mut after_backslash = false;
    for (at, c) in inner.char_indices() {
        if c == '|' && !after_backslash {
            cells.push(&inner[start..at]);
            start = at + 1;
        }
        after_backslash = c == '\\' && !after_backslash;
    }
    cells.push(&inner[start..]);
    Some(cells)
}

/// A cell's text: trimmed, without surrounding backticks, `\|` read as `|`.
fn cell_text(raw: &str) -> String {
    let text = raw.trim();
    let text = text.strip_prefix('`').and_then(|t| t.strip_suffix('`')).unwrap_or(text);
    text.replace("\\|", "|")
}

/// The 0-based index of the only line equal to `marker`.
fn marker_line(lines: &[&str], marker: &str) -> Result<usize, Error> {
    let found: Vec<usize> = lines.iter().enumerate().filter(|(_, l)| l.trim() == marker).map(|(i, _)| i).collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(table_error(0, format!("no line `{marker}`"))),
        [_, second, ..] => Err(table_error(second + 1, format!("`{marker}` a second time (it must be there once)"))),
    }
}

/// Reads the table between the markers. Blank lines and the line written above the table are
/// allowed around it; anything else, or a row that is not four cells with an id and a bench, is
/// an error naming its line.
pub fn parse_table(readme: &str) -> Result<Table, Error> {
    let lines: Vec<&str> = readme.lines().collect();
    let begin = marker_line(&lines, BEGIN)?;
    let end = marker_line(&lines, END)?;
    if end < begin {
        return Err(table_error(end + 1, format!("`{END}` before `{BEGIN}`")));
    }
    let mut head = None;
    let mut rows = Vec::new();
    let mut table_over = false;
    for (index, line) in lines.iter().enumerate().take(end).skip(begin + 1) {
        let number = index + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() {
            table_over = head.is_some();
            continue;
        }
        if !trimmed.starts_with('|') {
            if head.is_none() && trimmed.starts_with(STAMP_START) {
                continue;
            }
            return Err(table_error(number, format!("expected a table row, a blank line or the line starting `{STAMP_START}`, found `{trimmed}`")));
        }
        if table_over {
            return Err(table_error(number, "a table row after the table ended (a blank line)"));
        }
        let cells = raw_cells(trimmed).ok_or_else(|| table_error(number, "a table row must end with `|`"))?;
        if cells.len() != HEADER.len() {
            return Err(table_error(number, format!("expected {} cells ({}), found {}", HEADER.len(), HEADER.join(" | "), cells.len())));
        }
        match head {
            None => {
                let found: Vec<String> = cells.iter().map(|c| cell_text(c)).collect();
                if found != HEADER {
                    return Err(table_error(number, format!("expected the header `| {} |`", HEADER.join(" | "))));
                }
                head = Some((index, None));
            }
            Some((header, None)) => {
                if !cells.iter().all(|c| !c.trim().is_empty() && c.trim().chars().all(|ch| ch == '-' || ch == ':')) {
                    return Err(table_error(number, "expected the separator row `|---|---|---|---|` under the header"));
                }
                head = Some((header, Some(index)));
            }
            Some((_, Some(_))) => {
                let row = Row { line: number, id: cell_text(cells[0]), bench: cell_text(cells[1]), median: cell_text(cells[2]), target: cell_text(cells[3]) };
                if row.id.is_empty() {
                    return Err(table_error(number, "the first cell (the criterion id) is empty"));
                }
                if row.bench.is_empty() || row.bench.contains(char::is_whitespace) {
                    return Err(table_error(number, format!("the second cell must be a bench target name, found `{}`", row.bench)));
                }
                rows.push(row);
            }
        }
    }
    match head {
        Some((header, Some(separator))) => Ok(Table { begin, end, head: (header, separator), rows }),
        _ => Err(table_error(begin + 1, format!("no table with the header `| {} |` before `{END}`", HEADER.join(" | ")))),
    }
}

/// A duration in nanoseconds, readably: three significant digits (at most two decimals) in the
/// unit that keeps the number at 0.1 or more: `0.37 ms`, `16.7 ms`, `1.23 s`, `0.15 µs`.
pub fn format_duration(nanos: f64) -> String {
    if !nanos.is_finite() || nanos < 0.0 {
        return "—".to_owned();
    }
    // The thresholds sit where the next unit would round to 0.10.
    let (value, unit) = if nanos >= 999.5e6 {
        (nanos / 1e9, "s")
    } else if nanos >= 99.95e3 {
        (nanos / 1e6, "ms")
    } else if nanos >= 99.95 {
        (nanos / 1e3, "µs")
    } else {
        (nanos, "ns")
    };
    let decimals = if value >= 99.95 {
        0
    } else if value >= 9.995 {
        1
    } else {
        2
    };
    format!("{value:.decimals$} {unit}")
}

/// `YYYY-MM-DD` (UTC) of a time.
pub fn date(time: SystemTime) -> String {
    let seconds = match time.duration_since(UNIX_EPOCH) {
        Ok(after) => after.as_secs() as i64,
        Err(before) => -(before.duration().as_secs() as i64) - i64::from(before.duration().subsec_nanos() > 0),
    };
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    format!("{year:04}-{month:02}-{day:02}")
}

/// Year, month and day of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The line written above the table.
pub fn stamp(date: &str, cores: usize) -> String {
    let cores = if cores == 1 { "1 core".to_owned() } else { format!("{cores} cores") };
    format!("{STAMP_START}, written by `cargo run --release --example perf_table` on {date} on a machine with {cores} (std::thread::available_parallelism).")
}

/// One row's median replaced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Update {
    pub line: usize,
    pub id: String,
    pub bench: String,
    pub old: String,
    pub new: String,
}

/// The README after [`rewrite`], and what changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rewrite {
    /// The whole README.
    pub text: String,
    /// Rows whose median came from a result.
    pub updated: Vec<Update>,
    /// Rows with no result, which kept their median.
    pub missing: Vec<Row>,
}

/// `readme` with the median of every row whose id is in `medians` (nanoseconds) replaced and
/// `stamp` as the line above the table. Everything else in the row, the table and the README is
/// kept byte for byte (except a missing final newline, which is added).
pub fn rewrite(readme: &str, medians: &HashMap<String, f64>, stamp: &str) -> Result<Rewrite, Error> {
    let table = parse_table(readme)?;
    let lines: Vec<&str> = readme.lines().collect();
    let mut out: Vec<String> = lines[..=table.begin].iter().map(|l| (*l).to_owned()).collect();
    out.push(stamp.to_owned());
    out.push(String::new());
    out.push(lines[table.head.0].to_owned());
    out.push(lines[table.head.1].to_owned());
    let mut updated = Vec::new();
    let mut missing = Vec::new();
    for row in &table.rows {
        let line = lines[row.line - 1];
        let Some(median) = medians.get(&row.id) else {
            out.push(line.to_owned());
            missing.push(row.clone());
            continue;
        };
        let new = format_duration(*median);
        let cells = raw_cells(line).ok_or_else(|| table_error(row.line, "a table row must end with `|`"))?;
        let indent = &line[..line.len() - line.trim_start().len()];
        out.push(format!("{indent}|{}|{}| {new} |{}|", cells[0], cells[1], cells[3]));
        updated.push(Update { line: row.line, id: row.id.clone(), bench: row.bench.clone(), old: row.median.clone(), new });
    }
    out.extend(lines[table.end..].iter().map(|l| (*l).to_owned()));
    let mut text = out.join("\n");
    text.push('\n');
    Ok(Rewrite { text, updated, missing })
}

/// One benchmark's result in a criterion folder.
#[derive(Clone, Debug, PartialEq)]
pub struct BenchResult {
    /// Criterion's `full_id`: `group/function`, or the id alone outside a group.
    pub id: String,
    /// `median.point_estimate`, in nanoseconds.
    pub median_nanos: f64,
    /// When `estimates.json` was written.
    pub written: SystemTime,
    /// The `new` folder it was read from.
    pub dir: PathBuf,
}

#[derive(Deserialize)]
struct BenchmarkJson {
    full_id: String,
}

#[derive(Deserialize)]
struct EstimatesJson {
    median: Estimate,
}

#[derive(Deserialize)]
struct Estimate {
    point_estimate: f64,
}

fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.to_owned(), source })
}

/// Every result under `criterion` (each `new/benchmark.json` with its `new/estimates.json`),
/// sorted by id; of two results with one id, the newer.
pub fn read_results(criterion: &Path) -> Result<Vec<BenchResult>, Error> {
    let mut found: HashMap<String, BenchResult> = HashMap::new();
    let mut folders = vec![criterion.to_owned()];
    while let Some(folder) = folders.pop() {
        let entries = std::fs::read_dir(&folder).map_err(|source| Error::Io { path: folder.clone(), source })?;
        for entry in entries {
            let entry = entry.map_err(|source| Error::Io { path: folder.clone(), source })?;
            let kind = entry.file_type().map_err(|source| Error::Io { path: entry.path(), source })?;
            if kind.is_dir() {
                folders.push(entry.path());
            }
        }
        let benchmark = folder.join("benchmark.json");
        if folder.file_name().is_none_or(|name| name != "new") || !benchmark.is_file() {
            continue;
        }
        let info: BenchmarkJson = serde_json::from_str(&read(&benchmark)?).map_err(|source| Error::Json {
            path: benchmark.clone(),
            expected: "an object with a string `full_id`",
            source,
        })?;
        let estimates = folder.join("estimates.json");
        let values: EstimatesJson = serde_json::from_str(&read(&estimates)?).map_err(|source| Error::Json {
            path: estimates.clone(),
            expected: "an object with a number `median.point_estimate`",
            source,
        })?;
        let written = std::fs::metadata(&estimates).and_then(|m| m.modified()).map_err(|source| Error::Io { path: estimates.clone(), source })?;
        let result = BenchResult { id: info.full_id, median_nanos: values.median.point_estimate, written, dir: folder };
        match found.get(&result.id) {
            Some(known) if known.written >= result.written => {}
            _ => {
                found.insert(result.id.clone(), result);
            }
        }
    }
    let mut results: Vec<BenchResult> = found.into_values().collect();
    results.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(results)
}

/// What [`update_readme`] did.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// Rows whose median was replaced.
    pub updated: Vec<Update>,
    /// Rows with no result, which kept their median.
    pub missing: Vec<Row>,
    /// Results no row of the table names.
    pub unused: Vec<BenchResult>,
    /// The line written above the table (`None` when no row had a result and the README was
    /// left alone).
    pub stamp: Option<String>,
}

/// Rewrites the table in `readme` from the results under `criterion`: the medians of the rows
/// that have one, and the line above the table dated by the newest of those results. With no
/// row to update the README is left alone.
pub fn update_readme(criterion: &Path, readme: &Path) -> Result<Report, Error> {
    let results = read_results(criterion)?;
    if results.is_empty() {
        return Err(Error::NoResults { path: criterion.to_owned() });
    }
    let text = read(readme)?;
    let table = parse_table(&text).map_err(|e| match e {
        Error::Table { line, message } => Error::ReadmeTable { path: readme.to_owned(), line, message },
        other => other,
    })?;
    let named: std::collections::HashSet<&str> = table.rows.iter().map(|r| r.id.as_str()).collect();
    let (used, unused): (Vec<BenchResult>, Vec<BenchResult>) = results.into_iter().partition(|r| named.contains(r.id.as_str()));
    let Some(newest) = used.iter().map(|r| r.written).max() else {
        let missing = table.rows;
        return Ok(Report { updated: Vec::new(), missing, unused, stamp: None });
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let stamp = stamp(&date(newest), cores);
    let medians: HashMap<String, f64> = used.iter().map(|r| (r.id.clone(), r.median_nanos)).collect();
    let rewritten = rewrite(&text, &medians, &stamp)?;
    if rewritten.text != text {
        std::fs::write(readme, &rewritten.text).map_err(|source| Error::Io { path: readme.to_owned(), source })?;
    }
    Ok(Report { updated: rewritten.updated, missing: rewritten.missing, unused, stamp: Some(stamp) })
}

#[cfg(test)]
mod tests {
    use super::*;

    const README: &str = "# Title

Some prose | with a pipe.

<!-- benchmarks:begin -->
Medians from criterion, written by `cargo run --release --example perf_table` on 2020-01-01 on a machine with 2 cores (std::thread::available_parallelism).

| what is measured (criterion id) | bench | median | target |
|---|---|---|---|
| 1 MB article, 20,000 entities: idle frame | app | 2.8 ms | ≤ 8 ms |
| search 10,000 articles/search a regular expression (موسك.\\|دمشق) | search | 98 ms | ≤ 100 ms |
|  `hit-test one point`  |`text_view`| 0.15 µs |  ≤ 5 µs  |
<!-- benchmarks:end -->

After.
";

    fn medians(pairs: &[(&str, f64)]) -> HashMap<String, f64> {
        pairs.iter().map(|(id, ns)| ((*id).to_owned(), *ns)).collect()
    }

    #[test]
    fn parses_rows_with_escaped_pipes_and_backticks() {
        let table = parse_table(README).expect("table");
        let ids: Vec<&str> = table.rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["1 MB article, 20,000 entities: idle frame", "search 10,000 articles/search a regular expression (موسك.|دمشق)", "hit-test one point"]);
        let last = &table.rows[2];
        assert_eq!((last.line, last.bench.as_str(), last.median.as_str(), last.target.as_str()), (12, "text_view", "0.15 µs", "≤ 5 µs"));
    }

    #[test]
    fn a_mangled_row_is_an_error_naming_its_line() {
        let three_cells = README.replace("| app | 2.8 ms | ≤ 8 ms |", "| app 2.8 ms | ≤ 8 ms |");
        match parse_table(&three_cells) {
            Err(Error::Table { line: 10, message }) => assert!(message.contains("expected 4 cells"), "{message}"),
            other => panic!("expected an error on line 10, got {other:?}"),
        }
        let no_bench = README.replace("| app | 2.8 ms", "|  | 2.8 ms");
        assert!(matches!(parse_table(&no_bench), Err(Error::Table { line: 10, .. })));
        let unclosed = README.replace("| ≤ 100 ms |", "| ≤ 100 ms");
        assert!(matches!(parse_table(&unclosed), Err(Error::Table { line: 11, .. })));
        let stray = README.replace("| 0.15 µs |  ≤ 5 µs  |\n", "| 0.15 µs |  ≤ 5 µs  |\nstray text\n");
        assert!(matches!(parse_table(&stray), Err(Error::Table { line: 13, .. })));
        let bad_header = README.replace("| bench | median |", "| target | median |");
        assert!(matches!(parse_table(&bad_header), Err(Error::Table { line: 8, .. })));
    }

    #[test]
    fn markers_must_be_there_once_and_in_order() {
        assert!(matches!(parse_table("no table\n"), Err(Error::Table { line: 0, .. })));
        let twice = README.replace("After.", "<!-- benchmarks:begin -->");
        assert!(matches!(parse_table(&twice), Err(Error::Table { line: 15, .. })));
        let swapped = "<!-- benchmarks:end -->\n<!-- benchmarks:begin -->\n";
        assert!(matches!(parse_table(swapped), Err(Error::Table { line: 1, .. })));
    }

    #[test]
    fn formats_three_significant_digits() {
        let cases = [
            (0.4, "0.40 ns"),
            (150.0, "0.15 µs"),
            (12_345.0, "12.3 µs"),
            (70_100.0, "70.1 µs"),
            (99_990.0, "0.10 ms"),
            (372_000.0, "0.37 ms"),
            (785_272.577, "0.79 ms"),
            (16_700_000.0, "16.7 ms"),
            (156_400_000.0, "156 ms"),
            (999_400_000.0, "999 ms"),
            (999_600_000.0, "1.00 s"),
            (1_234_000_000.0, "1.23 s"),
            (21_300_000_000.0, "21.3 s"),
            (f64::NAN, "—"),
        ];
        for (nanos, expected) in cases {
            assert_eq!(format_duration(nanos), expected, "{nanos} ns");
        }
    }

    #[test]
    fn dates_in_utc() {
        use std::time::Duration;
        let at = |seconds: u64| date(UNIX_EPOCH + Duration::from_secs(seconds));
        assert_eq!(at(0), "1970-01-01");
        assert_eq!(at(951_782_400), "2000-02-29");
        assert_eq!(at(1_709_251_199), "2024-02-29");
        assert_eq!(at(1_709_251_200), "2024-03-01");
        assert_eq!(date(UNIX_EPOCH - Duration::from_secs(1)), "1969-12-31");
    }

    #[test]
    fn rewrite_replaces_only_the_median_cells_of_rows_with_a_result() {
        let stamp = stamp("2026-12-03", 2);
        let rewritten =
            rewrite(README, &medians(&[("hit-test one point", 151.0), ("search 10,000 articles/search a regular expression (موسك.|دمشق)", 61.2e6)]), &stamp)
                .expect("rewrite");
        let expected = README.replace("on 2020-01-01", "on 2026-12-03").replace("| search | 98 ms | ≤ 100 ms |", "| search | 61.2 ms | ≤ 100 ms |");
        assert_eq!(rewritten.text, expected);
        let updates: Vec<(&str, &str, usize)> = rewritten.updated.iter().map(|u| (u.old.as_str(), u.new.as_str(), u.line)).collect();
        assert_eq!(updates, [("98 ms", "61.2 ms", 11), ("0.15 µs", "0.15 µs", 12)]);
        assert_eq!(rewritten.missing.len(), 1);
        assert_eq!(rewritten.missing[0].id, "1 MB article, 20,000 entities: idle frame");
        // The result parses back to the same rows but for the medians.
        let again = parse_table(&rewritten.text).expect("table");
        assert_eq!(again.rows[1].median, "61.2 ms");
        assert_eq!(again.rows[1].target, "≤ 100 ms");
        assert_eq!(again.rows[2].id, "hit-test one point");
    }

    #[test]
    fn rewrite_adds_the_stamp_when_there_was_none_and_is_stable() {
        let without: String = README.lines().filter(|l| !l.starts_with(STAMP_START)).map(|l| format!("{l}\n")).collect();
        let stamp = stamp("2026-12-03", 1);
        assert!(stamp.contains("with 1 core ("), "{stamp}");
        let once = rewrite(&without, &medians(&[("1 MB article, 20,000 entities: idle frame", 785_272.0)]), &stamp).expect("rewrite");
        assert!(once.text.contains(&format!("{BEGIN}\n{stamp}\n\n| what is measured")), "{}", once.text);
        assert!(once.text.contains("| 1 MB article, 20,000 entities: idle frame | app | 0.79 ms | ≤ 8 ms |"));
        let twice = rewrite(&once.text, &medians(&[("1 MB article, 20,000 entities: idle frame", 785_272.0)]), &stamp).expect("rewrite");
        assert_eq!(twice.text, once.text);
    }

    #[test]
    fn reads_criterion_results_and_keeps_the_newest_of_an_id() {
        let dir = tempfile::tempdir().expect("temp dir");
        let write = |folder: &str, full_id: &str, median: f64| {
            let new = dir.path().join(folder).join("new");
            std::fs::create_dir_all(&new).expect("folder");
            let benchmark = serde_json::json!({"group_id": "g", "function_id": null, "full_id": full_id, "directory_name": folder});
            std::fs::write(new.join("benchmark.json"), benchmark.to_string()).expect("benchmark.json");
            let estimates = serde_json::json!({"mean": {"point_estimate": 1.0}, "median": {"point_estimate": median}});
            std::fs::write(new.join("estimates.json"), estimates.to_string()).expect("estimates.json");
        };
        write("group/a", "group/a", 1500.0);
        write("b", "b", 2.5e6);
        std::fs::create_dir_all(dir.path().join("report")).expect("report folder");
        let results = read_results(dir.path()).expect("results");
        let found: Vec<(&str, f64)> = results.iter().map(|r| (r.id.as_str(), r.median_nanos)).collect();
        assert_eq!(found, [("b", 2.5e6), ("group/a", 1500.0)]);

        std::fs::write(dir.path().join("b/new/estimates.json"), "{\"mean\": {}}").expect("broken");
        let error = read_results(dir.path()).expect_err("broken estimates").to_string();
        assert!(error.contains("estimates.json") && error.contains("median.point_estimate"), "{error}");
    }

    #[test]
    fn update_readme_writes_the_table_and_reports() {
        let dir = tempfile::tempdir().expect("temp dir");
        let new = dir.path().join("criterion/hit-test one point/new");
        std::fs::create_dir_all(&new).expect("folder");
        std::fs::write(new.join("benchmark.json"), r#"{"full_id": "hit-test one point"}"#).expect("benchmark.json");
        std::fs::write(new.join("estimates.json"), r#"{"median": {"point_estimate": 160.4}}"#).expect("estimates.json");
        let unused = dir.path().join("criterion/other/new");
        std::fs::create_dir_all(&unused).expect("folder");
        std::fs::write(unused.join("benchmark.json"), r#"{"full_id": "other"}"#).expect("benchmark.json");
        std::fs::write(unused.join("estimates.json"), r#"{"median": {"point_estimate": 1.0}}"#).expect("estimates.json");
        let readme = dir.path().join("README.md");
        std::fs::write(&readme, README).expect("README");

        let report = update_readme(&dir.path().join("criterion"), &readme).expect("update");
        assert_eq!(report.updated.len(), 1);
        assert_eq!(report.missing.len(), 2);
        assert_eq!(report.unused.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["other"]);
        let text = std::fs::read_to_string(&readme).expect("README");
        assert!(text.contains("| 0.16 µs |"), "{text}");
        assert!(!text.contains("2020-01-01"));

        let missing = update_readme(&dir.path().join("nothing"), &readme).expect_err("no folder").to_string();
        assert!(missing.contains("nothing"), "{missing}");
    }
}
