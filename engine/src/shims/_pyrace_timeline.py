"""Timeline rows for what is not a thread: asyncio tasks and child
processes. The engine records threads itself (GIL mode's wrappers); this
module adds, while a run records a timeline (between `start` and `stop`):

- a row per asyncio task: each step the event loop runs of it (running)
  and the time between steps (suspended at an `await`). Every callback an
  event loop runs goes through `asyncio.events.Handle._run`; while
  recording, that method is replaced by one that finds the task a callback
  steps. A step callback knows its task (`__self__`); a wake-up callback
  (the C `_asyncio`'s) does not, but it is called with the future the
  task waited for, and the task whose wait ended is the one that ran.
- a row per child process, as its parent sees it: starting from
  `Process.start()` until the child has a pid, then running until the
  parent learns its exit code (`join`, `is_alive`, `exitcode`, a pool's
  own checks).

Outside a recording nothing here runs: `Handle._run` is asyncio's own and
`Process.start` looks at one global.
"""

import sys

# The engine's recording functions while a timeline records, else None.
_hooks = None
_real_run = []  # [asyncio's Handle._run] while it is replaced


class _Hooks:
    def __init__(self, now, row, mark, step, end):
        self.now = now
        self.row = row
        self.mark = mark
        self.step = step
        self.end = end
        # task -> its row; future -> the tasks suspended on it
        self.rows = {}
        self.awaiting = {}


def start(now, row, mark, step, end):
    """A timeline records from now: record tasks and processes into it."""
    global _hooks
    _hooks = _Hooks(now, row, mark, step, end)
    if "asyncio.events" in sys.modules:
        _record_tasks(sys.modules["asyncio.events"])


def stop():
    """The timeline was taken: record nothing more."""
    global _hooks
    _hooks = None
    if _real_run:
        sys.modules["asyncio.events"].Handle._run = _real_run.pop()


# --- asyncio tasks -----------------------------------------------------------


def patch_asyncio(events):
    """Called when `asyncio.events` is first imported."""
    if _hooks is not None:
        _record_tasks(events)


_NEW = object()


def _own_chore(task):
    """Whether `task` runs asyncio's own code (`asyncio.run` shutting its
    loop down), not the program's."""
    code = getattr(task.get_coro(), "cr_code", None)
    filename = getattr(code, "co_filename", "")
    return filename.startswith("asyncio.") or "/asyncio/" in filename


def _task_name(task):
    coro = task.get_coro()
    what = getattr(coro, "__qualname__", None) or type(coro).__name__
    return "%s (%s)" % (task.get_name(), what)


def _record_tasks(events):
    if _real_run:
        return
    import types
    from asyncio import tasks

    hooks = _hooks
    real_run = events.Handle._run
    task_types = tuple({tasks.Task, getattr(tasks, "_PyTask", tasks.Task)})
    try:
        import _asyncio as c_asyncio
    except ImportError:
        c_asyncio = None
    # Callbacks that step a task and know it: the C task's step wrapper,
    # the Python task's bound methods (`__step`, `__wakeup`). Their types
    # are looked at first: most callbacks are neither, and asking them for
    # `__self__` would raise and catch an AttributeError each time.
    step_type = getattr(c_asyncio, "TaskStepMethWrapper", types.MethodType)
    method_type = types.MethodType
    wakeup_type = getattr(c_asyncio, "TaskWakeupMethWrapper", None)
    rows = hooks.rows
    awaiting = hooks.awaiting
    now = hooks.now
    step = hooks.step

    def ran(task, started):
        row = rows.get(task, _NEW)
        if row is _NEW:
            row = rows[task] = None if _own_chore(task) else hooks.row("task", _task_name(task))
        done = task.done()
        if row is not None:
            step(row, started, done)
        if done:
            del rows[task]
        else:
            waiter = task._fut_waiter
            if waiter is not None:
                awaiting.setdefault(waiter, []).append(task)

    # No try/finally around the callback: `Handle._run` handles what the
    # callback raises itself, but for the exceptions that end the program,
    # after which nothing is left to record.
    def _run(self):
        callback = self._callback
        kind = type(callback)
        if kind is step_type or kind is method_type:
            task = callback.__self__
            if kind is step_type or isinstance(task, task_types):
                started = now()
                real_run(self)
                if started is not None:
                    ran(task, started)
                return
        elif kind is wakeup_type and self._args:
            future = self._args[0]
            waiting = awaiting.get(future)
            if waiting:
                started = now()
                real_run(self)
                if started is not None:
                    # The task that ran no longer waits on the future.
                    for task in waiting:
                        if task._fut_waiter is not future:
                            waiting.remove(task)
                            ran(task, started)
                            break
                    if not waiting:
                        awaiting.pop(future, None)
                return
        return real_run(self)

    _run.__doc__ = real_run.__doc__
    _real_run.append(real_run)
    events.Handle._run = _run


# --- child processes ---------------------------------------------------------


def patch_processes(process):
    """Called when `multiprocessing.process` is first imported."""
    real_start = process.BaseProcess.start

    def start(self):
        hooks = _hooks
        if hooks is None:
            return real_start(self)
        # Asked before starting: `start` forgets the target.
        target = getattr(self._target, "__name__", None)
        started = hooks.now()
        real_start(self)
        if started is None:
            return
        # What it runs first: a chart's label may show only the start.
        if target:
            name = "%s (pid %s, %s)" % (target, self.pid, self.name)
        else:
            name = "%s (pid %s)" % (self.name, self.pid)
        row = hooks.row("process", name)
        hooks.mark(row, "starting", started)
        hooks.mark(row, "running")
        _watch_exit(self._popen, row, hooks)

    start.__doc__ = real_start.__doc__
    process.BaseProcess.start = start


def _watch_exit(popen, row, hooks):
    """End `row` when the parent first learns `popen`'s exit code: every
    way of asking (`poll`, `wait`) reports it."""
    ended = []

    def watched(ask):
        def asked(*args, **kwargs):
            code = ask(*args, **kwargs)
            if popen.returncode is not None and not ended:
                ended.append(True)
                hooks.end(row, popen.returncode)
            return code

        return asked

    popen.poll = watched(popen.poll)
    popen.wait = watched(popen.wait)
