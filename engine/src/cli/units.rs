//! Human units for times and ratios.

/// `seconds` with three significant digits in the unit that suits it.
pub fn time(seconds: f64) -> String {
    if !seconds.is_finite() {
        return "–".into();
    }
    let (value, unit) = scale(seconds);
    format!("{} {unit}", sig3(value))
}

/// `seconds` in the unit chosen for `like` (so a ± spread reads in the same unit).
pub fn time_in_unit_of(seconds: f64, like: f64) -> String {
    let (_, unit) = scale(like);
    let factor = match unit {
        "s" => 1.0,
        "ms" => 1e3,
        "µs" => 1e6,
        _ => 1e9,
    };
    format!("{} {unit}", sig3(seconds * factor))
}

fn scale(seconds: f64) -> (f64, &'static str) {
    let a = seconds.abs();
    if a >= 1.0 {
        (seconds, "s")
    } else if a >= 1e-3 {
        (seconds * 1e3, "ms")
    } else if a >= 1e-6 {
        (seconds * 1e6, "µs")
    } else {
        (seconds * 1e9, "ns")
    }
}

fn sig3(v: f64) -> String {
    let a = v.abs();
    if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// A ratio to the fastest, e.g. `3.2× slower`.
pub fn ratio(r: f64) -> String {
    if !r.is_finite() {
        "–".into()
    } else if r >= 100.0 {
        format!("{r:.0}×")
    } else if r >= 10.0 {
        format!("{r:.1}×")
    } else {
        format!("{r:.2}×")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_units() {
        assert_eq!(time(1.5), "1.50 s");
        assert_eq!(time(0.0123), "12.3 ms");
        assert_eq!(time(4.56e-5), "45.6 µs");
        assert_eq!(time(3.2e-8), "32.0 ns");
        assert_eq!(time_in_unit_of(1e-9, 3.2e-8), "1.00 ns");
        assert_eq!(ratio(3.21), "3.21×");
        assert_eq!(ratio(1234.0), "1234×");
    }
}
