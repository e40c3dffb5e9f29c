//! Warnings where a measurement is weak, each saying what to do about it:
//! a spread too wide for the figure, a statement whose time is mostly the
//! timing loop's own, too few samples for the interval, samples too short
//! for the timer's step, times that drifted during the run, and a per-loop
//! time that `timeit` would read higher because the statement was timed
//! unrolled. Computed by the analysis from the samples, so
//! the engine, the CLI's `--json`, CPython's figures and recorded results
//! carry the same ones.

use serde::{Deserialize, Serialize};

use crate::result::VariantResult;
use crate::stats::{Summary, quantile};

/// Interquartile range above this share of the median: the figure is shaky.
pub const WIDE_SPREAD: f64 = 0.25;
/// A net time below this share of one empty loop iteration is a small
/// difference of large numbers: the loop's own cost, taken off every
/// sample, varies by about as much.
pub const LOOP_SHARE: f64 = 0.5;
/// A statement timed unrolled whose net time is less than this many empty
/// loop iterations gets a note: `timeit`, which times one copy per
/// iteration and leaves the loop in, reads it at least 10 % higher.
pub const UNROLLED_LOOPS: f64 = 10.0;
/// Fewer samples than this give a loose interval (Google Benchmark's
/// `compare.py` asks for nine repetitions before it tests a difference).
pub const FEW_SAMPLES: usize = 9;
/// A sample shorter than this many steps of the timer is measured no
/// better than one step in this many.
pub const TIMER_STEPS: f64 = 100.0;
/// The first and last thirds of the samples differ by more than this share,
/// and their middle halves do not overlap: the times drifted during the
/// run (the run's as a whole, or one statement's against the rest).
pub const DRIFT: f64 = 0.2;

/// What kind of weakness a warning reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    WideSpread,
    NearBaseline,
    FewSamples,
    Drift,
    TimerStep,
    Unrolled,
}

impl WarningKind {
    /// Its name as serialised: `wide_spread`, `near_baseline`, …
    pub fn slug(self) -> &'static str {
        match self {
            WarningKind::WideSpread => "wide_spread",
            WarningKind::NearBaseline => "near_baseline",
            WarningKind::FewSamples => "few_samples",
            WarningKind::Drift => "drift",
            WarningKind::TimerStep => "timer_step",
            WarningKind::Unrolled => "unrolled",
        }
    }
}

/// One weakness of a measurement, and what to do about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Warning {
    pub kind: WarningKind,
    /// The variant it is about.
    pub variant: String,
    /// What was seen, with the figures.
    pub message: String,
    /// What to do.
    pub advice: String,
}

impl Warning {
    /// Message and advice in one line.
    pub fn text(&self) -> String {
        format!("{} {}", self.message, self.advice)
    }
}

/// The warnings of one comparison's results; `baseline` is the empty
/// statement's raw seconds per loop, when it was measured, `timer_step`
/// the engine's clock step, and `unrolls` each variant's copies per loop
/// iteration (`Series::unroll`); `baseline_samples` are the empty
/// statement's raw samples in the headline's rounds, which show what the
/// whole run did.
pub fn of(
    variants: &[VariantResult],
    baseline: Option<&Summary>,
    baseline_samples: Option<&[f64]>,
    timer_step: Option<f64>,
    unrolls: &[(String, u32)],
) -> Vec<Warning> {
    variants
        .iter()
        .flat_map(|v| {
            let unroll = unrolls
                .iter()
                .find(|(name, _)| *name == v.name)
                .map_or(1, |(_, u)| *u);
            [
                few_samples(v),
                near_baseline(v, baseline),
                unrolled(v, baseline, unroll),
                short_samples(v, timer_step),
                wide_spread(v),
            ]
        })
        .flatten()
        .chain(drift(variants, baseline_samples))
        .collect()
}

