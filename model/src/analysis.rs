//! Turns raw `Measurements` into the figures people read: net per-loop
//! times, intervals, ratios to the fastest and growth.

use crate::blocks;
use crate::growth::{self, Growth};
use crate::measurement::{Measurements, Series, SizeMeasurements};
use crate::result::{Comparison, Ratio, SweepPoint, SweepSeries, VariantResult};
use crate::stats::{Summary, paired_ratio};
use crate::warnings;

/// Net times are floored here: a statement indistinguishable from the empty
/// one still gets a finite ratio.
const NET_FLOOR: f64 = 1e-12;

/// A sweep's size measured in fewer samples than this (the budget ran out
/// there) is drawn but left out of the growth fit, while enough sizes remain:
/// one slow sample at the largest size would bend the curve on its own.
const FIT_MIN_SAMPLES: usize = 3;

/// Analyses a comparison's samples.
pub fn analyze(m: &Measurements) -> Comparison {
    let baseline = m
        .sizes
        .iter()
        .find_map(|s| s.baseline.as_ref())
        .and_then(|b| Summary::of(&b.samples));
    let offset = baseline.map_or(0.0, |b| b.median);
    let per_size: Vec<Vec<VariantResult>> =
        m.sizes.iter().map(|s| size_results(s, offset)).collect();

    let is_sweep = m.sizes.len() > 1 || m.sizes.iter().any(|s| s.n.is_some());
    let sweep = if is_sweep {
        sweep_series(m, &per_size)
    } else {
        Vec::new()
    };

    // The headline table: the largest size at which every variant has results.
    let wanted = m.sizes.first().map_or(0, |s| s.variants.len());
    let headline = per_size
        .iter()
        .zip(&m.sizes)
        .rev()
        .find(|(r, _)| r.len() == wanted)
        .or_else(|| {
            per_size
                .iter()
                .zip(&m.sizes)
                .rev()
                .find(|(r, _)| !r.is_empty())
        });
    let (variants, rounds, warmup, unrolls, run_samples) = match headline {
        Some((results, size)) => (
            results.clone(),
            size.variants
                .iter()
                .map(|v| v.samples.len())
                .max()
                .unwrap_or(0) as u32,
            size.warmup,
            size.variants
                .iter()
                .map(|v| (v.name.clone(), v.unroll))
                .collect(),
            size.baseline.as_ref().map(|b| b.samples.as_slice()),
        ),
        None => (Vec::new(), 0, None, Vec::new(), None),
    };
    Comparison {
        warmup,
        engine: m.engine.clone(),
        warnings: warnings::of(
            &variants,
            baseline.as_ref(),
            run_samples,
            m.timer_step,
            &unrolls,
        ),
        variants,
        baseline,
        sweep,
        rounds,
        elapsed: m.elapsed,
        budget_exhausted: m.budget_exhausted,
    }
}

/// Samples net of the loop's own cost: `offset` is the empty statement's
/// time per loop iteration, shared by the `unroll` executions of an
/// unrolled iteration.
fn net(series: &Series, offset: f64) -> Vec<f64> {
    let per_execution = offset / f64::from(series.unroll.max(1));
    series
        .samples
        .iter()
        .map(|x| (x - per_execution).max(NET_FLOOR))
        .collect()
}

fn size_results(size: &SizeMeasurements, offset: f64) -> Vec<VariantResult> {
    let nets: Vec<(&Series, Vec<f64>, Summary)> = size
        .variants
        .iter()
        .filter_map(|s| {
            let n = net(s, offset);
            Summary::of(&n).map(|mut sum| {
                (sum.ci_low, sum.ci_high) =
                    blocks::widen(sum.ci_low, sum.ci_high, &n, &size.blocks);
                (s, n, sum)
            })
        })
        .collect();
    let Some(fastest) = nets
        .iter()
        .min_by(|a, b| a.2.median.total_cmp(&b.2.median))
        .map(|f| f.0.name.clone())
    else {
        return Vec::new();
    };
    let fastest_net = &nets.iter().find(|f| f.0.name == fastest).unwrap().1;
    nets.iter()
        .map(|(series, n, time)| {
            let is_fastest = series.name == fastest;
            let ratio = if is_fastest {
                Ratio {
                    value: 1.0,
                    low: 1.0,
                    high: 1.0,
                }
            } else {
                let len = n.len().min(fastest_net.len());
                let per_round: Vec<f64> = n[..len]
                    .iter()
                    .zip(&fastest_net[..len])
                    .map(|(a, b)| a / b)
                    .collect();
                paired_ratio(&n[..len], &fastest_net[..len])
                    .map(|(value, low, high)| {
                        let (low, high) = blocks::widen(low, high, &per_round, &size.blocks);
                        Ratio { value, low, high }
                    })
                    .unwrap_or(Ratio {
                        value: f64::NAN,
                        low: f64::NAN,
                        high: f64::NAN,
                    })
            };
            VariantResult {
                name: series.name.clone(),
                n: size.n,
                loops: series.loops,
                time: *time,
                samples: series.samples.clone(),
                ops_per_sec: 1.0 / time.median,
                ratio,
                fastest: is_fastest,
                memory: series.memory,
            }
        })
        .collect()
}

