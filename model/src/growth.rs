//! How time grows with `n`: a log-log slope and a big-O label chosen by
//! fitting each candidate curve to the measured times.

use serde::{Deserialize, Serialize};

/// The growth classes pyrace can name.
/// Ordered from simplest to most complex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum GrowthClass {
    #[serde(rename = "O(1)")]
    Constant,
    #[serde(rename = "O(log n)")]
    Logarithmic,
    #[serde(rename = "O(n)")]
    Linear,
    #[serde(rename = "O(n log n)")]
    Linearithmic,
    #[serde(rename = "O(n²)")]
    Quadratic,
}

impl GrowthClass {
    /// From simplest to most complex: a more complex curve must fit clearly
    /// better than every simpler one to be chosen.
    pub const ALL: [GrowthClass; 5] = [
        GrowthClass::Constant,
        GrowthClass::Logarithmic,
        GrowthClass::Linear,
        GrowthClass::Linearithmic,
        GrowthClass::Quadratic,
    ];

    pub fn label(self) -> &'static str {
        match self {
            GrowthClass::Constant => "O(1)",
            GrowthClass::Logarithmic => "O(log n)",
            GrowthClass::Linear => "O(n)",
            GrowthClass::Linearithmic => "O(n log n)",
            GrowthClass::Quadratic => "O(n²)",
        }
    }

    /// Parses a label as written in lessons and on the command line.
    pub fn parse(text: &str) -> Option<GrowthClass> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        Some(match t.as_str() {
            "O(1)" => GrowthClass::Constant,
            "O(logn)" => GrowthClass::Logarithmic,
            "O(n)" => GrowthClass::Linear,
            "O(nlogn)" => GrowthClass::Linearithmic,
            "O(n²)" | "O(n^2)" | "O(n**2)" => GrowthClass::Quadratic,
            _ => return None,
        })
    }

    /// The log-log slope this curve has over the sizes a sweep measures
    /// (`ln n` and `n ln n` bend it a little; these are mid-range values).
    fn typical_exponent(self) -> f64 {
        match self {
            GrowthClass::Constant => 0.0,
            GrowthClass::Logarithmic => 0.1,
            GrowthClass::Linear => 1.0,
            GrowthClass::Linearithmic => 1.1,
            GrowthClass::Quadratic => 2.0,
        }
    }

    fn shape(self, n: f64) -> f64 {
        match self {
            GrowthClass::Constant => 1.0,
            GrowthClass::Logarithmic => n.ln(),
            GrowthClass::Linear => n,
            GrowthClass::Linearithmic => n * n.ln(),
            GrowthClass::Quadratic => n * n,
        }
    }
}

impl std::fmt::Display for GrowthClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// The fitted growth of one variant.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Growth {
    /// The curve the times follow, or `None` when no curve describes them
    /// clearly ("no clear label": read the exponent instead).
    pub class: Option<GrowthClass>,
    /// Slope of log(time) against log(n) over the larger half of the sizes,
    /// where fixed per-call costs matter least.
    pub exponent: f64,
    /// Root-mean-square relative error of the chosen curve (of the best
    /// candidate when there is no clear label).
    pub fit_error: f64,
    /// The candidate that fitted next best, and its error: how sure the
    /// label is (a runner-up whose error is close to `fit_error` means the
    /// two curves were hard to tell apart).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runner_up: Option<CurveFit>,
}

/// One candidate curve and how well it fitted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CurveFit {
    pub class: GrowthClass,
    /// Root-mean-square relative error of `a + b·curve(n)` against the times.
    pub error: f64,
}

impl Growth {
    /// The label as a reader sees it: `O(n)`, or `no clear label (n^1.42)`.
    pub fn label(&self) -> String {
        match self.class {
            Some(class) => class.label().to_owned(),
            None => format!("no clear label (n^{:.2})", self.exponent),
        }
    }

    /// How sure the label is, in words: the chosen curve's error and the
    /// runner-up's, e.g. `fit error 2.1%, next O(n log n) 9.8%`.
    pub fn fit_quality(&self) -> String {
        let mut text = format!("fit error {:.1}%", self.fit_error * 100.0);
        if let Some(next) = self.runner_up {
            text.push_str(&format!(", next {} {:.1}%", next.class, next.error * 100.0));
        }
        text
    }

