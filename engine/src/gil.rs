//! GIL mode: CPython's global interpreter lock, rebuilt on top of a VM that
//! has none. A `Baton` is a fair (first come, first served) lock that a
//! thread must hold to run Python; `gil.py` makes blocking calls let go of it
//! and a native `sys.monitoring` hook hands it over every switch interval, so threads
//! behave as under CPython's default build. As in CPython, the threads that
//! wait for the baton ask for it: each switch interval a waiter re-arms the
//! hook, which otherwise silences itself. The baton marks its hand-overs on
//! the session's timeline recorder, which it borrows: free-threaded runs
//! record on the same recorder without a baton.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use pyrace_model::{ThreadMode, ThreadState};
use rustpython_vm::function::FuncArgs;
use rustpython_vm::{PyObjectRef, VirtualMachine};

use crate::timeline::{Recorder, current_track};

/// CPython's default `sys.getswitchinterval()`, until a run sets its own.
pub const DEFAULT_SWITCH_INTERVAL: Duration =
    Duration::from_nanos((pyrace_model::limits::SWITCH_INTERVAL.default * 1e9) as u64);

/// The lock itself, shared by every thread of a session.
pub struct Baton {
    /// The session's, lent: where the baton's hand-overs are marked.
    recorder: Arc<Recorder>,
    state: Mutex<BatonState>,
    turn: Condvar,
    interval_ns: AtomicU64,
    /// How many times the baton changed hands (for the timeline and tests).
    handoffs: AtomicU64,
    /// Threads queued: read without the lock by the trace hook, which runs
    /// on every line and must be cheap when nobody waits.
    waiting: AtomicUsize,
    /// The track (thread) holding the baton, or `NOBODY`. Only the holder
    /// may hand it over: other threads also pass preemption points (threads
    /// started outside `threading`).
    holder: std::sync::atomic::AtomicU32,
    /// When the holder took the baton, in nanoseconds since `epoch`.
    held_since_ns: AtomicU64,
    epoch: Instant,
    /// Re-arms the switching hook; called by waiters once per switch interval.
    rearm: std::sync::OnceLock<Box<dyn Fn() + Send + Sync>>,
    /// A waiter found that the holder has had its switch interval: the
    /// holder lets go at its next preemption point.
    drop_request: std::sync::atomic::AtomicBool,
}

#[derive(Default)]
struct BatonState {
    /// Tickets of the threads waiting, in arrival order.
    queue: VecDeque<u64>,
    next_ticket: u64,
    held: bool,
}

