//! One sample of a variant: its thread mode entered, the collector paused
//! for a statement, the seconds its loop (or the whole program) took.

use std::time::Instant;

use pyrace_model::PyError;
use rustpython_vm::PyObjectRef;
use rustpython_vm::PyRef;
use rustpython_vm::builtins::PyCode;

use super::Harness;
use super::main_file::MainFile;
use super::timed::{Timed, Timer};
use crate::gil::Recording;

impl Harness<'_, '_> {
    /// One sample: seconds for `loops` executions.
    pub(super) fn sample(
        &self,
        t: &Timed,
        loops: u64,
        n: Option<u64>,
        clock: &PyObjectRef,
    ) -> Result<f64, PyError> {
        let py = self.py;
        py.enter_thread_mode(t.mode, self.request.options.switch_interval, Recording::Off)?;
        // A statement's samples run with the collector off, as `timeit`'s
        // do: RustPython collects cycles when enough objects were allocated
        // since the last collection, and such a pause lands in whichever
        // sample crosses the threshold, however little that sample
        // allocated. A whole program is timed as it runs, collector on.
        let paused = matches!(t.timer, Timer::Statement(_)) && self.collector_paused()?;
        let secs = match &t.timer {
            Timer::Statement(_) => t.time_statement(py, loops, n, clock),
            Timer::Program(code, file) => self.time_program(code, file.as_ref()),
        };
        if paused {
            self.collector_call("enable")?;
        }
        py.leave_thread_mode();
        if matches!(t.timer, Timer::Program(..)) {
            // Threads the program left running end before the next sample.
            py.finish_program()?;
            py.between_programs();
        }
        secs
    }

    /// Turns the collector off if it is on; says whether it did.
    fn collector_paused(&self) -> Result<bool, PyError> {
        let on = self.collector_call("isenabled")?;
        let on = on.is_true(self.py.vm).map_err(|e| self.py.describe(&e))?;
        if on {
            self.collector_call("disable")?;
        }
        Ok(on)
    }

    /// Calls `gc.NAME()`.
    fn collector_call(&self, name: &'static str) -> Result<PyObjectRef, PyError> {
        let gc = self
            .gc
            .as_ref()
            .expect("the gc module is imported before timing");
        self.py.guarded(|vm| gc.get_attr(name, vm)?.call((), vm))
    }

    /// One run of a whole program, its output muted (the trial run showed it).
    fn time_program(&self, code: &PyRef<PyCode>, file: Option<&MainFile>) -> Result<f64, PyError> {
        let py = self.py;
        let scope = self.program_scope(file)?;
        py.set_output_muted(true);
        let t0 = Instant::now();
        let ran = py.exec(code.clone(), scope);
        let secs = t0.elapsed().as_secs_f64();
        py.set_output_muted(false);
        ran.map(|_| secs)
    }
}
