//! What each thread of a run was doing over time: running Python, waiting
//! for the GIL, or blocked in a call (sleep, lock, queue, join…); what each
//! asyncio task was doing (a step of it running, or suspended at an
//! `await`); and when each child process started and ended. The app draws
//! it as a Gantt chart, one row per thread, task or process.

use serde::{Deserialize, Serialize};

use crate::request::ThreadMode;

/// What every thread, asyncio task and child process of a program did over
/// its run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// Seconds from the start of the program to its end.
    pub duration: f64,
    /// The rows: threads first, then asyncio tasks, then child processes
    /// (see `ThreadTrack::kind`), each kind in the order it first appeared.
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
    /// What the row is; rows of timelines recorded before tasks and
    /// processes had rows are threads.
    #[serde(default)]
    pub kind: TrackKind,
    pub spans: Vec<Span>,
    /// A child process's exit code, once its parent saw it end (negative:
    /// ended by that signal, as in `multiprocessing`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
}

/// What a row of the timeline follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackKind {
    /// A thread of the program's process: its running time is CPU time of
    /// that process.
    #[default]
    Thread,
    /// An asyncio task: `Running` while the event loop runs one of its
    /// steps (on the loop's thread, whose row shows the same time as
    /// running), `Blocked` while it is suspended at an `await`.
    Task,
    /// A child process as its parent sees it: `Starting` while it is being
    /// spawned, `Running` from then until the parent learns it ended.
    Process,
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
    /// Inside a blocking call, GIL released (a task: suspended, awaiting).
    Blocked,
    /// A child process being spawned, not yet running its program.
    Starting,
}

impl Timeline {
    /// The rows that are threads of the program's process. The totals
    /// below count only these: a task's running steps are its thread's
    /// running time already, and a child process's row is its lifetime,
    /// not its CPU time.
    pub fn thread_rows(&self) -> impl Iterator<Item = &ThreadTrack> {
        self.threads.iter().filter(|t| t.kind == TrackKind::Thread)
    }

    /// How many rows are of `kind`.
    pub fn count(&self, kind: TrackKind) -> usize {
        self.threads.iter().filter(|t| t.kind == kind).count()
    }

    /// Seconds each state took, summed over threads.
    pub fn total(&self, state: ThreadState) -> f64 {
        self.thread_rows()
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
        self.thread_rows()
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

    fn track(name: &str, spans: Vec<Span>) -> ThreadTrack {
        ThreadTrack {
            name: name.into(),
            kind: TrackKind::Thread,
            spans,
            exit_code: None,
        }
    }

    #[test]
    fn utilisation_is_running_time_over_wall_time_and_cores() {
        let timeline = Timeline {
            duration: 2.0,
            mode: ThreadMode::Free,
            threads: vec![
                track("a", vec![span(ThreadState::Running, 0.0, 2.0)]),
                track(
                    "b",
                    vec![
                        span(ThreadState::Running, 0.0, 1.0),
                        span(ThreadState::Blocked, 1.0, 2.0),
                    ],
                ),
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

    #[test]
    fn tasks_and_processes_do_not_count_as_the_threads_running_time() {
        let timeline = Timeline {
            duration: 1.0,
            mode: ThreadMode::Free,
            threads: vec![
                track("MainThread", vec![span(ThreadState::Running, 0.0, 1.0)]),
                ThreadTrack {
                    kind: TrackKind::Task,
                    ..track(
                        "Task-1 main",
                        vec![
                            span(ThreadState::Running, 0.0, 0.5),
                            span(ThreadState::Blocked, 0.5, 1.0),
                        ],
                    )
                },
                ThreadTrack {
                    kind: TrackKind::Process,
                    exit_code: Some(0),
                    ..track(
                        "Process-1",
                        vec![
                            span(ThreadState::Starting, 0.0, 0.1),
                            span(ThreadState::Running, 0.1, 1.0),
                        ],
                    )
                },
            ],
        };
        assert_eq!(timeline.count(TrackKind::Thread), 1);
        assert_eq!(timeline.count(TrackKind::Task), 1);
        assert_eq!(timeline.count(TrackKind::Process), 1);
        assert!((timeline.parallelism() - 1.0).abs() < 1e-12);
        assert_eq!(timeline.total(ThreadState::Blocked), 0.0);
        assert!((timeline.total_within(ThreadState::Running, 0.0, 0.5) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn rows_round_trip_and_old_rows_read_as_threads() {
        let json = r#"{"duration":1.0,"threads":[{"name":"MainThread","spans":[]}]}"#;
        let old: Timeline = serde_json::from_str(json).unwrap();
        assert_eq!(old.threads[0].kind, TrackKind::Thread);
        assert_eq!(old.threads[0].exit_code, None);
        let process = ThreadTrack {
            kind: TrackKind::Process,
            exit_code: Some(-15),
            ..track(
                "SpawnPoolWorker-1",
                vec![span(ThreadState::Starting, 0.0, 0.2)],
            )
        };
        let text = serde_json::to_string(&process).unwrap();
        assert!(text.contains(r#""kind":"process""#), "{text}");
        assert!(text.contains(r#""state":"starting""#), "{text}");
        assert!(text.contains(r#""exit_code":-15"#), "{text}");
        assert_eq!(serde_json::from_str::<ThreadTrack>(&text).unwrap(), process);
        let thread = serde_json::to_string(&track("t", vec![])).unwrap();
        assert!(!thread.contains("exit_code"), "{thread}");
    }
}
