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

import sys

# threading, queue, time and _thread are imported where used: this module is
# loaded by every session at start-up, and most runs never use GIL mode.

_saved = {}

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


_waits = None


# (release, acquire) while GIL mode (or a free-threaded timeline) is on. The
# wrappers of `_BLOCKING_CALLS` read it at each call, so one that a module
# kept (a default argument, a class attribute) passes straight through once
# GIL mode is off.
_hooks = None


def _releasing(fn):
    """`fn`, letting go of the baton while it runs."""
    hooks = _hooks
    if hooks is None:
        return fn()
    release, acquire = hooks
    release()
    try:
        return fn()
    finally:
        acquire()


class _Blocking:
    """A blocking function of a native module that lets go of the baton
    while it blocks. A callable object, not a function: a class that keeps
    it as an attribute (`selectors.SelectSelector._select = select.select`)
    must not turn it into a method."""

    __slots__ = ("wrapped",)

    def __init__(self, wrapped):
        self.wrapped = wrapped

    def __call__(self, *args, **kwargs):
        return _releasing(lambda: self.wrapped(*args, **kwargs))

    def __getattr__(self, name):
        return getattr(self.wrapped, name)

    def __repr__(self):
        return repr(self.wrapped)


def _blocking_method(method):
    """A Python method that spends its time blocked, letting go of the baton
    meanwhile (the little Python it runs around the wait runs without it, as
    `Thread.join`'s does)."""

    def call(*args, **kwargs):
        return _releasing(lambda: method(*args, **kwargs))

    call.__name__ = method.__name__
    call.__qualname__ = getattr(method, "__qualname__", method.__name__)
    call.__doc__ = method.__doc__
    return call


def _semlock_acquire(acquire):
    """`_multiprocessing.SemLock.acquire` that first tries without letting
    go of the baton, and lets go of it only to wait (as CPython's does)."""

    def semlock_acquire(block=True, timeout=None):
        if acquire(False):
            return True
        if not block:
            return False
        return _releasing(lambda: acquire(True, timeout))

    return semlock_acquire


def _patch_os(os, patch):
    for name in ("read", "write", "waitpid", "wait", "wait3", "wait4", "waitid"):
        if hasattr(os, name):
            patch(os, name, _Blocking(getattr(os, name)))


def _patch_select(select, patch):
    patch(select, "select", _Blocking(select.select))


def _patch_selectors(selectors, patch):
    # Every `select` of a selector (multiprocessing.connection.wait, which
    # Pool, Process.join and ProcessPoolExecutor wait in, uses one; so does
    # asyncio's loop natively). pyrace's own asyncio selector waits on a
    # condition variable, which GIL mode's locks already handle.
    for name in ("SelectSelector", "_PollLikeSelector", "EpollSelector",
                 "DevpollSelector", "KqueueSelector"):
        cls = getattr(selectors, name, None)
        if cls is not None and "select" in vars(cls):
            patch(cls, "select", _blocking_method(cls.select))


def _patch_connection(connection, patch):
    # `_recv` and `_send` bound `os.read` and `os.write` when the module was
    # imported: the `os` wrappers may not be the ones they call.
    cls = connection.Connection
    for name in ("_recv", "_send"):
        patch(cls, name, _blocking_method(getattr(cls, name)))


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
    patch(procs, "wait_on_host", _Blocking(procs.wait_on_host))


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

# (object, attribute, what it was or _ABSENT) for each patch, to undo them.
_patched = []
_ABSENT = object()


def _patch(obj, name, value):
    _patched.append((obj, name, vars(obj).get(name, _ABSENT)))
    setattr(obj, name, value)


def _unpatch():
    while _patched:
        obj, name, old = _patched.pop()
        if old is _ABSENT:
            delattr(obj, name)
        else:
            setattr(obj, name, old)


def _patch_blocking_calls(release, acquire):
    global _hooks
    _hooks = (release, acquire)
    for name, patch in _BLOCKING_CALLS.items():
        module = sys.modules.get(name)
        if module is not None:
            patch(module, _patch)
    # Modules imported while GIL mode is on are patched once they have run.
    from _pyrace_imports import PatchAfterImport

    def when_on(patch):
        return lambda module: _hooks is not None and patch(module, _patch)

    finder = PatchAfterImport({name: when_on(patch) for name, patch in _BLOCKING_CALLS.items()})
    _saved["finder"] = finder
    sys.meta_path.insert(0, finder)


def _unpatch_blocking_calls():
    global _hooks
    finder = _saved.get("finder")
    if finder in sys.meta_path:
        sys.meta_path.remove(finder)
    _unpatch()
    _hooks = None


