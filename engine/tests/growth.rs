//! Growth labels from real sweeps. A test binary of its own, so that it does
//! not share the machine's cores with the other engine tests while it times.

use std::sync::{Arc, Mutex};

use pyrace_engine::{Session, SessionOptions};
use pyrace_model::{GrowthClass, HarnessOptions, Mode, RunEvent, RunRequest, Sweep, Variant};

fn comparison(
    setup: &str,
    variants: &[(&str, &str)],
    options: HarnessOptions,
) -> pyrace_model::Comparison {
    let request = RunRequest {
        run_id: 1,
        mode: Mode::Sweep,
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
