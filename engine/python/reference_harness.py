"""The pyrace timing method, for CPython: `pyrace compare --python PATH`
runs this file under PATH to measure the same code the same way, and the
browser's CPython engine (Pyodide) imports it and calls `measure`.

Reads a JSON spec on stdin: the timing-function sources pyrace generated,
the sizes and the options; writes pyrace `Measurements` JSON on stdout.
The statistics are computed by pyrace itself, so both engines' figures go
through one analysis.
"""

import itertools
import json
import os
import platform
import runpy
import sys
import tempfile
import time
import traceback


def part_file(part):
    """The file name code of `part` is compiled under, as pyrace's harness
    names it: `<setup>`, `<NAME setup>`, `<NAME>`."""
    return "<%s>" % part


def describe(exc, variant):
    """A failure as pyrace reports it: the exception, and the part and line
    of the code a person wrote where it happened (the innermost frame in
    one of their parts), so a pane can mark the line."""
    part = line = column = None
    if isinstance(exc, SyntaxError) and (exc.filename or "").startswith("<"):
        part, line, column = exc.filename[1:-1], exc.lineno, exc.offset
    else:
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            name = frame.f_code.co_filename
            if name.startswith("<") and name != "<timing function>":
                part, line = name[1:-1], lineno
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return {"variant": variant, "error": "%s: %s" % (type(exc).__name__, exc),
            "exc_type": type(exc).__name__, "message": str(exc), "part": part,
            "line": line, "column": column,
            "traceback": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)) or text}


def build(source, var_name):
    namespace = {"__pyrace_repeat": itertools.repeat}
    exec(compile(source, "<timing function>", "exec"), namespace)
    return namespace["__pyrace_time"]


def program(path):
    """A timing function that runs the program at `path` as `__main__`, as
    pyrace times whole programs. From a file, so that multiprocessing's
    children (spawn) can re-run it to find its functions."""
    def run(loops, clock):
        t0 = clock()
        for _ in range(loops):
            runpy.run_path(path, run_name="__main__")
        return clock() - t0
    return run


def sample(v, loops, n):
    fn = v["unrolled"] if v["unroll"] > 1 else v["fn"]
    if n is None:
        return fn(loops, time.perf_counter)
    return fn(loops, time.perf_counter, n)


def next_loops(loops):
    decade = 1
    while decade * 10 <= loops:
        decade *= 10
    step = loops // decade
    return (2 if step == 1 else 5 if step == 2 else 10) * decade


