//! A variant made ready to time: compiled, its setups and a first run
//! outside the timer (so that its errors point at its own lines), the
//! same-result check over those first runs, and a program's `__main__`.

use pyrace_model::result_check::REPR_CHARS;
use pyrace_model::{Mode, PyError, ResultCheck, RunEvent};
use rustpython_vm::builtins::PyCode;
use rustpython_vm::scope::Scope;
use rustpython_vm::{PyObjectRef, PyRef};

use super::Harness;
use super::main_file::MainFile;
use super::timed::{Timed, Timing};
use super::validate::request_error;
use crate::gil::Recording;

/// Why a variant could not be made ready to time.
pub(super) enum Unprepared {
    /// Its own code failed (it does not compile, its setup or its first
    /// run raised, its timing function could not be built): it is left
    /// out, the other variants go on.
    Variant(PyError),
    /// What every variant shares failed (the shared setup, the engine):
    /// the run fails as a whole.
    Run(PyError),
}

impl Harness<'_, '_> {
    /// Compiles a variant and runs it once outside the timer, so that its
    /// errors point at its own lines; then builds its timing function.
    pub(super) fn prepare(
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
            let program = Timing::Program(stmt, main_file);
            return self
                .timed(&variant.name, mode, program, repeat)
                .map_err(Unprepared::Variant);
        }
        let setups = [self.request.setup.as_str(), variant.setup.as_str()];
        let statement = Timing::Statement {
            setups: &setups,
            code: &variant.code,
            var: self.sweep_var(),
            unroll: true,
            memory: self.measures_memory,
        };
        self.timed(&variant.name, mode, statement, repeat)
            .map_err(Unprepared::Variant)
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
    pub(super) fn check_results(&self) -> Result<(), PyError> {
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
    pub(super) fn program_scope(&self, file: Option<&MainFile>) -> Result<Scope, PyError> {
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
}
