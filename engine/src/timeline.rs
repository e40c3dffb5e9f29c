//! Recording a run's timeline: every change of what a thread, an asyncio
//! task or a child process does, stamped with one clock, turned into a
//! `Timeline` (rows of spans) when the run ends. The session owns the
//! recorder and lends it: GIL mode's baton and `gil.py`'s wrappers record
//! the threads (`gil.rs`); `_pyrace_timeline.py` records the tasks and the
//! processes through the functions `python_hooks` gives it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

use pyrace_model::{Span, ThreadMode, ThreadState, ThreadTrack, Timeline, TrackKind};
use rustpython_vm::{PyObjectRef, VirtualMachine};

thread_local! {
    /// This OS thread's row number, the same in every recorder.
    static TRACK: u32 = NEXT_TRACK.fetch_add(1, Ordering::Relaxed);
}
/// Row numbers of threads, tasks and processes alike: never reused.
static NEXT_TRACK: AtomicU32 = AtomicU32::new(0);

pub(crate) fn current_track() -> u32 {
    TRACK.with(|t| *t)
}

/// Records state changes while a timeline is wanted.
#[derive(Default)]
pub(crate) struct Recorder {
    inner: Mutex<Option<Recording>>,
}

struct Recording {
    mode: ThreadMode,
    started: Instant,
    /// (track, state or None for the row's end, seconds since start)
    changes: Vec<(u32, Option<ThreadState>, f64)>,
    names: Vec<(u32, String)>,
    /// Rows that are not threads, opened during this recording (looked up
    /// at every task step: a run may have thousands of tasks).
    kinds: HashMap<u32, TrackKind>,
    exit_codes: HashMap<u32, i32>,
}

/// A timeline stops recording after this many changes (a run of
/// thousands of switches stays drawable; the rest is cut, not kept).
const MAX_CHANGES: usize = 100_000;

impl Recorder {
    pub(crate) fn start(&self, mode: ThreadMode) {
        *self.inner.lock().unwrap() = Some(Recording {
            mode,
            started: Instant::now(),
            changes: Vec::new(),
            names: Vec::new(),
            kinds: HashMap::new(),
            exit_codes: HashMap::new(),
        });
    }

    pub(crate) fn rebase(&self) {
        if let Some(rec) = self.inner.lock().unwrap().as_mut() {
            let offset = rec.started.elapsed().as_secs_f64();
            rec.started = Instant::now();
            for change in &mut rec.changes {
                change.2 = (change.2 - offset).max(0.0);
            }
        }
    }

    /// Seconds since the recording started; `None` when none is.
    pub(crate) fn now(&self) -> Option<f64> {
        let inner = self.inner.lock().unwrap();
        inner
            .as_ref()
            .map(|rec| rec.started.elapsed().as_secs_f64())
    }

    fn push_at(&self, track: u32, state: Option<ThreadState>, at: Option<f64>) {
        let mut inner = self.inner.lock().unwrap();
        if let Some(rec) = inner.as_mut()
            && rec.changes.len() < MAX_CHANGES
        {
            let t = at.unwrap_or_else(|| rec.started.elapsed().as_secs_f64());
            rec.changes.push((track, state, t));
        }
    }

    pub(crate) fn record(&self, state: ThreadState) {
        self.push_at(current_track(), Some(state), None);
    }

    pub(crate) fn end(&self) {
        self.push_at(current_track(), None, None);
    }

    pub(crate) fn name(&self, name: String) {
        if let Some(rec) = self.inner.lock().unwrap().as_mut() {
            rec.names.push((current_track(), name));
        }
    }

    /// A new row of `kind` (not a thread) called `name`; its number for the
    /// calls below. It shows once something is recorded on it.
    pub(crate) fn open_row(&self, kind: TrackKind, name: String) -> u32 {
        let track = NEXT_TRACK.fetch_add(1, Ordering::Relaxed);
        if let Some(rec) = self.inner.lock().unwrap().as_mut() {
            rec.names.push((track, name));
            rec.kinds.insert(track, kind);
        }
        track
    }