def scale(loops, target, secs):
    return max(1, int(-(-loops * target * 1.2 // secs)))


def calibrate(v, n, target, unroll_below, deadline, started):
    loops = 1
    v["unroll"] = 1
    if v.get("program"):
        return 1  # whole programs run once per sample, as in pyrace
    # As pyrace's harness: a statement whose first execution is shorter than
    # `unroll_below` is timed unrolled, so the loop is a small share of it.
    if v.get("unrolled") is not None and sample(v, 1, n) < unroll_below:
        v["unroll"] = v["unroll_by"]
    while True:
        secs = sample(v, loops, n)
        if secs >= target or time.perf_counter() - started >= deadline:
            break
        loops = next_loops(loops)
    # Once more at the count found, warm, as pyrace's own harness does.
    if time.perf_counter() - started < deadline and secs > 0:
        loops = scale(loops, target, secs)
        secs = sample(v, loops, n)
    return scale(loops, target, secs) if secs > 0 else loops


def series(v):
    return {"name": v["name"], "loops": v["loops"] * v["unroll"], "unroll": v["unroll"],
            "samples": v["samples"]}


def measure(spec, on_sample=None):
    """Runs the spec's timing functions; returns `{"measurements", "errors"}`.
    `on_sample(variant, n, round, seconds_per_loop)` sees each kept sample
    as it is taken (the browser streams them to the page)."""
    opts = spec["options"]
    started = time.perf_counter()
    elapsed = lambda: time.perf_counter() - started
    var = spec.get("var")
    variants = []
    errors = []
    files = []
    for v in spec["variants"]:
        if spec.get("program"):
            fd, path = tempfile.mkstemp(suffix=".py", prefix="pyrace-reference-")
            with os.fdopen(fd, "w") as f:
                f.write("\n".join((spec["setup"], v["setup"], v["code"])))
            files.append(path)
            try:
                program(path)(1, time.perf_counter)
                variants.append({"name": v["name"], "fn": program(path), "out": False,
                                 "unrolled": None, "unroll_by": 1, "program": True})
            except Exception as exc:
                errors.append(describe(exc, v["name"]))
            continue
        try:
            trial = {}
            if var is not None:
                trial[var] = spec["sizes"][0]
            parts = (("setup", spec["setup"]), (v["name"] + " setup", v["setup"]),
                     (v["name"], v["code"]))
            for part, code in parts:
                exec(compile(code, part_file(part), "exec"), trial)
            unrolled = v.get("unrolled")
            variants.append({
                "name": v["name"], "fn": build(v["timer"], var), "out": False,
                "unrolled": build(unrolled["timer"], var) if unrolled else None,
                "unroll_by": unrolled["unroll"] if unrolled else 1,
            })
        except Exception as exc:
            errors.append(describe(exc, v["name"]))
    baseline = {"name": "(empty statement)", "fn": build(spec["baseline"], var), "out": False,
                "unrolled": None, "unroll": 1}
    sizes = spec["sizes"] if var is not None else [None]
    budget = opts["budget"]
    measured = []
    exhausted = False
    for i, n in enumerate(sizes):
        live = [v for v in variants if not v["out"]]
        if not live:
            break
        if i > 0 and elapsed() >= budget:
            exhausted = True
            break
        deadline = elapsed() + max(budget - elapsed(), 0) / (len(sizes) - i)
        group = ([baseline] if i == 0 and not spec.get("program") else []) + live
        for v in group:
            v["samples"] = []
            try:
                v["loops"] = calibrate(v, n if v is not baseline else None, opts["target_sample"],
                                       spec["unroll_below"], deadline, started)
            except Exception as exc:
                v["out"] = True
                errors.append(describe(exc, v["name"]))
        rnd = kept = 0
        while True:
            t0 = elapsed()
            # Each round starts one variant further on, as pyrace's harness
            # does: a variant's place in the round costs every variant alike.
            turn = rnd % len(live) if live else 0
            order = ([baseline] if group and group[0] is baseline else []) + live[turn:] + live[:turn]
            for v in order:
                if v["out"]:
                    continue
                try:
                    secs = sample(v, v["loops"], n if v is not baseline else None)
                except Exception as exc:
                    v["out"] = True
                    errors.append(describe(exc, v["name"]))
                    continue
                if rnd >= opts["warmup_rounds"]:
                    per_loop = secs / (v["loops"] * v["unroll"])
                    v["samples"].append(per_loop)
                    if on_sample is not None and v is not baseline:
                        on_sample(v["name"], n, kept, per_loop)
            if rnd >= opts["warmup_rounds"]:
                kept += 1
            rnd += 1
            if all(v["out"] for v in live) or kept >= opts["max_rounds"]:
                break
            if kept > 0 and elapsed() + (elapsed() - t0) > deadline:
                exhausted |= kept < opts["min_rounds"]
                break
        measured.append({
            "n": n,
            "baseline": series(baseline) if i == 0 and not spec.get("program") else None,
            "variants": [series(v) for v in live if not v["out"]],
        })
    for path in files:
        os.unlink(path)
    # In the browser (Pyodide) the executable is a placeholder path.
    where = "Pyodide, browser" if sys.platform == "emscripten" else sys.executable
    engine = "%s %s (%s)" % (platform.python_implementation(), platform.python_version(), where)
    return {"measurements": {"engine": engine, "sizes": measured, "elapsed": elapsed(),
                             "budget_exhausted": exhausted}, "errors": errors}


def main():
    spec = json.load(sys.stdin)
    # What the timed code prints (and what its child processes print, which
    # inherit the descriptor) must not mix with the reply on stdout.
    sys.stdout.flush()
    reply = os.fdopen(os.dup(1), "w")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    json.dump(measure(spec), reply)
    reply.flush()


if __name__ == "__main__":
    main()
