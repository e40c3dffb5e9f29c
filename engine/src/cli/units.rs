//! Human units for times, ratios and memory.

use pyrace_model::StatementMemory;
use pyrace_model::units::{bytes, duration, scaled, three_digits};

/// `seconds` with three significant digits in the unit that suits it.
pub fn time(seconds: f64) -> String {
    duration(seconds)
}

/// `seconds` in the unit chosen for `like` (so a ± spread reads in the same unit).
pub fn time_in_unit_of(seconds: f64, like: f64) -> String {
    let (_, unit) = scaled(like);
    let factor = match unit {
        "s" => 1.0,
        "ms" => 1e3,
        "µs" => 1e6,
        _ => 1e9,
    };
    format!("{} {unit}", three_digits(seconds * factor))
}

/// A ratio to the fastest, e.g. `3.2× slower`.
pub fn ratio(r: f64) -> String {
    if r.is_finite() {
        format!("{}×", three_digits(r))
    } else {
        "–".into()
    }
}

/// A statement's peak memory, or `–` where it was not measured.
pub fn peak(memory: Option<&StatementMemory>) -> String {
    memory.map_or("–".into(), |m| bytes(m.peak_bytes as f64))
}

/// What a statement allocates per execution, or `–` where the engine keeps
/// no total (`tracemalloc`) or memory was not measured.
pub fn allocated_per_loop(memory: Option<&StatementMemory>) -> String {
    memory
        .and_then(|m| m.allocated_bytes_per_loop)
        .map_or("–".into(), bytes)
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
