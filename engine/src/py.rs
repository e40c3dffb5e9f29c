//! `Py`: a session entered on its interpreter, the handle through which
//! the session and the harness run Python: compiling and running code under
//! the time limit, turning exceptions into `PyError`s, tagging output,
//! entering and leaving thread modes, ending a program as a process ends.
//! `Core` is what the handle needs of the session besides the interpreter.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use pyrace_model::{GilOverhead, Profile, ProfileRow, PyError, RunEvent, ThreadMode, Timeline};
use rustpython_vm::builtins::{PyBaseExceptionRef, PyCode};
use rustpython_vm::compiler::Mode as CompileMode;
use rustpython_vm::function::FuncArgs;
use rustpython_vm::scope::Scope;
use rustpython_vm::{AsObject, PyObjectRef, PyRef, PyResult, VirtualMachine};

use crate::gil::Recording;
use crate::interrupt::{Interrupter, Watchdog};
use crate::output::OutputBuffer;
use crate::py_error;
use crate::python_side::PythonSide;
use crate::session_options::{EventSink, SessionOptions};
use crate::timeline::Recorder;

/// Everything of a session but the interpreter: what Python-facing code
/// (the harness, `_pyrace.compare`) needs while the interpreter is entered.
pub(crate) struct Core {
    pub interrupter: Interrupter,
    /// The variant whose code runs now: its name tags the output.
    pub writer: Arc<Mutex<Option<String>>>,
    /// Whether the output flusher thread was started (at the first run:
    /// in the browser the thread pool is ready by then, not before).
    pub flusher: std::sync::Once,
    pub output: Arc<OutputBuffer>,
    pub sink: EventSink,
    pub run_id: Arc<AtomicU64>,
    /// The Python functions the session calls, looked up at its start.
    pub python: PythonSide,
    pub watchdog: Option<Watchdog>,
    pub options: SessionOptions,
    /// The session's timeline recorder, lent to GIL mode's baton and
    /// wrappers (threads) and to `_pyrace_timeline` (tasks, processes).
    pub recorder: Arc<Recorder>,
    /// What `_pyrace_timeline` records asyncio tasks and child processes
    /// with while a timeline records: functions of the recorder.
    pub timeline_hooks: [PyObjectRef; 5],
    /// GIL mode's overhead, measured at the first run that uses GIL mode.
    pub gil_overhead: Mutex<Option<GilOverhead>>,
}

/// A session entered on its interpreter: the operations the harness needs,
/// each turning Python failures into `PyError`s.
pub(crate) struct Py<'a> {
    pub vm: &'a VirtualMachine,
    core: &'a Core,
    /// Running inside a program (`_pyrace.compare`): the outer run owns the
    /// event stream and the time limit.
    pub nested: bool,
}

