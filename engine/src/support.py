"""Python-side helpers of a pyrace session: source registration for
tracebacks, error description, the stdout flush before blocking sleeps, and
the same-result check's keeping and comparing of the variants' values."""

import json
import linecache
import sys

_sources = {}


def register_source(filename, source):
    """Make tracebacks through `filename` show its lines, as for a real file."""
    _sources[filename] = source
    lines = source.splitlines(True)
    linecache.cache[filename] = (len(source), None, lines, filename)


# The namespace the last program ran in, and the files that ran there in order.
_main_run = [None, []]


def ran_in(namespace, filename):
    """Note that the code of `filename` ran in `namespace`."""
    if _main_run[0] is not namespace:
        _main_run[0] = namespace
        _main_run[1] = []
    _main_run[1].append(filename)


def main_sources():
    """[(filename, source)] of what ran in the current `__main__`, in order:
    what a child process re-runs when the program is not a file."""
    main = sys.modules.get("__main__")
    if main is None or getattr(main, "__dict__", None) is not _main_run[0]:
        return []
    return [(f, _sources[f]) for f in _main_run[1] if f in _sources]


def describe(exc):
    """JSON of [type name, message, filename, line, column, traceback text]."""
    name = type(exc).__name__
    filename = line = column = None
    if isinstance(exc, SyntaxError):
        message = exc.msg if exc.msg is not None else str(exc)
        filename, line, column = exc.filename, exc.lineno, exc.offset
    else:
        message = str(exc)
        tb = exc.__traceback__
        while tb is not None:
            code_file = tb.tb_frame.f_code.co_filename
            if code_file in _sources:
                filename, line = code_file, tb.tb_lineno
            tb = tb.tb_next
    try:
        # Imported here, not at start-up: it is slow to import and only a
        # failing run needs it.
        import traceback

        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    except BaseException:
        text = "%s: %s\n" % (name, message)
    return json.dumps([name, message, filename, line, column, text])


def install_sleep_flush(flush):
    """Deliver pending output before a sleep, so it is not held back for its length."""
    import time

    real_sleep = time.sleep

    def sleep(seconds):
        flush()
        return real_sleep(seconds)

    sleep.__doc__ = real_sleep.__doc__
    time.sleep = sleep


def install_pyrace_module(compare_json):
    """`import pyrace`: the harness for programs, over `_pyrace.compare`."""
    import types

    module = types.ModuleType(
        "pyrace", "Time Python statements side by side with pyrace's harness."
    )

    def compare(variants, setup="", *, sweep=None, budget=5.0, target_sample=0.02,
                min_rounds=5, program=False):
        """Time `variants` ({name: statement}) like the playground does.

        `sweep` is {name: [sizes]} to time over sizes of `n`; `program=True`
        times whole programs. Returns the comparison as a dict: per variant
        its per-loop median (net of the empty-statement baseline), interval,
        ratio to the fastest and, in a sweep, its growth.
        """
        options = {"budget": budget, "target_sample": target_sample,
                   "min_rounds": min_rounds}
        mode = "program" if program else "compare"
        if sweep:
            (var, sizes), = sweep.items()
            options["sweep"] = {"var": var, "sizes": list(sizes)}
            mode = "sweep"
        request = {
            "mode": mode,
            "setup": setup,
            "variants": [{"name": k, "code": v} for k, v in variants.items()],
            "options": options,
        }
        return json.loads(compare_json(json.dumps(request)))

    module.compare = compare
    sys.modules["pyrace"] = module


def forbid_threads(message):
    """Make starting a thread raise `RuntimeError(message)`."""
    import _thread

    def refuse(*args, **kwargs):
        raise RuntimeError(message)

    for name in ("start_new_thread", "start_new", "start_joinable_thread"):
        if hasattr(_thread, name):
            setattr(_thread, name, refuse)
    threading = sys.modules.get("threading")
    if threading is not None:
        for name in ("_start_new_thread", "_start_joinable_thread"):
            if hasattr(threading, name):
                setattr(threading, name, refuse)


