//! Peak memory of one execution against `n` on log-log axes, one line per
//! variant (and engine), and the fitted growth of its peak beside its name
//! (`SweepSeries::memory_growth`): a list built of `n` items grows O(n), a
//! generator over as many O(1). Drawn by `log_log`, as the time chart is.
//! Each engine counts in its own way (`MemorySource`): their lines share
//! the axes, not a unit of account.

use pyrace_model::SweepSeries;
use yew::prelude::*;

use super::log_log::{ChartsAgainstNProps, LogLogChart, LogLogPoint, engine_lanes, log_log_chart};
use crate::components::use_series;
use crate::format;

/// A series' measured peaks; a size whose peak was not measured has no
/// point. A peak of nothing sits at one byte, the axis' floor (as the
/// growth fit counts it).
fn peaks(s: &SweepSeries) -> Vec<LogLogPoint> {
    s.points
        .iter()
        .filter_map(|p| {
            let peak = p.peak_bytes?;
            Some(LogLogPoint {
                n: p.n,
                value: peak.max(1) as f64,
                interval: None,
                text: format!("peak {}", format::bytes(peak as f64)),
                peak_bytes: Some(peak),
            })
        })
        .collect()
}

#[function_component(MemoryChart)]
pub fn memory_chart(props: &ChartsAgainstNProps) -> Html {
    crate::render_count::note("MemoryChart");
    let colours = use_series();
    log_log_chart(
        &LogLogChart {
            class: "memory-chart",
            lanes: engine_lanes(&props.series, props.cpython.as_deref()),
            cpython_pending: props.cpython_pending,
            points: peaks,
            growth: |s| s.memory_growth,
            tick_label: format::bytes,
            value_title: "peak memory (log)",
            title: "Peak memory of one execution",
            caption: "Peak memory of one execution at each size, net of the setup, measured once after the timed rounds (no interval); slope of the log-log line over the larger sizes. Each engine counts its own way: compare lines within an engine.",
        },
        &colours,
    )
}