impl<'a> Py<'a> {
    pub fn new(vm: &'a VirtualMachine, core: &'a Core, nested: bool) -> Py<'a> {
        Py { vm, core, nested }
    }

    /// Emits an event of the current run.
    pub fn emit(&self, event: RunEvent) {
        // Output written before this event must reach the sink before it.
        self.core.output.flush();
        if !self.nested {
            (self.core.sink)(event);
        }
    }

    pub fn run_id(&self) -> u64 {
        self.core.run_id.load(Ordering::SeqCst)
    }

    /// Tags the output from now on as written by `variant`.
    pub fn set_writer(&self, variant: Option<&str>) {
        // What was written before belongs to the previous writer.
        self.core.output.flush();
        *self.core.writer.lock().unwrap() = variant.map(str::to_owned);
    }

    pub fn set_output_muted(&self, muted: bool) {
        self.core.output.set_muted(muted);
    }

    /// Compiles `source` as `part` (a file name in tracebacks and errors).
    pub fn compile(&self, source: &str, part: &str) -> Result<PyRef<PyCode>, PyError> {
        self.compile_program(source, &py_error::filename_of(part))
    }

    /// Compiles a whole program under its own file name.
    pub fn compile_program(&self, source: &str, filename: &str) -> Result<PyRef<PyCode>, PyError> {
        self.register_source(filename, source);
        self.vm
            .compile(source, CompileMode::Exec, filename.to_owned())
            .map_err(|e| {
                let exc = e.into_pyexception(self.vm, Some(source));
                self.describe(&exc)
            })
    }

    /// The Python functions of the session.
    pub(crate) fn python(&self) -> &PythonSide {
        &self.core.python
    }

    /// Calls one of the session's Python functions under the call timeout.
    pub(crate) fn call(
        &self,
        f: &PyObjectRef,
        args: impl rustpython_vm::function::IntoFuncArgs,
    ) -> Result<PyObjectRef, PyError> {
        self.guarded(|vm| f.call(args, vm))
    }

    fn register_source(&self, filename: &str, source: &str) {
        let _ = self
            .python()
            .support
            .register_source
            .call((filename.to_owned(), source.to_owned()), self.vm);
    }

    /// Runs `code` in `scope` under the call timeout.
    pub fn exec(&self, code: PyRef<PyCode>, scope: Scope) -> Result<(), PyError> {
        self.exec_undescribed(code, scope)
            .map_err(|exc| self.describe(&exc))
    }

    /// As `exec`, the exception left as it is: for a caller that has
    /// something to finish before describing it (a tracer to stop).
    pub fn exec_undescribed(&self, code: PyRef<PyCode>, scope: Scope) -> PyResult<()> {
        self.note_main_part(&code, &scope);
        self.guarded_undescribed(|vm| vm.run_code_obj(code, scope))
            .map(drop)
    }

    /// Remembers which sources ran in which namespace, so that a process
    /// started from a program that is not a file can re-run its `__main__`
    /// (multiprocessing's spawn does that from the file otherwise).
    fn note_main_part(&self, code: &PyRef<PyCode>, scope: &Scope) {
        let filename = code.source_path().as_str().to_owned();
        let _ = self
            .python()
            .support
            .ran_in
            .call((scope.globals.clone(), filename), self.vm);
    }

    /// Calls `f` under the call timeout.
    pub fn guarded(
        &self,
        f: impl FnOnce(&VirtualMachine) -> PyResult,
    ) -> Result<PyObjectRef, PyError> {
        self.guarded_undescribed(f)
            .map_err(|exc| self.describe(&exc))
    }

    /// As `guarded`, the exception left as it is.
    fn guarded_undescribed(&self, f: impl FnOnce(&VirtualMachine) -> PyResult) -> PyResult {
        let dog = self.core.watchdog.as_ref().filter(|_| !self.nested);
        if let (Some(dog), Some(limit)) = (dog, self.core.options.call_timeout) {
            dog.arm(
                limit,
                format!("stopped after {:.3} s (time limit)", limit.as_secs_f64()),
            );
        }
        let result = f(self.vm);
        if let Some(dog) = dog {
            dog.disarm();
        }
        result
    }

    /// A fresh `__main__` namespace, as a program run as a script gets.
    pub fn main_scope(&self) -> Result<Scope, PyError> {
        self.vm.new_scope_with_main().map_err(|e| self.describe(&e))
    }

    pub fn describe(&self, exc: &PyBaseExceptionRef) -> PyError {
        let timed_out = exc.fast_isinstance(self.vm.ctx.exceptions.keyboard_interrupt)
            && self.core.interrupter.take_fired();
        py_error::describe(self.vm, &self.python().support.describe, exc, timed_out)
    }

    /// Puts the interpreter in `mode` for the code run until
    /// `leave_thread_mode`, recording the timeline `recording` asks for.
    pub fn enter_thread_mode(
        &self,
        mode: ThreadMode,
        interval: f64,
        recording: Recording,
    ) -> Result<(), PyError> {
        if !recording.instruments(mode) {
            return Ok(());
        }
        // GIL mode with the baton; free-threaded, only the wrappers that
        // mark the timeline, and no preemption.
        let preempt = mode == ThreadMode::Gil;
        self.core.recorder.start(mode);
        self.call(&self.python().gil.enable, (interval, preempt))?;
        self.core.recorder.rebase();
        if recording.has_rows() {
            let hooks = self.core.timeline_hooks.to_vec();
            self.call(&self.python().timeline.start, FuncArgs::from(hooks))?;
        }
        Ok(())
    }

    /// GIL mode's overhead on this engine: measured once, then remembered.
    /// `None` when it cannot be measured (threads unavailable).
    pub fn gil_overhead(&self) -> Option<GilOverhead> {
        let mut known = self.core.gil_overhead.lock().unwrap();
        if known.is_none() {
            *known = self.measure_gil_overhead();
        }
        known.clone()
    }

    fn measure_gil_overhead(&self) -> Option<GilOverhead> {
        let vm = self.vm;
        let pairs = self
            .guarded(|vm| {
                let clock = vm.import("time", 0)?.get_attr("perf_counter", vm)?;
                self.python().gil.measure_overhead.call((clock,), vm)
            })
            .ok()?;
        if vm.is_none(&pairs) {
            return None;
        }
        let times: Vec<f64> = pairs.try_into_value(vm).ok()?;
        let (plain, hooked): (Vec<f64>, Vec<f64>) =
            times.chunks_exact(2).map(|pair| (pair[0], pair[1])).unzip();
        let (ratio, ratio_low, ratio_high) = pyrace_model::stats::paired_ratio(&hooked, &plain)?;
        Some(GilOverhead {
            plain: pyrace_model::Summary::of(&plain)?.median,
            hooked: pyrace_model::Summary::of(&hooked)?.median,
            ratio,
            ratio_low,
            ratio_high,
            rounds: plain.len() as u32,
        })
    }

    /// Runs `code` in `scope` under `cProfile`: the run's result, and what
    /// the profiler saw of the calling thread (even when the code raised).
    pub fn exec_profiled(
        &self,
        code: PyRef<PyCode>,
        scope: Scope,
    ) -> (Result<(), PyError>, Option<Profile>) {
        let support = &self.python().support;
        let profiler = match self.call(&support.profile_start, ()) {
            Ok(profiler) => profiler,
            Err(e) => return (Err(e), None),
        };
        let ran = self.exec(code, scope);
        let rows = self
            .call(&support.profile_rows, (profiler,))
            .ok()
            .and_then(|json| json.try_into_value::<String>(self.vm).ok())
            .and_then(|json| serde_json::from_str::<Vec<ProfileRow>>(&json).ok());
        (ran, rows.map(|rows| Profile { rows }))
    }

    /// Back to free threading (a no-op when GIL mode is off). Returns the
    /// timeline of the threads since GIL mode began.
    pub fn leave_thread_mode(&self) -> Option<Timeline> {
        let _ = self.call(&self.python().gil.disable, ());
        let _ = self.call(&self.python().timeline.stop, ());
        self.core.recorder.take()
    }

    /// Between two runs of a timed program: in the browser, waits until
    /// the host has children warm for the next run's processes (natively
    /// the warm children of the CLI refill at the program's exit).
    pub fn between_programs(&self) {
        if cfg!(not(target_os = "wasi")) {
            return;
        }
        // Without warm children the next run starts them cold: slower, not wrong.
        let _ = self.call(&self.python().support.between_programs, ());
    }

    /// Waits for the program's non-daemon threads, as CPython does at exit.
    pub fn finish_program(&self) -> Result<(), PyError> {
        let support = &self.python().support;
        let joined = self.call(&support.join_threads, ());
        // Then exit handlers, as at the end of a CPython process, cleared
        // so the next run starts without them; and what the program held
        // is given back, as by a process's exit (`_pyrace_exit`: its pools,
        // pipes and semaphores).
        let exited = self.call(&self.python().exit.exit_program, ());
        // What the shutdown above marked as shut down must take new
        // threads and work in the next run, as in a new process.
        let _ = self.call(&support.reopen_after_shutdown, ());
        if crate::memory::ran_out() {
            // The program used all the memory there is: what it holds goes
            // now, not when the next program replaces `__main__`, so that
            // the engine has room again (and takes back its reserve).
            let _ = support.release_main.call((), self.vm);
            crate::memory::keep_reserve();
        }
        joined.and(exited).map(drop)
    }
}