class ShimFinder:
    """Imports the modules pyrace supplies where RustPython has none
    (`cProfile`), from sources compiled into the engine."""

    def __init__(self, sources):
        self.sources = sources

    def find_spec(self, name, path=None, target=None):
        if name not in self.sources:
            return None
        import importlib.util

        return importlib.util.spec_from_loader(name, self, origin="pyrace")

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        source = self.sources[module.__name__]
        exec(compile(source, "<pyrace %s>" % module.__name__, "exec"), module.__dict__)


def install_shims(sources):
    sys.meta_path.append(ShimFinder(dict(sources)))
    install_patches()


def _spawn_by_default(context):
    # Children are fresh engines started as `pyrace -c …` (spawn): forking
    # a process that runs threads is not safe, and the browser cannot fork.
    context._default_context = context.DefaultContext(context._concrete_contexts["spawn"])


def _socketless_asyncio(unix_events):
    # Without sockets (WASI) asyncio's default loop cannot start.
    import _pyrace_asyncio

    _pyrace_asyncio.use_in(unix_events)


def _signalless_asyncio(runners):
    # Without signals (WASI) asyncio.run cannot install its Ctrl-C handler.
    import _pyrace_asyncio

    _pyrace_asyncio.without_signals(runners)


def _spawn_from_source(spawn):
    # A program that is not a file (the playground's) is re-run in its
    # children from its source.
    import _pyrace_procs

    _pyrace_procs.patch_spawn(spawn, main_sources, ran_in, register_source)


def _spawn_on_host(context):
    # Without fork and exec (WASI) the browser host starts the children:
    # spawn's Popen is pyrace's (the standard one imports fork's, which
    # needs os.waitpid), and there is no resource tracker process (the
    # standard one needs signals).
    _spawn_by_default(context)
    import _pyrace_procs

    sys.modules["multiprocessing.popen_spawn_posix"] = _pyrace_procs
    sys.modules["multiprocessing.resource_tracker"] = _pyrace_procs.resource_tracker()


def _explain_stdlib_downloads(external):
    # In the browser most of the stdlib is downloaded when first imported
    # (browser_stdlib.rs); a download that fails (offline, the module never
    # imported before) reaches the file loader as EIO. Said as an
    # ImportError naming the module, not an OSError about a file the
    # person never asked for. Other errors (a missing .pyc: ENOENT) pass.
    import errno

    get_data = external.FileLoader.get_data
    stdlib = getattr(sys, "_stdlib_dir", None)

    def get_data_or_explain(self, path):
        try:
            return get_data(self, path)
        except OSError as exc:
            if exc.errno != errno.EIO or not stdlib or not path.startswith(stdlib + "/"):
                raise
            raise ImportError(
                f"could not download {self.name}: pyrace fetches this module of "
                "the standard library when it is first imported, and the "
                "download failed (offline? the browser's console says why); "
                "once imported online, it imports offline too",
                name=self.name,
                path=path,
            ) from None

    external.FileLoader.get_data = get_data_or_explain


def _timeline_tasks(events):
    # While a run records a timeline, asyncio tasks get rows of their own.
    import _pyrace_timeline

    _pyrace_timeline.patch_asyncio(events)


def _timeline_processes(process):
    # While a run records a timeline, child processes get rows of their own.
    import _pyrace_timeline

    _pyrace_timeline.patch_processes(process)


def _exit_per_program(util):
    # The end of every program runs multiprocessing's exit function, as the
    # end of a process does, not only the first program's atexit.
    import _pyrace_exit

    _pyrace_exit.forget_exit_function(util)


def _track_connections(connection):
    # The end of a program closes the Connections it left open, as the end
    # of a process closes its descriptors.
    import _pyrace_exit

    _pyrace_exit.track_connections(connection)


