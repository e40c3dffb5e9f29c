//! What a run reports about how its program ran, beside its output: the
//! timeline of its threads (and asyncio tasks) in both thread modes, its
//! `cProfile` rows, its traced lines and call tree, and GIL mode's
//! measured overhead.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyrace_engine::{Session, SessionOptions};
use pyrace_model::{
    GilOverhead, HarnessOptions, Mode, Profile, RunEvent, RunRequest, RunStatus, ThreadMode,
    ThreadState, Timeline, TrackKind, Variant,
};

/// A session whose events are kept, with a time limit so that a hang
/// fails the test instead of stalling it.
fn session() -> (Session, Arc<Mutex<Vec<RunEvent>>>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&events);
    let options = SessionOptions {
        call_timeout: Some(Duration::from_secs(60)),
        measure_gil_overhead: true,
        ..SessionOptions::default()
    };
    let session = Session::new(options, Arc::new(move |e| sink.lock().unwrap().push(e)));
    (session, events)
}

fn request(code: &str, options: HarnessOptions) -> RunRequest {
    RunRequest {
        run_id: 1,
        mode: Mode::Run,
        setup: String::new(),
        variants: vec![Variant::new("prog", code)],
        options,
    }
}

fn run(code: &str, options: HarnessOptions) -> (RunStatus, Vec<RunEvent>) {
    let (session, events) = session();
    let status = session.execute(&request(code, options));
    let events = events.lock().unwrap().clone();
    (status, events)
}

fn timeline(events: &[RunEvent]) -> &Timeline {
    events
        .iter()
        .find_map(|e| match e {
            RunEvent::Timeline { timeline, .. } => Some(timeline),
            _ => None,
        })
        .expect("a timeline event")
}

fn profile(events: &[RunEvent]) -> &Profile {
    events
        .iter()
        .find_map(|e| match e {
            RunEvent::Profile { profile, .. } => Some(profile),
            _ => None,
        })
        .expect("a profile event")
}

fn overheads(events: &[RunEvent]) -> Vec<GilOverhead> {
    events
        .iter()
        .filter_map(|e| match e {
            RunEvent::GilOverhead { overhead, .. } => Some(overhead.clone()),
            _ => None,
        })
        .collect()
}

fn error_text(events: &[RunEvent]) -> String {
    events
        .iter()
        .find_map(|e| match e {
            RunEvent::Error { error, .. } => Some(format!("{}: {}", error.exc_type, error.message)),
            _ => None,
        })
        .unwrap_or_default()
}

const SLEEPER_AND_WORKER: &str = "import threading, time
def sleeper():
    time.sleep(0.1)
def worker():
    s = 0
    for i in range(100000):
        s += i
ts = [threading.Thread(target=sleeper, name='sleeper'), threading.Thread(target=worker, name='worker')]
for t in ts: t.start()
for t in ts: t.join()
";

#[test]
fn a_free_threaded_program_has_a_timeline_of_its_threads() {
    let (status, events) = run(SLEEPER_AND_WORKER, HarnessOptions::default());
    assert_eq!(status, RunStatus::Ok, "{events:?}");
    assert!(overheads(&events).is_empty(), "no GIL mode, no GIL figure");
    let timeline = timeline(&events);
    assert_eq!(timeline.mode, ThreadMode::Free);
    let names: Vec<&str> = timeline.threads.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["MainThread", "sleeper", "worker"]);
    assert_eq!(timeline.total(ThreadState::WaitingForGil), 0.0);
    let sleeper = &timeline.threads[1].spans;
    let slept: f64 = sleeper
        .iter()
        .filter(|s| s.state == ThreadState::Blocked)
        .map(|s| s.end - s.start)
        .sum();
    assert!(slept >= 0.09, "the sleep is a blocked span: {sleeper:?}");
    let worker = &timeline.threads[2].spans;
    assert!(
        worker.iter().any(|s| s.state == ThreadState::Running),
        "{worker:?}"
    );
    let main = &timeline.threads[0].spans;
    assert!(
        main.iter()
            .any(|s| s.state == ThreadState::Blocked && s.end - s.start >= 0.05),
        "the main thread blocks in join: {main:?}"
    );
}

/// Four threads of CPU-bound Python, each long enough to be switched many
/// times under a GIL.
const FOUR_CPU_THREADS: &str = "import threading
def cpu():
    s = 0
    for i in range(300000):
        s += i
ts = [threading.Thread(target=cpu, name=f'worker-{k}') for k in range(4)]
for t in ts: t.start()
for t in ts: t.join()
";

/// The longest time (seconds) two of the `worker-` rows ran at once.
fn longest_overlap(timeline: &Timeline) -> f64 {
    let workers: Vec<Vec<(f64, f64)>> = timeline
        .threads
        .iter()
        .filter(|t| t.name.starts_with("worker-"))
        .map(|t| {
            t.spans
                .iter()
                .filter(|s| s.state == ThreadState::Running)
                .map(|s| (s.start, s.end))
                .collect()
        })
        .collect();
    let mut longest = 0.0f64;
    for (a, first) in workers.iter().enumerate() {
        for second in &workers[a + 1..] {
            for &(s1, e1) in first {
                for &(s2, e2) in second {
                    longest = longest.max(e1.min(e2) - s1.max(s2));
                }
            }
        }
    }
    longest
}