    /// Whether `track` is a row opened during the current recording: a
    /// task or process of an earlier run must not add to this run's rows.
    fn is_open_row(&self, track: u32) -> bool {
        let inner = self.inner.lock().unwrap();
        inner
            .as_ref()
            .is_some_and(|rec| rec.kinds.contains_key(&track))
    }

    /// Row `track` is in `state` from `at` (seconds since the start; now
    /// when `None`).
    pub(crate) fn mark_row(&self, track: u32, state: ThreadState, at: Option<f64>) {
        if self.is_open_row(track) {
            self.push_at(track, Some(state), at);
        }
    }

    /// Row `track` ran from `start` until now, and is then blocked, or
    /// ended when `done`: one step of an asyncio task.
    pub(crate) fn step_row(&self, track: u32, start: f64, done: bool) {
        let mut inner = self.inner.lock().unwrap();
        let Some(rec) = inner.as_mut() else { return };
        if rec.changes.len() + 2 > MAX_CHANGES || !rec.kinds.contains_key(&track) {
            return;
        }
        let now = rec.started.elapsed().as_secs_f64();
        let after = (!done).then_some(ThreadState::Blocked);
        rec.changes.push((track, Some(ThreadState::Running), start));
        rec.changes.push((track, after, now));
    }

    /// Row `track` ends now, with `exit_code` when it is a process's.
    pub(crate) fn end_row(&self, track: u32, exit_code: Option<i32>) {
        if !self.is_open_row(track) {
            return;
        }
        if let (Some(code), Some(rec)) = (exit_code, self.inner.lock().unwrap().as_mut()) {
            rec.exit_codes.insert(track, code);
        }
        self.push_at(track, None, None);
    }

    pub(crate) fn take(&self) -> Option<Timeline> {
        let rec = self.inner.lock().unwrap().take()?;
        let duration = rec.started.elapsed().as_secs_f64();
        let kind_of = |track: u32| rec.kinds.get(&track).copied().unwrap_or_default();
        let mut order: Vec<u32> = Vec::new();
        for (track, _, _) in &rec.changes {
            if !order.contains(track) {
                order.push(*track);
            }
        }
        // Threads, then tasks, then processes; each in order of appearance.
        order.sort_by_key(|track| match kind_of(*track) {
            TrackKind::Thread => 0,
            TrackKind::Task => 1,
            TrackKind::Process => 2,
        });
        let threads = order
            .into_iter()
            .map(|track| {
                let mut spans: Vec<Span> = Vec::new();
                let mut open: Option<(ThreadState, f64)> = None;
                for (_, state, t) in rec.changes.iter().filter(|c| c.0 == track) {
                    if let Some((s, start)) = open.take()
                        && *t > start
                    {
                        spans.push(Span {
                            state: s,
                            start,
                            end: *t,
                        });
                    }
                    open = state.map(|s| (s, *t));
                }
                if let Some((s, start)) = open {
                    spans.push(Span {
                        state: s,
                        start,
                        end: duration,
                    });
                }
                let name = rec
                    .names
                    .iter()
                    .rev()
                    .find(|(t, _)| *t == track)
                    .map_or_else(|| format!("thread {track}"), |(_, n)| n.clone());
                let exit_code = rec.exit_codes.get(&track).copied();
                ThreadTrack {
                    name,
                    kind: kind_of(track),
                    spans,
                    exit_code,
                }
            })
            .collect();
        Some(Timeline {
            duration,
            threads,
            mode: rec.mode,
        })
    }
}

