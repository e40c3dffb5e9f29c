//! Time per loop against `n` on log-log axes, one line per variant (and
//! engine) with its interval at each size, and the fitted growth of its
//! time beside its name; drawn by `log_log`, as the memory chart is.

use pyrace_model::SweepSeries;
use yew::prelude::*;

use super::log_log::{ChartsAgainstNProps, LogLogChart, LogLogPoint, engine_lanes, log_log_chart};
use crate::components::use_series;
use crate::format;

/// A series' medians with their intervals.
fn times(s: &SweepSeries) -> Vec<LogLogPoint> {
    s.points
        .iter()
        .map(|p| LogLogPoint {
            n: p.n,
            value: p.median,
            interval: Some((p.low, p.high)),
            text: format::duration(p.median),
            peak_bytes: None,
        })
        .collect()
}

#[function_component(SweepChart)]
pub fn sweep_chart(props: &ChartsAgainstNProps) -> Html {
    crate::render_count::note("SweepChart");
    let colours = use_series();
    log_log_chart(
        &LogLogChart {
            class: "sweep-chart",
            lanes: engine_lanes(&props.series, props.cpython.as_deref()),
            cpython_pending: props.cpython_pending,
            points: times,
            growth: |s| s.growth,
            tick_label: format::duration,
            value_title: "time per loop (log)",
            title: "Time per loop",
            caption: "Median time per loop at each size, with its 95% interval; slope of the log-log line over the larger sizes.",
        },
        &colours,
    )
}