/// Why GIL threads are no faster than sequential code and free threads
/// are, read from what the threads did rather than from wall times, which
/// depend on the cores free (`bench/concurrency` measures those): under
/// the GIL no two threads ever run Python at once; free threads do.
#[test]
fn under_a_gil_one_thread_runs_at_a_time_and_free_threads_run_at_once() {
    let gil = HarnessOptions {
        thread_mode: ThreadMode::Gil,
        ..HarnessOptions::default()
    };
    let (status, events) = run(FOUR_CPU_THREADS, gil);
    assert_eq!(status, RunStatus::Ok, "{events:?}");
    let gil_timeline = timeline(&events);
    assert_eq!(gil_timeline.mode, ThreadMode::Gil);
    // A hand-over is marked on both sides of the baton a moment apart.
    let overlap = longest_overlap(gil_timeline);
    assert!(
        overlap < 1e-3,
        "two GIL threads ran at once for {overlap} s"
    );
    assert!(
        gil_timeline.parallelism() <= 1.0 + 1e-3,
        "{}",
        gil_timeline.parallelism()
    );
    assert!(
        gil_timeline.total(ThreadState::WaitingForGil) > 0.0,
        "threads waited for the GIL"
    );

    let (status, events) = run(FOUR_CPU_THREADS, HarnessOptions::default());
    assert_eq!(status, RunStatus::Ok, "{events:?}");
    let free_timeline = timeline(&events);
    assert_eq!(free_timeline.mode, ThreadMode::Free);
    assert_eq!(free_timeline.total(ThreadState::WaitingForGil), 0.0);
    let overlap = longest_overlap(free_timeline);
    assert!(
        overlap > 0.2 * free_timeline.duration,
        "free threads ran at once for only {overlap} s of {} s",
        free_timeline.duration
    );
    assert!(
        free_timeline.parallelism() > 1.5,
        "{}",
        free_timeline.parallelism()
    );
}

const GATHER: &str = "import asyncio
async def fetch(i):
    for _ in range(3):
        await asyncio.sleep(0.02)
    return i
async def main():
    print(await asyncio.gather(*(fetch(i) for i in range(3))))
asyncio.run(main())
";

#[test]
fn each_asyncio_task_has_a_row_of_its_steps() {
    for mode in [ThreadMode::Free, ThreadMode::Gil] {
        let options = HarnessOptions {
            thread_mode: mode,
            ..HarnessOptions::default()
        };
        let (status, events) = run(GATHER, options);
        assert_eq!(status, RunStatus::Ok, "{events:?}");
        let timeline = timeline(&events);
        let tasks: Vec<_> = timeline
            .threads
            .iter()
            .filter(|t| t.kind == TrackKind::Task)
            .collect();
        // Named by the task (numbered across the process) and its coroutine.
        let names: Vec<&str> = tasks
            .iter()
            .map(|t| t.name.split_once(' ').map_or("", |(_, coro)| coro))
            .collect();
        // The main task and the three gathered ones; not asyncio.run's own
        // shutdown tasks.
        assert_eq!(
            names,
            ["(main)", "(fetch)", "(fetch)", "(fetch)"],
            "{mode:?}"
        );
        assert!(tasks[0].name.starts_with("Task-"), "{:?}", tasks[0]);
        for task in &tasks[1..] {
            let steps = task
                .spans
                .iter()
                .filter(|s| s.state == ThreadState::Running)
                .count();
            let suspended: f64 = task
                .spans
                .iter()
                .filter(|s| s.state == ThreadState::Blocked)
                .map(|s| s.end - s.start)
                .sum();
            // First step, one after each of the three sleeps (a zero-length
            // step may be dropped, never an extra one added).
            assert!((3..=4).contains(&steps), "{mode:?} {task:?}");
            assert!(suspended >= 0.055, "three sleeps of 20 ms: {task:?}");
            let last = task.spans.last().unwrap();
            assert!(last.end < timeline.duration, "the task ended: {task:?}");
        }
        assert_eq!(timeline.threads[0].kind, TrackKind::Thread, "threads first");
        assert!(
            timeline.parallelism() <= 1.0 + 1e-9,
            "task steps are the loop thread's time, not more: {}",
            timeline.parallelism()
        );
    }
}

#[test]
fn a_free_threaded_deadlock_is_reported_with_every_thread() {
    let code = "import threading, time
a, b = threading.Lock(), threading.Lock()
def one():
    with a:
        time.sleep(0.1)
        with b: pass
def two():
    with b:
        time.sleep(0.1)
        with a: pass
ts = [threading.Thread(target=one, name='one'), threading.Thread(target=two, name='two')]
for t in ts: t.start()
for t in ts: t.join()
";
    let (status, events) = run(code, HarnessOptions::default());
    assert_eq!(status, RunStatus::Failed);
    let error = error_text(&events);
    assert!(
        error.starts_with("DeadlockError: deadlock: all 3 threads wait"),
        "{error}"
    );
    assert!(error.contains("one, waiting in Lock.acquire"), "{error}");
    assert!(
        error.contains("MainThread, waiting in Thread.join"),
        "{error}"
    );
}