fn sweep_series(m: &Measurements, per_size: &[Vec<VariantResult>]) -> Vec<SweepSeries> {
    let names: Vec<String> = m
        .sizes
        .first()
        .map(|s| s.variants.iter().map(|v| v.name.clone()).collect())
        .unwrap_or_default();
    names
        .into_iter()
        .map(|name| {
            let points: Vec<SweepPoint> = per_size
                .iter()
                .flatten()
                .filter(|r| r.name == name)
                .filter_map(|r| {
                    Some(SweepPoint {
                        n: r.n?,
                        median: r.time.median,
                        low: r.time.ci_low,
                        high: r.time.ci_high,
                        peak_bytes: r.memory.map(|m| m.peak_bytes),
                    })
                })
                .collect();
            let firm: Vec<(u64, f64)> = per_size
                .iter()
                .flatten()
                .filter(|r| r.name == name && r.time.count >= FIT_MIN_SAMPLES)
                .filter_map(|r| Some((r.n?, r.time.median)))
                .collect();
            let fit_input: Vec<(u64, f64)> = if firm.len() >= 3 {
                firm
            } else {
                points.iter().map(|p| (p.n, p.median)).collect()
            };
            SweepSeries {
                growth: growth::fit(&fit_input),
                memory_growth: memory_growth(&points),
                name,
                points,
            }
        })
        .collect()
}

