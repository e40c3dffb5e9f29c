//! Per-loop medians as horizontal bars with their 95% intervals as whiskers;
//! the fastest is marked. When the run went to CPython too, each variant gets
//! a bar per engine on one time axis, the engine named beside it and
//! CPython's bar striped, so the engines are told apart without colour; each
//! engine's ratios are to its own fastest. When the values differ by more
//! than 30× the axis turns logarithmic (and says so), or the small bars
//! would vanish.

use pyrace_model::VariantResult;
use pyrace_model::engines::EngineId;
use pyrace_model::verdict::{self, Standing};
use yew::prelude::*;

use super::axis::{
    RowLayout, WIDTH, engine_key, missing_value, time_scale, time_ticks, variant_order, variant_rows,
};
use super::scale::Scale;
use super::stripes::stripes;
use crate::components::use_series;
use crate::format;

/// Room for the value labels right of the bars.
const RIGHT: f64 = 120.0;
const ROW: f64 = 30.0;
/// A row of a group of engines: narrower, so a group of two stays compact.
const ENGINE_ROW: f64 = 24.0;
/// Space above and below a bar within its row.
const INSET: f64 = 6.0;
/// How far apart the stripes on CPython's bars are.
const STRIPE_GAP: f64 = 6.0;

#[derive(Properties, PartialEq)]
pub struct BarChartProps {
    pub results: Vec<VariantResult>,
    /// CPython's results of the same run: `Some` (maybe empty so far) when
    /// the run went there too, and the bars are grouped by variant.
    #[prop_or_default]
    pub cpython: Option<Vec<VariantResult>>,
    /// CPython's part has not finished: its missing bars are still to come.
    #[prop_or_default]
    pub cpython_pending: bool,
}

/// One engine's results, and whether the ones missing are still to come.
struct Lane<'a> {
    engine: EngineId,
    results: &'a [VariantResult],
    pending: bool,
}

/// The value right of a bar: its median, and its standing among its
/// engine's variants.
fn value_text(results: &[VariantResult], r: &VariantResult) -> String {
    let standing = match verdict::standing(results, r) {
        Standing::Fastest => " ★".to_owned(),
        Standing::LowestMedian => String::new(),
        Standing::Slower => format!(" ×{}", format::three_digits(r.ratio.value)),
        Standing::NotClear => format!(" ×{}?", format::three_digits(r.ratio.value)),
    };
    format!("{}{standing}", format::duration(r.time.median))
}

/// A variant's bar on one engine, in the row starting at `top`.
fn bar(
    lane: &Lane,
    r: &VariantResult,
    slot: usize,
    scale: &Scale,
    origin: f64,
    top: f64,
    row: f64,
) -> Html {
    let mid = top + row / 2.0;
    let bar_end = scale.at(r.time.median.max(scale.domain.0));
    let (low, high) = (
        scale.at(r.time.ci_low.max(scale.domain.0)),
        scale.at(r.time.ci_high),
    );
    let (width, height) = ((bar_end - origin).max(1.0), row - 2.0 * INSET);
    let fastest = verdict::standing(lane.results, r) == Standing::Fastest;
    let y = |v: f64| v.to_string();
    html! {
        <g class={classes!("bar", format!("series-{slot}"), fastest.then_some("fastest"))}
            data-variant={r.name.clone()} data-engine={engine_key(lane.engine)}>
            <rect x={origin.to_string()} y={y(top + INSET)} width={width.to_string()}
                height={height.to_string()} rx="2" class="fill" />
            if lane.engine == EngineId::Cpython {
                // The page's surface colour, so the stripes read in either theme.
                <path class="stripes" d={stripes(origin, top + INSET, width, height, STRIPE_GAP)}
                    style="fill:none;stroke:var(--surface);stroke-width:2" />
            }
            <line class="whisker" x1={low.to_string()} x2={high.to_string()} y1={y(mid)} y2={y(mid)} />
            <line class="whisker" x1={low.to_string()} x2={low.to_string()} y1={y(mid - 5.0)} y2={y(mid + 5.0)} />
            <line class="whisker" x1={high.to_string()} x2={high.to_string()} y1={y(mid - 5.0)} y2={y(mid + 5.0)} />
            <text x={(WIDTH - RIGHT + 8.0).to_string()} y={y(mid + 4.0)} class="value">
                {value_text(lane.results, r)}
            </text>
        </g>
    }
}

#[function_component(BarChart)]
pub fn bar_chart(props: &BarChartProps) -> Html {
    crate::render_count::note("BarChart");
    let series = use_series();
    let mut lanes = vec![Lane {
        engine: EngineId::Rustpython,
        results: &props.results,
        pending: false,
    }];
    if let Some(cpython) = &props.cpython {
        lanes.push(Lane {
            engine: EngineId::Cpython,
            results: cpython,
            pending: props.cpython_pending,
        });
    }
    if lanes.iter().all(|lane| lane.results.is_empty()) {
        return html! {};
    }
    let grouped = lanes.len() > 1;
    let engines: Vec<_> = lanes.iter().map(|lane| (lane.engine, lane.pending)).collect();
    let names = variant_order(
        lanes
            .iter()
            .map(|lane| lane.results.iter().map(|r| r.name.as_str()).collect()),
    );
    let all = || lanes.iter().flat_map(|lane| lane.results.iter());
    let max = all()
        .map(|r| r.time.ci_high.max(r.time.median))
        .fold(0.0, f64::max);
    let min = all()
        .map(|r| r.time.median)
        .filter(|t| *t > 0.0)
        .fold(f64::INFINITY, f64::min);
    let layout = RowLayout {
        groups: names.len(),
        engines: lanes.len(),
        row: if grouped { ENGINE_ROW } else { ROW },
    };
    let (scale, log) = time_scale(min * 0.8, max, layout.plot_left(), RIGHT);
    let origin = if log { scale.range.0 } else { scale.at(0.0) };
    let axis_y = layout.axis_y();
    let summary = lanes
        .iter()
        .map(|lane| {
            let medians = lane
                .results
                .iter()
                .map(|r| format!("{} {}", r.name, format::duration(r.time.median)))
                .collect::<Vec<_>>();
            let medians = if medians.is_empty() {
                missing_value(lane.pending).to_owned()
            } else {
                medians.join(", ")
            };
            if grouped {
                format!("{}: {medians}", lane.engine.label())
            } else {
                medians
            }
        })
        .collect::<Vec<_>>()
        .join("; ");

    html! {
        <figure class={classes!("chart", "bar-chart", grouped.then_some("two-engines"))}>
            <svg viewBox={format!("0 0 {WIDTH} {}", layout.height())} role="img"
                aria-label={format!("Median time per loop: {summary}")}>
                {time_ticks(&scale, axis_y)}
                <line class="axis" x1={origin.to_string()} x2={origin.to_string()} y1={layout.row_top(0, 0).to_string()} y2={axis_y.to_string()} />
                {variant_rows("variant-bars", &names, &engines, &layout, |j, name, top| {
                    let lane = &lanes[j];
                    let r = lane.results.iter().find(|r| r.name == name)?;
                    Some(bar(lane, r, series.slot(name), &scale, origin, top, layout.row))
                })}
            </svg>
            <figcaption>
                if grouped {
                    {"Per variant, a bar per engine: solid RustPython, striped CPython; each engine's ratios are to its own fastest. "}
                }
                {"Median time per loop; whiskers: 95% confidence interval; ★ clearly fastest; ? no clear difference from the fastest"}
                {if log { " · logarithmic axis" } else { "" }}
            </figcaption>
        </figure>
    }
}
