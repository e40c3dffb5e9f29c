//! Time per loop against `n` on log-log axes, one line per variant with its
//! interval at each size, and the fitted growth beside its name. When the
//! run went to CPython too, both engines' lines share the axes: RustPython's
//! solid with round points, CPython's dashed with square ones, and the
//! legend gives each engine's growth labels under its name.

use pyrace_model::SweepSeries;
use pyrace_model::engines::EngineId;
use yew::prelude::*;

use super::axis::engine_key;
use super::scale::Scale;
use crate::components::use_series;
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

#[derive(Properties, PartialEq)]
pub struct SweepChartProps {
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
fn legend_entry(engine: EngineId, s: &SweepSeries, slot: usize) -> Html {
    html! {
        <li data-variant={s.name.clone()} data-engine={engine_key(engine)}>
            {legend_key(engine, slot)}
            <strong>{s.name.clone()}</strong>{" "}
            <span class="growth">{s.growth.map(|g| g.label()).unwrap_or_else(|| "growth: too few sizes".into())}</span>
            {s.growth.map(|g| match g.class {
                Some(_) => format!("\u{a0}· slope {:.2}", g.exponent),
                None => String::new(),
            }).unwrap_or_default()}
            {s.growth.map(|g| html! {
                <span class="fit-quality" title="Relative root-mean-square error of the chosen curve, and of the next best curve: the closer the two, the less sure the label">
                    {format!("\u{a0}· {}", g.fit_quality())}
                </span>
            }).unwrap_or_default()}
        </li>
    }
}

#[function_component(SweepChart)]
pub fn sweep_chart(props: &SweepChartProps) -> Html {
    crate::render_count::note("SweepChart");
    let colours = use_series();
    let mut lanes: Vec<(EngineId, &[SweepSeries])> = vec![(EngineId::Rustpython, &props.series)];
    if let Some(cpython) = &props.cpython {
        lanes.push((EngineId::Cpython, cpython));
    }
    let grouped = lanes.len() > 1;
    let all_series = || {
        lanes
            .iter()
            .flat_map(|(e, list)| list.iter().map(move |s| (*e, s)))
    };
    let points = || all_series().flat_map(|(_, s)| s.points.iter());
    if points().next().is_none() {
        return html! {};
    }
    let n_min = points().map(|p| p.n).min().unwrap_or(1).max(1) as f64;
    let n_max = points().map(|p| p.n).max().unwrap_or(10) as f64;
    let t_min = points()
        .map(|p| p.low.max(p.median * 0.5))
        .filter(|t| *t > 0.0)
        .fold(f64::INFINITY, f64::min);
    let t_max = points().map(|p| p.high.max(p.median)).fold(0.0, f64::max);
    let x = Scale::log10((n_min, n_max), (LEFT, WIDTH - RIGHT));
    let y = Scale::log10((t_min, t_max), (HEIGHT - BOTTOM, TOP));
    let sizes: Vec<u64> = {
        let mut sizes: Vec<u64> = points().map(|p| p.n).collect();
        sizes.sort_unstable();
        sizes.dedup();
        sizes
    };
    let growth_of = |s: &SweepSeries| {
        s.growth
            .map(|g| g.label())
            .unwrap_or_else(|| "growth unknown".into())
    };
    let summary = all_series()
        .map(|(engine, s)| {
            if grouped {
                format!("{} on {} {}", s.name, engine.label(), growth_of(s))
            } else {
                format!("{} {}", s.name, growth_of(s))
            }
        })
        .collect::<Vec<_>>()
        .join(", ");

    html! {
        <figure class={classes!("chart", "sweep-chart", grouped.then_some("two-engines"))}>
            <svg viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img"
                aria-label={format!("Time per loop against n, log-log: {summary}")}>
                {for y.ticks(0).into_iter().map(|t| {
                    let py = y.at(t);
                    html! {
                        <g class="tick">
                            <line class="grid" x1={LEFT.to_string()} x2={(WIDTH - RIGHT).to_string()} y1={py.to_string()} y2={py.to_string()} />
                            <text x={(LEFT - 6.0).to_string()} y={(py + 4.0).to_string()} text-anchor="end">{format::duration(t)}</text>
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
                    transform={format!("rotate(-90 14 {})", (TOP + HEIGHT - BOTTOM) / 2.0)}>{"time per loop (log)"}</text>
                {for all_series().map(|(engine, s)| {
                    let slot = colours.slot(&s.name);
                    let path: Vec<String> = s.points.iter().map(|p| format!("{:.1},{:.1}", x.at(p.n as f64), y.at(p.median.max(y.domain.0)))).collect();
                    let dash = (engine == EngineId::Cpython).then_some(CPYTHON_DASH);
                    html! {
                        <g class={classes!("series", format!("series-{slot}"))} data-variant={s.name.clone()} data-engine={engine_key(engine)}>
                            <polyline class="line" points={path.join(" ")} stroke-dasharray={dash} />
                            {for s.points.iter().map(|p| {
                                let px = x.at(p.n as f64);
                                let title = if grouped {
                                    format!("{} on {} at n={}: {}", s.name, engine.label(), p.n, format::duration(p.median))
                                } else {
                                    format!("{} at n={}: {}", s.name, p.n, format::duration(p.median))
                                };
                                html! {
                                    <g>
                                        <line class="whisker" x1={px.to_string()} x2={px.to_string()}
                                            y1={y.at(p.low.max(y.domain.0)).to_string()} y2={y.at(p.high).to_string()} />
                                        {point(engine, px, y.at(p.median.max(y.domain.0)), title)}
                                    </g>
                                }
                            })}
                        </g>
                    }
                })}
            </svg>
            <figcaption>
                if grouped {
                    {for lanes.iter().map(|(engine, list)| html! {
                        <div class="engine-legend" data-engine={engine_key(*engine)}>
                            <span class="engine-name">{engine.label()}{match engine {
                                EngineId::Rustpython => " (solid lines, round points)",
                                EngineId::Cpython => " (dashed lines, square points)",
                            }}</span>
                            if list.is_empty() {
                                <span class="missing">{if props.cpython_pending { " · lines not measured yet" } else { " · no lines" }}</span>
                            } else {
                                <ul class="legend">
                                    {for list.iter().map(|s| legend_entry(*engine, s, colours.slot(&s.name)))}
                                </ul>
                            }
                        </div>
                    })}
                } else {
                    <ul class="legend">
                        {for props.series.iter().map(|s| legend_entry(EngineId::Rustpython, s, colours.slot(&s.name)))}
                    </ul>
                }
                {"Median time per loop at each size, with its 95% interval; slope of the log-log line over the larger sizes."}
            </figcaption>
        </figure>
    }
}
