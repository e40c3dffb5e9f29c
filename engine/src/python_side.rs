//! The engine's Python side, looked up once: the functions of `support.py`,
//! `gil.py`, `_pyrace_timeline` and `_pyrace_exit` that the Rust side calls,
//! each a named field. A session resolves them all when it starts, so a
//! function that is missing (renamed in Python, misspelt in Rust) stops the
//! engine at start-up with its module and name, not a run halfway through.

use rustpython_vm::compiler::Mode as CompileMode;
use rustpython_vm::{PyObjectRef, PyResult, VirtualMachine};

/// Modules pyrace supplies where RustPython has none, by import name.
const SHIMS: &[(&str, &str)] = &[
    ("cProfile", include_str!("shims/cProfile.py")),
    // The line tracer and memory meter, the same code CPython runs.
    (
        "_pyrace_profiler",
        include_str!("../python/pyrace_profiler.py"),
    ),
    ("_pyrace_asyncio", include_str!("shims/_pyrace_asyncio.py")),
    ("_pyrace_procs", include_str!("shims/_pyrace_procs.py")),
    ("_pyrace_imports", include_str!("shims/_pyrace_imports.py")),
    ("_pyrace_exit", include_str!("shims/_pyrace_exit.py")),
    (
        "_pyrace_timeline",
        include_str!("shims/_pyrace_timeline.py"),
    ),
    // Found only where the engine has no `_multiprocessing` of its own (WASI).
    (
        "_multiprocessing",
        include_str!("shims/_multiprocessing.py"),
    ),
];

/// A function the Rust side calls that its Python module does not define.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MissingFunction {
    pub module: &'static str,
    pub name: &'static str,
    /// The module has the name, but not as something callable.
    pub not_callable: bool,
}

impl std::fmt::Display for MissingFunction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = if self.not_callable {
            "is not a function"
        } else {
            "is missing"
        };
        write!(
            f,
            "the engine's Python side is incomplete: {}.{} {what}",
            self.module, self.name
        )
    }
}

impl std::error::Error for MissingFunction {}

/// `module.name`, which must be callable.
fn function(
    module: &PyObjectRef,
    module_name: &'static str,
    name: &'static str,
    vm: &VirtualMachine,
) -> Result<PyObjectRef, MissingFunction> {
    let missing = |not_callable| MissingFunction {
        module: module_name,
        name,
        not_callable,
    };
    let found = module.get_attr(name, vm).map_err(|_| missing(false))?;
    if found.is_callable() {
        Ok(found)
    } else {
        Err(missing(true))
    }
}

