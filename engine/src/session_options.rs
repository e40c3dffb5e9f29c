//! What a session is given when it starts: how it treats output and
//! runaway code (`SessionOptions`), and where its events go (`EventSink`).

use std::sync::Arc;
use std::time::Duration;

use pyrace_model::RunEvent;

/// Receives every event of every run, from whichever thread produced it.
pub type EventSink = Arc<dyn Fn(RunEvent) + Send + Sync>;

/// How a session treats output and runaway code.
#[derive(Debug, Clone, Default)]
pub struct SessionOptions {
    /// Batch output written closer together than this (see `OutputBuffer`).
    pub output_batch: Option<Duration>,
    /// Stop forwarding a run's output after this many bytes.
    pub output_limit: Option<usize>,
    /// Interrupt any single piece of user code that runs longer than this.
    pub call_timeout: Option<Duration>,
    /// `sys.argv` of the programs run (default `["pyrace"]`).
    pub argv: Option<Vec<String>>,
    /// When threads cannot run (a page without cross-origin isolation),
    /// starting one raises `RuntimeError` with this message.
    pub threads_unavailable: Option<String>,
    /// Measure GIL mode's overhead before the first GIL-mode run and report
    /// it (`RunEvent::GilOverhead`): it takes about half a second, worth it
    /// where the figure is shown (the playground, `--json`).
    pub measure_gil_overhead: bool,
}
