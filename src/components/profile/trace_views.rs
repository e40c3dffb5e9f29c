//! The line tracer's views of a run, below the results: for each variant
//! on each engine that traced it, the call tree as an icicle and what the
//! program allocated. Time per line is in the editors' gutters. Says what
//! profiling costs, and that timed runs are never traced.

use std::collections::BTreeSet;
use std::rc::Rc;

use pyrace_model::limits::MEMORY_TOP_LINES;
use pyrace_model::{CallTree, EngineId, LineStat, TraceProfile};
use yew::prelude::*;

use super::flame_graph::FlameGraph;
use super::memory_figure::MemoryFigure;
use crate::components::use_series;
use crate::format;
use crate::state::RunView;

/// Lines ran but the profile has no time: the tracer's correction for
/// its hooks' cost took it all (`pyrace_profiler.Tracer.calibrate`).
fn lost_to_correction(trace: &TraceProfile) -> bool {
    trace.lines.total_seconds <= 0.0 && trace.lines.lines.iter().any(|l| l.hits > 0)
}

/// One variant on one engine.
fn variant_view(run: &RunView, name: &str, engine: EngineId, slot: usize) -> Html {
    let trace = run.traces.get(name);
    let memory = run.memory.get(name);
    let code = run
        .codes
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, code)| code.clone())
        .unwrap_or_default();
    let mut top: Vec<LineStat> = run
        .program_lines(name)
        .into_iter()
        .filter(|l| l.peak_bytes.is_some_and(|b| b > 0))
        .cloned()
        .collect();
    top.sort_by_key(|l| std::cmp::Reverse(l.peak_bytes));
    top.truncate(MEMORY_TOP_LINES);
    // In the page both engines leave the cost of calling the hooks in (the
    // clock is too coarse to measure it); natively it is taken out.
    let cost = if trace.is_some_and(|t| t.hook_seconds > 0.0) {
        "the tracer's own time left out"
    } else {
        "the cost of calling its hooks included, as line_profiler counts; their time inside left out"
    };
    let summary = trace.map(|t| {
        format!(
            " · {} under {} ({cost})",
            format::duration(t.lines.total_seconds),
            t.tracer
        )
    });
    html! {
        <div class="trace-view" data-variant={name.to_owned()} data-engine={engine.label()}>
            <h3 class="trace-title">
                <span class={classes!("swatch", format!("series-{slot}"))} aria-hidden="true"></span>
                <strong>{name.to_owned()}</strong>{format!(" on {}", engine.label())}{summary}
            </h3>
            if let Some(trace) = trace {
                if lost_to_correction(trace) {
                    <p class="pane-error trace-unusable" role="note">
                        {"The tracer's correction for its own cost came to more than the time it measured, so every line and call reads zero: the page's clock or a busy machine made its calibration too high. Run again."}
                    </p>
                }
                if trace.calls.nodes.is_empty() {
                    <p class="muted">{"No Python calls were traced."}</p>
                } else {
                    <FlameGraph tree={Rc::new(trace.calls.clone()) as Rc<CallTree>}
                        variant={AttrValue::from(name.to_owned())} engine={engine.label()} />
                }
            }
            if let Some(memory) = memory {
                <MemoryFigure memory={memory.clone()} top_lines={top} code={AttrValue::from(code)}
                    engine={engine.label()} />
            }
        </div>
    }
}

#[function_component(TraceViews)]
pub fn trace_views() -> Html {
    crate::render_count::note("TraceViews");
    let series = use_series();
    let parts: Vec<(EngineId, &RunView)> = EngineId::ALL
        .into_iter()
        .filter_map(|engine| series.runs.part(engine).map(|run| (engine, run)))
        .filter(|(_, run)| !run.traces.is_empty() || !run.memory.is_empty())
        .collect();
    if parts.is_empty() {
        return html! {};
    }
    let views = parts.iter().flat_map(|&(engine, run)| {
        let names: BTreeSet<&String> = run.traces.keys().chain(run.memory.keys()).collect();
        let mut names: Vec<&String> = names.into_iter().collect();
        names.sort_by_key(|name| series.slot(name));
        names
            .into_iter()
            .map(move |name| (engine, run, name))
            .collect::<Vec<_>>()
    });
    html! {
        <section class="trace-views" aria-label="Profile: calls and memory">
            <h2 class="section-title">{"Profile: lines, calls and memory"}</h2>
            <p class="muted profile-note profile-cost">
                {"Each program ran once under pyrace's line tracer (sys.monitoring on CPython, sys.settrace on RustPython): every line and call passes through it, so the run is slower than without it, and the shares say more than the seconds. Time per line is in each editor's gutter (orange RustPython, blue CPython): each line's share of the program's time, callees included, and its hits; hover a line's bar for its total and per-hit time. Timed runs (Compare, Sweep) are never traced."}
            </p>
            {for views.map(|(engine, run, name)| variant_view(run, name, engine, series.slot(name)))}
        </section>
    }
}