/// Declares the functions of one Python module as a struct whose field
/// names are the functions' names: written once, so the name looked up
/// cannot drift from the name used.
macro_rules! python_functions {
    ($(#[$doc:meta])* $name:ident from $module:literal {
        $($(#[$field_doc:meta])* $field:ident,)*
    }) => {
        $(#[$doc])*
        pub(crate) struct $name {
            $($(#[$field_doc])* pub $field: PyObjectRef,)*
        }

        impl $name {
            /// The module's name (also the file name of its code).
            pub const MODULE: &'static str = $module;

            /// Every function of the struct, from `module`.
            pub fn look_up(module: &PyObjectRef, vm: &VirtualMachine) -> Result<Self, MissingFunction> {
                Ok($name {
                    $($field: function(module, $module, stringify!($field), vm)?,)*
                })
            }
        }
    };
}

python_functions! {
    /// `support.py`: tracebacks, shims, output, profiling, the same-result check.
    Support from "_pyrace_support" {
        /// `(filename, source)`: tracebacks through `filename` show its lines.
        register_source,
        /// `(namespace, filename)`: that file's code ran in `namespace`.
        ran_in,
        /// `(exception)` → JSON of its type, message, place and traceback.
        describe,
        /// `([(name, source)])`: the modules pyrace supplies, and the patches.
        install_shims,
        /// `(flush)`: output is delivered before every `time.sleep`.
        install_sleep_flush,
        /// `(message)`: starting a thread raises `RuntimeError(message)`.
        forbid_threads,
        /// `(compare)`: `import pyrace` over `_pyrace.compare`.
        install_pyrace_module,
        /// `()` → a `cProfile` profiler, enabled.
        profile_start,
        /// `(profiler)` → JSON of its rows.
        profile_rows,
        /// `(files, max_lines, max_nodes, lines, memory)` → the tracer and
        /// memory meter asked for, started.
        trace_start,
        /// `(started)` → JSON of `{"traced": …, "memory": …}`, each the
        /// profiler's JSON or null.
        trace_stop,
        /// `()` → a timed statement's memory meter (`StatementMeter`).
        statement_meter,
        /// `(clock)` → the clock's step in seconds.
        timer_step,
        /// `(source, filename)` → code that keeps its last line's value.
        keep_last_value,
        /// `([(variant, namespace)], name, repr_chars)` → JSON of a `ResultCheck`.
        check_results,
        /// `()`: waits for the program's non-daemon threads.
        join_threads,
        /// `()`: the shutdown flags the end of a program set, cleared.
        reopen_after_shutdown,
        /// `()`: the last program's `__main__` emptied and collected.
        release_main,
        /// `()`: in the browser, children warm for the next run of a program.
        between_programs,
    }
}

python_functions! {
    /// `gil.py`: GIL mode, and the wrappers free-threaded timelines use.
    Gil from "_pyrace_gil" {
        /// `(**hooks)`: the native functions GIL mode runs with, once.
        configure,
        /// `(interval, preempt)`: GIL mode (or, without `preempt`, the
        /// free-threaded timeline's wrappers) from now on.
        enable,
        /// `()`: the standard library as it was; the caller lets go of the baton.
        disable,
        /// `(clock)` → seconds of a loop without and with the switching hook.
        measure_overhead,
    }
}

python_functions! {
    /// `_pyrace_timeline`: rows for asyncio tasks and child processes.
    Timeline from "_pyrace_timeline" {
        /// `(now, row, mark, step, end)`: record tasks and processes from now.
        start,
        /// `()`: record nothing more.
        stop,
    }
}

python_functions! {
    /// `_pyrace_exit`: the end of a program, as the end of a process.
    Exit from "_pyrace_exit" {
        /// `()`: exit handlers, then what the program held is given back.
        exit_program,
    }
}

/// Every Python function the Rust side of a session calls.
pub(crate) struct PythonSide {
    pub support: Support,
    pub gil: Gil,
    pub timeline: Timeline,
    pub exit: Exit,
}

impl PythonSide {
    /// Runs the session's own modules, installs the shims (which the
    /// timeline and exit modules are), and looks every function up.
    pub fn load(vm: &VirtualMachine) -> Result<PythonSide, String> {
        let fails = |module: &'static str| {
            move |e: rustpython_vm::builtins::PyBaseExceptionRef| {
                let mut text = String::new();
                let _ = vm.write_exception(&mut text, &e);
                format!("pyrace's {module} does not load: {text}")
            }
        };
        let found = |e: MissingFunction| e.to_string();
        let support_module = load_module(vm, Support::MODULE, include_str!("support.py"))
            .map_err(fails(Support::MODULE))?;
        let support = Support::look_up(&support_module, vm).map_err(found)?;
        let gil_module =
            load_module(vm, Gil::MODULE, include_str!("gil.py")).map_err(fails(Gil::MODULE))?;
        let gil = Gil::look_up(&gil_module, vm).map_err(found)?;
        let shims = vm.ctx.new_list(
            SHIMS
                .iter()
                .map(|(name, source)| {
                    vm.ctx
                        .new_tuple(vec![
                            vm.ctx.new_str(*name).into(),
                            vm.ctx.new_str(*source).into(),
                        ])
                        .into()
                })
                .collect(),
        );
        support
            .install_shims
            .call((shims,), vm)
            .map_err(fails("shims"))?;
        let timeline_module = vm
            .import(Timeline::MODULE, 0)
            .map_err(fails(Timeline::MODULE))?;
        let timeline = Timeline::look_up(&timeline_module, vm).map_err(found)?;
        let exit_module = vm.import(Exit::MODULE, 0).map_err(fails(Exit::MODULE))?;
        let exit = Exit::look_up(&exit_module, vm).map_err(found)?;
        Ok(PythonSide {
            support,
            gil,
            timeline,
            exit,
        })
    }
}

/// Runs `source` as the private module `name` (not importable by snippets).
fn load_module(vm: &VirtualMachine, name: &'static str, source: &str) -> PyResult<PyObjectRef> {
    let scope = vm.new_scope_with_builtins();
    let code = vm
        .compile(source, CompileMode::Exec, format!("<{name}>"))
        .map_err(|e| e.into_pyexception(vm, Some(source)))?;
    vm.run_code_obj(code, scope.clone())?;
    let module = vm.new_module(name, scope.globals, None);
    Ok(module.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module of `source`, run in a fresh interpreter, handed to `f`.
    fn with_module<T>(source: &str, f: impl FnOnce(&PyObjectRef, &VirtualMachine) -> T) -> T {
        let (interpreter, _) = crate::interpreter::build(None);
        interpreter.enter(|vm| {
            let scope = vm.new_scope_with_builtins();
            let code = vm
                .compile(source, CompileMode::Exec, "<test>".to_owned())
                .expect("test module compiles");
            vm.run_code_obj(code, scope.clone())
                .expect("test module runs");
            let module: PyObjectRef = vm.new_module("test", scope.globals, None).into();
            f(&module, vm)
        })
    }

    #[test]
    fn the_engines_own_modules_define_every_function() {
        let (interpreter, _) = crate::interpreter::build(None);
        let loaded = interpreter.enter(|vm| PythonSide::load(vm).map(drop));
        assert_eq!(loaded, Ok(()));
    }

    #[test]
    fn a_module_with_every_function_resolves() {
        let timeline = with_module("def start(*a): pass\ndef stop(): pass\n", |m, vm| {
            Timeline::look_up(m, vm).map(|t| t.stop.is_callable())
        });
        assert_eq!(timeline, Ok(true));
    }

    #[test]
    fn a_missing_function_is_named_with_its_module() {
        let error = with_module("def start(*a): pass\ndef stpo(): pass\n", |m, vm| {
            Timeline::look_up(m, vm).err()
        })
        .expect("stop is missing");
        assert_eq!(
            error.to_string(),
            "the engine's Python side is incomplete: _pyrace_timeline.stop is missing"
        );
    }

    #[test]
    fn a_name_that_is_not_a_function_is_refused() {
        let error = with_module("def start(*a): pass\nstop = 3\n", |m, vm| {
            Timeline::look_up(m, vm).err()
        })
        .expect("stop is not callable");
        assert!(error.not_callable, "{error}");
        assert!(
            error.to_string().ends_with("stop is not a function"),
            "{error}"
        );
    }
}
