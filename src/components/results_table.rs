//! The results table: per-loop median with its interval, spread, rate and
//! the ratio to the fastest (with its own interval).

use pyrace_model::VariantResult;
use yew::prelude::*;

use super::{series_slot, use_handle};
use crate::format;

#[derive(Properties, PartialEq)]
pub struct ResultsTableProps {
    pub results: Vec<VariantResult>,
}

#[function_component(ResultsTable)]
pub fn results_table(props: &ResultsTableProps) -> Html {
    let handle = use_handle();
    if props.results.is_empty() {
        return html! {};
    }
    let at_n = props.results.iter().find_map(|r| r.n);
    html! {
        <div class="table-wrap">
            <table class="results-table">
                <caption>
                    {"Time per loop, net of the baseline"}
                    {at_n.map(|n| format!(" · at n={}", format::size(n))).unwrap_or_default()}
                </caption>
                <thead>
                    <tr>
                        <th scope="col">{"variant"}</th>
                        <th scope="col">{"median"}</th>
                        <th scope="col">{"95% CI"}</th>
                        <th scope="col">{"± IQR/2"}</th>
                        <th scope="col">{"ops"}</th>
                        <th scope="col">{"vs fastest"}</th>
                    </tr>
                </thead>
                <tbody>
                    {for props.results.iter().map(|r| html! {
                        <tr class={classes!(r.fastest.then_some("fastest"))} data-variant={r.name.clone()}>
                            <th scope="row">
                                <span class={classes!("swatch", format!("series-{}", series_slot(&handle, &r.name)))} aria-hidden="true"></span>
                                {r.name.clone()}
                            </th>
                            <td class="num median">{format::duration(r.time.median)}</td>
                            <td class="num">{format!("{}–{}", format::duration(r.time.ci_low), format::duration(r.time.ci_high))}</td>
                            <td class="num">{format::duration(r.time.iqr() / 2.0)}</td>
                            <td class="num">{format::rate(r.ops_per_sec)}</td>
                            <td class="num ratio">
                                {format::ratio(r.ratio.value, r.fastest)}
                                if !r.fastest {
                                    <span class="muted">{" "}{format::ratio_interval(r.ratio.low, r.ratio.high)}</span>
                                }
                            </td>
                        </tr>
                    })}
                </tbody>
            </table>
        </div>
    }
}
