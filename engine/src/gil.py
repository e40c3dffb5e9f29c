"""GIL mode for a pyrace session: makes every thread hold the session's
baton to run Python, lets go of it around blocking calls, and registers the
native `sys.monitoring` hook that hands it over every switch interval.

`enable` swaps the blocking entry points of `time`, `threading` and
`_thread` for versions that release the baton while they block, and those
of `os`, `select`, `selectors` and `multiprocessing` (`_BLOCKING_CALLS`,
also when imported later); `disable` puts the originals back.

Because every indefinite wait goes through those versions, GIL mode also
sees a deadlock: when every thread has been waiting with no timeout for
`DEADLOCK_AFTER` seconds, the main thread raises `DeadlockError` with each
thread's stack, and the other threads end quietly.

Free-threaded runs use the same versions with `preempt=False`: `acquire`
and `release` then only mark on the timeline where a thread runs and where
it blocks, and there is no baton and no switching hook.
"""

import collections
import sys
import types

# threading, queue, time and _thread are imported where used: this module is
# loaded by every session at start-up, and most runs never use GIL mode.

DEADLOCK_AFTER = 1.0
# How often a thread in an indefinite wait looks for a deadlock.
_POLL = 0.05


class DeadlockError(RuntimeError):
    """Every thread was waiting for another: none could ever go on."""


class _Waits:
    """Which threads are alive and which wait with no timeout (and on what)."""

    def __init__(self, allocate):
        self.lock = allocate()
        self.alive = set()
        self.waiting = {}
        self.all_since = None
        self.report = None
        self.main_raised = False

    def live(self, ident):
        with self.lock:
            self.alive.add(ident)

    def dead(self, ident):
        with self.lock:
            self.alive.discard(ident)
            self.waiting.pop(ident, None)
            self.all_since = None

    def wait(self, ident, what):
        with self.lock:
            self.waiting[ident] = what

    def done(self, ident):
        with self.lock:
            self.waiting.pop(ident, None)
            self.all_since = None

    def check(self):
        """Raise if a deadlock was found (DeadlockError in the main thread,
        SystemExit, which ends a thread quietly, elsewhere)."""
        import threading
        import time

        with self.lock:
            if self.report is None and self.alive and set(self.waiting) >= self.alive:
                now = time.monotonic()
                if self.all_since is None:
                    self.all_since = now
                elif now - self.all_since >= DEADLOCK_AFTER:
                    self.report = self._describe()
            report = self.report
            is_main = threading.current_thread() is threading.main_thread()
            if report is not None and is_main:
                self.main_raised = True
            # The others wait until the main thread has raised: were they to
            # end first, their locks would free the main thread unreported.
            quit_quietly = report is not None and not is_main and self.main_raised
        if report is not None and is_main:
            raise DeadlockError(report)
        if quit_quietly:
            raise SystemExit

    def _describe(self):
        import threading
        import traceback

        frames = sys._current_frames()
        names = {t.ident: t.name for t in threading.enumerate()}
        lines = [
            "deadlock: all %d threads wait for each other, none can go on"
            % len(self.alive)
        ]
        for ident in sorted(self.alive, key=lambda i: names.get(i, "")):
            lines.append("")
            lines.append(
                "%s, waiting in %s:" % (names.get(ident, "thread %d" % ident), self.waiting.get(ident))
            )
            frame = frames.get(ident)
            if frame is not None:
                # The program's own frames: GIL mode's are the same in all.
                own = [f for f in traceback.extract_stack(frame) if f.filename != "<_pyrace_gil>"]
                lines.extend(l.rstrip("\n") for l in traceback.format_list(own))
        return "\n".join(lines)


# The engine's native functions GIL mode runs with (`gil.rs`), handed over
# once by `configure`: the baton's acquire and release, and the ones that
# only mark the timeline (free-threaded runs); the switching hook; the
# switch interval's setter; a thread's start and end.
_Config = collections.namedtuple(
    "_Config",
    "acquire release mark_running mark_blocked tick set_interval thread_started thread_ended",
)


class _Hand:
    """What a thread does with the baton in the current mode: take it and
    let go of it (in free-threaded mode, only mark the timeline)."""

    __slots__ = ("acquire", "release")

    def __init__(self, acquire, release):
        self.acquire = acquire
        self.release = release

    def around(self, fn, *args, **kwargs):
        """`fn(*args, **kwargs)`, without the baton while it runs."""
        self.release()
        try:
            return fn(*args, **kwargs)
        finally:
            self.acquire()


