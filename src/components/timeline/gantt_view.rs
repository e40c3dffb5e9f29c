//! The stretch of time a Gantt chart shows, and how zooming changes it:
//! around a point (wheel, buttons), to a selected range (drag), or back to
//! the whole run. Always within the run and never narrower than a microsecond.

/// Narrowest view: finer than the clocks' step, nothing is left to see.
const MIN_WIDTH: f64 = 1e-6;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GanttView {
    pub from: f64,
    pub to: f64,
}

impl GanttView {
    /// The whole run.
    pub fn whole(duration: f64) -> GanttView {
        GanttView {
            from: 0.0,
            to: duration.max(MIN_WIDTH),
        }
    }

    pub fn width(&self) -> f64 {
        self.to - self.from
    }

    /// Whether this is less than the whole run of `duration`.
    pub fn zoomed(&self, duration: f64) -> bool {
        self.from > 0.0 || self.to < duration.max(MIN_WIDTH) * (1.0 - 1e-9)
    }

    /// Position of `t` across the view, in percent (may fall outside 0–100).
    pub fn percent(&self, t: f64) -> f64 {
        (t - self.from) / self.width() * 100.0
    }

    /// The time at `fraction` (0–1) across the view.
    pub fn time_at(&self, fraction: f64) -> f64 {
        self.from + fraction.clamp(0.0, 1.0) * self.width()
    }

    /// Scales the view by `factor` (below 1 zooms in) keeping the time at
    /// `fraction` across it where it is.
    pub fn zoom(&self, factor: f64, fraction: f64, duration: f64) -> GanttView {
        let whole = GanttView::whole(duration);
        let pivot = self.time_at(fraction);
        let width = (self.width() * factor).clamp(MIN_WIDTH.min(whole.width()), whole.width());
        let from = pivot - fraction.clamp(0.0, 1.0) * width;
        GanttView {
            from,
            to: from + width,
        }
        .within(duration)
    }

    /// The view of the range between two fractions across this one.
    pub fn select(&self, a: f64, b: f64, duration: f64) -> GanttView {
        let (lo, hi) = (self.time_at(a.min(b)), self.time_at(a.max(b)));
        let mid = (lo + hi) / 2.0;
        let width = (hi - lo).max(MIN_WIDTH);
        GanttView {
            from: mid - width / 2.0,
            to: mid + width / 2.0,
        }
        .within(duration)
    }

    /// Shifted back inside the run, keeping its width where it fits.
    fn within(self, duration: f64) -> GanttView {
        let whole = GanttView::whole(duration);
        let width = self.width().min(whole.width());
        let from = self.from.clamp(0.0, whole.to - width);
        GanttView {
            from,
            to: from + width,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn zooming_in_keeps_the_point_under_the_cursor() {
        let view = GanttView::whole(1.0);
        let zoomed = view.zoom(0.5, 0.25, 1.0);
        assert!(close(zoomed.width(), 0.5));
        assert!(close(zoomed.time_at(0.25), 0.25), "{zoomed:?}");
        assert!(zoomed.zoomed(1.0));
    }

    #[test]
    fn zooming_out_stops_at_the_whole_run() {
        let view = GanttView { from: 0.7, to: 0.9 };
        let out = view.zoom(100.0, 0.5, 1.0);
        assert_eq!(out, GanttView::whole(1.0));
        assert!(!out.zoomed(1.0));
        // Around its middle (0.8) a view three times as wide would end past
        // the run: it is shifted back inside, keeping its width.
        let near_end = view.zoom(3.0, 0.5, 1.0);
        assert!(
            close(near_end.to, 1.0) && close(near_end.width(), 0.6),
            "{near_end:?}"
        );
    }

    #[test]
    fn a_dragged_range_becomes_the_view_in_either_direction() {
        let view = GanttView { from: 1.0, to: 3.0 };
        let picked = view.select(0.75, 0.25, 4.0);
        assert!(
            close(picked.from, 1.5) && close(picked.to, 2.5),
            "{picked:?}"
        );
        assert!(close(picked.percent(2.0), 50.0));
        let tiny = view.select(0.5, 0.5, 4.0);
        assert!(close(tiny.width(), MIN_WIDTH));
    }
}
