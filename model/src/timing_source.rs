//! The source of the function that times a statement, built like CPython's
//! `timeit` builds its own: setup and statement inlined into one function,
//! so names they share are fast locals and a loop costs what timeit's does.
//! Pure text, shared by RustPython's harness, the native reference harness
//! and the browser's CPython engine, so every engine times the same code.

/// Name of the generated timing function in its namespace.
pub const TIMER_FN: &str = "__pyrace_time";
/// Name under which `itertools.repeat` is bound in that namespace.
pub const REPEAT: &str = "__pyrace_repeat";
/// Name of the generated function that measures a statement's memory.
pub const MEMORY_FN: &str = "__pyrace_memory";

/// A statement whose first, cold execution took less than this many seconds
/// is timed unrolled: the loop around it (tens of nanoseconds an iteration
/// on RustPython) would otherwise be a sizeable share of its samples.
pub const UNROLL_BELOW: f64 = 20e-6;

/// How many times a fast statement is written out per loop iteration.
const UNROLL: u32 = 20;

/// The unrolled body stays under this many bytes of source, so that a long
/// statement is repeated fewer times (and a very long one not at all).
const UNROLLED_SOURCE_MAX: usize = 4000;

/// Copies of `stmt` per iteration when it is timed unrolled; 1 when it
/// is too long to repeat.
pub fn unroll_for(stmt: &str) -> u32 {
    let len = stmt.trim().len().max(1);
    (UNROLLED_SOURCE_MAX / len).clamp(1, UNROLL as usize) as u32
}

/// Source of `def __pyrace_time(loops, clock[, var])` that runs `setups`
/// once, then `loops` iterations of a loop whose body is `stmt` written out
/// `unroll` times, between two clock readings, and returns the seconds
/// elapsed.
///
/// Unrolling is what makes a fast statement's time stand clear of the loop
/// around it: a loop iteration costs about as much as a set lookup, and
/// repeating the statement in the body divides that share by `unroll`, so
/// less of the measured time is the baseline subtracted from it.
pub fn timer_source(setups: &[&str], stmt: &str, var: Option<&str>, unroll: u32) -> String {
    let param = var.map(|v| format!(", {v}")).unwrap_or_default();
    let mut src = format!("def {TIMER_FN}(__pyrace_loops, __pyrace_clock{param}):\n");
    for setup in setups {
        src.push_str(&indent(setup, 4));
    }
    src.push_str(&format!(
        "    __pyrace_it = {REPEAT}(None, __pyrace_loops)\n    __pyrace_t0 = __pyrace_clock()\n    for __pyrace_i in __pyrace_it:\n"
    ));
    let body = indent(stmt, 8);
    if body.is_empty() {
        src.push_str("        pass\n");
    } else {
        for _ in 0..unroll.max(1) {
            src.push_str(&body);
        }
    }
    src.push_str("    return __pyrace_clock() - __pyrace_t0\n");
    src
}

/// Source of `def __pyrace_memory(loops, meter[, var])` that runs
/// `setups` once, then starts `meter`, runs `stmt` once and marks the end of
/// its first execution (`meter.first()`: the peak of one execution), runs
/// it `loops - 1` more times and returns `meter.stop(loops)`. The setup
/// runs before the meter starts, so what it holds is not counted; the
/// statement runs as in its timing function (same locals, same `var`), with
/// the collector left as the program would have it.
pub fn memory_source(setups: &[&str], stmt: &str, var: Option<&str>) -> String {
    let param = var.map(|v| format!(", {v}")).unwrap_or_default();
    let mut src = format!("def {MEMORY_FN}(__pyrace_loops, __pyrace_meter{param}):\n");
    for setup in setups {
        src.push_str(&indent(setup, 4));
    }
    let once = indent(stmt, 4);
    let again = indent(stmt, 8);
    src.push_str("    __pyrace_meter.start()\n");
    src.push_str(if once.is_empty() { "    pass\n" } else { &once });
    src.push_str(&format!(
        "    __pyrace_meter.first()\n    for __pyrace_i in {REPEAT}(None, __pyrace_loops - 1):\n"
    ));
    src.push_str(if again.is_empty() {
        "        pass\n"
    } else {
        &again
    });
    src.push_str("    return __pyrace_meter.stop(__pyrace_loops)\n");
    src
}

/// `code` with every non-blank line indented by `by` spaces. Blank lines and
/// comments-only code leave nothing, so an empty block needs `pass`.
fn indent(code: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    let mut out = String::new();
    let mut has_code = false;
    for line in code.lines() {
        if line.trim().is_empty() {
            out.push('\n');
            continue;
        }
        if !line.trim_start().starts_with('#') {
            has_code = true;
        }
        out.push_str(&pad);
        out.push_str(line);
        out.push('\n');
    }
    if has_code { out } else { String::new() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inlines_setup_and_statement_like_timeit() {
        let src = timer_source(
            &["import x", "L = list(range(n))"],
            "y = n in L\nz = 1",
            Some("n"),
            1,
        );
        assert_eq!(
            src,
            "def __pyrace_time(__pyrace_loops, __pyrace_clock, n):\n    import x\n    L = list(range(n))\n    __pyrace_it = __pyrace_repeat(None, __pyrace_loops)\n    __pyrace_t0 = __pyrace_clock()\n    for __pyrace_i in __pyrace_it:\n        y = n in L\n        z = 1\n    return __pyrace_clock() - __pyrace_t0\n"
        );
    }

    #[test]
    fn empty_statement_becomes_pass() {
        let src = timer_source(&["", "# only a comment"], "  \n", None, 4);
        assert!(src.contains("for __pyrace_i in __pyrace_it:\n        pass\n    return"));
        assert!(!src.contains("comment"));
    }

    #[test]
    fn long_statements_are_repeated_less() {
        assert_eq!(unroll_for("-1 in S"), UNROLL);
        assert_eq!(unroll_for(&"x".repeat(1000)), 4);
        assert_eq!(unroll_for(&"x".repeat(5000)), 1);
    }

    #[test]
    fn unrolled_body_repeats_the_whole_statement() {
        let src = timer_source(&[], "for x in R:\n    y = x", None, 3);
        let body = "        for x in R:\n            y = x\n";
        assert!(src.contains(&format!(
            "for __pyrace_i in __pyrace_it:\n{body}{body}{body}    return"
        )));
        assert_eq!(src.matches("for x in R").count(), 3);
    }

    #[test]
    fn the_memory_function_starts_counting_after_the_setup() {
        let src = memory_source(&["L = list(range(n))"], "M = [x for x in L]", Some("n"));
        assert_eq!(
            src,
            "def __pyrace_memory(__pyrace_loops, __pyrace_meter, n):\n    L = list(range(n))\n    __pyrace_meter.start()\n    M = [x for x in L]\n    __pyrace_meter.first()\n    for __pyrace_i in __pyrace_repeat(None, __pyrace_loops - 1):\n        M = [x for x in L]\n    return __pyrace_meter.stop(__pyrace_loops)\n"
        );
        let empty = memory_source(&[], "# nothing", None);
        assert!(empty.contains("start()\n    pass\n"), "{empty}");
        assert!(empty.contains("- 1):\n        pass\n"), "{empty}");
    }
}
