//! Stopping Python code that runs too long: an `Interrupter` raises
//! `KeyboardInterrupt` in the running interpreter at its next instruction,
//! and a `Watchdog` does so when a deadline passes.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use rustpython_vm::signal::UserSignalSender;

/// Raises into a session's running code from any thread.
#[derive(Clone)]
pub struct Interrupter {
    tx: UserSignalSender,
    fired: Arc<AtomicBool>,
}

impl Interrupter {
    pub(crate) fn new(tx: UserSignalSender) -> Self {
        Interrupter {
            tx,
            fired: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Raises `KeyboardInterrupt(message)` in the interpreter. It is a
    /// `BaseException`, so a snippet's `except Exception` cannot swallow it.
    pub fn interrupt(&self, message: String) {
        self.fired.store(true, Ordering::SeqCst);
        let _ = self.tx.send(Box::new(move |vm| {
            Err(vm.new_exception_msg(
                vm.ctx.exceptions.keyboard_interrupt.to_owned(),
                message.into(),
            ))
        }));
    }

    /// Re-flags the pending interrupt. The "check for signals" flag is shared
    /// by every interpreter in the process, so another one may have cleared
    /// it first; a no-op signal makes this one look again.
    fn nudge(&self) {
        let _ = self.tx.send(Box::new(|_| Ok(())));
    }

    /// Whether `interrupt` was called since the last `take_fired`.
    pub(crate) fn take_fired(&self) -> bool {
        self.fired.swap(false, Ordering::SeqCst)
    }
}

/// How often an unanswered interrupt is re-flagged during the grace period.
const NUDGE_EVERY: Duration = Duration::from_millis(50);

/// Interrupts a session when an armed deadline passes.
pub struct Watchdog {
    shared: Arc<(Mutex<WatchState>, Condvar)>,
}

#[derive(Default)]
struct WatchState {
    deadline: Option<(Instant, String)>,
    /// Bumped by every arm/disarm, so the thread can tell whether the call
    /// it interrupted is still the one running after the grace period.
    generation: u64,
    closed: bool,
}

impl Watchdog {
    /// Starts the watchdog thread. If code ignores the interrupt (it is
    /// stuck inside a native call) for `grace`, `on_stuck` runs with the message.
    pub fn new(
        interrupter: Interrupter,
        grace: Duration,
        on_stuck: impl Fn(&str) + Send + 'static,
    ) -> Watchdog {
        let shared = Arc::new((Mutex::new(WatchState::default()), Condvar::new()));
        let theirs = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("pyrace-watchdog".into())
            .spawn(move || watch(&theirs, &interrupter, grace, &on_stuck))
            .expect("spawn watchdog thread");
        Watchdog { shared }
    }

    /// Interrupts with `message` unless disarmed within `limit`.
    pub fn arm(&self, limit: Duration, message: String) {
        let (lock, cvar) = &*self.shared;
        let mut st = lock.lock().unwrap();
        st.deadline = Some((Instant::now() + limit, message));
        st.generation += 1;
        cvar.notify_all();
    }

    pub fn disarm(&self) {
        let (lock, cvar) = &*self.shared;
        let mut st = lock.lock().unwrap();
        st.deadline = None;
        st.generation += 1;
        cvar.notify_all();
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        let (lock, cvar) = &*self.shared;
        lock.lock().unwrap().closed = true;
        cvar.notify_all();
    }
}

fn watch(
    shared: &(Mutex<WatchState>, Condvar),
    interrupter: &Interrupter,
    grace: Duration,
    on_stuck: &dyn Fn(&str),
) {
    let (lock, cvar) = shared;
    let mut st = lock.lock().unwrap();
    loop {
        if st.closed {
            return;
        }
        let Some((deadline, message)) = st.deadline.clone() else {
            st = cvar.wait(st).unwrap();
            continue;
        };
        let now = Instant::now();
        if now < deadline {
            st = cvar.wait_timeout(st, deadline - now).unwrap().0;
            continue;
        }
        let generation = st.generation;
        st.deadline = None;
        interrupter.interrupt(message.clone());
        // Wait out the grace period; a disarm (or a new arm) ends it.
        let until = Instant::now() + grace;
        while st.generation == generation && !st.closed {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                on_stuck(&message);
                break;
            }
            st = cvar.wait_timeout(st, left.min(NUDGE_EVERY)).unwrap().0;
            interrupter.nudge();
        }
    }
}
