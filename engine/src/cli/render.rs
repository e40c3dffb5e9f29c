//! Plain-text rendering of a run for a terminal: output as it streams,
//! errors with their place, and aligned result tables.

use std::io::Write;
use std::sync::Mutex;

use std::collections::BTreeMap;

use pyrace_model::units::bytes;
use pyrace_model::{Comparison, OutputStream, PyError, RunEvent, Verdict, verdict};

use super::units;

/// Prints one event as it arrives; keeps the comparison for the table.
pub fn event(event: &RunEvent, result: &Mutex<Option<Comparison>>) {
    match event {
        RunEvent::Output { stream, text, .. } => match stream {
            OutputStream::Stdout => {
                let mut out = std::io::stdout().lock();
                let _ = out.write_all(text.as_bytes());
                let _ = out.flush();
            }
            OutputStream::Stderr => {
                let mut err = std::io::stderr().lock();
                let _ = err.write_all(text.as_bytes());
            }
        },
        RunEvent::Error { error, .. } => print_error(None, error),
        RunEvent::VariantError { variant, error, .. } => print_error(Some(variant), error),
        RunEvent::ResultCheck { check, .. } => {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "{}", check.sentence());
        }
        RunEvent::Result { comparison, .. } => {
            *result.lock().unwrap() = Some(comparison.clone());
        }
        RunEvent::Reference {
            comparison, errors, ..
        } => {
            // Beside pyrace's figures; with none (pyrace failed) there is
            // nothing to set them beside.
            if let Some(ours) = &*result.lock().unwrap() {
                side_by_side(ours, comparison, errors);
            }
        }
        _ => {}
    }
}

fn print_error(variant: Option<&str>, error: &PyError) {
    let mut err = std::io::stderr().lock();
    if !error.traceback.is_empty() {
        let _ = write!(err, "{}", error.traceback);
    }
    let who = variant
        .map(|v| format!("variant {v:?} failed: "))
        .unwrap_or_default();
    let _ = writeln!(err, "pyrace: {who}{error}");
}

struct Row {
    cells: Vec<String>,
}

fn print_rows(header: &[&str], rows: &[Row]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.cells.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let pad = widths[i] - c.chars().count();
                // Names left-aligned, figures right-aligned.
                if i == 0 {
                    format!("{c}{}", " ".repeat(pad))
                } else {
                    format!("{}{c}", " ".repeat(pad))
                }
            })
            .collect();
        println!("{}", padded.join("  ").trim_end());
    };
    line(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    for r in rows {
        line(&r.cells);
    }
}

/// A ratio cell of the side-by-side table: the figure, and whether it is clear.
fn short_ratio(
    variants: &[pyrace_model::VariantResult],
    v: &pyrace_model::VariantResult,
) -> String {
    match verdict::standing(variants, v) {
        verdict::Standing::Fastest => "fastest".into(),
        verdict::Standing::LowestMedian => "lowest, not clear".into(),
        verdict::Standing::Slower => units::ratio(v.ratio.value),
        verdict::Standing::NotClear => format!("{}, not clear", units::ratio(v.ratio.value)),
    }
}

/// The comparison's table.
pub fn table(c: &Comparison) {
    if c.sweep.is_empty() {
        let rows: Vec<Row> = c
            .variants
            .iter()
            .map(|v| Row {
                cells: vec![
                    v.name.clone(),
                    units::time(v.time.median),
                    format!(
                        "± {}",
                        units::time_in_unit_of(v.time.iqr() / 2.0, v.time.median)
                    ),
                    format!(
                        "{}–{}",
                        units::time(v.time.ci_low),
                        units::time(v.time.ci_high)
                    ),
                    format!("{:.3e}/s", v.ops_per_sec),
                    verdict::ratio_text(&c.variants, v),
                    units::peak(v.memory.as_ref()),
                    units::allocated_per_loop(v.memory.as_ref()),
                ],
            })
            .collect();
        print_rows(
            &[
                "variant",
                "per loop",
                "± IQR/2",
                "95% CI",
                "ops",
                "ratio",
                "peak",
                "alloc/loop",
            ],
            &rows,
        );
    } else {
        sweep_table(c);
    }
    if let Some(line) = memory_source(c) {
        println!("{line}");
    }
    if let Some(verdict) = Verdict::of_comparison(c) {
        println!("{}", verdict.sentence());
    }
    for warning in &c.warnings {
        println!("warning: {}", warning.text());
    }
    footer(c);
}

