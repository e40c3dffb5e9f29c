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

use std::cell::RefCell;
use std::time::Instant;

use pyrace_model::analysis::analyze;
use pyrace_model::blocks;
use pyrace_model::limits::{self, is_identifier};
use pyrace_model::result_check::REPR_CHARS;
use pyrace_model::warmup::{self, Warmup};
use pyrace_model::{
    Comparison, Measurements, Mode, PyError, PyErrorKind, ResultCheck, RunEvent, RunRequest,
    RunStatus, Series, SizeMeasurements, ThreadMode,
};
use rustpython_vm::builtins::PyCode;
use rustpython_vm::scope::Scope;
use rustpython_vm::{PyObjectRef, PyRef, TryFromObject};

use crate::gil::Recording;
use crate::py::Py;
use pyrace_model::timing_source::{REPEAT, TIMER_FN, UNROLL_BELOW, timer_source, unroll_for};

/// Calibrated samples aim this much above the target sample time.
const CALIBRATION_MARGIN: f64 = 1.2;

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

/// Checks what can be checked before running anything.
pub fn validate(request: &RunRequest) -> Result<(), String> {
    if request.variants.is_empty() {
        return Err("nothing to compare: add at least one variant".into());
    }
    let mut seen = std::collections::HashSet::new();
    for v in &request.variants {
        if v.name.trim().is_empty() {
            return Err("every variant needs a name".into());
        }
        if !seen.insert(v.name.as_str()) {
            return Err(format!(
                "two variants are named {:?}: names must differ",
                v.name
            ));
        }
    }
    let o = &request.options;
    if !(o.target_sample > 0.0 && o.target_sample.is_finite()) {
        return Err("the target sample time must be a positive number of seconds".into());
    }
    limits::BUDGET.check("the budget", o.budget)?;
    limits::SWITCH_INTERVAL.check("the switch interval", o.switch_interval)?;
    if request.mode == Mode::Sweep {
        let Some(sweep) = &o.sweep else {
            return Err("a sweep needs sizes, e.g. n=10,100,1000".into());
        };
        if sweep.sizes.is_empty() {
            return Err("a sweep needs at least one size".into());
        }
        if !is_identifier(&sweep.var) {
            return Err(format!("{:?} cannot be a variable name", sweep.var));
        }
    }
    Ok(())
}

fn request_error(message: String) -> PyError {
    PyError {
        kind: PyErrorKind::Request,
        exc_type: "RequestError".into(),
        message,
        part: None,
        line: None,
        column: None,
        traceback: String::new(),
    }
}

/// Why a variant could not be made ready to time.
enum Unprepared {
    /// Its own code failed (it does not compile, its setup or its first
    /// run raised, its timing function could not be built): it is left
    /// out, the other variants go on.
    Variant(PyError),
    /// What every variant shares failed (the shared setup, the engine):
    /// the run fails as a whole.
    Run(PyError),
}

/// A variant ready to be timed.
struct Timed {
    name: String,
    mode: ThreadMode,
    /// `__pyrace_time(loops, clock[, n])`, or for programs the compiled program.
    timer: Timer,
    /// The same timing function with the statement written out `unroll_by`
    /// times per iteration, for statements too fast to time one per iteration.
    unrolled: Option<(PyObjectRef, u32)>,
    /// Executions of the statement per loop iteration at the current size:
    /// 1, or `unrolled`'s count once calibration chose it.
    unroll: u32,
    /// Loop iterations per sample.
    loops: u64,
    samples: Vec<f64>,
    /// Stopped taking part (failed, or ran out of budget in a sweep).
    out: bool,
}

enum Timer {
    Statement(PyObjectRef),
    /// A whole program, and the file its `multiprocessing` children read it from.
    Program(PyRef<PyCode>, Option<MainFile>),
}

