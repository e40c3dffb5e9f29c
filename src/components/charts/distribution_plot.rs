//! Every sample of every variant as a dot, over a box of its quartiles, so
//! noise and outliers are visible. Samples stream in while the run goes.
//! When the run went to CPython too, each variant has a row per engine on
//! one axis, the engine named beside it and CPython's samples drawn as rings
//! rather than dots, so the engines are told apart without colour.
//! Samples are raw (the baseline is not subtracted), so the axis says so.

use pyrace_model::engines::EngineId;
use pyrace_model::stats::quantile;
use yew::prelude::*;

use super::axis::{
    RowLayout, WIDTH, engine_key, time_scale, time_ticks, variant_order, variant_rows,
};
use super::scale::Scale;
use crate::components::use_series;
use crate::state::RunView;

const RIGHT: f64 = 24.0;
const ROW: f64 = 34.0;
/// A row of a group of engines.
const ENGINE_ROW: f64 = 30.0;

/// A fixed jitter per sample index, so dots do not move between renders.
fn jitter(index: usize, row: f64) -> f64 {
    let x = (index as f64 * 0.618_033_988_75).fract();
    (x - 0.5) * (row - 14.0)
}

/// One engine's samples per variant, and whether the missing ones are
/// still to come.
struct Lane {
    engine: EngineId,
    samples: Vec<(String, Vec<f64>)>,
    pending: bool,
}

impl Lane {
    fn of(engine: EngineId, run: &RunView) -> Lane {
        Lane {
            engine,
            samples: run
                .panes
                .iter()
                .map(|(_, name)| (name.clone(), run.samples_of(name)))
                .filter(|(_, samples)| !samples.is_empty())
                .collect(),
            pending: run.running(),
        }
    }

    fn samples_of(&self, name: &str) -> Option<&[f64]> {
        self.samples
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s.as_slice())
    }
}

/// A variant's samples on one engine: whisker from least to most, the
/// quartiles' box, the median's line, and a mark per sample.
fn strip(
    engine: EngineId,
    name: &str,
    samples: &[f64],
    slot: usize,
    scale: &Scale,
    top: f64,
    row: f64,
) -> Html {
    let mid = top + row / 2.0;
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let (q1, median, q3) = (
        quantile(&sorted, 0.25),
        quantile(&sorted, 0.5),
        quantile(&sorted, 0.75),
    );
    let (lo, hi) = (sorted[0], sorted[sorted.len() - 1]);
    let x = |v: f64| scale.at(v.max(scale.domain.0)).to_string();
    // CPython's samples are rings: the page's surface inside the series colour.
    let ring = (engine == EngineId::Cpython)
        .then_some("fill:var(--surface);stroke:var(--series-color);stroke-width:1.3;opacity:.9");
    html! {
        <g class={classes!("strip", format!("series-{slot}"))} data-variant={name.to_owned()}
            data-engine={engine_key(engine)} data-samples={samples.len().to_string()}>
            <line class="whisker" x1={x(lo)} x2={x(hi)} y1={mid.to_string()} y2={mid.to_string()} />
            <rect class="box" x={x(q1)} y={(top + 5.0).to_string()}
                width={(scale.at(q3) - scale.at(q1.max(scale.domain.0))).max(1.0).to_string()}
                height={(row - 10.0).to_string()} />
            <line class="median-line" x1={x(median)} x2={x(median)} y1={(top + 5.0).to_string()} y2={(top + row - 5.0).to_string()} />
            {for samples.iter().enumerate().map(|(j, &s)| html! {
                <circle class="dot" cx={x(s)} cy={(mid + jitter(j, row)).to_string()} r="2.2" style={ring} />
            })}
        </g>
    }
}

#[function_component(DistributionPlot)]
pub fn distribution_plot() -> Html {
    crate::render_count::note("DistributionPlot");
    let series = use_series();
    let Some(run) = series.runs.run() else {
        return html! {};
    };
    let mut lanes = vec![Lane::of(EngineId::Rustpython, run)];
    if let Some(cpython) = series.runs.part(EngineId::Cpython) {
        lanes.push(Lane::of(EngineId::Cpython, cpython));
    }
    let names = variant_order(
        lanes
            .iter()
            .map(|lane| lane.samples.iter().map(|(n, _)| n.as_str()).collect()),
    );
    if names.is_empty() {
        return html! {};
    }
    let grouped = lanes.len() > 1;
    let engines: Vec<_> = lanes.iter().map(|lane| (lane.engine, lane.pending)).collect();
    let all = || {
        lanes
            .iter()
            .flat_map(|lane| lane.samples.iter().flat_map(|(_, s)| s.iter().copied()))
    };
    let max = all().fold(0.0, f64::max);
    let min = all().filter(|s| *s > 0.0).fold(f64::INFINITY, f64::min);
    let layout = RowLayout {
        groups: names.len(),
        engines: lanes.len(),
        row: if grouped { ENGINE_ROW } else { ROW },
    };
    let (scale, log) = time_scale(min, max, layout.plot_left(), RIGHT);
    let counts = lanes
        .iter()
        .map(|lane| {
            let count: usize = lane.samples.iter().map(|(_, s)| s.len()).sum();
            if grouped {
                format!("{} {count}", lane.engine.label())
            } else {
                count.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ");

    html! {
        <figure class={classes!("chart", "distribution-plot", grouped.then_some("two-engines"))}>
            <svg viewBox={format!("0 0 {WIDTH} {}", layout.height())} role="img"
                aria-label={format!("Spread of the samples per loop: {counts}")}>
                {time_ticks(&scale, layout.axis_y())}
                {variant_rows("variant-strips", &names, &engines, &layout, |j, name, top| {
                    let lane = &lanes[j];
                    let samples = lane.samples_of(name)?;
                    Some(strip(lane.engine, name, samples, series.slot(name), &scale, top, layout.row))
                })}
            </svg>
            <figcaption>
                if grouped {
                    {"Per variant, a row per engine: dots RustPython, rings CPython. "}
                }
                {format!("Every sample (raw seconds per loop, baseline not subtracted): box from first to third quartile, line at the median{}",
                    if log { " · logarithmic axis" } else { "" })}
            </figcaption>
        </figure>
    }
}
