//! What the charts against `n` share (time per loop, peak memory): log-log
//! axes over the sizes measured, one line per variant and engine, and a
//! legend with each line's fitted growth. When the run went to CPython too,
//! both engines' lines share the axes: RustPython's solid with round
//! points, CPython's dashed with square ones, and the legend gives each
//! engine's growth labels under its name. Each chart says what a point's
//! value is (`LogLogChart::points`) and which growth its legend reads.

use pyrace_model::engines::EngineId;
use pyrace_model::{Growth, SweepSeries};
use yew::prelude::*;

use super::axis::engine_key;
use super::scale::Scale;
use crate::components::series::Series;
use crate::format;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 320.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 44.0;
/// CPython's lines: dashes of 7 pixels, gaps of 4.
const CPYTHON_DASH: &str = "7 4";
/// Half the side of CPython's square points (RustPython's round ones have
/// a radius of 3.5: the square is drawn a little smaller to look alike).
const SQUARE: f64 = 3.2;

/// What a chart against `n` is given: each engine's series of the run.
#[derive(Properties, PartialEq)]
pub struct ChartsAgainstNProps {
    pub series: Vec<SweepSeries>,
    /// CPython's series of the same run: `Some` (maybe empty so far) when
    /// the run went there too.
    #[prop_or_default]
    pub cpython: Option<Vec<SweepSeries>>,
    /// CPython's part has not finished: its legend says its lines are still
    /// to come.
    #[prop_or_default]
    pub cpython_pending: bool,
}

/// One point of a line, at one size.
pub struct LogLogPoint {
    pub n: u64,
    /// Above zero: the axis is logarithmic.
    pub value: f64,
    /// The value's interval, drawn as a whisker, where it has one.
    pub interval: Option<(f64, f64)>,
    /// What the value is, in words, for the point's tooltip.
    pub text: String,
    /// The bytes the point stands for, carried as `data-peak-bytes`, on a
    /// chart of memory.
    pub peak_bytes: Option<u64>,
}

/// One chart against `n`: its engines' series, what it plots of them and
/// how it labels its values.
pub struct LogLogChart<'a> {
    /// The figure's own class, beside `chart`.
    pub class: &'static str,
    /// Each engine's series, RustPython's first.
    pub lanes: Vec<(EngineId, &'a [SweepSeries])>,
    /// CPython's part has not finished: its legend says its lines are
    /// still to come.
    pub cpython_pending: bool,
    /// A series' points as this chart plots them.
    pub points: fn(&SweepSeries) -> Vec<LogLogPoint>,
    /// The growth its legend gives for a series.
    pub growth: fn(&SweepSeries) -> Option<Growth>,
    /// A value as its axis ticks read.
    pub tick_label: fn(f64) -> String,
    /// The vertical axis' title.
    pub value_title: &'static str,
    /// What the chart shows, first words of its accessible name.
    pub title: &'static str,
    /// The caption under the legend.
    pub caption: &'static str,
}

/// RustPython's series, then CPython's when the run went there too.
pub fn engine_lanes<'a>(
    rustpython: &'a [SweepSeries],
    cpython: Option<&'a [SweepSeries]>,
) -> Vec<(EngineId, &'a [SweepSeries])> {
    let mut lanes = vec![(EngineId::Rustpython, rustpython)];
    if let Some(cpython) = cpython {
        lanes.push((EngineId::Cpython, cpython));
    }
    lanes
}

/// A point of a series: a circle for RustPython, a square for CPython.
fn point(engine: EngineId, px: f64, py: f64, title: String) -> Html {
    match engine {
        EngineId::Rustpython => html! {
            <circle class="point" cx={px.to_string()} cy={py.to_string()} r="3.5"><title>{title}</title></circle>
        },
        EngineId::Cpython => html! {
            <rect class="point" x={(px - SQUARE).to_string()} y={(py - SQUARE).to_string()}
                width={(2.0 * SQUARE).to_string()} height={(2.0 * SQUARE).to_string()}><title>{title}</title></rect>
        },
    }
}

