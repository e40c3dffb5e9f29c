//! The harness's timing guarantees, measured for real: calibration, budget,
//! growth labels, and the verdict and warnings on measurements made to
//! provoke them (identical statements, a clear gap, a one-operation
//! statement, work that alternates between samples, work that changes
//! during the run as when something else takes the cores for a while). A
//! test binary of its own whose tests take turns, so that timing is not
//! disturbed by other tests running on the same cores.

use std::sync::{Arc, Mutex, MutexGuard};

use pyrace_engine::{Session, SessionOptions};
use std::process::Command;

use pyrace_model::{
    Comparison, GrowthClass, HarnessOptions, Mode, RunEvent, RunRequest, Sweep, ThreadMode,
    Variant, Verdict, WarningKind,
};

/// Held by each test while it times.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn take_turn() -> MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

fn quick() -> HarnessOptions {
    HarnessOptions {
        target_sample: 0.005,
        budget: 1.0,
        ..HarnessOptions::default()
    }
}

fn comparison(
    setup: &str,
    variants: &[(&str, &str)],
    options: HarnessOptions,
) -> pyrace_model::Comparison {
    let request = RunRequest {
        run_id: 1,
        mode: if options.sweep.is_some() {
            Mode::Sweep
        } else {
            Mode::Compare
        },
        setup: setup.into(),
        variants: variants.iter().map(|(n, c)| Variant::new(*n, *c)).collect(),
        options,
    };
    let result = Arc::new(Mutex::new(None));
    let slot = Arc::clone(&result);
    let session = Session::new(
        SessionOptions::default(),
        Arc::new(move |e| {
            if let RunEvent::Result { comparison, .. } = e {
                *slot.lock().unwrap() = Some(comparison);
            }
        }),
    );
    session.execute(&request);
    result.lock().unwrap().take().expect("a result")
}

#[test]
fn list_set_and_sorted_sweeps_get_their_growth_labels() {
    let _turn = take_turn();
    let sweep = || {
        comparison(
            "import random\nL = list(range(n))\nS = set(L)\nR = [random.random() for _ in range(n)]",
            &[
                ("list", "-1 in L"),
                ("set", "-1 in S"),
                ("sorted", "sorted(R)"),
            ],
            HarnessOptions {
                target_sample: 0.005,
                budget: 10.0,
                sweep: Some(Sweep {
                    var: "n".into(),
                    sizes: vec![100, 316, 1000, 3162, 10_000, 31_623, 100_000],
                }),
                ..HarnessOptions::default()
            },
        )
    };
    let labels = |c: &Comparison| {
        ["list", "set", "sorted"]
            .map(|name| c.series(name).and_then(|s| s.growth).and_then(|g| g.class))
    };
    let wanted = [
        Some(GrowthClass::Linear),
        Some(GrowthClass::Constant),
        Some(GrowthClass::Linearithmic),
    ];
    // As the lessons test does: a sweep whose labels miss runs once more
    // before it counts. O(n) and O(n log n) differ by a factor of 2.5 over
    // these sizes, and a burst of load on a shared machine can hide that in
    // one sweep; a wrong rule misses twice.
    let first = sweep();
    let c = if labels(&first) == wanted {
        first
    } else {
        sweep()
    };
    let class = |name: &str| c.series(name).and_then(|s| s.growth).and_then(|g| g.class);
    assert_eq!(
        class("list"),
        Some(GrowthClass::Linear),
        "{:?}",
        c.series("list")
    );
    assert_eq!(
        class("set"),
        Some(GrowthClass::Constant),
        "{:?}",
        c.series("set")
    );
    assert_eq!(
        class("sorted"),
        Some(GrowthClass::Linearithmic),
        "{:?}",
        c.series("sorted")
    );
}

#[test]
fn calibration_reaches_the_target_sample_time() {
    let target = 0.01;
    let _turn = take_turn();
    let c = comparison(
        "x = 3",
        &[("add", "x + 1")],
        HarnessOptions {
            target_sample: target,
            ..quick()
        },
    );
    let add = c.variant("add").unwrap();
    assert!(
        add.loops > 1000,
        "a cheap statement needs many loops: {}",
        add.loops
    );
    let sample_secs: Vec<f64> = add.samples.iter().map(|s| s * add.loops as f64).collect();
    let median = pyrace_model::Summary::of(&sample_secs).unwrap().median;
    assert!(
        median >= target * 0.8,
        "median sample {median} s for a {target} s target"
    );
    // Noise can make one sample shorter than the one calibrated on, not much.
    assert!(
        sample_secs.iter().all(|s| *s >= target * 0.5),
        "{sample_secs:?}"
    );
}

#[test]
fn the_budget_is_respected() {
    let budget = 1.5;
    let _turn = take_turn();
    let c = comparison(
        "L = list(range(2000))",
        &[("sum", "sum(L)"), ("max", "max(L)"), ("len", "len(L)")],
        HarnessOptions {
            budget,
            ..HarnessOptions::default()
        },
    );
    // One round may run past the deadline it was started before.
    assert!(
        c.elapsed <= budget * 1.15,
        "took {} s for a {budget} s budget",
        c.elapsed
    );
    // Fewer rounds than wanted happen only on a loaded machine, and then
    // the result says so.
    assert!(c.rounds >= 1);
    assert!(c.rounds >= 5 || c.budget_exhausted, "{} rounds", c.rounds);
    assert!(c.baseline.is_some());
}

