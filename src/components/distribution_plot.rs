//! Every sample of every variant as a dot, over a box of its quartiles, so
//! noise and outliers are visible. Samples stream in while the run goes.
//! Samples are raw (the baseline is not subtracted), so the axis says so.

use pyrace_model::stats::quantile;
use yew::prelude::*;

use super::chart_axis::{AXIS, TOP, WIDTH, row_label, time_scale, time_ticks};
use super::use_series;

const RIGHT: f64 = 24.0;
const ROW: f64 = 34.0;

/// A fixed jitter per sample index, so dots do not move between renders.
fn jitter(index: usize) -> f64 {
    let x = (index as f64 * 0.618_033_988_75).fract();
    (x - 0.5) * (ROW - 14.0)
}

#[function_component(DistributionPlot)]
pub fn distribution_plot() -> Html {
    crate::render_count::note("DistributionPlot");
    let series = use_series();
    let Some(run) = series.runs.run.as_ref() else {
        return html! {};
    };
    let rows: Vec<(String, Vec<f64>)> = run
        .panes
        .iter()
        .map(|(_, name)| (name.clone(), run.samples_of(name)))
        .filter(|(_, samples)| !samples.is_empty())
        .collect();
    if rows.is_empty() {
        return html! {};
    }
    let all = || rows.iter().flat_map(|(_, s)| s.iter().copied());
    let max = all().fold(0.0, f64::max);
    let min = all().filter(|s| *s > 0.0).fold(f64::INFINITY, f64::min);
    let (scale, log) = time_scale(min, max, RIGHT);
    let height = TOP + ROW * rows.len() as f64 + AXIS;
    let axis_y = TOP + ROW * rows.len() as f64;
    let count: usize = rows.iter().map(|(_, s)| s.len()).sum();

    html! {
        <figure class="chart distribution-plot">
            <svg viewBox={format!("0 0 {WIDTH} {height}")} role="img"
                aria-label={format!("Spread of {count} samples per loop")}>
                {time_ticks(&scale, axis_y)}
                {for rows.iter().enumerate().map(|(i, (name, samples))| {
                    let y = TOP + ROW * i as f64;
                    let mid = y + ROW / 2.0;
                    let mut sorted = samples.clone();
                    sorted.sort_by(f64::total_cmp);
                    let (q1, median, q3) = (quantile(&sorted, 0.25), quantile(&sorted, 0.5), quantile(&sorted, 0.75));
                    let (lo, hi) = (sorted[0], sorted[sorted.len() - 1]);
                    let x = |v: f64| scale.at(v.max(scale.domain.0)).to_string();
                    let slot = series.slot(name);
                    html! {
                        <g class={classes!("strip", format!("series-{slot}"))} data-variant={name.clone()} data-samples={samples.len().to_string()}>
                            {row_label(name, mid)}
                            <line class="whisker" x1={x(lo)} x2={x(hi)} y1={mid.to_string()} y2={mid.to_string()} />
                            <rect class="box" x={x(q1)} y={(y + 5.0).to_string()}
                                width={(scale.at(q3) - scale.at(q1.max(scale.domain.0))).max(1.0).to_string()}
                                height={(ROW - 10.0).to_string()} />
                            <line class="median-line" x1={x(median)} x2={x(median)} y1={(y + 5.0).to_string()} y2={(y + ROW - 5.0).to_string()} />
                            {for samples.iter().enumerate().map(|(j, &s)| html! {
                                <circle class="dot" cx={x(s)} cy={(mid + jitter(j)).to_string()} r="2.2" />
                            })}
                        </g>
                    }
                })}
            </svg>
            <figcaption>
                {format!("Every sample (raw seconds per loop, baseline not subtracted): box from first to third quartile, line at the median{}",
                    if log { " · logarithmic axis" } else { "" })}
            </figcaption>
        </figure>
    }
}
