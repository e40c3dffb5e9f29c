"""What the profile-accuracy benches read a profile against, on the
interpreter that runs this module: cProfile's cumulative share of `main`
for each function of a program, and `main`'s lines timed with nothing else
traced; and pyrace's own tracer (`engine/python/pyrace_profiler.py`, on
the path) read the same way, as the page runs it or calibrated. Used by
bench/profile-accuracy.py (native CPython and RustPython) and
bench/profile-accuracy-pyodide.mjs (Pyodide)."""

import ast
import cProfile
import json
import pstats
import sys
import time


def load(path, source):
    """The program's namespace, run as a module that is not `__main__`."""
    ns = {"__name__": "bench_program", "__file__": path}
    exec(compile(source, path, "exec"), ns)
    return ns


def main_calls(source):
    """`main`'s definition, and the program's functions each of its lines
    calls: {line: [names]}."""
    tree = ast.parse(source)
    names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    main_def = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "main")
    calls = {}
    for stmt in main_def.body:
        called = {n.func.id for n in ast.walk(stmt)
                  if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in names}
        calls[stmt.lineno] = sorted(called)
    return main_def, calls


def cumulative(path, source):
    """cProfile's cumulative seconds of each function of the program, one
    run of `main`."""
    ns = load(path, source)
    profiler = cProfile.Profile()
    profiler.runcall(ns["main"])
    seconds = {}
    for (file, _line, name), (_cc, _nc, _tt, ct, _callers) in pstats.Stats(profiler).stats.items():
        if file == path:
            seconds[name] = max(seconds.get(name, 0.0), ct)
    return seconds


def untraced_main(path, source):
    """Seconds of each line of `main` with nothing else traced, and the
    functions each line calls: {"lines": {line: s}, "calls": {line: [names]}}.
    On CPython 3.12+ only `main`'s own code carries events (sys.monitoring's
    local events), so the functions it calls run at full speed; before,
    `main`'s statements run one by one, each timed. Each line's best of
    five runs."""
    _main_def, calls = main_calls(source)
    m = getattr(sys, "monitoring", None)
    if m is None:
        return {"lines": _statements_of_main(path, source), "calls": calls}
    # The best of five runs: one run of a program of a few milliseconds
    # moves with the machine, and in Pyodide with what V8 has compiled yet.
    best = {}
    for _ in range(5):
        for line, spent in _monitored_main(m, path, source).items():
            best[line] = min(best.get(line, spent), spent)
    return {"lines": best, "calls": calls}


def main_shares(untraced):
    """Each function's share of `main` (%) where one line of `main` calls
    it alone, from `untraced_main`'s figures (line keys as ints or, after
    a JSON round trip, strings)."""
    lines = {int(k): v for k, v in untraced["lines"].items()}
    whole = sum(lines.values())
    shares = {}
    for line, called in untraced["calls"].items():
        if len(called) == 1 and whole:
            shares[called[0]] = 100 * lines.get(int(line), 0.0) / whole
    return shares


def cumulative_shares(cumulative):
    """`cumulative`'s seconds as shares of `main`'s (%)."""
    whole = cumulative.get("main")
    return {f: 100 * s / whole for f, s in cumulative.items() if f != "main"} if whole else {}


def _monitored_main(m, path, source):
    ns = load(path, source)
    code = ns["main"].__code__
    clock = time.perf_counter
    times, state = {}, [None, 0.0]

    def close(now):
        if state[0] is not None:
            times[state[0]] = times.get(state[0], 0.0) + now - state[1]

    def on_line(c, line):
        close(clock())
        state[0], state[1] = line, clock()

    def on_return(c, offset, value):
        close(clock())
        state[0] = None

    tool = 5
    m.use_tool_id(tool, "untraced main")
    m.register_callback(tool, m.events.LINE, on_line)
    m.register_callback(tool, m.events.PY_RETURN, on_return)
    m.set_local_events(tool, code, m.events.LINE | m.events.PY_RETURN)
    ns["main"]()
    m.set_local_events(tool, code, 0)
    m.free_tool_id(tool)
    return times


def _statements_of_main(path, source, repeats=5):
    """`main`'s statements one by one in a namespace of the program's
    globals and `main`'s locals so far (a `return X` times X), the best of
    `repeats` runs of the whole body: right for a `main` made of simple
    statements, as the bench's programs are."""
    main_def, _calls = main_calls(source)
    compiled = []
    for stmt in main_def.body:
        if isinstance(stmt, ast.Return):
            if stmt.value is None:
                continue
            stmt = ast.copy_location(ast.Expr(stmt.value), stmt)
        module = ast.fix_missing_locations(ast.Module([stmt], []))
        compiled.append((stmt.lineno, compile(module, path, "exec")))
    best = {}
    for _ in range(repeats):
        scope = load(path, source)
        for line, code in compiled:
            t0 = time.perf_counter()
            exec(code, scope)
            spent = time.perf_counter() - t0
            best[line] = min(best.get(line, spent), spent)
    return best


def traced(path, source, calibrated):
    """`main` under pyrace's tracer: each function's inclusive share of
    `main` (%, a frame counted once per stack), each line's seconds, and
    the seconds of the whole run (what is left of it, calibrated).
    `calibrated` False is the page's tracer (hooks' cost left in, as
    line_profiler leaves it), True the CLI's."""
    import pyrace_profiler

    ns = load(path, source)
    tracer = pyrace_profiler.Tracer([path], (), 100000, 100000)
    tracer.start(calibrated=calibrated)
    ns["main"]()
    reply = json.loads(tracer.stop())
    thread = reply["threads"][0]
    frames, nodes = thread["frames"], thread["nodes"]

    def name(i):
        return frames[nodes[i][0]][0].rsplit(".", 1)[-1]

    inclusive = {}
    for i, node in enumerate(nodes):
        own, parent, inner = name(i), node[1], False
        while parent >= 0:
            if name(parent) == own:
                inner = True
                break
            parent = nodes[parent][1]
        if not inner:
            inclusive[own] = inclusive.get(own, 0.0) + node[3]
    whole = inclusive.pop("main", 0.0)
    shares = {k: 100 * v / whole for k, v in inclusive.items()} if whole else {}
    lines = {row[1]: row[3] for row in reply["lines"]}
    return shares, lines, reply["total_seconds"]
