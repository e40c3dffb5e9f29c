"""pyrace's CPython engine in the browser (Pyodide, in www/cpython/worker.js).

Runs what a pyrace request asks and reports it as pyrace `RunEvent`s, as
the RustPython engine does, through `emit(json_text)` (each written by
`event`):
- `run_programs`: Run mode, each variant once as a program in a fresh
  `__main__`, its output tagged with its name, under `cProfile` when the
  request asks (a `Profile` event with `pstats`' columns, as RustPython's),
  or under pyrace's line tracer and memory meter (`pyrace_profiler.py`,
  the same code RustPython runs: `Traced` and `Memory` events);
- `time_spec`: the timing modes, through the reference harness that
  `pyrace compare --python` runs natively (`reference_harness.measure`),
  streaming each sample; the app analyses the returned `Measurements`
  with the same code as RustPython's (src/engines/cpython.rs).
What Pyodide cannot do (threads, processes, modules outside the standard
library) is said in plain words instead of its own hints.
"""

import json
import sys
import time
import types

import pyrace_profiler
import reference_harness

# The tracer's bounds: model::limits' MAX_PROFILE_LINES and
# MAX_CALL_TREE_NODES (the page holds what arrives to them again).
MAX_PROFILE_LINES = 10_000
MAX_CALL_TREE_NODES = 20_000

# Output kept per program: the page keeps only a tail of this anyway.
MAX_OUTPUT_CHARS = 1_000_000
# Output is sent in batches of about this many characters or this many
# seconds, so a print loop does not send one message per print.
BATCH_CHARS = 4096
BATCH_SECONDS = 0.05

NO_THREADS = (
    "CPython in the browser (Pyodide) cannot start threads. Threads run on "
    "RustPython only: turn off “CPython too” to run this program there."
)
NO_PROCESSES = (
    "CPython in the browser (Pyodide) cannot start processes. Processes run "
    "on RustPython only: turn off “CPython too” to run this program there."
)
NO_STACK_SWITCHING = (
    "asyncio.run needs WebAssembly stack switching (JSPI), which this "
    "browser does not offer to CPython: the program runs on RustPython, or "
    "in a browser with JSPI (Chromium 137 or later)."
)


def event(kind, run_id, **fields):
    """A pyrace `RunEvent` as the JSON text the page passes on: the one
    place this engine's events are written (model/src/event.rs has their
    fields; www/protocol.js the few the page writes itself)."""
    return json.dumps({"event": kind, "run_id": run_id, **fields})


def explain(error):
    """`error` (a pyrace PyError as a dict) with Pyodide's limits put plainly."""
    exc, message = error["exc_type"], error["message"]
    if exc == "RuntimeError" and "can't start new thread" in message:
        error["message"] = "can't start new thread: " + NO_THREADS
    elif exc == "RuntimeError" and "stack switching" in message:
        error["message"] = NO_STACK_SWITCHING
    elif (exc == "OSError" and ("does not support processes" in message
                                or "Function not implemented" in message)) \
            or (exc in ("ModuleNotFoundError", "NotImplementedError")
                and "multiprocessing" in message):
        error["message"] = "%s (%s)" % (NO_PROCESSES, message.split("\n")[0])
    elif exc == "ModuleNotFoundError":
        name = message.split("'")[1] if message.count("'") >= 2 else message
        error["message"] = (
            "No module named '%s': pyrace's CPython engine (Pyodide) has the "
            "standard library only." % name)
    return error


def py_error(exc, variant=None):
    """A Python exception as pyrace's PyError, with the part and line."""
    described = reference_harness.describe(exc, variant)
    kind = "syntax" if isinstance(exc, SyntaxError) else "exception"
    return explain({
        "kind": kind, "exc_type": described["exc_type"], "message": described["message"],
        "part": described["part"], "line": described["line"], "column": described["column"],
        "traceback": clean_traceback(described["traceback"]),
    })


def clean_traceback(text):
    """The traceback without the frames of this file and the harness: what
    a person sees is their own code."""
    keep, skip = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith('  File "'):
            skip = not line.startswith('  File "<') or line.startswith('  File "<timing')
        elif not line.startswith("    "):
            skip = False
        if not skip:
            keep.append(line)
    return "".join(keep)


