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

    /// Starts counting the engine's allocations from zero (see
    /// `allocation_count`); false when this binary's allocator does not
    /// report them.
    #[pyfunction]
    fn allocations_start() -> bool {
        crate::allocation_count::start();
        crate::allocation_count::is_installed()
    }

    /// `(current, peak since the last tick, total, count)`, then the next
    /// tick's peak starts from now.
    #[pyfunction]
    fn allocations_tick() -> (i64, i64, u64, u64) {
        let c = crate::allocation_count::tick();
        (c.current, c.peak, c.total, c.count)
    }

    /// Stops counting: `(current, peak, total, count)` since the start.
    #[pyfunction]
    fn allocations_stop() -> (i64, i64, u64, u64) {
        let c = crate::allocation_count::stop();
        (c.current, c.peak, c.total, c.count)
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
