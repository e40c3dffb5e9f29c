//! The harness's timing guarantees, measured for real: calibration, budget
//! and growth labels. A test binary of its own whose tests take turns, so
//! that timing is not disturbed by other tests running on the same cores.

use std::sync::{Arc, Mutex, MutexGuard};

use pyrace_engine::{Session, SessionOptions};
use pyrace_model::{GrowthClass, HarnessOptions, Mode, RunEvent, RunRequest, Sweep, Variant};

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
    let c = comparison(
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
    );
    let class = |name: &str| c.series(name).and_then(|s| s.growth).map(|g| g.class);
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
