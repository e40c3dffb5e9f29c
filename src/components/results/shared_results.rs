//! Results that came with a shared link or file: the figures as recorded,
//! labelled with when and on which engine, until a run here replaces them.

use pyrace_model::share::ResultsSnapshot;
use pyrace_model::verdict::{self, Verdict};
use yew::prelude::*;

use crate::format;

#[derive(Properties, PartialEq)]
pub struct SharedResultsProps {
    pub snapshot: ResultsSnapshot,
}

/// `2026-11-26 03:00 UTC` from an ISO 8601 time in UTC; anything else as written.
fn when(recorded: &str) -> String {
    match recorded.get(..16) {
        Some(minute) if recorded.ends_with('Z') && recorded.as_bytes().get(10) == Some(&b'T') => {
            format!("{} UTC", minute.replacen('T', " ", 1))
        }
        _ => recorded.to_owned(),
    }
}

#[function_component(SharedResults)]
pub fn shared_results(props: &SharedResultsProps) -> Html {
    crate::render_count::note("SharedResults");
    let snapshot = &props.snapshot;
    html! {
        <section class="results recorded" aria-label="Results">
            <p class="recorded-label">
                {format!("Recorded on {}, engine {}", when(&snapshot.recorded), snapshot.engine)}
                <span class="muted">{" — by whoever shared this, not on this machine. Run to measure here."}</span>
            </p>
            if let Some(verdict) = Verdict::of(&snapshot.variants) {
                <p class={classes!("verdict-sentence", (!verdict.clear).then_some("unclear"))}>{verdict.sentence()}</p>
            }
            <div class="table-wrap">
                <table class="results-table">
                    <caption>{"Time per loop, as recorded"}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{"variant"}</th>
                            <th scope="col">{"median"}</th>
                            <th scope="col">{"95% CI"}</th>
                            <th scope="col">{"vs fastest"}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {for snapshot.variants.iter().map(|r| {
                            html! {
                                <tr data-variant={r.name.clone()}>
                                    <th scope="row">
                                        {r.name.clone()}
                                        {r.n.map(|n| format!(" (n={})", format::size(n))).unwrap_or_default()}
                                    </th>
                                    <td class="num median">{format::duration(r.median)}</td>
                                    <td class="num">{format!("{}–{}", format::duration(r.ci_low), format::duration(r.ci_high))}</td>
                                    <td class="num ratio">{verdict::ratio_text(&snapshot.variants, r)}</td>
                                </tr>
                            }
                        })}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
