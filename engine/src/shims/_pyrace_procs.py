"""Processes for `multiprocessing` where the engine cannot fork or exec:
in the browser every process is an engine instance of its own, started by
the host. The host (`_pyrace.host_call`, JSON in and out) keeps what
processes share: pipes (file descriptors that `os.read`, `os.write`,
`os.close` and `select` use as usual), semaphores and the process table.

On top of it, this module gives `multiprocessing` its spawn start method:
`Popen` hands the child the pipe of its preparation data and the
descriptors it inherits; the child, an engine the host started ahead of
time, waits in `child_main` until a parent claims it, then runs what
`spawn_main` runs. Everything above (Process, Pool, Queue, Lock,
ProcessPoolExecutor) is the standard library's own.

`patch_spawn` serves every platform: a program that is not a file (the
playground's) is re-run in the child from its source, as `__mp_main__`.
"""

import io
import json
import os
import sys

_SIGNALS = {"SIGTERM": 15, "SIGKILL": 9, "SIGINT": 2}

# Requests that may wait (for a child, a semaphore, a process to claim):
# the host names them in its reply to `self` (www/protocol.js holds the
# list), asked for on the first request.
_blocking_ops = None

# Children started since the last `refill_children`.
_started = [0]


def _deliver_output():
    # Output is batched; what was printed before a wait must not wait too.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def wait_on_host(request):
    """A request that may wait (GIL mode lets other threads run meanwhile)."""
    import _pyrace

    return _pyrace.host_call(request)


def _may_wait(op):
    global _blocking_ops
    if op == "self":
        return False
    if _blocking_ops is None:
        _blocking_ops = frozenset(host("self")["blocking_ops"])
    return op in _blocking_ops


def host(op, **args):
    """One request to the host; raises what its error reply says.

    Every error reply has one shape: `{"error": message, "kind": "os" |
    "value" | "unavailable", "errno_name": name or None}`."""
    import _pyrace

    call = _pyrace.host_call
    if args.get("timeout") != 0 and _may_wait(op):
        _deliver_output()
        call = wait_on_host
    args["op"] = op
    reply = json.loads(call(json.dumps(args)))
    error = reply.get("error")
    if error is not None:
        kind = reply["kind"]
        if kind == "value":
            raise ValueError(error)
        if kind == "unavailable":
            raise RuntimeError(error)
        import errno

        raise OSError(getattr(errno, reply["errno_name"] or "", 0), error)
    return reply


def install_os(os_module):
    """`os` functions that WASI lacks or answers for a lone process: pipes,
    process ids, the number of cores."""
    me = host("self")

    def pipe():
        """Create a pipe (a pair of file descriptors: read end, write end)."""
        ends = host("pipe")
        return ends["r"], ends["w"]

    def getpid():
        """Return the current process id."""
        return me["pid"]

    def getppid():
        """Return the parent's process id (0 for the page's own process)."""
        return me["ppid"]

    def cpu_count():
        """Return the number of logical CPUs of the machine (the browser's
        navigator.hardwareConcurrency)."""
        return me["cpus"]

    # A child installs again once claimed (its parent is known then).
    real_read = getattr(os_module.read, "unwrapped", os_module.read)
    first_pipe = me["first_pipe_fd"]

    def read(fd, length):
        """Read at most `length` bytes from file descriptor `fd`."""
        if fd >= first_pipe:
            # A pipe read may wait for another process: deliver what was
            # printed before it first.
            _deliver_output()
        return real_read(fd, length)

    read.unwrapped = real_read

    os_module.pipe = pipe
    os_module.read = read
    os_module.getpid = getpid
    os_module.getppid = getppid
    os_module.cpu_count = cpu_count
    if hasattr(os_module, "process_cpu_count"):
        os_module.process_cpu_count = cpu_count


# --- the spawn start method on the host ------------------------------------


class _DupFd:
    def __init__(self, fd):
        self.fd = fd

    def detach(self):
        return self.fd


