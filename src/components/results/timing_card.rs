//! A variant's own timing at the foot of its pane: the median per loop with
//! its interval and the ratio to the fastest, and beside them the peak
//! memory of one execution where measured, on each engine the run went
//! to. Its height is fixed, so the page does not jump when figures arrive.

use pyrace_model::EngineId;
use pyrace_model::verdict::{self, Standing};
use yew::prelude::*;

use crate::components::use_runs;
use crate::format;
use crate::state::RunView;

/// One engine's figures for the pane's variant in `run`.
fn figures(run: &RunView, key: u32) -> Html {
    match run.name_of(key) {
        None => html! { <span class="muted">{"not in the last run"}</span> },
        Some(name) => match run.result_of(name) {
            Some(result) => {
                // Every variant's result, once: the card's reading depends on them all.
                let all = run.results();
                html! {
                <>
                    <span class="median">{format::duration(result.time.median)}</span>
                    <span class="per">{"per loop"}</span>
                    <span class="ci">{format!("95% CI {}–{}", format::duration(result.time.ci_low), format::duration(result.time.ci_high))}</span>
                    <span class={classes!("ratio", (verdict::standing(&all, result) == Standing::Fastest).then_some("fastest"))}>
                        {verdict::ratio_text(&all, result)}
                    </span>
                    if let Some(memory) = result.memory {
                        <span class="peak" data-peak-bytes={memory.peak_bytes.to_string()}
                            title="Peak memory of one execution, net of the setup">
                            {format!("peak {}", format::bytes(memory.peak_bytes as f64))}
                        </span>
                    }
                </>
                }
            }
            None if run.error_in(name).is_some() => {
                html! { <span class="muted">{"no timing: it failed"}</span> }
            }
            None if run.running() && run.engine.is_none() => {
                html! { <span class="muted">{"waits for its turn…"}</span> }
            }
            None if run.running() => {
                let samples = run.samples_of(name).len();
                html! { <span class="muted">{if samples == 0 { "waiting…".to_owned() } else { format!("{samples} samples so far…") }}</span> }
            }
            None => html! { <span class="muted">{"no timing"}</span> },
        },
    }
}

#[derive(Properties, PartialEq)]
pub struct TimingCardProps {
    pub pane_key: u32,
    pub slot: usize,
}

#[function_component(TimingCard)]
pub fn timing_card(props: &TimingCardProps) -> Html {
    crate::render_count::note("TimingCard");
    let runs = use_runs();
    let body = match runs.run() {
        Some(run) if run.mode.timed() => match runs.part(EngineId::Cpython) {
            None => figures(run, props.pane_key),
            Some(cpython) => html! {
                <>
                    <div class="engine-figures" data-engine="rustpython">
                        <span class="engine-label">{"RustPython"}</span>{figures(run, props.pane_key)}
                    </div>
                    <div class="engine-figures" data-engine="cpython">
                        <span class="engine-label">{"CPython"}</span>{figures(cpython, props.pane_key)}
                    </div>
                </>
            },
        },
        Some(_) => {
            html! { <span class="muted">{"Ran once as a program: no timing in Run mode"}</span> }
        }
        None => html! { <span class="muted">{"Run to time this variant"}</span> },
    };
    html! {
        <footer class={classes!("timing-card", format!("series-{}", props.slot), runs.part(EngineId::Cpython).is_some().then_some("two-engines"))} aria-live="polite">{body}</footer>
    }
}
