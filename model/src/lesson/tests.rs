//! The lesson format, parser, claims and reference, as lesson files use them.

use super::reference::parse_time;
use super::*;
use crate::growth::Growth;
use crate::growth::GrowthClass;
use crate::request::ThreadMode;
use crate::result::Comparison;
use crate::result::{Ratio, SweepPoint, SweepSeries, VariantResult};
use crate::stats::Summary;

const GOOD: &str = "---
title: Membership
topic: data structures
tags: hashing, membership
mode: sweep
sweep: n=100,1000,10000
---
Why sets win.

```python setup
L = list(range(n))
```

```python variant=list
-1 in L
```

```python variant=set setup
S = set(L)
```

```python variant=set
-1 in S
```

```python
# an illustration, not a variant
```

expect: set faster than list by >= 20x at n=10000
expect: growth list O(n)
expect: growth set O(1) or O(log n)

```cpython
version: CPython 3.11.7
machine: 2-core x86_64 Linux VM
list: 43.2 µs
set: 21.5 ns
growth list: O(n)
```
";

fn bad(text: &str) -> LessonError {
    parse("bad.md", text).expect_err("should be refused")
}

#[test]
fn parses_a_whole_lesson() {
    let l = parse("good.md", GOOD).unwrap();
    assert_eq!(l.title, "Membership");
    assert_eq!(l.tags, ["hashing", "membership"]);
    assert_eq!(l.mode, Mode::Sweep);
    assert_eq!(l.sweep.as_ref().unwrap().sizes, [100, 1000, 10000]);
    assert_eq!(l.setup, "L = list(range(n))\n");
    assert_eq!(l.variants.len(), 2);
    assert_eq!(l.variants[1].setup, "S = set(L)\n");
    assert_eq!(l.variants[1].code, "-1 in S\n");
    assert_eq!(l.claims.len(), 3);
    assert_eq!(l.claims[0].line, 30);
    assert_eq!(
        l.claims[0].kind,
        ClaimKind::FasterBy {
            fast: "set".into(),
            slow: "list".into(),
            factor: 20.0,
            n: Some(10000)
        }
    );
    assert!(l.prose.contains("Why sets win."));
    assert!(l.prose.contains("an illustration"));
    assert!(!l.prose.contains("expect:"));
    assert!(!l.prose.contains("-1 in S"));
    let r = l.reference.as_ref().unwrap();
    assert_eq!(r.version, "CPython 3.11.7");
    assert_eq!(r.n, Some(10000));
    assert!((r.times[0].1 - 43.2e-6).abs() < 1e-12);
    let req = l.request(HarnessOptions::default());
    assert_eq!(req.mode, Mode::Sweep);
    assert_eq!(req.options.sweep, l.sweep);
}

#[test]
fn a_lesson_can_ask_for_the_same_result_check() {
    assert_eq!(parse("good.md", GOOD).unwrap().same_result, None);
    let with = |value: &str| {
        GOOD.replacen(
            "sweep: n=100,1000,10000\n",
            &format!("sweep: n=100,1000,10000\nsame_result: {value}\n"),
            1,
        )
    };
    let last = parse("last.md", &with("last line")).unwrap();
    assert_eq!(last.same_result.as_deref(), Some(""));
    assert_eq!(
        last.request(HarnessOptions::default())
            .options
            .check_result
            .as_deref(),
        Some("")
    );
    let named = parse("named.md", &with("out")).unwrap();
    assert_eq!(named.same_result.as_deref(), Some("out"));
    let e = bad(&with("the output"));
    assert!(e.reason.contains("expected `last line` or a name"), "{e}");
}

#[test]
fn a_lesson_budget_is_one_the_playground_runs() {
    let with = |value: &str| {
        GOOD.replacen(
            "sweep: n=100,1000,10000\n",
            &format!("sweep: n=100,1000,10000\nbudget: {value}\n"),
            1,
        )
    };
    assert_eq!(parse("b.md", &with("12 s")).unwrap().budget, Some(12.0));
    let e = bad(&with("300"));
    assert!(
        e.reason
            .contains("the budget must be from 0.1 to 120 seconds"),
        "{e}"
    );
    assert!(bad(&with("soon")).reason.contains("expected seconds"));
}