class Popen:
    """`multiprocessing`'s spawn Popen, starting the child on the host."""

    method = "spawn"
    DupFd = _DupFd

    def __init__(self, process_obj):
        from multiprocessing import util

        util._flush_std_streams()
        self.returncode = None
        self.finalizer = None
        self._fds = []
        self._launch(process_obj)

    def duplicate_for_child(self, fd):
        # The child gets the same descriptor numbers as the parent.
        self._fds.append(fd)
        return fd

    def _launch(self, process_obj):
        from multiprocessing import spawn, util
        from multiprocessing.context import reduction, set_spawning_popen

        prep_data = spawn.get_preparation_data(process_obj._name)
        fp = io.BytesIO()
        set_spawning_popen(self)
        try:
            reduction.dump(prep_data, fp)
            reduction.dump(process_obj, fp)
        finally:
            set_spawning_popen(None)

        parent_r = child_w = child_r = parent_w = None
        try:
            # parent_r/child_w: the sentinel, at end of file once the child
            # is gone; child_r/parent_w: the child's preparation data.
            parent_r, child_w = os.pipe()
            child_r, parent_w = os.pipe()
            self._fds.extend([child_r, child_w])
            self.pid = host("spawn", fds=self._fds, pipe=child_r)["pid"]
            _started[0] += 1
            os.close(child_r)
            child_r = None
            os.close(child_w)
            child_w = None
            self.sentinel = parent_r
            data = fp.getbuffer()
            written = 0
            while written < len(data):
                written += os.write(parent_w, data[written:])
        finally:
            fds_to_close = [fd for fd in (parent_r, parent_w) if fd is not None]
            self.finalizer = util.Finalize(self, util.close_fds, fds_to_close)
            for fd in (child_r, child_w):
                if fd is not None:
                    os.close(fd)

    def poll(self, flag=None):
        return self.wait(0.0)

    def wait(self, timeout=None):
        if self.returncode is None:
            self.returncode = host("wait", pid=self.pid, timeout=timeout)["exitcode"]
        return self.returncode

    def _send_signal(self, signal):
        if self.returncode is None:
            host("kill", pid=self.pid, signal=signal)

    def interrupt(self):
        self._send_signal(_SIGNALS["SIGINT"])

    def terminate(self):
        self._send_signal(_SIGNALS["SIGTERM"])

    def kill(self):
        self._send_signal(_SIGNALS["SIGKILL"])

    def close(self):
        if self.finalizer is not None:
            self.finalizer()


def refill_children():
    """Between two runs of a timed program: waits until the host has as
    many children warm as the last run started, so that the next run's
    processes start as quickly as a run's first ones (the page keeps
    children warm between runs, not during one)."""
    count, _started[0] = _started[0], 0
    if count:
        host("refill_children", count=count, timeout=10)


def resource_tracker():
    """`multiprocessing.resource_tracker` for the host. The standard one is
    a process of its own that unlinks the semaphores a crashed program
    leaked (and needs signals WASI lacks); the host frees a run's
    semaphores when the run ends, so there is nothing to track."""
    import types

    module = types.ModuleType("multiprocessing.resource_tracker", resource_tracker.__doc__)

    def register(name, rtype):
        pass

    def ensure_running():
        pass

    def getfd():
        return None

    module.register = module.unregister = register
    module.ensure_running = ensure_running
    module.getfd = getfd
    return module


class _PipeReader(io.RawIOBase):
    """A host pipe as a raw binary file (for the preparation data)."""

    def __init__(self, fd):
        self.fd = fd

    def readable(self):
        return True

    def readinto(self, buffer):
        data = os.read(self.fd, len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self):
        if not self.closed:
            os.close(self.fd)
        super().close()


def child_main():
    """The program of a child engine: wait until a parent claims this
    process, then run what the parent sent, as `spawn_main` does."""
    # Imported while the engine waits, not once claimed: starting a child
    # then costs only the program's own work.
    import multiprocessing.pool  # noqa: F401
    import multiprocessing.queues  # noqa: F401
    import multiprocessing.synchronize  # noqa: F401
    import concurrent.futures.process  # noqa: F401
    from multiprocessing import process, spawn
    from multiprocessing.context import reduction

    claim = host("assignment")
    install_os(os)
    with io.BufferedReader(_PipeReader(claim["pipe"])) as from_parent:
        process.current_process()._inheriting = True
        try:
            preparation_data = reduction.pickle.load(from_parent)
            spawn.prepare(preparation_data)
            self = reduction.pickle.load(from_parent)
        finally:
            del process.current_process()._inheriting
    sys.exit(self._bootstrap(claim["sentinel"]))


# --- re-running a program that is not a file --------------------------------


def patch_spawn(spawn, main_sources, ran_in, register_source):
    """Children of a program that has no file re-run its source as
    `__mp_main__`, as spawn re-runs a script from its path."""
    real_get = spawn.get_preparation_data
    real_prepare = spawn.prepare

    def get_preparation_data(name):
        d = real_get(name)
        if "init_main_from_name" not in d and "init_main_from_path" not in d:
            sources = main_sources()
            if sources:
                d["pyrace_main"] = sources
        return d

    def prepare(data):
        real_prepare(data)
        if "pyrace_main" in data:
            _run_main(data["pyrace_main"], ran_in, register_source)

    get_preparation_data.__doc__ = real_get.__doc__
    prepare.__doc__ = real_prepare.__doc__
    spawn.get_preparation_data = get_preparation_data
    spawn.prepare = prepare


def _run_main(sources, ran_in, register_source):
    import types

    main = types.ModuleType("__mp_main__")
    main.__builtins__ = __builtins__
    sys.modules["__main__"] = sys.modules["__mp_main__"] = main
    for filename, source in sources:
        register_source(filename, source)
        ran_in(main.__dict__, filename)
        exec(compile(source, filename, "exec"), main.__dict__)