impl Baton {
    pub(crate) fn new(recorder: Arc<Recorder>) -> Arc<Baton> {
        Arc::new(Baton {
            recorder,
            state: Mutex::new(BatonState::default()),
            turn: Condvar::new(),
            interval_ns: AtomicU64::new(DEFAULT_SWITCH_INTERVAL.as_nanos() as u64),
            handoffs: AtomicU64::new(0),
            waiting: AtomicUsize::new(0),
            holder: std::sync::atomic::AtomicU32::new(NOBODY),
            held_since_ns: AtomicU64::new(0),
            epoch: Instant::now(),
            rearm: std::sync::OnceLock::new(),
            drop_request: std::sync::atomic::AtomicBool::new(false),
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
        self.recorder.record(ThreadState::WaitingForGil);
        self.wait_for_turn();
    }

    /// Sets what a waiter calls, once per switch interval, so that the
    /// holder's next preemption point asks `switch_due` again.
    pub fn set_rearm(&self, rearm: impl Fn() + Send + Sync + 'static) {
        let _ = self.rearm.set(Box::new(rearm));
    }

    fn wait_for_turn(&self) {
        let mut st = self.state.lock().unwrap();
        let ticket = st.next_ticket;
        st.next_ticket += 1;
        st.queue.push_back(ticket);
        self.waiting.fetch_add(1, Ordering::SeqCst);
        while st.held || st.queue.front() != Some(&ticket) {
            // Wake when the holder's interval is up (a new turn wakes every
            // waiter, so this is counted from its start); once asked, give
            // it another whole interval to hear.
            let interval = self.interval();
            let patience = if st.held && !self.drop_request.load(Ordering::SeqCst) {
                interval.saturating_sub(self.held_for())
            } else {
                interval
            };
            let (guard, waited) = self
                .turn
                .wait_timeout(st, patience.max(MIN_PATIENCE))
                .unwrap();
            st = guard;
            if !(waited.timed_out() && st.held && self.held_for() >= interval) {
                continue;
            }
            // As CPython's waiter does once the holder has had a switch
            // interval: ask it to let go, and re-arm its hook so that it
            // hears. Not under the baton's lock: the holder's hook takes it.
            self.drop_request.store(true, Ordering::SeqCst);
            if let Some(rearm) = self.rearm.get() {
                drop(st);
                rearm();
                st = self.state.lock().unwrap();
            }
        }
        st.queue.pop_front();
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        st.held = true;
        // Under the lock: a waiter that times out now must see this turn's
        // start, not the last one's.
        self.held_since_ns
            .store(self.epoch.elapsed().as_nanos() as u64, Ordering::Relaxed);
        self.drop_request.store(false, Ordering::SeqCst);
        let others_wait = !st.queue.is_empty();
        drop(st);
        if others_wait {
            // They time this turn from now.
            self.turn.notify_all();
        }
        self.holder.store(current_track(), Ordering::SeqCst);
        self.recorder.record(ThreadState::Running);
        self.handoffs.fetch_add(1, Ordering::Relaxed);
    }

    pub fn release(&self) {
        self.recorder.record(ThreadState::Blocked);
        self.hand_over();
    }

    fn hand_over(&self) {
        self.holder.store(NOBODY, Ordering::SeqCst);
        let mut st = self.state.lock().unwrap();
        st.held = false;
        drop(st);
        self.turn.notify_all();
    }

    /// Asked by the running thread at its preemption points: it should go
    /// to the back of the queue when another thread waits and either that
    /// one asked for it or it has held the baton for a switch interval.
    pub fn switch_due(&self) -> bool {
        if self.waiting.load(Ordering::Relaxed) == 0
            || self.holder.load(Ordering::Relaxed) != current_track()
        {
            return false;
        }
        self.drop_request.load(Ordering::Relaxed) || self.held_for() >= self.interval()
    }

    /// How long the holder has held the baton.
    fn held_for(&self) -> Duration {
        Duration::from_nanos(
            (self.epoch.elapsed().as_nanos() as u64)
                .saturating_sub(self.held_since_ns.load(Ordering::Relaxed)),
        )
    }

    /// Lets the next thread in line run, then waits for another turn.
    pub fn switch(&self) {
        // Straight from running to waiting, recorded while still holding the
        // baton so that the timeline never shows two threads running.
        self.recorder.record(ThreadState::WaitingForGil);
        self.hand_over();
        self.wait_for_turn();
    }
}

/// No thread holds the baton.
const NOBODY: u32 = u32::MAX;

/// The shortest timed wait of a waiter (a wait of zero would spin).
const MIN_PATIENCE: Duration = Duration::from_micros(100);

thread_local! {
    /// How many blocking calls this thread is inside (see `gil_release`).
    static RELEASED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// What a thread-mode run records on the timeline, and so which runs
/// `gil.py` instruments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Recording {
    /// Timed code, whose timeline nobody sees: free threading runs as is;
    /// GIL mode records its threads only, as the baton always does.
    Off,
    /// A timeline shown for GIL mode only (a timed program's trial run):
    /// threads, asyncio tasks and child processes; free threading runs as
    /// is, for its timings stay uninstrumented.
    GilMode,
    /// A timeline in either mode (a `Run` program): a free-threaded one
    /// shows its threads' starts, ends and blocking waits.
    Always,
}

impl Recording {
    /// Whether a run in `mode` goes through `gil.py`'s wrappers.
    pub fn instruments(self, mode: ThreadMode) -> bool {
        mode == ThreadMode::Gil || self == Recording::Always
    }

    /// Whether asyncio tasks and child processes get rows.
    pub fn has_rows(self) -> bool {
        self != Recording::Off
    }
}

/// `gil.py`'s configuration (`configure`): acquire, release, the
/// preemption tick, the setter of the switch interval (seconds), and the
/// timeline's thread start and end; and, for free-threaded runs, the
/// acquire and release that only mark the timeline.
pub(crate) struct GilHooks {
    acquire: PyObjectRef,
    release: PyObjectRef,
    mark_running: PyObjectRef,
    mark_blocked: PyObjectRef,
    tick: PyObjectRef,
    set_interval: PyObjectRef,
    thread_started: PyObjectRef,
    thread_ended: PyObjectRef,
}

impl GilHooks {
    /// The arguments of `gil.py`'s `configure`, by name: one it does not
    /// know, or one missing, fails the session's start.
    pub fn into_config(self) -> FuncArgs {
        let named = [
            ("acquire", self.acquire),
            ("release", self.release),
            ("mark_running", self.mark_running),
            ("mark_blocked", self.mark_blocked),
            ("tick", self.tick),
            ("set_interval", self.set_interval),
            ("thread_started", self.thread_started),
            ("thread_ended", self.thread_ended),
        ];
        FuncArgs::new(
            Vec::new(),
            rustpython_vm::function::KwArgs::from_iter(
                named.map(|(name, hook)| (name.to_owned(), hook)),
            ),
        )
    }
}

/// Counts a blocking call entered by this thread. Blocking calls nest (a
/// join waits on a lock that waits on…): only the outermost lets go of the
/// baton, or a thread would release one that another thread holds.
fn entering_outermost_block() -> bool {
    RELEASED.with(|r| {
        r.set(r.get() + 1);
        r.get() == 1
    })
}

/// Counts a blocking call left by this thread: true when it was the
/// outermost (or the thread was in none, as when it starts).
fn leaving_outermost_block() -> bool {
    RELEASED.with(|r| {
        let depth = r.get().saturating_sub(1);
        r.set(depth);
        depth == 0
    })
}

pub(crate) fn python_hooks(
    vm: &VirtualMachine,
    baton: &Arc<Baton>,
    recorder: &Arc<Recorder>,
) -> GilHooks {
    let b = Arc::clone(baton);
    // Waiting for the baton happens "detached", as RustPython's own
    // blocking calls do: a thread parked here must not hold up the VM's
    // stop-the-world pauses (its garbage collector), or both would wait
    // for each other.
    let acquire = vm.new_function("gil_acquire", move |vm: &VirtualMachine| {
        if leaving_outermost_block() && b.holder.load(Ordering::SeqCst) != current_track() {
            vm.allow_threads(|| b.acquire());
        }
    });
    let b = Arc::clone(baton);
    let release = vm.new_function("gil_release", move || {
        if entering_outermost_block() && b.holder.load(Ordering::SeqCst) == current_track() {
            b.release();
        }
    });
    let r = Arc::clone(recorder);
    let mark_running = vm.new_function("timeline_running", move || {
        if leaving_outermost_block() {
            r.record(ThreadState::Running);
        }
    });
    let r = Arc::clone(recorder);
    let mark_blocked = vm.new_function("timeline_blocked", move || {
        if entering_outermost_block() {
            r.record(ThreadState::Blocked);
        }
    });
    // What `sys.monitoring.restart_events()` does, without a VM: a waiting
    // thread is detached from it. Weak: the interpreter's state must not
    // outlive its session through the baton.
    let state = std::sync::Arc::downgrade(&vm.state);
    baton.set_rearm(move || {
        if let Some(state) = state.upgrade() {
            state.monitoring.lock().disabled.clear();
        }
    });
    let b = Arc::clone(baton);
    // Registered for `sys.monitoring`'s JUMP and PY_START events. It
    // returns DISABLE, which silences the event at that place in the code
    // until a thread waiting for the baton re-arms every event, once per
    // switch interval: like CPython's eval breaker, a check costs nothing
    // until it is due.
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
    let r = Arc::clone(recorder);
    let thread_started = vm.new_function("gil_thread_started", move |name: String| r.name(name));
    let r = Arc::clone(recorder);
    let thread_ended = vm.new_function("gil_thread_ended", move || r.end());
    GilHooks {
        mark_running: mark_running.into(),
        mark_blocked: mark_blocked.into(),
        thread_started: thread_started.into(),
        thread_ended: thread_ended.into(),
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
        let baton = Baton::new(Arc::default());
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
        let baton = Baton::new(Arc::default());
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

    #[test]
    fn a_waiter_rearms_the_hook_and_asks_the_holder_to_let_go_each_interval() {
        let baton = Baton::new(Arc::default());
        baton.set_interval(Duration::from_millis(5));
        let rearmed = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&rearmed);
        baton.set_rearm(move || {
            count.fetch_add(1, Ordering::SeqCst);
        });
        baton.acquire();
        assert!(!baton.switch_due(), "nobody waits: keep it");
        let b = Arc::clone(&baton);
        let waiter = std::thread::spawn(move || {
            b.acquire();
            b.release();
        });
        // The waiter asks once the holder has had its interval, and again
        // every interval after that while it still waits.
        while rearmed.load(Ordering::SeqCst) < 2 {
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(baton.drop_request.load(Ordering::SeqCst));
        assert!(baton.switch_due());
        baton.switch();
        assert!(
            !baton.drop_request.load(Ordering::SeqCst),
            "a new turn starts with no request"
        );
        waiter.join().unwrap();
        baton.release();
    }
}

#[cfg(test)]
mod timeline_tests {
    use super::*;

    #[test]
    fn a_timeline_shows_running_waiting_and_blocked_stretches() {
        let recorder: Arc<Recorder> = Arc::default();
        let baton = Baton::new(Arc::clone(&recorder));
        recorder.start(ThreadMode::Gil);
        recorder.name("MainThread".into());
        baton.acquire();
        let (b, r) = (Arc::clone(&baton), Arc::clone(&recorder));
        let other = std::thread::spawn(move || {
            r.name("worker".into());
            b.acquire(); // waits: main holds it
            b.release();
            r.end();
        });
        while baton.waiting.load(Ordering::SeqCst) == 0 {
            std::thread::yield_now();
        }
        std::thread::sleep(Duration::from_millis(5));
        baton.release();
        other.join().unwrap();
        let timeline = recorder.take().unwrap();
        let names: Vec<&str> = timeline.threads.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["MainThread", "worker"]);
        let worker = &timeline.threads[1].spans;
        assert_eq!(worker[0].state, ThreadState::WaitingForGil);
        assert!(worker[0].end - worker[0].start >= 0.004, "{worker:?}");
        assert_eq!(worker[1].state, ThreadState::Running);
        assert!(timeline.parallelism() <= 1.0 + 1e-9);
        assert!(recorder.take().is_none(), "taken once");
    }

    #[test]
    fn a_rebased_timeline_starts_when_the_program_does() {
        let recorder: Arc<Recorder> = Arc::default();
        let baton = Baton::new(Arc::clone(&recorder));
        recorder.start(ThreadMode::Gil);
        recorder.name("MainThread".into());
        baton.acquire();
        std::thread::sleep(Duration::from_millis(30));
        recorder.rebase();
        std::thread::sleep(Duration::from_millis(5));
        baton.release();
        let timeline = recorder.take().unwrap();
        let spans = &timeline.threads[0].spans;
        assert_eq!(spans[0].state, ThreadState::Running);
        assert_eq!(spans[0].start, 0.0, "{spans:?}");
        assert!(spans[0].end >= 0.004 && spans[0].end < 0.03, "{spans:?}");
        assert!(timeline.duration < 0.03, "{}", timeline.duration);
    }
}
