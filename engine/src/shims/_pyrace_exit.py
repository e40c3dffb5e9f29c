"""The end of a program, as the end of a process: what it held is given back.

A session runs many programs in one interpreter (a timed program runs
again and again in it). When a CPython process exits, `atexit` runs
`multiprocessing.util._exit_function` (pools terminated, queues flushed,
semaphores unlinked, children joined) and then the system closes every
descriptor the process still had. Here the interpreter outlives the
program, so both have to happen at the end of each program:

- `_exit_function` is registered with `atexit` once, when
  `multiprocessing.util` is first imported, and the session clears the
  exit handlers after each program: it would run after the first program
  only, and with its `_exiting` flag left set it would do nothing again.
  `exit_program` runs its steps after every program instead.
- Its last step drops the finalizers that have no exit priority without
  calling them (a process exit makes them moot: they close descriptors).
  A pool's pipes, a process's sentinel and the semaphores of a queue sit
  in reference cycles, so nothing else would ever close them: every
  finalizer runs, then every `Connection` the program opened is closed
  (CPython's closes in `__del__`, which a cycle never reaches), and the
  shared-memory heap starts afresh, as in a new process.
- On the browser host, the semaphores this process created are freed.
"""

import sys
import weakref

# Every multiprocessing Connection opened in this process.
_connections = weakref.WeakSet()


def exit_program():
    """Runs the program's exit handlers, then gives back what it held."""
    import atexit

    util = sys.modules.get("multiprocessing.util")
    if util is not None:
        # `get_logger` registers it again; its steps run below.
        atexit.unregister(util._exit_function)
    try:
        atexit._run_exitfuncs()
    finally:
        atexit._clear()
        _end_multiprocessing()


def forget_exit_function(util):
    """`multiprocessing.util` was imported: its exit function runs at the
    end of every program (`exit_program`), not once from `atexit`."""
    import atexit

    atexit.unregister(util._exit_function)


def track_connections(connection):
    """`multiprocessing.connection` was imported: note every Connection."""
    base = connection._ConnectionBase
    real_init = base.__init__

    def __init__(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        _connections.add(self)

    __init__.__doc__ = real_init.__doc__
    base.__init__ = __init__


def _end_multiprocessing():
    util = sys.modules.get("multiprocessing.util")
    if util is None:
        return
    process = sys.modules["multiprocessing.process"]
    _mark_pools_terminated(util)
    # `_exit_function`'s steps, as at the end of a CPython process.
    util._exiting = True
    try:
        util._run_finalizers(0)
        for p in process.active_children():
            if p.daemon:
                p._popen.terminate()
        for p in process.active_children():
            p.join()
        _run_every_finalizer(util)
        for conn in list(_connections):
            try:
                conn.close()
            except OSError:
                pass  # its descriptor was closed already
        heap = sys.modules.get("multiprocessing.heap")
        if heap is not None and heap.BufferWrapper._heap._arenas:
            # The arenas' descriptors were closed above: the next program's
            # shared values get arenas of their own. Each arena's mapping
            # holds a descriptor of its own until the values in it are
            # gone, which a cycle (a module's functions and its namespace)
            # delays until a collection: the last program's are collected
            # now that `__main__` is another program's.
            heap.BufferWrapper._heap = heap.Heap()
            import gc

            gc.collect()
        host_semaphores = sys.modules.get("_multiprocessing")
        if getattr(host_semaphores, "free_created", None) is not None:
            host_semaphores.free_created()
    finally:
        util._exiting = False


def _mark_pools_terminated(util):
    # A pool the program left running is terminated by its finalizer below,
    # which does not mark it so (`Pool.terminate` does): marked, it does not
    # warn of an unclosed pool whenever it is deallocated later, perhaps as
    # the interpreter is torn down and cannot import the warning's modules.
    pool = sys.modules.get("multiprocessing.pool")
    if pool is None:
        return
    for finalizer in list(util._finalizer_registry.values()):
        ref = getattr(finalizer, "_weakref", None)
        obj = ref() if ref is not None else None
        if isinstance(obj, pool.Pool) and obj._state == pool.RUN:
            obj._state = pool.TERMINATE


def _run_every_finalizer(util):
    # Highest exit priority first, those without one last; the newest
    # first within a priority, as `_run_finalizers` orders them.
    registry = util._finalizer_registry
    keys = list(registry)
    ranked = sorted((k for k in keys if k[0] is not None), reverse=True)
    unranked = sorted((k for k in keys if k[0] is None), key=lambda k: k[1], reverse=True)
    for key in ranked + unranked:
        finalizer = registry.get(key)
        if finalizer is not None:
            _quietly(finalizer)
    registry.clear()


def _quietly(call):
    try:
        call()
    except Exception:
        # What a finalizer of a process that is exiting raises is printed
        # and the exit goes on, as `_run_finalizers` does.
        import traceback

        traceback.print_exc()
