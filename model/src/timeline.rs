//! What each thread of a run was doing over time: running Python, waiting
//! for the GIL, or blocked in a call (sleep, lock, queue, join…). The app
//! draws it as a Gantt chart, one row per thread.

use serde::{Deserialize, Serialize};

/// One thread's activity over a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// Seconds from the start of the program to its end.
    pub duration: f64,
    pub threads: Vec<ThreadTrack>,
}

/// A row of the chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadTrack {
    pub name: String,
    pub spans: Vec<Span>,
}

/// A stretch of time in one state, in seconds from the program's start.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Span {
    pub state: ThreadState,
    pub start: f64,
    pub end: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThreadState {
    /// Holding the GIL (or, without one, alive and not blocked).
    Running,
    /// Ready to run, waiting for its turn with the GIL.
    WaitingForGil,
    /// Inside a blocking call, GIL released.
    Blocked,
}

impl Timeline {
    /// Seconds each state took, summed over threads.
    pub fn total(&self, state: ThreadState) -> f64 {
        self.threads
            .iter()
            .flat_map(|t| &t.spans)
            .filter(|s| s.state == state)
            .map(|s| s.end - s.start)
            .sum()
    }

    /// Average number of threads running Python at once: with a GIL it
    /// cannot exceed one.
    pub fn parallelism(&self) -> f64 {
        if self.duration > 0.0 {
            self.total(ThreadState::Running) / self.duration
        } else {
            0.0
        }
    }
}
