#!/usr/bin/env python3
"""Accuracy of `pyrace profile` against the profilers people trust.

For each program of bench/profile-programs/ (functions, and `main()` run
when the program is `__main__`):
- the line line_profiler ranks first among the functions' lines (CPython,
  every function of the program added), beside the first line of those
  same lines in pyrace's tracer as the page runs it (the hooks' cost left
  in, as line_profiler leaves it) and in `pyrace profile --lines --json`
  (the CLI: the hooks' cost calibrated and taken out), on RustPython
  (native) and on CPython (`--python`);
- the top functions' inclusive shares of `main` by cProfile's cumulative
  time, beside the shares read from the CLI's call tree (`--collapsed`),
  on both engines; a row passes when within 10 points of CPython's
  cProfile, and of cProfile on the same interpreter;
- for reference, on each interpreter, `main`'s lines timed with nothing
  else traced (only `main`'s own code has events, CPython 3.12+; before,
  and on RustPython, `main`'s statements timed one by one): the true top
  line, and the true share of each function a line of `main` calls;
- the peak of `sum([i for i in range(10**6)])` over the peak of
  `sum(i for i in range(10**6))` (`--memory`), on both engines.

pyrace's figures are medians of --repeats runs; line_profiler's and
cProfile's are one run each. RustPython is the debug build of the CLI.

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

import profile_truth  # beside this script

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROGRAMS = os.path.join(ROOT, "bench", "profile-programs")
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/pyrace-target"))
PYRACE = os.path.join(TARGET, "debug", "pyrace")
BENCH = os.path.join(ROOT, "bench")
ENGINE_PYTHON = os.path.join(ROOT, "engine", "python")

# Runs on each interpreter (PATH and REPEATS set before it), as JSON on
# stdout: cProfile's cumulative seconds, `main` untraced, pyrace's tracer as
# the page runs it (lines, the medians of REPEATS runs) and, where
# line_profiler is installed (CPython), its line seconds.
REFERENCE = r'''
import json, statistics, sys, types
import profile_truth

source = open(PATH).read()
runs = [profile_truth.traced(PATH, source, False)[1] for _ in range(REPEATS)]
page = {k: statistics.median(r.get(k, 0.0) for r in runs) for k in set().union(*runs)}
lines = None
try:
    from line_profiler import LineProfiler
except ImportError:  # RustPython
    LineProfiler = None
if LineProfiler is not None:
    ns = profile_truth.load(PATH, source)
    functions = [f for f in ns.values()
                 if isinstance(f, types.FunctionType) and f.__code__.co_filename == PATH]
    lp = LineProfiler()
    for f in functions:
        lp.add_function(f)
    lp.runcall(ns["main"])
    stats = lp.get_stats()
    lines = {}
    for (_file, _first, _name), rows in stats.timings.items():
        for line, hits, spent in rows:
            lines[line] = lines.get(line, 0) + spent * stats.unit
print(json.dumps({"lines": lines, "page": page,
                  "cumulative": profile_truth.cumulative(PATH, source),
                  "untraced": profile_truth.untraced_main(PATH, source)}))
'''


def reference(interpreter, path, repeats):
    """REFERENCE's figures for one program on one interpreter (a command
    that runs a file: `python` or `pyrace run`)."""
    with tempfile.NamedTemporaryFile("w", suffix=".py") as script:
        script.write(f"import sys\nsys.path[:0] = {[BENCH, ENGINE_PYTHON]!r}\n"
                     f"PATH = {path!r}\nREPEATS = {repeats}\n" + REFERENCE)
        script.flush()
        out = run([*interpreter, script.name])
    if out.returncode != 0:
        sys.exit(f"reference failed on {path} under {interpreter}:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


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
    interpreters = {"RustPython": [PYRACE, "run"], "CPython": [args.python]}
    version = run([args.python, "--version"]).stdout.strip()
    print(f"reference: line_profiler on {version}, cProfile and untraced timings on each engine; "
          f"pyrace on RustPython (native, debug build) and on {version}")
    print()
    print("top line among the functions' lines: page = the tracer as the page runs it, "
          "CLI = `pyrace profile` (hooks' cost taken out)")
    print(f"{'program':<12} {'untraced':>9} {'line_profiler':>14} {'RP page':>8} {'RP CLI':>7} "
          f"{'CPy page':>9} {'CPy CLI':>8}")
    share_rows = []
    agree = {}
    programs = sorted(f for f in os.listdir(PROGRAMS) if f.endswith(".py"))
    for name in programs:
        path = os.path.join(PROGRAMS, name)
        refs = {engine: reference(interpreter, path, args.repeats)
                for engine, interpreter in interpreters.items()}
        lp_lines = {int(k): v for k, v in refs["CPython"]["lines"].items()}
        lp_top = top(lp_lines)
        ours = {engine: repeated(path, flag, args.repeats) for engine, flag in engines.items()}
        cells = []
        for engine in engines:
            page = {int(k): v for k, v in refs[engine]["page"].items()}
            for mode, lines in (("page", page), ("CLI", ours[engine][0])):
                line = top(lines, among=lp_lines)
                agree[engine, mode] = agree.get((engine, mode), 0) + (line == lp_top)
                cells.append(f"line {line}")
        truth = {engine: profile_truth.main_shares(refs[engine]["untraced"])
                 for engine in engines}
        cprofile = {engine: profile_truth.cumulative_shares(refs[engine]["cumulative"])
                    for engine in engines}
        truth_top = top({int(k): v for k, v in refs["CPython"]["untraced"]["lines"].items()})
        print(f"{name:<12} {'line ' + str(truth_top):>9} {'line ' + str(lp_top):>14} "
              f"{cells[0]:>8} {cells[1]:>7} {cells[2]:>9} {cells[3]:>8}")
        ranked = sorted(cprofile["CPython"], key=lambda f: -cprofile["CPython"][f])[:args.top]
        for function in ranked:
            row = [name, function]
            for engine in engines:
                inclusive = ours[engine][1]
                base = inclusive.get("main", 0.0)
                # None: no frame of that name (RustPython runs list
                # comprehensions inline, in their caller's frame).
                share = inclusive.get(function)
                row.append((truth[engine].get(function), cprofile[engine].get(function),
                            100 * share / base if share is not None and base else None))
            share_rows.append(row)
    print()
    print("top line agrees with line_profiler's: " + ", ".join(
        f"{engine} {mode} {count}/{len(programs)}" for (engine, mode), count in agree.items()))
    print()
    print("inclusive share of main() (%): untraced, cProfile and pyrace's CLI, on each engine")
    print(f"{'program':<12} {'function':<16} {'RP untraced':>11} {'RP cProfile':>11} {'RP pyrace':>9} "
          f"{'CPy untraced':>12} {'CPy cProfile':>12} {'CPy pyrace':>10}")

    def cell(value, width):
        return f"{'-' if value is None else f'{value:.1f}':>{width}}"

    for program, function, rp, cpy in share_rows:
        print(f"{program:<12} {function:<16} {cell(rp[0], 11)} {cell(rp[1], 11)} "
              f"{cell(rp[2], 9) if rp[2] is not None else 'inlined':>9} "
              f"{cell(cpy[0], 12)} {cell(cpy[1], 12)} {cell(cpy[2], 10)}")

    def close(pairs):
        pairs = [(a, b) for a, b in pairs if a is not None and b is not None]
        return f"{sum(abs(a - b) <= 10 for a, b in pairs)}/{len(pairs)}"

    rows = share_rows
    print("within 10 points of CPython's cProfile (the issue's yardstick): "
          f"RustPython {close((r[2][2], r[3][1]) for r in rows)}, "
          f"CPython {close((r[3][2], r[3][1]) for r in rows)}")
    print("within 10 points of cProfile on the same engine: "
          f"RustPython {close((r[2][2], r[2][1]) for r in rows)}, "
          f"CPython {close((r[3][2], r[3][1]) for r in rows)}")
    print("within 10 points of untraced on the same engine: "
          f"pyrace on RustPython {close((r[2][2], r[2][0]) for r in rows)}, "
          f"cProfile on RustPython {close((r[2][1], r[2][0]) for r in rows)}, "
          f"pyrace on CPython {close((r[3][2], r[3][0]) for r in rows)}, "
          f"cProfile on CPython {close((r[3][1], r[3][0]) for r in rows)}")
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
