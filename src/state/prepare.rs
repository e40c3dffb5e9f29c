//! Run preparation: the panes checked (each needs a name of its own and some
//! code; a sweep needs sizes) and turned into the `RunRequest` the engines
//! get, or the problems that keep anything from running.

use std::collections::BTreeMap;

use pyrace_model::{EngineId, HarnessOptions, Mode, RunRequest, Sweep, Variant};

use super::draft::{Draft, Pane, Profiler};

/// A run about to be sent to the engine.
#[derive(Debug, Clone, PartialEq)]
pub struct StartedRun {
    pub request: RunRequest,
    pub panes: Vec<(u32, String)>,
    /// Panes left out of the run, and why.
    pub problems: BTreeMap<u32, String>,
    /// The engines the run goes to, one after the other in this order.
    pub engines: Vec<EngineId>,
}

/// Why nothing can run: each pane's problem, and the sweep sizes'.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Refusal {
    pub problems: BTreeMap<u32, String>,
    pub sweep_problem: Option<String>,
}

/// What is wrong with a pane, if anything.
fn problem_of(draft: &Draft, pane: &Pane) -> Option<String> {
    let name = pane.name.trim();
    if name.is_empty() {
        Some("Give this variant a name.".to_owned())
    } else if draft
        .panes
        .iter()
        .any(|other| other.key != pane.key && other.name.trim() == name)
    {
        Some(format!(
            "Another variant is also called “{name}”: names must differ."
        ))
    } else if pane.code.trim().is_empty() {
        Some(
            if draft.mode == Mode::Compare || draft.mode == Mode::Sweep {
                "This variant is empty: write the statement to time.".to_owned()
            } else {
                "This variant is empty: write a program to run.".to_owned()
            },
        )
    } else {
        None
    }
}

/// Checks the panes and builds run `run_id`, going to CPython too when
/// `engines`, in that order.
pub fn prepare(draft: &Draft, run_id: u64, engines: Vec<EngineId>) -> Result<StartedRun, Refusal> {
    let problems: BTreeMap<u32, String> = draft
        .panes
        .iter()
        .filter_map(|pane| problem_of(draft, pane).map(|problem| (pane.key, problem)))
        .collect();
    let sweep = if draft.mode == Mode::Sweep {
        let refuse = |why: String| Refusal {
            problems: problems.clone(),
            sweep_problem: Some(why),
        };
        match Sweep::parse(draft.sweep.trim()) {
            Ok(sweep) if !sweep.sizes.is_empty() => Some(sweep),
            Ok(_) => return Err(refuse("Give at least one size.".to_owned())),
            Err(reason) => return Err(refuse(reason)),
        }
    } else {
        None
    };
    let runnable: Vec<&Pane> = draft
        .panes
        .iter()
        .filter(|pane| !problems.contains_key(&pane.key))
        .collect();
    if runnable.is_empty() {
        return Err(Refusal {
            problems,
            sweep_problem: None,
        });
    }
    let profiling = draft.profile && draft.mode == Mode::Run;
    let options = HarnessOptions {
        budget: draft.budget,
        sweep,
        thread_mode: draft.thread_mode,
        switch_interval: draft.switch_interval,
        profile: profiling && draft.profiler == Profiler::CProfile,
        // Timed runs are never traced: the tracer slows every line.
        trace_lines: profiling && draft.profiler == Profiler::Lines,
        memory: profiling && draft.profiler == Profiler::Lines,
        check_result: (draft.same_result && draft.mode.timed())
            .then(|| draft.same_result_name.clone()),
        ..HarnessOptions::default()
    };
    let request = RunRequest {
        run_id,
        mode: draft.mode,
        setup: draft.setup.clone(),
        variants: runnable
            .iter()
            .map(|pane| Variant {
                setup: pane.setup.clone(),
                thread_mode: pane.thread_mode,
                ..Variant::new(pane.name.trim(), pane.code.clone())
            })
            .collect(),
        options,
    };
    Ok(StartedRun {
        engines,
        panes: runnable
            .iter()
            .map(|pane| (pane.key, pane.name.trim().to_owned()))
            .collect(),
        request,
        problems,
    })
}
