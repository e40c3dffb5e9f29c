"""The Python side of bench/browser/cpython-method.mjs, run by Pyodide in a
worker and by the machine's CPython: pyrace's reference harness under a
given method (each factor switched on or off with everything else equal),
and `timeit` on the same statements, both reduced to per-loop times and a
ratio slow/fast by the same few lines; and plain `tracemalloc` peaks of
statements (bench/browser/memory.mjs), the trusted tool pyrace's CPython
memory figures are checked against."""

import gc
import json
import statistics
import time
import timeit
import tracemalloc

import reference_harness


def harness(job_json, emit=None):
    """`job`: {"spec": pyrace's spec, "method": {...}, "budget": s, "stream":
    bool}. Returns per-variant medians (gross and net of the empty
    statement) and the median of the per-round ratios slow/fast."""
    job = json.loads(job_json)
    spec = dict(job["spec"], method=job.get("method", {}))
    spec["options"] = dict(spec["options"], budget=job["budget"])
    on_sample = None
    if job.get("stream") and emit is not None:
        run_id = 1

        def on_sample(variant, n, rnd, seconds):
            # What the CPython engine's time_spec sends per sample.
            emit(json.dumps({"event": "sample", "run_id": run_id, "variant": variant, "n": n,
                             "round": rnd, "seconds_per_loop": seconds}))
    reply = reference_harness.measure(spec, on_sample)
    size = reply["measurements"]["sizes"][0]
    base = statistics.median(size["baseline"]["samples"]) if size.get("baseline") else 0.0
    figures = {}
    for s in size["variants"]:
        off = base / s["unroll"]
        net = [max(x - off, 1e-12) for x in s["samples"]]
        q = statistics.quantiles(net, n=4) if len(net) > 1 else [net[0]] * 3
        figures[s["name"]] = {"gross": statistics.median(s["samples"]), "net": statistics.median(net),
                              "iqr_share": (q[2] - q[0]) / q[1], "samples": len(net),
                              "loops": s["loops"], "net_series": net}
    return json.dumps({"figures": figures, "errors": reply["errors"],
                       "elapsed": reply["measurements"]["elapsed"]})


def timeit_per_loop(job_json, emit=None):
    """`timeit` as people use it: autorange, then the best of 5 repeats."""
    job = json.loads(job_json)
    t = timeit.Timer(job["code"], job.get("setup", ""))
    number, _ = t.autorange()
    return json.dumps(min(t.repeat(5, number)) / number)


def timeit_repeats(job_json, emit=None):
    """`timeit`'s own samples, not only their best: each statement's loop
    count by autorange, then `repeat` samples of each, the statements
    alternating sample by sample. Returns per-loop seconds per statement, so
    that the best and the median of the same samples can be set side by side."""
    job = json.loads(job_json)
    timers = [timeit.Timer(code, job.get("setup", "")) for code in job["codes"]]
    numbers = [t.autorange()[0] for t in timers]
    samples = [[] for _ in timers]
    for _ in range(job["repeat"]):
        for t, number, out in zip(timers, numbers, samples):
            out.append(t.timeit(number) / number)
    return json.dumps({"numbers": numbers, "samples": samples})


def per_loop_parts(job_json, emit=None):
    """Where a statement's per-loop time under pyrace's method parts from
    `timeit`'s, one step at a time, in one process with the steps'
    samples interleaved (so that the machine's state hits them alike):
    `timeit` (its own Timer, loop count by autorange); pyrace's timing
    function written once per loop iteration; the same written out
    `unroll` times (what pyrace times when the statement is fast), per
    execution; and that net of the empty loop's share, as pyrace reports
    it. `job`: {"spec": pyrace's spec, "repeat": samples per step}.
    Returns per variant the median and the best per-loop seconds of each
    step, the empty loop's per-iteration time, the unroll count and
    whether pyrace's rule (first execution under `unroll_below`) unrolls it."""
    job = json.loads(job_json)
    spec, repeat = job["spec"], job.get("repeat", 15)
    baseline = reference_harness.build(spec["baseline"], None)
    clock = time.perf_counter
    parts = []
    for v in spec["variants"]:
        unrolled = v.get("unrolled") or {"timer": v["timer"], "unroll": 1}
        t = timeit.Timer(v["code"], "\n".join((spec["setup"], v["setup"])))
        number = t.autorange()[0]
        parts.append({
            "name": v["name"], "timeit": t, "number": number,
            "once": reference_harness.build(v["timer"], None),
            "unrolled": reference_harness.build(unrolled["timer"], None),
            "unroll": unrolled["unroll"],
        })
    # pyrace's own rule, on a first (cold) execution.
    for p in parts:
        p["unrolled_by_rule"] = p["unroll"] > 1 and p["once"](1, clock) < spec["unroll_below"]
    steps = {p["name"]: {"timeit": [], "once": [], "unrolled": []} for p in parts}
    empty, empty_loops = [], max(p["number"] for p in parts) * 4
    # Every sample through reference_harness.enter, as the harness takes
    # them: in the browser each then runs in the optimised interpreter loop
    # as soon as V8 has it, `timeit`'s too.
    enter = reference_harness.enter
    for _ in range(repeat):
        gc.disable()
        try:
            empty.append(enter(baseline, (empty_loops, clock)) / empty_loops)
            for p in parts:
                n, s = p["number"], steps[p["name"]]
                s["timeit"].append(enter(p["timeit"].timeit, (n,)) / n)
                s["once"].append(enter(p["once"], (n, clock)) / n)
                loops = max(1, n // p["unroll"])
                s["unrolled"].append(enter(p["unrolled"], (loops, clock)) / (loops * p["unroll"]))
        finally:
            gc.enable()
    loop = statistics.median(empty)
    out = {"empty_loop": loop, "variants": {}}
    for p in parts:
        s = steps[p["name"]]
        # Net as pyrace reports it: of the unrolled function when its rule
        # unrolls the statement, of the plain one otherwise.
        timed, by = ("unrolled", p["unroll"]) if p["unrolled_by_rule"] else ("once", 1)
        s["net"] = [x - loop / by for x in s[timed]]
        out["variants"][p["name"]] = dict(
            {k: {"median": statistics.median(xs), "best": min(xs)} for k, xs in s.items()},
            unroll=p["unroll"], unrolled_by_rule=p["unrolled_by_rule"], number=p["number"])
    return json.dumps(out)


def tracemalloc_peaks(job_json, emit=None):
    """`tracemalloc` as people use it on a statement: the setup run, the
    trace started, the statement run once, the peak read less what was
    traced before it. `job`: {"setup": code, "codes": {name: statement}}.
    Returns the peak bytes per name."""
    job = json.loads(job_json)
    peaks = {}
    for name, code in job["codes"].items():
        namespace = {}
        exec(job.get("setup", ""), namespace)
        statement = compile(code, "<statement>", "exec")
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            exec(statement, namespace)
            peaks[name] = tracemalloc.get_traced_memory()[1] - before
        finally:
            tracemalloc.stop()
    return json.dumps(peaks)
