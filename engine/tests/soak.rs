//! Processes give back what they held: a program that starts a `Pool(4)`,
//! maps over it and closes it runs 200 times in one session, and afterwards
//! the session holds as many descriptors, semaphores and child processes as
//! after the first run. (The first run starts what lives as long as the
//! session: multiprocessing's resource tracker.) Without that, a timed
//! program that starts processes runs out of pipes after a few repeats.
//!
//! Linux only: it counts `/proc/self/fd`, `/dev/shm` and `/proc`.

#![cfg(target_os = "linux")]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pyrace_engine::{Session, SessionOptions};
use pyrace_model::{HarnessOptions, Mode, OutputStream, RunEvent, RunRequest, RunStatus, Variant};

const RUNS: usize = 200;

/// The tests count what the whole process holds: one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Semaphore names of this test, apart from any other program's on the machine.
fn semaphore_prefix() -> String {
    format!("pyrace-soak-{}", std::process::id())
}

fn open_descriptors() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

fn semaphores() -> usize {
    let prefix = format!("sem.{}", semaphore_prefix());
    std::fs::read_dir("/dev/shm")
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        })
        .count()
}

/// Processes whose parent is this one, exited ones not yet reaped included.
fn child_processes() -> usize {
    let me = std::process::id().to_string();
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .filter_map(|e| std::fs::read_to_string(e.path().join("stat")).ok())
        .filter(|stat| {
            // pid (comm) state ppid …: comm may hold spaces, so after the ')'.
            let rest = &stat[stat.rfind(')').map_or(0, |i| i + 1)..];
            rest.split_whitespace().nth(1) == Some(me.as_str())
        })
        .count()
}

#[derive(Debug, PartialEq)]
struct Held {
    descriptors: usize,
    semaphores: usize,
    processes: usize,
}

fn held() -> Held {
    Held {
        descriptors: open_descriptors(),
        semaphores: semaphores(),
        processes: child_processes(),
    }
}

fn program(name: &str, code: &str) -> RunRequest {
    RunRequest {
        run_id: 1,
        mode: Mode::Run,
        setup: String::new(),
        variants: vec![Variant::new(name, code)],
        options: HarnessOptions::default(),
    }
}

/// A session whose children are `pyrace` engines (as the CLI starts them)
/// and whose semaphores have names of this test's own.
struct Soak {
    session: Session,
    events: Arc<Mutex<Vec<RunEvent>>>,
}

/// What one run printed, and its error if it raised.
struct Ran {
    status: RunStatus,
    stdout: String,
    stderr: String,
    error: Option<String>,
}

impl Soak {
    fn new(call_timeout: Duration) -> Soak {
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&events);
        let session = Session::new(
            SessionOptions {
                call_timeout: Some(call_timeout),
                ..SessionOptions::default()
            },
            Arc::new(move |e| sink.lock().unwrap().push(e)),
        );
        let soak = Soak { session, events };
        let setup = format!(
            "import multiprocessing\nmultiprocessing.set_executable({:?})\n\
             multiprocessing.current_process()._config['semprefix'] = '/{}'\n",
            env!("CARGO_BIN_EXE_pyrace"),
            semaphore_prefix()
        );
        let ran = soak.run(&program("setup", &setup));
        assert_eq!(ran.status, RunStatus::Ok, "{:?}", ran.error);
        soak
    }

    fn run(&self, request: &RunRequest) -> Ran {
        self.events.lock().unwrap().clear();
        let status = self.session.execute(request);
        let mut ran = Ran {
            status,
            stdout: String::new(),
            stderr: String::new(),
            error: None,
        };
        for e in self.events.lock().unwrap().iter() {
            match e {
                RunEvent::Output { stream, text, .. } => match stream {
                    OutputStream::Stdout => ran.stdout.push_str(text),
                    OutputStream::Stderr => ran.stderr.push_str(text),
                },
                RunEvent::Error { error, .. } => ran.error = Some(error.to_string()),
                _ => {}
            }
        }
        ran
    }
}

/// Closed by `close()` and `join()`, or terminated by the `with` block.
const POOL_CLOSED: &str = "import multiprocessing
def square(x):
    return x * x
