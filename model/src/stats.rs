//! Robust statistics of timing samples: medians and quantiles rather than
//! means, because timing noise is one-sided (a sample is only ever slowed).

use serde::{Deserialize, Serialize};

/// Summary of a set of samples.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub count: usize,
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub q1: f64,
    pub q3: f64,
    /// 95% confidence interval of the median (distribution-free).
    pub ci_low: f64,
    pub ci_high: f64,
}

impl Summary {
    /// Summarises samples; `None` when there are none or any is not finite.
    pub fn of(samples: &[f64]) -> Option<Summary> {
        if samples.is_empty() || samples.iter().any(|x| !x.is_finite()) {
            return None;
        }
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let (lo, hi) = median_ci_ranks(sorted.len());
        Some(Summary {
            count: sorted.len(),
            median: quantile(&sorted, 0.5),
            min: sorted[0],
            max: sorted[sorted.len() - 1],
            q1: quantile(&sorted, 0.25),
            q3: quantile(&sorted, 0.75),
            ci_low: sorted[lo],
            ci_high: sorted[hi],
        })
    }

    pub fn iqr(&self) -> f64 {
        self.q3 - self.q1
    }
}

/// Quantile `p` of sorted data by linear interpolation between order
/// statistics (the definition numpy and R use by default).
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    assert!(!sorted.is_empty(), "quantile of no data");
    let h = (sorted.len() - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// 0-based ranks (lo, hi) of the order statistics bounding a 95% confidence
/// interval for the median of `n` samples.
///
/// The count of samples below the true median is Binomial(n, ½), so
/// [x(j), x(n-1-j)] covers it with probability 1 − 2·P(B ≤ j); the largest j
/// keeping that ≥ 95% is chosen exactly from the binomial distribution.
/// Below six samples no such j exists and the interval is the full range.
pub fn median_ci_ranks(n: usize) -> (usize, usize) {
    if n == 0 {
        return (0, 0);
    }
    // P(B <= k) accumulated in log space so large n does not underflow.
    let ln_half_n = n as f64 * 0.5f64.ln();
    let mut ln_choose = 0.0f64; // ln C(n, 0)
    let mut cdf = 0.0f64;
    let mut j = None;
    for k in 0..n {
        cdf += (ln_choose + ln_half_n).exp();
        if 2.0 * cdf > 0.05 {
            break;
        }
        // The interval [x(k+1), x(n-k)] in 1-based ranks excludes k samples
        // on each side: coverage 1 - 2·P(B <= k).
        j = Some(k);
        ln_choose += ((n - k) as f64).ln() - ((k + 1) as f64).ln();
    }
    match j {
        // 1-based ranks k+1 and n-k.
        Some(k) => (k, n - 1 - k),
        None => (0, n - 1),
    }
}

/// Ratio of two paired series (sample i of `num` was taken in the same round
/// as sample i of `den`): the median of the per-round ratios and its 95%
/// interval. Pairing by round cancels drift that hits both alike.
pub fn paired_ratio(num: &[f64], den: &[f64]) -> Option<(f64, f64, f64)> {
    let ratios: Vec<f64> = num
        .iter()
        .zip(den)
        .filter(|(_, d)| **d > 0.0)
        .map(|(n, d)| n / d)
        .collect();
    let s = Summary::of(&ratios)?;
    Some((s.median, s.ci_low, s.ci_high))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_quartiles_of_known_data() {
        let s = Summary::of(&[5.0, 1.0, 4.0, 2.0, 3.0]).unwrap();
        assert_eq!(s.median, 3.0);
        assert_eq!(s.min, 1.0);
        assert_eq!(s.max, 5.0);
        assert_eq!(s.q1, 2.0);
        assert_eq!(s.q3, 4.0);
        assert_eq!(s.iqr(), 2.0);
        let even = Summary::of(&[1.0, 2.0, 3.0, 4.0]).unwrap();
        assert_eq!(even.median, 2.5);
        assert_eq!(even.q1, 1.75);
        assert_eq!(even.q3, 3.25);
    }

    #[test]
    fn median_ci_ranks_match_binomial_tables() {
        // Known values for the distribution-free 95% interval of the median
        // (e.g. Conover, Practical Nonparametric Statistics): 1-based ranks.
        assert_eq!(median_ci_ranks(5), (0, 4)); // too few: full range
        assert_eq!(median_ci_ranks(6), (0, 5)); // ranks 1..6, 96.9%
        assert_eq!(median_ci_ranks(9), (1, 7)); // ranks 2..8, 96.1%
        assert_eq!(median_ci_ranks(10), (1, 8)); // ranks 2..9, 97.9%
        assert_eq!(median_ci_ranks(20), (5, 14)); // ranks 6..15, 95.9%
        assert_eq!(median_ci_ranks(100), (39, 60)); // ranks 40..61, 96.5%
    }

    #[test]
    fn ci_brackets_the_median_and_narrows_with_more_samples() {
        let few: Vec<f64> = (0..10).map(|i| i as f64).collect();
        let many: Vec<f64> = (0..1000)
            .map(|i| (i % 10) as f64 + i as f64 * 1e-6)
            .collect();
        let a = Summary::of(&few).unwrap();
        let b = Summary::of(&many).unwrap();
        assert!(a.ci_low <= a.median && a.median <= a.ci_high);
        assert!(b.ci_low <= b.median && b.median <= b.ci_high);
        assert!(b.ci_high - b.ci_low < a.ci_high - a.ci_low);
    }

    #[test]
    fn summary_rejects_empty_and_non_finite() {
        assert!(Summary::of(&[]).is_none());
        assert!(Summary::of(&[1.0, f64::NAN]).is_none());
        assert!(Summary::of(&[f64::INFINITY]).is_none());
    }

    #[test]
    fn paired_ratio_cancels_common_drift() {
        // Both series slow down together; the per-round ratio stays 3.
        let den: Vec<f64> = (1..=20).map(|i| i as f64).collect();
        let num: Vec<f64> = den.iter().map(|d| d * 3.0).collect();
        let (r, lo, hi) = paired_ratio(&num, &den).unwrap();
        assert_eq!((r, lo, hi), (3.0, 3.0, 3.0));
    }
}