#[test]
fn a_variant_can_ask_for_its_thread_mode() {
    let text = GOOD.replace(
        "```python variant=list\n",
        "```python variant=list threads=gil\n",
    );
    let l = parse("gil.md", &text).unwrap();
    assert_eq!(l.variants[0].thread_mode, Some(ThreadMode::Gil));
    assert_eq!(l.variants[1].thread_mode, None);
    let req = l.request(HarnessOptions::default());
    assert_eq!(req.variants[0].thread_mode, Some(ThreadMode::Gil));
    assert_eq!(req.options.thread_mode, ThreadMode::Free);

    let free = GOOD.replace(
        "```python variant=set\n",
        "```python variant=set threads=free\n",
    );
    let l = parse("free.md", &free).unwrap();
    assert_eq!(l.variants[1].thread_mode, Some(ThreadMode::Free));

    let e = bad(&GOOD.replace(
        "```python variant=list\n",
        "```python variant=list threads=fast\n",
    ));
    assert_eq!(e.line, 14);
    assert!(
        e.reason.contains("expected threads=gil or threads=free"),
        "{e}"
    );
    let e = bad(&GOOD.replace("```python variant=list\n", "```python variant=list gil\n"));
    assert_eq!(e.line, 14);
    assert!(e.reason.contains("cannot read \"gil\""), "{e}");
}

#[test]
fn claims_parse_in_every_form() {
    let k = parse_claim("list slower than set by >= 3x").unwrap();
    assert_eq!(
        k,
        ClaimKind::FasterBy {
            fast: "set".into(),
            slow: "list".into(),
            factor: 3.0,
            n: None
        }
    );
    let k = parse_claim("threads wall <= 0.4 * sequential").unwrap();
    let ClaimKind::FasterBy { fast, factor, .. } = k else {
        panic!()
    };
    assert_eq!(fast, "threads");
    assert!((factor - 2.5).abs() < 1e-12);
    assert!(parse_claim("growth x O(n log n) or O(n^2)").is_ok());
    assert!(parse_claim("growth x O(2^n)").is_err());
    assert!(parse_claim("set beats list").is_err());
    assert!(parse_claim("a faster than b by >= -2x").is_err());
    assert!(parse_claim("a faster than b by >= 2x at 100").is_err());
    assert!(parse_claim("a faster than b by >= 2x at n=100 please").is_err());
}

#[test]
fn malformed_files_name_the_line_and_reason() {
    let e = bad(&GOOD.replace("topic:", "topics:"));
    assert_eq!((e.file.as_str(), e.line), ("bad.md", 3));
    assert!(
        e.reason.contains("unknown front-matter key `topics`"),
        "{e}"
    );

    let e = bad(&GOOD.replace("by >= 20x", "by at least 20x"));
    assert_eq!(e.line, 30);
    assert!(e.reason.contains("cannot read the claim"), "{e}");

    let e = bad(&GOOD.replace("growth list O(n)", "growth tuple O(n)"));
    assert_eq!(e.line, 31);
    assert!(e.reason.contains("no variant \"tuple\""), "{e}");

    let e = bad(&GOOD.replace("at n=10000", "at n=5"));
    assert!(e.reason.contains("not one of the sweep's sizes"), "{e}");

    let e = bad(&GOOD.replace("mode: sweep", "mode: race"));
    assert_eq!(e.line, 5);

    let e = bad(&GOOD.replace("```python variant=list\n-1 in L\n```\n", ""));
    assert!(e.reason.contains("no variant \"list\""), "{e}");

    let e = bad("---\ntitle: t\ntopic: t\nmode: compare\n---\nno code\n");
    assert!(e.reason.contains("no variants"), "{e}");
    assert_eq!(e.to_string(), format!("bad.md: {}", e.reason));

    let e = bad(&GOOD.replace(
        "```python variant=set setup",
        "```python variant=tuple setup",
    ));
    assert!(e.reason.contains("which has no block"), "{e}");

    let e = bad("---\ntitle: t\ntopic: t\nmode: compare\n---\n```python variant=a\nx\n");
    assert_eq!(e.line, 6);
    assert!(e.reason.contains("never closed"), "{e}");

    let e = bad(&GOOD.replace("list: 43.2 µs", "list: fast"));
    assert!(e.reason.contains("not a time"), "{e}");

    let e = bad(&GOOD.replace("mode: sweep\n", "mode: compare\n"));
    assert!(e.reason.contains("needs `mode: sweep`"), "{e}");

    let e = bad(&GOOD.replace("```python variant=set\n", "```python variant=list\n"));
    assert!(e.reason.contains("a second variant"), "{e}");

    let e = bad("title: t\n");
    assert_eq!(e.line, 1);
}

pub(super) fn result(name: &str, median: f64) -> VariantResult {
    let time = Summary::of(&[median]).unwrap();
    VariantResult {
        name: name.into(),
        n: Some(10000),
        loops: 1,
        time,
        samples: vec![median],
        ops_per_sec: 1.0 / median,
        ratio: Ratio {
            value: 1.0,
            low: 1.0,
            high: 1.0,
        },
        fastest: false,
        memory: None,
    }
}

