//! The timing harness: calibrates a loop count per variant so one sample
//! lasts at least the target time, warms up until every variant's samples
//! have settled (`pyrace_model::warmup`: a JIT keeps speeding the engine up
//! for longer than any fixed number of rounds), then takes samples
//! interleaved across variants within a wall-clock budget, in blocks of
//! rounds that each take the variants in their own order (V1 V2 V3 in one
//! block, V2 V3 V1 in the next, …), so that drift hits every variant alike
//! within a block and an effect of the order shows as disagreement between
//! blocks (`pyrace_model::blocks`). An empty statement is measured the same
//! way as the baseline. A statement fast enough that the loop around it
//! would be a large share of its sample is timed unrolled (written out
//! several times per loop iteration; see `pyrace_model::timing_source`).
//! `engine/python/reference_harness.py` is the same method for CPython.
//!
//! Its rooms: `validate` (what is checked before anything runs), `prepare`
//! (a variant compiled, run once and checked), `timed` (a variant ready to
//! time, made in one place), `calibrate` (loop counts), `sample` (one
//! sample), `rounds` (warm-up and the kept rounds of one size), `main_file`
//! (a timed program's file for its child processes), `memory` (each
//! statement's memory, after its rounds).

mod calibrate;
mod main_file;
mod memory;
mod prepare;
mod rounds;
mod sample;
mod timed;
mod validate;

use std::cell::RefCell;
use std::time::Instant;

use pyrace_model::analysis::analyze;
use pyrace_model::{
    Comparison, Measurements, Mode, PyError, PyErrorKind, RunEvent, RunRequest, RunStatus,
    SizeMeasurements, ThreadMode,
};
use rustpython_vm::{PyObjectRef, TryFromObject};

use crate::py::Py;
use prepare::Unprepared;
use timed::{Timed, Timing};
use validate::request_error;
pub use validate::validate;

/// Name under which the baseline appears in errors.
const BASELINE: &str = "(empty statement)";

/// Runs a `Compare`, `Sweep` or `Program` request and emits its result.
pub(crate) fn compare(py: &Py<'_>, request: &RunRequest) -> RunStatus {
    let run_id = py.run_id();
    if let Err(message) = validate(request) {
        py.emit(RunEvent::Error {
            run_id,
            error: request_error(message),
        });
        return RunStatus::Failed;
    }
    let mut harness = Harness::new(py, request);
    harness.measures_memory = true;
    match harness.measure() {
        Ok(measurements) => {
            let comparison = analyze(&measurements);
            for result in &comparison.variants {
                py.emit(RunEvent::VariantDone {
                    run_id,
                    result: result.clone(),
                });
            }
            py.emit(RunEvent::Result { run_id, comparison });
            if harness.stopped {
                RunStatus::Stopped
            } else if harness.failed {
                RunStatus::Failed
            } else {
                RunStatus::Ok
            }
        }
        Err(error) => {
            let stopped = error.kind == PyErrorKind::Timeout;
            py.emit(RunEvent::Error { run_id, error });
            if stopped {
                RunStatus::Stopped
            } else {
                RunStatus::Failed
            }
        }
    }
}

/// Runs a comparison inside a running program (`_pyrace.compare`): nothing
/// is emitted, and the first failure of any variant is the result.
pub(crate) fn comparison(py: &Py<'_>, request: &RunRequest) -> Result<Comparison, PyError> {
    validate(request).map_err(request_error)?;
    let mut harness = Harness::new(py, request);
    let measurements = harness.measure()?;
    match harness.first_error {
        Some(error) => Err(error),
        None => Ok(analyze(&measurements)),
    }
}

struct Harness<'a, 'b> {
    py: &'a Py<'b>,
    request: &'a RunRequest,
    started: Instant,
    failed: bool,
    stopped: bool,
    first_error: Option<PyError>,
    /// The namespace each variant's untimed first run left, for the
    /// same-result check (runs that ask for it).
    ran: RefCell<Vec<(String, PyObjectRef)>>,
    /// The `gc` module, once timing starts: the collector is off while a
    /// statement's sample runs (`collector_paused`).
    gc: Option<PyObjectRef>,
    /// Measure each statement's memory after its rounds: not inside a
    /// running program's `pyrace.compare`, whose counting would restart
    /// the count of a program measured as a whole.
    measures_memory: bool,
}

