//! GIL mode: CPython's global interpreter lock, rebuilt on top of a VM that
//! has none. A `Baton` is a fair (first come, first served) lock that a
//! thread must hold to run Python; `gil.py` makes blocking calls let go of it
//! and a native `sys.monitoring` hook hands it over every switch interval, so threads
//! behave as under CPython's default build.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use rustpython_vm::function::FuncArgs;
use rustpython_vm::{PyObjectRef, VirtualMachine};

/// CPython's default `sys.getswitchinterval()`.
pub const DEFAULT_SWITCH_INTERVAL: Duration = Duration::from_millis(5);

/// The lock itself, shared by every thread of a session.
pub struct Baton {
    state: Mutex<BatonState>,
    turn: Condvar,
    interval_ns: AtomicU64,
    /// How many times the baton changed hands (for the timeline and tests).
    handoffs: AtomicU64,
    /// Threads queued: read without the lock by the trace hook, which runs
    /// on every line and must be cheap when nobody waits.
    waiting: AtomicUsize,
    /// When the holder took the baton, in nanoseconds since `epoch`.
    held_since_ns: AtomicU64,
    epoch: Instant,
}

#[derive(Default)]
struct BatonState {
    /// Tickets of the threads waiting, in arrival order.
    queue: VecDeque<u64>,
    next_ticket: u64,
    held: bool,
}

impl Baton {
    pub fn new() -> Arc<Baton> {
        Arc::new(Baton {
            state: Mutex::new(BatonState::default()),
            turn: Condvar::new(),
            interval_ns: AtomicU64::new(DEFAULT_SWITCH_INTERVAL.as_nanos() as u64),
            handoffs: AtomicU64::new(0),
            waiting: AtomicUsize::new(0),
            held_since_ns: AtomicU64::new(0),
            epoch: Instant::now(),
        })
    }

    pub fn set_interval(&self, interval: Duration) {
        self.interval_ns
            .store(interval.as_nanos().max(1) as u64, Ordering::Relaxed);
    }

    pub fn interval(&self) -> Duration {
        Duration::from_nanos(self.interval_ns.load(Ordering::Relaxed))
    }

    pub fn handoffs(&self) -> u64 {
        self.handoffs.load(Ordering::Relaxed)
    }

    /// Blocks until this thread holds the baton. Waiters are served in the
    /// order they arrived, so no thread starves.
    pub fn acquire(&self) {
        let mut st = self.state.lock().unwrap();
        let ticket = st.next_ticket;
        st.next_ticket += 1;
        st.queue.push_back(ticket);
        self.waiting.fetch_add(1, Ordering::SeqCst);
        while st.held || st.queue.front() != Some(&ticket) {
            st = self.turn.wait(st).unwrap();
        }
        st.queue.pop_front();
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        st.held = true;
        self.held_since_ns
            .store(self.epoch.elapsed().as_nanos() as u64, Ordering::Relaxed);
        self.handoffs.fetch_add(1, Ordering::Relaxed);
    }

    pub fn release(&self) {
        let mut st = self.state.lock().unwrap();
        st.held = false;
        drop(st);
        self.turn.notify_all();
    }

    /// Asked by the running thread at its preemption points: it should go
    /// to the back of the queue when it has held the baton for a switch
    /// interval and another thread waits.
    pub fn switch_due(&self) -> bool {
        if self.waiting.load(Ordering::Relaxed) == 0 {
            return false;
        }
        let held_ns = (self.epoch.elapsed().as_nanos() as u64)
            .saturating_sub(self.held_since_ns.load(Ordering::Relaxed));
        held_ns >= self.interval_ns.load(Ordering::Relaxed)
    }

    /// Lets the next thread in line run, then waits for another turn.
    pub fn switch(&self) {
        self.release();
        self.acquire();
    }
}

/// `gil.py`'s hooks: acquire, release, the preemption tick, and the setter
/// of the switch interval (seconds).
pub(crate) struct GilHooks {
    pub acquire: PyObjectRef,
    pub release: PyObjectRef,
    pub tick: PyObjectRef,
    pub set_interval: PyObjectRef,
}

pub(crate) fn python_hooks(vm: &VirtualMachine, baton: &Arc<Baton>) -> GilHooks {
    let b = Arc::clone(baton);
    // Waiting for the baton happens "detached", as RustPython's own
    // blocking calls do: a thread parked here must not hold up the VM's
    // stop-the-world pauses (its garbage collector), or both would wait
    // for each other.
    let acquire = vm.new_function("gil_acquire", move |vm: &VirtualMachine| {
        vm.allow_threads(|| b.acquire())
    });
    let b = Arc::clone(baton);
    let release = vm.new_function("gil_release", move || b.release());
    let b = Arc::clone(baton);
    // Registered for `sys.monitoring`'s JUMP and PY_START events. It
    // returns DISABLE, which silences the event at that place in the code
    // until `gil.py`'s ticker re-arms every event once per switch interval:
    // like CPython's eval breaker, a check costs nothing until it is due.
    let disable = vm
        .sys_module
        .get_attr("monitoring", vm)
        .and_then(|m| m.get_attr("DISABLE", vm))
        .expect("sys.monitoring.DISABLE exists");
    let tick = vm.new_function("gil_tick", move |_args: FuncArgs, vm: &VirtualMachine| {
        if b.switch_due() {
            vm.allow_threads(|| b.switch());
        }
        disable.clone()
    });
    let b = Arc::clone(baton);
    let set_interval = vm.new_function("gil_set_interval", move |seconds: f64| {
        if seconds.is_finite() && seconds > 0.0 {
            b.set_interval(Duration::from_secs_f64(seconds));
        }
    });
    GilHooks {
        acquire: acquire.into(),
        release: release.into(),
        tick: tick.into(),
        set_interval: set_interval.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waiters_are_served_in_arrival_order() {
        let baton = Baton::new();
        baton.acquire();
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut handles = Vec::new();
        for i in 0..4 {
            let (b, o) = (Arc::clone(&baton), Arc::clone(&order));
            handles.push(std::thread::spawn(move || {
                b.acquire();
                o.lock().unwrap().push(i);
                b.release();
            }));
            // Let thread i queue up before thread i+1 is spawned.
            while baton.state.lock().unwrap().queue.len() < i + 1 {
                std::thread::yield_now();
            }
        }
        baton.release();
        for h in handles {
            h.join().unwrap();
        }
        assert_eq!(*order.lock().unwrap(), vec![0, 1, 2, 3]);
    }

    #[test]
    fn a_holder_switches_only_when_someone_waits_and_its_interval_is_up() {
        let baton = Baton::new();
        baton.set_interval(Duration::from_millis(1));
        baton.acquire();
        std::thread::sleep(Duration::from_millis(2));
        assert!(!baton.switch_due(), "nobody waits: keep it");
        let b = Arc::clone(&baton);
        let waiter = std::thread::spawn(move || {
            b.acquire();
            b.release();
        });
        while baton.state.lock().unwrap().queue.is_empty() {
            std::thread::yield_now();
        }
        assert!(baton.switch_due());
        baton.switch();
        waiter.join().unwrap();
        assert_eq!(baton.handoffs(), 3, "handed to the waiter and back");
    }
}
