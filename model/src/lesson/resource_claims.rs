//! The claims on what a run used besides time: peak memory (`A peak >= 10x
//! B`, `A peak <= 64 KiB`, `memory growth A O(n)`) and, in a profiled run,
//! where the time went (`hottest line in A "CODE"`). Read here beside the
//! time claims of `claims`, and checked against the same [`Figures`].

use super::claims::{
    Bound, ClaimKind, Figures, Verdict, format_ratio, growth_verdict, parse_at, parse_factor,
};
use crate::growth::GrowthClass;
use crate::units;

/// Reads `text` (split into `words`) if it is one of these claims: `None`
/// when it is none of them, else the claim or why it cannot be read.
pub(super) fn parse(text: &str, words: &[&str]) -> Option<Result<ClaimKind, String>> {
    if let Some(rest) = text.trim().strip_prefix("hottest line in ") {
        return Some(hottest_line(rest));
    }
    match words {
        ["memory", "growth", variant, rest @ ..] if !rest.is_empty() => {
            Some(growth_classes(rest).map(|classes| ClaimKind::MemoryGrowth {
                variant: (*variant).to_owned(),
                classes,
            }))
        }
        [big, "peak", ">=", factor, small, rest @ ..]
            if factor.ends_with(['x', '×']) && !small.starts_with(|c: char| c.is_ascii_digit()) =>
        {
            Some((|| {
                Ok(ClaimKind::PeakBy {
                    big: (*big).to_owned(),
                    small: (*small).to_owned(),
                    factor: parse_factor(factor.trim_end_matches(['x', '×']))?,
                    n: parse_at(rest)?,
                })
            })())
        }
        [variant, "peak", op @ (">=" | "<="), rest @ ..] => Some((|| {
            let at = rest.iter().position(|w| *w == "at").unwrap_or(rest.len());
            let size = rest[..at].join(" ");
            let bytes = units::parse_bytes(&size)
                .ok_or_else(|| format!("{size:?} is not a size such as `64 KiB` or `3.9 MB`"))?;
            Ok(ClaimKind::PeakBound {
                variant: (*variant).to_owned(),
                bound: if *op == ">=" {
                    Bound::AtLeast
                } else {
                    Bound::AtMost
                },
                bytes,
                n: parse_at(&rest[at..])?,
            })
        })()),
        _ => None,
    }
}

/// `NAME "CODE"`, after `hottest line in`.
fn hottest_line(rest: &str) -> Result<ClaimKind, String> {
    let bad = || format!("{rest:?}: expected `hottest line in NAME \"CODE\"`");
    let (variant, code) = rest
        .trim()
        .split_once(char::is_whitespace)
        .ok_or_else(bad)?;
    let code = code
        .trim()
        .strip_prefix('"')
        .and_then(|c| c.strip_suffix('"'))
        .filter(|c| !c.trim().is_empty())
        .ok_or_else(bad)?;
    Ok(ClaimKind::HottestLine {
        variant: variant.to_owned(),
        code: code.trim().to_owned(),
    })
}

/// `O(n) [or O(n log n)…]`.
pub(super) fn growth_classes(words: &[&str]) -> Result<Vec<GrowthClass>, String> {
    words
        .join(" ")
        .split(" or ")
        .map(|part| {
            GrowthClass::parse(part)
                .ok_or_else(|| format!("{:?} is not a growth class such as O(n)", part.trim()))
        })
        .collect()
}

/// Checks one of these claims.
pub(super) fn check(kind: &ClaimKind, figures: &dyn Figures) -> Verdict {
    match kind {
        ClaimKind::PeakBy {
            big,
            small,
            factor,
            n,
        } => {
            let at = at(*n);
            match (figures.peak(big, *n), figures.peak(small, *n)) {
                (Some(b), Some(s)) => {
                    let sizes = format!(
                        "{big} {} vs {small} {}",
                        units::bytes(b as f64),
                        units::bytes(s as f64)
                    );
                    // A small side that held nothing at its peak: any
                    // peak above nothing is more times it than any factor.
                    let ratio = if s > 0 {
                        b as f64 / s as f64
                    } else if b > 0 {
                        f64::INFINITY
                    } else {
                        0.0
                    };
                    Verdict {
                        passed: ratio >= *factor,
                        measured: if ratio.is_finite() {
                            format!("{big}/{small} peak = {} ({sizes}){at}", format_ratio(ratio))
                        } else {
                            format!("{sizes}{at}")
                        },
                        ratio: ratio.is_finite().then_some(ratio),
                        missing: false,
                    }
                }
                _ => Verdict::missing(format!("no memory measured for {big} and {small}{at}")),
            }
        }
        ClaimKind::PeakBound {
            variant,
            bound,
            bytes,
            n,
        } => {
            let at = at(*n);
            match figures.peak(variant, *n) {
                Some(peak) => Verdict {
                    passed: bound.holds(peak as f64, *bytes as f64),
                    measured: format!("{variant} peak {}{at}", units::bytes(peak as f64)),
                    ratio: None,
                    missing: false,
                },
                None => Verdict::missing(format!("no memory measured for {variant}{at}")),
            }
        }
        ClaimKind::MemoryGrowth { variant, classes } => {
            growth_verdict(variant, "memory ", classes, figures.memory_growth(variant))
        }
        ClaimKind::HottestLine { variant, code } => match figures.hottest_line(variant) {
            Some(hot) => Verdict {
                passed: hot.text.starts_with(code.as_str()),
                measured: if hot.share > 0.0 {
                    format!(
                        "{variant}: line {} `{}` in {}, {:.0}% of the run",
                        hot.line,
                        hot.text,
                        hot.function,
                        hot.share * 100.0
                    )
                } else {
                    format!("{variant}: `{}` in {}", hot.text, hot.function)
                },
                ratio: None,
                missing: false,
            },
            None => Verdict::missing(format!("no line profile of {variant}")),
        },
        ClaimKind::FasterBy { .. } | ClaimKind::Growth { .. } | ClaimKind::Exponent { .. } => {
            unreachable!("time claims are checked in `claims`")
        }
    }
}

fn at(n: Option<u64>) -> String {
    n.map(|n| format!(" at n={n}")).unwrap_or_default()
}