class _State:
    """GIL mode's one state: on while `hand` is set."""

    def __init__(self):
        self.config = None
        # The `_Hand` of the mode on, or None when GIL mode (or a
        # free-threaded timeline) is off.
        self.hand = None
        # How to put back what `enable` changed, in the order done.
        self.undo = []
        # Whether the switching hook is registered (`_monitor`).
        self.monitoring = False


_state = _State()


def configure(**hooks):
    """Takes the engine's native functions (`_Config`), once per session."""
    _state.config = _Config(**hooks)


def _releasing(fn):
    """`fn`, letting go of the baton while it runs, while GIL mode is on;
    once it is off, a copy that a module kept (a default argument, a class
    attribute) passes straight through. It binds as `fn` does: a Python
    function's stays a function (a method where `fn` was one); a native
    function's is an `_Unbound`, which a class that keeps it as an
    attribute (`selectors.SelectSelector._select = select.select`) does not
    turn into a method."""

    def call(*args, **kwargs):
        hand = _state.hand
        if hand is None:
            return fn(*args, **kwargs)
        return hand.around(fn, *args, **kwargs)

    call.__name__ = getattr(fn, "__name__", "call")
    call.__qualname__ = getattr(fn, "__qualname__", call.__name__)
    call.__doc__ = getattr(fn, "__doc__", None)
    if isinstance(fn, types.FunctionType):
        return call
    return _Unbound(call, fn)


class _Unbound:
    """A callable object, not a function, so that it never binds; what it
    lacks (a name, a signature) it takes from the function it wraps."""

    __slots__ = ("call", "wrapped")

    def __init__(self, call, wrapped):
        self.call = call
        self.wrapped = wrapped

    def __call__(self, *args, **kwargs):
        return self.call(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.wrapped, name)

    def __repr__(self):
        return repr(self.wrapped)


def _semlock_acquire(acquire):
    """`_multiprocessing.SemLock.acquire` that first tries without letting
    go of the baton, and lets go of it only to wait (as CPython's does)."""
    waiting = _releasing(acquire)

    def semlock_acquire(block=True, timeout=None):
        if acquire(False):
            return True
        if not block:
            return False
        return waiting(True, timeout)

    return semlock_acquire


def _patch_os(os, patch):
    for name in ("read", "write", "waitpid", "wait", "wait3", "wait4", "waitid"):
        if hasattr(os, name):
            patch(os, name, _releasing(getattr(os, name)))


def _patch_select(select, patch):
    patch(select, "select", _releasing(select.select))


def _patch_selectors(selectors, patch):
    # Every `select` of a selector (multiprocessing.connection.wait, which
    # Pool, Process.join and ProcessPoolExecutor wait in, uses one; so does
    # asyncio's loop natively). pyrace's own asyncio selector waits on a
    # condition variable, which GIL mode's locks already handle.
    for name in ("SelectSelector", "_PollLikeSelector", "EpollSelector",
                 "DevpollSelector", "KqueueSelector"):
        cls = getattr(selectors, name, None)
        if cls is not None and "select" in vars(cls):
            patch(cls, "select", _releasing(cls.select))


def _patch_connection(connection, patch):
    # `_recv` and `_send` bound `os.read` and `os.write` when the module was
    # imported: the `os` wrappers may not be the ones they call.
    cls = connection.Connection
    for name in ("_recv", "_send"):
        patch(cls, name, _releasing(getattr(cls, name)))


def _patch_synchronize(synchronize, patch):
    # SemLock binds `self.acquire` to the native semaphore's when it is
    # made (and when it arrives in another process); `with lock:` calls the
    # native `__enter__`.
    cls = synchronize.SemLock
    make_methods = cls._make_methods

    def _make_methods(self):
        make_methods(self)
        self.acquire = _semlock_acquire(self._semlock.acquire)

    def __enter__(self):
        return self.acquire()

    patch(cls, "_make_methods", _make_methods)
    patch(cls, "__enter__", __enter__)


def _patch_procs(procs, patch):
    # The browser host's requests that wait: for a child, a semaphore, a
    # process to claim.
    patch(procs, "wait_on_host", _releasing(procs.wait_on_host))


