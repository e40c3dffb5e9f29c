//! What a comparison's numbers mean, in words: which variant is faster and
//! by how much, or that no difference is clear because the 95% interval of
//! the ratio includes 1. Derived from the paired per-round ratios the
//! analysis already has, so a recorded result (a share link) reads the same.

use crate::result::{Comparison, Ratio, VariantResult};
use crate::share::ResultRow;
use crate::units::three_digits;

/// A variant's figures as far as a verdict needs them: measured results and
/// the rows a share link recorded both have them.
pub trait Ranked {
    fn name(&self) -> &str;
    /// Its time ÷ the fastest's, paired by round, with the 95% interval.
    fn ratio(&self) -> Ratio;
    /// Whether it has the lowest median (the one the ratios are taken to).
    fn is_lowest(&self) -> bool;
}

impl Ranked for VariantResult {
    fn name(&self) -> &str {
        &self.name
    }
    fn ratio(&self) -> Ratio {
        self.ratio
    }
    fn is_lowest(&self) -> bool {
        self.fastest
    }
}

impl Ranked for ResultRow {
    fn name(&self) -> &str {
        &self.name
    }
    fn ratio(&self) -> Ratio {
        Ratio {
            value: self.ratio,
            low: self.ratio_low,
            high: self.ratio_high,
        }
    }
    fn is_lowest(&self) -> bool {
        self.ratio <= 1.0
    }
}

/// How one variant stands against the fastest of its comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// The lowest median, clearly below every other variant's.
    Fastest,
    /// The lowest median, but some variant is not clearly slower: no
    /// "fastest" mark is given.
    LowestMedian,
    /// Clearly slower than the fastest: its ratio's whole interval is above 1.
    Slower,
    /// Its ratio's interval includes 1: no clear difference from the fastest.
    NotClear,
}

/// Differences smaller than this share are not called clear, whatever the
/// interval: two runs of identical code differ by about as much (their
/// loop counts are calibrated apart, and their code and data sit at other
/// addresses), so a smaller gap says nothing about the code.
pub const MIN_DIFFERENCE: f64 = 0.03;

/// Whether a ratio to the fastest shows a difference: its 95% interval
/// lies above 1, and above the least difference worth calling (ratios are
/// slower ÷ fastest).
pub fn is_clear(ratio: &Ratio) -> bool {
    ratio.low.is_finite() && ratio.low > 1.0 && ratio.value > 1.0 + MIN_DIFFERENCE
}

/// Where `v` stands among `variants` (one comparison's results, at one size).
pub fn standing<T: Ranked>(variants: &[T], v: &T) -> Standing {
    if v.is_lowest() {
        let all_clear = variants
            .iter()
            .filter(|o| !o.is_lowest())
            .all(|o| is_clear(&o.ratio()));
        if all_clear {
            Standing::Fastest
        } else {
            Standing::LowestMedian
        }
    } else if is_clear(&v.ratio()) {
        Standing::Slower
    } else {
        Standing::NotClear
    }
}

/// The short reading of a variant's ratio, for a table cell or a card:
/// `fastest`, `3.10× slower [3.00–3.20×]`, `no clear difference [0.97–1.05×]`.
pub fn ratio_text<T: Ranked>(variants: &[T], v: &T) -> String {
    let ratio = v.ratio();
    let interval = format!(
        "[{}–{}×]",
        three_digits(ratio.low),
        three_digits(ratio.high)
    );
    match standing(variants, v) {
        Standing::Fastest => "fastest".to_owned(),
        Standing::LowestMedian => "lowest median, not clearly fastest".to_owned(),
        Standing::Slower => format!("{}× slower {interval}", three_digits(ratio.value)),
        Standing::NotClear => format!("no clear difference {interval}"),
    }
}

/// The headline of a comparison: its fastest variant against the closest
/// other one (the call most in doubt).
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub fastest: String,
    pub other: String,
    /// `other`'s time ÷ `fastest`'s, paired by round, with its 95% interval.
    pub ratio: Ratio,
    pub clear: bool,
}

impl Verdict {
    /// The verdict of a comparison's results; `None` with fewer than two.
    pub fn of<T: Ranked>(variants: &[T]) -> Option<Verdict> {
        let fastest = variants.iter().find(|v| v.is_lowest())?;
        let other = variants
            .iter()
            .filter(|v| !v.is_lowest())
            .min_by(|a, b| a.ratio().value.total_cmp(&b.ratio().value))?;
        Some(Verdict {
            fastest: fastest.name().to_owned(),
            other: other.name().to_owned(),
            ratio: other.ratio(),
            clear: is_clear(&other.ratio()),
        })
    }

    /// The verdict of a comparison at its headline size.
    pub fn of_comparison(c: &Comparison) -> Option<Verdict> {
        Verdict::of(&c.variants)
    }

