//! The spec the reference harness (`engine/python/reference_harness.py`)
//! reads: the timing functions pyrace wrote for a request, its sizes and
//! options. Built here so that `pyrace compare --python` and the browser's
//! CPython engine hand CPython exactly the same functions.

use serde_json::{Value, json};

use crate::limits::{BLOCKS, MEMORY_LOOPS_MAX, WARMUP_SHARE, WARMUP_TOLERANCE, WARMUP_WINDOW};
use crate::request::{Mode, RunRequest};
use crate::timing_source::{UNROLL_BELOW, memory_source, timer_source, unroll_for};

/// The reference harness's input for `request` (`Compare`, `Sweep` or
/// `Program`; a `Run` request has nothing to time).
pub fn reference_spec(request: &RunRequest) -> Value {
    let var = match request.mode {
        Mode::Sweep => request.options.sweep.as_ref().map(|s| s.var.as_str()),
        _ => None,
    };
    json!({
        "options": request.options,
        "setup": request.setup,
        "var": var,
        "sizes": request.options.sweep.as_ref().map(|s| s.sizes.clone()).unwrap_or_default(),
        "program": request.mode == Mode::Program,
        "baseline": timer_source(&[], "pass", None, 1),
        "unroll_below": UNROLL_BELOW,
        // The warm-up's rule and the blocks, as RustPython's harness
        // applies them (`model::warmup`, `model::blocks`).
        "warmup": {
            "window": WARMUP_WINDOW,
            "tolerance": WARMUP_TOLERANCE,
            "share": WARMUP_SHARE,
        },
        "blocks": BLOCKS,
        "memory_loops_max": MEMORY_LOOPS_MAX,
        "variants": request.variants.iter().map(|v| {
            let setups = [request.setup.as_str(), v.setup.as_str()];
            let unroll = unroll_for(&v.code);
            json!({
                "name": v.name,
                "setup": v.setup,
                "code": v.code,
                "timer": timer_source(&setups, &v.code, var, 1),
                "memory": memory_source(&setups, &v.code, var),
                "unrolled": (unroll > 1).then(|| json!({
                    "timer": timer_source(&setups, &v.code, var, unroll),
                    "unroll": unroll,
                })),
            })
        }).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::{HarnessOptions, Sweep, Variant};

    #[test]
    fn a_sweep_binds_its_variable_and_unrolls_short_statements() {
        let request = RunRequest {
            run_id: 1,
            mode: Mode::Sweep,
            setup: "L = list(range(n))".into(),
            variants: vec![Variant::new("list", "-1 in L")],
            options: HarnessOptions {
                sweep: Some(Sweep {
                    var: "n".into(),
                    sizes: vec![10, 100],
                }),
                ..HarnessOptions::default()
            },
        };
        let spec = reference_spec(&request);
        assert_eq!(spec["var"], "n");
        assert_eq!(spec["sizes"], json!([10, 100]));
        assert_eq!(spec["program"], false);
        let variant = &spec["variants"][0];
        assert!(variant["timer"].as_str().unwrap().starts_with(
            "def __pyrace_time(__pyrace_loops, __pyrace_clock, n):\n    L = list(range(n))\n"
        ));
        assert_eq!(variant["unrolled"]["unroll"], 20);
    }

    #[test]
    fn a_comparison_has_no_variable() {
        let request = RunRequest {
            run_id: 1,
            mode: Mode::Compare,
            setup: String::new(),
            variants: vec![Variant::new("long", "x".repeat(5000))],
            options: HarnessOptions::default(),
        };
        let spec = reference_spec(&request);
        assert_eq!(spec["var"], Value::Null);
        assert_eq!(spec["variants"][0]["unrolled"], Value::Null);
    }
}
