//! The source of the function that times a statement, built like CPython's
//! `timeit` builds its own: setup and statement inlined into one function,
//! so names they share are fast locals and a loop costs what timeit's does.

/// Name of the generated timing function in its namespace.
pub(crate) const TIMER_FN: &str = "__pyrace_time";
/// Name under which `itertools.repeat` is bound in that namespace.
pub(crate) const REPEAT: &str = "__pyrace_repeat";

/// Source of `def __pyrace_time(loops, clock[, var])` that runs `setups`
/// once, then `stmt` `loops` times between two clock readings, and returns
/// the seconds elapsed.
pub(crate) fn timer_source(setups: &[&str], stmt: &str, var: Option<&str>) -> String {
    let param = var.map(|v| format!(", {v}")).unwrap_or_default();
    let mut src = format!("def {TIMER_FN}(__pyrace_loops, __pyrace_clock{param}):\n");
    for setup in setups {
        src.push_str(&indent(setup, 4));
    }
    src.push_str(&format!(
        "    __pyrace_it = {REPEAT}(None, __pyrace_loops)\n    __pyrace_t0 = __pyrace_clock()\n    for __pyrace_i in __pyrace_it:\n"
    ));
    let body = indent(stmt, 8);
    src.push_str(if body.is_empty() {
        "        pass\n"
    } else {
        &body
    });
    src.push_str("    return __pyrace_clock() - __pyrace_t0\n");
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
        );
        assert_eq!(
            src,
            "def __pyrace_time(__pyrace_loops, __pyrace_clock, n):\n    import x\n    L = list(range(n))\n    __pyrace_it = __pyrace_repeat(None, __pyrace_loops)\n    __pyrace_t0 = __pyrace_clock()\n    for __pyrace_i in __pyrace_it:\n        y = n in L\n        z = 1\n    return __pyrace_clock() - __pyrace_t0\n"
        );
    }

    #[test]
    fn empty_statement_becomes_pass() {
        let src = timer_source(&["", "# only a comment"], "  \n", None);
        assert!(src.contains("for __pyrace_i in __pyrace_it:\n        pass\n"));
        assert!(!src.contains("comment"));
    }
}
