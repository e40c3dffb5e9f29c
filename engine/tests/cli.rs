//! The `pyrace` command as a person uses it: exit statuses, messages and
//! output for good and bad input.

use std::process::{Command, Output};

fn pyrace(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pyrace"))
        .args(args)
        .output()
        .expect("pyrace runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn script(name: &str, code: &str) -> String {
    let dir = std::env::temp_dir().join(format!("pyrace-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, code).unwrap();
    path.display().to_string()
}

#[test]
fn run_streams_output_and_exits_zero() {
    let file = script("hello.py", "for i in range(3):\n    print('hello', i)\n");
    let out = pyrace(&["run", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "hello 0\nhello 1\nhello 2\n");
}

#[test]
fn run_exits_one_with_the_traceback_on_an_exception() {
    let file = script("boom.py", "print('before')\nraise RuntimeError('boom')\n");
    let out = pyrace(&["run", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "before\n");
    let err = text(&out.stderr);
    assert!(err.contains("Traceback (most recent call last)"), "{err}");
    assert!(err.contains("RuntimeError: boom"), "{err}");
    assert!(err.contains("line 2"), "{err}");
}

#[test]
fn run_reports_a_syntax_error_with_line_and_column() {
    let file = script("syntax.py", "x = 1\nif x\n    pass\n");
    let out = pyrace(&["run", &file]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("line 2, column 5: SyntaxError"), "{err}");
}

#[test]
fn compare_prints_an_aligned_table() {
    let out = pyrace(&[
        "compare",
        "--setup",
        "L = list(range(1000)); S = set(L)",
        "list=-1 in L",
        "set=-1 in S",
        "--budget",
        "1",
        "--target-sample",
        "0.005",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].starts_with("variant")
            && lines[0].contains("per loop")
            && lines[0].contains("ratio")
            && lines[0].ends_with("peak  alloc/loop"),
        "{table}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("set ") && l.contains("fastest")),
        "{table}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("list") && l.contains("× slower")),
        "{table}"
    );
    assert!(table.contains("baseline (empty statement)"), "{table}");
    assert!(
        table.contains("memory: peak net of the setup, RustPython's own memory"),
        "{table}"
    );
}

#[test]
fn compare_json_prints_one_model_event_per_line() {
    let out = pyrace(&[
        "compare",
        "a=1",
        "b=2",
        "--budget",
        "0.5",
        "--target-sample",
        "0.002",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let events: Vec<pyrace_model::RunEvent> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    assert!(matches!(
        events.first(),
        Some(pyrace_model::RunEvent::Started { .. })
    ));
    assert!(
        events
            .iter()
            .any(|e| matches!(e, pyrace_model::RunEvent::Result { .. }))
    );
    assert!(matches!(
        events.last(),
        Some(pyrace_model::RunEvent::Finished { .. })
    ));
}

#[test]
fn compare_reads_cell_files() {
    let file = script(
        "cells.py",
        "# joins\n#%% setup\nparts = ['x'] * 100\n#%% plus\ns = ''\nfor p in parts:\n    s += p\n#%% join\ns = ''.join(parts)\n",
    );
    let out = pyrace(&[
        "compare",
        &file,
        "--budget",
        "1",
        "--target-sample",
        "0.005",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.contains("plus") && table.contains("join"), "{table}");
}

#[test]
fn a_runaway_variant_is_stopped_by_the_timeout() {
    let out = pyrace(&[
        "compare",
        "spin=while True: pass",
        "ok=1",
        "--timeout",
        "1",
        "--budget",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(124));
    let err = text(&out.stderr);
    assert!(
        err.contains("variant \"spin\" failed") && err.contains("stopped after 1.000 s"),
        "{err}"
    );
    assert!(
        text(&out.stdout).contains("ok"),
        "the other variant still reports"
    );
}

#[test]
fn malformed_arguments_get_a_usage_message() {
    for args in [
        &["compare", "no-equals-sign"][..],
        &["compare", "=1"],
        &["compare", "a=1", "--sweep", "n=ten"],
        &["compare", "a=1", "--frobnicate"],
        &["compare"],
        &["run"],
        &["run", "/nonexistent/file.py"],
    ] {
        let out = pyrace(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.to_lowercase().contains("usage"), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn python_mode_shows_cpython_beside_pyrace() {
    let python = std::env::var("PYRACE_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = pyrace(&[
        "compare",
        "--setup",
        "L = list(range(1000)); S = set(L)",
        "list=-1 in L",
        "set=-1 in S",
        "--budget",
        "1",
        "--target-sample",
        "0.005",
        "--python",
        &python,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.contains("CPython ratio"), "{table}");
    assert!(table.contains("reference: CPython 3."), "{table}");
}

/// `--python` with `--json`: CPython's figures are a `Reference` event of
/// the run, just before its `Finished`; a variant that fails only under
/// CPython is named there with its error (and in the text table's notes).
#[test]
fn python_mode_sends_cpythons_figures_as_a_reference_event() {
    let python = std::env::var("PYRACE_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let args = |json: bool| {
        let mut args = vec![
            "compare",
            "--setup",
            "import sys",
            "add=1 + 1",
            "cpython_fails=1 if sys.implementation.name == 'rustpython' else 1 / 0",
            "--budget",
            "1",
            "--target-sample",
            "0.005",
            "--python",
            python.as_str(),
        ];
        if json {
            args.push("--json");
        }
        pyrace(&args)
    };
    let out = args(true);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let events: Vec<pyrace_model::RunEvent> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    let [.., reference, finished] = events.as_slice() else {
        panic!("{stdout}");
    };
    let pyrace_model::RunEvent::Reference {
        run_id,
        comparison,
        errors,
    } = reference
    else {
        panic!("not a reference event: {reference:?}");
    };
    assert_eq!(*run_id, 1);
    assert!(
        comparison.engine.starts_with("CPython 3."),
        "{comparison:?}"
    );
    assert!(comparison.variant("add").is_some(), "{comparison:?}");
    assert!(
        comparison.variant("cpython_fails").is_none(),
        "{comparison:?}"
    );
    assert_eq!(errors.keys().collect::<Vec<_>>(), ["cpython_fails"]);
    let error = &errors["cpython_fails"];
    assert_eq!(error.exc_type, "ZeroDivisionError", "{error:?}");
    assert_eq!(error.kind, pyrace_model::PyErrorKind::Exception);
    assert!(error.traceback.contains("ZeroDivisionError"), "{error:?}");
    assert!(
        matches!(finished, pyrace_model::RunEvent::Finished { .. }),
        "{finished:?}"
    );
    let line: serde_json::Value =
        serde_json::from_str(stdout.lines().rev().nth(1).unwrap()).unwrap();
    assert_eq!(line["event"], "reference", "{line}");
    assert_eq!(
        line["errors"]["cpython_fails"]["exc_type"], "ZeroDivisionError",
        "{line}"
    );

    let out = args(false);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.contains("reference: CPython 3."), "{table}");
    assert!(
        table.contains("CPython: variant \"cpython_fails\" failed:")
            && table.contains("ZeroDivisionError: division by zero"),
        "{table}"
    );
}

#[test]
fn gil_mode_streams_a_timeline_where_one_thread_runs_at_a_time() {
    let file = script(
        "gil_timeline.py",
        "import threading\ndef cpu():\n    s = 0\n    for i in range(200000):\n        s += i\nts = [threading.Thread(target=cpu, name=f'worker-{k}') for k in range(2)]\nfor t in ts: t.start()\nfor t in ts: t.join()\nprint('done')\n",
    );
    let out = pyrace(&["run", "--gil", "--json", "--timeout", "60", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let timeline = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<pyrace_model::RunEvent>(l).unwrap())
        .find_map(|e| match e {
            pyrace_model::RunEvent::Timeline { timeline, .. } => Some(timeline),
            _ => None,
        })
        .expect("a timeline event");
    let names: Vec<&str> = timeline.threads.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["MainThread", "worker-0", "worker-1"]);
    // Never two threads running Python at once.
    let mut edges: Vec<(f64, i32)> = timeline
        .threads
        .iter()
        .flat_map(|t| &t.spans)
        .filter(|s| s.state == pyrace_model::ThreadState::Running)
        .flat_map(|s| [(s.start, 1), (s.end, -1)])
        .collect();
    edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut running = 0;
    for (_, step) in edges {
        running += step;
        assert!(running <= 1, "two threads ran at once");
    }
    // The workers took turns: each waited for the GIL while the other ran.
    for worker in &timeline.threads[1..] {
        let waited = worker
            .spans
            .iter()
            .filter(|s| s.state == pyrace_model::ThreadState::WaitingForGil)
            .count();
        assert!(
            waited >= 2,
            "{} never waited: {:?}",
            worker.name,
            worker.spans
        );
    }
}

#[test]
fn multiprocessing_runs_children_as_separate_engines() {
    let file = script(
        "processes.py",
        "import multiprocessing as mp, os
from concurrent.futures import ProcessPoolExecutor
def square(x):
    return x * x
def pid(_):
    return os.getpid()
def boom(x):
    raise ValueError(f'bad {x}')
if __name__ == '__main__':
    with mp.Pool(2) as pool:
        print(pool.map(square, range(5)))
        print('other process', os.getpid() not in pool.map(pid, range(4)))
    with ProcessPoolExecutor(2) as ex:
        try:
            ex.submit(boom, 7).result()
        except ValueError as e:
            print('child raised', e)
    p = mp.Process(target=square, args=(3,))
    p.start()
    p.join()
    print('exit code', p.exitcode)
    try:
        with mp.Pool(1) as pool:
            pool.map(square, [lambda: 1])
    except Exception as e:
        print('unpicklable', type(e).__name__)
",
    );
    let out = pyrace(&["run", "--timeout", "60", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "[0, 1, 4, 9, 16]\nother process True\nchild raised bad 7\nexit code 0\nunpicklable PicklingError\n"
    );
    assert_no_shutdown_noise(&text(&out.stderr));
}

/// A timed program (no file of its own) still starts processes: its
/// children re-run it from the file pyrace writes for it. From its second
/// run on, its processes are handed to warm children, which must get the
/// pipes of the pool's queues as spawned children inherit them.
#[test]
fn timed_programs_start_processes_run_after_run() {
    let program = "import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
def square(x):
    return x * x
if __name__ == '__main__':
    with mp.Pool(2) as pool:
        assert pool.map(square, range(6)) == [0, 1, 4, 9, 16, 25]
    q = mp.Queue()
    p = mp.Process(target=q.put, args=(7,))
    p.start()
    assert q.get(timeout=30) == 7
    p.join()
    with ProcessPoolExecutor(2) as ex:
        assert list(ex.map(square, [3, 4])) == [9, 16]
";
    let out = pyrace(&[
        "compare",
        "--program",
        "--json",
        "--budget",
        "3",
        "--timeout",
        "60",
        &format!("pool={program}"),
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}{stdout}", text(&out.stderr));
    let result = stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|e| e["event"] == "result")
        .expect("a result");
    let samples = result["comparison"]["variants"][0]["samples"]
        .as_array()
        .unwrap()
        .len();
    // A trial run and a warm-up run come before the kept ones: at least
    // the third run of the program had warm children to use.
    assert!(samples >= 1, "no timed run: {stdout}");
    // Each run gave back its pools' semaphores and pipes: no warning from
    // the resource tracker at exit, nor finalizers run by interpreter
    // teardown.
    assert_no_shutdown_noise(&text(&out.stderr));
}

/// What a correct program that started processes must not leave on stderr.
fn assert_no_shutdown_noise(stderr: &str) {
    for noise in [
        "resource_tracker",
        "leaked",
        "weakref callback",
        "_find_and_load",
    ] {
        assert!(!stderr.contains(noise), "{noise:?} on stderr:\n{stderr}");
    }
}

/// Large buffers that fill the memory the engine may use end in a
/// `MemoryError` that says so, not in an aborted process.
#[test]
fn running_out_of_memory_raises_memory_error() {
    let file = script(
        "memory.py",
        "chunks = []\nwhile True:\n    chunks.append(bytearray(10_000_000))\n",
    );
    let out = pyrace(&["run", "--timeout", "60", &file]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr
            .contains("MemoryError: the program used all the memory the engine may use (1024 MB)"),
        "{stderr}"
    );
    assert!(stderr.contains("line 3"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_deadlock_in_gil_mode_is_reported_with_every_thread() {
    let file = script(
        "deadlock.py",
        "import threading
a, b = threading.Lock(), threading.Lock()
# Each thread takes its first lock before either tries its second.
both = threading.Barrier(2)
def one():
    with a:
        both.wait()
        with b:
            pass
def two():
    with b:
        both.wait()
        with a:
            pass
ts = [threading.Thread(target=one, name='one'), threading.Thread(target=two, name='two')]
for t in ts: t.start()
for t in ts: t.join()
print('never printed')
",
    );
    let out = pyrace(&["run", "--gil", "--timeout", "60", &file]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");
    let err = text(&out.stderr);
    assert!(
        err.contains("DeadlockError: deadlock: all 3 threads wait"),
        "{err}"
    );
    for waiting in [
        "MainThread, waiting in Thread.join",
        "one, waiting in Lock.acquire",
        "two, waiting in Lock.acquire",
    ] {
        assert!(err.contains(waiting), "{waiting} in {err}");
    }
}
