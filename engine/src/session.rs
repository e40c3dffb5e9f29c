//! `Session`: one RustPython interpreter, reused across runs, that executes
//! `RunRequest`s and streams `RunEvent`s. The CLI and the browser build both
//! drive this type, so tests of it test what runs in the browser.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pyrace_model::{
    GilOverhead, Mode, OutputStream, Profile, ProfileRow, PyError, PyErrorKind, RunEvent,
    RunRequest, RunStatus, ThreadMode, Timeline,
};
use rustpython_vm::builtins::{PyBaseExceptionRef, PyCode, PyStrRef};
use rustpython_vm::compiler::Mode as CompileMode;
use rustpython_vm::function::FuncArgs;
use rustpython_vm::scope::Scope;
use rustpython_vm::{AsObject, Interpreter, PyObjectRef, PyRef, PyResult, VirtualMachine};

use crate::gil::{Baton, Recording};
use crate::harness;
use crate::interrupt::{Interrupter, Watchdog};
use crate::output::{OutputBuffer, stream_object};
use crate::py_error;
use crate::python_side::PythonSide;

/// Receives every event of every run, from whichever thread produced it.
pub type EventSink = Arc<dyn Fn(RunEvent) + Send + Sync>;

/// How a session treats output and runaway code.
#[derive(Debug, Clone, Default)]
pub struct SessionOptions {
    /// Batch output written closer together than this (see `OutputBuffer`).
    pub output_batch: Option<Duration>,
    /// Stop forwarding a run's output after this many bytes.
    pub output_limit: Option<usize>,
    /// Interrupt any single piece of user code that runs longer than this.
    pub call_timeout: Option<Duration>,
    /// `sys.argv` of the programs run (default `["pyrace"]`).
    pub argv: Option<Vec<String>>,
    /// When threads cannot run (a page without cross-origin isolation),
    /// starting one raises `RuntimeError` with this message.
    pub threads_unavailable: Option<String>,
    /// Measure GIL mode's overhead before the first GIL-mode run and report
    /// it (`RunEvent::GilOverhead`): it takes about half a second, worth it
    /// where the figure is shown (the playground, `--json`).
    pub measure_gil_overhead: bool,
}

/// A Python interpreter ready to run requests.
pub struct Session {
    interpreter: Interpreter,
    core: Arc<Core>,
}

/// Everything of a session but the interpreter: what Python-facing code
/// (the harness, `_pyrace.compare`) needs while the interpreter is entered.
pub(crate) struct Core {
    interrupter: Interrupter,
    /// The variant whose code runs now: its name tags the output.
    writer: Arc<Mutex<Option<String>>>,
    /// Whether the output flusher thread was started (at the first run:
    /// in the browser the thread pool is ready by then, not before).
    flusher: std::sync::Once,
    output: Arc<OutputBuffer>,
    sink: EventSink,
    run_id: Arc<AtomicU64>,
    /// The Python functions the session calls, looked up at its start.
    python: PythonSide,
    watchdog: Option<Watchdog>,
    options: SessionOptions,
    baton: Arc<Baton>,
    /// What `_pyrace_timeline` records asyncio tasks and child processes
    /// with while a timeline records: functions of the baton's recorder.
    timeline_hooks: [PyObjectRef; 5],
    /// GIL mode's overhead, measured at the first run that uses GIL mode.
    gil_overhead: Mutex<Option<GilOverhead>>,
}

impl Session {
    pub fn new(options: SessionOptions, sink: EventSink) -> Session {
        crate::memory::keep_reserve();
        let (interpreter, interrupter) = crate::interpreter::build(options.argv.clone());
        let run_id = Arc::new(AtomicU64::new(0));
        let writer: Arc<Mutex<Option<String>>> = Arc::default();
        let deliver = {
            let sink = Arc::clone(&sink);
            let run_id = Arc::clone(&run_id);
            let writer = Arc::clone(&writer);
            Arc::new(move |stream: OutputStream, text: &str| {
                sink(RunEvent::Output {
                    run_id: run_id.load(Ordering::SeqCst),
                    stream,
                    text: text.to_owned(),
                    variant: writer.lock().unwrap().clone(),
                })
            })
        };
        let output = Arc::new(OutputBuffer::new(
            deliver,
            options.output_batch,
            options.output_limit,
        ));
        let baton = Baton::new();
        let (python, timeline_hooks) = interpreter.enter(|vm| {
            install_streams(vm, &output);
            // Fixed when the engine is built: a failure here is the
            // engine's own, and no run could work without these.
            let python = PythonSide::load(vm).unwrap_or_else(|e| panic!("{e}"));
            let call = |f: &PyObjectRef, args: FuncArgs, what: &str| {
                if let Err(e) = f.call(args, vm) {
                    let mut text = String::new();
                    let _ = vm.write_exception(&mut text, &e);
                    panic!("pyrace could not set up {what}: {text}");
                }
            };
            call(
                &python.gil.configure,
                crate::gil::python_hooks(vm, &baton).into_config(),
                "GIL mode",
            );
            if options.output_batch.is_some() {
                let buffer = Arc::clone(&output);
                let flush = vm.new_function("flush_output", move || buffer.flush());
                call(
                    &python.support.install_sleep_flush,
                    FuncArgs::from(vec![flush.into()]),
                    "the output flush before sleeps",
                );
            }
            if let Some(message) = &options.threads_unavailable {
                call(
                    &python.support.forbid_threads,
                    FuncArgs::from(vec![vm.ctx.new_str(message.as_str()).into()]),
                    "the thread guard",
                );
            }
            let timeline_hooks = crate::timeline::python_hooks(vm, &baton);
            (python, timeline_hooks)
        });
        let watchdog = options.call_timeout.map(|_| {
            Watchdog::new(interrupter.clone(), Duration::from_secs(3), |message| {
                // The code is stuck inside a native call that never checks
                // for interrupts: nothing short of leaving can stop it.
                eprintln!("pyrace: {message}; the engine did not respond, exiting");
                std::process::exit(124);
            })
        });
        let core = Arc::new(Core {
            interrupter,
            writer,
            flusher: std::sync::Once::new(),
            output,
            sink,
            run_id,
            python,
            watchdog,
            options,
            baton,
            timeline_hooks,
            gil_overhead: Mutex::new(None),
        });
        interpreter.enter(|vm| install_compare(vm, &core));
        Session { interpreter, core }
    }

