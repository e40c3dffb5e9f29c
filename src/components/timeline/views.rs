//! The run's timelines (threads, asyncio tasks, child processes), one Gantt
//! chart per variant that reported one, with GIL mode's measured overhead
//! beside them when the run used GIL mode.

use yew::prelude::*;

use super::chart::TimelineChart;
use crate::components::thread_mode::GilOverheadNote;
use crate::components::use_series;

#[function_component(TimelineViews)]
pub fn timeline_views() -> Html {
    crate::render_count::note("TimelineViews");
    let series = use_series();
    let Some(run) = series.runs.run() else {
        return html! {};
    };
    if run.timelines.is_empty() && run.gil_overhead.is_none() {
        return html! {};
    }
    // In the panes' order, not by name.
    let mut names: Vec<&String> = run.timelines.keys().collect();
    names.sort_by_key(|name| series.slot(name));
    html! {
        <section class="timelines" aria-label="Timeline">
            <h2 class="section-title">{"Timeline: threads, tasks and processes over time"}</h2>
            if let Some(overhead) = run.gil_overhead.clone() {
                <GilOverheadNote {overhead} />
            }
            {for names.into_iter().map(|name| html! {
                <TimelineChart key={name.clone()} variant={name.clone()}
                    timeline={run.timelines[name].clone()} slot={series.slot(name)} />
            })}
        </section>
    }
}
