"""GIL mode for a pyrace session: makes every thread hold the session's
baton to run Python, lets go of it around blocking calls, and registers the
native `sys.monitoring` hook that hands it over every switch interval.

`enable` swaps the blocking entry points of `time`, `threading` and
`_thread` for versions that release the baton while they block; `disable`
puts the originals back.
"""

import queue
import sys
import threading
import time
import _thread

_saved = {}


def enable(acquire, release, tick, set_interval, thread_started, thread_ended, interval):
    if _saved:
        return

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
        _monitor(tick, _saved["sleep"])
        start(self)

    def bootstrap_inner(self):
        thread_started(self.name)
        acquire()
        try:
            bootstrap(self)
        finally:
            release()
            thread_ended()

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
    threading.Thread.join = blocking(threading.Thread.join)
    threading.Thread._bootstrap_inner = bootstrap_inner
    threading.Thread.start = start_thread
    # The C SimpleQueue blocks natively, baton held; the Python one waits
    # on the locks above (ThreadPoolExecutor's workers wait on one).
    queue.SimpleQueue = queue._PySimpleQueue
    sys.setswitchinterval = setswitchinterval
    setswitchinterval(interval)
    thread_started(threading.current_thread().name)
    acquire()


_TOOL = 4  # a sys.monitoring tool id CPython leaves free
_monitoring = []


def _monitor(tick, sleep):
    """Call `tick` at the next loop jump or function start after each switch
    interval, in whichever thread runs."""
    if _monitoring:
        return
    m = sys.monitoring
    m.use_tool_id(_TOOL, "pyrace GIL mode")
    for event in (m.events.JUMP, m.events.PY_START):
        m.register_callback(_TOOL, event, tick)
    m.set_events(_TOOL, m.events.JUMP | m.events.PY_START)
    _monitoring.append(True)

    def ticker():
        # Outside GIL mode's rules (started by _thread, not threading): it
        # never runs user code and must not wait for the baton.
        while _monitoring:
            sleep(sys.getswitchinterval())
            m.restart_events()

    _thread.start_new_thread(ticker, ())


def _unmonitor():
    if not _monitoring:
        return
    m = sys.monitoring
    m.set_events(_TOOL, 0)
    m.free_tool_id(_TOOL)
    _monitoring.clear()


def disable(release):
    if not _saved:
        return
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
    _saved.clear()
    release()
