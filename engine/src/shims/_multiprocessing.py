"""`_multiprocessing` for engines whose processes are started by the
browser host (WASI has no `sem_open`): `SemLock` over the host's
semaphores, which every process of a run shares. It behaves as CPython's
`Modules/_multiprocessing/semaphore.c`: a recursive mutex counts its
owner's acquisitions; a semaphore tracks how often this process took it."""

import _thread

from _pyrace_procs import host

flags = {}

RECURSIVE_MUTEX = 0
SEMAPHORE = 1

# The semaphores this process created, by name, for `sem_unlink`.
_named = {}
# The host's handles of every semaphore this process created.
_created = []


class SemLock:
    """A semaphore shared between processes, kept by the host."""

    SEM_VALUE_MAX = 2**31 - 1

    def __init__(self, kind, value, maxvalue, name, unlink):
        if kind not in (RECURSIVE_MUTEX, SEMAPHORE):
            raise ValueError("unrecognized kind")
        handle = host("sem_open", value=value, max=maxvalue)["handle"]
        _created.append(handle)
        self._setup(handle, kind, maxvalue, None if unlink else name)
        if not unlink:
            _named[name] = handle

    def _setup(self, handle, kind, maxvalue, name):
        self.handle = handle
        self.kind = kind
        self.maxvalue = maxvalue
        self.name = name
        self.count = 0
        self.last_tid = None

    @classmethod
    def _rebuild(cls, handle, kind, maxvalue, name):
        # The handle is the host's: the same in every process.
        lock = cls.__new__(cls)
        lock._setup(handle, kind, maxvalue, name)
        return lock

    def _is_mine(self):
        return self.count > 0 and self.last_tid == _thread.get_ident()

    def acquire(self, block=True, timeout=None):
        """Acquire the semaphore/lock (at most `timeout` seconds when blocking)."""
        if self.kind == RECURSIVE_MUTEX and self._is_mine():
            self.count += 1
            return True
        if not block:
            wait = 0.0
        elif timeout is None:
            wait = None
        else:
            wait = max(0.0, float(timeout))
        if not host("sem_acquire", handle=self.handle, timeout=wait)["ok"]:
            return False
        self.count += 1
        self.last_tid = _thread.get_ident()
        return True

    def release(self):
        """Release the semaphore/lock."""
        if self.kind == RECURSIVE_MUTEX:
            if not self._is_mine():
                raise AssertionError("attempt to release recursive lock not owned by thread")
            if self.count > 1:
                self.count -= 1
                return
        host("sem_release", handle=self.handle)
        self.count -= 1

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *args):
        return self.release()

    def _count(self):
        return self.count

    def _get_value(self):
        return host("sem_value", handle=self.handle)["value"]

    def _is_zero(self):
        return self._get_value() == 0

    def _after_fork(self):
        self.count = 0


def sem_unlink(name):
    """Remove the name `name`. As with POSIX semaphores, the processes that
    hold the semaphore keep it; it is freed when the program that created
    it ends (`free_created`)."""
    if _named.pop(name, None) is None:
        raise FileNotFoundError(2, "No such file or directory", name)


def free_created():
    """The program that created this process's semaphores ended, and with
    it (see `_pyrace_exit`) every child that could use them: the host
    frees them. (What a crashed process leaves, the host frees at the end
    of the run.)"""
    if _created:
        handles = list(_created)
        _created.clear()
        _named.clear()
        host("sem_free", handles=handles)
