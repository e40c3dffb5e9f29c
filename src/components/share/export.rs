//! Results as text for pasting into posts: a Markdown table of a
//! comparison, with the conditions it was measured under; with CPython on,
//! one table per engine.

use pyrace_model::Comparison;
use pyrace_model::verdict::{self, Standing, Verdict};

use crate::format;

/// A table cell: a pipe would end the cell and a line break the row.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// The start of a profile export's file name: the variant and engine, in
/// characters every file system takes.
pub fn profile_file_stem(variant: &str, engine: &str) -> String {
    let safe: String = format!("{variant}-{engine}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("pyrace-profile-{}", safe.trim_matches('-'))
}

/// The comparison as a Markdown table, fastest marked, and a line saying
/// where and how it was measured.
pub fn markdown(comparison: &Comparison) -> String {
    let mut out =
        String::from("| variant | median per loop | 95% CI | vs fastest |\n|---|--:|--:|--:|\n");
    for v in &comparison.variants {
        let versus = match verdict::standing(&comparison.variants, v) {
            Standing::Fastest => "**fastest**".to_owned(),
            _ => verdict::ratio_text(&comparison.variants, v),
        };
        out.push_str(&format!(
            "| {} | {} | {}–{} | {} |\n",
            cell(&v.name),
            format::duration(v.time.median),
            format::duration(v.time.ci_low),
            format::duration(v.time.ci_high),
            versus
        ));
    }
    let at_n = comparison
        .variants
        .iter()
        .find_map(|v| v.n)
        .map(|n| format!(" at n={}", format::size(n)))
        .unwrap_or_default();
    let baseline = if comparison.baseline.is_some() {
        ", empty-statement baseline subtracted"
    } else {
        ""
    };
    if let Some(verdict) = Verdict::of_comparison(comparison) {
        out.push_str(&format!("\n{}.\n", cell(&verdict.sentence())));
    }
    for warning in &comparison.warnings {
        out.push_str(&format!("\n> Warning: {}\n", cell(&warning.text())));
    }
    out.push_str(&format!(
        "\nMeasured{at_n} with {} in pyrace: {} interleaved rounds{baseline}.\n",
        cell(&comparison.engine),
        comparison.rounds
    ));
    out
}

/// RustPython's table, then CPython's when the run went there too, each
/// with its own line saying which engine measured it.
pub fn markdown_engines(rustpython: &Comparison, cpython: Option<&Comparison>) -> String {
    match cpython {
        None => markdown(rustpython),
        Some(cpython) => format!(
            "**RustPython**\n\n{}\n**CPython**\n\n{}",
            markdown(rustpython),
            markdown(cpython)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pyrace_model::{Ratio, Summary, VariantResult};

    #[test]
    fn profile_file_names_are_safe() {
        assert_eq!(
            profile_file_stem("My list!", "RustPython"),
            "pyrace-profile-my-list--rustpython"
        );
    }

    fn result(name: &str, samples: &[f64], ratio: f64, fastest: bool) -> VariantResult {
        VariantResult {
            name: name.into(),
            n: None,
            loops: 1000,
            time: Summary::of(samples).unwrap(),
            samples: samples.to_vec(),
            ops_per_sec: 1.0 / samples[0],
            ratio: Ratio {
                value: ratio,
                low: ratio * 0.9,
                high: ratio * 1.1,
            },
            fastest,
            memory: None,
        }
    }

    /// A browser comparison of 30 rounds with a baseline.
    fn comparison(variants: Vec<VariantResult>) -> Comparison {
        Comparison {
            engine: "RustPython 0.6.0 (browser)".into(),
            variants,
            baseline: Summary::of(&[1e-8]),
            sweep: Vec::new(),
            rounds: 30,
            elapsed: 2.0,
            budget_exhausted: false,
            warnings: Vec::new(),
            warmup: None,
        }
    }

    #[test]
    fn the_table_has_a_row_per_variant_and_says_how_it_was_measured() {
        let comparison = comparison(vec![
            result("set", &[4.2e-8, 4.1e-8, 4.4e-8], 1.0, true),
            result("list | scan\nslow", &[4.1e-6, 4.0e-6, 4.3e-6], 97.6, false),
        ]);
        let table = markdown(&comparison);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(
            lines[0],
            "| variant | median per loop | 95% CI | vs fastest |"
        );
        assert_eq!(
            lines[2],
            "| set | 42.0 ns | 41.0 ns–44.0 ns | **fastest** |"
        );
        assert_eq!(
            lines[3],
            "| list \\| scan slow | 4.10 µs | 4.00 µs–4.30 µs | 97.6× slower [87.8–107×] |"
        );
        assert_eq!(
            lines[5],
            "set is 97.6× faster than list \\| scan slow (95% interval 87.8–107×)."
        );
        assert_eq!(
            lines[7],
            "Measured with RustPython 0.6.0 (browser) in pyrace: 30 interleaved rounds, empty-statement baseline subtracted."
        );
        let mut cpython = comparison.clone();
        cpython.engine = "CPython 3.14.2 (Pyodide 314.0.8)".into();
        let both = markdown_engines(&comparison, Some(&cpython));
        assert!(both.starts_with("**RustPython**\n\n| variant |"));
        assert!(both.contains("**CPython**\n\n| variant |"));
        assert!(both.trim_end().ends_with("Measured with CPython 3.14.2 (Pyodide 314.0.8) in pyrace: 30 interleaved rounds, empty-statement baseline subtracted."));
        assert_eq!(markdown_engines(&comparison, None), table);
    }

    #[test]
    fn two_variants_without_a_clear_difference_get_no_fastest_mark() {
        let comparison = comparison(vec![
            result("a", &[1e-6; 3], 1.0, true),
            result("b", &[1e-6; 3], 1.01, false),
        ]);
        let table = markdown(&comparison);
        assert!(!table.contains("fastest**"), "{table}");
        assert!(
            table.contains("| no clear difference [0.91–1.11×] |"),
            "{table}"
        );
        assert!(
            table.contains(
                "no clear difference between a and b: the interval 0.91–1.11× includes 1."
            ),
            "{table}"
        );
    }
}