#[test]
fn a_profiled_run_reports_each_function_with_pstats_columns() {
    let code = "def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
def helper():
    return sum(range(1000))
def main():
    for _ in range(5):
        helper()
    fib(10)
main()
print('done')
";
    let options = HarnessOptions {
        profile: true,
        ..HarnessOptions::default()
    };
    let (status, events) = run(code, options);
    assert_eq!(status, RunStatus::Ok, "{events:?}");
    let profile = profile(&events);
    let row = |name: &str| {
        profile
            .rows
            .iter()
            .find(|r| r.function == name)
            .unwrap_or_else(|| panic!("{name} in {:?}", profile.rows))
    };
    let fib = row("fib");
    assert_eq!((fib.ncalls, fib.primitive_calls), (177, 1));
    assert_eq!(fib.file, "prog");
    assert_eq!(fib.line, 1);
    assert_eq!(row("helper").ncalls, 5);
    let main = row("main");
    assert!(main.cumtime >= fib.cumtime && main.cumtime >= main.tottime);
    assert!(
        profile
            .rows
            .iter()
            .all(|r| r.file != "profile" && !r.function.contains("setprofile")),
        "the profiler's own frames are left out: {:?}",
        profile.rows
    );
    // Without the option, no profile.
    let (_, plain) = run(code, HarnessOptions::default());
    assert!(!plain.iter().any(|e| matches!(e, RunEvent::Profile { .. })));
}

#[test]
fn a_profiled_program_that_raises_still_reports_its_profile() {
    let code = "def boom():\n    raise ValueError('no')\nboom()\n";
    let options = HarnessOptions {
        profile: true,
        ..HarnessOptions::default()
    };
    let (status, events) = run(code, options);
    assert_eq!(status, RunStatus::Failed);
    assert!(error_text(&events).starts_with("ValueError: no"));
    assert!(profile(&events).rows.iter().any(|r| r.function == "boom"));
}

#[test]
fn a_traced_run_reports_its_lines_and_call_tree_up_to_the_error() {
    let code = "def work(n):\n    return sum(range(n))\n\
for i in range(20):\n    work(1000)\n\
raise ValueError('stop')\n";
    let options = HarnessOptions {
        trace_lines: true,
        // This test binary's allocator does not count: no memory profile,
        // and the run goes on without one.
        memory: true,
        ..HarnessOptions::default()
    };
    let (status, events) = run(code, options);
    assert_eq!(status, RunStatus::Failed);
    assert!(error_text(&events).starts_with("ValueError: stop"));
    let traced = events
        .iter()
        .find_map(|e| match e {
            RunEvent::Traced { profile, .. } => Some(profile),
            _ => None,
        })
        .expect("a traced event");
    let hits = |line| {
        traced
            .lines
            .lines
            .iter()
            .find(|l| l.file == "prog" && l.line == line)
            .map(|l| l.hits)
    };
    assert_eq!((hits(2), hits(4), hits(5)), (Some(20), Some(20), Some(1)));
    assert_eq!(traced.threads.len(), 1, "one thread, one tree");
    let calls = traced.main_calls().expect("the main thread's tree");
    let work = calls
        .by_frame()
        .into_iter()
        .find(|t| calls.frames[t.frame as usize].name == "work")
        .expect("work in the call tree");
    assert_eq!(work.calls, 20);
    assert!(
        calls
            .frames
            .iter()
            .all(|f| !f.file.contains("pyrace_support") && !f.name.contains("trace_stop")),
        "the tracer's own frames are left out: {:?}",
        calls.frames
    );
    assert!(!events.iter().any(|e| matches!(e, RunEvent::Memory { .. })));
}

#[test]
fn gil_mode_runs_report_the_measured_overhead_once_per_session() {
    let (session, events) = session();
    let options = HarnessOptions {
        thread_mode: ThreadMode::Gil,
        ..HarnessOptions::default()
    };
    assert_eq!(
        session.execute(&request("print(1)", options.clone())),
        RunStatus::Ok
    );
    assert_eq!(
        session.execute(&request("print(2)", options)),
        RunStatus::Ok
    );
    let events = events.lock().unwrap().clone();
    let found = overheads(&events);
    assert_eq!(found.len(), 2, "one per GIL-mode run");
    assert_eq!(found[0], found[1], "measured once, then remembered");
    let o = &found[0];
    assert_eq!(o.rounds, 11);
    assert!(o.plain > 0.0 && o.hooked > 0.0);
    assert!(o.ratio_low <= o.ratio && o.ratio <= o.ratio_high, "{o:?}");
    assert!(o.ratio > 0.5 && o.ratio < 10.0, "{o:?}");
    assert_eq!(timeline(&events).mode, ThreadMode::Gil);
}
