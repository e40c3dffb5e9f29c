//! The results: progress while a run streams in, the conditions the figures
//! were taken under, then the table, the bar chart, the distribution of the
//! samples and, for sweeps, the growth chart; memory beside time (a table,
//! and for sweeps peak memory against `n`); then the timelines (threads,
//! tasks, processes) and the profiles, when the run has them; export of
//! them; or, before any run, the results a shared link brought.

use yew::prelude::*;

use super::engine_note::EngineNote;
use super::memory_table::MemoryTable;
use super::shared_results::SharedResults;
use super::table::ResultsTable;
use super::verdict_line::VerdictLine;
use crate::components::charts::{BarChart, DistributionPlot, MemoryChart, SweepChart};
use crate::components::panes::ErrorMessage;
use crate::components::profile_views::ProfileViews;
use crate::components::share::ExportMenu;
use crate::components::timeline::TimelineViews;
use crate::components::{use_draft, use_engines, use_runs};
use crate::format;
use crate::state::{EngineState, Phase, RunView};
use pyrace_model::EngineId;
use pyrace_model::Mode;
use pyrace_model::RunStatus;

/// CPython's side of the conditions: its engine, how its run went.
fn cpython_conditions(run: &RunView) -> Html {
    let engine = run
        .comparison
        .as_ref()
        .map(|c| c.engine.clone())
        .or_else(|| run.engine.clone());
    let state = match (run.phase, &run.comparison) {
        (Phase::Running, _) if run.engine.is_none() => "waits for RustPython to finish".to_owned(),
        (Phase::Running, _) => "running".to_owned(),
        (_, Some(c)) => format!(
            "{}{} rounds · took {:.1} s of {} s budget",
            c.warmup
                .map(|w| format!("{} · ", w.describe()))
                .unwrap_or_default(),
            c.rounds,
            c.elapsed,
            run.options.budget
        ),
        (Phase::Finished { status, elapsed }, None) => format!(
            "{} after {elapsed:.2} s",
            match status {
                RunStatus::Ok => "finished",
                RunStatus::Failed => "failed",
                RunStatus::Stopped => "stopped",
            }
        ),
    };
    html! {
        <dl class="conditions cpython" aria-label="CPython conditions">
            <div><dt>{"CPython"}</dt><dd>{engine.unwrap_or_else(|| "CPython".to_owned())}{" · "}{state}</dd></div>
            <div><dt>{"Order"}</dt><dd>{"RustPython first, then CPython: never at once, each with the whole budget"}</dd></div>
        </dl>
    }
}

fn progress(run: &RunView, per_engine: bool) -> Html {
    let detail = match (&run.options.sweep, run.current_n) {
        (Some(sweep), Some(n)) => {
            let at = sweep
                .sizes
                .iter()
                .position(|&s| s == n)
                .map_or(0, |i| i + 1);
            format!(
                "{}={} ({at} of {} sizes) · round {}",
                sweep.var,
                format::size(n),
                sweep.sizes.len(),
                run.rounds_seen
            )
        }
        _ if run.mode.timed() && run.rounds_seen > 0 => format!("round {}", run.rounds_seen),
        _ if run.mode.timed() => "calibrating…".to_owned(),
        _ => "running…".to_owned(),
    };
    html! {
        <div class="run-progress" role="status">
            <progress aria-label="Run in progress"></progress>
            <span>{format!("Running · {detail} · budget {} s{}", run.options.budget, if per_engine { " per engine" } else { "" })}</span>
        </div>
    }
}

