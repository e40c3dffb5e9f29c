//! What the last run says about one pane: its errors (with the run they came
//! from, so the same line is marked again after a rerun), its output, and
//! what it gave when the same-result check found the variants differ. The
//! playground's panes and the embed's show the same things.

use pyrace_model::EngineId;
use pyrace_model::PyError;
use yew::AttrValue;

use crate::state::{Output, RunView, Runs};

/// A pane's share of the last run.
#[derive(Default)]
pub struct PaneRun {
    pub error: Option<(u64, PyError)>,
    pub setup_error: Option<(u64, PyError)>,
    /// Its own output, with what to say when it is empty: always in Run
    /// mode, where output is the result; otherwise only when the code printed.
    pub output: Option<(Output, AttrValue)>,
    /// What it gave, when the same-result check found the variants differ.
    pub gave: Option<String>,
}

impl PaneRun {
    /// The pane's share of the run's part on `engine`, if it has one.
    pub fn of(runs: &Runs, engine: EngineId, key: u32) -> PaneRun {
        PaneRun::of_run(runs.part(engine), key)
    }

    fn of_run(run: Option<&RunView>, key: u32) -> PaneRun {
        let Some((run, name)) = run.and_then(|run| run.name_of(key).map(|name| (run, name))) else {
            return PaneRun::default();
        };
        let error = run.error_in(name).map(|e| (run.id, e.clone()));
        let setup_error = run
            .error_in(&format!("{name} setup"))
            .map(|e| (run.id, e.clone()));
        let output = run.output_of(name).cloned().unwrap_or_default();
        let empty = if run.running() {
            "running…"
        } else {
            "no output"
        };
        let output = (!run.mode.timed() || !output.text.is_empty())
            .then(|| (output, AttrValue::from(empty)));
        let gave = run
            .result_check
            .as_ref()
            .filter(|check| !check.agree)
            .and_then(|check| check.values.iter().find(|v| v.variant == name))
            .map(|v| v.repr.clone().unwrap_or_else(|| "nothing".to_owned()));
        PaneRun {
            error,
            setup_error,
            output,
            gave,
        }
    }

    /// The line to mark in the code's editor.
    pub fn error_mark(&self) -> Option<(u64, u32)> {
        mark(&self.error)
    }

    /// The line to mark in the pane's own setup.
    pub fn setup_error_mark(&self) -> Option<(u64, u32)> {
        mark(&self.setup_error)
    }
}

fn mark(error: &Option<(u64, PyError)>) -> Option<(u64, u32)> {
    error
        .as_ref()
        .and_then(|(id, e)| e.line.map(|line| (*id, line)))
}
