//! A lesson's claims: the `expect:` lines, parsed ([`parse_claim`]) and
//! checked against the figures of a run or of the recorded reference
//! ([`Figures`]), each to a [`Verdict`] in words. The claims on memory and
//! on the profile are read and checked in `resource_claims`.

use serde::{Deserialize, Serialize};

use super::LessonError;
use super::parser::Parser;
use super::resource_claims;
use crate::growth::GrowthClass;
use crate::hot_line::HotLine;
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
    /// `BIG peak >= Kx SMALL [at n=N]`: BIG's peak memory is at least
    /// `factor` times SMALL's.
    PeakBy {
        big: String,
        small: String,
        factor: f64,
        n: Option<u64>,
    },
    /// `NAME peak <= 64 KiB [at n=N]` (or `>=`): a variant's peak memory
    /// against a size.
    PeakBound {
        variant: String,
        bound: Bound,
        bytes: u64,
        n: Option<u64>,
    },
    /// `memory growth NAME CLASS [or CLASS…]`: the fitted growth of a
    /// sweep's peak memory.
    MemoryGrowth {
        variant: String,
        classes: Vec<GrowthClass>,
    },
    /// `hottest line in NAME "CODE"`: in a profiled run, the hottest line
    /// of the variant's program (`hot_line`) starts with CODE.
    HottestLine { variant: String, code: String },
}

/// Which side of a value a figure must lie on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    AtLeast,
    AtMost,
}

impl Bound {
    pub(super) fn holds(self, figure: f64, value: f64) -> bool {
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

/// The figures a claim is checked against: a live `Comparison` (or a
/// profiled run, `RunFigures`) or a lesson's recorded CPython reference.
/// What a source does not hold reads as `None`: the claim is then "not
/// measured", never passed.
pub trait Figures {
    /// Median seconds per loop of `variant` at size `n` (`None`: the headline size).
    fn time(&self, variant: &str, n: Option<u64>) -> Option<f64>;
    fn growth(&self, variant: &str) -> Option<GrowthFigure>;
    /// Peak bytes of one execution of `variant`'s statement at size `n`.
    fn peak(&self, _variant: &str, _n: Option<u64>) -> Option<u64> {
        None
    }
    /// The fitted growth of `variant`'s peak memory over a sweep.
    fn memory_growth(&self, _variant: &str) -> Option<GrowthFigure> {
        None
    }
    /// The hottest line of `variant`'s profiled program.
    fn hottest_line(&self, _variant: &str) -> Option<HotLine> {
        None
    }
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

    fn peak(&self, variant: &str, n: Option<u64>) -> Option<u64> {
        match n {
            None => self.variant(variant)?.memory.map(|m| m.peak_bytes),
            Some(n) => {
                self.series(variant)?
                    .points
                    .iter()
                    .find(|p| p.n == n)?
                    .peak_bytes
            }
        }
    }

    fn memory_growth(&self, variant: &str) -> Option<GrowthFigure> {
        self.series(variant)?.memory_growth.map(|g| GrowthFigure {
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
    pub(super) fn missing(measured: String) -> Verdict {
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
            ClaimKind::Growth { variant, classes } => {
                growth_verdict(variant, "", classes, figures.growth(variant))
            }
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
            ClaimKind::PeakBy { .. }
            | ClaimKind::PeakBound { .. }
            | ClaimKind::MemoryGrowth { .. }
            | ClaimKind::HottestLine { .. } => resource_claims::check(&self.kind, figures),
        }
    }
}

/// The verdict of a growth claim on `figure` (`what`: `""` for time,
/// `"memory "` for the peak).
pub(super) fn growth_verdict(
    variant: &str,
    what: &str,
    classes: &[GrowthClass],
    figure: Option<GrowthFigure>,
) -> Verdict {
    match figure {
        Some(GrowthFigure {
            class: Some(class), ..
        }) => Verdict {
            passed: classes.contains(&class),
            measured: format!("{variant} {what}{class}"),
            ratio: None,
            missing: false,
        },
        Some(GrowthFigure {
            class: None,
            exponent,
        }) => Verdict {
            passed: false,
            measured: match exponent {
                Some(e) => format!("{variant} {what}no clear label (n^{e:.2})"),
                None => format!("{variant} {what}no clear label"),
            },
            ratio: None,
            missing: false,
        },
        None => Verdict::missing(format!("no {what}growth fitted for {variant}")),
    }
}

/// One decimal is enough for a claim's figure: the thresholds are round.
pub(super) fn format_ratio(r: f64) -> String {
    format!("{r:.1}×")
}

/// Parses the text of an `expect:` line.
pub fn parse_claim(text: &str) -> Result<ClaimKind, String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let forms = "expected `A faster than B by >= 10x [at n=N]`, `A slower than B by >= 10x`, `A wall <= 0.4 * B`, `growth A O(n) [or O(n log n)]`, `growth A exponent >= 0.8`, `A peak >= 10x B [at n=N]`, `A peak <= 64 KiB [at n=N]`, `memory growth A O(n)` or `hottest line in A \"CODE\"`";
    if let Some(kind) = resource_claims::parse(text, &words) {
        return kind;
    }
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
        ["growth", variant, rest @ ..] if !rest.is_empty() => Ok(ClaimKind::Growth {
            variant: (*variant).to_owned(),
            classes: resource_claims::growth_classes(rest)?,
        }),
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

pub(super) fn parse_factor(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(f) if f > 0.0 && f.is_finite() => Ok(f),
        _ => Err(format!("{text:?} is not a positive number")),
    }
}

pub(super) fn parse_at(rest: &[&str]) -> Result<Option<u64>, String> {
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
        let size = |n: &Option<u64>| match (n, sweep) {
            (Some(n), Some(s)) if !s.sizes.contains(n) => self.err(
                line,
                format!("n={n} is not one of the sweep's sizes {:?}", s.sizes),
            ),
            (Some(_), None) => self.err(line, "`at n=…` needs `mode: sweep`"),
            _ => Ok(()),
        };
        let timed = |what: &str| {
            if mode.timed() {
                Ok(())
            } else {
                self.err(
                    line,
                    format!("a {what} claim needs a timed mode (compare, sweep or program)"),
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
                timed("time")?;
                size(n)
            }
            ClaimKind::Growth { variant, .. }
            | ClaimKind::Exponent { variant, .. }
            | ClaimKind::MemoryGrowth { variant, .. } => {
                known(variant)?;
                if mode != Mode::Sweep {
                    return self.err(line, "a growth claim needs `mode: sweep`");
                }
                Ok(())
            }
            ClaimKind::PeakBy { big, small, n, .. } => {
                known(big)?;
                known(small)?;
                if big == small {
                    return self.err(line, "a variant cannot be compared with itself");
                }
                if mode != Mode::Compare && mode != Mode::Sweep {
                    return self.err(
                        line,
                        "a memory claim needs `mode: compare` or `mode: sweep`",
                    );
                }
                size(n)
            }
            ClaimKind::PeakBound { variant, n, .. } => {
                known(variant)?;
                if mode != Mode::Compare && mode != Mode::Sweep {
                    return self.err(
                        line,
                        "a memory claim needs `mode: compare` or `mode: sweep`",
                    );
                }
                size(n)
            }
            ClaimKind::HottestLine { variant, .. } => {
                known(variant)?;
                if mode != Mode::Run {
                    return self.err(
                        line,
                        "a hottest-line claim needs `mode: run` and `profile: lines`",
                    );
                }
                Ok(())
            }
        }
    }
}
