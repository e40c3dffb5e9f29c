//! The samples of one size: every live variant calibrated, warm-up rounds
//! until their samples settle, then kept rounds in blocks that each take
//! the variants in their own order.

use pyrace_model::blocks;
use pyrace_model::limits;
use pyrace_model::warmup::{self, Warmup};
use pyrace_model::{PyError, RunEvent};
use rustpython_vm::PyObjectRef;

use super::Harness;
use super::calibrate::rescale;
use super::timed::Timed;

impl Harness<'_, '_> {
    /// Calibrates, warms up and samples every live variant at size `n`.
    pub(super) fn measure_size(
        &mut self,
        timed: &mut [Timed],
        mut baseline: Option<&mut Timed>,
        n: Option<u64>,
        clock: &PyObjectRef,
        deadline: f64,
    ) -> Result<SizeSampled, PyError> {
        let o = self.request.options.clone();
        let run_id = self.py.run_id();
        for t in timed.iter_mut() {
            t.samples.clear();
        }
        if let Some(b) = baseline.as_deref_mut() {
            self.calibrate(b, None, clock, deadline)?;
        }
        for t in timed.iter_mut().filter(|t| !t.out) {
            match self.calibrate(t, n, clock, deadline) {
                Ok(()) => self.py.emit(RunEvent::Calibrated {
                    run_id,
                    variant: t.name.clone(),
                    n,
                    loops: t.executions(),
                }),
                Err(e) => {
                    t.out = true;
                    self.variant_failed(&t.name, e);
                }
            }
        }

        // Warm-up: rounds thrown away until every variant's samples have
        // settled (`model::warmup`), at most a share of this size's time.
        let warm_start = self.elapsed();
        let warm_limit = warm_start + (deadline - warm_start).max(0.0) * limits::WARMUP_SHARE;
        let mut warm: Vec<Vec<f64>> = vec![Vec::new(); timed.len() + 1];
        let mut rounds: u32 = 0;
        let settled = loop {
            self.round(
                timed,
                baseline.as_deref_mut(),
                n,
                clock,
                rounds as usize,
                |i, x| warm[i].push(x),
            )?;
            rounds += 1;
            if timed.iter().all(|t| t.out) {
                break false;
            }
            let settled = timed
                .iter()
                .enumerate()
                .filter(|(_, t)| !t.out)
                .map(|(i, _)| i)
                .chain(baseline.is_some().then_some(timed.len()))
                .all(|i| warmup::settled(&warm[i]));
            if rounds >= o.warmup_rounds && (settled || self.elapsed() >= warm_limit) {
                break settled;
            }
        };
        let warmup = Warmup {
            rounds,
            seconds: self.elapsed() - warm_start,
            settled,
        };
        // Calibration ran the statements cold; scale each loop count again
        // from its warm samples, so that samples taken after the warm-up
        // still last the target.
        let target = o.target_sample;
        for (i, t) in timed.iter_mut().enumerate().filter(|(_, t)| !t.out) {
            rescale(t, &warm[i], target);
        }
        if let Some(b) = baseline.as_deref_mut() {
            rescale(b, &warm[timed.len()], target);
        }

        // Kept rounds, in blocks: within a block every round takes the
        // variants in one order, each block starting one variant further on
        // (`model::blocks`: their disagreement widens the intervals).
        let start = self.elapsed();
        let span = (deadline - start).max(0.0);
        let mut blocks: Vec<u32> = Vec::new();
        let mut kept: u32 = 0;
        loop {
            let round_start = self.elapsed();
            let block = blocks::block_of_round(round_start - start, span, kept, o.max_rounds);
            while blocks.len() <= block {
                blocks.push(kept);
            }
            let mut taken = Vec::new();
            self.round(timed, baseline.as_deref_mut(), n, clock, block, |i, x| {
                taken.push((i, x))
            })?;
            for (i, per_loop) in taken {
                match timed.get_mut(i) {
                    Some(t) => {
                        t.samples.push(per_loop);
                        self.py.emit(RunEvent::Sample {
                            run_id,
                            variant: t.name.clone(),
                            n,
                            round: kept,
                            seconds_per_loop: per_loop,
                        });
                    }
                    None => {
                        if let Some(b) = baseline.as_deref_mut() {
                            b.samples.push(per_loop);
                        }
                    }
                }
            }
            kept += 1;
            if timed.iter().all(|t| t.out) || kept >= o.max_rounds {
                return Ok(SizeSampled {
                    short: false,
                    warmup,
                    blocks,
                });
            }
            let round_time = self.elapsed() - round_start;
            if self.elapsed() + round_time > deadline {
                return Ok(SizeSampled {
                    short: kept < o.min_rounds,
                    warmup,
                    blocks,
                });
            }
        }
    }

    /// One round: the baseline, then one sample of every live variant,
    /// starting `turn` variants on. `took(i, seconds_per_loop)` sees each
    /// sample (`i` = the variant's index; `timed.len()` for the baseline).
    fn round(
        &mut self,
        timed: &mut [Timed],
        baseline: Option<&mut Timed>,
        n: Option<u64>,
        clock: &PyObjectRef,
        turn: usize,
        mut took: impl FnMut(usize, f64),
    ) -> Result<(), PyError> {
        if let Some(b) = baseline {
            let s = self.sample(b, b.loops, None, clock)?;
            took(timed.len(), s / b.loops as f64);
        }
        let count = timed.len();
        for k in 0..count {
            let i = (k + turn) % count;
            let t = &mut timed[i];
            if t.out {
                continue;
            }
            match self.sample(t, t.loops, n, clock) {
                Ok(secs) => took(i, secs / t.executions() as f64),
                Err(e) => {
                    t.out = true;
                    let name = t.name.clone();
                    self.variant_failed(&name, e);
                }
            }
        }
        Ok(())
    }
}

/// How one size's sampling went.
pub(super) struct SizeSampled {
    /// The budget cut sampling short of `min_rounds`.
    pub(super) short: bool,
    pub(super) warmup: Warmup,
    /// The kept round each block began at.
    pub(super) blocks: Vec<u32>,
}