def _wall_clock_profile(profile):
    # `profile`'s default clock is process time, which WASI does not have
    # (`time.process_time` raises): there it defaults to the wall clock, as
    # the engine's cProfile does, so `profile.run(...)` works as in CPython.
    import time

    try:
        time.process_time()
        return
    except (NotImplementedError, OSError):
        pass
    init = profile.Profile.__init__

    def __init__(self, timer=None, bias=None):
        init(self, timer or time.perf_counter, bias)

    profile.Profile.__init__ = __init__


def install_patches():
    patches = {
        "multiprocessing.context": _spawn_by_default,
        "multiprocessing.spawn": _spawn_from_source,
        "multiprocessing.util": _exit_per_program,
        "multiprocessing.connection": _track_connections,
        "asyncio.events": _timeline_tasks,
        "multiprocessing.process": _timeline_processes,
        "profile": _wall_clock_profile,
    }
    if sys.platform == "wasi":
        _explain_stdlib_downloads(sys.modules["_frozen_importlib_external"])
        patches["asyncio.unix_events"] = _socketless_asyncio
        patches["asyncio.runners"] = _signalless_asyncio
        import _pyrace

        if hasattr(_pyrace, "host_call"):
            import os
            import _pyrace_procs

            _pyrace_procs.install_os(os)
            patches["multiprocessing.context"] = _spawn_on_host
    from _pyrace_imports import PatchAfterImport

    sys.meta_path.insert(0, PatchAfterImport(patches))


def profile_start():
    """A cProfile profiler, enabled on this thread from the next call."""
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    return profiler


_PROFILER_FILES = ("profile", "<pyrace cProfile>", "<_pyrace_support>")


def profile_rows(profiler):
    """Disables `profiler`; JSON of its functions, with `pstats`' columns."""
    profiler.disable()
    profiler.create_stats()
    rows = []
    for (filename, line, function), (cc, nc, tt, ct, _callers) in profiler.stats.items():
        # The profiler's own frames: the pseudo-command `enable` starts it
        # with, this function and the `disable` it calls.
        if filename in _PROFILER_FILES or (not filename and function == "setprofile"):
            continue
        rows.append({
            "file": filename or "~",
            "line": line,
            "function": function,
            "ncalls": nc,
            "primitive_calls": cc,
            "tottime": tt,
            "cumtime": ct,
        })
    return json.dumps(rows)


def statement_meter():
    """A timed statement's memory meter, for its memory function."""
    import _pyrace_profiler

    return _pyrace_profiler.StatementMeter()


def _stop_requested():
    """In the browser: whether the reader pressed Stop (the host's answer;
    asking also tells the host that this program looks). None natively,
    where Stop and the time limit interrupt the program from outside."""
    try:
        from _pyrace import host_call
    except ImportError:
        return None
    request = json.dumps({"op": "stop_requested"})

    def requested():
        return json.loads(host_call(request)).get("requested") is True

    return requested


def trace_start(files, max_lines, max_nodes, lines, memory, calibrate, poll_seconds):
    """The line tracer (over `files`) and the memory meter asked for,
    started on this thread: the meter first, so that the tracer's memory
    readings start from its zero. `calibrate`: take what calling a hook
    costs out of the figures (it is measured either way, for the reply's
    `hook_share`). In the browser the tracer asks
    for the reader's Stop every `poll_seconds`."""
    import _pyrace_profiler

    meter = _pyrace_profiler.MemoryMeter() if memory else None
    if meter is not None and not meter.start():
        meter = None
    tracer = None
    if lines:
        # pyrace's own Python is no part of the program's profile: this
        # module, and the GIL mode's and the timeline's wrappers that run
        # between the program's frames.
        own = (describe.__code__.co_filename, "<_pyrace_gil>", "<_pyrace_timeline>")
        tracer = _pyrace_profiler.Tracer(files, own, max_lines, max_nodes,
                                         memory=meter is not None,
                                         should_stop=_stop_requested(),
                                         poll_seconds=poll_seconds)
    if tracer is not None:
        tracer.start(calibrated=calibrate, estimate=True)
    return meter, tracer