# Where the standard library (and pyrace's process shims) block in native
# code that GIL mode's `time`, `threading` and `_thread` versions do not
# cover: modules patched when GIL mode starts, or when they are imported
# while it is on.
_BLOCKING_CALLS = {
    "os": _patch_os,
    "select": _patch_select,
    "selectors": _patch_selectors,
    "multiprocessing.connection": _patch_connection,
    "multiprocessing.synchronize": _patch_synchronize,
    "_pyrace_procs": _patch_procs,
}

_ABSENT = object()


def _patch(obj, name, value):
    """Sets `obj.name`, and notes how to put it back."""
    old = vars(obj).get(name, _ABSENT)
    if old is _ABSENT:
        _state.undo.append(lambda: delattr(obj, name))
    else:
        _state.undo.append(lambda: setattr(obj, name, old))
    setattr(obj, name, value)


def _patch_blocking_calls():
    for name, patch in _BLOCKING_CALLS.items():
        module = sys.modules.get(name)
        if module is not None:
            patch(module, _patch)
    # Modules imported while GIL mode is on are patched once they have run.
    from _pyrace_imports import PatchAfterImport

    def when_on(patch):
        return lambda module: _state.hand is not None and patch(module, _patch)

    finder = PatchAfterImport({name: when_on(patch) for name, patch in _BLOCKING_CALLS.items()})
    sys.meta_path.insert(0, finder)
    _state.undo.append(lambda: finder in sys.meta_path and sys.meta_path.remove(finder))


def enable(interval, preempt):
    """GIL mode from now on (with `preempt`), or a free-threaded run's
    timeline: the same wrappers, whose `acquire` and `release` only mark
    where a thread runs and where it blocks."""
    if _state.hand is not None:
        return
    import queue
    import threading
    import time
    import _thread

    config = _state.config
    if preempt:
        hand = _Hand(config.acquire, config.release)
    else:
        hand = _Hand(config.mark_running, config.mark_blocked)
    real_allocate = _thread.allocate_lock
    waits = _Waits(real_allocate)
    get_ident = _thread.get_ident

    def wait_forever(what, attempt):
        """Calls `attempt(_POLL)` until it succeeds, watching for a deadlock."""
        ident = get_ident()
        waits.wait(ident, what)
        try:
            while not attempt(_POLL):
                waits.check()
        finally:
            waits.done(ident)

    class Lock:
        """A lock whose blocking acquire lets other threads run meanwhile."""

        __slots__ = ("_lock", "__weakref__")

        def __init__(self):
            self._lock = real_allocate()

        def acquire(self, blocking=True, timeout=-1):
            if self._lock.acquire(False):
                return True
            if not blocking:
                return False
            if timeout is None or timeout < 0:
                hand.around(wait_forever, "Lock.acquire", lambda t: self._lock.acquire(True, t))
                return True
            return hand.around(self._lock.acquire, True, timeout)

        def release(self):
            self._lock.release()

        def locked(self):
            return self._lock.locked()

        def _at_fork_reinit(self):
            self._lock = real_allocate()

        def __enter__(self):
            return self.acquire()

        def __exit__(self, *exc):
            self._lock.release()

        def __repr__(self):
            state = "locked" if self.locked() else "unlocked"
            return "<%s pyrace GIL-mode lock>" % state

    bootstrap = threading.Thread._bootstrap_inner
    start = threading.Thread.start

    def start_thread(self):
        # Preemption starts with the second thread: a lone thread runs
        # unmonitored, at full speed.
        if preempt:
            _monitor()
        start(self)

    def bootstrap_inner(self):
        config.thread_started(self.name)
        ident = get_ident()
        waits.live(ident)
        hand.acquire()
        try:
            bootstrap(self)
        finally:
            waits.dead(ident)
            hand.release()
            config.thread_ended()

    real_join = threading.Thread.join

    def join(self, timeout=None):
        if timeout is None:

            def joined(t):
                real_join(self, t)
                return not self.is_alive()

            hand.around(wait_forever, "Thread.join (%s)" % self.name, joined)
        else:
            hand.around(real_join, self, timeout)

    real_setswitchinterval = sys.setswitchinterval

    def setswitchinterval(seconds):
        real_setswitchinterval(seconds)
        config.set_interval(sys.getswitchinterval())

    _state.hand = hand
    _patch(time, "sleep", _releasing(time.sleep))
    _patch(threading, "Lock", Lock)
    _patch(threading, "_allocate_lock", Lock)
    # RLock() builds the pure-Python RLock, on top of the Lock above.
    _patch(threading, "_CRLock", None)
    _patch(threading.Thread, "join", join)
    _patch(threading.Thread, "_bootstrap_inner", bootstrap_inner)
    _patch(threading.Thread, "start", start_thread)
    # The C SimpleQueue blocks natively, baton held; the Python one waits
    # on the locks above (ThreadPoolExecutor's workers wait on one).
    _patch(queue, "SimpleQueue", queue._PySimpleQueue)
    _patch_blocking_calls()
    # Put back in either mode: a program may have set it itself.
    interval_before = sys.getswitchinterval()
    _state.undo.append(lambda: real_setswitchinterval(interval_before))
    if preempt:
        _patch(sys, "setswitchinterval", setswitchinterval)
        setswitchinterval(interval)
    config.thread_started(threading.current_thread().name)
    waits.live(get_ident())
    hand.acquire()


