//! Human units for durations, byte counts and large ratios, shared by the
//! CLI's tables, the model's sentences, the app's panes and the lessons so
//! all speak the same numbers.

/// The value and unit a duration of `seconds` reads best in: s, ms, µs or ns.
pub fn scaled(seconds: f64) -> (f64, &'static str) {
    let magnitude = seconds.abs();
    if magnitude >= 1.0 {
        (seconds, "s")
    } else if magnitude >= 1e-3 {
        (seconds * 1e3, "ms")
    } else if magnitude >= 1e-6 {
        (seconds * 1e6, "µs")
    } else {
        (seconds * 1e9, "ns")
    }
}

/// Three significant digits, no exponent: `165`, `94.5`, `1.23`.
pub fn three_digits(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude >= 100.0 {
        format!("{value:.0}")
    } else if magnitude >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// Seconds with three significant digits in the unit that suits them:
/// `165 µs`, `94.5 ns`; `–` when not a number.
pub fn duration(seconds: f64) -> String {
    if !seconds.is_finite() {
        return "–".to_owned();
    }
    let (value, unit) = scaled(seconds);
    format!("{} {unit}", three_digits(value))
}

/// Bytes with three significant digits in the decimal unit that suits
/// them: `440 B`, `1.01 kB`, `4.00 MB`.
pub fn bytes(count: f64) -> String {
    let (value, unit) = match count.abs() {
        b if b >= 1e9 => (count / 1e9, "GB"),
        b if b >= 1e6 => (count / 1e6, "MB"),
        b if b >= 1e3 => (count / 1e3, "kB"),
        _ => return format!("{count:.0} B"),
    };
    format!("{} {unit}", three_digits(value))
}

/// Three significant digits, thousands grouped with commas, for ratios that
/// run into the thousands: `9,060`, `14.2`.
pub fn grouped_three_digits(value: f64) -> String {
    if !value.is_finite() || value.abs() < 1000.0 {
        return three_digits(value);
    }
    let magnitude = 10f64.powi(value.abs().log10().floor() as i32 - 2);
    let rounded = ((value / magnitude).round() * magnitude) as i64;
    let digits = rounded.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if rounded < 0 {
        grouped.insert(0, '-');
    }
    grouped
}

/// Parses a size as people write it: `512 B`, `64 KiB`, `3.9 MB`, `1.5MiB`
/// (kB, MB and GB are powers of 1000; KiB, MiB and GiB of 1024).
pub fn parse_bytes(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_'))
        .unwrap_or(text.len());
    let (value, unit) = text.split_at(split);
    let value: f64 = value.replace('_', "").parse().ok()?;
    let scale = match unit.trim() {
        "B" | "bytes" => 1.0,
        "kB" | "KB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        "KiB" => 1024.0,
        "MiB" => 1024.0 * 1024.0,
        "GiB" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let bytes = value * scale;
    (bytes.is_finite() && bytes >= 0.0).then(|| bytes.round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_in_the_unit_that_suits_them() {
        assert_eq!(bytes(440.0), "440 B");
        assert_eq!(bytes(1010.0), "1.01 kB");
        assert_eq!(bytes(3_997_000.0), "4.00 MB");
        assert_eq!(bytes(12_345_678_901.0), "12.3 GB");
    }

    #[test]
    fn picks_the_unit_and_three_digits() {
        assert_eq!(duration(1.5), "1.50 s");
        assert_eq!(duration(0.0123), "12.3 ms");
        assert_eq!(duration(4.56e-5), "45.6 µs");
        assert_eq!(duration(3.2e-8), "32.0 ns");
        assert_eq!(duration(f64::NAN), "–");
        assert_eq!(three_digits(1846.2), "1846");
    }

    #[test]
    fn large_ratios_group_their_thousands() {
        assert_eq!(grouped_three_digits(9_063.4), "9,060");
        assert_eq!(grouped_three_digits(1_234_567.0), "1,230,000");
        assert_eq!(grouped_three_digits(14.24), "14.2");
    }

    #[test]
    fn sizes_read_back_as_they_are_written() {
        assert_eq!(bytes(312.0), "312 B");
        assert_eq!(bytes(81_920.0), "81.9 kB");
        assert_eq!(bytes(3_904_512.0), "3.90 MB");
        assert_eq!(parse_bytes("3.90 MB"), Some(3_900_000));
        assert_eq!(parse_bytes("64 KiB"), Some(65_536));
        assert_eq!(parse_bytes("1.5MiB"), Some(1_572_864));
        assert_eq!(parse_bytes("312 B"), Some(312));
        assert_eq!(parse_bytes("12"), None, "a size needs its unit");
        assert_eq!(parse_bytes("3 parsecs"), None);
        assert_eq!(parse_bytes("MB"), None);
    }
}