impl<'a, 'b> Harness<'a, 'b> {
    fn new(py: &'a Py<'b>, request: &'a RunRequest) -> Self {
        Harness {
            py,
            request,
            started: Instant::now(),
            failed: false,
            stopped: false,
            first_error: None,
            ran: RefCell::new(Vec::new()),
            gc: None,
            measures_memory: false,
        }
    }

    fn elapsed(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    fn sweep_var(&self) -> Option<&str> {
        match self.request.mode {
            Mode::Sweep => self.request.options.sweep.as_ref().map(|s| s.var.as_str()),
            _ => None,
        }
    }

    fn sizes(&self) -> Vec<Option<u64>> {
        match (&self.request.options.sweep, self.request.mode) {
            (Some(s), Mode::Sweep) => s.sizes.iter().map(|&n| Some(n)).collect(),
            _ => vec![None],
        }
    }

    /// Reports a variant's failure; the comparison goes on without it.
    fn variant_failed(&mut self, variant: &str, error: PyError) {
        if error.kind == PyErrorKind::Timeout {
            self.stopped = true;
        }
        self.failed = true;
        if self.first_error.is_none() {
            self.first_error = Some(error.clone());
        }
        self.py.emit(RunEvent::VariantError {
            run_id: self.py.run_id(),
            variant: variant.to_owned(),
            error,
        });
    }

    fn measure(&mut self) -> Result<Measurements, PyError> {
        let py = self.py;
        let shared = py.compile(&self.request.setup, "setup")?;
        let clock = py.guarded(|vm| vm.import("time", 0)?.get_attr("perf_counter", vm))?;
        let repeat = py.guarded(|vm| vm.import("itertools", 0)?.get_attr("repeat", vm))?;
        self.gc = Some(py.guarded(|vm| vm.import("gc", 0))?);
        // For the warning of samples too short for the timer (support.py).
        let timer_step = py
            .call(&py.python().support.timer_step, (clock.clone(),))
            .ok()
            .and_then(|step| f64::try_from_object(py.vm, step).ok());
        let first_n = self.sizes()[0];

        let mut timed = Vec::new();
        for variant in &self.request.variants {
            let prepared = self.prepare(variant, &shared, first_n, &repeat);
            py.set_writer(None);
            match prepared {
                Ok(t) => timed.push(t),
                Err(Unprepared::Variant(error)) => self.variant_failed(&variant.name, error),
                Err(Unprepared::Run(error)) => return Err(error),
            }
        }
        self.check_results()?;
        let mut baseline = match self.request.mode {
            Mode::Program => None,
            _ => Some(self.timed(
                BASELINE,
                // Free threading: GIL mode's own cost is part of what a
                // GIL-mode variant measures, not of the baseline.
                ThreadMode::Free,
                // The empty statement does not use `n`: it takes no size.
                // Nor is it written out several times: the loop around it
                // is what it measures.
                Timing::Statement {
                    setups: &[],
                    code: "pass",
                    var: None,
                    unroll: false,
                    memory: false,
                },
                &repeat,
            )?),
        };

        let sizes = self.sizes();
        let budget = self.request.options.budget;
        let mut measured = Vec::new();
        let mut budget_exhausted = false;
        for (i, n) in sizes.iter().enumerate() {
            if timed.iter().all(|t| t.out) {
                break;
            }
            if i > 0 && self.elapsed() >= budget {
                budget_exhausted = true;
                break;
            }
            // Each size gets an equal share of what is left.
            let size_deadline =
                self.elapsed() + (budget - self.elapsed()).max(0.0) / (sizes.len() - i) as f64;
            let with_baseline = if i == 0 { baseline.as_mut() } else { None };
            let sampled =
                self.measure_size(&mut timed, with_baseline, *n, &clock, size_deadline)?;
            budget_exhausted |= sampled.short;
            if self.measures_memory {
                self.measure_memory(&mut timed, *n)?;
            }
            measured.push(SizeMeasurements {
                blocks: sampled.blocks,
                warmup: Some(sampled.warmup),
                n: *n,
                baseline: if i == 0 {
                    baseline.as_ref().map(Timed::series)
                } else {
                    None
                },
                variants: timed.iter().filter(|t| !t.out).map(Timed::series).collect(),
            });
        }
        Ok(Measurements {
            engine: crate::engine_name(),
            sizes: measured,
            elapsed: self.elapsed(),
            budget_exhausted,
            timer_step,
        })
    }
}
