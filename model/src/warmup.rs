//! When a warm-up is over. A JIT (V8 compiling the engine's wasm, CPython
//! 3.14 specialising its bytecode) makes the first samples of a run slower
//! than the rest, by steps, for longer than any fixed number of rounds:
//! both harnesses therefore warm up until each variant's samples have
//! settled, by one rule, bounded by a share of the budget
//! (`limits::WARMUP_*`; `engine/python/reference_harness.py` applies the
//! same rule to CPython, from the values the spec hands it).

use serde::{Deserialize, Serialize};

use crate::limits::{WARMUP_TOLERANCE, WARMUP_WINDOW};
use crate::stats::quantile;

/// How a size's warm-up went: shown with the conditions of a run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Warmup {
    /// Rounds taken and thrown away.
    pub rounds: u32,
    /// Seconds they took.
    pub seconds: f64,
    /// False when the warm-up ended at its share of the budget before the
    /// samples settled.
    pub settled: bool,
}

impl Warmup {
    /// The warm-up in words, for a run's conditions: "warm-up 0.82 s, 12
    /// rounds, settled".
    pub fn describe(&self) -> String {
        format!(
            "warm-up {:.2} s, {} round{}, {}",
            self.seconds,
            self.rounds,
            if self.rounds == 1 { "" } else { "s" },
            if self.settled {
                "settled"
            } else {
                "ended at its limit before the times settled"
            }
        )
    }
}

/// Whether `samples` (one variant's, in the order taken) have settled: the
/// median of the last `WARMUP_WINDOW` within `WARMUP_TOLERANCE` of the
/// median of the `WARMUP_WINDOW` before them.
pub fn settled(samples: &[f64]) -> bool {
    let k = WARMUP_WINDOW;
    if samples.len() < 2 * k {
        return false;
    }
    let median = |xs: &[f64]| {
        let mut s = xs.to_vec();
        s.sort_by(f64::total_cmp);
        quantile(&s, 0.5)
    };
    let last = median(&samples[samples.len() - k..]);
    let before = median(&samples[samples.len() - 2 * k..samples.len() - k]);
    last > 0.0 && before > 0.0 && (last / before - 1.0).abs() <= WARMUP_TOLERANCE
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first round at which `series` counts as settled, if any.
    fn settles_at(series: &[f64]) -> Option<usize> {
        (1..=series.len()).find(|&n| settled(&series[..n]))
    }

    #[test]
    fn steady_samples_settle_as_soon_as_two_windows_are_there() {
        let steady = [1.0, 1.01, 0.99, 1.0, 1.02, 0.98, 1.0];
        assert_eq!(settles_at(&steady), Some(2 * WARMUP_WINDOW));
        assert!(!settled(&steady[..2 * WARMUP_WINDOW - 1]));
    }

    #[test]
    fn a_tier_up_step_keeps_the_warm_up_going_until_both_windows_are_past_it() {
        // Baseline code for eight rounds, then optimised code 35% faster
        // (the step V8's tier-up makes in the engine's samples).
        let series: Vec<f64> = (0..16).map(|i| if i < 8 { 1.0 } else { 0.65 }).collect();
        // Settled before the step (nothing can foresee it) and at its first
        // sample (a median of three ignores one), unsettled while the
        // windows straddle it, settled again once both medians are past it.
        assert!(settled(&series[..9]));
        for n in 10..13 {
            assert!(!settled(&series[..n]), "straddling at {n}");
        }
        assert!(settled(&series[..13]));
    }

    #[test]
    fn a_steady_drift_faster_than_the_tolerance_never_settles() {
        // 3% faster every round: two windows three rounds apart differ by ~9%.
        let series: Vec<f64> = (0..40).map(|i| 0.97f64.powi(i)).collect();
        assert_eq!(settles_at(&series), None);
    }

    #[test]
    fn a_warm_up_says_how_long_and_whether_it_settled() {
        let w = Warmup {
            rounds: 12,
            seconds: 0.823,
            settled: true,
        };
        assert_eq!(w.describe(), "warm-up 0.82 s, 12 rounds, settled");
        let cut = Warmup {
            rounds: 1,
            seconds: 1.5,
            settled: false,
        };
        assert_eq!(
            cut.describe(),
            "warm-up 1.50 s, 1 round, ended at its limit before the times settled"
        );
    }

    #[test]
    fn noise_around_a_level_settles_and_a_zero_does_not() {
        // ±10% noise, medians of three within 5%.
        let noisy = [1.1, 0.9, 1.0, 0.92, 1.0, 1.08];
        assert!(settled(&noisy));
        assert!(!settled(&[0.0; 6]));
    }
}
