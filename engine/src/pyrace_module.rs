//! `_pyrace`: the native module a session adds to Python, telling snippets
//! which engine runs them.

pub(crate) use _pyrace::module_def;

#[rustpython_vm::pymodule]
mod _pyrace {
    /// The engine's name and version, e.g. `RustPython 0.6.0 (native)`.
    #[pyfunction]
    fn engine() -> String {
        crate::engine_name()
    }
}
