//! `Session`: one RustPython interpreter, reused across runs, that executes
//! `RunRequest`s and streams `RunEvent`s. The CLI and the browser build both
//! drive this type, so tests of it test what runs in the browser.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pyrace_model::{Mode, OutputStream, PyErrorKind, RunEvent, RunRequest, RunStatus, ThreadMode};
use rustpython_vm::builtins::PyStrRef;
use rustpython_vm::function::FuncArgs;
use rustpython_vm::{Interpreter, PyObjectRef, PyResult, VirtualMachine};

use crate::gil::{Baton, Recording};
use crate::harness;
use crate::interrupt::{Interrupter, Watchdog};
use crate::output::{OutputBuffer, stream_object};
use crate::py::{Core, Py};
use crate::python_side::PythonSide;
use crate::session_options::{EventSink, SessionOptions};
use crate::timeline::Recorder;

/// A Python interpreter ready to run requests.
pub struct Session {
    interpreter: Interpreter,
    core: Arc<Core>,
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
        let recorder: Arc<Recorder> = Arc::default();
        let baton = Baton::new(Arc::clone(&recorder));
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
                crate::gil::python_hooks(vm, &baton, &recorder).into_config(),
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
            let timeline_hooks = crate::timeline::python_hooks(vm, &recorder);
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
            recorder,
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
            let py = Py::new(vm, core, false);
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

/// Whether `error` is `SystemExit` with a success code (or none).
fn is_clean_exit(exc_type: &str, message: &str) -> bool {
    exc_type == "SystemExit" && (message.is_empty() || message == "0" || message == "None")
}

/// `Mode::Run`: each variant runs once as a whole program.
fn run_programs(py: &Py<'_>, request: &RunRequest) -> RunStatus {
    let mut status = RunStatus::Ok;
    let options = &request.options;
    let _untag = WriterReset(py);
    // Set when the reader's Stop ended a traced program: no later variant
    // runs, and the run ends stopped with what was measured.
    let mut stopped_by_reader = false;
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
                let mut traced = crate::traced_run::Traced::default();
                let (ran, profile) = if options.profile {
                    py.exec_profiled(code, scope)
                } else if options.trace_lines || options.memory {
                    let file = code.source_path().as_str().to_owned();
                    let (ran, measured) =
                        py.exec_traced(code, scope, &file, options.trace_lines, options.memory);
                    traced = measured;
                    (ran, None)
                } else {
                    (py.exec(code, scope), None)
                };
                // The tracer's figures go out first: they are complete once
                // the main program ends (and a thread still running after a
                // Stop must not hold them back).
                if let Some(profile) = traced.profile {
                    py.emit(RunEvent::Traced {
                        run_id: py.run_id(),
                        variant: variant.name.clone(),
                        profile,
                    });
                }
                if let Some(memory) = traced.memory {
                    py.emit(RunEvent::Memory {
                        run_id: py.run_id(),
                        variant: variant.name.clone(),
                        memory,
                    });
                }
                if traced.stopped {
                    // As a process that Stop ends: its threads are not
                    // waited for, its error is no error of the program's.
                    stopped_by_reader = true;
                    let _ = py.leave_thread_mode();
                    return Ok(());
                }
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
        if stopped_by_reader {
            status = RunStatus::Stopped;
            break;
        }
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
            let py = Py::new(vm, &core, true);
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
