#!/usr/bin/env python3
"""Accuracy of `pyrace profile` against the profilers people trust.

For each program of bench/profile-programs/ (functions, and `main()` run
when the program is `__main__`):
- the line line_profiler ranks first among the functions' lines (CPython,
  every function of the program added), beside the first line of those
  same lines in `pyrace profile --lines --json` on RustPython (native) and
  with `--python` (the same profiler on CPython);
- the top functions' inclusive shares of `main` by cProfile's cumulative
  time (CPython), beside the shares read from pyrace's call tree
  (`--collapsed`), on both engines; a row passes when within 10 points;
- for reference, `main`'s lines timed with nothing else traced (only
  `main`'s own code has events, CPython 3.12+; before, `main`'s
  statements timed one by one): the true top line, and the true share of
  each function a line of `main` calls;
- the peak of `sum([i for i in range(10**6)])` over the peak of
  `sum(i for i in range(10**6))` (`--memory`), on both engines.

pyrace's figures are medians of --repeats runs; line_profiler's and
cProfile's are one run each.

Usage: bench/profile-accuracy.py [--python PY] [--top N] [--repeats N]
PY must have line_profiler (pinned: line-profiler==5.1.0), e.g. a venv:
  python3.12 -m venv /tmp/pyrace-lp312
  /tmp/pyrace-lp312/bin/pip install line-profiler==5.1.0
  bench/profile-accuracy.py --python /tmp/pyrace-lp312/bin/python
Builds the `pyrace` CLI (dev profile) first.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROGRAMS = os.path.join(ROOT, "bench", "profile-programs")
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/pyrace-target"))
PYRACE = os.path.join(TARGET, "debug", "pyrace")

# Runs under the reference CPython: line_profiler's and cProfile's figures
# for one program, as JSON on stdout.
REFERENCE = r'''
import json, sys, types
from line_profiler import LineProfiler
import profile_truth

path = sys.argv[1]
source = open(path).read()
ns = profile_truth.load(path, source)
functions = [f for f in ns.values()
             if isinstance(f, types.FunctionType) and f.__code__.co_filename == path]
lp = LineProfiler()
for f in functions:
    lp.add_function(f)
lp.runcall(ns["main"])
stats = lp.get_stats()
lines = {}
for (_file, _first, _name), rows in stats.timings.items():
    for line, hits, spent in rows:
        lines[line] = lines.get(line, 0) + spent * stats.unit
print(json.dumps({"lines": lines, "cumulative": profile_truth.cumulative(path, source),
                  "untraced": profile_truth.untraced_main(path, source)}))
'''


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def pyrace_profile(path, engine):
    """Line seconds {line: s} and frame inclusive seconds {name: s}."""
    with tempfile.NamedTemporaryFile(suffix=".txt") as collapsed:
        out = run([PYRACE, "profile", "--lines", "--json", "--collapsed", collapsed.name,
                   *engine, path])
        if out.returncode != 0:
            sys.exit(f"pyrace profile {path} failed:\n{out.stderr}")
        lines = {}
        for text in out.stdout.splitlines():
            obj = json.loads(text)
            if "line" in obj:
                lines[obj["line"]] = obj["seconds"]
        inclusive = {}
        for text in open(collapsed.name).read().splitlines():
            stack, weight = text.rsplit(" ", 1)
            seconds = int(weight) / 1e6
            # A frame counts once per stack: recursion is not counted twice.
            # cProfile names functions by their code's name, not qualified.
            names = {frame.split(" (", 1)[0].rsplit(".", 1)[-1]
                     for frame in stack.split(";") if f"({path}:" in frame}
            for name in names:
                inclusive[name] = inclusive.get(name, 0.0) + seconds
    return lines, inclusive


def median_of(runs):
    """{key: median} over the runs' dicts (a key missing from a run is
    missing from the result only when missing from every run)."""
    keys = set().union(*runs)
    return {k: statistics.median(r.get(k, 0.0) for r in runs) for k in keys}


def repeated(path, engine, repeats):
    """`pyrace_profile`'s figures, each the median of `repeats` runs: one
    run moves with the load of a shared machine."""
    runs = [pyrace_profile(path, engine) for _ in range(repeats)]
    return median_of([r[0] for r in runs]), median_of([r[1] for r in runs])


def top(figures, among=None):
    keys = [k for k in figures if among is None or k in among]
    return max(keys, key=lambda k: figures[k]) if keys else None


def peak(path, engine):
    out = run([PYRACE, "profile", "--memory", "--json", *engine, path])
    if out.returncode != 0:
        sys.exit(f"pyrace profile --memory {path} failed:\n{out.stderr}")
    for text in out.stdout.splitlines():
        obj = json.loads(text)
        if "peak_bytes" in obj and "line" not in obj:
            return obj["peak_bytes"]
    sys.exit(f"no memory figures for {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable,
                        help="CPython with line_profiler installed")
    parser.add_argument("--top", type=int, default=3, help="functions compared per program")
    parser.add_argument("--repeats", type=int, default=3,
                        help="pyrace runs per program and engine (medians)")
    args = parser.parse_args()
    build = run(["nice", "-n", "10", "cargo", "build", "-q", "-p", "pyrace-engine"], cwd=ROOT)
    if build.returncode != 0:
        sys.exit(build.stderr)
    engines = {"RustPython": [], "CPython": ["--python", args.python]}
    version = run([args.python, "--version"]).stdout.strip()
    print(f"reference: line_profiler and cProfile on {version}; "
          f"pyrace on RustPython (native, debug build) and on {version}")
    print()
    print(f"{'program':<12} {'untraced top':>13} {'line_profiler top':>17} {'RustPython top':>15} "
          f"{'CPython top':>12}")
    share_rows = []
    agree = {name: 0 for name in engines}
    programs = sorted(f for f in os.listdir(PROGRAMS) if f.endswith(".py"))
    for name in programs:
        path = os.path.join(PROGRAMS, name)
        ref = run([args.python, "-c", REFERENCE, path],
                  env={**os.environ, "PYTHONPATH": os.path.dirname(os.path.abspath(__file__))})
        if ref.returncode != 0:
            sys.exit(f"reference failed on {name}:\n{ref.stderr}")
        ref = json.loads(ref.stdout)
        lp_lines = {int(k): v for k, v in ref["lines"].items()}
        lp_top = top(lp_lines)
        ours = {engine: repeated(path, flag, args.repeats) for engine, flag in engines.items()}
        tops = {}
        for engine, (lines, _) in ours.items():
            tops[engine] = top(lines, among=lp_lines)
            agree[engine] += tops[engine] == lp_top
        untraced = ref["untraced"]
        truth = {}
        truth_top = "-"
        if untraced:
            main_lines = {int(k): v for k, v in untraced["lines"].items()}
            truth_top = "line " + str(top(main_lines))
            whole_main = sum(main_lines.values())
            for line, called in untraced["calls"].items():
                if len(called) == 1 and whole_main:
                    truth[called[0]] = 100 * main_lines.get(int(line), 0.0) / whole_main
        print(f"{name:<12} {truth_top:>13} {'line ' + str(lp_top):>17} "
              f"{'line ' + str(tops['RustPython']):>15} {'line ' + str(tops['CPython']):>12}")
        cumulative = ref["cumulative"]
        whole = cumulative.get("main")
        ranked = sorted((f for f in cumulative if f != "main"),
                        key=lambda f: -cumulative[f])[:args.top]
        for function in ranked:
            row = [name, function, truth.get(function), 100 * cumulative[function] / whole]
            for engine, (_, inclusive) in ours.items():
                base = inclusive.get("main", 0.0)
                # None: no frame of that name (RustPython runs list
                # comprehensions inline, in their caller's frame).
                share = inclusive.get(function)
                row.append(100 * share / base if share is not None and base else None)
            share_rows.append(row)
    print()
    print(f"top line agrees with line_profiler: RustPython {agree['RustPython']}/{len(programs)}, "
          f"CPython {agree['CPython']}/{len(programs)}")
    print()
    print("inclusive share of main() (%), cProfile cumulative vs pyrace's call tree")
    print(f"{'program':<12} {'function':<16} {'untraced':>9} {'cProfile':>9} {'RustPython':>11} "
          f"{'CPython':>9}  within 10")
    within = {name: 0 for name in engines}
    compared = {name: 0 for name in engines}
    for program, function, truth_share, ref_share, *shares in share_rows:
        cells, marks = [], []
        for engine, share in zip(engines, shares):
            if share is None:
                cells.append("inlined")
                marks.append("-")
                continue
            ok = abs(share - ref_share) <= 10
            compared[engine] += 1
            within[engine] += ok
            cells.append(f"{share:.1f}")
            marks.append("yes" if ok else "NO")
        truth_cell = "-" if truth_share is None else f"{truth_share:.1f}"
        print(f"{program:<12} {function:<16} {truth_cell:>9} {ref_share:>9.1f} {cells[0]:>11} "
              f"{cells[1]:>9}  " + "/".join(marks))
    print(f"within 10 points of cProfile: RustPython {within['RustPython']}/{compared['RustPython']}, "
          f"CPython {within['CPython']}/{compared['CPython']}")
    # The same code on the same interpreter: pyrace on CPython and cProfile
    # against the untraced figures.
    for label, column in (("cProfile", 3), ("pyrace on CPython", 5)):
        rows = [r for r in share_rows if r[2] is not None and r[column] is not None]
        close = sum(abs(r[column] - r[2]) <= 10 for r in rows)
        print(f"within 10 points of untraced: {label} {close}/{len(rows)}")
    print()
    with tempfile.TemporaryDirectory() as tmp:
        listed = os.path.join(tmp, "list.py")
        generated = os.path.join(tmp, "gen.py")
        open(listed, "w").write("total = sum([i for i in range(10**6)])\n")
        open(generated, "w").write("total = sum(i for i in range(10**6))\n")
        print("memory peak of sum over 10**6 ints: list vs generator")
        print(f"{'engine':<12} {'list':>12} {'generator':>10} {'ratio':>9}")
        for engine, flag in engines.items():
            lp, gp = peak(listed, flag), peak(generated, flag)
            ratio = lp / gp if gp else float("inf")
            print(f"{engine:<12} {lp:>12,} {gp:>10,} {ratio:>8.0f}x")


if __name__ == "__main__":
    main()
