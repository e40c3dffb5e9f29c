//! Claims on memory and on the profile: read, refused where they do not
//! fit, and checked against a comparison, a profiled run and the recorded
//! reference, with "not measured" where the figures lack them.

use super::tests::{comparison, result, series};
use super::*;
use crate::call_tree::{CallNode, CallTree, Frame};
use crate::growth::{Growth, GrowthClass};
use crate::line_profile::{LineProfile, LineStat};
use crate::memory_profile::MemorySource;
use crate::result::Comparison;
use crate::statement_memory::StatementMemory;
use crate::thread_calls::ThreadCalls;
use crate::trace_profile::TraceProfile;

const MEMORY: &str = "---
title: Generator vs list
topic: idioms
mode: compare
---
```python setup
xs = range(10000)
```
```python variant=generator
total = sum(x * x for x in xs)
```
```python variant=list
total = sum([x * x for x in xs])
```
expect: list peak >= 100x generator
expect: generator peak <= 4 KiB
expect: list peak >= 1 MB

```cpython
version: CPython 3.11.7
machine: 2-core x86_64 Linux VM
generator: 1.05 ms
list: 736 µs
generator peak: 552 B
list peak: 405 kB
```
";

const PROFILED: &str = "---
title: Profiling
topic: profiling
mode: run
profile: lines
---
```python variant=slow
def dedupe(ids):
    seen = []
    for i in ids:
        if i not in seen:
            seen.append(i)
    return seen

unique = dedupe(list(range(300)) * 2)
```
expect: hottest line in slow \"if i not in seen\"

```cpython
version: CPython 3.11.7
machine: 2-core x86_64 Linux VM
hottest line slow: if i not in seen:
```
";

fn peak(bytes: u64) -> Option<StatementMemory> {
    Some(StatementMemory {
        source: MemorySource::Tracemalloc,
        peak_bytes: bytes,
        loops: 1,
        allocated_bytes_per_loop: None,
        allocations_per_loop: None,
    })
}

fn compared(generator: Option<u64>, list: Option<u64>) -> Comparison {
    let mut g = result("generator", 1e-3);
    g.memory = generator.and_then(peak);
    let mut l = result("list", 7e-4);
    l.memory = list.and_then(peak);
    comparison(vec![g, l], Vec::new())
}

#[test]
fn memory_claims_parse_in_every_form() {
    assert_eq!(
        parse_claim("list peak >= 10x generator at n=1000").unwrap(),
        ClaimKind::PeakBy {
            big: "list".into(),
            small: "generator".into(),
            factor: 10.0,
            n: Some(1000),
        }
    );
    assert_eq!(
        parse_claim("generator peak <= 64 KiB").unwrap(),
        ClaimKind::PeakBound {
            variant: "generator".into(),
            bound: Bound::AtMost,
            bytes: 65_536,
            n: None,
        }
    );
    assert_eq!(
        parse_claim("list peak >= 3.9MB at n=10_000").unwrap(),
        ClaimKind::PeakBound {
            variant: "list".into(),
            bound: Bound::AtLeast,
            bytes: 3_900_000,
            n: Some(10_000),
        }
    );
    assert_eq!(
        parse_claim("memory growth list O(n) or O(n log n)").unwrap(),
        ClaimKind::MemoryGrowth {
            variant: "list".into(),
            classes: vec![GrowthClass::Linear, GrowthClass::Linearithmic],
        }
    );
    assert_eq!(
        parse_claim("hottest line in slow \"if i not in seen\"").unwrap(),
        ClaimKind::HottestLine {
            variant: "slow".into(),
            code: "if i not in seen".into(),
        }
    );
    for (text, why) in [
        ("generator peak <= 64 parsecs", "is not a size"),
        ("generator peak <= 64", "is not a size"),
        ("list peak >= 0x generator", "is not a positive number"),
        ("memory growth list O(n^7)", "is not a growth class"),
        (
            "hottest line in slow if i not in seen",
            "expected `hottest line in NAME",
        ),
        (
            "hottest line in slow \"\"",
            "expected `hottest line in NAME",
        ),
    ] {
        let err = parse_claim(text).expect_err(text);
        assert!(err.contains(why), "{text}: {err}");
    }
}