fn sweep_table(c: &Comparison) {
    let mut sizes: Vec<u64> = c
        .sweep
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.n))
        .collect();
    sizes.sort_unstable();
    sizes.dedup();
    let mut header: Vec<String> = vec!["variant".into()];
    header.extend(sizes.iter().map(|n| format!("n={n}")));
    header.push("growth".into());
    let rows: Vec<Row> = c
        .sweep
        .iter()
        .map(|s| {
            let mut cells = vec![s.name.clone()];
            for n in &sizes {
                cells.push(
                    s.points
                        .iter()
                        .find(|p| p.n == *n)
                        .map_or("–".into(), |p| units::time(p.median)),
                );
            }
            cells.push(match &s.growth {
                Some(g) => g.summary(),
                None => "– (needs 3 sizes)".into(),
            });
            Row { cells }
        })
        .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    print_rows(&header, &rows);
    if c.sweep.iter().any(|s| s.memory_growth.is_some()) {
        println!();
        let rows: Vec<Row> = c
            .sweep
            .iter()
            .map(|s| {
                let mut cells = vec![format!("{} peak", s.name)];
                for n in &sizes {
                    cells.push(
                        s.points
                            .iter()
                            .find(|p| p.n == *n)
                            .and_then(|p| p.peak_bytes)
                            .map_or("–".into(), |b| bytes(b as f64)),
                    );
                }
                cells.push(match &s.memory_growth {
                    Some(g) => g.summary(),
                    None => "–".into(),
                });
                Row { cells }
            })
            .collect();
        print_rows(&header, &rows);
    }
}

/// The line saying what the memory columns count, when any was measured.
fn memory_source(c: &Comparison) -> Option<String> {
    c.variants
        .iter()
        .find_map(|v| v.memory.map(|m| m.source))
        .map(|source| format!("memory: peak net of the setup, {}", source.label()))
}

fn footer(c: &Comparison) {
    let baseline = c
        .baseline
        .map(|b| {
            format!(
                "baseline (empty statement) {} per loop, subtracted (timeit leaves it in) · ",
                units::time(b.median)
            )
        })
        .unwrap_or_default();
    let loops = c
        .variants
        .iter()
        .map(|v| format!("{}×{}", v.name, v.loops))
        .collect::<Vec<_>>()
        .join(" ");
    let warmup = c
        .warmup
        .map(|w| format!("{} · ", w.describe()))
        .unwrap_or_default();
    println!(
        "{baseline}{warmup}{} rounds · loops {loops} · {:.2} s · {}",
        c.rounds, c.elapsed, c.engine
    );
    if c.budget_exhausted {
        println!(
            "note: the time budget ran out before every round or size was measured; figures are less certain"
        );
    }
}

/// pyrace's table with CPython's figures beside it.
fn side_by_side(ours: &Comparison, reference: &Comparison, errors: &BTreeMap<String, PyError>) {
    table(ours);
    println!();
    let rows: Vec<Row> = ours
        .variants
        .iter()
        .map(|v| {
            let r = reference.variant(&v.name);
            Row {
                cells: vec![
                    v.name.clone(),
                    units::time(v.time.median),
                    short_ratio(&ours.variants, v),
                    r.map_or("–".into(), |r| units::time(r.time.median)),
                    r.map_or("–".into(), |r| short_ratio(&reference.variants, r)),
                    r.map_or("–".into(), |r| {
                        units::ratio(v.time.median / r.time.median)
                    }),
                    units::peak(v.memory.as_ref()),
                    units::peak(r.and_then(|r| r.memory.as_ref())),
                ],
            }
        })
        .collect();
    print_rows(
        &[
            "variant",
            "pyrace",
            "ratio",
            "CPython",
            "CPython ratio",
            "pyrace/CPython",
            "peak",
            "CPython peak",
        ],
        &rows,
    );
    if !reference.sweep.is_empty() {
        for s in &reference.sweep {
            if let Some(g) = &s.growth {
                println!("CPython growth of {}: {}", s.name, g.summary());
            }
            if let Some(g) = &s.memory_growth {
                println!("CPython memory growth of {}: {}", s.name, g.summary());
            }
        }
    }
    if let Some(verdict) = Verdict::of_comparison(reference) {
        println!("CPython: {}", verdict.sentence());
    }
    for warning in &reference.warnings {
        println!("CPython warning: {}", warning.text());
    }
    if let Some(line) = memory_source(reference) {
        println!("CPython {line}");
    }
    println!("reference: {}", reference.engine);
    for (variant, error) in errors {
        println!("CPython: variant {variant:?} failed: {error}");
    }
}
