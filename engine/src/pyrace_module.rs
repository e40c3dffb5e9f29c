//! `_pyrace`: the native module a session adds to Python, telling snippets
//! which engine runs them and, in the browser, reaching the host's process
//! services.

pub(crate) use _pyrace::module_def;

#[rustpython_vm::pymodule]
mod _pyrace {
    /// The engine's name and version, e.g. `RustPython 0.6.0 (native)`.
    #[pyfunction]
    fn engine() -> String {
        crate::engine_name()
    }

    /// Sends a JSON request to the browser host (see `host_process`) and
    /// returns its JSON reply.
    #[cfg(target_os = "wasi")]
    #[pyfunction]
    fn host_call(
        request: rustpython_vm::builtins::PyStrRef,
        vm: &rustpython_vm::VirtualMachine,
    ) -> rustpython_vm::PyResult<String> {
        crate::host_process::call(&request.to_string_lossy()).map_err(|e| vm.new_os_error(e))
    }
}
