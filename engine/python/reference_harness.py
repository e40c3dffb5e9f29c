"""The pyrace timing method, for CPython: `pyrace compare --python PATH`
runs this file under PATH to measure the same code the same way, and the
browser's CPython engine (Pyodide) imports it and calls `measure`.

Reads a JSON spec on stdin: the timing-function sources pyrace generated,
the sizes and the options; writes pyrace `Measurements` JSON on stdout.
The statistics are computed by pyrace itself, so both engines' figures go
through one analysis.
"""

import functools
import gc
import itertools
import json
import os
import platform
import runpy
import statistics
import sys
import tempfile
import time
import traceback

try:
    from pyrace_profiler import StatementMeter
except ImportError:
    # `pyrace compare --python` sends pyrace_profiler.py in front of this
    # file, which defines it.
    pass


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


def build(source, var_name, name="__pyrace_time"):
    namespace = {"__pyrace_repeat": itertools.repeat}
    exec(compile(source, "<timing function>", "exec"), namespace)
    return namespace[name]


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


# How samples are taken. `measure` reads the spec's "method" over these, so
# that bench/browser/cpython-method.mjs can switch each factor on and off
# with everything else equal; pyrace itself always uses the defaults.
METHOD = {
    # The collector off while a sample runs, as `timeit` does: a collection
    # triggered by one variant's allocations would otherwise land in
    # whichever sample happens to cross the threshold.
    "gc": False,
    # "interleaved": rounds of one sample per variant, in blocks of rounds
    # that each take the variants in their own order; "blocked": every
    # sample of a variant, then the next variant's.
    "order": "interleaved",
    # Fast statements timed unrolled (see pyrace's timing_source).
    "unroll": True,
    # "settled": warm up until every variant's samples settle (the rule of
    # pyrace's model::warmup, with the spec's "warmup" values); "rounds":
    # only the spec's options.warmup_rounds.
    "warmup": "settled",
    # Record the blocks, whose disagreement widens pyrace's intervals;
    # False: one block, the order turning every round.
    "blocks": True,
}

# Without a spec's own (an older pyrace): model::limits' values.
WARMUP = {"window": 3, "tolerance": 0.05, "share": 0.3}
BLOCKS = 4


def enter(fn, args):
    """Calls `fn` through C, so that it runs in a call of the interpreter's
    loop of its own. In the browser that loop is WebAssembly, and V8 uses
    the optimised code it compiles in the background only from a
    function's next call on (it has no on-stack replacement for
    WebAssembly): called from Python, a timing function would run inside
    the harness's own call of the loop, begun before the optimised code
    was there, for the whole run, while code the interpreter calls back
    from C (the frames of a generator that `sum` drains) got the
    optimised code, and a list comprehension read slower than the
    generator doing the same work."""
    return functools.partial(fn, *args)()


def sample(v, loops, n, method=METHOD):
    fn = v["unrolled"] if v["unroll"] > 1 else v["fn"]
    args = (loops, time.perf_counter) if n is None else (loops, time.perf_counter, n)
    if method["gc"] or not gc.isenabled():
        return enter(fn, args)
    gc.disable()
    try:
        return enter(fn, args)
    finally:
        gc.enable()


def next_loops(loops):
    decade = 1
    while decade * 10 <= loops:
        decade *= 10
    step = loops // decade
    return (2 if step == 1 else 5 if step == 2 else 10) * decade


