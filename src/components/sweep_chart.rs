//! Time per loop against `n` on log-log axes, one line per variant with its
//! interval at each size, and the fitted growth beside its name.

use pyrace_model::SweepSeries;
use yew::prelude::*;

use super::use_series;
use crate::chart_scale::Scale;
use crate::format;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 320.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 44.0;

#[derive(Properties, PartialEq)]
pub struct SweepChartProps {
    pub series: Vec<SweepSeries>,
}

#[function_component(SweepChart)]
pub fn sweep_chart(props: &SweepChartProps) -> Html {
    crate::render_count::note("SweepChart");
    let series = use_series();
    let points = || props.series.iter().flat_map(|s| s.points.iter());
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

    html! {
        <figure class="chart sweep-chart">
            <svg viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img"
                aria-label={format!("Time per loop against n, log-log: {}", props.series.iter()
                    .map(|s| format!("{} {}", s.name, s.growth.map(|g| g.label()).unwrap_or_else(|| "growth unknown".into())))
                    .collect::<Vec<_>>().join(", "))}>
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
                {for props.series.iter().map(|s| {
                    let slot = series.slot(&s.name);
                    let path: Vec<String> = s.points.iter().map(|p| format!("{:.1},{:.1}", x.at(p.n as f64), y.at(p.median.max(y.domain.0)))).collect();
                    html! {
                        <g class={classes!("series", format!("series-{slot}"))} data-variant={s.name.clone()}>
                            <polyline class="line" points={path.join(" ")} />
                            {for s.points.iter().map(|p| {
                                let px = x.at(p.n as f64);
                                html! {
                                    <g>
                                        <line class="whisker" x1={px.to_string()} x2={px.to_string()}
                                            y1={y.at(p.low.max(y.domain.0)).to_string()} y2={y.at(p.high).to_string()} />
                                        <circle class="point" cx={px.to_string()} cy={y.at(p.median.max(y.domain.0)).to_string()} r="3.5">
                                            <title>{format!("{} at n={}: {}", s.name, p.n, format::duration(p.median))}</title>
                                        </circle>
                                    </g>
                                }
                            })}
                        </g>
                    }
                })}
            </svg>
            <figcaption>
                <ul class="legend">
                    {for props.series.iter().map(|s| {
                        let slot = series.slot(&s.name);
                        html! {
                            <li data-variant={s.name.clone()}>
                                <span class={classes!("swatch", format!("series-{slot}"))} aria-hidden="true"></span>
                                <strong>{s.name.clone()}</strong>{" "}
                                <span class="growth">{s.growth.map(|g| g.label()).unwrap_or_else(|| "growth: too few sizes".into())}</span>
                                {s.growth.map(|g| match g.class {
                                    Some(_) => format!(" · slope {:.2}", g.exponent),
                                    None => String::new(),
                                }).unwrap_or_default()}
                                {s.growth.map(|g| html! {
                                    <span class="fit-quality" title="Relative root-mean-square error of the chosen curve, and of the next best curve: the closer the two, the less sure the label">
                                        {format!(" · {}", g.fit_quality())}
                                    </span>
                                }).unwrap_or_default()}
                            </li>
                        }
                    })}
                </ul>
                {"Median time per loop at each size, with its 95% interval; slope of the log-log line over the larger sizes."}
            </figcaption>
        </figure>
    }
}
