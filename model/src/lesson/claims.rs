//! A lesson's claims: the `expect:` lines, parsed ([`parse_claim`]) and
//! checked against the figures of a run or of the recorded reference
//! ([`Figures`]), each to a [`Verdict`] in words.

use serde::{Deserialize, Serialize};

use super::LessonError;
use super::parser::Parser;
use crate::growth::GrowthClass;
use crate::request::{Mode, Sweep, Variant};
use crate::result::Comparison;

/// A statement a lesson makes about its result, checked after every run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// The claim as written after `expect:`.
    pub text: String,
    /// Its line in the lesson file.
    pub line: usize,
    pub kind: ClaimKind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// `FAST faster than SLOW by >= Kx [at n=N]`, also written
    /// `SLOW slower than FAST by >= Kx` or `FAST wall <= F * SLOW`:
    /// SLOW's median time is at least `factor` times FAST's.
    FasterBy {
        fast: String,
        slow: String,
        factor: f64,
        n: Option<u64>,
    },
    /// `growth NAME CLASS [or CLASS…]`: the fitted growth of a sweep.
    Growth {
        variant: String,
        classes: Vec<GrowthClass>,
    },
    /// `growth NAME exponent >= X` (or `<= X`): the fitted log-log slope of
    /// a sweep, for claims a label would state too sharply ("grows at least
    /// linearly": a cache can tip a scan's label between O(n) and
    /// O(n log n), but not its exponent below 0.8).
    Exponent {
        variant: String,
        bound: Bound,
        value: f64,
    },
}

/// Which side of a value a figure must lie on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    AtLeast,
    AtMost,
}

impl Bound {
    fn holds(self, figure: f64, value: f64) -> bool {
        match self {
            Bound::AtLeast => figure >= value,
            Bound::AtMost => figure <= value,
        }
    }
}

/// A variant's fitted growth as claims read it: the label when there is a
/// clear one, and the exponent when it is known (recorded CPython figures
/// hold labels only).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GrowthFigure {
    pub class: Option<GrowthClass>,
    pub exponent: Option<f64>,
}

/// The figures a claim is checked against: a live `Comparison` or a
/// lesson's recorded CPython reference.
pub trait Figures {
    /// Median seconds per loop of `variant` at size `n` (`None`: the headline size).
    fn time(&self, variant: &str, n: Option<u64>) -> Option<f64>;
    fn growth(&self, variant: &str) -> Option<GrowthFigure>;
}

impl Figures for Comparison {
    fn time(&self, variant: &str, n: Option<u64>) -> Option<f64> {
        match n {
            None => self.variant(variant).map(|v| v.time.median),
            Some(n) => self
                .series(variant)?
                .points
                .iter()
                .find(|p| p.n == n)
                .map(|p| p.median),
        }
    }

    fn growth(&self, variant: &str) -> Option<GrowthFigure> {
        self.series(variant)?.growth.map(|g| GrowthFigure {
            class: g.class,
            exponent: Some(g.exponent),
        })
    }
}

/// What checking a claim found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub passed: bool,
    /// The measured figure in words, e.g. `list/set = 1846×` or `list O(n)`.
    pub measured: String,
    /// The measured ratio, for ratio claims.
    pub ratio: Option<f64>,
    /// The figures lack what the claim reads (another size, a variant that
    /// did not run, a recorded block without exponents): not checked.
    #[serde(default)]
    pub missing: bool,
}

impl Verdict {
    fn missing(measured: String) -> Verdict {
        Verdict {
            passed: false,
            measured,
            ratio: None,
            missing: true,
        }
    }
}

impl Claim {
    /// Checks the claim against measured figures.
    pub fn check(&self, figures: &dyn Figures) -> Verdict {
        match &self.kind {
            ClaimKind::FasterBy {
                fast,
                slow,
                factor,
                n,
            } => {
                let at = n.map(|n| format!(" at n={n}")).unwrap_or_default();
                match (figures.time(fast, *n), figures.time(slow, *n)) {
                    (Some(f), Some(s)) if f > 0.0 && s.is_finite() => {
                        let ratio = s / f;
                        Verdict {
                            passed: ratio >= *factor,
                            measured: format!("{slow}/{fast} = {}{at}", format_ratio(ratio)),
                            ratio: Some(ratio),
                            missing: false,
                        }
                    }
                    _ => Verdict::missing(format!("no time for {fast} and {slow}{at}")),
                }
            }
            ClaimKind::Growth { variant, classes } => match figures.growth(variant) {
                Some(GrowthFigure {
                    class: Some(class), ..
                }) => Verdict {
                    passed: classes.contains(&class),
                    measured: format!("{variant} {class}"),
                    ratio: None,
                    missing: false,
                },
                Some(GrowthFigure {
                    class: None,
                    exponent,
                }) => Verdict {
                    passed: false,
                    measured: match exponent {
                        Some(e) => format!("{variant} no clear label (n^{e:.2})"),
                        None => format!("{variant} no clear label"),
                    },
                    ratio: None,
                    missing: false,
                },
                None => Verdict::missing(format!("no growth fitted for {variant}")),
            },
            ClaimKind::Exponent {
                variant,
                bound,
                value,
            } => match figures.growth(variant).and_then(|g| g.exponent) {
                Some(e) => Verdict {
                    passed: bound.holds(e, *value),
                    measured: format!("{variant} n^{e:.2}"),
                    ratio: None,
                    missing: false,
                },
                None => Verdict::missing(format!("no exponent measured for {variant}")),
            },
        }
    }
}