    /// Label, exponent and fit quality in one line, as tables print them:
    /// `O(n) (exponent 1.02; fit error 2.1%, next O(n log n) 9.8%)`.
    pub fn summary(&self) -> String {
        let label = match self.class {
            Some(class) => class.label(),
            None => "no clear label",
        };
        format!(
            "{label} (exponent {:.2}; {})",
            self.exponent,
            self.fit_quality()
        )
    }
}

/// Below this difference of relative error, a growing curve fitted to a
/// flat series is the flat line again (its fitted growth term is nil).
const FLAT_TIE: f64 = 1e-3;
/// A simpler curve is kept unless a more complex one cuts the relative
/// error by this factor…
const BETTER_BY: f64 = 0.6;
/// …and the simpler one misses by more than this (relative RMS).
const GOOD_ENOUGH: f64 = 0.04;
/// A curve whose own log-log slope is further than this from the measured
/// one is not a candidate: `a + b·n` can bend to fit one slow size (a set
/// that outgrows a cache) while time barely grows, and that is not O(n).
const SLOPE_TOLERANCE: f64 = 0.5;
/// A curve that grows is a candidate only if the times do: the largest
/// third of the sizes must take this much longer than the smallest third.
/// A lookup that steps up once, where its table outgrows a cache, is
/// closer to `a + b·log n` than to a flat line, but it is not O(log n);
/// real logarithmic growth over the sizes a sweep spans (a hundredfold or
/// more) rises well past this even behind an interpreter's per-call cost.
const MIN_RISE: f64 = 1.25;
/// A chosen curve that still misses the times by more than this (relative
/// RMS) does not describe them: the sweep gets no clear label.
const POOR_FIT: f64 = 0.5;
/// How far short of `n log n`'s own log-log slope (over the same sizes) the
/// measured slope may fall for O(n log n) to be chosen over O(n).
const LOG_FACTOR_MARGIN: f64 = 0.02;

/// Fits growth to `(n, seconds)` points. Needs three distinct sizes.
///
/// The rule, from simplest curve to most complex (O(1), O(log n), O(n),
/// O(n log n), O(n²)):
///
/// 1. Each curve is fitted as `a + b·curve(n)` (a fixed cost plus the
///    growing part), by weighted least squares on relative error.
/// 2. A more complex curve replaces a simpler one only if it cuts the error
///    clearly (to `BETTER_BY` of it, and only when the simpler one misses
///    by more than `GOOD_ENOUGH`), if the times rise at all (`MIN_RISE`),
///    and if its slope is near the measured one (`SLOPE_TOLERANCE`).
/// 3. An extra log factor must show in the slope: O(n log n) replaces O(n)
///    only if the measured log-log slope over the larger sizes reaches the
///    slope `n log n` itself has there (less `LOG_FACTOR_MARGIN`; 1.125
///    over 1 000…10 000). Over three decades `n log n` bends only a little
///    (its slope is 1.1–1.2), so a scan whose cost per element rises as the
///    list outgrows a cache (measured: slope 1.09) fits it better than it
///    fits `n`; its slope still falls short of a real log factor's.
/// 4. A chosen curve that still misses by more than `POOR_FIT` gets no
///    clear label; the exponent then says what the times do.
pub fn fit(points: &[(u64, f64)]) -> Option<Growth> {
    let u = Usable::of(points)?;
    let class = choose(&u.pts, &u.sizes, u.exponent);
    Some(growth_as(&u.pts, u.exponent, class))
}

/// The growth of `points` read as the flat line, O(1), with its slope and
/// fit errors as measured: for figures another rule found flat (peaks of
/// memory a few bytes apart, which a relative fit would read as growing).
/// Needs three distinct sizes, as `fit` does.
pub fn fit_flat(points: &[(u64, f64)]) -> Option<Growth> {
    let u = Usable::of(points)?;
    Some(growth_as(&u.pts, u.exponent, GrowthClass::Constant))
}

/// The points a fit can use (positive, finite), their distinct sizes and
/// the slope over the larger ones.
struct Usable {
    pts: Vec<(f64, f64)>,
    sizes: Vec<f64>,
    exponent: f64,
}

impl Usable {
    /// `None` under three sizes.
    fn of(points: &[(u64, f64)]) -> Option<Usable> {
        let pts: Vec<(f64, f64)> = points
            .iter()
            .filter(|(n, t)| *n >= 1 && t.is_finite() && *t > 0.0)
            .map(|&(n, t)| (n as f64, t))
            .collect();
        let sizes = distinct_sizes(&pts);
        if sizes.len() < 3 {
            return None;
        }
        let exponent = upper_slope(&pts, &sizes);
        Some(Usable {
            pts,
            sizes,
            exponent,
        })
    }
}

