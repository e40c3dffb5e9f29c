//! GIL mode with processes and the waits around them: a thread blocked in
//! a pipe read, a `select` or a semaphore of `multiprocessing` must let go
//! of the baton, or the threads that `Pool` and `ProcessPoolExecutor` run
//! inside the parent could never feed it. Every run here has a deadline, so
//! a regression fails instead of hanging.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Pools, executors, a process with a queue, and a thread waiting on a
/// selector-based event loop, each printing what it computed.
const PROCESS_WORK: &str = "import asyncio, multiprocessing as mp, time
from concurrent.futures import ProcessPoolExecutor
def square(x):
    return x * x
def add(a, b):
    return a + b
def main():
    with mp.Pool(2) as pool:
        print('map', pool.map(square, range(8)))
        print('imap', list(pool.imap(square, range(5))))
        print('imap_unordered', sorted(pool.imap_unordered(square, range(5))))
        print('starmap', pool.starmap(add, [(1, 2), (3, 4)]))
        print('apply_async', pool.apply_async(square, (7,)).get(timeout=60))
    with ProcessPoolExecutor(2) as ex:
        print('executor', list(ex.map(square, range(6))))
        print('submit', ex.submit(add, 20, 22).result(timeout=60))
    q = mp.Queue()
    p = mp.Process(target=q.put, args=('from child',))
    p.start()
    print('queue', q.get(timeout=60))
    p.join()
    print('exitcode', p.exitcode)
    async def threads():
        return await asyncio.gather(*(asyncio.to_thread(square, i) for i in range(3)))
    print('to_thread', asyncio.run(threads()))
if __name__ == '__main__':
    main()
";

const PROCESS_RESULTS: &str = "map [0, 1, 4, 9, 16, 25, 36, 49]
imap [0, 1, 4, 9, 16]
imap_unordered [0, 1, 4, 9, 16]
starmap [3, 7]
apply_async 49
executor [0, 1, 4, 9, 16, 25]
submit 42
queue from child
exitcode 0
to_thread [0, 1, 4]
";

/// Runs `pyrace` with `args`, its standard input read from `stdin` (a
/// file); its exit code, stdout and stderr. Killed, and the test failed, if
/// it is still running after `deadline`.
fn pyrace(args: &[&str], stdin: &Path, deadline: Duration) -> (Option<i32>, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pyrace"))
        .args(args)
        .stdin(File::open(stdin).expect("the input file opens"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pyrace runs");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "pyrace {args:?} still ran after {deadline:?}: GIL mode hangs\n{}",
                stderr.join().unwrap()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    (
        status.code(),
        stdout.join().unwrap(),
        stderr.join().unwrap(),
    )
}

/// A file of this test run's own, holding `text`.
fn file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pyrace-gil-procs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn gil_mode_runs_pools_executors_and_queues_to_the_end() {
    let program = file("gil_pool.py", PROCESS_WORK);
    let (code, stdout, stderr) = pyrace(
        &[
            "run",
            "--gil",
            "--timeout",
            "60",
            &program.display().to_string(),
        ],
        &file("empty.txt", ""),
        Duration::from_secs(90),
    );
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert_eq!(stdout, PROCESS_RESULTS, "{stderr}");
    assert!(!stderr.contains("leaked"), "{stderr}");
}

/// The same session runs the work in GIL mode, then free-threaded: the
/// second run finds the standard library as it was (free-threaded programs
/// get wrappers of their own, which only mark the timeline).
#[test]
fn a_free_threaded_run_after_a_gil_mode_run_finds_no_gil_wrappers() {
    let check = "import os, select, selectors, multiprocessing.connection as conn
import multiprocessing.synchronize as sync
from_gil = [f for f in (selectors.SelectSelector.select, selectors._PollLikeSelector.select,
                        conn.Connection._recv, conn.Connection._send,
                        sync.SemLock._make_methods, sync.SemLock.__enter__)
            if f.__code__.co_filename == '<_pyrace_gil>']
print('wrapped', [f.__name__ for f in from_gil],
      [type(f).__name__ for f in (os.read, os.write, os.waitpid, select.select)])
";
    let request = serde_json::json!({
        "run_id": 3,
        "mode": "run",
        "setup": "",
        "variants": [
            {"name": "gil", "code": PROCESS_WORK, "thread_mode": "gil"},
            // A variant's setup runs before its thread mode begins: it sees
            // the modules as the GIL-mode run left them.
            {"name": "free", "setup": check, "code": PROCESS_WORK, "thread_mode": "free"},
        ],
        "options": {},
    });
    let (code, stdout, stderr) = pyrace(
        &["request"],
        &file("request.json", &request.to_string()),
        Duration::from_secs(120),
    );
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    let printed = |variant: &str| -> String {
        stdout
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|e| e["event"] == "output" && e["variant"] == variant)
            .map(|e| e["text"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(printed("gil"), PROCESS_RESULTS, "{stdout}\n{stderr}");
    let builtin = "builtin_function_or_method";
    assert_eq!(
        printed("free"),
        format!(
            "wrapped [] ['{builtin}', '{builtin}', '{builtin}', '{builtin}']\n{PROCESS_RESULTS}"
        ),
        "{stdout}\n{stderr}"
    );
}
