//! `pyrace profile` as a person uses it, on this engine and on CPython
//! (PYRACE_TEST_PYTHON, default python3): the hot line comes first, memory
//! peaks tell a list from a generator, the speedscope file has the schema's
//! shape, a program's threads each get their call tree (a speedscope
//! profile, collapsed stacks under the thread's name), and a program that
//! fails or is stopped keeps its profile.

use std::process::{Command, Output};

use serde_json::Value;

fn pyrace(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pyrace"))
        .args(args)
        .output()
        .expect("pyrace runs")
}

fn python() -> String {
    std::env::var("PYRACE_TEST_PYTHON").unwrap_or_else(|_| "python3".into())
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn script(name: &str, code: &str) -> String {
    let dir = std::env::temp_dir().join(format!("pyrace-profile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, code).unwrap();
    path.display().to_string()
}

/// The JSON objects `--json` printed, one a line.
fn objects(out: &Output) -> Vec<Value> {
    text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The line objects, in the order printed.
fn lines(out: &Output) -> Vec<(u64, u64, f64)> {
    objects(out)
        .iter()
        .filter(|o| o.get("line").is_some())
        .map(|o| {
            (
                o["line"].as_u64().unwrap(),
                o["hits"].as_u64().unwrap(),
                o["seconds"].as_f64().unwrap(),
            )
        })
        .collect()
}

const HOT: &str = "import time\n\
def step(x):\n    return x + 1\n\
total = 0\n\
for i in range(200):\n    total = step(total)\n\
time.sleep(0.4)\n\
print(total)\n";

fn assert_hot_line_first(engine_args: &[&str]) {
    let file = script("hot.py", HOT);
    let mut args = vec!["profile", "--lines", "--json"];
    args.extend_from_slice(engine_args);
    args.push(&file);
    let out = pyrace(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let lines = lines(&out);
    assert_eq!(lines[0].0, 7, "{lines:?}");
    assert!(lines[0].2 >= 0.35, "{lines:?}");
    let loop_line = lines.iter().find(|l| l.0 == 6).expect("line 6 ran");
    assert_eq!(loop_line.1, 200);
    // The program's output left stdout to the figures.
    assert!(text(&out.stderr).contains("200"));
}

#[test]
fn the_hot_line_is_ranked_first() {
    assert_hot_line_first(&[]);
}

#[test]
fn the_hot_line_is_ranked_first_on_cpython() {
    assert_hot_line_first(&["--python", &python()]);
}

fn peak(file: &str, engine_args: &[&str]) -> (u64, Value) {
    let mut args = vec!["profile", "--memory", "--json"];
    args.extend_from_slice(engine_args);
    args.push(file);
    let out = pyrace(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let memory = objects(&out)
        .into_iter()
        .find(|o| o.get("peak_bytes").is_some() && o.get("line").is_none())
        .expect("a memory object");
    (memory["peak_bytes"].as_u64().unwrap(), memory)
}

fn assert_list_peaks_above_generator(engine_args: &[&str]) -> Value {
    let list = script("list.py", "total = sum([i for i in range(10**6)])\n");
    let generator = script("gen.py", "total = sum(i for i in range(10**6))\n");
    let (list_peak, memory) = peak(&list, engine_args);
    let (gen_peak, _) = peak(&generator, engine_args);
    assert!(
        list_peak >= 10 * gen_peak.max(1) && list_peak > 4_000_000,
        "list {list_peak} B, generator {gen_peak} B"
    );
    memory
}

#[test]
fn a_list_peaks_ten_times_above_a_generator() {
    let memory = assert_list_peaks_above_generator(&[]);
    assert_eq!(memory["source"], "rustpython_allocator");
    // One int object each (the small ones are shared).
    assert!(memory["allocations"].as_u64().unwrap() >= 900_000);
    assert!(memory["allocated_bytes"].as_u64().unwrap() >= 8_000_000);
}

#[test]
fn a_list_peaks_ten_times_above_a_generator_on_cpython() {
    let memory = assert_list_peaks_above_generator(&["--python", &python()]);
    assert_eq!(memory["source"], "tracemalloc");
    assert!(memory["allocated_bytes"].is_null());
}

/// Two worker threads, each running a function of its own.
const THREADS: &str = "import threading\n\
def spin_a(n):\n    t = 0\n    for i in range(n):\n        t += i * i\n    return t\n\
def spin_b(n):\n    return sum(i for i in range(n))\n\
def work_a():\n    for _ in range(20):\n        spin_a(2000)\n\
def work_b():\n    for _ in range(10):\n        spin_b(3000)\n\
threads = [threading.Thread(target=work_a), threading.Thread(target=work_b)]\n\
for t in threads:\n    t.start()\n\
for t in threads:\n    t.join()\n";

/// Each thread's functions in the speedscope file and the collapsed stacks.
fn assert_a_tree_per_thread(engine: &[&str]) {
    let file = script("threads.py", THREADS);
    let tag = format!("{}-{}", std::process::id(), engine.len());
    let speedscope = std::env::temp_dir().join(format!("pyrace-threads-{tag}.json"));
    let collapsed = std::env::temp_dir().join(format!("pyrace-threads-{tag}.txt"));
    let mut args = vec!["profile", "--speedscope", speedscope.to_str().unwrap()];
    args.extend(["--collapsed", collapsed.to_str().unwrap()]);
    args.extend_from_slice(engine);
    args.push(&file);
    let out = pyrace(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&speedscope).unwrap()).unwrap();
    let frames = doc["shared"]["frames"].as_array().unwrap();
    let functions = |profile: &Value| -> Vec<String> {
        let mut names: Vec<String> = profile["samples"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s.as_array().unwrap().clone())
            .map(|i| {
                frames[i.as_u64().unwrap() as usize]["name"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        names.sort();
        names.dedup();
        names
    };
    let profiles = doc["profiles"].as_array().unwrap();
    assert_eq!(profiles.len(), 3, "{engine:?}: {profiles:?}");
    assert_eq!(profiles[0]["name"], "MainThread");
    assert!(functions(&profiles[0]).contains(&"<module>".to_owned()));
    let workers: Vec<(String, Vec<String>)> = profiles[1..]
        .iter()
        .map(|p| (p["name"].as_str().unwrap().to_owned(), functions(p)))
        .collect();
    for (function, callee) in [("work_a", "spin_a"), ("work_b", "spin_b")] {
        let (name, names) = workers
            .iter()
            .find(|(name, _)| name.contains(function))
            .unwrap_or_else(|| panic!("{engine:?}: no thread of {function}: {workers:?}"));
        assert!(
            names.contains(&function.to_owned()) && names.contains(&callee.to_owned()),
            "{engine:?}: {name}: {names:?}"
        );
        assert!(
            !names.contains(&"<module>".to_owned())
                && !names.iter().any(|n| n.contains("_bootstrap")),
            "{engine:?}: a worker's tree starts at its function: {names:?}"
        );
    }
    let stacks = std::fs::read_to_string(&collapsed).unwrap();
    assert!(
        stacks
            .lines()
            .any(|l| l.starts_with("MainThread;<module> (")),
        "{stacks}"
    );
    assert!(
        stacks
            .lines()
            .any(|l| l.contains("(work_a);work_a (") && l.contains(";spin_a (")),
        "{stacks}"
    );
}

#[test]
fn each_thread_gets_its_call_tree() {
    assert_a_tree_per_thread(&[]);
}

#[test]
fn each_thread_gets_its_call_tree_under_cpython() {
    assert_a_tree_per_thread(&["--python", &python()]);
}

/// A generator function, a generator expression, a comprehension, a loop
/// on one line and a lambda, each on lines of its own.
const GENERATORS: &str = "def gen(n):\n    for i in range(n):\n        yield i\n\
def heavy(n):\n    return sum(i * i for i in range(n))\n\
total = 0\n\
for k in range(50):\n    total += heavy(100)\n    total += sum(gen(20))\n\
squares = [i * i for i in range(1000)]\n\
x = 0\n\
for i in range(300): x += i\n\
ordered = sorted(range(500), key=lambda x: -x)\n";

/// (line, hits) of GENERATORS profiled on `engine`.
fn generator_hits(engine: &[&str]) -> Vec<(u64, u64)> {
    let file = script("generators.py", GENERATORS);
    let mut args = vec!["profile", "--lines", "--json"];
    args.extend_from_slice(engine);
    args.push(&file);
    let out = pyrace(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut hits: Vec<(u64, u64)> = lines(&out).iter().map(|&(l, h, _)| (l, h)).collect();
    hits.sort();
    hits
}

#[test]
fn generator_and_comprehension_lines_count_the_same_on_both_hooks() {
    // A line is hit when it starts: the generator expression's line once
    // per call of heavy (not per resume), the comprehension, the one-line
    // loop and the lambda's line once; the generator function's lines at
    // every turn, as line_profiler 5 counts on CPython 3.12+.
    let expected = [
        (1, 1),
        (2, 1050),
        (3, 1000),
        (4, 1),
        (5, 50),
        (6, 1),
        (7, 51),
        (8, 50),
        (9, 50),
        (10, 1),
        (11, 1),
        (12, 1),
        (13, 1),
    ];
    assert_eq!(generator_hits(&[]), expected, "sys.settrace (this engine)");
    assert_eq!(
        generator_hits(&["--python", &python()]),
        expected,
        "{} (sys.monitoring from 3.12, sys.settrace before)",
        python()
    );
}

#[test]
fn the_speedscope_file_has_the_schemas_shape() {
    let file = script(
        "calls.py",
        "def leaf(n):\n    return sum(range(n))\n\
def branch():\n    return [leaf(i) for i in range(300)]\n\
branch()\n",
    );
    let out_path =
        std::env::temp_dir().join(format!("pyrace-speedscope-{}.json", std::process::id()));
    let out = pyrace(&["profile", "--speedscope", out_path.to_str().unwrap(), &file]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&out_path).unwrap()).unwrap();
    assert_eq!(
        doc["$schema"],
        "https://www.speedscope.app/file-format-schema.json"
    );
    let frames = doc["shared"]["frames"].as_array().unwrap();
    assert!(frames.iter().all(|f| f["name"].is_string()));
    let names: Vec<&str> = frames.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert!(
        names.contains(&"leaf") && names.contains(&"branch"),
        "{names:?}"
    );
    let profile = &doc["profiles"][0];
    assert_eq!(profile["type"], "sampled");
    assert_eq!(profile["unit"], "seconds");
    let samples = profile["samples"].as_array().unwrap();
    let weights = profile["weights"].as_array().unwrap();
    assert_eq!(samples.len(), weights.len());
    assert!(!samples.is_empty());
    for sample in samples {
        for index in sample.as_array().unwrap() {
            assert!((index.as_u64().unwrap() as usize) < frames.len());
        }
    }
    let sum: f64 = weights.iter().map(|w| w.as_f64().unwrap()).sum();
    assert!((profile["endValue"].as_f64().unwrap() - sum).abs() < 1e-9);
    // The text table names the frames too.
    assert!(
        text(&out.stdout).contains("leaf ("),
        "{}",
        text(&out.stdout)
    );
}

fn assert_failing_program_keeps_its_profile(engine_args: &[&str]) {
    let file = script(
        "fails.py",
        "def work():\n    return sum(range(1000))\n\
for i in range(30):\n    work()\n\
raise RuntimeError('halfway')\n\
print('never')\n",
    );
    let mut args = vec!["profile", "--lines", "--json"];
    args.extend_from_slice(engine_args);
    args.push(&file);
    let out = pyrace(&args);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("RuntimeError: halfway"));
    let lines = lines(&out);
    let hits = |n| lines.iter().find(|l| l.0 == n).map(|l| l.1);
    assert_eq!(hits(4), Some(30), "{lines:?}");
    assert_eq!(hits(2), Some(30), "{lines:?}");
    assert_eq!(hits(5), Some(1), "{lines:?}");
    assert_eq!(hits(6), None, "{lines:?}");
}

#[test]
fn a_failing_program_keeps_its_profile_up_to_the_error() {
    assert_failing_program_keeps_its_profile(&[]);
}

#[test]
fn a_failing_program_keeps_its_profile_on_cpython() {
    assert_failing_program_keeps_its_profile(&["--python", &python()]);
}

fn assert_stopped_program_keeps_its_profile(engine_args: &[&str]) {
    let file = script("forever.py", "n = 0\nwhile True:\n    n += 1\n");
    let mut args = vec!["profile", "--lines", "--json", "--timeout", "1"];
    args.extend_from_slice(engine_args);
    args.push(&file);
    let out = pyrace(&args);
    assert_eq!(out.status.code(), Some(124), "{}", text(&out.stderr));
    let lines = lines(&out);
    assert!(
        lines.iter().any(|l| l.0 == 3 && l.1 > 10),
        "{lines:?}\n{}",
        text(&out.stderr)
    );
}

#[test]
fn a_program_stopped_by_its_time_limit_keeps_its_profile() {
    assert_stopped_program_keeps_its_profile(&[]);
}

#[test]
fn a_program_stopped_by_its_time_limit_keeps_its_profile_on_cpython() {
    assert_stopped_program_keeps_its_profile(&["--python", &python()]);
}

/// Seconds of a figure as the tables print it ("3.59 ms", "570 µs").
fn seconds_of(figure: &str, unit: &str) -> f64 {
    let value: f64 = figure.parse().unwrap_or_else(|e| panic!("{e}: {figure}"));
    value
        * match unit {
            "s" => 1.0,
            "ms" => 1e-3,
            "µs" => 1e-6,
            "ns" => 1e-9,
            other => panic!("unit {other}"),
        }
}

/// A recursion's many short calls are where the hooks' cost, taken out
/// call by call, would read below zero: its own time can never pass its
/// inclusive time, nor its callers' (a flame graph's frame overflowing
/// its caller).
fn assert_recursion_own_within_inclusive(engine_args: &[&str]) {
    let file = script(
        "recursion.py",
        "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n\
def main():\n    return fib(16)\n\
main()\n",
    );
    let mut args = vec!["profile"];
    args.extend_from_slice(engine_args);
    args.push(&file);
    let out = pyrace(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    let row = |function: &str| -> (f64, f64) {
        let line = table
            .lines()
            .find(|l| l.contains(&format!(" {function} (")))
            .unwrap_or_else(|| panic!("no {function} row:\n{table}"));
        let cells: Vec<&str> = line.split_whitespace().collect();
        // inclusive, unit, %, own, unit, calls, function
        (
            seconds_of(cells[0], cells[1]),
            seconds_of(cells[3], cells[4]),
        )
    };
    let (fib_inclusive, fib_own) = row("fib");
    let (main_inclusive, _) = row("main");
    assert!(fib_own <= fib_inclusive * 1.01, "{table}");
    assert!(fib_inclusive <= main_inclusive * 1.01, "{table}");
    assert!(fib_inclusive > 0.5 * main_inclusive, "{table}");
}

#[test]
fn a_recursions_own_time_stays_within_its_inclusive_time() {
    assert_recursion_own_within_inclusive(&[]);
}

#[test]
fn a_recursions_own_time_stays_within_its_inclusive_time_on_cpython() {
    assert_recursion_own_within_inclusive(&["--python", &python()]);
}
