"""Warm child processes for multiprocessing, natively.

A spawned child is a fresh `pyrace` engine: it starts an interpreter and
imports multiprocessing before it can even read what it is asked to run,
which takes a good part of its start-up. So when a run that started
processes ends, children are started to replace them: each gets as far as
that, says it is ready, and waits on its pipe. In the next run of the same
`pyrace` process (the next repeat of a timed program, the next lesson),
`Process.start()` hands its work to a waiting child (the same bytes spawn
would send a new one); with none waiting it starts a child as usual.

The refill happens between runs and waits until the new children are
ready, so their start-up never competes with a run for the processor.
When `pyrace` exits, each waiting child reads the end of its pipe and
exits quietly.
"""

import os
import sys

# What a waiting child runs. Its own descriptors move out of the way (high
# numbers), so that the parent's can later take the numbers they have in
# the parent, as a spawned child inherits them. It says it is ready, with
# the descriptors it has open, on the pipe that is the parent's sentinel
# (the parent reads that line before anyone watches the pipe). Then it
# waits for the descriptors the pickled work refers to (an empty message:
# the parent let it go unused) and goes on as a spawned child always does.
_CHILD = """\
import fcntl, json, os, socket, sys
from multiprocessing import spawn
def away(fd, low=1000):
    high = fcntl.fcntl(fd, fcntl.F_DUPFD, low)
    os.close(fd)
    return high
tracker, pipe, ready, sock = (away(fd) for fd in ({tracker}, {pipe}, {ready}, {sock}))
others = sorted(int(fd) for fd in os.listdir("/dev/fd") if int(fd) < 1000)
os.write(ready, (json.dumps(others) + "\\n").encode())
sock = socket.socket(fileno=sock)
message, fds, _, _ = socket.recv_fds(sock, 65536, 256)
if not message:
    sys.exit(0)
fds = [away(fd, 2000) for fd in fds]
for fd, number in zip(fds, json.loads(message)):
    os.dup2(fd, number)
    os.close(fd)
sock.close()
spawn.spawn_main(tracker_fd=tracker, pipe_handle=pipe)
"""


class WarmChildren:
    def __init__(self, count):
        self.count = count
        self.waiting = []  # (pid, parent_r, parent_w, parent_sock, the child's own fds)
        self.refill_registered = False

    def start_one(self):
        import socket

        from multiprocessing import resource_tracker, spawn, util

        tracker_fd = resource_tracker.getfd()
        parent_r, child_w = os.pipe()
        child_r, parent_w = os.pipe()
        parent_sock, child_sock = socket.socketpair()
        try:
            code = _CHILD.format(tracker=tracker_fd, pipe=child_r, ready=child_w,
                                 sock=child_sock.fileno())
            cmd = ([spawn.get_executable()] + util._args_from_interpreter_flags()
                   + ["-c", code, "--multiprocessing-fork"])
            pid = util.spawnv_passfds(spawn.get_executable(), cmd,
                                      [tracker_fd, child_r, child_w, child_sock.fileno()])
        except BaseException:
            for fd in (parent_r, parent_w):
                os.close(fd)
            parent_sock.close()
            raise
        finally:
            os.close(child_r)
            os.close(child_w)
            child_sock.close()
        return pid, parent_r, parent_w, parent_sock

    def refill(self):
        import json

        self.refill_registered = False
        started = []
        try:
            for _ in range(self.count - len(self.waiting)):
                started.append(self.start_one())
        except Exception:
            pass  # fewer waiting children: the others start cold
        for pid, parent_r, parent_w, parent_sock in started:
            line = b""
            while not line.endswith(b"\n"):
                chunk = os.read(parent_r, 4096)
                if not chunk:
                    break
                line += chunk
            if line.endswith(b"\n"):
                own = frozenset(json.loads(line))
                self.waiting.append((pid, parent_r, parent_w, parent_sock, own))
                continue
            # It died on the way: nothing to hand work to.
            os.close(parent_r)
            os.close(parent_w)
            parent_sock.close()
            try:
                os.waitpid(pid, 0)
            except OSError:
                pass

    def take(self):
        return self.waiting.pop(0) if self.waiting else None

    def refill_after_run(self):
        # atexit functions run when a run ends, and are cleared after it.
        if not self.refill_registered:
            import atexit

            atexit.register(self.refill)
            self.refill_registered = True


def _install(popen_spawn_posix, count):
    import io
    import json
    import socket
    import threading

    from multiprocessing import context, reduction, spawn, util

    pool = WarmChildren(count)
    Popen = popen_spawn_posix.Popen
    cold_launch = Popen._launch
    lock = threading.Lock()

    def _launch(self, process_obj):
        with lock:
            pool.refill_after_run()
            child = pool.take()
        if child is None:
            return cold_launch(self, process_obj)
        prep_data = spawn.get_preparation_data(process_obj._name)
        fp = io.BytesIO()
        context.set_spawning_popen(self)
        try:
            reduction.dump(prep_data, fp)
            reduction.dump(process_obj, fp)
        finally:
            context.set_spawning_popen(None)
        pid, parent_r, parent_w, parent_sock, own = child
        # The descriptors the pickled work refers to (`duplicate_for_child`)
        # go to the child and take the same numbers there; one it already
        # uses for itself cannot, and a new child is started instead.
        if own & set(self._fds):
            with lock:
                pool.waiting.append(child)
            self._fds.clear()
            return cold_launch(self, process_obj)
        self.pid = pid
        self.sentinel = parent_r
        try:
            socket.send_fds(parent_sock, [json.dumps(self._fds).encode()], self._fds)
            with open(parent_w, "wb", closefd=False) as f:
                f.write(fp.getbuffer())
        finally:
            parent_sock.close()
            self.finalizer = util.Finalize(self, util.close_fds, [parent_r, parent_w])

    Popen._launch = _launch


def install(count):
    """Installs the warm children once `multiprocessing.popen_spawn_posix`
    is imported (the first `Process.start()` imports it), through the
    session's patch-after-import finder."""
    for finder in sys.meta_path:
        if type(finder).__name__ == "PatchAfterImport":
            finder.patches["multiprocessing.popen_spawn_posix"] = (
                lambda module: _install(module, count))
            return