    /// In words: "set is 3.10× faster than list (95% interval 3.00–3.20×)",
    /// or "no clear difference between a and b: the interval 0.97–1.05× includes 1".
    pub fn sentence(&self) -> String {
        let (low, high) = (three_digits(self.ratio.low), three_digits(self.ratio.high));
        if self.clear {
            format!(
                "{} is {}× faster than {} (95% interval {low}–{high}×)",
                self.fastest,
                three_digits(self.ratio.value),
                self.other
            )
        } else if self.ratio.low.is_finite() && self.ratio.low > 1.0 {
            format!(
                "no clear difference between {} and {}: {}× (interval {low}–{high}×) is within the {:.0}% that identical code varies by",
                self.fastest,
                self.other,
                three_digits(self.ratio.value),
                MIN_DIFFERENCE * 100.0
            )
        } else if self.ratio.low.is_finite() {
            format!(
                "no clear difference between {} and {}: the interval {low}–{high}× includes 1",
                self.fastest, self.other
            )
        } else {
            format!(
                "no clear difference between {} and {}: too few paired samples",
                self.fastest, self.other
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Summary;

    fn result(name: &str, ratio: (f64, f64, f64), fastest: bool) -> VariantResult {
        VariantResult {
            name: name.into(),
            n: None,
            loops: 1,
            time: Summary::of(&[1.0]).unwrap(),
            samples: vec![1.0],
            ops_per_sec: 1.0,
            ratio: Ratio {
                value: ratio.0,
                low: ratio.1,
                high: ratio.2,
            },
            fastest,
            memory: None,
        }
    }

    #[test]
    fn an_interval_that_includes_one_is_no_clear_difference() {
        let variants = vec![
            result("a", (1.0, 1.0, 1.0), true),
            result("b", (1.02, 0.99, 1.05), false),
        ];
        let verdict = Verdict::of(&variants).unwrap();
        assert!(!verdict.clear);
        assert_eq!(
            verdict.sentence(),
            "no clear difference between a and b: the interval 0.99–1.05× includes 1"
        );
        assert_eq!(standing(&variants, &variants[0]), Standing::LowestMedian);
        assert_eq!(standing(&variants, &variants[1]), Standing::NotClear);
        assert_eq!(
            ratio_text(&variants, &variants[1]),
            "no clear difference [0.99–1.05×]"
        );
    }

    #[test]
    fn a_tight_interval_above_one_is_faster() {
        let variants = vec![
            result("list", (3.1, 3.0, 3.2), false),
            result("set", (1.0, 1.0, 1.0), true),
        ];
        let verdict = Verdict::of(&variants).unwrap();
        assert!(verdict.clear);
        assert_eq!(
            verdict.sentence(),
            "set is 3.10× faster than list (95% interval 3.00–3.20×)"
        );
        assert_eq!(standing(&variants, &variants[1]), Standing::Fastest);
        assert_eq!(ratio_text(&variants, &variants[1]), "fastest");
        assert_eq!(
            ratio_text(&variants, &variants[0]),
            "3.10× slower [3.00–3.20×]"
        );
    }

    #[test]
    fn the_headline_is_the_closest_call_and_one_unclear_pair_withholds_the_mark() {
        let variants = vec![
            result("a", (1.0, 1.0, 1.0), true),
            result("b", (40.0, 38.0, 42.0), false),
            result("c", (1.01, 0.98, 1.04), false),
        ];
        let verdict = Verdict::of(&variants).unwrap();
        assert_eq!(verdict.other, "c");
        assert!(!verdict.clear);
        assert_eq!(standing(&variants, &variants[0]), Standing::LowestMedian);
        assert_eq!(standing(&variants, &variants[1]), Standing::Slower);
    }

    #[test]
    fn a_gap_within_what_identical_code_varies_by_is_not_clear() {
        let variants = vec![
            result("a", (1.0, 1.0, 1.0), true),
            result("b", (1.01, 1.005, 1.02), false),
        ];
        let verdict = Verdict::of(&variants).unwrap();
        assert!(!verdict.clear);
        assert_eq!(
            verdict.sentence(),
            "no clear difference between a and b: 1.01× (interval 1.00–1.02×) is within the 3% that identical code varies by"
        );
    }

    #[test]
    fn a_ratio_without_pairs_is_not_clear_and_one_variant_has_no_verdict() {
        let variants = vec![
            result("a", (1.0, 1.0, 1.0), true),
            result("b", (f64::NAN, f64::NAN, f64::NAN), false),
        ];
        let verdict = Verdict::of(&variants).unwrap();
        assert!(!verdict.clear);
        assert!(verdict.sentence().ends_with("too few paired samples"));
        assert!(Verdict::of(&variants[..1]).is_none());
    }
}