def scale(loops, target, secs):
    return max(1, int(-(-loops * target * 1.2 // secs)))


def calibrate(v, n, target, unroll_below, deadline, started, method=METHOD):
    loops = 1
    v["unroll"] = 1
    if v.get("program"):
        return 1  # whole programs run once per sample, as in pyrace
    # As pyrace's harness: a statement whose first execution is shorter than
    # `unroll_below` is timed unrolled, so the loop is a small share of it.
    if method["unroll"] and v.get("unrolled") is not None \
            and sample(v, 1, n, method) < unroll_below:
        v["unroll"] = v["unroll_by"]
    while True:
        secs = sample(v, loops, n, method)
        if secs >= target or time.perf_counter() - started >= deadline:
            break
        loops = next_loops(loops)
    # Once more at the count found, warm, as pyrace's own harness does.
    if time.perf_counter() - started < deadline and secs > 0:
        loops = scale(loops, target, secs)
        secs = sample(v, loops, n, method)
    return scale(loops, target, secs) if secs > 0 else loops


def settled(samples, rule):
    """pyrace's model::warmup::settled: the median of the last `window`
    samples within `tolerance` of the median of the `window` before."""
    k = rule["window"]
    if len(samples) < 2 * k:
        return False
    last = statistics.median(samples[-k:])
    before = statistics.median(samples[-2 * k:-k])
    return last > 0 and before > 0 and abs(last / before - 1) <= rule["tolerance"]


def block_of_round(elapsed, span, kept, max_rounds, blocks):
    """pyrace's model::blocks::block_of_round."""
    by_time = int(elapsed / span * blocks) if span > 0 else 0
    by_count = kept * blocks // max(max_rounds, 1)
    return min(max(by_time, by_count), blocks - 1)


def series(v):
    return {"name": v["name"], "loops": v["loops"] * v["unroll"], "unroll": v["unroll"],
            "samples": v["samples"], "memory": v.get("memory")}


def statement_memory(v, n, loops_max):
    """pyrace's StatementMemory of `v`'s statement at `n`, measured after its
    rounds by its memory function (pyrace's timing_source::memory_source),
    as pyrace's harness does: the setup first, then `tracemalloc` over one
    execution (the peak) and up to `loops_max` (the per-loop figures), the
    collector on. None for a program, or when the statement failed."""
    fn = v.get("memory_fn")
    if fn is None:
        return None
    loops = min(max(1, v["loops"] * v["unroll"]), loops_max)
    args = (loops, StatementMeter()) if n is None else (loops, StatementMeter(), n)
    try:
        return json.loads(fn(*args))
    except Exception:
        # The time figures stand; the statement ran through every sample.
        return None


class Sampler:
    """Takes one size's samples: calibration, warm-up, kept rounds."""

    def __init__(self, spec, method, errors, on_sample, started):
        self.opts, self.method, self.errors = spec["options"], method, errors
        self.unroll_below = spec["unroll_below"]
        self.rule = dict(WARMUP, **spec.get("warmup", {}))
        self.blocks = spec.get("blocks", BLOCKS) if method["blocks"] else 1
        self.on_sample, self.started = on_sample, started

    def elapsed(self):
        return time.perf_counter() - self.started

    def round(self, live, baseline, n, turn, took):
        """The baseline, then one sample of every live variant, starting
        `turn` variants on; `took(v, seconds_per_loop)` sees each sample."""
        if baseline is not None:
            took(baseline, sample(baseline, baseline["loops"], None, self.method) / baseline["loops"])
        for j in range(len(live)):
            v = live[(j + turn) % len(live)]
            if v["out"]:
                continue
            try:
                secs = sample(v, v["loops"], n, self.method)
            except Exception as exc:
                v["out"] = True
                self.errors.append(describe(exc, v["name"]))
                continue
            took(v, secs / (v["loops"] * v["unroll"]))

    def size(self, live, baseline, n, deadline):
        """Samples `live` (and `baseline`, when not None) at `n` until
        `deadline`; returns (short, warmup, blocks)."""
        opts = self.opts
        for v in ([baseline] if baseline is not None else []) + live:
            v["samples"] = []
            try:
                v["loops"] = calibrate(v, n if v is not baseline else None, opts["target_sample"],
                                       self.unroll_below, deadline, self.started, self.method)
            except Exception as exc:
                v["out"] = True
                self.errors.append(describe(exc, v["name"]))
        if self.method["order"] == "blocked":
            return self.blocked(live, baseline, n, deadline), None, []

        warm_start = self.elapsed()
        warm_limit = warm_start + max(deadline - warm_start, 0) * self.rule["share"]
        warm = {id(v): [] for v in live + ([baseline] if baseline is not None else [])}
        rounds, done = 0, False
        while True:
            self.round(live, baseline, n, rounds, lambda v, x: warm[id(v)].append(x))
            rounds += 1
            if all(v["out"] for v in live):
                break
            group = [v for v in live if not v["out"]] + ([baseline] if baseline is not None else [])
            done = self.method["warmup"] == "settled" and all(settled(warm[id(v)], self.rule) for v in group)
            enough = rounds >= opts["warmup_rounds"]
            if self.method["warmup"] != "settled" and enough:
                break
            if enough and (done or self.elapsed() >= warm_limit):
                break
        warmup = {"rounds": rounds, "seconds": self.elapsed() - warm_start, "settled": done}
        # Calibration ran the statements cold: scale each loop count again
        # from its warm samples, as pyrace's harness does.
        for v in [w for w in live if not w["out"]] + ([baseline] if baseline is not None else []):
            last = sorted(warm[id(v)][-self.rule["window"]:])
            if last and last[len(last) // 2] > 0 and not v.get("program"):
                v["loops"] = scale(v["loops"], opts["target_sample"],
                                   last[len(last) // 2] * v["loops"] * v["unroll"])

        start = self.elapsed()
        span = max(deadline - start, 0)
        blocks, kept = [], 0
        while True:
            t0 = self.elapsed()
            block = block_of_round(t0 - start, span, kept, opts["max_rounds"], self.blocks)
            while len(blocks) <= block:
                blocks.append(kept)
            # One block: the order turns every round, as before blocks.
            turn = block if self.blocks > 1 else kept
            taken = []
            self.round(live, baseline, n, turn, lambda v, x: taken.append((v, x)))
            # Streamed after the round, as RustPython's harness does: no
            # message to the page between two samples of one round.
            for v, x in taken:
                v["samples"].append(x)
                if self.on_sample is not None and v is not baseline:
                    self.on_sample(v["name"], n, kept, x)
            kept += 1
            if all(v["out"] for v in live) or kept >= opts["max_rounds"]:
                return False, warmup, blocks if self.blocks > 1 else []
            if self.elapsed() + (self.elapsed() - t0) > deadline:
                return kept < opts["min_rounds"], warmup, blocks if self.blocks > 1 else []

    def blocked(self, live, baseline, n, deadline):
        """Every sample of one variant, then the next's, each with an equal
        share of the time left: the order `timeit` users get by timing one
        statement after the other. Returns whether any kept fewer than
        `min_rounds`."""
        opts, short = self.opts, False
        group = ([baseline] if baseline is not None else []) + live
        for i, v in enumerate(group):
            until = self.elapsed() + max(deadline - self.elapsed(), 0) / (len(group) - i)
            rnd = 0
            while not v["out"]:
                t0 = self.elapsed()
                taken = []
                self.round([v] if v is not baseline else [], v if v is baseline else None, n, 0,
                           lambda w, x: taken.append(x))
                if taken and rnd >= opts["warmup_rounds"]:
                    v["samples"].append(taken[0])
                    if self.on_sample is not None and v is not baseline:
                        self.on_sample(v["name"], n, len(v["samples"]) - 1, taken[0])
                rnd += 1
                kept = len(v["samples"])
                if kept >= opts["max_rounds"]:
                    break
                if kept > 0 and self.elapsed() + (self.elapsed() - t0) > until:
                    short |= kept < opts["min_rounds"]
                    break
        return short


def measure(spec, on_sample=None):
    """Runs the spec's timing functions; returns `{"measurements", "errors"}`.
    `on_sample(variant, n, round, seconds_per_loop)` sees each kept sample
    as it is taken (the browser streams them to the page)."""
    method = dict(METHOD, **spec.get("method", {}))
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
                "memory_fn": build(v["memory"], var, "__pyrace_memory") if v.get("memory") else None,
            })
        except Exception as exc:
            errors.append(describe(exc, v["name"]))
    baseline = {"name": "(empty statement)", "fn": build(spec["baseline"], var), "out": False,
                "unrolled": None, "unroll": 1}
    sampler = Sampler(spec, method, errors, on_sample, started)
    sizes = spec["sizes"] if var is not None else [None]
    budget = spec["options"]["budget"]
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
        with_baseline = baseline if i == 0 and not spec.get("program") else None
        short, warmup, blocks = sampler.size(live, with_baseline, n, deadline)
        exhausted |= short
        for v in live:
            if not v["out"]:
                v["memory"] = statement_memory(v, n, spec.get("memory_loops_max", 100))
        measured.append({
            "n": n,
            "baseline": series(baseline) if with_baseline is not None else None,
            "variants": [series(v) for v in live if not v["out"]],
            "blocks": blocks,
            "warmup": warmup,
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
