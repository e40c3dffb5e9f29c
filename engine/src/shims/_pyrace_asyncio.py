"""An asyncio event loop that needs no sockets, for engines without them
(WASI in the browser): the standard selector loop opens a socket pair to
wake itself, which WASI cannot create. This loop sleeps on a condition
variable instead; `call_soon_threadsafe` (used by `to_thread` and
executors) notifies it. Timers, tasks, futures, queues, semaphores,
timeouts and cancellation are asyncio's own; only sockets and subprocesses
are unavailable."""

import selectors
import threading
import time
from asyncio import selector_events


class ConditionSelector(selectors.BaseSelector):
    """A selector with no file objects: `select` waits for a timeout or a wake-up."""

    def __init__(self):
        self._woken = threading.Condition(threading.Lock())
        self._pending = False
        self._map = {}

    def wake(self):
        with self._woken:
            self._pending = True
            self._woken.notify()

    def select(self, timeout=None):
        with self._woken:
            if not self._pending:
                if timeout is None:
                    self._woken.wait()
                elif timeout > 0:
                    self._woken.wait(timeout)
            self._pending = False
        return []

    def register(self, fileobj, events, data=None):
        raise NotImplementedError(
            "this engine has no sockets or pipes: asyncio can run tasks, timers, "
            "queues and threads here, not network or subprocess I/O"
        )

    def unregister(self, fileobj):
        raise KeyError(fileobj)

    def get_map(self):
        return self._map

    def close(self):
        pass


class PyraceEventLoop(selector_events.BaseSelectorEventLoop):
    """asyncio's selector loop without its self-pipe."""

    def __init__(self):
        super().__init__(ConditionSelector())

    def _make_self_pipe(self):
        pass

    def _close_self_pipe(self):
        pass

    def _write_to_self(self):
        selector = getattr(self, "_selector", None)
        if selector is not None:
            selector.wake()

    def _process_self_data(self, data):
        pass


def use_in(unix_events):
    """Make `unix_events`' default policy create PyraceEventLoop."""
    policy = getattr(unix_events, "_UnixDefaultEventLoopPolicy", None)
    if policy is not None:
        policy._loop_factory = PyraceEventLoop
    unix_events.SelectorEventLoop = PyraceEventLoop
    unix_events.EventLoop = PyraceEventLoop


class _NoSignals:
    """`signal` as asyncio.runners sees it where there are no signals (WASI
    has no SIGINT): Ctrl-C handling is skipped; Stop ends the program."""

    SIGINT = 2
    default_int_handler = object()

    @staticmethod
    def getsignal(signalnum):
        return None


def without_signals(runners):
    """Let `asyncio.run` work where the engine has no signals."""
    runners.signal = _NoSignals
