//! Diagonal stripes inside a rectangle as one SVG path: how the bar chart
//! marks CPython's bars by a pattern as well as by name and colour. Drawn as
//! plain line segments rather than an SVG `<pattern>`, so an exported chart
//! (its styles inlined into a standalone file) keeps them without needing a
//! reference to resolve.

/// A path of 45° stripes, `gap` pixels apart along the width, that fills the
/// rectangle at (`x`, `y`) of `width` × `height` and never leaves it. Empty
/// when the rectangle is.
pub fn stripes(x: f64, y: f64, width: f64, height: f64, gap: f64) -> String {
    let mut path = String::new();
    if !(width > 0.0 && height > 0.0 && gap > 0.0) {
        return path;
    }
    // A stripe rises from (x + c, y + height) to (x + c + height, y); the
    // part of it inside the rectangle is where 0 ≤ c + t ≤ width.
    let mut c = gap / 2.0 - height;
    while c < width {
        let t0 = (-c).max(0.0);
        let t1 = (width - c).min(height);
        if t1 > t0 {
            path.push_str(&format!(
                "M{:.1},{:.1}L{:.1},{:.1}",
                x + c + t0,
                y + height - t0,
                x + c + t1,
                y + height - t1
            ));
        }
        c += gap;
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The end points of every segment of a path written by `stripes`.
    fn points(path: &str) -> Vec<(f64, f64)> {
        path.split(['M', 'L'])
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (x, y) = p.split_once(',').unwrap();
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect()
    }

    #[test]
    fn stripes_fill_the_rectangle_and_stay_inside_it() {
        let path = stripes(100.0, 20.0, 60.0, 18.0, 6.0);
        let points = points(&path);
        assert_eq!(points.len() % 2, 0);
        // (width + height) / gap stripes cross a 60 × 18 box.
        assert_eq!(points.len() / 2, 13, "{path}");
        for (x, y) in &points {
            assert!((100.0..=160.0).contains(x), "x {x} in {path}");
            assert!((20.0..=38.0).contains(y), "y {y} in {path}");
        }
        for pair in points.chunks(2) {
            let (dx, dy) = (pair[1].0 - pair[0].0, pair[0].1 - pair[1].1);
            assert!((dx - dy).abs() < 0.11, "45°: {pair:?}");
        }
    }

    #[test]
    fn an_empty_rectangle_has_no_stripes() {
        assert_eq!(stripes(0.0, 0.0, 0.0, 10.0, 6.0), "");
        assert_eq!(stripes(0.0, 0.0, 10.0, 10.0, 0.0), "");
    }

    #[test]
    fn a_bar_thinner_than_the_gap_still_gets_a_stripe() {
        assert_eq!(points(&stripes(0.0, 0.0, 2.0, 18.0, 6.0)).len(), 6);
    }
}