/// `pts` fitted with `class`, and the curve that fitted next best.
fn growth_as(pts: &[(f64, f64)], exponent: f64, class: GrowthClass) -> Growth {
    let error = fit_error(pts, class);
    let runner_up = GrowthClass::ALL
        .iter()
        .filter(|c| **c != class)
        .map(|&c| CurveFit {
            class: c,
            error: fit_error(pts, c),
        })
        .min_by(|a, b| a.error.total_cmp(&b.error))
        // A flat series is fitted as well by every `a + b·curve` with b = 0:
        // such a "next curve" is the same flat line, not an alternative. A
        // curve that fits clearly better than a flat line read as flat by
        // another rule (`fit_flat`) is one, and is named.
        .filter(|next| {
            class != GrowthClass::Constant
                || error > POOR_FIT
                || (next.error - error).abs() > FLAT_TIE
        });
    Growth {
        class: (error <= POOR_FIT).then_some(class),
        exponent,
        fit_error: error,
        runner_up,
    }
}

/// The sizes of `pts`, ascending, each once.
fn distinct_sizes(pts: &[(f64, f64)]) -> Vec<f64> {
    let mut sizes: Vec<f64> = pts.iter().map(|p| p.0).collect();
    sizes.sort_by(f64::total_cmp);
    sizes.dedup();
    sizes
}

/// Steps 1–3 of the rule.
fn choose(pts: &[(f64, f64)], sizes: &[f64], exponent: f64) -> GrowthClass {
    let grows = rise(pts, sizes) >= MIN_RISE;
    let log_factor_shows = {
        let curve: Vec<(f64, f64)> = sizes
            .iter()
            .map(|&n| (n, GrowthClass::Linearithmic.shape(n)))
            .collect();
        exponent >= upper_slope(&curve, sizes) - LOG_FACTOR_MARGIN
    };
    let mut best = (GrowthClass::Constant, fit_error(pts, GrowthClass::Constant));
    for class in &GrowthClass::ALL[1..] {
        if !grows || (class.typical_exponent() - exponent).abs() > SLOPE_TOLERANCE {
            continue;
        }
        if *class == GrowthClass::Linearithmic && best.0 == GrowthClass::Linear && !log_factor_shows
        {
            continue;
        }
        let err = fit_error(pts, *class);
        if err < best.1 * BETTER_BY && best.1 > GOOD_ENOUGH {
            best = (*class, err);
        }
    }
    best.0
}

/// Relative RMS error of the best fit `t ≈ a + b·shape(n)` with a, b ≥ 0,
/// weighted by 1/t² so every size counts alike whatever its magnitude.
fn fit_error(pts: &[(f64, f64)], class: GrowthClass) -> f64 {
    let rms = |a: f64, b: f64| {
        let sum: f64 = pts
            .iter()
            .map(|&(n, t)| ((a + b * class.shape(n) - t) / t).powi(2))
            .sum();
        (sum / pts.len() as f64).sqrt()
    };
    // Weighted least squares for one coefficient: t ≈ c·g(n).
    let single = |g: &dyn Fn(f64) -> f64| {
        let num: f64 = pts.iter().map(|&(n, t)| g(n) / t).sum();
        let den: f64 = pts.iter().map(|&(n, t)| (g(n) / t).powi(2)).sum();
        num / den
    };
    if class == GrowthClass::Constant {
        return rms(single(&|_| 1.0), 0.0);
    }
    // Two coefficients: solve the 2×2 normal equations with weights 1/t².
    let (mut s11, mut s12, mut s22, mut r1, mut r2) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &(n, t) in pts {
        let (x1, x2, w) = (1.0, class.shape(n), 1.0 / (t * t));
        s11 += w * x1 * x1;
        s12 += w * x1 * x2;
        s22 += w * x2 * x2;
        r1 += w * x1 * t;
        r2 += w * x2 * t;
    }
    let det = s11 * s22 - s12 * s12;
    let (a, b) = if det.abs() > f64::EPSILON * s11 * s22 {
        ((r1 * s22 - r2 * s12) / det, (s11 * r2 - s12 * r1) / det)
    } else {
        (-1.0, -1.0)
    };
    if a >= 0.0 && b >= 0.0 {
        rms(a, b)
    } else {
        // The unconstrained optimum leaves the feasible region: the best
        // constrained fit lies on an edge (a = 0 or b = 0).
        let only_b = single(&|n| class.shape(n)).max(0.0);
        let only_a = single(&|_| 1.0).max(0.0);
        rms(0.0, only_b).min(rms(only_a, 0.0))
    }
}