/// The engine's line and point, small, as the legend's key.
fn legend_key(engine: EngineId, slot: usize) -> Html {
    let dash = (engine == EngineId::Cpython).then_some(CPYTHON_DASH);
    html! {
        <svg class={classes!("legend-key", "series", format!("series-{slot}"))} viewBox="0 0 28 10" width="28" height="10" aria-hidden="true"
            style="width:28px;height:10px;display:inline-block;flex:none;margin-right:.35rem">
            <line class="line" x1="1" x2="27" y1="5" y2="5" stroke-dasharray={dash} />
            {point(engine, 14.0, 5.0, String::new())}
        </svg>
    }
}

/// What the legend says of a series: its growth label, the slope and how
/// sure the fit is. The separators start with a no-break space: the entry
/// is a flex box, which drops the ordinary spaces at its texts' edges.
fn legend_entry(engine: EngineId, name: &str, growth: Option<Growth>, slot: usize) -> Html {
    html! {
        <li data-variant={name.to_owned()} data-engine={engine_key(engine)}>
            {legend_key(engine, slot)}
            <strong>{name.to_owned()}</strong>{" "}
            <span class="growth">{growth.map(|g| g.label()).unwrap_or_else(|| "growth: too few sizes".into())}</span>
            {growth.map(|g| match g.class {
                Some(_) => format!("\u{a0}· slope {:.2}", g.exponent),
                None => String::new(),
            }).unwrap_or_default()}
            {growth.map(|g| html! {
                <span class="fit-quality" title="Relative root-mean-square error of the chosen curve, and of the next best curve: the closer the two, the less sure the label">
                    {format!("\u{a0}· {}", g.fit_quality())}
                </span>
            }).unwrap_or_default()}
        </li>
    }
}

/// The legend: each series' growth, under its engine's name when there are two.
fn legend(chart: &LogLogChart, colours: &Series) -> Html {
    let entries = |engine: EngineId, list: &[SweepSeries]| {
        html! {
            <ul class="legend">
                {for list.iter().map(|s| legend_entry(engine, &s.name, (chart.growth)(s), colours.slot(&s.name)))}
            </ul>
        }
    };
    if chart.lanes.len() < 2 {
        return chart
            .lanes
            .iter()
            .map(|(engine, list)| entries(*engine, list))
            .collect();
    }
    chart
        .lanes
        .iter()
        .map(|(engine, list)| {
            html! {
                <div class="engine-legend" data-engine={engine_key(*engine)}>
                    <span class="engine-name">{engine.label()}{match engine {
                        EngineId::Rustpython => " (solid lines, round points)",
                        EngineId::Cpython => " (dashed lines, square points)",
                    }}</span>
                    if list.is_empty() {
                        <span class="missing">{if chart.cpython_pending { " · lines not measured yet" } else { " · no lines" }}</span>
                    } else {
                        {entries(*engine, list)}
                    }
                </div>
            }
        })
        .collect()
}

