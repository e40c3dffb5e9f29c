//! Loop counts: the count whose sample lasts the target, found as
//! `timeit.autorange` does, and scaled again from warm samples.

use pyrace_model::PyError;
use pyrace_model::limits;
use pyrace_model::timing_source::UNROLL_BELOW;
use rustpython_vm::PyObjectRef;

use super::Harness;
use super::timed::{Timed, Timer};

/// Calibrated samples aim this much above the target sample time.
const CALIBRATION_MARGIN: f64 = 1.2;

impl Harness<'_, '_> {
    /// Finds the loop count whose sample lasts at least the target, trying
    /// 1, 2, 5, 10, 20, 50… as `timeit.autorange` does.
    pub(super) fn calibrate(
        &mut self,
        t: &mut Timed,
        n: Option<u64>,
        clock: &PyObjectRef,
        deadline: f64,
    ) -> Result<(), PyError> {
        let target = self.request.options.target_sample;
        if matches!(t.timer, Timer::Program(..)) {
            t.loops = 1;
            return Ok(());
        }
        let mut loops: u64 = 1;
        t.unroll = 1;
        let mut secs = self.sample(t, loops, n, clock)?;
        // One cold execution already shows whether the loop's own cost would
        // weigh in this statement's samples: if so, time it unrolled.
        if let Some((_, k)) = t.unrolled
            && secs < UNROLL_BELOW
        {
            t.unroll = k;
        }
        loop {
            secs = self.sample(t, loops, n, clock)?;
            if secs >= target || self.elapsed() >= deadline {
                break;
            }
            loops = next_loop_count(loops);
        }
        // The steps above ran the statement cold (the VM specialises code
        // as it runs it): measure once more at the count found, warm, and
        // scale from that, with a margin so that samples stay above the
        // target when the machine gets quieter than it was now.
        if self.elapsed() < deadline && secs > 0.0 {
            loops = scale_loops(loops, target, secs);
            secs = self.sample(t, loops, n, clock)?;
        }
        t.loops = if secs > 0.0 {
            scale_loops(loops, target, secs)
        } else {
            loops
        };
        Ok(())
    }
}

/// Scales a statement's loop count from the median of its last warm-up
/// samples (seconds per execution); whole programs keep one loop.
pub(super) fn rescale(t: &mut Timed, warm: &[f64], target: f64) {
    if matches!(t.timer, Timer::Program(..)) || warm.is_empty() {
        return;
    }
    let mut last = warm[warm.len().saturating_sub(limits::WARMUP_WINDOW)..].to_vec();
    last.sort_by(f64::total_cmp);
    let per_execution = last[last.len() / 2];
    if per_execution > 0.0 {
        let secs = per_execution * t.executions() as f64;
        t.loops = scale_loops(t.loops, target, secs);
    }
}

/// The loop count that makes a sample of `secs` at `loops` last the target,
/// with the calibration margin.
fn scale_loops(loops: u64, target: f64, secs: f64) -> u64 {
    (((loops as f64) * target * CALIBRATION_MARGIN / secs).ceil() as u64).max(1)
}

/// 1, 2, 5, 10, 20, 50, 100…
fn next_loop_count(loops: u64) -> u64 {
    let mut decade = 1;
    while decade * 10 <= loops {
        decade *= 10;
    }
    match loops / decade {
        1 => 2 * decade,
        2 => 5 * decade,
        _ => 10 * decade,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loop_counts_follow_autorange() {
        let mut l = 1;
        let mut seen = vec![l];
        for _ in 0..7 {
            l = next_loop_count(l);
            seen.push(l);
        }
        assert_eq!(seen, [1, 2, 5, 10, 20, 50, 100, 200]);
    }
}
