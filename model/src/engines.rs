//! The two engines a comparison can run on, and where their verdicts part:
//! RustPython (the default, the only one with threads, GIL mode and
//! processes) and CPython (Pyodide in the browser, the reference for what a
//! person's own Python does). Both run the same timing functions through
//! the same analysis, so a difference is the interpreters' — and for the
//! known causes the note says which.

use serde::{Deserialize, Serialize};

use crate::result::Comparison;

/// An engine a run can go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EngineId {
    Rustpython,
    Cpython,
}

impl EngineId {
    /// Every engine, in the order a run's parts go to them: RustPython
    /// first, then CPython (the two never share the cores).
    pub const ALL: [EngineId; 2] = [EngineId::Rustpython, EngineId::Cpython];

    /// Its place in [`EngineId::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Its name in data: share links, CSS classes, `data-engine`.
    pub fn key(self) -> &'static str {
        match self {
            EngineId::Rustpython => "rustpython",
            EngineId::Cpython => "cpython",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EngineId::Rustpython => "RustPython",
            EngineId::Cpython => "CPython",
        }
    }
}

/// Ratios further apart than this factor count as a disagreement.
pub const RATIO_FACTOR_APART: f64 = 2.0;

/// Why the engines' figures differ, where the code shows a known cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KnownCause {
    /// Strings built with `+=` against `join`.
    StringConcat,
    /// A loop written in Python against a builtin that loops in Rust or C.
    BytecodeLoop,
}

impl KnownCause {
    pub fn explanation(self) -> &'static str {
        match self {
            KnownCause::StringConcat => {
                "RustPython's str += copies the whole string every time, while CPython appends in place when nothing else holds the string: += looks far worse on RustPython than it is on CPython. Whether CPython can grow the string in place depends on what earlier code left in its heap, so its += figure moves from one run to another more than most (up to 2.5 times in Pyodide, 2 times natively)."
            }
            KnownCause::BytecodeLoop => {
                "RustPython runs Python bytecode several times slower than CPython, while builtins (Rust there, C in CPython) are close: a loop written in Python against a builtin differs by another factor on each engine."
            }
        }
    }
}

/// Where the two engines disagree about one comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    /// The plain sentence: which winner, or which ratios.
    pub summary: String,
    pub causes: Vec<KnownCause>,
}

/// The disagreement between RustPython's and CPython's figures for the same
/// variants (`codes`: each variant's name and code), if there is one: a
/// different fastest variant, or a variant whose ratio to the fastest is
/// more than [`RATIO_FACTOR_APART`] times larger on one engine.
pub fn disagreement(
    rustpython: &Comparison,
    cpython: &Comparison,
    codes: &[(String, String)],
) -> Option<Disagreement> {
    let fastest = |c: &Comparison| {
        c.variants
            .iter()
            .find(|v| v.fastest)
            .map(|v| v.name.clone())
    };
    let (rust_best, cpy_best) = (fastest(rustpython)?, fastest(cpython)?);
    let summary = if rust_best != cpy_best {
        format!(
            "The engines disagree on the winner: {rust_best} is fastest on RustPython, {cpy_best} on CPython."
        )
    } else {
        let apart = rustpython
            .variants
            .iter()
            .filter(|v| !v.fastest)
            .filter_map(|r| {
                let c = cpython.variant(&r.name)?;
                let (a, b) = (r.ratio.value, c.ratio.value);
                (a > 0.0 && b > 0.0 && (a / b).max(b / a) > RATIO_FACTOR_APART)
                    .then(|| (r.name.clone(), a, b))
            })
            .max_by(|x, y| {
                (x.1 / x.2)
                    .max(x.2 / x.1)
                    .total_cmp(&(y.1 / y.2).max(y.2 / y.1))
            })?;
        let (name, a, b) = apart;
        format!(
            "The engines agree that {rust_best} is fastest but not by how much: {name} is {a:.1}× slower on RustPython and {b:.1}× on CPython."
        )
    };
    Some(Disagreement {
        summary,
        causes: known_causes(codes),
    })
}

