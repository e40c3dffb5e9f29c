"""The pyrace timing method, for CPython: `pyrace compare --python PATH`
runs this file under PATH to measure the same code the same way.

Reads a JSON spec on stdin: the timing-function sources pyrace generated,
the sizes and the options; writes pyrace `Measurements` JSON on stdout.
The statistics are computed by pyrace itself, so both engines' figures go
through one analysis.
"""

import itertools
import json
import platform
import sys
import time


def build(source, var_name):
    namespace = {"__pyrace_repeat": itertools.repeat}
    exec(compile(source, "<timing function>", "exec"), namespace)
    return namespace["__pyrace_time"]


def sample(fn, loops, n):
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


def calibrate(fn, n, target, deadline, started):
    loops = 1
    while True:
        secs = sample(fn, loops, n)
        if secs >= target or time.perf_counter() - started >= deadline:
            break
        loops = next_loops(loops)
    # Once more at the count found, warm, as pyrace's own harness does.
    if time.perf_counter() - started < deadline and secs > 0:
        loops = scale(loops, target, secs)
        secs = sample(fn, loops, n)
    return scale(loops, target, secs) if secs > 0 else loops


def main():
    spec = json.load(sys.stdin)
    opts = spec["options"]
    started = time.perf_counter()
    elapsed = lambda: time.perf_counter() - started
    var = spec.get("var")
    variants = []
    errors = []
    for v in spec["variants"]:
        try:
            trial = {}
            if var is not None:
                trial[var] = spec["sizes"][0]
            for part in (spec["setup"], v["setup"], v["code"]):
                exec(compile(part, "<%s>" % v["name"], "exec"), trial)
            variants.append({"name": v["name"], "fn": build(v["timer"], var), "out": False})
        except Exception as exc:
            errors.append({"variant": v["name"], "error": "%s: %s" % (type(exc).__name__, exc)})
    baseline = {"name": "(empty statement)", "fn": build(spec["baseline"], var), "out": False}
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
        group = ([baseline] if i == 0 else []) + live
        for v in group:
            v["samples"] = []
            try:
                v["loops"] = calibrate(v["fn"], n if v is not baseline else None, opts["target_sample"], deadline, started)
            except Exception as exc:
                v["out"] = True
                errors.append({"variant": v["name"], "error": "%s: %s" % (type(exc).__name__, exc)})
        rnd = kept = 0
        while True:
            t0 = elapsed()
            for v in group:
                if v["out"]:
                    continue
                try:
                    secs = sample(v["fn"], v["loops"], n if v is not baseline else None)
                except Exception as exc:
                    v["out"] = True
                    errors.append({"variant": v["name"], "error": "%s: %s" % (type(exc).__name__, exc)})
                    continue
                if rnd >= opts["warmup_rounds"]:
                    v["samples"].append(secs / v["loops"])
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
            "baseline": {"name": baseline["name"], "loops": baseline["loops"], "samples": baseline["samples"]} if i == 0 else None,
            "variants": [{"name": v["name"], "loops": v["loops"], "samples": v["samples"]} for v in live if not v["out"]],
        })
    engine = "%s %s (%s)" % (platform.python_implementation(), platform.python_version(), sys.executable)
    json.dump({"measurements": {"engine": engine, "sizes": measured, "elapsed": elapsed(), "budget_exhausted": exhausted}, "errors": errors}, sys.stdout)


if __name__ == "__main__":
    main()
