//! The browser engine's standard library (WASI only): the modules of
//! `frozen-stdlib.txt` frozen into the module (`build.rs`), the rest of
//! RustPython's `Lib` on the host's file system under [`STDLIB_DIR`], where
//! the page serves each file from the network when it is first read
//! (`www/stdlib-fs.js`).
//!
//! `sys._stdlib_dir` names that directory too, so a frozen package's
//! `__path__` includes its directory there: a submodule left out of the
//! frozen part (`encodings.cp1252`, say) is found by the path finder.

use rustpython_vm::common::rc::PyRc;
use rustpython_vm::frozen::FrozenLib;
use rustpython_vm::{InterpreterBuilder, VirtualMachine};

/// Where the host mounts the stdlib's files.
pub(crate) const STDLIB_DIR: &str = "/stdlib";

static FROZEN: &FrozenLib = FrozenLib::from_ref(include_bytes!(concat!(
    env!("OUT_DIR"),
    "/frozen_stdlib.bin"
)));

/// Adds the frozen part and puts the rest on `sys.path`.
pub(crate) fn install(builder: InterpreterBuilder) -> InterpreterBuilder {
    builder
        .add_frozen_modules(FROZEN)
        .init_hook(use_host_stdlib)
}

fn use_host_stdlib(vm: &mut VirtualMachine) {
    let state =
        PyRc::get_mut(&mut vm.state).expect("no one else holds the VM's state before it starts");
    state.config.paths.stdlib_dir = Some(STDLIB_DIR.to_owned());
    // Only the host's stdlib: the build machine's Lib path, which RustPython
    // puts here when the stdlib is not frozen whole, means nothing in a browser.
    state.config.paths.module_search_paths = vec![STDLIB_DIR.to_owned()];
}