def enable(acquire, release, tick, set_interval, thread_started, thread_ended, interval,
           preempt=True):
    if _saved:
        return
    import queue
    import threading
    import time
    import _thread

    def blocking(fn):
        def call(*args, **kwargs):
            release()
            try:
                return fn(*args, **kwargs)
            finally:
                acquire()

        call.__name__ = getattr(fn, "__name__", "call")
        call.__doc__ = getattr(fn, "__doc__", None)
        return call

    real_allocate = _saved.setdefault("allocate", _thread.allocate_lock)
    global _waits
    _waits = waits = _Waits(real_allocate)
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
            release()
            try:
                if timeout is None or timeout < 0:
                    wait_forever("Lock.acquire", lambda t: self._lock.acquire(True, t))
                    return True
                return self._lock.acquire(True, timeout)
            finally:
                acquire()

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
            _monitor(tick)
        start(self)

    def bootstrap_inner(self):
        thread_started(self.name)
        ident = get_ident()
        waits.live(ident)
        acquire()
        try:
            bootstrap(self)
        finally:
            waits.dead(ident)
            release()
            thread_ended()

    real_join = threading.Thread.join

    def join(self, timeout=None):
        release()
        try:
            if timeout is None:

                def joined(t):
                    real_join(self, t)
                    return not self.is_alive()

                wait_forever("Thread.join (%s)" % self.name, joined)
            else:
                real_join(self, timeout)
        finally:
            acquire()

    def setswitchinterval(seconds):
        _saved["setswitchinterval"](seconds)
        set_interval(sys.getswitchinterval())

    _saved.update(
        setswitchinterval=sys.setswitchinterval,
        simplequeue=queue.SimpleQueue,
        sleep=time.sleep,
        lock=threading.Lock,
        allocate_lock=threading._allocate_lock,
        crlock=threading._CRLock,
        join=threading.Thread.join,
        start=start,
        bootstrap=bootstrap,
        switchinterval=sys.getswitchinterval(),
    )
    time.sleep = blocking(time.sleep)
    threading.Lock = threading._allocate_lock = Lock
    # RLock() builds the pure-Python RLock, on top of the Lock above.
    threading._CRLock = None
    threading.Thread.join = join
    threading.Thread._bootstrap_inner = bootstrap_inner
    threading.Thread.start = start_thread
    # The C SimpleQueue blocks natively, baton held; the Python one waits
    # on the locks above (ThreadPoolExecutor's workers wait on one).
    queue.SimpleQueue = queue._PySimpleQueue
    _patch_blocking_calls(release, acquire)
    if preempt:
        sys.setswitchinterval = setswitchinterval
        setswitchinterval(interval)
    thread_started(threading.current_thread().name)
    waits.live(get_ident())
    acquire()


_TOOL = 4  # a sys.monitoring tool id CPython leaves free
_monitoring = []


def _monitor(tick):
    """Call `tick` at loop jumps and function starts, in whichever thread
    runs. Each call silences its place in the code (it returns DISABLE)
    until a thread that waits for the baton re-arms every event, once per
    switch interval (`gil.rs`): no thread of its own does it, so GIL mode
    takes none of the threads a program may start."""
    if _monitoring:
        return
    m = sys.monitoring
    m.use_tool_id(_TOOL, "pyrace GIL mode")
    for event in (m.events.JUMP, m.events.PY_START):
        m.register_callback(_TOOL, event, tick)
    m.set_events(_TOOL, m.events.JUMP | m.events.PY_START)
    _monitoring.append(True)


def _unmonitor():
    if not _monitoring:
        return
    m = sys.monitoring
    m.set_events(_TOOL, 0)
    m.free_tool_id(_TOOL)
    _monitoring.clear()


def measure_overhead(tick, clock, rounds=11, target=0.02):
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

    _monitor(tick)
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


def disable(release):
    if not _saved:
        return
    import queue
    import threading
    import time
    _unmonitor()
    sys.setswitchinterval = _saved["setswitchinterval"]
    sys.setswitchinterval(_saved["switchinterval"])
    queue.SimpleQueue = _saved["simplequeue"]
    time.sleep = _saved["sleep"]
    threading.Lock = _saved["lock"]
    threading._allocate_lock = _saved["allocate_lock"]
    threading._CRLock = _saved["crlock"]
    threading.Thread.join = _saved["join"]
    threading.Thread._bootstrap_inner = _saved["bootstrap"]
    threading.Thread.start = _saved["start"]
    _unpatch_blocking_calls()
    _saved.clear()
    release()
