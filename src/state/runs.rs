//! The run slice: the current (or last) run, one part per engine it went
//! to (RustPython's, then CPython's when it is on), the problems that kept
//! panes out of it, and the results a shared link brought for each engine,
//! shown until a run here replaces them. Events of any run but the current
//! one are dropped here, so a stopped run's stragglers can never overwrite a
//! newer result.

use std::collections::BTreeMap;

use pyrace_model::share::ResultsSnapshot;
use pyrace_model::{EngineId, PyErrorKind, RunEvent, RunStatus};

use super::per_engine::PerEngine;
use super::prepare::{Refusal, StartedRun};
use super::run_view::RunView;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Runs {
    /// The current run's part on each engine it went to: the parts run one
    /// after the other, in [`EngineId::ALL`]'s order (they never share the
    /// cores); a later part's `engine` is unset until it starts.
    pub parts: PerEngine<Option<RunView>>,
    /// Problems found in the panes before the last run (empty, duplicate…).
    pub problems: BTreeMap<u32, String>,
    /// A problem with the sweep sizes, shown beside their field.
    pub sweep_problem: Option<String>,
    pub last_run_id: u64,
    /// Results recorded by whoever shared the open link or file, for each
    /// engine, shown until a run here replaces them.
    pub shared: PerEngine<Option<ResultsSnapshot>>,
}

impl Runs {
    /// The current run's part on `engine`, if it went there.
    pub fn part(&self, engine: EngineId) -> Option<&RunView> {
        self.parts[engine].as_ref()
    }

    /// The run's first part (RustPython's): the run as the panes show it.
    pub fn run(&self) -> Option<&RunView> {
        self.part(EngineId::Rustpython)
    }

    /// A run is going on any engine.
    pub fn running(&self) -> bool {
        self.parts.values().flatten().any(RunView::running)
    }

    /// The results a link could carry for `engine`, if any are shown: the
    /// run's part when a run here replaced the link's, else the link's.
    pub fn snapshot(&self, engine: EngineId, now: &str) -> Option<ResultsSnapshot> {
        match (self.run(), self.part(engine)) {
            (Some(_), Some(part)) => finished_snapshot(part, now),
            (Some(_), None) => None,
            (None, _) => self.shared[engine].clone(),
        }
    }

    /// The panes changed under the runs (a lesson, a link, a restored
    /// draft): old problems and shared results go, and so does a finished
    /// run, whose figures belong to the panes it ran.
    pub(super) fn panes_replaced(&mut self) {
        self.shared = PerEngine::default();
        self.problems.clear();
        self.sweep_problem = None;
        if !self.running() {
            self.parts = PerEngine::default();
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
            engines,
        } = started;
        self.last_run_id = request.run_id;
        self.shared = PerEngine::default();
        self.problems = problems;
        self.sweep_problem = None;
        let codes: Vec<(String, String)> = request
            .variants
            .iter()
            .map(|v| (v.name.clone(), v.code.clone()))
            .collect();
        self.parts = PerEngine::from_fn(|engine| {
            engines.contains(&engine).then(|| {
                let mut part = RunView::new(
                    request.run_id,
                    request.mode,
                    panes.clone(),
                    request.options.clone(),
                );
                part.codes = codes.clone();
                part
            })
        });
    }

    /// Folds in an event of `engine`'s part; true when it ended that
    /// engine's process (a crash or a Stop), which its host then replaces.
    pub(super) fn event(&mut self, engine: EngineId, event: RunEvent) -> bool {
        // Only the current run's events count: a stopped or older run may
        // still be delivering its last batch.
        let Some(part) = self.parts[engine]
            .as_mut()
            .filter(|part| part.id == event.run_id())
        else {
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
        part.apply(event);
        ends_process
    }
}

fn finished_snapshot(run: &RunView, now: &str) -> Option<ResultsSnapshot> {
    run.comparison
        .as_ref()
        .filter(|c| !run.running() && !c.variants.is_empty())
        .map(|c| ResultsSnapshot::of(c, run.mode, now))
}