class OutputStream:
    """A `sys.stdout`/`sys.stderr` that sends what is written as `Output`
    events of `variant`, in batches."""

    def __init__(self, emit, run_id, stream, variant):
        self.emit, self.run_id, self.stream, self.variant = emit, run_id, stream, variant
        # There is no thread to flush a batch later: a program's first write,
        # and every write after a pause, go out at once (as on RustPython),
        # so a program that prints and then computes shows its line.
        self.pending, self.last, self.written = [], float("-inf"), 0
        # The program's profiler, paused while this stream does its own
        # work: the profile shows the program's calls, not pyrace's.
        # Anything with `disable` and `enable` (cProfile, `_TracerPause`).
        self.profiler = None

    def write(self, text):
        profiler = self.profiler
        if profiler is not None:
            profiler.disable()
        try:
            return self._write(text)
        finally:
            if profiler is not None:
                profiler.enable()

    def _write(self, text):
        if self.written >= MAX_OUTPUT_CHARS:
            return len(text)
        self.written += len(text)
        self.pending.append(text)
        if sum(map(len, self.pending)) >= BATCH_CHARS or time.monotonic() - self.last >= BATCH_SECONDS:
            self.flush()
        return len(text)

    def flush(self):
        if not self.pending:
            return
        text = "".join(self.pending)
        self.pending, self.last = [], time.monotonic()
        if self.written >= MAX_OUTPUT_CHARS:
            text += "\n[output cut at %d characters]\n" % MAX_OUTPUT_CHARS
        self.emit(event("output", self.run_id, stream=self.stream, text=text,
                        variant=self.variant))

    def isatty(self):
        return False


def run_programs(request_json, emit):
    """Run mode: each variant once as a whole program. Returns the status."""
    request = json.loads(request_json)
    run_id, status = request["run_id"], "ok"
    variants = request["variants"]
    for v in variants:
        name = v["name"]
        out = OutputStream(emit, run_id, "stdout", name)
        err = OutputStream(emit, run_id, "stderr", name)
        saved = sys.stdout, sys.stderr, sys.modules["__main__"]
        sys.stdout, sys.stderr = out, err
        # A fresh `__main__` per program, so pickling and dataclasses that
        # look names up there find the program's own.
        main = types.ModuleType("__main__")
        sys.modules["__main__"] = main
        scope = main.__dict__
        error = None
        # Stop (the page's interrupt): what was measured up to it is sent,
        # as for a program that raised, then the run ends as stopped.
        stopped = None
        profiler = None
        options = request.get("options", {})
        if options.get("profile"):
            import cProfile

            profiler = out.profiler = err.profiler = cProfile.Profile()
        traced = _Traced(name, options) if profiler is None else None
        try:
            for part, code in (("setup", request.get("setup", "")),
                               (name + " setup", v.get("setup", "")), (name, v["code"])):
                if not code.strip():
                    continue  # an empty part: no row of its own in a profile
                compiled = compile(code, reference_harness.part_file(part), "exec")
                # Only the program's own code runs under the profiler.
                if profiler is not None:
                    profiler.enable()
                if traced is not None and part == name:
                    out.profiler = err.profiler = traced.start()
                try:
                    exec(compiled, scope)
                finally:
                    if profiler is not None:
                        profiler.disable()
                    if traced is not None and part == name:
                        traced.stop()
                        out.profiler = err.profiler = None
        except SystemExit as exc:
            if exc.code not in (None, 0):
                error = py_error(exc, name)
                error["traceback"] = ""
        except KeyboardInterrupt as exc:
            stopped = exc
        except BaseException as exc:
            error = py_error(exc, name)
        finally:
            rows = _profile_rows(profiler) if profiler is not None else None
            out.flush()
            err.flush()
            sys.stdout, sys.stderr, sys.modules["__main__"] = saved
        if rows is not None:
            emit(event("profile", run_id, variant=name, profile={"rows": rows}))
        if traced is not None:
            traced.emit(emit, run_id)
        if stopped is not None:
            raise stopped  # the worker ends the run as stopped
        if error is not None:
            status = "failed"
            if len(variants) == 1:
                emit(event("error", run_id, error=error))
            else:
                emit(event("variant_error", run_id, variant=name, error=error))
    return status


class _TracerPause:
    """Pauses a `pyrace_profiler.Tracer` while an output stream sends what
    the program wrote. The time stays the writing line's."""

    def __init__(self, tracer):
        self.tracer = tracer

    def disable(self):
        self.tracer.pause()

    def enable(self):
        self.tracer.resume()


