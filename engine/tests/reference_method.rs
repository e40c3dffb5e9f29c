//! The CPython side of the method (`engine/python/reference_harness.py`)
//! applies the same warm-up rule and the same blocks as RustPython's
//! harness (`pyrace_model::warmup`, `pyrace_model::blocks`): each is
//! checked against the Rust one on the same inputs, under the machine's
//! CPython (PYRACE_TEST_PYTHON, default python3).

use std::io::Write;
use std::process::{Command, Stdio};

use pyrace_model::blocks::block_of_round;
use pyrace_model::limits::{BLOCKS, WARMUP_SHARE, WARMUP_TOLERANCE, WARMUP_WINDOW};
use pyrace_model::warmup::settled;
use serde_json::{Value, json};

/// Runs `code` (which reads `job` from stdin as JSON and prints JSON) with
/// the reference harness importable.
fn python(code: &str, job: &Value) -> Value {
    let python = std::env::var("PYRACE_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let harness = concat!(env!("CARGO_MANIFEST_DIR"), "/python");
    let mut child = Command::new(&python)
        .args(["-c", code])
        .env("PYTHONPATH", harness)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {python}: {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(job.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{python} failed");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn both_harnesses_call_the_same_samples_settled() {
    let step: Vec<f64> = (0..16).map(|i| if i < 8 { 1.0 } else { 0.65 }).collect();
    let drift: Vec<f64> = (0..24).map(|i| 0.97f64.powi(i)).collect();
    let noisy = vec![1.1, 0.9, 1.0, 0.92, 1.0, 1.08, 1.3, 0.7, 1.0];
    let series = [step, drift, noisy];
    // Every prefix of every series, as a harness sees them round by round.
    let prefixes: Vec<Vec<f64>> = series
        .iter()
        .flat_map(|s| (1..=s.len()).map(|n| s[..n].to_vec()))
        .collect();
    let rule =
        json!({"window": WARMUP_WINDOW, "tolerance": WARMUP_TOLERANCE, "share": WARMUP_SHARE});
    let theirs = python(
        "import json, sys, reference_harness as h\n\
         job = json.load(sys.stdin)\n\
         print(json.dumps([h.settled(p, job['rule']) for p in job['prefixes']]))",
        &json!({"prefixes": prefixes, "rule": rule}),
    );
    let ours: Vec<bool> = prefixes.iter().map(|p| settled(p)).collect();
    assert_eq!(theirs, json!(ours));
    // The harness's own defaults are the model's limits.
    let defaults = python(
        "import json, reference_harness as h; print(json.dumps([h.WARMUP, h.BLOCKS]))",
        &json!({}),
    );
    assert_eq!(defaults, json!([rule, BLOCKS]));
}

#[test]
fn both_harnesses_put_a_round_in_the_same_block() {
    let cases: Vec<(f64, f64, u32, u32)> = [0.0, 0.49, 0.5, 1.0, 1.99, 2.0, 3.7, 4.0, 9.0]
        .iter()
        .flat_map(|&t| [0u32, 40, 120, 199].map(move |k| (t, 4.0, k, 200)))
        .chain([(0.3, 0.0, 3, 200), (0.1, 2.0, 30, 40)])
        .collect();
    let theirs = python(
        "import json, sys, reference_harness as h\n\
         job = json.load(sys.stdin)\n\
         print(json.dumps([h.block_of_round(t, s, k, m, job['blocks']) for t, s, k, m in job['cases']]))",
        &json!({"cases": cases, "blocks": BLOCKS}),
    );
    let ours: Vec<usize> = cases
        .iter()
        .map(|&(t, s, k, m)| block_of_round(t, s, k, m))
        .collect();
    assert_eq!(theirs, json!(ours));
}
