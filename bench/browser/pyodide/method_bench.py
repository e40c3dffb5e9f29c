"""The Python side of bench/browser/cpython-method.mjs, run by Pyodide in a
worker and by the machine's CPython: pyrace's reference harness under a
given method (each factor switched on or off with everything else equal),
and `timeit` on the same statements, both reduced to per-loop times and a
ratio slow/fast by the same few lines."""

import json
import statistics
import timeit

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