_TOOL = 4  # a sys.monitoring tool id CPython leaves free


def _monitor():
    """Call the engine's tick at loop jumps and function starts, in whichever thread
    runs. Each call silences its place in the code (it returns DISABLE)
    until a thread that waits for the baton re-arms every event, once per
    switch interval (`gil.rs`): no thread of its own does it, so GIL mode
    takes none of the threads a program may start."""
    if _state.monitoring:
        return
    m = sys.monitoring
    m.use_tool_id(_TOOL, "pyrace GIL mode")
    for event in (m.events.JUMP, m.events.PY_START):
        m.register_callback(_TOOL, event, _state.config.tick)
    m.set_events(_TOOL, m.events.JUMP | m.events.PY_START)
    _state.monitoring = True


def _unmonitor():
    if not _state.monitoring:
        return
    m = sys.monitoring
    m.set_events(_TOOL, 0)
    m.free_tool_id(_TOOL)
    _state.monitoring = False


def measure_overhead(clock, rounds=11, target=0.02):
    """Times one CPU-bound loop on this thread with the switching hook off
    and on, in interleaved rounds (which goes first alternates, so neither
    always runs on a warmer or a cooler machine). The loop runs in pieces of
    about a switch interval with the hook re-armed after each, as a thread
    waiting for the baton re-arms it (the pieces and re-arming are the same
    both ways). Returns the seconds of each round's loop without and with
    the hook, one after the other ([plain, hooked, plain, hooked, …])."""

    def work(n):
        total = 0
        for i in range(n):
            if i & 1:
                total += i
        return total

    def timed(n):
        t0 = clock()
        work(n)
        return clock() - t0

    # The faster of two tries: a try that the machine slowed down (it only
    # ever slows them) would stop the doubling too early.
    n = 1000
    while min(timed(n), timed(n)) < target and n < 1 << 26:
        n *= 2
    m = sys.monitoring
    events = m.events.JUMP | m.events.PY_START
    pieces = max(1, round(target / sys.getswitchinterval()))
    piece = n // pieces
    restart = m.restart_events

    def timed_in_pieces():
        t0 = clock()
        for _ in range(pieces):
            work(piece)
            restart()
        return clock() - t0

    def hooked():
        m.set_events(_TOOL, events)
        return timed_in_pieces()

    def plain():
        m.set_events(_TOOL, 0)
        return timed_in_pieces()

    _monitor()
    times = []
    try:
        # One untimed pair first: the hook's first calls are not its cost.
        hooked()
        plain()
        for r in range(rounds):
            if r % 2:
                h = hooked()
                times.append(plain())
                times.append(h)
            else:
                times.append(plain())
                times.append(hooked())
    finally:
        _unmonitor()
    return times


def disable():
    """Puts back everything `enable` changed, newest first, then lets go of
    the baton. The baton's release even after a free-threaded run: it
    balances `enable`'s last acquire, and a thread that does not hold the
    baton records nothing by it."""
    if _state.hand is None:
        return
    _unmonitor()
    undo = _state.undo
    while undo:
        undo.pop()()
    _state.hand = None
    _state.config.release()