/// Mean time of the largest third of the sizes over that of the smallest third.
fn rise(pts: &[(f64, f64)], sizes: &[f64]) -> f64 {
    let third = sizes.len().div_ceil(3);
    let mean_over = |keep: &dyn Fn(f64) -> bool| {
        let times: Vec<f64> = pts.iter().filter(|p| keep(p.0)).map(|p| p.1).collect();
        times.iter().sum::<f64>() / times.len() as f64
    };
    let (small, large) = (sizes[third - 1], sizes[sizes.len() - third]);
    mean_over(&|n| n >= large) / mean_over(&|n| n <= small)
}

/// Least-squares slope of ln t against ln n over the sizes at or above the median size.
fn upper_slope(pts: &[(f64, f64)], sizes: &[f64]) -> f64 {
    let cut = sizes[(sizes.len() - 1) / 2];
    let upper: Vec<(f64, f64)> = pts
        .iter()
        .filter(|p| p.0 >= cut)
        .map(|&(n, t)| (n.ln(), t.ln()))
        .collect();
    let k = upper.len() as f64;
    let mx = upper.iter().map(|p| p.0).sum::<f64>() / k;
    let my = upper.iter().map(|p| p.1).sum::<f64>() / k;
    let sxy: f64 = upper.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = upper.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if sxx > 0.0 { sxy / sxx } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Curve = Box<dyn Fn(f64) -> f64>;

    const SIZES: [u64; 5] = [10, 100, 1_000, 10_000, 100_000];

    fn curve(f: impl Fn(f64) -> f64) -> Vec<(u64, f64)> {
        // ±3% alternating noise, as real timings have.
        SIZES
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let noise = if i % 2 == 0 { 1.03 } else { 0.97 };
                (n, f(n as f64) * noise)
            })
            .collect()
    }

    #[test]
    fn labels_each_class_even_with_a_fixed_overhead() {
        let overhead = 50e-9;
        let cases: [(GrowthClass, Curve); 5] = [
            (GrowthClass::Constant, Box::new(|_| 40e-9)),
            (GrowthClass::Logarithmic, Box::new(|n: f64| 30e-9 * n.ln())),
            (GrowthClass::Linear, Box::new(|n| 2e-9 * n)),
            (
                GrowthClass::Linearithmic,
                Box::new(|n: f64| 3e-9 * n * n.ln()),
            ),
            (GrowthClass::Quadratic, Box::new(|n| 1e-10 * n * n)),
        ];
        for (class, f) in cases {
            let g = fit(&curve(|n| overhead + f(n))).unwrap();
            assert_eq!(g.class, Some(class), "{g:?}");
        }
    }

    #[test]
    fn exponent_is_the_upper_log_log_slope() {
        let g = fit(&curve(|n| 1e-9 * n)).unwrap();
        assert!((g.exponent - 1.0).abs() < 0.05, "{g:?}");
        let g = fit(&curve(|n| 1e-12 * n * n)).unwrap();
        assert!((g.exponent - 2.0).abs() < 0.05, "{g:?}");
    }

    #[test]
    fn a_flat_curve_with_one_slow_size_stays_constant() {
        // Measured: a set lookup over n = 100…100 000, slower only at the
        // largest size, where the set outgrows a cache.
        let points = [
            (100, 6.11e-8),
            (316, 5.97e-8),
            (1000, 6.04e-8),
            (3162, 6.82e-8),
            (10_000, 6.75e-8),
            (31_623, 6.48e-8),
            (100_000, 8.54e-8),
        ];
        let growth = fit(&points).unwrap();
        assert_eq!(growth.class, Some(GrowthClass::Constant), "{growth:?}");
    }

    #[test]
    fn a_flat_curve_that_steps_up_once_is_not_logarithmic() {
        // Measured: a set lookup over n = 100…100 000 that steps up by a
        // tenth at n = 3162 and stays there (`a + b·log n` fits it better
        // than a flat line does).
        let points = [
            (100, 6.134e-8),
            (316, 6.075e-8),
            (1000, 6.120e-8),
            (3162, 6.792e-8),
            (10_000, 6.574e-8),
            (31_623, 6.704e-8),
            (100_000, 6.921e-8),
        ];
        let growth = fit(&points).unwrap();
        assert_eq!(growth.class, Some(GrowthClass::Constant), "{growth:?}");
    }

    #[test]
    fn a_binary_search_behind_a_per_call_cost_is_logarithmic() {
        // 200 ns per call plus 20 ns per halving: 1.6× over n = 100…100 000.
        let points: Vec<(u64, f64)> = [100u64, 316, 1000, 3162, 10_000, 31_623, 100_000]
            .iter()
            .map(|&n| (n, 200e-9 + 20e-9 * (n as f64).log2()))
            .collect();
        let growth = fit(&points).unwrap();
        assert_eq!(growth.class, Some(GrowthClass::Logarithmic), "{growth:?}");
    }

    #[test]
    fn a_scan_that_slows_per_element_past_a_cache_stays_linear() {
        // 15 ns per element, a tenth more at n=1000 and 60% more at
        // n=10 000, where the list outgrows a cache: `n log n` fits these
        // four points better than `n` does, but only because of that size.
        let points = [
            (10, 40e-9 + 150e-9),
            (100, 40e-9 + 1.5e-6),
            (1000, 40e-9 + 16.5e-6),
            (10_000, 40e-9 + 240e-6),
        ];
        let growth = fit(&points).unwrap();
        assert_eq!(growth.class, Some(GrowthClass::Linear), "{growth:?}");
    }

    #[test]
    fn sorting_behind_a_per_call_cost_is_linearithmic() {
        // 400 ns per call plus 8 ns per comparison, n·log2(n) of them.
        let points: Vec<(u64, f64)> = [10u64, 100, 1000, 10_000]
            .iter()
            .map(|&n| (n, 400e-9 + 8e-9 * n as f64 * (n as f64).log2()))
            .collect();
        let growth = fit(&points).unwrap();
        assert_eq!(growth.class, Some(GrowthClass::Linearithmic), "{growth:?}");
    }

    #[test]
    fn times_between_two_curves_get_no_clear_label() {
        // n^1.5 over four decades: neither n log n nor n² describes it.
        let points: Vec<(u64, f64)> = [10u64, 100, 1000, 10_000, 100_000]
            .iter()
            .map(|&n| (n, 1e-9 * (n as f64).powf(1.5)))
            .collect();
        let growth = fit(&points).unwrap();
        assert_eq!(growth.class, None, "{growth:?}");
        assert!((growth.exponent - 1.5).abs() < 0.01, "{growth:?}");
        assert_eq!(growth.label(), "no clear label (n^1.50)");
        assert!(growth.runner_up.is_some());
    }

    #[test]
    fn a_flat_series_names_no_next_curve() {
        // A generator's peak memory: the same bytes at every size.
        let points: Vec<(u64, f64)> = [1000u64, 10_000, 100_000]
            .iter()
            .map(|&n| (n, 1010.0))
            .collect();
        let growth = fit(&points).unwrap();
        assert_eq!(growth.class, Some(GrowthClass::Constant));
        assert_eq!(growth.runner_up, None, "{growth:?}");
        assert_eq!(growth.fit_quality(), "fit error 0.0%");
    }

    #[test]
    fn the_runner_up_is_the_next_best_curve() {
        let growth = fit(&curve(|n| 2e-9 * n)).unwrap();
        assert_eq!(growth.class, Some(GrowthClass::Linear));
        let next = growth.runner_up.unwrap();
        assert_ne!(next.class, GrowthClass::Linear);
        assert!(next.error > growth.fit_error, "{growth:?}");
        assert!(
            growth.fit_quality().starts_with("fit error "),
            "{}",
            growth.fit_quality()
        );
    }

    #[test]
    fn needs_three_sizes() {
        assert!(fit(&[(10, 1.0), (100, 2.0)]).is_none());
        assert!(fit(&[(10, 1.0), (10, 1.1), (100, 2.0)]).is_none());
    }

    #[test]
    fn labels_round_trip() {
        for c in GrowthClass::ALL {
            assert_eq!(GrowthClass::parse(c.label()), Some(c));
        }
        assert_eq!(
            GrowthClass::parse("O(n log n)"),
            Some(GrowthClass::Linearithmic)
        );
        assert_eq!(GrowthClass::parse("O(n^2)"), Some(GrowthClass::Quadratic));
        assert_eq!(GrowthClass::parse("O(2^n)"), None);
    }
}
