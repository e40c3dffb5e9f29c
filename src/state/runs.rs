//! The run slice: the current (or last) run on RustPython and on CPython,
//! the problems that kept panes out of it, and the results a shared link
//! brought, shown until a run here replaces them. Events of any run but the
//! current one are dropped here, so a stopped run's stragglers can never
//! overwrite a newer result.

use std::collections::BTreeMap;

use pyrace_model::share::ResultsSnapshot;
use pyrace_model::{PyErrorKind, RunEvent, RunStatus};

use super::prepare::{Refusal, StartedRun};
use super::run_view::RunView;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Runs {
    pub run: Option<RunView>,
    /// The current run's CPython part: running once RustPython's is done
    /// (the two never share the cores), `engine` unset until it starts.
    pub cpython_run: Option<RunView>,
    /// Problems found in the panes before the last run (empty, duplicate…).
    pub problems: BTreeMap<u32, String>,
    /// A problem with the sweep sizes, shown beside their field.
    pub sweep_problem: Option<String>,
    pub last_run_id: u64,
    /// Results recorded by whoever shared the open link or file, shown
    /// until a run here replaces them.
    pub shared_results: Option<ResultsSnapshot>,
    /// CPython's, beside them.
    pub shared_cpython_results: Option<ResultsSnapshot>,
}

impl Runs {
    /// A run is going on either engine.
    pub fn running(&self) -> bool {
        self.run.as_ref().is_some_and(RunView::running)
            || self.cpython_run.as_ref().is_some_and(RunView::running)
    }

    /// The results a link could carry, if any are shown.
    pub fn results_snapshot(&self, now: &str) -> Option<ResultsSnapshot> {
        match &self.run {
            Some(run) => finished_snapshot(run, now),
            None => self.shared_results.clone(),
        }
    }

    /// CPython's results a link could carry, beside RustPython's.
    pub fn cpython_snapshot(&self, now: &str) -> Option<ResultsSnapshot> {
        match (&self.run, &self.cpython_run) {
            (Some(_), Some(run)) => finished_snapshot(run, now),
            (Some(_), None) => None,
            (None, _) => self.shared_cpython_results.clone(),
        }
    }

    /// The panes changed under the runs (a lesson, a link, a restored
    /// draft): old problems and shared results go, and so does a finished
    /// run, whose figures belong to the panes it ran.
    pub(super) fn panes_replaced(&mut self) {
        self.shared_results = None;
        self.shared_cpython_results = None;
        self.problems.clear();
        self.sweep_problem = None;
        if !self.running() {
            self.run = None;
            self.cpython_run = None;
        }
    }

    pub(super) fn refused(&mut self, refusal: Refusal) {
        self.problems = refusal.problems;
        self.sweep_problem = refusal.sweep_problem;
    }

    pub(super) fn start(&mut self, started: StartedRun) {
        let StartedRun {
            request,
            panes,
            problems,
            cpython,
        } = started;
        self.last_run_id = request.run_id;
        self.shared_results = None;
        self.shared_cpython_results = None;
        self.problems = problems;
        self.sweep_problem = None;
        self.cpython_run = cpython.then(|| {
            RunView::new(
                request.run_id,
                request.mode,
                panes.clone(),
                request.options.clone(),
            )
        });
        let codes: Vec<(String, String)> = request
            .variants
            .iter()
            .map(|v| (v.name.clone(), v.code.clone()))
            .collect();
        if let Some(cpython_run) = &mut self.cpython_run {
            cpython_run.codes = codes.clone();
        }
        let mut run = RunView::new(request.run_id, request.mode, panes, request.options);
        run.codes = codes;
        self.run = Some(run);
    }

    /// Folds in an event of RustPython's part; true when it ended the run's
    /// process (a crash or a Stop), which the host then replaces.
    pub(super) fn event(&mut self, event: RunEvent) -> bool {
        // Only the current run's events count: a stopped or older run may
        // still be delivering its last batch.
        let Some(run) = self.run.as_mut().filter(|run| run.id == event.run_id()) else {
            return false;
        };
        let ends_process = matches!(
            &event,
            RunEvent::Error { error, .. } if error.kind == PyErrorKind::Crash
        ) || matches!(
            &event,
            RunEvent::Finished {
                status: RunStatus::Stopped,
                ..
            }
        );
        run.apply(event);
        ends_process
    }

    /// Folds in an event of CPython's part.
    pub(super) fn cpython_event(&mut self, event: RunEvent) {
        if let Some(run) = self
            .cpython_run
            .as_mut()
            .filter(|run| run.id == event.run_id())
        {
            run.apply(event);
        }
    }
}

fn finished_snapshot(run: &RunView, now: &str) -> Option<ResultsSnapshot> {
    run.comparison
        .as_ref()
        .filter(|c| !run.running() && !c.variants.is_empty())
        .map(|c| ResultsSnapshot::of(c, run.mode, now))
}
