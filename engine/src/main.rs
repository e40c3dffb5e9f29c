//! `pyrace`: run and time Python snippets side by side from a terminal.

mod cli;

/// A program that fills memory gets a `MemoryError` (see `memory`).
#[global_allocator]
static ALLOCATOR: pyrace_engine::memory::LimitedAllocator = pyrace_engine::memory::LimitedAllocator;

fn main() {
    quiet_panics();
    pyrace_engine::allocation_count::installed();
    std::process::exit(cli::main());
}

/// A panic inside the engine is reported as an internal error in one line,
/// without the file and line of the engine's (or a dependency's) source on
/// the machine it was built on, which mean nothing to the person reading
/// it. `RUST_BACKTRACE` brings Rust's own report back, for debugging.
fn quiet_panics() {
    if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let reason = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("unknown");
        eprintln!("pyrace: internal error in the engine: {reason}");
    }));
}
