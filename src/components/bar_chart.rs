//! Per-loop medians as horizontal bars with their 95% intervals as whiskers;
//! the fastest is marked. When the variants differ by more than 30× the axis
//! turns logarithmic (and says so), or the small bars would vanish.

use pyrace_model::VariantResult;
use pyrace_model::verdict::{self, Standing};
use yew::prelude::*;

use super::chart_axis::{AXIS, TOP, WIDTH, row_label, time_scale, time_ticks};
use super::use_series;
use crate::format;

/// Room for the value labels right of the bars.
const RIGHT: f64 = 120.0;
const ROW: f64 = 30.0;

#[derive(Properties, PartialEq)]
pub struct BarChartProps {
    pub results: Vec<VariantResult>,
}

#[function_component(BarChart)]
pub fn bar_chart(props: &BarChartProps) -> Html {
    crate::render_count::note("BarChart");
    let series = use_series();
    let results = &props.results;
    if results.is_empty() {
        return html! {};
    }
    let max = results
        .iter()
        .map(|r| r.time.ci_high.max(r.time.median))
        .fold(0.0, f64::max);
    let min = results
        .iter()
        .map(|r| r.time.median)
        .filter(|t| *t > 0.0)
        .fold(f64::INFINITY, f64::min);
    let (scale, log) = time_scale(min * 0.8, max, RIGHT);
    let origin = if log { scale.range.0 } else { scale.at(0.0) };
    let height = TOP + ROW * results.len() as f64 + AXIS;
    let axis_y = TOP + ROW * results.len() as f64;
    let summary = results
        .iter()
        .map(|r| format!("{} {}", r.name, format::duration(r.time.median)))
        .collect::<Vec<_>>()
        .join(", ");

    html! {
        <figure class="chart bar-chart">
            <svg viewBox={format!("0 0 {WIDTH} {height}")} role="img"
                aria-label={format!("Median time per loop: {summary}")}>
                {time_ticks(&scale, axis_y)}
                <line class="axis" x1={origin.to_string()} x2={origin.to_string()} y1={TOP.to_string()} y2={axis_y.to_string()} />
                {for results.iter().enumerate().map(|(i, r)| {
                    let y = TOP + ROW * i as f64;
                    let mid = y + ROW / 2.0;
                    let bar_end = scale.at(r.time.median.max(scale.domain.0));
                    let (low, high) = (scale.at(r.time.ci_low.max(scale.domain.0)), scale.at(r.time.ci_high));
                    let slot = series.slot(&r.name);
                    html! {
                        <g class={classes!("bar", format!("series-{slot}"), (verdict::standing(results, r) == Standing::Fastest).then_some("fastest"))} data-variant={r.name.clone()}>
                            {row_label(&r.name, mid)}
                            <rect x={origin.to_string()} y={(y + 6.0).to_string()} width={(bar_end - origin).max(1.0).to_string()}
                                height={(ROW - 12.0).to_string()} rx="2" class="fill" />
                            <line class="whisker" x1={low.to_string()} x2={high.to_string()} y1={mid.to_string()} y2={mid.to_string()} />
                            <line class="whisker" x1={low.to_string()} x2={low.to_string()} y1={(mid - 5.0).to_string()} y2={(mid + 5.0).to_string()} />
                            <line class="whisker" x1={high.to_string()} x2={high.to_string()} y1={(mid - 5.0).to_string()} y2={(mid + 5.0).to_string()} />
                            <text x={(WIDTH - RIGHT + 8.0).to_string()} y={(mid + 4.0).to_string()} class="value">
                                {format::duration(r.time.median)}
                                {match verdict::standing(results, r) {
                                    Standing::Fastest => " ★".to_owned(),
                                    Standing::LowestMedian => String::new(),
                                    Standing::Slower => format!(" ×{}", format::three_digits(r.ratio.value)),
                                    Standing::NotClear => format!(" ×{}?", format::three_digits(r.ratio.value)),
                                }}
                            </text>
                        </g>
                    }
                })}
            </svg>
            <figcaption>
                {"Median time per loop; whiskers: 95% confidence interval; ★ clearly fastest; ? no clear difference from the fastest"}
                {if log { " · logarithmic axis" } else { "" }}
            </figcaption>
        </figure>
    }
}
