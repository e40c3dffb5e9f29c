//! A statement's memory, measured after its kept rounds at each size (never
//! during them: counting slows every allocation): its memory function
//! (`pyrace_model::timing_source::memory_source`) runs the setup, starts the
//! engine's allocation count (`support.statement_meter`, over
//! `allocation_count`), and runs the statement once for its peak and up to
//! `limits::MEMORY_LOOPS_MAX` times for its per-loop totals. The collector
//! stays as a program would have it, and the variant's thread mode is
//! entered as for its samples.

use pyrace_model::statement_memory::{StatementMemory, loops_for};
use pyrace_model::timing_source::{MEMORY_FN, memory_source};
use pyrace_model::{PyError, PyErrorKind};
use rustpython_vm::PyObjectRef;

use super::Harness;
use super::timed::Timed;
use crate::gil::Recording;

impl Harness<'_, '_> {
    /// Each live variant's memory at size `n`, after its kept rounds. A
    /// Stop (or the time limit) ends the run as it would a sample; any
    /// other failure leaves the variant without a memory figure: its
    /// statement ran without one through every sample, so the failure is
    /// of the measuring, and the time figures stand.
    pub(super) fn measure_memory(
        &self,
        timed: &mut [Timed],
        n: Option<u64>,
    ) -> Result<(), PyError> {
        for t in timed.iter_mut().filter(|t| !t.out) {
            t.memory = match self.statement_memory(t, n) {
                Ok(memory) => memory,
                Err(e) if e.kind == PyErrorKind::Timeout => return Err(e),
                Err(_) => None,
            };
        }
        Ok(())
    }

    /// `__pyrace_memory(loops, meter[, var])` for a statement after `setups`.
    pub(super) fn memory_function(
        &self,
        setups: &[&str],
        stmt: &str,
        var: Option<&str>,
        repeat: &PyObjectRef,
    ) -> Result<PyObjectRef, PyError> {
        self.generated_function(&memory_source(setups, stmt, var), MEMORY_FN, repeat)
    }

    /// What `t`'s statement does to memory at size `n`; `None` where this
    /// engine cannot count (a build without pyrace's counting allocator).
    pub(super) fn statement_memory(
        &self,
        t: &Timed,
        n: Option<u64>,
    ) -> Result<Option<StatementMemory>, PyError> {
        let Some(f) = &t.memory_fn else {
            return Ok(None);
        };
        let py = self.py;
        let meter = py.call(&py.python().support.statement_meter, ())?;
        let loops: PyObjectRef = py.vm.ctx.new_int(loops_for(t.executions())).into();
        py.enter_thread_mode(t.mode, self.request.options.switch_interval, Recording::Off)?;
        let reply = match n {
            Some(n) => {
                let n: PyObjectRef = py.vm.ctx.new_int(n).into();
                py.guarded(|vm| f.call((loops, meter, n), vm))
            }
            None => py.guarded(|vm| f.call((loops, meter), vm)),
        };
        py.leave_thread_mode();
        let reply = reply?;
        let json: String = reply.try_into_value(py.vm).map_err(|e| py.describe(&e))?;
        // `null`: the meter had nothing to count with.
        Ok(serde_json::from_str(&json).ok().flatten())
    }
}