class _Traced:
    """A variant's program under the line tracer and the memory meter, as
    the request's `trace_lines` and `memory` ask, measured as RustPython's
    `trace_start`/`trace_stop` measure it (the meter first, so the
    tracer's readings start from its zero); the replies kept for `emit`."""

    def __init__(self, name, options):
        self.name = name
        self.lines = bool(options.get("trace_lines"))
        self.memory = bool(options.get("memory"))
        self.meter = self.tracer = None
        self.traced = self.measured = None

    def start(self):
        """Starts measuring; what pauses the tracer while output is sent."""
        if self.memory:
            self.meter = pyrace_profiler.MemoryMeter()
            if not self.meter.start():
                self.meter = None
        if self.lines:
            self.tracer = pyrace_profiler.Tracer(
                [reference_harness.part_file(self.name)], (__file__,),
                MAX_PROFILE_LINES, MAX_CALL_TREE_NODES,
                memory=self.meter is not None)
            # The cost of calling the hooks (what `Tracer.calibrate`
            # measures; their time inside is left out still) is not taken
            # out here, as line_profiler does not take it out: where a
            # program's lines do less work than a hook costs, the
            # calibration's spread from run to run is larger than the work,
            # and a correction a little high reads every line as zero
            # (docs/method.md, "What a profile reads"). It is measured
            # all the same, and the page says what share of the time it
            # came to.
            self.tracer.start(calibrated=False, estimate=True)
            return _TracerPause(self.tracer)
        return None

    def stop(self):
        if self.tracer is not None:
            self.traced = self.tracer.stop()
        if self.meter is not None:
            self.measured = self.meter.stop(json.loads(self.traced) if self.traced else None)

    def emit(self, emit, run_id):
        """The `Traced` and `Memory` events of what was measured."""
        if self.traced is not None:
            emit(event("traced", run_id, variant=self.name,
                       profile=trace_profile(json.loads(self.traced))))
        if self.measured is not None:
            emit(event("memory", run_id, variant=self.name, memory=json.loads(self.measured)))


def trace_profile(reply):
    """The tracer's compact reply (rows as arrays) as the `TraceProfile` a
    `traced` event carries (model/src/trace_profile.rs reads the same
    reply for RustPython)."""
    return {
        "tracer": reply["tracer"],
        "hook_share": reply.get("hook_share"),
        "lines": {
            "total_seconds": reply["total_seconds"],
            "lines": [{"file": f, "line": line, "hits": hits, "seconds": seconds,
                       "peak_bytes": None if peak is None else max(0, int(peak))}
                      for f, line, hits, seconds, peak in reply["lines"]],
            "dropped_hits": reply["dropped_hits"],
        },
        "threads": [{
            "name": thread["name"],
            "ident": thread["ident"],
            "main": thread["main"],
            "calls": {
                "frames": [{"name": name, "file": f, "line": line}
                           for name, f, line in thread["frames"]],
                "nodes": [{"frame": frame, "parent": None if parent < 0 else parent,
                           "calls": calls, "inclusive": inclusive, "own": own}
                          for frame, parent, calls, inclusive, own in thread["nodes"]],
                "folded_calls": thread["folded_calls"],
            },
        } for thread in reply["threads"]],
    }


def _profile_rows(profiler):
    """`profiler`'s functions with `pstats`' columns, as the RustPython
    engine's `profile_rows` writes them, without pyrace's own: the
    profiler's pauses, this module's streams, and the `exec` that runs each
    part (its `<module>` row is the program's)."""
    profiler.create_stats()
    rows = []
    for (filename, line, function), (cc, nc, tt, ct, _callers) in profiler.stats.items():
        if "_lsprof.Profiler" in function or filename == __file__ or function == "<built-in method builtins.exec>":
            continue
        rows.append({"file": filename or "~", "line": line, "function": function, "ncalls": nc,
                     "primitive_calls": cc, "tottime": tt, "cumtime": ct})
    return rows


def time_spec(run_id, spec_json, emit):
    """Timing modes: the reference harness over the spec pyrace wrote.
    Streams `Sample` and `VariantError` events; returns `{"measurements",
    "failed"}` (JSON): the samples for the page to analyse, and whether a
    variant failed."""
    spec = json.loads(spec_json)

    def on_sample(variant, n, rnd, seconds):
        emit(event("sample", run_id, variant=variant, n=n, round=rnd,
                   seconds_per_loop=seconds))

    # What the timed code prints is not shown, as on RustPython's harness.
    saved = sys.stdout
    sys.stdout = _Discard()
    try:
        reply = reference_harness.measure(spec, on_sample)
    finally:
        sys.stdout = saved
    for error in reply["errors"]:
        variant = error.pop("variant")
        error.pop("error", None)
        error["kind"] = "syntax" if error["exc_type"] == "SyntaxError" else "exception"
        error["traceback"] = clean_traceback(error["traceback"])
        emit(event("variant_error", run_id, variant=variant, error=explain(error)))
    return json.dumps({"measurements": reply["measurements"], "failed": bool(reply["errors"])})


class _Discard:
    def write(self, text):
        return len(text)

    def flush(self):
        pass