/// The known causes the variants' code shows.
fn known_causes(codes: &[(String, String)]) -> Vec<KnownCause> {
    let any = |test: &dyn Fn(&str) -> bool| codes.iter().any(|(_, code)| test(code));
    let mut causes = Vec::new();
    if any(&|c| c.contains("+=")) && any(&|c| c.contains(".join(")) {
        causes.push(KnownCause::StringConcat);
    }
    let loops = |c: &str| {
        c.lines()
            .any(|l| l.trim_start().starts_with("for ") || l.trim_start().starts_with("while "))
    };
    if any(&loops) && any(&|c| !loops(c)) {
        causes.push(KnownCause::BytecodeLoop);
    }
    causes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::{Ratio, VariantResult};
    use crate::stats::Summary;

    fn comparison(engine: &str, ratios: &[(&str, f64)]) -> Comparison {
        let best = ratios.iter().map(|r| r.1).fold(f64::INFINITY, f64::min);
        Comparison {
            engine: engine.into(),
            variants: ratios
                .iter()
                .map(|&(name, ratio)| VariantResult {
                    name: name.into(),
                    n: None,
                    loops: 1,
                    time: Summary::of(&[ratio * 1e-6]).unwrap(),
                    samples: vec![],
                    ops_per_sec: 1.0,
                    ratio: Ratio {
                        value: ratio,
                        low: ratio,
                        high: ratio,
                    },
                    fastest: ratio == best,
                    memory: None,
                })
                .collect(),
            baseline: None,
            sweep: vec![],
            rounds: 5,
            elapsed: 1.0,
            budget_exhausted: false,
            warnings: Vec::new(),
            warmup: None,
        }
    }

    fn codes(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, c)| (n.to_string(), c.to_string()))
            .collect()
    }

    #[test]
    fn ratios_more_than_twice_apart_disagree_and_name_the_string_cause() {
        let rust = comparison("RustPython", &[("concat", 26.7), ("join", 1.0)]);
        let cpy = comparison("CPython", &[("concat", 6.3), ("join", 1.0)]);
        let code = codes(&[
            ("concat", "s = ''\nfor p in parts:\n    s += p"),
            ("join", "s = ''.join(parts)"),
        ]);
        let d = disagreement(&rust, &cpy, &code).expect("a disagreement");
        assert!(
            d.summary
                .contains("26.7× slower on RustPython and 6.3× on CPython"),
            "{}",
            d.summary
        );
        assert_eq!(
            d.causes,
            vec![KnownCause::StringConcat, KnownCause::BytecodeLoop]
        );
    }

    #[test]
    fn each_engine_is_keyed_as_serde_names_it() {
        for engine in EngineId::ALL {
            assert_eq!(
                serde_json::to_string(&engine).unwrap(),
                format!("\"{}\"", engine.key())
            );
            assert_eq!(EngineId::ALL[engine.index()], engine);
        }
    }

    #[test]
    fn a_different_winner_is_said_first() {
        let rust = comparison("RustPython", &[("a", 1.0), ("b", 1.3)]);
        let cpy = comparison("CPython", &[("a", 1.2), ("b", 1.0)]);
        let d = disagreement(&rust, &cpy, &codes(&[("a", "x"), ("b", "y")])).unwrap();
        assert!(
            d.summary
                .contains("a is fastest on RustPython, b on CPython")
        );
        assert!(d.causes.is_empty());
    }

    #[test]
    fn ratios_within_twice_agree() {
        let rust = comparison("RustPython", &[("list", 900.0), ("set", 1.0)]);
        let cpy = comparison("CPython", &[("list", 1500.0), ("set", 1.0)]);
        assert_eq!(disagreement(&rust, &cpy, &[]), None);
    }
}