/// The fitted growth of a series' peak memory, when every size has one. A
/// peak of nothing counts as one byte: a statement that allocates nothing at
/// any size is constant, and a logarithm of zero fits nothing. Peaks all
/// within `limits::MEMORY_FLAT_BYTES` of each other are constant whatever
/// their ratio: a generator's peak of 188 bytes that becomes 236 where its
/// running sum outgrows a digit is no memory growing with `n`, though a
/// relative fit reads those 48 bytes as O(log n).
fn memory_growth(points: &[SweepPoint]) -> Option<Growth> {
    let peaks: Vec<(u64, f64)> = points
        .iter()
        .map(|p| Some((p.n, p.peak_bytes?.max(1) as f64)))
        .collect::<Option<_>>()?;
    let (low, high) = peaks
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(low, high), p| {
            (low.min(p.1), high.max(p.1))
        });
    if high - low <= crate::limits::MEMORY_FLAT_BYTES as f64 {
        growth::fit_flat(&peaks)
    } else {
        growth::fit(&peaks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(name: &str, samples: &[f64]) -> Series {
        Series {
            name: name.into(),
            loops: 1000,
            unroll: 1,
            samples: samples.to_vec(),
            memory: None,
        }
    }

    #[test]
    fn subtracts_the_baseline_and_ranks_against_the_fastest() {
        let m = Measurements {
            engine: "test".into(),
            sizes: vec![SizeMeasurements {
                n: None,
                baseline: Some(series("", &[1.0, 1.0, 1.0, 1.0, 1.0, 1.0])),
                variants: vec![
                    series("slow", &[31.0, 31.0, 31.0, 31.0, 31.0, 31.0]),
                    series("fast", &[11.0, 11.0, 11.0, 11.0, 11.0, 11.0]),
                ],
                ..SizeMeasurements::default()
            }],
            elapsed: 1.0,
            budget_exhausted: false,
            timer_step: None,
        };
        let c = analyze(&m);
        assert_eq!(c.baseline.unwrap().median, 1.0);
        let slow = c.variant("slow").unwrap();
        let fast = c.variant("fast").unwrap();
        assert!(fast.fastest && !slow.fastest);
        assert_eq!(fast.time.median, 10.0);
        assert_eq!(slow.time.median, 30.0);
        assert_eq!(slow.ratio.value, 3.0);
        assert_eq!(fast.ops_per_sec, 0.1);
        assert_eq!(c.rounds, 6);
        assert!(c.sweep.is_empty());
    }

    #[test]
    fn a_shift_between_blocks_widens_the_ratio_into_no_clear_difference() {
        // Four blocks of six rounds: in the blocks where `a` came first it
        // read 10% slower than `b`, in the others 10% faster; within each
        // block the rounds agree. Paired by round alone the ratio's interval
        // would stay narrow; the blocks' disagreement must take it across 1.
        let a: Vec<f64> = (0..24)
            .map(|i| if (i / 6) % 2 == 0 { 1.1 } else { 0.9 })
            .collect();
        let m = Measurements {
            engine: "test".into(),
            sizes: vec![SizeMeasurements {
                variants: vec![series("a", &a), series("b", &[1.0; 24])],
                blocks: vec![0, 6, 12, 18],
                ..SizeMeasurements::default()
            }],
            elapsed: 1.0,
            budget_exhausted: false,
            timer_step: None,
        };
        let c = analyze(&m);
        let slower = c.variants.iter().find(|v| !v.fastest).unwrap();
        assert!(
            slower.ratio.low < 1.0 && slower.ratio.high > 1.1,
            "{:?}",
            slower.ratio
        );
        // The same samples as one block keep the narrow paired interval.
        let one = analyze(&Measurements {
            sizes: vec![SizeMeasurements {
                blocks: vec![],
                ..m.sizes[0].clone()
            }],
            ..m
        });
        let slower = one.variants.iter().find(|v| !v.fastest).unwrap();
        assert!(slower.ratio.low >= 0.9, "{:?}", slower.ratio);
    }

    #[test]
    fn an_unrolled_series_carries_its_share_of_the_baseline() {
        // A loop iteration costs 20; the fast statement ran 10 times per
        // iteration, so each of its executions carries 2 of that.
        let fast = Series {
            unroll: 10,
            ..series("fast", &[7.0; 6])
        };
        let m = Measurements {
            engine: "test".into(),
            sizes: vec![SizeMeasurements {
                n: None,
                baseline: Some(series("", &[20.0; 6])),
                variants: vec![series("slow", &[520.0; 6]), fast],
                ..SizeMeasurements::default()
            }],
            elapsed: 1.0,
            budget_exhausted: false,
            timer_step: None,
        };
        let c = analyze(&m);
        assert_eq!(c.variant("fast").unwrap().time.median, 5.0);
        assert_eq!(c.variant("slow").unwrap().time.median, 500.0);
        assert_eq!(c.variant("slow").unwrap().ratio.value, 100.0);
    }

    #[test]
    fn a_size_with_one_sample_is_drawn_but_not_fitted() {
        // A list scan measured on this machine: linear, but the budget ran
        // out at the largest size after one slow sample, which alone reads
        // as n log n.
        let medians = [
            (100u64, 2.689e-6),
            (316, 8.160e-6),
            (1000, 3.189e-5),
            (3162, 1.088e-4),
            (10000, 3.721e-4),
            (31623, 1.122e-3),
            (100000, 4.858e-3),
        ];
        let sizes = medians
            .iter()
            .map(|&(n, m)| SizeMeasurements {
                n: Some(n),
                baseline: None,
                variants: vec![series("list", &vec![m; if n == 100000 { 1 } else { 5 }])],
                ..SizeMeasurements::default()
            })
            .collect();
        let c = analyze(&Measurements {
            engine: "test".into(),
            sizes,
            elapsed: 1.0,
            budget_exhausted: true,
            timer_step: None,
        });
        let list = c.series("list").unwrap();
        assert_eq!(list.points.len(), 7);
        use crate::growth::GrowthClass;
        assert_eq!(list.growth.unwrap().class, Some(GrowthClass::Linear));
    }

    #[test]
    fn sweep_fits_growth_per_variant() {
        let sizes = [10u64, 100, 1000, 10000]
            .iter()
            .map(|&n| SizeMeasurements {
                n: Some(n),
                baseline: None,
                variants: vec![
                    series("list", &[n as f64 * 1e-8; 5]),
                    series("set", &[5e-8; 5]),
                ],
                ..SizeMeasurements::default()
            })
            .collect();
        let c = analyze(&Measurements {
            engine: "test".into(),
            sizes,
            elapsed: 1.0,
            budget_exhausted: false,
            timer_step: None,
        });
        use crate::growth::GrowthClass;
        assert_eq!(
            c.series("list").unwrap().growth.unwrap().class,
            Some(GrowthClass::Linear)
        );
        assert_eq!(
            c.series("set").unwrap().growth.unwrap().class,
            Some(GrowthClass::Constant)
        );
        assert_eq!(c.variants[0].n, Some(10000));
    }

    #[test]
    fn peaks_a_few_bytes_apart_are_flat_and_a_list_grows() {
        use crate::growth::GrowthClass;
        let at = |peaks: [u64; 3]| -> Vec<SweepPoint> {
            [1000u64, 10_000, 100_000]
                .iter()
                .zip(peaks)
                .map(|(&n, peak)| SweepPoint {
                    n,
                    median: 1e-3,
                    low: 1e-3,
                    high: 1e-3,
                    peak_bytes: Some(peak),
                })
                .collect()
        };
        // CPython's tracemalloc, measured: a generator summed over range(n),
        // and a list comprehension summed.
        let generator = memory_growth(&at([188, 188, 236])).unwrap();
        assert_eq!(generator.class, Some(GrowthClass::Constant));
        assert!(
            generator.runner_up.is_some(),
            "the curve that fits those bytes better is named: {generator:?}"
        );
        let list = memory_growth(&at([16_752, 198_912, 1_996_864])).unwrap();
        assert_eq!(list.class, Some(GrowthClass::Linear));
        assert_eq!(
            memory_growth(&at([0, 0, 0])).unwrap().class,
            Some(GrowthClass::Constant),
            "nothing held at any size"
        );
        let mut missing = at([1, 2, 3]);
        missing[1].peak_bytes = None;
        assert_eq!(memory_growth(&missing), None);
    }
}