fn warning(kind: WarningKind, v: &VariantResult, message: String, advice: &str) -> Warning {
    Warning {
        kind,
        variant: v.name.clone(),
        message,
        advice: advice.to_owned(),
    }
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn few_samples(v: &VariantResult) -> Option<Warning> {
    let count = v.time.count;
    (count < FEW_SAMPLES).then(|| {
        warning(
            WarningKind::FewSamples,
            v,
            format!(
                "{}: only {count} sample{} within the budget, so its interval is loose.",
                v.name,
                if count == 1 { "" } else { "s" }
            ),
            &format!("Raise the budget to get at least {FEW_SAMPLES}."),
        )
    })
}

fn near_baseline(v: &VariantResult, baseline: Option<&Summary>) -> Option<Warning> {
    let empty = baseline?.median;
    (empty > 0.0 && v.time.median < LOOP_SHARE * empty).then(|| {
        warning(
            WarningKind::NearBaseline,
            v,
            format!(
                "{}: its net time ({}) is less than half of one empty loop iteration ({}), so most of what was timed is the loop, and what is left is uncertain.",
                v.name,
                crate::units::duration(v.time.median),
                crate::units::duration(empty)
            ),
            "Make the statement do more work (repeat it, or loop inside it).",
        )
    })
}

/// Why the per-loop time of a fast statement is lower than `timeit`'s on
/// the same interpreter: written out `unroll` times per loop iteration, it
/// carries a share of the loop's cost, which is then taken off, while
/// `timeit`'s per-loop figure is one statement plus one loop iteration.
/// Only where that iteration is a tenth or more of the statement, and not
/// where `near_baseline` already says the loop dominates.
fn unrolled(v: &VariantResult, baseline: Option<&Summary>, unroll: u32) -> Option<Warning> {
    let empty = baseline?.median;
    let net = v.time.median;
    (unroll > 1 && empty > 0.0 && net >= LOOP_SHARE * empty && net < UNROLLED_LOOPS * empty).then(|| {
        warning(
            WarningKind::Unrolled,
            v,
            format!(
                "{}: timed written out {unroll} times per loop iteration (it runs in under {}), so its {} per run leaves out the loop's own cost; timeit, which runs it once per iteration and keeps the loop in, reads about {} ({:.2}×).",
                v.name,
                crate::units::duration(crate::timing_source::UNROLL_BELOW),
                crate::units::duration(net),
                crate::units::duration(net + empty),
                (net + empty) / net
            ),
            "Compare ratios with timeit's, not per-loop times; the copies also run as straight-line code, which can cost a little less (or, for a raise and catch, more) than one run in a loop.",
        )
    })
}

fn short_samples(v: &VariantResult, timer_step: Option<f64>) -> Option<Warning> {
    let step = timer_step.filter(|s| *s > 0.0)?;
    let sample = Summary::of(&v.samples)?.median * v.loops as f64;
    (sample < TIMER_STEPS * step).then(|| {
        warning(
            WarningKind::TimerStep,
            v,
            format!(
                "{}: each sample lasted only {}, {:.0} steps of the {} timer.",
                v.name,
                crate::units::duration(sample),
                sample / step,
                crate::units::duration(step)
            ),
            "Raise the time a sample lasts, or open the full (cross-origin isolated) page for a finer timer.",
        )
    })
}

fn wide_spread(v: &VariantResult) -> Option<Warning> {
    let median = v.time.median;
    let share = v.time.iqr() / median;
    (median > 0.0 && v.time.count >= 4 && share > WIDE_SPREAD).then(|| {
        warning(
            WarningKind::WideSpread,
            v,
            format!(
                "{}: the middle half of its samples spans {} of its median.",
                v.name,
                percent(share)
            ),
            "Close other programs and tabs, or raise the budget for more rounds.",
        )
    })
}

/// How a series' first and last thirds compare, when they are apart by
/// the `DRIFT` rule.
struct Trend {
    /// Median of the first third.
    first: f64,
    /// Median of the last third.
    last: f64,
}

impl Trend {
    /// The thirds' medians if they differ by more than `DRIFT` and their
    /// middle halves do not overlap (an outlier or two, a busy moment, does
    /// not make a drift).
    fn of(xs: &[f64]) -> Option<Trend> {
        if xs.len() < FEW_SAMPLES {
            return None;
        }
        let third = xs.len() / 3;
        let sorted = |xs: &[f64]| {
            let mut s = xs.to_vec();
            s.sort_by(f64::total_cmp);
            s
        };
        let first = sorted(&xs[..third]);
        let last = sorted(&xs[xs.len() - third..]);
        let trend = Trend {
            first: quantile(&first, 0.5),
            last: quantile(&last, 0.5),
        };
        let apart = quantile(&first, 0.75) < quantile(&last, 0.25)
            || quantile(&last, 0.75) < quantile(&first, 0.25);
        (trend.change().abs() > DRIFT && apart).then_some(trend)
    }

    /// Signed change, as a share of the smaller median.
    fn change(&self) -> f64 {
        (self.last - self.first) / self.first.min(self.last)
    }

    /// `+50%`, `−33%`.
    fn signed(&self) -> String {
        let change = self.change();
        format!(
            "{}{}",
            if change > 0.0 { "+" } else { "−" },
            percent(change.abs())
        )
    }

    /// The figures a message quotes.
    fn figures(&self) -> String {
        format!(
            "median of the first third {}, of the last {}, {}",
            crate::units::duration(self.first),
            crate::units::duration(self.last),
            self.signed()
        )
    }
}

/// The run's common speed, round by round: the geometric mean of each
/// series' sample over that series' median, over the first `len` rounds.
/// What every series of the run shares (the engine's code being tiered up,
/// the machine speeding up or slowing down) shows in it; what one
/// statement does on its own is averaged down.
fn common_factor(series: &[&[f64]], len: usize) -> Vec<f64> {
    let medians: Vec<f64> = series
        .iter()
        .map(|s| Summary::of(s).map_or(1.0, |m| m.median))
        .collect();
    (0..len)
        .map(|i| {
            let log_sum: f64 = series
                .iter()
                .zip(&medians)
                .map(|(s, m)| (s[i] / m).ln())
                .sum();
            (log_sum / series.len() as f64).exp()
        })
        .collect()
}

/// Drift left after the warm-up, told by its cause. Each variant's raw
/// samples are held against the rest of the run (the other variants and
/// the empty statement, measured in the same rounds): times that moved
/// together are the run's (the engine or the machine), said once, and
/// leave the ratios standing, since rounds are paired; times that moved
/// against the rest are the statement's own, and moved its ratio.
fn drift(variants: &[VariantResult], baseline: Option<&[f64]>) -> Vec<Warning> {
    let usable = |s: &[f64]| s.len() >= FEW_SAMPLES && s.iter().all(|x| *x > 0.0);
    let mut common: Vec<(&VariantResult, Trend)> = Vec::new();
    let mut warnings = Vec::new();
    for v in variants {
        let Some(raw) = Trend::of(&v.samples) else {
            continue;
        };
        let others: Vec<&[f64]> = variants
            .iter()
            .filter(|o| o.name != v.name)
            .map(|o| o.samples.as_slice())
            .chain(baseline)
            .filter(|s| usable(s))
            .collect();
        if others.is_empty() || !usable(&v.samples) {
            warnings.push(lone_drift(v, &raw));
            continue;
        }
        let len = others
            .iter()
            .map(|s| s.len())
            .min()
            .unwrap_or(0)
            .min(v.samples.len());
        let factor = common_factor(&others, len);
        let own: Vec<f64> = v.samples[..len]
            .iter()
            .zip(&factor)
            .map(|(x, c)| x / c)
            .collect();
        match Trend::of(&own) {
            None => common.push((v, raw)),
            Some(own) => warnings.push(own_drift(v, &raw, &own)),
        }
    }
    warnings.extend(run_drift(&common));
    warnings
}

/// One variant measured alone drifted: nothing to hold it against, so
/// both causes stay open.
fn lone_drift(v: &VariantResult, raw: &Trend) -> Warning {
    let figures = raw.figures();
    if raw.change() < 0.0 {
        warning(
            WarningKind::Drift,
            v,
            format!(
                "{}: its times were still falling after the warm-up ({figures}): the engine still optimising its code (in a browser, V8 goes on for seconds), or the machine speeding up.",
                v.name
            ),
            "Run it again (the page keeps the optimised code) or raise the budget (the warm-up grows with it).",
        )
    } else {
        warning(
            WarningKind::Drift,
            v,
            format!(
                "{}: its times rose during the run ({figures}): the machine slowed down for a while, or the statement got slower from sample to sample (something it uses outlives a sample and grows).",
                v.name
            ),
            "Run it again; if it rises again, check what the statement leaves behind: the setup runs again for every sample, globals and caches do not.",
        )
    }
}

/// A variant whose times moved against the rest of the run's: the cause is
/// in what it runs, and its ratio moved with it.
fn own_drift(v: &VariantResult, raw: &Trend, own: &Trend) -> Warning {
    let figures = format!(
        "{}; against the rest of the run, {}",
        raw.figures(),
        own.signed()
    );
    if own.change() < 0.0 {
        warning(
            WarningKind::Drift,
            v,
            format!(
                "{}: its times fell during the run, apart from the other variants' ({figures}): the code it runs was still being optimised, or its caches and heap were still settling.",
                v.name
            ),
            "Its ratio moved with it: raise the budget (the warm-up grows with it) or run it again (the page keeps the optimised code).",
        )
    } else {
        warning(
            WarningKind::Drift,
            v,
            format!(
                "{}: its times rose during the run, apart from the other variants' ({figures}): the statement itself got slower from sample to sample: something it uses outlives a sample and grows (a global it appends to, a cache, the heap it leaves).",
                v.name
            ),
            "Its ratio moved with it: build what the statement changes in the setup, which runs again for every sample, so that every sample does the same work.",
        )
    }
}

/// Variants whose times moved with the rest of the run: one warning for
/// the run, named after the first of them and quoting each.
fn run_drift(common: &[(&VariantResult, Trend)]) -> Option<Warning> {
    let (first, trend) = common.first()?;
    let each = common
        .iter()
        .map(|(v, t)| format!("{} {}", v.name, t.signed()))
        .collect::<Vec<_>>()
        .join(", ");
    let figures = format!("{each}; {}: {}", first.name, trend.figures());
    Some(if trend.change() < 0.0 {
        warning(
            WarningKind::Drift,
            first,
            format!(
                "The whole run sped up after the warm-up ({figures}): the engine was still optimising its code (in a browser, for many seconds after the page opened), or the machine sped up."
            ),
            "Rounds are paired, so the ratios hold; run it again for steadier per-loop times (the page keeps the optimised code).",
        )
    } else {
        warning(
            WarningKind::Drift,
            first,
            format!(
                "The whole run slowed down ({figures}): the machine was slower for a while (other programs or tabs, power saving or heat; on a virtual machine, its host's other work)."
            ),
            "Rounds are paired, so the ratios hold; run it again for steadier per-loop times.",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::Ratio;

    /// A result whose raw samples are `samples`, net of `offset`.
    fn result(samples: &[f64], offset: f64) -> VariantResult {
        let net: Vec<f64> = samples.iter().map(|x| x - offset).collect();
        VariantResult {
            name: "v".into(),
            n: None,
            loops: 1000,
            time: Summary::of(&net).unwrap(),
            samples: samples.to_vec(),
            ops_per_sec: 1.0,
            ratio: Ratio {
                value: 1.0,
                low: 1.0,
                high: 1.0,
            },
            fastest: true,
            memory: None,
        }
    }

    fn kinds(v: &VariantResult, baseline: Option<&Summary>) -> Vec<WarningKind> {
        of(std::slice::from_ref(v), baseline, None, None, &[])
            .into_iter()
            .map(|w| w.kind)
            .collect()
    }

    #[test]
    fn a_steady_measurement_has_no_warning() {
        let samples: Vec<f64> = (0..20).map(|i| 1.0 + (i % 5) as f64 * 0.01).collect();
        let baseline = Summary::of(&[0.1; 20]).unwrap();
        assert!(kinds(&result(&samples, 0.1), Some(&baseline)).is_empty());
    }

    #[test]
    fn each_weakness_is_named_with_its_figures() {
        let baseline = Summary::of(&[0.8; 20]).unwrap();
        // Mostly loop: 1.0 raw, 0.8 of it the empty statement.
        let near = of(&[result(&[1.0; 20], 0.8)], Some(&baseline), None, None, &[]);
        assert_eq!(near[0].kind, WarningKind::NearBaseline);
        assert!(
            near[0]
                .message
                .contains("(200 ms) is less than half of one empty loop iteration (800 ms)"),
            "{}",
            near[0].message
        );
        // Alternating work: half the samples 1.0, half 2.0.
        let alternating: Vec<f64> = (0..20)
            .map(|i| if i % 2 == 0 { 1.0 } else { 2.0 })
            .collect();
        assert_eq!(
            kinds(&result(&alternating, 0.0), None),
            vec![WarningKind::WideSpread]
        );
        // Five samples.
        assert_eq!(
            kinds(&result(&[1.0; 5], 0.0), None),
            vec![WarningKind::FewSamples]
        );
        // Slower for the second half of the run.
        let drifting: Vec<f64> = (0..21).map(|i| if i < 10 { 1.0 } else { 1.5 }).collect();
        let drift = of(&[result(&drifting, 0.0)], None, None, None, &[]);
        assert_eq!(
            drift.iter().map(|w| w.kind).collect::<Vec<_>>(),
            vec![WarningKind::WideSpread, WarningKind::Drift]
        );
        assert!(
            drift[1].message.contains("rose during the run")
                && drift[1].message.contains("+50%")
                && drift[1].message.contains("or the statement got slower"),
            "{}",
            drift[1].message
        );
        // Faster for the second half, alone: the engine or the machine,
        // and never "run it on a quiet machine".
        let warming: Vec<f64> = (0..21).map(|i| if i < 10 { 1.5 } else { 1.0 }).collect();
        let warming = of(&[result(&warming, 0.0)], None, None, None, &[]);
        assert!(
            warming[1]
                .message
                .contains("still falling after the warm-up")
                && warming[1].message.contains("−50%")
                && !warming[1].advice.contains("quiet machine"),
            "{:?}",
            warming[1]
        );
    }

    /// `count` samples of about `level`, scaled by `speed(i)` in round `i`,
    /// with a little noise that differs between series.
    fn series(name: &str, level: f64, count: usize, speed: impl Fn(usize) -> f64) -> VariantResult {
        let samples: Vec<f64> = (0..count)
            .map(|i| level * speed(i) * (1.0 + ((i * 7 + name.len()) % 5) as f64 * 0.005))
            .collect();
        VariantResult {
            name: name.into(),
            ..result(&samples, 0.0)
        }
    }

    /// The one drift warning of `variants` measured in the same rounds as
    /// the empty statement's `empty`.
    fn only_drift(variants: &[VariantResult], empty: Option<&[f64]>) -> Warning {
        let warnings = of(variants, None, empty, None, &[]);
        let drift: Vec<&Warning> = warnings
            .iter()
            .filter(|w| w.kind == WarningKind::Drift)
            .collect();
        assert_eq!(drift.len(), 1, "{warnings:?}");
        drift[0].clone()
    }

    #[test]
    fn a_whole_run_that_sped_up_is_said_once_and_leaves_the_ratios() {
        // A JIT tiering the engine up: every series, the empty statement
        // too, 1.6 times slower for the first seven rounds.
        let tier_up = |i: usize| if i < 7 { 1.6 } else { 1.0 };
        let a = series("list", 2e-6, 21, tier_up);
        let b = series("set", 1e-7, 21, tier_up);
        let empty: Vec<f64> = (0..21).map(|i| 2e-8 * tier_up(i)).collect();
        let drift = only_drift(&[a, b], Some(&empty));
        assert!(
            drift.message.starts_with("The whole run sped up")
                && drift.message.contains("list −60%, set −60%")
                && drift.advice.contains("the ratios hold")
                && !drift.advice.contains("quiet machine"),
            "{:?}",
            drift
        );
        // The machine slowing down for the last rounds reads as the run's,
        // not as either statement's.
        let slower = |i: usize| if i < 14 { 1.0 } else { 1.5 };
        let drift = only_drift(
            &[series("a", 1e-6, 21, slower), series("b", 3e-6, 21, slower)],
            None,
        );
        assert!(
            drift.message.starts_with("The whole run slowed down")
                && drift.message.contains("the machine was slower"),
            "{}",
            drift.message
        );
    }

    #[test]
    fn one_statement_that_drifts_against_the_rest_is_its_own() {
        // `grows` gets slower round by round (a global list it appends to), while
        // `steady` and the empty statement stay put.
        let grows = series("grows", 1e-6, 21, |i| 1.0 + i as f64 * 0.05);
        let steady = series("steady", 1e-6, 21, |_| 1.0);
        let empty = [2e-8; 21];
        let drift = only_drift(&[grows, steady], Some(&empty));
        assert_eq!(drift.variant, "grows");
        assert!(
            drift.message.contains("apart from the other variants'")
                && drift.message.contains("got slower from sample to sample")
                && drift.advice.contains("Its ratio moved with it"),
            "{}",
            drift.message
        );
        // One still being optimised after the warm-up while the rest stood.
        let warming = series("warming", 1e-6, 21, |i| if i < 7 { 1.5 } else { 1.0 });
        let steady = series("steady", 1e-6, 21, |_| 1.0);
        let drift = only_drift(&[warming, steady], Some(&empty));
        assert!(
            drift
                .message
                .contains("its times fell during the run, apart")
                && drift.message.contains("still being optimised"),
            "{}",
            drift.message
        );
    }

    #[test]
    fn a_shorter_series_is_held_against_the_rounds_it_shares() {
        // The budget ran out before `b`'s last rounds: the factor covers the
        // rounds both have, and a common step still reads as the run's.
        let step = |i: usize| if i < 6 { 1.4 } else { 1.0 };
        let drift = only_drift(
            &[series("a", 1e-6, 20, step), series("b", 2e-6, 18, step)],
            None,
        );
        assert!(drift.message.starts_with("The whole run sped up"));
    }

    #[test]
    fn samples_of_few_timer_steps_are_named() {
        // 1000 loops of 20 µs: 20 ms a sample, 200 steps of a 100 µs timer.
        let long = result(&[2e-5; 20], 0.0);
        assert!(of(std::slice::from_ref(&long), None, None, Some(1e-4), &[]).is_empty());
        // 1000 loops of 2 µs: 2 ms a sample, 20 steps.
        let short = of(&[result(&[2e-6; 20], 0.0)], None, None, Some(1e-4), &[]);
        assert_eq!(short[0].kind, WarningKind::TimerStep);
        assert!(
            short[0]
                .message
                .contains("only 2.00 ms, 20 steps of the 100 µs timer"),
            "{}",
            short[0].message
        );
    }

    #[test]
    fn noise_that_overlaps_is_not_drift() {
        // Thirds of four: medians 1.2 and 1.5 (+25%), middle halves overlapping.
        let samples = vec![1.0, 1.0, 1.4, 1.5, 1.2, 1.3, 1.2, 1.3, 1.1, 1.5, 1.5, 1.6];
        assert!(!kinds(&result(&samples, 0.0), None).contains(&WarningKind::Drift));
    }

    #[test]
    fn an_unrolled_statement_near_the_loop_says_what_timeit_reads() {
        // 86 ns net a run, the empty loop 16 ns an iteration: timeit reads
        // about 102 ns.
        let baseline = Summary::of(&[16e-9; 20]).unwrap();
        let fast = result(&[86e-9 + 0.8e-9; 20], 0.8e-9);
        let unrolled = [("v".to_owned(), 20)];
        let notes = of(
            std::slice::from_ref(&fast),
            Some(&baseline),
            None,
            None,
            &unrolled,
        );
        assert_eq!(
            notes.iter().map(|w| w.kind).collect::<Vec<_>>(),
            vec![WarningKind::Unrolled]
        );
        assert!(
            notes[0].message.contains("written out 20 times")
                && notes[0].message.contains("about 102 ns (1.19×)"),
            "{}",
            notes[0].message
        );
        // Timed once per iteration, or far above the loop: no note.
        assert!(
            of(
                std::slice::from_ref(&fast),
                Some(&baseline),
                None,
                None,
                &[]
            )
            .is_empty()
        );
        let slow = result(&[2e-6; 20], 0.0);
        assert!(of(&[slow], Some(&baseline), None, None, &unrolled).is_empty());
    }
}
