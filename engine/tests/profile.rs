//! `pyrace profile` as a person uses it, on this engine and on CPython
//! (PYRACE_TEST_PYTHON, default python3): the hot line comes first, memory
//! peaks tell a list from a generator, the speedscope file has the schema's
//! shape, and a program that fails or is stopped keeps its profile.

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
    assert!(lines.iter().any(|l| l.0 == 3 && l.1 > 10), "{lines:?}");
}

#[test]
fn a_program_stopped_by_its_time_limit_keeps_its_profile() {
    assert_stopped_program_keeps_its_profile(&[]);
}

#[test]
fn a_program_stopped_by_its_time_limit_keeps_its_profile_on_cpython() {
    assert_stopped_program_keeps_its_profile(&["--python", &python()]);
}
