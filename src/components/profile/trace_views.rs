//! The line tracer's views of a run, below the results: for each variant
//! on each engine that traced it, the call trees (one per thread) as
//! icicles and what the program allocated. Time per line is in the
//! editors' gutters. Says what profiling costs, that timed runs are never
//! traced, and when a profile ends at a Stop.

use std::collections::BTreeSet;
use std::rc::Rc;

use pyrace_model::limits::{HOOKS_DOMINATE, MEMORY_TOP_LINES};
use pyrace_model::{EngineId, LineStat, RunStatus, ThreadCalls, TraceProfile};
use yew::prelude::*;

use super::memory_figure::MemoryFigure;
use super::thread_trees::ThreadTrees;
use crate::components::use_series;
use crate::format;
use crate::state::{Phase, RunView};

/// What CPython in the page says of a program whose threads ran on
/// RustPython only.
const NO_THREADS_HERE: &str = "CPython in the browser (Pyodide) cannot start threads: this program's threads ran on RustPython only, where each has its call tree.";

/// Lines ran but the profile has no time: the tracer's correction for
/// its hooks' cost took it all (`pyrace_profiler.Tracer.calibrate`).
fn lost_to_correction(trace: &TraceProfile) -> bool {
    trace.lines.total_seconds <= 0.0 && trace.lines.lines.iter().any(|l| l.hits > 0)
}

/// What a variant's view says besides its figures.
struct Notes {
    /// The run was stopped while this variant ran: its profile ends there.
    stopped: bool,
    /// The other engine ran this program's threads, which this one could not.
    threads_elsewhere: bool,
}

/// One variant on one engine.
fn variant_view(run: &RunView, name: &str, engine: EngineId, slot: usize, notes: Notes) -> Html {
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
    // In the page both engines leave the cost of calling the hooks in (a
    // correction is no better than its calibration, whose spread can pass
    // a program's own time); natively it is taken out. Both measure it.
    let share = trace.and_then(|t| t.hook_share);
    let taken_out = trace.is_some_and(|t| t.hook_seconds > 0.0);
    let about = share.map_or(String::new(), |s| {
        format!(", {} of the traced time", TraceProfile::hook_share_words(s))
    });
    let cost = if taken_out {
        format!("the tracer's own time left out, its hooks' cost{about} too")
    } else {
        format!("the cost of calling its hooks included{about}, as line_profiler counts; their time inside left out")
    };
    let hooks_dominate = share.filter(|s| !taken_out && *s >= HOOKS_DOMINATE);
    let summary = trace.map(|t| {
        let threads = if t.threads.len() > 1 {
            format!(
                ", {} threads: {} in all threads",
                t.threads.len(),
                format::duration(t.lines.total_seconds)
            )
        } else {
            String::new()
        };
        let main = t
            .main_calls()
            .filter(|_| t.threads.len() > 1)
            .map_or(t.lines.total_seconds, |calls| calls.total());
        format!(
            " · {} under {}{threads} ({cost})",
            format::duration(main),
            t.tracer
        )
    });
    html! {
        <div class="trace-view" data-variant={name.to_owned()} data-engine={engine.label()}>
            <h3 class="trace-title">
                <span class={classes!("swatch", format!("series-{slot}"))} aria-hidden="true"></span>
                <strong>{name.to_owned()}</strong>{format!(" on {}", engine.label())}{summary}
            </h3>
            if notes.stopped {
                <p class="notice trace-stopped" role="note">
                    {"Stopped: this profile is of the run up to the Stop, and its lines' shares of the time until then."}
                </p>
            }
            if notes.threads_elsewhere {
                <p class="muted profile-note trace-no-threads" role="note">{NO_THREADS_HERE}</p>
            }
            if let Some(share) = hooks_dominate {
                <p class="notice trace-hook-share" role="note" data-hook-share={share.to_string()}>
                    {format!("Most of this profile is the tracer's own cost: calling its hooks took {} of the traced time. Lines and calls that do little work each (a short line in a loop, a small function called often, a generator's items) read far above their untraced share; time the candidates in Compare to weigh them.", TraceProfile::hook_share_words(share))}
                </p>
            }
            if let Some(trace) = trace {
                if lost_to_correction(trace) {
                    <p class="pane-error trace-unusable" role="note">
                        {"The tracer's correction for its own cost came to more than the time it measured, so every line and call reads zero: this program's lines and calls do less work than calling a hook costs, and the calibration's error outweighed it. Profile a larger piece of work, or time the candidates in Compare."}
                    </p>
                }
                if trace.threads.iter().all(|t| t.calls.nodes.is_empty()) {
                    <p class="muted">{"No Python calls were traced."}</p>
                } else {
                    <ThreadTrees threads={Rc::new(trace.threads.clone()) as Rc<Vec<ThreadCalls>>}
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
    // Programs whose threads each got a tree on RustPython.
    let threaded: BTreeSet<&String> = series
        .runs
        .part(EngineId::Rustpython)
        .map(|run| {
            run.traces
                .iter()
                .filter(|(_, t)| t.threads.len() > 1)
                .map(|(name, _)| name)
                .collect()
        })
        .unwrap_or_default();
    let views = parts.iter().flat_map(|&(engine, run)| {
        let names: BTreeSet<&String> = run.traces.keys().chain(run.memory.keys()).collect();
        let mut names: Vec<&String> = names.into_iter().collect();
        names.sort_by_key(|name| series.slot(name));
        // Variants run in turn: a Stop ends the last one that has begun.
        let stopped = matches!(
            run.phase,
            Phase::Finished {
                status: RunStatus::Stopped,
                ..
            }
        )
        .then(|| names.last().copied())
        .flatten();
        let threaded = &threaded;
        names
            .into_iter()
            .map(move |name| {
                let notes = Notes {
                    stopped: stopped == Some(name),
                    threads_elsewhere: engine == EngineId::Cpython && threaded.contains(name),
                };
                (engine, run, name, notes)
            })
            .collect::<Vec<_>>()
    });
    html! {
        <section class="trace-views" aria-label="Profile: calls and memory">
            <h2 class="section-title">{"Profile: lines, calls and memory"}</h2>
            <p class="muted profile-note profile-cost">
                {"Each program ran once under pyrace's line tracer (sys.monitoring on CPython, sys.settrace on RustPython): every line and call passes through it, so the run is slower than without it, and the shares say more than the seconds. Time per line is in each editor's gutter (orange RustPython, blue CPython): each line's share of the program's time, callees included, and its hits; hover a line's bar for its total and per-hit time. A program that starts threads gets a call tree per thread (pick one above its icicle), and its lines are of all threads together, each a share of all threads' time. Timed runs (Compare, Sweep) are never traced."}
            </p>
            {for views.map(|(engine, run, name, notes)| variant_view(run, name, engine, series.slot(name), notes))}
        </section>
    }
}
