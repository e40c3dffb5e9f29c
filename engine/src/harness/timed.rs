//! A variant ready to be timed, and the one place one is made: its timing
//! function (`pyrace_model::timing_source`), unrolled too for a statement
//! fast enough that the loop around it would weigh in its samples.

use pyrace_model::timing_source::{REPEAT, TIMER_FN, timer_source, unroll_for};
use pyrace_model::{PyError, Series, StatementMemory, ThreadMode};
use rustpython_vm::builtins::PyCode;
use rustpython_vm::{PyObjectRef, PyRef, TryFromObject};

use super::Harness;
use super::main_file::MainFile;
use crate::py::Py;

/// A variant ready to be timed.
pub(super) struct Timed {
    pub(super) name: String,
    pub(super) mode: ThreadMode,
    /// `__pyrace_time(loops, clock[, n])`, or for programs the compiled program.
    pub(super) timer: Timer,
    /// The same timing function with the statement written out `unroll_by`
    /// times per iteration, for statements too fast to time one per iteration.
    pub(super) unrolled: Option<(PyObjectRef, u32)>,
    /// Executions of the statement per loop iteration at the current size:
    /// 1, or `unrolled`'s count once calibration chose it.
    pub(super) unroll: u32,
    /// Loop iterations per sample.
    pub(super) loops: u64,
    pub(super) samples: Vec<f64>,
    /// Stopped taking part (failed, or ran out of budget in a sweep).
    pub(super) out: bool,
    /// `__pyrace_memory(loops, meter[, n])`, for a statement that is
    /// measured for memory too (not the empty statement, not a program).
    pub(super) memory_fn: Option<PyObjectRef>,
    /// What the memory function measured at the current size.
    pub(super) memory: Option<StatementMemory>,
}

/// How a variant is run for one sample.
pub(super) enum Timer {
    Statement(PyObjectRef),
    /// A whole program, and the file its `multiprocessing` children read it from.
    Program(PyRef<PyCode>, Option<MainFile>),
}

/// What a `Timed` is made from.
pub(super) enum Timing<'s> {
    /// A statement timed in a loop after `setups`, `var` naming the sweep's
    /// size; with `unroll`, also written out several times per iteration.
    Statement {
        setups: &'s [&'s str],
        code: &'s str,
        var: Option<&'s str>,
        unroll: bool,
        /// Measure its memory too.
        memory: bool,
    },
    /// A whole program, and the file its children read it from.
    Program(PyRef<PyCode>, Option<MainFile>),
}

impl Harness<'_, '_> {
    /// A variant ready to calibrate: one loop per sample, none taken yet.
    pub(super) fn timed(
        &self,
        name: &str,
        mode: ThreadMode,
        timing: Timing<'_>,
        repeat: &PyObjectRef,
    ) -> Result<Timed, PyError> {
        let (timer, unrolled, memory_fn) = match timing {
            Timing::Program(code, file) => (Timer::Program(code, file), None, None),
            Timing::Statement {
                setups,
                code,
                var,
                unroll,
                memory,
            } => {
                let plain = self.timer_function(setups, code, var, 1, repeat)?;
                let unrolled = match unroll_for(code) {
                    k if unroll && k > 1 => {
                        Some((self.timer_function(setups, code, var, k, repeat)?, k))
                    }
                    _ => None,
                };
                let memory_fn = match memory {
                    true => Some(self.memory_function(setups, code, var, repeat)?),
                    false => None,
                };
                (Timer::Statement(plain), unrolled, memory_fn)
            }
        };
        Ok(Timed {
            name: name.to_owned(),
            mode,
            timer,
            unrolled,
            unroll: 1,
            loops: 1,
            samples: Vec::new(),
            out: false,
            memory_fn,
            memory: None,
        })
    }

    fn timer_function(
        &self,
        setups: &[&str],
        stmt: &str,
        var: Option<&str>,
        unroll: u32,
        repeat: &PyObjectRef,
    ) -> Result<PyObjectRef, PyError> {
        self.generated_function(&timer_source(setups, stmt, var, unroll), TIMER_FN, repeat)
    }

    /// The function `name` that generated `source` defines, in a namespace
    /// of its own with `itertools.repeat` at hand (timing and memory
    /// functions alike, `pyrace_model::timing_source`).
    pub(super) fn generated_function(
        &self,
        source: &str,
        name: &str,
        repeat: &PyObjectRef,
    ) -> Result<PyObjectRef, PyError> {
        let py = self.py;
        let code = py.compile(source, "timing function")?;
        let scope = py.vm.new_scope_with_builtins();
        scope
            .globals
            .set_item(REPEAT, repeat.clone(), py.vm)
            .map_err(|e| py.describe(&e))?;
        py.exec(code, scope.clone())?;
        scope
            .globals
            .get_item(name, py.vm)
            .map_err(|e| py.describe(&e))
    }
}

impl Timed {
    /// Executions of the statement per sample.
    pub(super) fn executions(&self) -> u64 {
        self.loops * u64::from(self.unroll)
    }

    /// Seconds for `loops` iterations of a statement's timing function
    /// (the unrolled one once calibration chose it).
    pub(super) fn time_statement(
        &self,
        py: &Py<'_>,
        loops: u64,
        n: Option<u64>,
        clock: &PyObjectRef,
    ) -> Result<f64, PyError> {
        let f = match (&self.timer, &self.unrolled) {
            (_, Some((f, k))) if *k == self.unroll => f,
            (Timer::Statement(plain), _) => plain,
            (Timer::Program(..), _) => unreachable!("a program has no timing function"),
        };
        let loops: PyObjectRef = py.vm.ctx.new_int(loops).into();
        let secs = match n {
            Some(n) => {
                let n: PyObjectRef = py.vm.ctx.new_int(n).into();
                py.guarded(|vm| f.call((loops, clock.clone(), n), vm))?
            }
            None => py.guarded(|vm| f.call((loops, clock.clone()), vm))?,
        };
        f64::try_from_object(py.vm, secs).map_err(|e| py.describe(&e))
    }

    /// What was measured of it.
    pub(super) fn series(&self) -> Series {
        Series {
            name: self.name.clone(),
            loops: self.executions(),
            unroll: self.unroll,
            samples: self.samples.clone(),
            memory: self.memory,
        }
    }
}
