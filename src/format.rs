//! Human-readable figures: durations with units chosen per value, ratios,
//! rates and byte counts, so every pane speaks the same units.

pub use pyrace_model::units::{bytes, scaled, three_digits};

/// Seconds as a short duration with three significant digits: `165 µs`, `94.5 ns`.
pub fn duration(seconds: f64) -> String {
    if seconds == 0.0 {
        return "0".to_owned();
    }
    pyrace_model::units::duration(seconds)
}

/// A ratio to the fastest variant: `fastest`, `1.04× slower`, `1846× slower`.
pub fn ratio(value: f64, fastest: bool) -> String {
    if fastest {
        "fastest".to_owned()
    } else {
        format!("{}× slower", three_digits(value))
    }
}

/// The interval of a ratio: `[1425–1952×]`.
pub fn ratio_interval(low: f64, high: f64) -> String {
    format!("[{}–{}×]", three_digits(low), three_digits(high))
}

/// Operations per second with an SI prefix: `10.6 M/s`.
pub fn rate(ops_per_sec: f64) -> String {
    if !ops_per_sec.is_finite() || ops_per_sec <= 0.0 {
        return "–".to_owned();
    }
    let (value, prefix) = if ops_per_sec >= 1e9 {
        (ops_per_sec / 1e9, "G")
    } else if ops_per_sec >= 1e6 {
        (ops_per_sec / 1e6, "M")
    } else if ops_per_sec >= 1e3 {
        (ops_per_sec / 1e3, "k")
    } else {
        (ops_per_sec, "")
    };
    format!("{} {prefix}/s", three_digits(value))
}

/// A size of `n` as written in code: `100000` → `100k`, `1000000` → `1M`.
pub fn size(n: u64) -> String {
    if n >= 1_000_000 && n.is_multiple_of(1_000_000) {
        format!("{}M", n / 1_000_000)
    } else if n >= 1_000 && n.is_multiple_of(1_000) {
        format!("{}k", n / 1_000)
    } else {
        n.to_string()
    }
}

/// Removes ANSI colour codes, which the engine's tracebacks may carry.
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_pick_a_unit_per_value() {
        assert_eq!(duration(165e-6), "165 µs");
        assert_eq!(duration(94.5e-9), "94.5 ns");
        assert_eq!(duration(1.5), "1.50 s");
        assert_eq!(duration(0.0123), "12.3 ms");
    }

    #[test]
    fn ratios_read_as_slower() {
        assert_eq!(ratio(3.2, false), "3.20× slower");
        assert_eq!(ratio(1.0, true), "fastest");
        assert_eq!(ratio_interval(1425.0, 1952.0), "[1425–1952×]");
    }

    #[test]
    fn sizes_and_rates_are_short() {
        assert_eq!(size(100_000), "100k");
        assert_eq!(size(1_000_000), "1M");
        assert_eq!(size(150), "150");
        assert_eq!(rate(1.058e7), "10.6 M/s");
        assert_eq!(bytes(12_345_678.0), "12.3 MB");
    }

    #[test]
    fn ansi_codes_are_removed() {
        assert_eq!(strip_ansi("\u{1b}[31mKeyError\u{1b}[0m: 3"), "KeyError: 3");
    }
}
