//! What each thread of a run was doing over time: running Python, waiting
//! for the GIL, or blocked in a call (sleep, lock, queue, join…). The app
//! draws it as a Gantt chart, one row per thread.

use serde::{Deserialize, Serialize};

use crate::request::ThreadMode;

/// What every thread of a program did over its run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// Seconds from the start of the program to its end.
    pub duration: f64,
    pub threads: Vec<ThreadTrack>,
    /// The thread mode the program ran in: without a GIL, no thread ever
    /// waits for one.
    #[serde(default)]
    pub mode: ThreadMode,
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

    /// Share of `cores` kept busy running Python (0 to 1): the running time
    /// of all threads over the wall time of that many cores. More running
    /// threads than cores share them, so it is capped at 1.
    pub fn utilisation(&self, cores: u32) -> f64 {
        (self.parallelism() / f64::from(cores.max(1))).min(1.0)
    }

    /// Seconds each state took within `[from, to]`, summed over threads.
    pub fn total_within(&self, state: ThreadState, from: f64, to: f64) -> f64 {
        self.threads
            .iter()
            .flat_map(|t| &t.spans)
            .filter(|s| s.state == state)
            .map(|s| (s.end.min(to) - s.start.max(from)).max(0.0))
            .sum()
    }
}

/// What GIL mode's switching hook costs a thread running Python: the same
/// CPU-bound loop timed on one thread with the hook off and on, rounds
/// interleaved so that both see the same machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GilOverhead {
    /// Median seconds of one loop with the hook off.
    pub plain: f64,
    /// Median seconds of one loop with the hook on.
    pub hooked: f64,
    /// Median of the per-round ratios hooked / plain.
    pub ratio: f64,
    /// 95% interval of that median.
    pub ratio_low: f64,
    pub ratio_high: f64,
    pub rounds: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(state: ThreadState, start: f64, end: f64) -> Span {
        Span { state, start, end }
    }

    #[test]
    fn utilisation_is_running_time_over_wall_time_and_cores() {
        let timeline = Timeline {
            duration: 2.0,
            mode: ThreadMode::Free,
            threads: vec![
                ThreadTrack {
                    name: "a".into(),
                    spans: vec![span(ThreadState::Running, 0.0, 2.0)],
                },
                ThreadTrack {
                    name: "b".into(),
                    spans: vec![
                        span(ThreadState::Running, 0.0, 1.0),
                        span(ThreadState::Blocked, 1.0, 2.0),
                    ],
                },
            ],
        };
        assert!((timeline.parallelism() - 1.5).abs() < 1e-12);
        assert!((timeline.utilisation(2) - 0.75).abs() < 1e-12);
        assert!((timeline.utilisation(1) - 1.0).abs() < 1e-12, "capped");
        assert!(
            (timeline.total_within(ThreadState::Running, 0.5, 1.5) - 1.5).abs() < 1e-12,
            "a: 1 s, b: 0.5 s"
        );
        assert!((timeline.total_within(ThreadState::Blocked, 0.0, 0.5)).abs() < 1e-12);
    }
}