fn conditions(run: &RunView, engine: &EngineState) -> Html {
    let mut items: Vec<(&str, String)> = Vec::new();
    let engine_name = run
        .comparison
        .as_ref()
        .map(|c| c.engine.clone())
        .or_else(|| run.engine.clone())
        .unwrap_or_else(|| "starting…".to_owned());
    items.push(("Engine", engine_name));
    if let Some(info) = engine.info() {
        items.push((
            "Page",
            if info.isolated {
                "cross-origin isolated · threads on".to_owned()
            } else {
                "not isolated · single thread".to_owned()
            },
        ));
        items.push(("Timer step", format::duration(info.timer_resolution)));
    }
    if run.mode.timed() {
        items.push((
            "Samples",
            format!(
                "≥ {} each{}",
                format::duration(run.options.target_sample),
                // Statements are timed with the collector off, as timeit
                // does; whole programs run as they are.
                if run.mode == Mode::Program {
                    ""
                } else {
                    ", the collector off while they run"
                }
            ),
        ));
        if let Some(warmup) = run.comparison.as_ref().and_then(|c| c.warmup) {
            items.push(("Warm-up", warmup.describe()));
        }
        if let Some(comparison) = &run.comparison {
            items.push((
                "Rounds",
                format!(
                    "{} interleaved, in blocks of their own order",
                    comparison.rounds
                ),
            ));
            let loops: Vec<String> = comparison
                .variants
                .iter()
                .map(|v| format!("{} {}", v.name, v.loops))
                .collect();
            if !loops.is_empty() {
                items.push(("Loops per sample", loops.join(" · ")));
            }
            items.push((
                "Baseline",
                comparison.baseline.as_ref().map_or_else(
                    || "none".to_owned(),
                    |b| {
                        format!(
                            "{} per loop (empty statement), subtracted (timeit leaves it in its figures)",
                            format::duration(b.median)
                        )
                    },
                ),
            ));
            items.push((
                "Took",
                format!(
                    "{:.1} s of {} s budget",
                    comparison.elapsed, run.options.budget
                ),
            ));
        }
    }
    if let Some(overhead) = &run.gil_overhead {
        items.push((
            "GIL mode overhead",
            format!("×{:.2} on a one-thread CPU loop (measured)", overhead.ratio),
        ));
    }
    if let Phase::Finished { elapsed, status } = run.phase
        && (!run.mode.timed() || run.comparison.is_none())
    {
        let how = match status {
            RunStatus::Ok => "finished",
            RunStatus::Failed => "failed",
            RunStatus::Stopped => "stopped",
        };
        items.push(("Run", format!("{how} after {elapsed:.2} s")));
    }
    html! {
        <dl class="conditions" aria-label="Conditions">
            {for items.into_iter().map(|(term, value)| html! {
                <div><dt>{term}</dt><dd>{value}</dd></div>
            })}
        </dl>
    }
}

#[derive(Properties, PartialEq, Default)]
pub struct ResultsPanelProps {
    /// The embed's short form: no conditions list and no sample plot.
    #[prop_or_default]
    pub compact: bool,
}

/// Before any run: what Run will show, which depends on the mode. Its own
/// component, so that only it follows the draft.
#[function_component(NoResults)]
fn no_results() -> Html {
    crate::render_count::note("NoResults");
    let draft = use_draft();
    let text = match draft.mode {
        Mode::Run => "Run the programs to see their output here.",
        _ => {
            "Run to see the timings: a table, a bar chart with intervals, and the spread of the samples."
        }
    };
    html! {
        <section class="results empty" aria-label="Results"><p class="muted">{text}</p></section>
    }
}

