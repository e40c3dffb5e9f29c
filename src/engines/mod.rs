//! The app's seam to the engines: one adapter per engine behind
//! [`EngineAdapter`], and (in the browser) one host, [`host`], that starts
//! each engine when it is wanted and runs a request's part on it. Whatever
//! the engine, a part takes the same `RunRequest` and delivers the same
//! `RunEvent` stream, ending in `Finished`: what one engine's side does not
//! send itself (CPython's figures, made from its raw samples with the very
//! analysis RustPython's engine runs), its adapter adds. Adding an engine is
//! one adapter file here and one glue module in `www/app/`.

pub mod cpython;
#[cfg(target_arch = "wasm32")]
pub mod host;
pub mod live_batch;
pub mod rustpython;

use pyrace_model::{EngineId, RunEvent, RunRequest};

/// What differs between engines on the app's side of their glue modules
/// (`www/app/*-glue.js`, one interface: `run(requestJson, inputJson,
/// onEvent)` resolving with a reply text, `stop()`, `whenReady()`).
pub trait EngineAdapter {
    /// What the glue gets beside the request, as JSON text ("" for nothing).
    fn input(&self, request: &RunRequest) -> String;

    /// The events that end run `run_id` after the glue's `reply`, when the
    /// engine's side does not send them itself; `Err` says why the reply
    /// could not be read.
    fn closing_events(&self, run_id: u64, reply: &str) -> Result<Vec<RunEvent>, String>;
}

/// The adapter of `engine`.
pub fn adapter(engine: EngineId) -> &'static dyn EngineAdapter {
    match engine {
        EngineId::Rustpython => &rustpython::Rustpython,
        EngineId::Cpython => &cpython::Cpython,
    }
}