#[test]
fn memory_claims_hold_miss_or_are_not_measured() {
    let l = parse("memory.md", MEMORY).unwrap();
    let [ratio, small, large] = [&l.claims[0], &l.claims[1], &l.claims[2]];

    let measured = compared(Some(400), Some(4_000_000));
    let v = ratio.check(&measured);
    assert!(v.passed && !v.missing);
    assert_eq!(
        v.measured,
        "list/generator peak = 10000.0× (list 4.00 MB vs generator 400 B)"
    );
    assert!(small.check(&measured).passed);
    assert_eq!(small.check(&measured).measured, "generator peak 400 B");
    assert!(large.check(&measured).passed);

    let close = compared(Some(300_000), Some(4_000_000));
    assert!(!ratio.check(&close).passed, "13× is not 100×");
    assert!(!small.check(&close).passed, "300 kB is over 4 KiB");
    assert!(!close.variants.is_empty() && !ratio.check(&close).missing);

    // A generator that held nothing at its peak: no ratio, but it holds.
    let nothing = compared(Some(0), Some(4_000_000));
    let v = ratio.check(&nothing);
    assert!(v.passed && v.ratio.is_none(), "{v:?}");
    assert_eq!(v.measured, "list 4.00 MB vs generator 0 B");

    // An engine that did not measure memory: not a pass, and says why.
    let unmeasured = compared(None, Some(4_000_000));
    let v = ratio.check(&unmeasured);
    assert!(!v.passed && v.missing);
    assert_eq!(v.measured, "no memory measured for list and generator");
    let v = small.check(&unmeasured);
    assert!(!v.passed && v.missing);
}

#[test]
fn the_reference_records_peaks_and_memory_claims_read_them() {
    let l = parse("memory.md", MEMORY).unwrap();
    let r = l.reference.as_ref().unwrap();
    assert_eq!(
        r.peaks,
        vec![("generator".into(), 552), ("list".into(), 405_000)]
    );
    let v = l.claims[0].check(r);
    assert!(v.passed, "{v:?}");
    assert!((v.ratio.unwrap() - 405_000.0 / 552.0).abs() < 1e-9);
    assert!(l.claims[1].check(r).passed);
    let v = l.claims[2].check(r);
    assert!(!v.passed && !v.missing, "405 kB is under 1 MB: {v:?}");

    let without = MEMORY.replace("generator peak: 552 B\n", "");
    let r = parse("memory.md", &without).unwrap().reference.unwrap();
    assert!(l.claims[0].check(&r).missing);

    let err = parse("memory.md", &MEMORY.replace("552 B", "552")).unwrap_err();
    let line = MEMORY.lines().position(|l| l.contains("552 B")).unwrap() + 1;
    assert_eq!(err.line, line);
    assert!(err.reason.contains("is not a size"), "{err}");
}

#[test]
fn memory_growth_reads_the_fitted_peak_of_a_sweep() {
    let claim = Claim {
        text: String::new(),
        line: 1,
        kind: parse_claim("memory growth list O(n)").unwrap(),
    };
    let mut list = series("list", 1e-4, GrowthClass::Linear);
    let mut c = compared(None, None);
    c.sweep = vec![list.clone()];
    let v = claim.check(&c);
    assert!(v.missing && !v.passed, "time's growth is not memory's");
    list.memory_growth = Some(Growth {
        class: Some(GrowthClass::Constant),
        exponent: 0.02,
        fit_error: 0.0,
        runner_up: None,
    });
    c.sweep = vec![list];
    let v = claim.check(&c);
    assert!(!v.passed && !v.missing);
    assert_eq!(v.measured, "list memory O(1)");
}

