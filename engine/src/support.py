"""Python-side helpers of a pyrace session: source registration for
tracebacks, error description, and the stdout flush before blocking sleeps."""

import json
import linecache
import sys

_sources = {}


def register_source(filename, source):
    """Make tracebacks through `filename` show its lines, as for a real file."""
    _sources[filename] = source
    lines = source.splitlines(True)
    linecache.cache[filename] = (len(source), None, lines, filename)


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


class PatchAfterImport:
    """Runs `patches[name](module)` right after `name` is first imported."""

    def __init__(self, patches):
        self.patches = patches

    def find_spec(self, name, path=None, target=None):
        patch = self.patches.get(name)
        if patch is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                spec.loader = _PatchingLoader(spec.loader, patch)
                return spec
        return None


class _PatchingLoader:
    def __init__(self, loader, patch):
        self.loader = loader
        self.patch = patch

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.loader.exec_module(module)
        self.patch(module)


def _spawn_by_default(context):
    # Children are fresh engines started as `pyrace -c …` (spawn): forking
    # a process that runs threads is not safe, and the browser cannot fork.
    context._default_context = context.DefaultContext(context._concrete_contexts["spawn"])


def _socketless_asyncio(unix_events):
    # Without sockets (WASI) asyncio's default loop cannot start.
    import _pyrace_asyncio

    _pyrace_asyncio.use_in(unix_events)


def _runners_without_sigint(runners):
    # WASI has no SIGINT: asyncio.run's Ctrl+C hook has nothing to hook
    # into (Stop ends a run there), so it sees no handler to replace.
    import signal
    import types

    if hasattr(signal, "SIGINT"):
        return
    runners.signal = types.SimpleNamespace(
        SIGINT=None,
        default_int_handler=signal.default_int_handler,
        signal=signal.signal,
        getsignal=lambda signalnum: None,
    )


def install_patches():
    patches = {"multiprocessing.context": _spawn_by_default}
    if sys.platform == "wasi":
        patches["asyncio.unix_events"] = _socketless_asyncio
        patches["asyncio.runners"] = _runners_without_sigint
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