/// The chart as a figure; nothing while no series has a point.
pub fn log_log_chart(chart: &LogLogChart, colours: &Series) -> Html {
    let grouped = chart.lanes.len() > 1;
    let lines: Vec<(EngineId, &SweepSeries, Vec<LogLogPoint>)> = chart
        .lanes
        .iter()
        .flat_map(|(engine, list)| list.iter().map(|s| (*engine, s, (chart.points)(s))))
        .collect();
    let points = || lines.iter().flat_map(|(_, _, points)| points);
    if points().next().is_none() {
        return html! {};
    }
    let n_min = points().map(|p| p.n).min().unwrap_or(1).max(1) as f64;
    let n_max = points().map(|p| p.n).max().unwrap_or(10) as f64;
    let v_min = points()
        .map(|p| p.interval.map_or(p.value, |(low, _)| low.max(p.value * 0.5)))
        .filter(|v| *v > 0.0)
        .fold(f64::INFINITY, f64::min);
    let v_max = points()
        .map(|p| p.interval.map_or(p.value, |(_, high)| high.max(p.value)))
        .fold(0.0, f64::max);
    let x = Scale::log10((n_min, n_max), (LEFT, WIDTH - RIGHT));
    let y = Scale::log10((v_min, v_max), (HEIGHT - BOTTOM, TOP));
    let sizes: Vec<u64> = {
        let mut sizes: Vec<u64> = points().map(|p| p.n).collect();
        sizes.sort_unstable();
        sizes.dedup();
        sizes
    };
    let growth_of = |s: &SweepSeries| {
        (chart.growth)(s)
            .map(|g| g.label())
            .unwrap_or_else(|| "growth unknown".into())
    };
    let summary = lines
        .iter()
        .map(|(engine, s, _)| {
            if grouped {
                format!("{} on {} {}", s.name, engine.label(), growth_of(s))
            } else {
                format!("{} {}", s.name, growth_of(s))
            }
        })
        .collect::<Vec<_>>()
        .join(", ");

    html! {
        <figure class={classes!("chart", chart.class, grouped.then_some("two-engines"))}>
            <svg viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img"
                aria-label={format!("{} against n, log-log: {summary}", chart.title)}>
                {for y.ticks(0).into_iter().map(|t| {
                    let py = y.at(t);
                    html! {
                        <g class="tick">
                            <line class="grid" x1={LEFT.to_string()} x2={(WIDTH - RIGHT).to_string()} y1={py.to_string()} y2={py.to_string()} />
                            <text x={(LEFT - 6.0).to_string()} y={(py + 4.0).to_string()} text-anchor="end">{(chart.tick_label)(t)}</text>
                        </g>
                    }
                })}
                {for sizes.iter().map(|&n| {
                    let px = x.at(n as f64);
                    html! {
                        <g class="tick">
                            <line class="grid" x1={px.to_string()} x2={px.to_string()} y1={TOP.to_string()} y2={(HEIGHT - BOTTOM).to_string()} />
                            <text x={px.to_string()} y={(HEIGHT - BOTTOM + 16.0).to_string()} text-anchor="middle">{format::size(n)}</text>
                        </g>
                    }
                })}
                <text class="axis-title" x={((LEFT + WIDTH - RIGHT) / 2.0).to_string()} y={(HEIGHT - 6.0).to_string()} text-anchor="middle">{"n (log scale)"}</text>
                <text class="axis-title" x="14" y={((TOP + HEIGHT - BOTTOM) / 2.0).to_string()} text-anchor="middle"
                    transform={format!("rotate(-90 14 {})", (TOP + HEIGHT - BOTTOM) / 2.0)}>{chart.value_title}</text>
                {for lines.iter().map(|(engine, s, points)| {
                    let engine = *engine;
                    let slot = colours.slot(&s.name);
                    let at = |p: &LogLogPoint| (x.at(p.n as f64), y.at(p.value.max(y.domain.0)));
                    let path: Vec<String> = points.iter().map(|p| { let (px, py) = at(p); format!("{px:.1},{py:.1}") }).collect();
                    let dash = (engine == EngineId::Cpython).then_some(CPYTHON_DASH);
                    html! {
                        <g class={classes!("series", format!("series-{slot}"))} data-variant={s.name.clone()} data-engine={engine_key(engine)}>
                            <polyline class="line" points={path.join(" ")} stroke-dasharray={dash} />
                            {for points.iter().map(|p| {
                                let (px, py) = at(p);
                                let title = if grouped {
                                    format!("{} on {} at n={}: {}", s.name, engine.label(), p.n, p.text)
                                } else {
                                    format!("{} at n={}: {}", s.name, p.n, p.text)
                                };
                                html! {
                                    <g class="at-size" data-n={p.n.to_string()} data-peak-bytes={p.peak_bytes.map(|b| b.to_string())}>
                                        if let Some((low, high)) = p.interval {
                                            <line class="whisker" x1={px.to_string()} x2={px.to_string()}
                                                y1={y.at(low.max(y.domain.0)).to_string()} y2={y.at(high).to_string()} />
                                        }
                                        {point(engine, px, py, title)}
                                    </g>
                                }
                            })}
                        </g>
                    }
                })}
            </svg>
            <figcaption>
                {legend(chart, colours)}
                {chart.caption}
            </figcaption>
        </figure>
    }
}
