//! A program run under the line tracer and the memory meter
//! (`_pyrace_profiler`, the same Python code CPython runs for
//! `pyrace profile --python`): what they measured comes back even when the
//! program raised or ran past its time limit.

use pyrace_model::limits::{MAX_CALL_TREE_NODES, MAX_PROFILE_LINES, STOP_POLL_SECONDS};
use pyrace_model::{MemoryProfile, PyError, TraceProfile};
use rustpython_vm::builtins::PyCode;
use rustpython_vm::function::FuncArgs;
use rustpython_vm::scope::Scope;
use rustpython_vm::{PyRef, convert::ToPyObject};
use serde::Deserialize;

use crate::py::Py;

/// What the tracer and the meter measured of one run.
#[derive(Debug, Default)]
pub(crate) struct Traced {
    pub profile: Option<TraceProfile>,
    pub memory: Option<MemoryProfile>,
    /// The reader's Stop ended the program (in the browser, where the
    /// tracer asks for it): the run was stopped, and raised nothing of its own.
    pub stopped: bool,
}

/// `trace_stop`'s reply, and `profile_runner.py`'s: each part the
/// profiler's own JSON, or null.
#[derive(Deserialize)]
pub struct TracerReply {
    pub traced: Option<String>,
    pub memory: Option<String>,
    /// Whether the tracer stopped the program at the reader's Stop.
    #[serde(default)]
    pub stopped: bool,
}

impl TracerReply {
    /// The profiles the reply carries; a part that does not read is an error.
    pub fn profiles(&self) -> Result<(Option<TraceProfile>, Option<MemoryProfile>), String> {
        let profile = self
            .traced
            .as_deref()
            .map(TraceProfile::from_tracer_json)
            .transpose()?;
        let memory = self
            .memory
            .as_deref()
            .map(|json| {
                serde_json::from_str::<MemoryProfile>(json)
                    .map_err(|e| format!("unreadable memory profile: {e}"))
            })
            .transpose()?;
        Ok((profile, memory))
    }
}

impl Py<'_> {
    /// Runs `code` in `scope` with the lines of `file` traced (`lines`)
    /// and its memory measured (`memory`): the run's result, and what was
    /// measured up to its end, however it ended.
    pub fn exec_traced(
        &self,
        code: PyRef<PyCode>,
        scope: Scope,
        file: &str,
        lines: bool,
        memory: bool,
    ) -> (Result<(), PyError>, Traced) {
        let support = &self.python().support;
        let vm = self.vm;
        let files = vm.ctx.new_list(vec![vm.ctx.new_str(file).into()]);
        // In the browser the hooks' cost is left in, as line_profiler
        // leaves it in (`hook_seconds` 0): where lines do less work than a
        // hook costs (a few µs while V8 is still tiering the engine up),
        // the calibration's spread from run to run outweighs the work, and
        // a correction a little high reads every line as zero
        // (docs/method.md). It is still measured, for `hook_share`.
        let calibrate = !cfg!(target_os = "wasi");
        let started = match self.call(
            &support.trace_start,
            FuncArgs::from(vec![
                files.into(),
                MAX_PROFILE_LINES.to_pyobject(vm),
                MAX_CALL_TREE_NODES.to_pyobject(vm),
                lines.to_pyobject(vm),
                memory.to_pyobject(vm),
                calibrate.to_pyobject(vm),
                STOP_POLL_SECONDS.to_pyobject(vm),
            ]),
        ) {
            Ok(started) => started,
            Err(e) => return (Err(e), Traced::default()),
        };
        // Stopped before the error is described: describing runs Python
        // (the traceback module) that is no part of the program.
        let ran = self.exec_undescribed(code, scope);
        let traced = self
            .call(&support.trace_stop, (started,))
            .map_err(|e| e.to_string())
            .and_then(|json| {
                json.try_into_value::<String>(vm)
                    .map_err(|_| "trace_stop gave no text".to_owned())
            })
            .and_then(|json| serde_json::from_str::<TracerReply>(&json).map_err(|e| e.to_string()))
            .and_then(|reply| Ok((reply.profiles()?, reply.stopped)));
        let ran = ran.map_err(|exc| self.describe(&exc));
        match traced {
            Ok(((profile, memory), stopped)) => (
                ran,
                Traced {
                    profile,
                    memory,
                    stopped,
                },
            ),
            Err(e) => {
                eprintln!("pyrace: the profile was lost: {e}");
                (ran, Traced::default())
            }
        }
    }
}
