//! The results: progress while a run streams in, the conditions the figures
//! were taken under, then the table, the bar chart, the distribution of the
//! samples and, for sweeps, the growth chart; then the timelines (threads,
//! tasks, processes) and the profiles, when the run has them; export of
//! them; or, before any run, the results a shared link brought.

use yew::prelude::*;

use super::bar_chart::BarChart;
use super::distribution_plot::DistributionPlot;
use super::error_message::ErrorMessage;
use super::export_menu::ExportMenu;
use super::profile_views::ProfileViews;
use super::results_table::ResultsTable;
use super::shared_results::SharedResults;
use super::sweep_chart::SweepChart;
use super::timeline_views::TimelineViews;
use super::use_handle;
use crate::format;
use crate::state::{EngineState, Phase, PlayMode, RunView};
use pyrace_model::RunStatus;

fn progress(run: &RunView) -> Html {
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
            <span>{format!("Running · {detail} · budget {} s", run.options.budget)}</span>
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
                "≥ {} each · {} warm-up round{}",
                format::duration(run.options.target_sample),
                run.options.warmup_rounds,
                if run.options.warmup_rounds == 1 {
                    ""
                } else {
                    "s"
                }
            ),
        ));
        if let Some(comparison) = &run.comparison {
            items.push(("Rounds", format!("{} interleaved", comparison.rounds)));
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
                            "{} per loop (empty statement), subtracted",
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

#[function_component(ResultsPanel)]
pub fn results_panel(props: &ResultsPanelProps) -> Html {
    let handle = use_handle();
    let Some(run) = handle.run.as_ref() else {
        if let Some(snapshot) = handle.shared_results.clone() {
            return html! { <SharedResults {snapshot} /> };
        }
        let text = match handle.draft.mode {
            PlayMode::Run => "Run the programs to see their output here.",
            _ => {
                "Run to see the timings: a table, a bar chart with intervals, and the spread of the samples."
            }
        };
        return html! {
            <section class="results empty" aria-label="Results"><p class="muted">{text}</p></section>
        };
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

    html! {
        <section class="results" aria-label="Results" data-run-id={run.id.to_string()}
            data-phase={if run.running() { "running" } else { "finished" }}>
            if run.running() { {progress(run)} }
            if stopped {
                <p class="notice" role="status">{"Stopped. The figures below are what had arrived."}</p>
            }
            if let Some(error) = loose_error.cloned() {
                <ErrorMessage {error} />
            }
            {budget_note}
            if !props.compact {
                {conditions(run, &handle.engine)}
                if let Some(comparison) = run.comparison.clone().filter(|c| !run.running() && !c.variants.is_empty()) {
                    <ExportMenu {comparison} />
                }
            }
            if run.mode.timed() {
                <div class="result-views">
                    <ResultsTable results={results.clone()} />
                    <BarChart results={results.clone()} />
                    if !props.compact {
                        <DistributionPlot />
                    }
                    if !sweep.is_empty() {
                        <SweepChart series={sweep} />
                    }
                </div>
            }
            <TimelineViews />
            <ProfileViews />
        </section>
    }
}