    /// Raises `KeyboardInterrupt` in the running code from another thread.
    pub fn interrupter(&self) -> Interrupter {
        self.core.interrupter.clone()
    }

    /// Runs one request to the end, streaming its events to the sink.
    pub fn execute(&self, request: &RunRequest) -> RunStatus {
        let started = Instant::now();
        let run_id = request.run_id;
        let core = &self.core;
        // Not in the browser: there every thread is a worker of the pool
        // that Python's own threads are counted against. A run's first
        // write and every write after a pause go out at once instead.
        if cfg!(not(target_os = "wasi")) && core.options.threads_unavailable.is_none() {
            core.flusher.call_once(|| start_flusher(&core.output));
        }
        core.run_id.store(run_id, Ordering::SeqCst);
        core.output.reset();
        core.interrupter.take_fired();
        (core.sink)(RunEvent::Started {
            run_id,
            engine: crate::engine_name(),
            variants: request.variants.iter().map(|v| v.name.clone()).collect(),
        });
        let status = self.interpreter.enter(|vm| {
            let py = Py {
                vm,
                core,
                nested: false,
            };
            let uses_gil = request
                .variants
                .iter()
                .any(|v| v.thread_mode.unwrap_or(request.options.thread_mode) == ThreadMode::Gil);
            if uses_gil
                && core.options.measure_gil_overhead
                && let Some(overhead) = py.gil_overhead()
            {
                py.emit(RunEvent::GilOverhead { run_id, overhead });
            }
            match request.mode {
                Mode::Run => run_programs(&py, request),
                Mode::Compare | Mode::Sweep | Mode::Program => harness::compare(&py, request),
            }
        });
        core.output.flush();
        (core.sink)(RunEvent::Finished {
            run_id,
            status,
            elapsed: started.elapsed().as_secs_f64(),
        });
        status
    }
}

/// Flushes batched output that would otherwise wait for the next write. A
/// thread of its own, which ends with the session.
fn start_flusher(output: &Arc<OutputBuffer>) {
    let Some(every) = output.batch_interval() else {
        return;
    };
    let weak = Arc::downgrade(output);
    let _ = std::thread::Builder::new()
        .name("pyrace-output".into())
        .spawn(move || {
            while let Some(output) = weak.upgrade() {
                output.flush_if_stale();
                drop(output);
                std::thread::sleep(every);
            }
        });
}