if __name__ == '__main__':
    pool = multiprocessing.Pool(4)
    print(sum(pool.map(square, range(100))))
    pool.close()
    pool.join()
";
const POOL_WITH: &str = "import multiprocessing
def square(x):
    return x * x
if __name__ == '__main__':
    with multiprocessing.Pool(4) as pool:
        print(sum(pool.map(square, range(100))))
";

#[test]
fn a_pool_run_200_times_leaves_nothing_behind() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let soak = Soak::new(Duration::from_secs(60));
    let programs = [program("closed", POOL_CLOSED), program("with", POOL_WITH)];
    let mut before = None;
    let started = Instant::now();
    for run in 0..=RUNS {
        let ran = soak.run(&programs[run % 2]);
        assert_eq!(
            ran.status,
            RunStatus::Ok,
            "run {run}: {:?} {}",
            ran.error,
            ran.stderr
        );
        assert_eq!(ran.stdout, "328350\n", "run {run}: {}", ran.stderr);
        assert_eq!(ran.stderr, "", "run {run}");
        if run == 0 {
            before = Some(held());
        }
    }
    let after = held();
    eprintln!(
        "{RUNS} runs of a Pool(4) in {:.1} s; held after the first: {:?}, after the last: {after:?}",
        started.elapsed().as_secs_f64(),
        before.as_ref().unwrap()
    );
    assert_eq!(Some(after), before);
}

/// Programs that end otherwise than well: each, run again and again, holds
/// no more than after its first run.
#[test]
fn processes_ending_any_way_leave_nothing_behind() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let cases = [
        (
            // The program fails while its pool and a queue are in use.
            "raised",
            "import multiprocessing
def square(x):
    return x * x
if __name__ == '__main__':
    q = multiprocessing.Queue()
    q.put(1)
    pool = multiprocessing.Pool(2)
    pool.map(square, range(10))
    raise ValueError('the program failed')
",
            Some("ValueError: the program failed"),
        ),
        (
            // A child that never ends is terminated; a lock and a shared
            // value (an arena in /dev/shm) go to it.
            "terminated",
            "import multiprocessing, time
def forever(lock, value):
    with lock:
        value.value += 1
    time.sleep(60)
if __name__ == '__main__':
    lock = multiprocessing.Lock()
    value = multiprocessing.Value('i', 0)
    p = multiprocessing.Process(target=forever, args=(lock, value))
    p.start()
    while value.value == 0:
        time.sleep(0.01)
    p.terminate()
    p.join()
    print(p.exitcode)
",
            None,
        ),
        (
            // A worker of an executor crashes.
            "crashed",
            "import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
if __name__ == '__main__':
    with ProcessPoolExecutor(2) as ex:
        try:
            ex.submit(os._exit, 3).result()
        except BrokenProcessPool:
            print('broken')
",
            None,
        ),
        (
            // Stopped by the time limit while its workers are busy: the
            // interrupted program leaves its pool running. (The main
            // thread computes: a Python loop is where an interrupt lands.)
            "stopped",
            "import multiprocessing, time
if __name__ == '__main__':
    pool = multiprocessing.Pool(2)
    pool.map_async(time.sleep, [30, 30])
    while True:
        pass
",
            Some("KeyboardInterrupt"),
        ),
    ];
    for (name, code, error) in cases {
        // The stopped program is stopped by a short time limit.
        let limit = if name == "stopped" { 2 } else { 60 };
        let soak = Soak::new(Duration::from_secs(limit));
        let request = program(name, code);
        let mut before = None;
        for run in 0..3 {
            let ran = soak.run(&request);
            match error {
                None => assert_eq!(ran.error, None, "{name}, run {run}: {}", ran.stderr),
                Some(expected) => assert!(
                    ran.error.as_deref().is_some_and(|e| e.contains(expected)),
                    "{name}, run {run}: {:?} {}",
                    ran.error,
                    ran.stderr
                ),
            }
            if run == 0 {
                before = Some(held());
            }
        }
        assert_eq!(Some(held()), before, "{name}");
    }
}
