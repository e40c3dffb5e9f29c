//! Scales and ticks for the charts: linear and logarithmic mappings from data
//! to pixels, with tick values a reader can read at a glance (1, 2, 5 × 10ᵏ).

/// A mapping from a data interval onto a pixel interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub domain: (f64, f64),
    pub range: (f64, f64),
    pub log: bool,
}

impl Scale {
    pub fn linear(domain: (f64, f64), range: (f64, f64)) -> Scale {
        let domain = if domain.1 > domain.0 {
            domain
        } else {
            (domain.0, domain.0 + 1.0)
        };
        Scale {
            domain,
            range,
            log: false,
        }
    }

    /// A base-10 logarithmic scale; the domain is widened to whole decades
    /// so the ends carry labels.
    pub fn log10(domain: (f64, f64), range: (f64, f64)) -> Scale {
        let low = domain.0.max(f64::MIN_POSITIVE).log10().floor();
        let mut high = domain.1.max(f64::MIN_POSITIVE).log10().ceil();
        if high <= low {
            high = low + 1.0;
        }
        Scale {
            domain: (10f64.powf(low), 10f64.powf(high)),
            range,
            log: true,
        }
    }

    /// The pixel position of `value`.
    pub fn at(&self, value: f64) -> f64 {
        let (d0, d1) = self.domain;
        let t = if self.log {
            (value.max(f64::MIN_POSITIVE).log10() - d0.log10()) / (d1.log10() - d0.log10())
        } else {
            (value - d0) / (d1 - d0)
        };
        self.range.0 + t * (self.range.1 - self.range.0)
    }

    /// Tick values: every decade on a log scale, a 1/2/5 step otherwise.
    pub fn ticks(&self, wanted: usize) -> Vec<f64> {
        let (d0, d1) = self.domain;
        if self.log {
            let mut ticks = Vec::new();
            let mut exponent = d0.log10().round() as i32;
            while 10f64.powi(exponent) <= d1 * 1.000_001 {
                ticks.push(10f64.powi(exponent));
                exponent += 1;
            }
            return ticks;
        }
        let step = nice_step((d1 - d0) / wanted.max(1) as f64);
        let mut ticks = Vec::new();
        let mut tick = (d0 / step).ceil() * step;
        while tick <= d1 + step * 1e-9 {
            ticks.push(if tick.abs() < step * 1e-9 { 0.0 } else { tick });
            tick += step;
        }
        ticks
    }
}

/// The smallest of 1, 2, 5 × 10ᵏ at least `raw`.
pub fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let power = 10f64.powf(raw.log10().floor());
    for factor in [1.0, 2.0, 5.0, 10.0] {
        if factor * power >= raw * 0.999_999 {
            return factor * power;
        }
    }
    10.0 * power
}

/// The upper end of a linear axis starting at zero that holds `max`.
pub fn nice_max(max: f64) -> f64 {
    if !(max.is_finite() && max > 0.0) {
        return 1.0;
    }
    let step = nice_step(max / 4.0);
    (max / step).ceil() * step
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_ticks_are_round_numbers() {
        let scale = Scale::linear((0.0, nice_max(173.0)), (0.0, 100.0));
        assert_eq!(scale.domain.1, 200.0);
        assert_eq!(scale.ticks(4), vec![0.0, 50.0, 100.0, 150.0, 200.0]);
        assert_eq!(scale.at(100.0), 50.0);
    }

    #[test]
    fn log_scale_spans_whole_decades() {
        let scale = Scale::log10((3e-8, 2e-5), (0.0, 300.0));
        assert_eq!(scale.ticks(0).len(), 5, "1e-8 to 1e-4");
        assert!((scale.at(1e-6) - 150.0).abs() < 1e-9);
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(0.3), 0.5);
        assert_eq!(nice_step(7.0), 10.0);
        assert_eq!(nice_step(1.0), 1.0);
    }
}
