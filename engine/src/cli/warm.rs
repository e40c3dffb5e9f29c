//! Warm child processes for `multiprocessing` (native only; see
//! `warm_children.py`): children started ahead of need, so that a
//! `Process.start()` does not wait for a new engine to start and import.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use pyrace_engine::{EventSink, Session, SessionOptions};
use pyrace_model::{HarnessOptions, Mode, RunRequest, RunStatus, Variant};

/// Children kept waiting: enough for a pool on a machine of a few cores;
/// each waiting child holds an engine's memory (tens of MB) and nothing else.
const WARM_CHILDREN: usize = 4;

/// Sets how many children wait (`PYRACE_WARM_CHILDREN=0`: none, so that
/// `bench/concurrency` can measure a cold start).
const WARM_ENV: &str = "PYRACE_WARM_CHILDREN";

/// A session whose programs get warm children, from their second run on,
/// when they start processes. The installation runs as a request of its
/// own, whose events are dropped.
pub fn session(options: SessionOptions, sink: EventSink) -> Session {
    let muted = Arc::new(AtomicBool::new(true));
    let gate = Arc::clone(&muted);
    let session = Session::new(
        options,
        Arc::new(move |event| {
            if !gate.load(Ordering::Acquire) {
                sink(event)
            }
        }),
    );
    if let Some(count) = warm_children() {
        let request = RunRequest {
            run_id: 0,
            mode: Mode::Run,
            setup: String::new(),
            variants: vec![Variant::new(
                "warm children",
                format!("{}\ninstall({count})\n", include_str!("warm_children.py")),
            )],
            options: HarnessOptions::default(),
        };
        // Without it, children start cold: slower, not wrong.
        let _: RunStatus = session.execute(&request);
    }
    muted.store(false, Ordering::Release);
    session
}

/// How many warm children to keep; `None` where processes cannot start
/// from here (WASI: the browser host starts them) or when opted out.
fn warm_children() -> Option<usize> {
    if cfg!(target_os = "wasi") {
        return None;
    }
    match std::env::var(WARM_ENV)
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        Some(0) => None,
        Some(n) => Some(n),
        None => Some(WARM_CHILDREN),
    }
}