def trace_stop(started):
    """Stops what `trace_start` started: JSON of its profiles."""
    meter, tracer = started
    traced = tracer.stop() if tracer is not None else None
    memory = meter.stop(json.loads(traced) if traced else None) if meter is not None else None
    stopped = tracer is not None and tracer.stopped
    return json.dumps({"traced": traced, "memory": memory, "stopped": stopped})


def join_threads():
    """Waits for the program's non-daemon threads, as CPython does at exit."""
    threading = sys.modules.get("threading")
    if threading is not None:
        threading._shutdown()


# What the end of a program marks as shut down, by module: the interpreter
# outlives the program, and the next program must be able to start threads
# and executors, as in a new process (or every executor of a timed
# program's second run would refuse work "after interpreter shutdown").
_SHUTDOWN_FLAGS = (
    ("threading", "_SHUTTING_DOWN"),
    ("concurrent.futures.process", "_global_shutdown"),
    ("concurrent.futures.thread", "_shutdown"),
)


def reopen_after_shutdown():
    """Clears the shutdown flags the end of the program set."""
    for name, flag in _SHUTDOWN_FLAGS:
        module = sys.modules.get(name)
        if module is not None:
            setattr(module, flag, False)


def release_main():
    """Empties the namespace of the program that ran last (`__main__`) and
    collects what it held."""
    main = sys.modules.get("__main__")
    if main is not None:
        main.__dict__.clear()
    import gc

    gc.collect()


def between_programs():
    """Between two runs of a timed program in the browser: children warm
    for the next run's processes (only once the program used processes)."""
    procs = sys.modules.get("_pyrace_procs")
    if procs is not None:
        procs.refill_children()


def timer_step(clock, readings=5):
    """The least change seen between two readings of `clock`: its step (a
    browser page that is not cross-origin isolated steps by 100 µs), or,
    where the clock is finer, the cost of reading it."""
    best = None
    for _ in range(readings):
        t0 = clock()
        t1 = clock()
        while t1 == t0:
            t1 = clock()
        if best is None or t1 - t0 < best:
            best = t1 - t0
    return best


# --- the same-result check (model::result_check) ----------------------------

_LAST_VALUE = "__pyrace_result__"


def keep_last_value(source, filename):
    """`source` compiled so that the value of its last line, when that is an
    expression, is kept in `__pyrace_result__` as well; line numbers stay
    the source's."""
    import ast

    tree = ast.parse(source, filename)
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = tree.body[-1]
        keep = ast.Assign(targets=[ast.Name(_LAST_VALUE, ast.Store())], value=last.value)
        tree.body[-1] = ast.copy_location(keep, last)
        ast.fix_missing_locations(tree)
    return compile(tree, filename, "exec")


def check_results(ran, name, repr_chars):
    """Compares what the variants left after their first run, `ran` being
    (variant, namespace) pairs: `name`, or the last line's value when
    `name` is empty. JSON of a `ResultCheck`."""
    key = name or _LAST_VALUE
    missing = object()
    values = [(variant, namespace.get(key, missing)) for variant, namespace in ran]

    def short(value):
        try:
            text = repr(value)
        except Exception as exc:
            text = f"<repr failed: {type(exc).__name__}>"
        return text if len(text) <= repr_chars else text[: repr_chars - 1] + "…"

    def same(a, b):
        # `==` may raise or not give a truth value (an array's elementwise
        # result): then the reprs decide.
        try:
            return bool(a == b)
        except Exception:
            return short(a) == short(b)

    first = values[0][1] if values else missing
    agree = all(v is not missing for _, v in values) and all(same(first, v) for _, v in values[1:])
    return json.dumps(
        {
            "name": name,
            "agree": agree,
            "values": [{"variant": n, "repr": None if v is missing else short(v)} for n, v in values],
        }
    )