pub(super) fn series(name: &str, median: f64, class: GrowthClass) -> SweepSeries {
    SweepSeries {
        name: name.into(),
        points: vec![SweepPoint {
            n: 10000,
            median,
            low: median,
            high: median,
            peak_bytes: None,
        }],
        memory_growth: None,
        growth: Some(Growth {
            class: Some(class),
            exponent: 1.0,
            fit_error: 0.0,
            runner_up: None,
        }),
    }
}

#[test]
fn checks_claims_against_a_comparison_and_the_reference() {
    let l = parse("good.md", GOOD).unwrap();
    let c = Comparison {
        engine: "test".into(),
        variants: vec![result("list", 1e-4), result("set", 1e-7)],
        baseline: None,
        sweep: vec![
            series("list", 1e-4, GrowthClass::Linear),
            series("set", 1e-7, GrowthClass::Quadratic),
        ],
        rounds: 5,
        elapsed: 1.0,
        budget_exhausted: false,
        warnings: Vec::new(),
        warmup: None,
    };
    let v = l.claims[0].check(&c);
    assert!(v.passed);
    assert_eq!(v.measured, "list/set = 1000.0× at n=10000");
    assert!(l.claims[1].check(&c).passed);
    let v = l.claims[2].check(&c);
    assert!(!v.passed);
    assert_eq!(v.measured, "set O(n²)");

    let r = l.reference.as_ref().unwrap();
    let v = l.claims[0].check(r);
    assert!(v.passed);
    assert!((v.ratio.unwrap() - 43.2e-6 / 21.5e-9).abs() < 1e-6);
    // No growth recorded for `set`: the claim cannot be confirmed.
    assert!(!l.claims[2].check(r).passed);
}

/// A sweep of one variant, `list`, with the given label and exponent.
fn list_sweep(class: Option<GrowthClass>, exponent: f64) -> Comparison {
    let mut list = series("list", 1e-4, GrowthClass::Linear);
    let growth = list.growth.as_mut().unwrap();
    growth.class = class;
    growth.exponent = exponent;
    comparison(vec![result("list", 1e-4)], vec![list])
}

/// A comparison of `variants` (and, in a sweep, `sweep`).
pub(super) fn comparison(variants: Vec<VariantResult>, sweep: Vec<SweepSeries>) -> Comparison {
    Comparison {
        engine: "test".into(),
        variants,
        baseline: None,
        sweep,
        rounds: 5,
        elapsed: 1.0,
        budget_exhausted: false,
        warnings: Vec::new(),
        warmup: None,
    }
}

#[test]
fn exponent_claims_read_the_fitted_slope() {
    let claim = |text: &str| Claim {
        text: text.into(),
        line: 1,
        kind: parse_claim(text).unwrap(),
    };
    let c = list_sweep(Some(GrowthClass::Linear), 1.09);
    let v = claim("growth list exponent >= 0.8").check(&c);
    assert!(v.passed);
    assert_eq!(v.measured, "list n^1.09");
    assert!(!claim("growth list exponent <= 1.05").check(&c).passed);
    // A recorded CPython block holds no exponent: nothing to confirm.
    let r = Reference {
        version: "CPython".into(),
        machine: "m".into(),
        times: vec![],
        growth: vec![("list".into(), GrowthClass::Linear)],
        peaks: vec![],
        memory_growth: vec![],
        hottest_lines: vec![],
        n: None,
    };
    let v = claim("growth list exponent >= 0.8").check(&r);
    assert!(!v.passed);
    assert_eq!(v.measured, "no exponent measured for list");
    assert!(parse_claim("growth list exponent >= fast").is_err());
    assert!(parse_claim("growth list exponent > 1").is_err());
}

#[test]
fn a_sweep_with_no_clear_label_fails_a_label_claim_and_says_so() {
    let c = list_sweep(None, 1.42);
    let claim = Claim {
        text: "growth list O(n)".into(),
        line: 1,
        kind: parse_claim("growth list O(n)").unwrap(),
    };
    let v = claim.check(&c);
    assert!(!v.passed);
    assert_eq!(v.measured, "list no clear label (n^1.42)");
}

#[test]
fn times_parse_with_units() {
    assert_eq!(parse_time("2 s"), Some(2.0));
    assert!((parse_time("43.2 µs").unwrap() - 43.2e-6).abs() < 1e-15);
    assert!((parse_time("5us").unwrap() - 5e-6).abs() < 1e-15);
    assert_eq!(parse_time("5 parsecs"), None);
    assert_eq!(parse_time("-1 s"), None);
}