/// One decimal is enough for a claim's figure: the thresholds are round.
fn format_ratio(r: f64) -> String {
    format!("{r:.1}×")
}

/// Parses the text of an `expect:` line.
pub fn parse_claim(text: &str) -> Result<ClaimKind, String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let forms = "expected `A faster than B by >= 10x [at n=N]`, `A slower than B by >= 10x`, `A wall <= 0.4 * B`, `growth A O(n) [or O(n log n)]` or `growth A exponent >= 0.8`";
    match words.as_slice() {
        ["growth", variant, "exponent", op @ (">=" | "<="), value] => {
            let value = value
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("{value:?} is not a number"))?;
            Ok(ClaimKind::Exponent {
                variant: (*variant).to_owned(),
                bound: if *op == ">=" {
                    Bound::AtLeast
                } else {
                    Bound::AtMost
                },
                value,
            })
        }
        ["growth", variant, rest @ ..] if !rest.is_empty() => {
            let mut classes = Vec::new();
            for part in rest.join(" ").split(" or ") {
                match GrowthClass::parse(part) {
                    Some(c) => classes.push(c),
                    None => {
                        return Err(format!(
                            "{:?} is not a growth class such as O(n)",
                            part.trim()
                        ));
                    }
                }
            }
            Ok(ClaimKind::Growth {
                variant: (*variant).to_owned(),
                classes,
            })
        }
        [
            a,
            dir @ ("faster" | "slower"),
            "than",
            b,
            "by",
            ">=",
            factor,
            rest @ ..,
        ] => {
            let factor = parse_factor(factor.trim_end_matches(['x', '×']))?;
            let n = parse_at(rest)?;
            let (fast, slow) = if *dir == "faster" { (a, b) } else { (b, a) };
            Ok(ClaimKind::FasterBy {
                fast: (*fast).to_owned(),
                slow: (*slow).to_owned(),
                factor,
                n,
            })
        }
        [a, "wall" | "time", "<=", f, "*", b, rest @ ..] => {
            let f = parse_factor(f)?;
            Ok(ClaimKind::FasterBy {
                fast: (*a).to_owned(),
                slow: (*b).to_owned(),
                factor: 1.0 / f,
                n: parse_at(rest)?,
            })
        }
        _ => Err(format!("cannot read the claim {text:?}: {forms}")),
    }
}

fn parse_factor(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(f) if f > 0.0 && f.is_finite() => Ok(f),
        _ => Err(format!("{text:?} is not a positive number")),
    }
}

fn parse_at(rest: &[&str]) -> Result<Option<u64>, String> {
    match rest {
        [] => Ok(None),
        ["at", size] => size
            .strip_prefix("n=")
            .and_then(|n| n.replace('_', "").parse().ok())
            .map(Some)
            .ok_or_else(|| format!("{size:?}: expected `at n=SIZE`")),
        _ => Err(format!("unexpected {:?} after the claim", rest.join(" "))),
    }
}

impl Parser<'_> {
    /// Checks that `kind` names the lesson's variants and fits its mode.
    pub(super) fn validate_claim(
        &self,
        kind: &ClaimKind,
        line: usize,
        mode: Mode,
        sweep: Option<&Sweep>,
        variants: &[Variant],
    ) -> Result<(), LessonError> {
        let known = |name: &str| -> Result<(), LessonError> {
            if variants.iter().any(|v| v.name == name) {
                Ok(())
            } else {
                let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
                self.err(
                    line,
                    format!("no variant {name:?} (variants: {})", names.join(", ")),
                )
            }
        };
        match kind {
            ClaimKind::FasterBy { fast, slow, n, .. } => {
                known(fast)?;
                known(slow)?;
                if fast == slow {
                    return self.err(line, "a variant cannot be compared with itself");
                }
                match (n, sweep) {
                    (Some(n), Some(s)) if !s.sizes.contains(n) => self.err(
                        line,
                        format!("n={n} is not one of the sweep's sizes {:?}", s.sizes),
                    ),
                    (Some(_), None) => self.err(line, "`at n=…` needs `mode: sweep`"),
                    _ => Ok(()),
                }
            }
            ClaimKind::Growth { variant, .. } | ClaimKind::Exponent { variant, .. } => {
                known(variant)?;
                if mode != Mode::Sweep {
                    return self.err(line, "a growth claim needs `mode: sweep`");
                }
                Ok(())
            }
        }
    }
}
