//! The results table: per-loop median with its interval, spread, rate and
//! the ratio to the fastest (with its own interval); with CPython on, a
//! column group of CPython's median and ratio beside RustPython's.

use pyrace_model::VariantResult;
use pyrace_model::verdict::{self, Standing};
use yew::prelude::*;

use crate::components::use_series;
use crate::format;

#[derive(Properties, PartialEq)]
pub struct ResultsTableProps {
    pub results: Vec<VariantResult>,
    /// CPython's results of the same run (`Some`, maybe empty so far, when
    /// the run went to CPython too).
    #[prop_or_default]
    pub cpython: Option<Vec<VariantResult>>,
}

/// CPython's two cells for a variant.
fn cpython_cells(cpython: &[VariantResult], name: &str) -> Html {
    match cpython.iter().find(|r| r.name == name) {
        Some(r) => html! {
            <>
                <td class="num median cpython">{format::duration(r.time.median)}</td>
                <td class="num ratio cpython">{verdict::ratio_text(cpython, r)}</td>
            </>
        },
        None => {
            html! { <><td class="num muted cpython">{"—"}</td><td class="num muted cpython">{"—"}</td></> }
        }
    }
}

#[function_component(ResultsTable)]
pub fn results_table(props: &ResultsTableProps) -> Html {
    crate::render_count::note("ResultsTable");
    let series = use_series();
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
                    if props.cpython.is_some() {
                        <tr class="engine-group">
                            <td></td>
                            <th scope="colgroup" colspan="5">{"RustPython"}</th>
                            <th scope="colgroup" colspan="2" class="cpython">{"CPython"}</th>
                        </tr>
                    }
                    <tr>
                        <th scope="col">{"variant"}</th>
                        <th scope="col">{"median"}</th>
                        <th scope="col">{"95% CI"}</th>
                        <th scope="col">{"± IQR/2"}</th>
                        <th scope="col">{"ops"}</th>
                        <th scope="col">{"vs fastest"}</th>
                        if props.cpython.is_some() {
                            <th scope="col" class="cpython">{"median"}</th>
                            <th scope="col" class="cpython">{"vs fastest"}</th>
                        }
                    </tr>
                </thead>
                <tbody>
                    {for props.results.iter().map(|r| html! {
                        <tr class={classes!((verdict::standing(&props.results, r) == Standing::Fastest).then_some("fastest"))} data-variant={r.name.clone()}>
                            <th scope="row">
                                <span class={classes!("swatch", format!("series-{}", series.slot(&r.name)))} aria-hidden="true"></span>
                                {r.name.clone()}
                            </th>
                            <td class="num median">{format::duration(r.time.median)}</td>
                            <td class="num">{format!("{}–{}", format::duration(r.time.ci_low), format::duration(r.time.ci_high))}</td>
                            <td class="num">{format::duration(r.time.iqr() / 2.0)}</td>
                            <td class="num">{format::rate(r.ops_per_sec)}</td>
                            <td class="num ratio">{verdict::ratio_text(&props.results, r)}</td>
                            if let Some(cpython) = &props.cpython {
                                {cpython_cells(cpython, &r.name)}
                            }
                        </tr>
                    })}
                </tbody>
            </table>
        </div>
    }
}
