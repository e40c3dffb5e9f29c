//! Builds the RustPython interpreter every session runs on: frozen stdlib
//! (in the browser, part of it: `browser_stdlib`), the `_pyrace` module, and
//! a channel through which a watchdog can raise into running code.

use rustpython::InterpreterBuilderExt;
use rustpython_vm::signal::{UserSignalReceiver, user_signal_channel};
use rustpython_vm::{Interpreter, Settings};

use crate::interrupt::Interrupter;

/// A fresh interpreter and the handle that interrupts it.
pub(crate) fn build(argv: Option<Vec<String>>) -> (Interpreter, Interrupter) {
    let mut settings = Settings::default();
    // `site` pulls in modules nobody's snippet needs and costs start-up time;
    // bytecode caches would write into the user's directories.
    settings.import_site = false;
    settings.write_bytecode = false;
    settings.user_site_directory = false;
    // Output goes through pyrace's own stream objects, unbuffered there.
    settings.buffered_stdio = false;
    settings.argv = argv.unwrap_or_else(|| vec!["pyrace".to_owned()]);
    // Native: Ctrl-C raises KeyboardInterrupt like in CPython. In the
    // browser there are no signals; Stop terminates the worker instead.
    settings.install_signal_handlers = cfg!(not(target_os = "wasi"));

    let (tx, rx) = user_signal_channel();
    let builder = Interpreter::builder(settings).init_stdlib();
    #[cfg(target_os = "wasi")]
    let builder = crate::browser_stdlib::install(builder);
    let pyrace = crate::pyrace_module::module_def(&builder.ctx);
    let interpreter = builder
        .add_native_module(pyrace)
        .init_hook(move |vm| install_signal_channel(vm, rx))
        .interpreter();
    (interpreter, Interrupter::new(tx))
}

fn install_signal_channel(vm: &mut rustpython_vm::VirtualMachine, rx: UserSignalReceiver) {
    vm.set_user_signal_channel(rx);
}