#[test]
fn claims_are_refused_where_the_mode_cannot_measure_them() {
    let program = MEMORY.replace("mode: compare", "mode: program");
    let err = parse("m.md", &program).unwrap_err();
    assert!(err.reason.contains("a memory claim needs"), "{err}");
    let sweep_only = MEMORY.replace(
        "expect: list peak >= 100x generator",
        "expect: memory growth list O(n)",
    );
    let err = parse("m.md", &sweep_only).unwrap_err();
    assert!(err.reason.contains("needs `mode: sweep`"), "{err}");
    let wrong = MEMORY.replace("list peak >= 100x generator", "list peak >= 100x tuple");
    assert!(
        parse("m.md", &wrong)
            .unwrap_err()
            .reason
            .contains("no variant \"tuple\"")
    );

    let err = parse("p.md", &PROFILED.replace("profile: lines\n", "")).unwrap_err();
    assert!(err.reason.contains("needs `profile: lines`"), "{err}");
    let err = parse("p.md", &PROFILED.replace("mode: run", "mode: compare")).unwrap_err();
    assert_eq!(err.line, 5);
    assert!(err.reason.contains("`profile:` needs `mode: run`"), "{err}");
    let err = parse(
        "p.md",
        &PROFILED.replace("profile: lines", "profile: cprofile"),
    )
    .unwrap_err();
    assert!(err.reason.contains("expected `lines`"), "{err}");
    let timed = PROFILED.replace(
        "expect: hottest line in slow",
        "expect: slow faster than slow by >= 2x\nexpect: hottest line in slow",
    );
    assert!(parse("p.md", &timed).is_err());
}

/// `slow`'s trace: `dedupe` (line 1) spends most time of its own, in line 4.
fn slow_trace(file: &str) -> TraceProfile {
    let line = |line, seconds| LineStat {
        file: file.into(),
        line,
        hits: 1,
        seconds,
        peak_bytes: None,
    };
    TraceProfile {
        tracer: "sys.settrace".into(),
        hook_seconds: 0.0,
        hook_share: None,
        lines: LineProfile {
            total_seconds: 1.0,
            lines: vec![line(3, 0.1), line(4, 0.6), line(5, 0.1), line(8, 0.98)],
            dropped_hits: 0,
        },
        threads: vec![ThreadCalls::main_thread(CallTree {
            frames: vec![
                Frame::new("<module>", file, 1),
                Frame::new("dedupe", file, 1),
            ],
            nodes: vec![
                CallNode {
                    frame: 0,
                    parent: None,
                    calls: 1,
                    inclusive: 1.0,
                    own: 0.02,
                },
                CallNode {
                    frame: 1,
                    parent: Some(0),
                    calls: 1,
                    inclusive: 0.98,
                    own: 0.98,
                },
            ],
            folded_calls: 0,
        })],
    }
}

#[test]
fn a_profiled_lesson_opens_traced_and_finds_its_hottest_line() {
    let l = parse("p.md", PROFILED).unwrap();
    assert_eq!(l.mode, Mode::Run);
    assert!(l.profile);
    let request = l.request(HarnessOptions::default());
    assert!(request.options.trace_lines && request.options.memory);
    let claim = &l.claims[0];
    let code = &l.variants[0].code;

    for file in ["slow", "<slow>"] {
        let trace = slow_trace(file);
        let figures = RunFigures {
            comparison: None,
            traces: vec![("slow", &trace, code)],
        };
        let v = claim.check(&figures);
        assert!(v.passed, "{file}: {v:?}");
        assert_eq!(
            v.measured,
            "slow: line 4 `if i not in seen:` in dedupe, 60% of the run"
        );
    }

    // The time in `seen.append` instead: the claim misses, and says where.
    let mut trace = slow_trace("slow");
    trace.lines.lines[1].seconds = 0.05;
    trace.lines.lines[2].seconds = 0.7;
    let figures = RunFigures {
        comparison: None,
        traces: vec![("slow", &trace, code)],
    };
    let v = claim.check(&figures);
    assert!(!v.passed && !v.missing);
    assert!(v.measured.contains("`seen.append(i)`"), "{}", v.measured);

    // A run that was not profiled: not measured.
    let v = claim.check(&RunFigures::default());
    assert!(v.missing && !v.passed);
    assert_eq!(v.measured, "no line profile of slow");

    let r = l.reference.as_ref().unwrap();
    assert_eq!(
        r.hottest_lines,
        vec![("slow".into(), "if i not in seen:".into())]
    );
    let v = claim.check(r);
    assert!(v.passed, "{v:?}");
    assert_eq!(v.measured, "slow: `if i not in seen:` in its program");
}
