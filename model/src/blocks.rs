//! Intervals that include what varies between parts of a run, not only
//! within one. Samples taken round by round are paired, so drift cancels;
//! but an effect that stays for a while — a variant's place in the round,
//! the cache state another variant leaves, the collector's phase, a JIT
//! tier reached half-way — makes the per-round ratios agree with each other
//! and still be wrong. So the harnesses take the kept rounds in blocks
//! (`limits::BLOCKS`), each with its own order of the variants, and the
//! analysis widens each interval by how much the blocks disagree, as
//! pyperf's figures carry the spread between fresh processes: a systematic
//! effect shows up as uncertainty instead of as a confident verdict.

use crate::limits::{BLOCKS, ROUNDS_PER_BLOCK};
use crate::stats::quantile;

/// Two-sided 95% quantiles of Student's t, by degrees of freedom (1…).
const T95: [f64; 9] = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262,
];

/// The block a kept round belongs to, for a harness: by the share of the
/// sampling time gone when the round starts (`elapsed` of `span` seconds),
/// or of the most rounds allowed when that cap comes first.
pub fn block_of_round(elapsed: f64, span: f64, kept: u32, max_rounds: u32) -> usize {
    let by_time = if span > 0.0 {
        (elapsed / span * BLOCKS as f64) as usize
    } else {
        0
    };
    let by_count = kept as usize * BLOCKS / (max_rounds.max(1) as usize);
    by_time.max(by_count).min(BLOCKS - 1)
}

/// The values of `per_round` cut at the rounds `starts` (the round each
/// block begins at, in order), each block reduced to its median; blocks of
/// fewer than `ROUNDS_PER_BLOCK` rounds join the block before.
pub fn block_medians(per_round: &[f64], starts: &[u32]) -> Vec<f64> {
    let mut cuts: Vec<usize> = starts
        .iter()
        .map(|&s| s as usize)
        .filter(|&s| s > 0 && s < per_round.len())
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    let mut from = 0;
    for end in cuts.into_iter().chain([per_round.len()]) {
        match blocks.last_mut() {
            // A short block joins the one before, as does any block after a
            // short one.
            Some(last) if end - from < ROUNDS_PER_BLOCK || last.1 - last.0 < ROUNDS_PER_BLOCK => {
                last.1 = end
            }
            _ => blocks.push((from, end)),
        }
        from = end;
    }
    blocks
        .into_iter()
        .filter(|(a, b)| b > a)
        .map(|(a, b)| {
            let mut s = per_round[a..b].to_vec();
            s.sort_by(f64::total_cmp);
            quantile(&s, 0.5)
        })
        .collect()
}

/// A 95% interval for the value the blocks measure, from their spread: the
/// mean of their logarithms ± Student's t times its standard error (times
/// and ratios are positive and their errors multiplicative). `None` with
/// fewer than three blocks: two disagreeing blocks say little about how
/// far apart a third would be.
pub fn between_blocks(values: &[f64]) -> Option<(f64, f64)> {
    if values.len() < 3 || values.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
        return None;
    }
    let logs: Vec<f64> = values.iter().map(|v| v.ln()).collect();
    let n = logs.len() as f64;
    let mean = logs.iter().sum::<f64>() / n;
    let var = logs.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let t = T95[(logs.len() - 2).min(T95.len() - 1)];
    let half = t * (var / n).sqrt();
    Some(((mean - half).exp(), (mean + half).exp()))
}

/// `(low, high)` widened to cover the between-block interval of
/// `per_round` cut at `starts`, when there is one.
pub fn widen(low: f64, high: f64, per_round: &[f64], starts: &[u32]) -> (f64, f64) {
    match between_blocks(&block_medians(per_round, starts)) {
        Some((l, h)) => (low.min(l), high.max(h)),
        None => (low, high),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_fall_into_blocks_by_time_or_by_the_round_cap() {
        assert_eq!(block_of_round(0.0, 4.0, 0, 200), 0);
        assert_eq!(block_of_round(1.1, 4.0, 3, 200), 1);
        assert_eq!(block_of_round(3.9, 4.0, 9, 200), 3);
        assert_eq!(block_of_round(9.0, 4.0, 9, 200), BLOCKS - 1);
        // Fast rounds reach the cap of 200 rounds long before the time ends.
        assert_eq!(block_of_round(0.2, 4.0, 150, 200), 3);
    }

    #[test]
    fn blocks_that_agree_do_not_widen_the_interval() {
        let per_round: Vec<f64> = (0..24).map(|i| 2.0 + (i % 3) as f64 * 0.01).collect();
        let (low, high) = widen(1.99, 2.02, &per_round, &[0, 6, 12, 18]);
        assert!(
            (1.98..=2.0).contains(&low) && (2.0..=2.03).contains(&high),
            "{low}–{high}"
        );
    }

    #[test]
    fn an_effect_that_follows_the_order_widens_the_interval_across_one() {
        // Within each block the per-round ratios agree (a narrow interval),
        // but the order each block used moves them: 1.15 in one order, 0.9
        // in the other. The interval must say the evidence does not decide.
        let per_round: Vec<f64> = (0..24)
            .map(|i| if (i / 6) % 2 == 0 { 1.15 } else { 0.9 })
            .collect();
        let (low, high) = widen(1.13, 1.17, &per_round, &[0, 6, 12, 18]);
        assert!(low < 1.0 && high > 1.15, "{low}–{high}");
    }

    #[test]
    fn short_blocks_join_their_neighbours_and_too_few_blocks_do_not_widen() {
        // Blocks of 1, 5, 1 and 5 rounds become two blocks: no widening.
        let per_round = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0];
        assert_eq!(block_medians(&per_round, &[0, 1, 6, 7]).len(), 2);
        assert_eq!(widen(1.0, 2.0, &per_round, &[0, 1, 6, 7]), (1.0, 2.0));
        // One block only (a short run).
        assert_eq!(block_medians(&per_round, &[]), vec![1.5]);
        assert_eq!(between_blocks(&[1.0, 2.0]), None);
    }
}