/// Replaces `sys.stdout`/`sys.stderr` with streams into `output`.
fn install_streams(vm: &VirtualMachine, output: &Arc<OutputBuffer>) {
    for (name, stream) in [
        ("stdout", OutputStream::Stdout),
        ("stderr", OutputStream::Stderr),
    ] {
        let obj = stream_object(vm, Arc::clone(output), stream);
        vm.sys_module
            .set_attr(name, obj.clone(), vm)
            .expect("set sys stream");
        let dunder = vm.ctx.new_str(format!("__{name}__"));
        vm.sys_module
            .set_attr(&dunder, obj, vm)
            .expect("set sys stream");
    }
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

impl Py<'_> {
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
        self.note_main_part(&code, &scope);
        self.guarded(|vm| vm.run_code_obj(code, scope)).map(drop)
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
        result.map_err(|exc| self.describe(&exc))
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
        self.core.baton.start_timeline(mode);
        self.call(&self.python().gil.enable, (interval, preempt))?;
        self.core.baton.rebase_timeline();
        if recording.has_rows() {
            let hooks = self.core.timeline_hooks.to_vec();
            self.call(&self.python().timeline.start, FuncArgs::from(hooks))?;
        }
        Ok(())
    }

    /// GIL mode's overhead on this engine: measured once, then remembered.
    /// `None` when it cannot be measured (threads unavailable).
    fn gil_overhead(&self) -> Option<GilOverhead> {
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
        self.core.baton.take_timeline()
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

/// Whether `error` is `SystemExit` with a success code (or none).
fn is_clean_exit(exc_type: &str, message: &str) -> bool {
    exc_type == "SystemExit" && (message.is_empty() || message == "0" || message == "None")
}

/// `Mode::Run`: each variant runs once as a whole program.
fn run_programs(py: &Py<'_>, request: &RunRequest) -> RunStatus {
    let mut status = RunStatus::Ok;
    let options = &request.options;
    let _untag = WriterReset(py);
    for variant in &request.variants {
        let mode = variant.thread_mode.unwrap_or(options.thread_mode);
        py.set_writer(Some(&variant.name));
        let setup_part = format!("{} setup", variant.name);
        let result = py
            .compile(&request.setup, "setup")
            .and_then(|shared| Ok((shared, py.compile(&variant.setup, &setup_part)?)))
            .and_then(|setups| Ok((setups, py.compile_program(&variant.code, &variant.name)?)))
            .and_then(|((shared, own), code)| {
                let scope = py.main_scope()?;
                // The shared setup, then the variant's own, then the program:
                // in one namespace, as if they were one file.
                py.exec(shared, scope.clone())?;
                py.exec(own, scope.clone())?;
                if std::path::Path::new(&variant.name).is_file() {
                    // A program run from a file knows its path, as under
                    // CPython; multiprocessing's children re-run it from there.
                    let path = py.vm.ctx.new_str(variant.name.as_str());
                    scope
                        .globals
                        .set_item("__file__", path.into(), py.vm)
                        .map_err(|e| py.describe(&e))?;
                }
                py.enter_thread_mode(mode, options.switch_interval, Recording::Always)?;
                let (ran, profile) = if options.profile {
                    py.exec_profiled(code, scope)
                } else {
                    (py.exec(code, scope), None)
                };
                // The main thread lets go of the GIL before it waits for
                // the others, or they could never finish.
                let timeline = py.leave_thread_mode();
                let finished = py.finish_program();
                if let Some(timeline) = timeline {
                    py.emit(RunEvent::Timeline {
                        run_id: py.run_id(),
                        variant: variant.name.clone(),
                        timeline,
                    });
                }
                if let Some(profile) = profile {
                    py.emit(RunEvent::Profile {
                        run_id: py.run_id(),
                        variant: variant.name.clone(),
                        profile,
                    });
                }
                ran.and(finished)
            });
        let Err(mut error) = result else { continue };
        if is_clean_exit(&error.exc_type, &error.message) {
            continue;
        }
        if error.exc_type == "SystemExit" {
            // As CPython: `sys.exit(n)` ends the program quietly with status n.
            error.traceback = String::new();
        }
        status = if error.kind == PyErrorKind::Timeout {
            RunStatus::Stopped
        } else {
            RunStatus::Failed
        };
        let run_id = py.run_id();
        if request.variants.len() == 1 {
            py.emit(RunEvent::Error { run_id, error });
        } else {
            py.emit(RunEvent::VariantError {
                run_id,
                variant: variant.name.clone(),
                error,
            });
        }
    }
    status
}

/// Adds `_pyrace.compare(request_json) -> comparison_json` and the `pyrace`
/// module over it, so a program can run the harness itself.
fn install_compare(vm: &VirtualMachine, core: &Arc<Core>) {
    let install_module = core.python.support.install_pyrace_module.clone();
    // Weak: the function lives in the interpreter the core belongs to.
    let core = Arc::downgrade(core);
    let compare = vm.new_function(
        "compare",
        move |request: PyStrRef, vm: &VirtualMachine| -> PyResult<String> {
            let core = core
                .upgrade()
                .ok_or_else(|| vm.new_runtime_error("the pyrace session has ended"))?;
            let request: RunRequest = serde_json::from_str(&request.to_string_lossy())
                .map_err(|e| vm.new_value_error(format!("not a pyrace request: {e}")))?;
            let py = Py {
                vm,
                core: &core,
                nested: true,
            };
            let comparison = harness::comparison(&py, &request)
                .map_err(|e| vm.new_runtime_error(format!("{e}\n{}", e.traceback)))?;
            Ok(serde_json::to_string(&comparison).expect("comparisons serialise"))
        },
    );
    let installed = vm.import("_pyrace", 0).and_then(|m| {
        m.set_attr("compare", compare.clone(), vm)?;
        install_module.call((compare,), vm)
    });
    installed.expect("_pyrace.compare installs");
}

/// Clears the output's writer when a run ends, however it ends.
struct WriterReset<'a, 'b>(&'a Py<'b>);

impl Drop for WriterReset<'_, '_> {
    fn drop(&mut self) {
        self.0.set_writer(None);
    }
}