/// A program timed as a whole runs as `__main__` without a file of its own,
/// but `multiprocessing` children (spawn) re-run the main module from its
/// file to find the functions they are asked to call, as under CPython. So
/// natively the program's source (its setups first) is written to a file
/// that `__main__.__file__` names for as long as the program is timed.
struct MainFile(std::path::PathBuf);

impl MainFile {
    #[cfg(not(target_os = "wasi"))]
    fn write(name: &str, parts: &[&str]) -> Option<MainFile> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNT: AtomicU64 = AtomicU64::new(0);
        let stem: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .take(40)
            .collect();
        let path = std::env::temp_dir().join(format!(
            "pyrace-{}-{}-{stem}.py",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        let source = parts.iter().fold(String::new(), |mut s, part| {
            s.push_str(part);
            s.push('\n');
            s
        });
        // Without the file a program still runs; only its children cannot
        // find what it defines, and they say so.
        std::fs::write(&path, source).ok().map(|()| MainFile(path))
    }

    /// Processes start from files only natively.
    #[cfg(target_os = "wasi")]
    fn write(_name: &str, _parts: &[&str]) -> Option<MainFile> {
        None
    }
}

impl Drop for MainFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
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
            _ => Some(Timed::new(
                BASELINE,
                // Free threading: GIL mode's own cost is part of what a
                // GIL-mode variant measures, not of the baseline.
                ThreadMode::Free,
                // The empty statement does not use `n`: it takes no size.
                Timer::Statement(self.timer_function(&[], "pass", None, 1, &repeat)?),
                None,
            )),
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
            measured.push(SizeMeasurements {
                blocks: sampled.blocks,
                warmup: Some(sampled.warmup),
                n: *n,
                baseline: if i == 0 {
                    baseline.as_ref().map(series_of)
                } else {
                    None
                },
                variants: timed.iter().filter(|t| !t.out).map(series_of).collect(),
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

    /// Compiles a variant and runs it once outside the timer, so that its
    /// errors point at its own lines; then builds its timing function.
    fn prepare(
        &self,
        variant: &pyrace_model::Variant,
        shared: &PyRef<PyCode>,
        n: Option<u64>,
        repeat: &PyObjectRef,
    ) -> Result<Timed, Unprepared> {
        let py = self.py;
        py.set_writer(Some(&variant.name));
        let setup_part = format!("{} setup", variant.name);
        let compiled = py
            .compile(&variant.setup, &setup_part)
            .and_then(|s| Ok((s, py.compile(&variant.code, &variant.name)?)));
        let (own_setup, stmt) = compiled.map_err(Unprepared::Variant)?;
        let main_file = match self.request.mode {
            Mode::Program => MainFile::write(
                &variant.name,
                &[&self.request.setup, &variant.setup, &variant.code],
            ),
            _ => None,
        };
        let scope = if self.request.mode == Mode::Program {
            self.program_scope(main_file.as_ref())
                .map_err(Unprepared::Run)?
        } else {
            py.vm.new_scope_with_builtins()
        };
        if let (Some(var), Some(n)) = (self.sweep_var(), n) {
            let value = py.vm.ctx.new_int(n);
            scope
                .globals
                .set_item(var, value.into(), py.vm)
                .map_err(|e| Unprepared::Run(py.describe(&e)))?;
        }
        let mode = variant
            .thread_mode
            .unwrap_or(self.request.options.thread_mode);
        // A broken shared setup breaks every variant: the run fails as a whole.
        py.exec(shared.clone(), scope.clone())
            .map_err(Unprepared::Run)?;
        py.exec(own_setup, scope.clone())
            .map_err(Unprepared::Variant)?;
        let interval = self.request.options.switch_interval;
        let recording = match self.request.mode {
            // The trial's timeline is shown (below).
            Mode::Program => Recording::GilMode,
            _ => Recording::Off,
        };
        py.enter_thread_mode(mode, interval, recording)
            .map_err(Unprepared::Run)?;
        let check = self.request.options.check_result.as_deref();
        // Checking the last line's value: the first run keeps it too.
        let trial_code = match check {
            Some("") => self
                .keeping_last_value(&variant.code, &variant.name)
                .map_err(Unprepared::Run)?,
            _ => stmt.clone(),
        };
        let trial = py.exec(trial_code, scope.clone());
        if trial.is_ok() && check.is_some() {
            self.ran
                .borrow_mut()
                .push((variant.name.clone(), scope.globals.clone().into()));
        }
        let timeline = py.leave_thread_mode();
        if let (Some(timeline), Mode::Program) = (timeline, self.request.mode) {
            py.emit(RunEvent::Timeline {
                run_id: py.run_id(),
                variant: variant.name.clone(),
                timeline,
            });
        }
        if let Err(e) = trial {
            let _ = py.finish_program();
            return Err(Unprepared::Variant(e));
        }
        if self.request.mode == Mode::Program {
            // The trial run showed the program's output; repeats stay quiet.
            py.finish_program().map_err(Unprepared::Variant)?;
            py.between_programs();
            return Ok(Timed::new(
                &variant.name,
                mode,
                Timer::Program(stmt, main_file),
                None,
            ));
        }
        let setups = [self.request.setup.as_str(), variant.setup.as_str()];
        let var = self.sweep_var();
        let timed = self
            .timer_function(&setups, &variant.code, var, 1, repeat)
            .and_then(|f| {
                let unrolled = match unroll_for(&variant.code) {
                    1 => None,
                    k => Some((
                        self.timer_function(&setups, &variant.code, var, k, repeat)?,
                        k,
                    )),
                };
                Ok(Timed::new(
                    &variant.name,
                    mode,
                    Timer::Statement(f),
                    unrolled,
                ))
            });
        timed.map_err(Unprepared::Variant)
    }

    /// A variant's code compiled to keep its last line's value (support.py).
    fn keeping_last_value(&self, code: &str, filename: &str) -> Result<PyRef<PyCode>, PyError> {
        let py = self.py;
        let compiled = py.call(
            &py.python().support.keep_last_value,
            (code.to_owned(), filename.to_owned()),
        )?;
        compiled
            .downcast::<PyCode>()
            .map_err(|_| request_error("the same-result check could not compile a variant".into()))
    }

    /// The same-result check over the variants whose first run worked:
    /// emitted before any timing, so a mismatch is seen first.
    fn check_results(&self) -> Result<(), PyError> {
        let Some(name) = self.request.options.check_result.as_deref() else {
            return Ok(());
        };
        let py = self.py;
        let ran = std::mem::take(&mut *self.ran.borrow_mut());
        if ran.len() < 2 {
            return Ok(());
        }
        let vm = py.vm;
        let pairs: Vec<PyObjectRef> = ran
            .into_iter()
            .map(|(variant, globals)| {
                vm.ctx
                    .new_tuple(vec![vm.ctx.new_str(variant).into(), globals])
                    .into()
            })
            .collect();
        let json = py.call(
            &py.python().support.check_results,
            (vm.ctx.new_list(pairs), name.to_owned(), REPR_CHARS),
        )?;
        let json = json.str(vm).map_err(|e| py.describe(&e))?;
        let check: ResultCheck = serde_json::from_str(&json.to_string_lossy())
            .map_err(|e| request_error(format!("the same-result check: {e}")))?;
        py.emit(RunEvent::ResultCheck {
            run_id: py.run_id(),
            check,
        });
        Ok(())
    }

    /// A fresh `__main__` for a program, naming its file when it has one.
    fn program_scope(&self, file: Option<&MainFile>) -> Result<Scope, PyError> {
        let py = self.py;
        let scope = py.main_scope()?;
        if let Some(MainFile(path)) = file {
            let path = py.vm.ctx.new_str(path.to_string_lossy().as_ref());
            scope
                .globals
                .set_item("__file__", path.into(), py.vm)
                .map_err(|e| py.describe(&e))?;
        }
        Ok(scope)
    }

    fn timer_function(
        &self,
        setups: &[&str],
        stmt: &str,
        var: Option<&str>,
        unroll: u32,
        repeat: &PyObjectRef,
    ) -> Result<PyObjectRef, PyError> {
        let py = self.py;
        let source = timer_source(setups, stmt, var, unroll);
        let code = py.compile(&source, "timing function")?;
        let scope = py.vm.new_scope_with_builtins();
        scope
            .globals
            .set_item(REPEAT, repeat.clone(), py.vm)
            .map_err(|e| py.describe(&e))?;
        py.exec(code, scope.clone())?;
        scope
            .globals
            .get_item(TIMER_FN, py.vm)
            .map_err(|e| py.describe(&e))
    }

    /// One sample: seconds for `loops` executions.
    fn sample(
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
        let secs = self.sample_in_mode(t, loops, n, clock);
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

    fn sample_in_mode(
        &self,
        t: &Timed,
        loops: u64,
        n: Option<u64>,
        clock: &PyObjectRef,
    ) -> Result<f64, PyError> {
        let py = self.py;
        match &t.timer {
            Timer::Statement(plain) => {
                let f = match &t.unrolled {
                    Some((f, k)) if *k == t.unroll => f,
                    _ => plain,
                };
                let loops_obj: PyObjectRef = py.vm.ctx.new_int(loops).into();
                let secs = match n {
                    Some(n) => {
                        let n_obj: PyObjectRef = py.vm.ctx.new_int(n).into();
                        py.guarded(|vm| f.call((loops_obj, clock.clone(), n_obj), vm))?
                    }
                    None => py.guarded(|vm| f.call((loops_obj, clock.clone()), vm))?,
                };
                f64::try_from_object(py.vm, secs).map_err(|e| py.describe(&e))
            }
            Timer::Program(code, main_file) => {
                let scope: Scope = self.program_scope(main_file.as_ref())?;
                py.set_output_muted(true);
                let t0 = Instant::now();
                let ran = py.exec(code.clone(), scope);
                let secs = t0.elapsed().as_secs_f64();
                py.set_output_muted(false);
                ran.map(|_| secs)
            }
        }
    }

    /// Finds the loop count whose sample lasts at least the target, trying
    /// 1, 2, 5, 10, 20, 50… as `timeit.autorange` does.
    fn calibrate(
        &mut self,
        t: &mut Timed,
        n: Option<u64>,
        clock: &PyObjectRef,
        deadline: f64,
    ) -> Result<(), PyError> {
        let target = self.request.options.target_sample;
        if matches!(t.timer, Timer::Program(..)) {
            t.loops = 1;
            return Ok(());
        }
        let mut loops: u64 = 1;
        t.unroll = 1;
        let mut secs = self.sample(t, loops, n, clock)?;
        // One cold execution already shows whether the loop's own cost would
        // weigh in this statement's samples: if so, time it unrolled.
        if let Some((_, k)) = t.unrolled
            && secs < UNROLL_BELOW
        {
            t.unroll = k;
        }
        loop {
            secs = self.sample(t, loops, n, clock)?;
            if secs >= target || self.elapsed() >= deadline {
                break;
            }
            loops = next_loop_count(loops);
        }
        // The steps above ran the statement cold (the VM specialises code
        // as it runs it): measure once more at the count found, warm, and
        // scale from that, with a margin so that samples stay above the
        // target when the machine gets quieter than it was now.
        if self.elapsed() < deadline && secs > 0.0 {
            loops = scale_loops(loops, target, secs);
            secs = self.sample(t, loops, n, clock)?;
        }
        t.loops = if secs > 0.0 {
            scale_loops(loops, target, secs)
        } else {
            loops
        };
        Ok(())
    }

    /// Calibrates, warms up and samples every live variant at size `n`.
    fn measure_size(
        &mut self,
        timed: &mut [Timed],
        mut baseline: Option<&mut Timed>,
        n: Option<u64>,
        clock: &PyObjectRef,
        deadline: f64,
    ) -> Result<SizeSampled, PyError> {
        let o = self.request.options.clone();
        let run_id = self.py.run_id();
        for t in timed.iter_mut() {
            t.samples.clear();
        }
        if let Some(b) = baseline.as_deref_mut() {
            self.calibrate(b, None, clock, deadline)?;
        }
        for t in timed.iter_mut().filter(|t| !t.out) {
            match self.calibrate(t, n, clock, deadline) {
                Ok(()) => self.py.emit(RunEvent::Calibrated {
                    run_id,
                    variant: t.name.clone(),
                    n,
                    loops: t.executions(),
                }),
                Err(e) => {
                    t.out = true;
                    self.variant_failed(&t.name, e);
                }
            }
        }

        // Warm-up: rounds thrown away until every variant's samples have
        // settled (`model::warmup`), at most a share of this size's time.
        let warm_start = self.elapsed();
        let warm_limit = warm_start + (deadline - warm_start).max(0.0) * limits::WARMUP_SHARE;
        let mut warm: Vec<Vec<f64>> = vec![Vec::new(); timed.len() + 1];
        let mut rounds: u32 = 0;
        let settled = loop {
            self.round(
                timed,
                baseline.as_deref_mut(),
                n,
                clock,
                rounds as usize,
                |i, x| warm[i].push(x),
            )?;
            rounds += 1;
            if timed.iter().all(|t| t.out) {
                break false;
            }
            let settled = timed
                .iter()
                .enumerate()
                .filter(|(_, t)| !t.out)
                .map(|(i, _)| i)
                .chain(baseline.is_some().then_some(timed.len()))
                .all(|i| warmup::settled(&warm[i]));
            if rounds >= o.warmup_rounds && (settled || self.elapsed() >= warm_limit) {
                break settled;
            }
        };
        let warmup = Warmup {
            rounds,
            seconds: self.elapsed() - warm_start,
            settled,
        };
        // Calibration ran the statements cold; scale each loop count again
        // from its warm samples, so that samples taken after the warm-up
        // still last the target.
        let target = o.target_sample;
        for (i, t) in timed.iter_mut().enumerate().filter(|(_, t)| !t.out) {
            rescale(t, &warm[i], target);
        }
        if let Some(b) = baseline.as_deref_mut() {
            rescale(b, &warm[timed.len()], target);
        }

        // Kept rounds, in blocks: within a block every round takes the
        // variants in one order, each block starting one variant further on
        // (`model::blocks`: their disagreement widens the intervals).
        let start = self.elapsed();
        let span = (deadline - start).max(0.0);
        let mut blocks: Vec<u32> = Vec::new();
        let mut kept: u32 = 0;
        loop {
            let round_start = self.elapsed();
            let block = blocks::block_of_round(round_start - start, span, kept, o.max_rounds);
            while blocks.len() <= block {
                blocks.push(kept);
            }
            let mut taken = Vec::new();
            self.round(timed, baseline.as_deref_mut(), n, clock, block, |i, x| {
                taken.push((i, x))
            })?;
            for (i, per_loop) in taken {
                match timed.get_mut(i) {
                    Some(t) => {
                        t.samples.push(per_loop);
                        self.py.emit(RunEvent::Sample {
                            run_id,
                            variant: t.name.clone(),
                            n,
                            round: kept,
                            seconds_per_loop: per_loop,
                        });
                    }
                    None => {
                        if let Some(b) = baseline.as_deref_mut() {
                            b.samples.push(per_loop);
                        }
                    }
                }
            }
            kept += 1;
            if timed.iter().all(|t| t.out) || kept >= o.max_rounds {
                return Ok(SizeSampled {
                    short: false,
                    warmup,
                    blocks,
                });
            }
            let round_time = self.elapsed() - round_start;
            if self.elapsed() + round_time > deadline {
                return Ok(SizeSampled {
                    short: kept < o.min_rounds,
                    warmup,
                    blocks,
                });
            }
        }
    }

    /// One round: the baseline, then one sample of every live variant,
    /// starting `turn` variants on. `took(i, seconds_per_loop)` sees each
    /// sample (`i` = the variant's index; `timed.len()` for the baseline).
    fn round(
        &mut self,
        timed: &mut [Timed],
        baseline: Option<&mut Timed>,
        n: Option<u64>,
        clock: &PyObjectRef,
        turn: usize,
        mut took: impl FnMut(usize, f64),
    ) -> Result<(), PyError> {
        if let Some(b) = baseline {
            let s = self.sample(b, b.loops, None, clock)?;
            took(timed.len(), s / b.loops as f64);
        }
        let count = timed.len();
        for k in 0..count {
            let i = (k + turn) % count;
            let t = &mut timed[i];
            if t.out {
                continue;
            }
            match self.sample(t, t.loops, n, clock) {
                Ok(secs) => took(i, secs / t.executions() as f64),
                Err(e) => {
                    t.out = true;
                    let name = t.name.clone();
                    self.variant_failed(&name, e);
                }
            }
        }
        Ok(())
    }
}

/// How one size's sampling went.
struct SizeSampled {
    /// The budget cut sampling short of `min_rounds`.
    short: bool,
    warmup: Warmup,
    /// The kept round each block began at.
    blocks: Vec<u32>,
}

impl Timed {
    /// A variant ready to calibrate: one loop per sample, none taken yet.
    fn new(
        name: &str,
        mode: ThreadMode,
        timer: Timer,
        unrolled: Option<(PyObjectRef, u32)>,
    ) -> Self {
        Timed {
            name: name.to_owned(),
            mode,
            timer,
            unrolled,
            unroll: 1,
            loops: 1,
            samples: Vec::new(),
            out: false,
        }
    }

    /// Executions of the statement per sample.
    fn executions(&self) -> u64 {
        self.loops * u64::from(self.unroll)
    }
}

fn series_of(t: &Timed) -> Series {
    Series {
        name: t.name.clone(),
        loops: t.executions(),
        unroll: t.unroll,
        samples: t.samples.clone(),
    }
}

/// Scales a statement's loop count from the median of its last warm-up
/// samples (seconds per execution); whole programs keep one loop.
fn rescale(t: &mut Timed, warm: &[f64], target: f64) {
    if matches!(t.timer, Timer::Program(..)) || warm.is_empty() {
        return;
    }
    let mut last = warm[warm.len().saturating_sub(limits::WARMUP_WINDOW)..].to_vec();
    last.sort_by(f64::total_cmp);
    let per_execution = last[last.len() / 2];
    if per_execution > 0.0 {
        let secs = per_execution * t.executions() as f64;
        t.loops = scale_loops(t.loops, target, secs);
    }
}

/// The loop count that makes a sample of `secs` at `loops` last the target,
/// with the calibration margin.
fn scale_loops(loops: u64, target: f64, secs: f64) -> u64 {
    (((loops as f64) * target * CALIBRATION_MARGIN / secs).ceil() as u64).max(1)
}

/// 1, 2, 5, 10, 20, 50, 100…
fn next_loop_count(loops: u64) -> u64 {
    let mut decade = 1;
    while decade * 10 <= loops {
        decade *= 10;
    }
    match loops / decade {
        1 => 2 * decade,
        2 => 5 * decade,
        _ => 10 * decade,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loop_counts_follow_autorange() {
        let mut l = 1;
        let mut seen = vec![l];
        for _ in 0..7 {
            l = next_loop_count(l);
            seen.push(l);
        }
        assert_eq!(seen, [1, 2, 5, 10, 20, 50, 100, 200]);
    }
}
