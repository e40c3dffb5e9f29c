//! RustPython's own memory, counted: while a measurement is on, the
//! engine's global allocator (`memory::LimitedAllocator`) reports every
//! allocation and release of the process here, and Python reads the counts
//! through `_pyrace` (the memory profile of `pyrace profile --memory`).
//! Off, counting costs one relaxed load per allocation.
//!
//! The counts are the whole process's: the interpreter's own allocations and
//! every thread's, not only the Python objects a program makes. Bytes are
//! counted from the start of the measurement, so what was held before (the
//! setup) is left out, and a program that frees it counts below zero. A
//! reallocation counts as a release of the old block and an allocation of
//! the new size, as it is for a block that moves: the total of a program
//! that grows a buffer step by step counts every step's size.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};

static ON: AtomicBool = AtomicBool::new(false);
/// Whether the binary's allocator reports here (the CLI's does; a test
/// binary with the system allocator does not).
static INSTALLED: AtomicBool = AtomicBool::new(false);
/// Bytes held now, above the start.
static CURRENT: AtomicI64 = AtomicI64::new(0);
/// Most bytes held above the start since it.
static PEAK: AtomicI64 = AtomicI64::new(0);
/// Most bytes held above the start since the last `tick`.
static TICK_PEAK: AtomicI64 = AtomicI64::new(0);
static TOTAL: AtomicU64 = AtomicU64::new(0);
static COUNT: AtomicU64 = AtomicU64::new(0);

/// The counts at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub current: i64,
    pub peak: i64,
    pub total: u64,
    pub count: u64,
}

/// Called once by the binary whose allocator reports here.
pub fn installed() {
    INSTALLED.store(true, Ordering::Release);
}

pub fn is_installed() -> bool {
    INSTALLED.load(Ordering::Acquire)
}

/// An allocation of `size` bytes.
#[inline]
pub fn allocated(size: usize) {
    if !ON.load(Ordering::Relaxed) {
        return;
    }
    TOTAL.fetch_add(size as u64, Ordering::Relaxed);
    COUNT.fetch_add(1, Ordering::Relaxed);
    let now = CURRENT.fetch_add(size as i64, Ordering::Relaxed) + size as i64;
    PEAK.fetch_max(now, Ordering::Relaxed);
    TICK_PEAK.fetch_max(now, Ordering::Relaxed);
}

/// A release of `size` bytes.
#[inline]
pub fn released(size: usize) {
    if ON.load(Ordering::Relaxed) {
        CURRENT.fetch_sub(size as i64, Ordering::Relaxed);
    }
}

/// Starts counting from zero.
pub fn start() {
    ON.store(false, Ordering::SeqCst);
    for counter in [&CURRENT, &PEAK, &TICK_PEAK] {
        counter.store(0, Ordering::SeqCst);
    }
    TOTAL.store(0, Ordering::SeqCst);
    COUNT.store(0, Ordering::SeqCst);
    ON.store(true, Ordering::SeqCst);
}

fn read(peak: &AtomicI64) -> Counts {
    Counts {
        current: CURRENT.load(Ordering::SeqCst),
        peak: peak.load(Ordering::SeqCst),
        total: TOTAL.load(Ordering::SeqCst),
        count: COUNT.load(Ordering::SeqCst),
    }
}

/// The counts, the peak being the one since the last tick; the next tick's
/// peak starts from what is held now.
pub fn tick() -> Counts {
    let counts = read(&TICK_PEAK);
    TICK_PEAK.store(counts.current, Ordering::SeqCst);
    counts
}

/// Stops counting; the counts since `start`.
pub fn stop() -> Counts {
    ON.store(false, Ordering::SeqCst);
    read(&PEAK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_start_at_zero_and_keep_the_peak() {
        start();
        allocated(100);
        allocated(50);
        released(100);
        let first = tick();
        assert!(first.peak >= 150 && first.total >= 150 && first.count >= 2);
        allocated(10);
        let second = tick();
        assert!(second.peak >= 60 && second.peak < 150, "{second:?}");
        released(60);
        let last = stop();
        assert!(last.peak >= 150);
        // Off: nothing more is counted.
        allocated(1_000);
        assert_eq!(stop().total, last.total);
    }
}
