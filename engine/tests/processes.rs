//! Processes started by a program that is not a file (as in the playground,
//! where `pyrace request` runs code sent as JSON): multiprocessing's spawn
//! children re-run the program from its source as `__mp_main__`, and the
//! parent's timeline has a row for each.

use std::io::Write;
use std::process::{Command, Stdio};

use pyrace_model::{ThreadState, Timeline, TrackKind};

/// Runs `code` with `pyrace request` as run 7: its events, after checking
/// that it exited cleanly.
fn request_events(code: &str) -> Vec<serde_json::Value> {
    let request = serde_json::json!({
        "run_id": 7,
        "mode": "run",
        "setup": "import os",
        "variants": [{"name": "main", "code": code}],
        "options": {},
    });
    let mut child = Command::new(env!("CARGO_BIN_EXE_pyrace"))
        .arg("request")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pyrace runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(request.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .collect()
}

fn printed(events: &[serde_json::Value]) -> String {
    events
        .iter()
        .filter(|e| e["event"] == "output" && e["run_id"] == 7)
        .map(|e| e["text"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn children_of_a_program_without_a_file_rerun_it_from_source() {
    let code = "import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
OFFSET = 1000
def shifted(x):
    return x + OFFSET
if __name__ == '__main__':
    with mp.Pool(2) as pool:
        print('pool', pool.map(shifted, range(3)))
    with ProcessPoolExecutor(1) as ex:
        print('executor', ex.submit(shifted, 5).result())
    print('main ran as', __name__)
";
    let events = request_events(code);
    assert_eq!(
        printed(&events),
        "pool [1000, 1001, 1002]\nexecutor 1005\nmain ran as __main__\n",
        "{events:?}"
    );
}

#[test]
fn each_child_process_has_a_row_from_its_start_to_its_end() {
    let code = "import multiprocessing as mp
def square(x):
    return x * x
if __name__ == '__main__':
    with mp.Pool(2) as pool:
        print(pool.map(square, range(4)))
    p = mp.Process(target=square, args=(3,))
    p.start()
    p.join()
";
    let events = request_events(code);
    assert_eq!(printed(&events), "[0, 1, 4, 9]\n", "{events:?}");
    let timeline: Timeline = events
        .iter()
        .find(|e| e["event"] == "timeline")
        .map(|e| serde_json::from_value(e["timeline"].clone()).unwrap())
        .expect("a timeline event");
    let processes: Vec<_> = timeline
        .threads
        .iter()
        .filter(|t| t.kind == TrackKind::Process)
        .collect();
    assert_eq!(processes.len(), 3, "{timeline:?}");
    // Named by the target, the pid and the process's name.
    for (row, (target, name)) in processes.iter().zip([
        ("worker (pid ", ", SpawnPoolWorker-"),
        ("worker (pid ", ", SpawnPoolWorker-"),
        ("square (pid ", ", Process-"),
    ]) {
        assert!(
            row.name.starts_with(target) && row.name.contains(name),
            "{row:?}"
        );
        let states: Vec<ThreadState> = row.spans.iter().map(|s| s.state).collect();
        assert_eq!(
            states,
            [ThreadState::Starting, ThreadState::Running],
            "{row:?}"
        );
        let (start, end) = (row.spans[0].start, row.spans[1].end);
        assert!(0.0 <= start && start < end, "{row:?}");
        assert!(row.exit_code.is_some(), "the parent saw it end: {row:?}");
    }
    let single = processes[2];
    assert_eq!(single.exit_code, Some(0));
    assert!(
        single.spans[1].end < timeline.duration,
        "joined before the program ended: {single:?}"
    );
}