/// The functions `_pyrace_timeline.py` records tasks and processes with:
/// `now()` (seconds since the timeline started, or None when no timeline
/// records), `row(kind, name)` (a new row's number), `mark(row, state,
/// at=None)`, `step(row, start, done)` and `end(row, exit_code=None)`.
pub(crate) fn python_hooks(
    vm: &VirtualMachine,
    recorder: &std::sync::Arc<Recorder>,
) -> [PyObjectRef; 5] {
    let r = std::sync::Arc::clone(recorder);
    let now = vm.new_function("timeline_now", move || r.now());
    let r = std::sync::Arc::clone(recorder);
    let row = vm.new_function(
        "timeline_row",
        move |kind: String, name: String, vm: &VirtualMachine| {
            let kind = match kind.as_str() {
                "task" => TrackKind::Task,
                "process" => TrackKind::Process,
                other => return Err(vm.new_value_error(format!("no timeline row kind {other:?}"))),
            };
            Ok(r.open_row(kind, name))
        },
    );
    let r = std::sync::Arc::clone(recorder);
    let mark = vm.new_function(
        "timeline_mark",
        move |row: u32,
              state: String,
              at: rustpython_vm::function::OptionalArg<f64>,
              vm: &VirtualMachine| {
            let state = match state.as_str() {
                "starting" => ThreadState::Starting,
                "running" => ThreadState::Running,
                "blocked" => ThreadState::Blocked,
                other => return Err(vm.new_value_error(format!("no timeline state {other:?}"))),
            };
            r.mark_row(row, state, at.into_option());
            Ok(())
        },
    );
    let r = std::sync::Arc::clone(recorder);
    let step = vm.new_function("timeline_step", move |row: u32, start: f64, done: bool| {
        r.step_row(row, start, done)
    });
    let r = std::sync::Arc::clone(recorder);
    let end = vm.new_function(
        "timeline_end",
        move |row: u32, exit_code: rustpython_vm::function::OptionalArg<Option<i32>>| {
            r.end_row(row, exit_code.into_option().flatten())
        },
    );
    [now.into(), row.into(), mark.into(), step.into(), end.into()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_and_process_rows_follow_the_threads_in_order_of_kind() {
        let recorder = Recorder::default();
        recorder.start(ThreadMode::Free);
        let process = recorder.open_row(TrackKind::Process, "Process-1".into());
        recorder.mark_row(process, ThreadState::Starting, Some(0.0));
        recorder.mark_row(process, ThreadState::Running, Some(0.01));
        let task = recorder.open_row(TrackKind::Task, "Task-1 (main)".into());
        recorder.step_row(task, 0.0, false);
        recorder.name("MainThread".into());
        recorder.record(ThreadState::Running);
        std::thread::sleep(std::time::Duration::from_millis(20));
        recorder.step_row(task, recorder.now().unwrap(), true);
        recorder.end_row(process, Some(0));
        let timeline = recorder.take().unwrap();
        let rows: Vec<(&str, TrackKind)> = timeline
            .threads
            .iter()
            .map(|t| (t.name.as_str(), t.kind))
            .collect();
        assert_eq!(
            rows,
            [
                ("MainThread", TrackKind::Thread),
                ("Task-1 (main)", TrackKind::Task),
                ("Process-1", TrackKind::Process)
            ]
        );
        let task = &timeline.threads[1].spans;
        let states: Vec<ThreadState> = task.iter().map(|s| s.state).collect();
        assert_eq!(
            states,
            [
                ThreadState::Running,
                ThreadState::Blocked,
                ThreadState::Running
            ],
            "{task:?}"
        );
        assert!(task[2].end < timeline.duration, "the task ended: {task:?}");
        let process = &timeline.threads[2];
        assert_eq!(process.exit_code, Some(0));
        assert_eq!(process.spans[0].state, ThreadState::Starting);
        assert_eq!(process.spans[1].state, ThreadState::Running);
        assert!(process.spans[1].end >= 0.02, "{:?}", process.spans);
    }

    #[test]
    fn rows_of_an_earlier_recording_add_nothing() {
        let recorder = Recorder::default();
        recorder.start(ThreadMode::Free);
        let old = recorder.open_row(TrackKind::Process, "Process-1".into());
        recorder.take();
        recorder.start(ThreadMode::Free);
        recorder.end_row(old, Some(0));
        recorder.step_row(old, 0.0, true);
        assert!(recorder.take().unwrap().threads.is_empty());
        assert_eq!(recorder.now(), None, "not recording");
    }
}
