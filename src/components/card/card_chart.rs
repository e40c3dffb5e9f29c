//! The figures the card's bar chart is drawn from: a run here's own results
//! (what the results panel charts), or, for results that came with a link,
//! the recorded rows in the chart's form.

use pyrace_model::share::ResultsSnapshot;
use pyrace_model::stats::Summary;
use pyrace_model::{Ratio, VariantResult};

/// A recorded snapshot's rows as the chart takes them. A snapshot keeps the
/// median, its interval and the ratio, which is all the bar chart draws; no
/// samples came with it.
pub fn recorded_figures(snapshot: &ResultsSnapshot) -> Vec<VariantResult> {
    snapshot
        .variants
        .iter()
        .map(|row| VariantResult {
            name: row.name.clone(),
            n: row.n,
            loops: 0,
            time: Summary {
                count: 0,
                median: row.median,
                min: row.ci_low,
                max: row.ci_high,
                q1: row.ci_low,
                q3: row.ci_high,
                ci_low: row.ci_low,
                ci_high: row.ci_high,
            },
            samples: Vec::new(),
            ops_per_sec: if row.median > 0.0 {
                1.0 / row.median
            } else {
                0.0
            },
            ratio: Ratio {
                value: row.ratio,
                low: row.ratio_low,
                high: row.ratio_high,
            },
            fastest: row.ratio <= 1.0,
            memory: None,
        })
        .collect()
}
