//! The pyrace engine: a RustPython interpreter set up for timing Python
//! snippets, the timing harness, and the pieces the `pyrace` CLI and the
//! browser build share.

pub mod allocation_count;
#[cfg(target_os = "wasi")]
mod browser_stdlib;
pub mod gil;
pub mod harness;
#[cfg(target_os = "wasi")]
mod host_process;
mod interpreter;
pub mod interrupt;
pub mod memory;
mod output;
pub mod profile_reference;
mod py;
mod py_error;
mod pyrace_module;
mod python_side;
pub mod reference;
mod session;
mod session_options;
mod timeline;
pub mod traced_run;

pub use interrupt::Interrupter;
pub use session::Session;
pub use session_options::{EventSink, SessionOptions};

/// The engine's name and version, as shown beside every result.
pub fn engine_name() -> String {
    let target = if cfg!(target_os = "wasi") {
        "wasm32-wasip1-threads"
    } else {
        "native"
    };
    format!("RustPython 0.6.0 ({target})")
}