#[function_component(ResultsPanel)]
pub fn results_panel(props: &ResultsPanelProps) -> Html {
    crate::render_count::note("ResultsPanel");
    let engines = use_engines();
    let runs = use_runs();
    let Some(run) = runs.run() else {
        if let Some(snapshot) = runs.shared[EngineId::Rustpython].clone() {
            return html! {
                <>
                    <SharedResults {snapshot} />
                    if let Some(snapshot) = runs.shared[EngineId::Cpython].clone() {
                        <SharedResults {snapshot} />
                    }
                </>
            };
        }
        return html! { <NoResults /> };
    };
    let stopped = matches!(
        run.phase,
        Phase::Finished {
            status: RunStatus::Stopped,
            ..
        }
    );
    // A run-level error that no pane shows (the setup's is shown at the setup).
    let loose_error = run.run_error.as_ref().filter(|e| {
        e.part
            .as_deref()
            .is_none_or(|part| run.panes.iter().all(|(_, n)| n != part) && part != "setup")
    });
    let budget_note = run.comparison.as_ref().filter(|c| c.budget_exhausted).map(|_| {
        html! {
            <p class="notice" role="note">
                {"The budget ran out before every round or size was taken: the figures rest on fewer samples. Give it a larger budget for tighter intervals."}
            </p>
        }
    });
    let results: Vec<_> = run
        .comparison
        .as_ref()
        .map(|c| c.variants.clone())
        .unwrap_or_else(|| run.done.values().cloned().collect());
    let sweep = run
        .comparison
        .as_ref()
        .map(|c| c.sweep.clone())
        .unwrap_or_default();
    let cpython = runs.part(EngineId::Cpython);
    let cpython_figures: Option<Vec<_>> = cpython.map(|c| {
        c.comparison
            .as_ref()
            .map(|c| c.variants.clone())
            .unwrap_or_else(|| c.done.values().cloned().collect())
    });
    let cpython_sweep = cpython.map(|c| {
        c.comparison
            .as_ref()
            .map(|c| c.sweep.clone())
            .unwrap_or_default()
    });
    let cpython_pending = cpython.is_some_and(RunView::running);
    // An error of CPython's run as a whole (its engine could not load…).
    let cpython_error = cpython.and_then(|c| c.run_error.clone()).filter(|e| {
        e.part
            .as_deref()
            .is_none_or(|part| run.panes.iter().all(|(_, n)| n != part) && part != "setup")
    });
    let note = match (
        run.comparison.as_ref(),
        cpython.and_then(|c| c.comparison.as_ref()),
    ) {
        (Some(rustpython), Some(cpython)) => {
            let codes = run.codes.clone();
            html! { <EngineNote rustpython={rustpython.clone()} cpython={cpython.clone()} {codes} /> }
        }
        _ => html! {},
    };
    let running = run.running() || cpython.is_some_and(|c| c.running());
    // Statements are measured for memory too; whole programs are not.
    let memory_engines = matches!(run.mode, Mode::Compare | Mode::Sweep).then(|| {
        let mut engines = vec![(EngineId::Rustpython, results.clone())];
        if let Some(cpython) = &cpython_figures {
            engines.push((EngineId::Cpython, cpython.clone()));
        }
        engines
    });

    html! {
        <section class="results" aria-label="Results" data-run-id={run.id.to_string()}
            data-phase={if running { "running" } else { "finished" }}
            data-engines={if cpython.is_some() { "rustpython cpython" } else { "rustpython" }}>
            if run.running() { {progress(run, cpython.is_some())} }
            if let Some(c) = cpython.filter(|c| c.running() && c.engine.is_some()) {
                <div class="cpython-progress">{progress(c, true)}</div>
            }
            if stopped {
                <p class="notice" role="status">{"Stopped. The figures below are what had arrived."}</p>
            }
            if let Some(error) = loose_error.cloned() {
                <ErrorMessage {error} />
            }
            {budget_note}
            if let Some(error) = cpython_error {
                <div class="cpython-error" data-engine="cpython"><ErrorMessage {error} /></div>
            }
            {note}
            if !props.compact {
                {conditions(run, engines.get(EngineId::Rustpython))}
                if let Some(c) = cpython { {cpython_conditions(c)} }
                if let Some(comparison) = run.comparison.clone().filter(|c| !run.running() && !c.variants.is_empty()) {
                    <ExportMenu {comparison} cpython={cpython.and_then(|c| c.comparison.clone()).filter(|_| !running)} />
                }
            }
            if let Some(check) = run.result_check.as_ref() {
                <p class={classes!("result-check", if check.agree { "agree" } else { "differ" })}
                    role={if check.agree { "status" } else { "alert" }}>
                    {check.sentence()}
                </p>
            }
            if run.mode.timed() && !run.running() {
                if let Some(comparison) = run.comparison.clone() {
                    <VerdictLine {comparison} engine={cpython.is_some().then_some(AttrValue::from("RustPython"))} />
                }
            }
            if let Some(comparison) = cpython.filter(|c| run.mode.timed() && !c.running()).and_then(|c| c.comparison.clone()) {
                <VerdictLine {comparison} engine={AttrValue::from("CPython")} />
            }
            if run.mode.timed() {
                <div class="result-views">
                    <ResultsTable results={results.clone()} cpython={cpython_figures.clone()} />
                    if let Some(engines) = memory_engines {
                        <MemoryTable {engines} {cpython_pending} />
                    }
                    <BarChart results={results.clone()} cpython={cpython_figures} {cpython_pending} />
                    if !props.compact {
                        <DistributionPlot />
                    }
                    if !sweep.is_empty() || cpython_sweep.as_ref().is_some_and(|s| !s.is_empty()) {
                        <SweepChart series={sweep.clone()} cpython={cpython_sweep.clone()} {cpython_pending} />
                        <MemoryChart series={sweep} cpython={cpython_sweep} {cpython_pending} />
                    }
                </div>
            }
            <TimelineViews />
            <ProfileViews />
            <crate::components::profile::TraceViews />
        </section>
    }
}