/// Runs `code` with `pyrace run` in a process of its own, as a person
/// would, and returns what it printed. The CLI's time limit ends the test
/// with a failure if threads ever deadlock, instead of hanging it.
fn program_output(code: &str, mode: ThreadMode) -> String {
    let dir = std::env::temp_dir().join(format!("pyrace-timing-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{}.py", code.len()));
    std::fs::write(&file, code).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_pyrace"));
    command.args(["run", "--timeout", "60"]).arg(&file);
    if mode == ThreadMode::Gil {
        command.arg("--gil");
    }
    let out = command.output().expect("pyrace runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn with_a_gil_blocking_calls_let_other_threads_run() {
    let _turn = take_turn();
    let out = program_output(
        "import threading, time, queue
from concurrent.futures import ThreadPoolExecutor
ts = [threading.Thread(target=time.sleep, args=(0.2,)) for _ in range(8)]
t0 = time.perf_counter()
for t in ts: t.start()
for t in ts: t.join()
print('sleep', time.perf_counter() - t0)
t0 = time.perf_counter()
with ThreadPoolExecutor(4) as ex:
    list(ex.map(time.sleep, [0.1] * 8))
print('pool', time.perf_counter() - t0)
q = queue.Queue()
got = []
def produce():
    for i in range(200):
        q.put(i)
    q.put(None)
def consume():
    while (x := q.get()) is not None:
        got.append(x)
ps = [threading.Thread(target=produce), threading.Thread(target=consume)]
for t in ps: t.start()
for t in ps: t.join()
lock = threading.RLock()
cond = threading.Condition(lock)
with cond:
    cond.notify_all()
print('queue', len(got))
",
        ThreadMode::Gil,
    );
    let field = |name: &str| -> f64 {
        out.lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or_else(|| panic!("{name} in {out}"))
            .trim()
            .parse()
            .unwrap()
    };
    assert!(field("sleep") < 0.35, "{out}");
    assert!(field("pool") < 0.3, "{out}");
    assert_eq!(field("queue"), 200.0, "{out}");
}

fn options(budget: f64) -> HarnessOptions {
    HarnessOptions {
        target_sample: 0.005,
        budget,
        ..HarnessOptions::default()
    }
}

fn kinds_of(c: &Comparison, variant: &str) -> Vec<WarningKind> {
    c.warnings
        .iter()
        .filter(|w| w.variant == variant)
        .map(|w| w.kind)
        .collect()
}

#[test]
fn identical_statements_show_no_clear_difference_and_a_gap_shows_its_factor() {
    let _turn = take_turn();
    let same = comparison(
        "data = list(range(200))",
        &[("a", "sum(data)"), ("b", "sum(data)")],
        options(2.0),
    );
    let verdict = Verdict::of_comparison(&same).unwrap();
    assert!(
        !verdict.clear,
        "{} ({:?})",
        verdict.sentence(),
        same.variants
    );
    assert!(
        verdict
            .sentence()
            .starts_with("no clear difference between")
    );
    let gap = comparison(
        "data = list(range(2000))\nitems = set(data)",
        &[("list", "-1 in data"), ("set", "-1 in items")],
        options(2.0),
    );
    let verdict = Verdict::of_comparison(&gap).unwrap();
    assert!(verdict.clear, "{}", verdict.sentence());
    assert!(
        verdict.sentence().starts_with("set is "),
        "{}",
        verdict.sentence()
    );
}

#[test]
fn a_one_operation_statement_is_mostly_the_timing_loop() {
    let _turn = take_turn();
    let c = comparison(
        "x = 0",
        &[("empty", "pass"), ("work", "sum(range(300))")],
        options(1.5),
    );
    assert!(
        kinds_of(&c, "empty").contains(&WarningKind::NearBaseline),
        "{:?}",
        c.warnings
    );
    assert!(
        !kinds_of(&c, "work").contains(&WarningKind::NearBaseline),
        "{:?}",
        c.warnings
    );
    let warning = c
        .warnings
        .iter()
        .find(|w| w.kind == WarningKind::NearBaseline)
        .unwrap();
    assert!(warning.advice.contains("more work"), "{}", warning.text());
}

#[test]
fn work_that_alternates_between_samples_is_a_wide_spread() {
    let _turn = take_turn();
    // Every other 20 ms window the statement does twenty times the work:
    // each sample (about 5 ms) falls in one window or the other.
    let c = comparison(
        "import time",
        &[(
            "alternating",
            "sum(range(2000 if int(time.perf_counter() * 50) % 2 else 100))",
        )],
        options(2.0),
    );
    assert!(
        kinds_of(&c, "alternating").contains(&WarningKind::WideSpread),
        "{:?}",
        c.warnings
    );
}

#[test]
fn work_that_lightens_during_the_run_makes_the_times_drift() {
    let _turn = take_turn();
    // For the first half of the run the statement does four times the
    // work, as if something else had the cores; then it lightens. (The
    // setup runs before every sample: the moment is kept where it stays.)
    let c = comparison(
        "import sys, time\nheavy_until = sys.__dict__.setdefault('heavy_until', time.perf_counter() + 1.5)",
        &[(
            "work",
            "sum(range(2000 if time.perf_counter() < heavy_until else 500))",
        )],
        options(3.0),
    );
    assert!(
        kinds_of(&c, "work").contains(&WarningKind::Drift),
        "{:?} {:?}",
        c.warnings,
        c.variants[0].samples
    );
}
