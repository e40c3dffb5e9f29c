"""pyrace's line profiler, call tracer and memory meter, run by every
engine: RustPython loads it as `_pyrace_profiler`, CPython runs it in front
of `profile_runner.py` (`pyrace profile --python`).

The tracer hooks `sys.monitoring` (LINE, PY_START/RESUME/THROW,
PY_RETURN/YIELD/UNWIND) on CPython 3.12+ and `sys.settrace` elsewhere
(RustPython 0.6 has `sys.monitoring`, but its LINE events break some code,
see `start`), on the thread that starts it. It
aggregates as it goes: one entry per line of the program's files and one
node per call path (both bounded), never a list of events. A line's time
runs from its start to the next line of the same call, callees included,
as line_profiler counts it; the tracer's own time is left out of every
figure (its clock stops while a hook runs). A program that raises or is
stopped keeps what was measured: `stop` closes the calls still open."""

import json
import sys
import time

try:
    from _thread import get_ident
except ImportError:  # an interpreter without threads
    def get_ident():
        return 0


def _memory_tick():
    """(current, peak since the last tick, total or None, count or None)
    in bytes above the start of the measurement, then starts the next
    tick's peak; None where memory is not measured."""
    try:
        import _pyrace

        return _pyrace.allocations_tick
    except (ImportError, AttributeError):
        pass
    import tracemalloc

    traced = tracemalloc.get_traced_memory
    reset = tracemalloc.reset_peak

    def tick():
        current, peak = traced()
        reset()
        return current, peak, None, None

    return tick


# Code that runs inside a line of its caller.
_INLINE_NAMES = frozenset(("<genexpr>", "<listcomp>", "<dictcomp>", "<setcomp>", "<lambda>"))


class Tracer:
    """Lines of `files` and calls of every Python frame, until `stop`."""

    def __init__(self, files, ignore_files, max_lines, max_nodes, memory=False,
                 clock=time.perf_counter):
        self.files = frozenset(files)
        self.ignore = frozenset(ignore_files) | {Tracer.__init__.__code__.co_filename}
        self.max_lines = max_lines
        self.max_nodes = max_nodes
        self.clock = clock
        self.tick = _memory_tick() if memory else None
        # Seconds and bytes the tracer itself took, left out of the figures.
        self.lost = 0.0
        # Seconds each hook costs outside its own clock readings (the
        # interpreter calling it), measured by `calibrate`: left out too.
        self.bias = 0.0
        # The highest memory the program reached, the tracer's own left out
        # (the tracer's ticks restart the engine's peak).
        self.peak_seen = 0
        self.own_bytes = 0
        self.own_count = 0
        # (file, line) -> [hits, seconds, peak bytes or None]
        self.lines = {}
        self.dropped_hits = 0
        # code -> (frame index or None when ignored, whether lines count,
        #          whether it runs inside its caller's line)
        self.codes = {}
        self.frames = []
        self.frame_index = {}
        # [frame, parent, calls, inclusive, own]
        self.nodes = []
        self.children = {}
        self.folded = 0
        # Open calls: [node (-1 folded), code, counts lines, line entry,
        #              line start, line's memory at start, line's peak,
        #              call start, seconds in callees, line's time counted
        #              by the caller's same line]
        self.stack = []
        self.thread = get_ident()
        self.hook = None
        self.started = 0.0

    # -- the hooks' work ---------------------------------------------------

    def _code(self, code):
        info = self.codes.get(code)
        if info is None:
            filename = code.co_filename
            if filename in self.ignore:
                info = (None, False, False)
            else:
                name = getattr(code, "co_qualname", code.co_name)
                key = (name, filename, code.co_firstlineno)
                frame = self.frame_index.get(key)
                if frame is None:
                    frame = len(self.frames)
                    self.frames.append(key)
                    self.frame_index[key] = frame
                # A comprehension, generator expression or lambda runs
                # inside a line of its caller, often the same line.
                inline = name.rsplit(".", 1)[-1] in _INLINE_NAMES
                info = (frame, filename in self.files, inline)
            self.codes[code] = info
        return info

    def _close_line(self, rec, now, current):
        entry = rec[3]
        if entry is not None and not rec[9]:
            entry[1] += now - rec[4]
            if self.tick is not None:
                grown = rec[6] - rec[5]
                if entry[2] is None or grown > entry[2]:
                    entry[2] = grown
        rec[3] = None

    def _leave(self, t0, m0):
        """Ends a hook begun at clock `t0` (memory counts `m0`): its time
        and allocations are the tracer's own."""
        if self.tick is not None:
            current, _peak, total, count = self.tick()
            if total is not None:
                self.own_bytes += total - m0[2]
                self.own_count += count - m0[3]
        self.lost += self.clock() - t0 + self.bias

    def _enter_tick(self):
        if self.tick is None:
            return None
        counts = self.tick()
        peak = counts[1]
        if peak > self.peak_seen:
            self.peak_seen = peak
        stack = self.stack
        if stack and peak > stack[-1][6]:
            stack[-1][6] = peak
        return counts

    def on_start(self, code, *_):
        t0 = self.clock()
        if get_ident() != self.thread:
            return
        m0 = self._enter_tick()
        frame, counted, inline = self._code(code)
        if frame is not None:
            now = t0 - self.lost - self.bias
            stack = self.stack
            caller = stack[-1] if stack else None
            node = -1
            if caller is None or caller[0] >= 0:
                parent = caller[0] if caller is not None else -1
                node = self.children.get((parent, frame))
                if node is None:
                    if len(self.nodes) < self.max_nodes:
                        node = len(self.nodes)
                        self.nodes.append([frame, parent, 0, 0.0, 0.0])
                        self.children[(parent, frame)] = node
                    else:
                        node = -1
            if node >= 0:
                self.nodes[node][2] += 1
            else:
                self.folded += 1
            current = m0[0] if m0 is not None else 0
            stack.append([node, code, counted, None, now, current, current, now, 0.0, inline])
        self._leave(t0, m0)

    def on_return(self, code, *_):
        t0 = self.clock()
        if get_ident() != self.thread:
            return
        m0 = self._enter_tick()
        stack = self.stack
        if stack and stack[-1][1] is code:
            self._pop(t0 - self.lost - self.bias, m0[0] if m0 is not None else 0)
        self._leave(t0, m0)

    def _pop(self, now, current):
        stack = self.stack
        rec = stack.pop()
        self._close_line(rec, now, current)
        if stack and rec[6] > stack[-1][6]:
            stack[-1][6] = rec[6]
        node = rec[0]
        if node >= 0:
            elapsed = now - rec[7]
            n = self.nodes[node]
            n[3] += elapsed
            n[4] += elapsed - rec[8]
            for caller in reversed(stack):
                if caller[0] >= 0:
                    caller[8] += elapsed
                    break

    def on_line(self, code, line):
        t0 = self.clock()
        if get_ident() != self.thread:
            return None
        stack = self.stack
        rec = stack[-1] if stack else None
        if rec is None or rec[1] is not code or not rec[2]:
            counted = self._code(code)[1]
            return None if counted else self._skip_lines
        m0 = self._enter_tick()
        now = t0 - self.lost - self.bias
        current = m0[0] if m0 is not None else 0
        again = rec[3]
        self._close_line(rec, now, current)
        key = (code.co_filename, line)
        entry = self.lines.get(key)
        if entry is None:
            if len(self.lines) < self.max_lines:
                entry = self.lines[key] = [0, 0.0, None]
            else:
                self.dropped_hits += 1
        if entry is not None:
            entry[0] += 1
        # A line that runs again at once (a loop on one line, an inlined
        # comprehension) keeps its memory baseline: its peak is the whole
        # loop's, not one turn's.
        if entry is None or entry is not again:
            rec[5] = rec[6] = current
        # An inlined body's line that is its caller's current line: its
        # hits count, its time is already the caller's line's.
        rec[9] = (entry is not None and self.codes[code][2] and len(stack) > 1
                  and stack[-2][3] is entry)
        rec[3] = entry
        rec[4] = now
        self._leave(t0, m0)
        return None

    # -- hooks --------------------------------------------------------------

    def calibrate(self, turns=3000):
        """Measures `bias`: a loop's time traced, less the time the hooks
        read on their own clock, less its time untraced, per hook. The
        loop is compiled under a file of its own, so that it is traced as
        a program is."""
        filename = "<pyrace calibration>"
        scope = {}
        exec(compile("def loop(n):\n    x = 0\n    for i in range(n):\n        x += i\n"
                     "    return x\n", filename, "exec"), scope)
        loop, clock = scope["loop"], self.clock

        def untraced():
            t0 = clock()
            loop(turns)
            return clock() - t0

        plain = min(untraced() for _ in range(3))
        best = None
        for _ in range(3):
            probe = Tracer([filename], (), 100, 100, clock=clock)
            t0 = clock()
            probe.start(calibrated=False)
            loop(turns)
            probe._unhook()
            traced = clock() - t0
            hooks = sum(e[0] for e in probe.lines.values()) + 2
            per_hook = (traced - probe.lost - plain) / hooks
            best = per_hook if best is None else min(best, per_hook)
        self.bias = max(0.0, best)

    def start(self, calibrated=True):
        """Traces from the next call on this thread."""
        if calibrated:
            self.calibrate()
        monitoring = getattr(sys, "monitoring", None)
        if sys.implementation.name != "cpython":
            # RustPython 0.6's LINE events break the code they watch (in
            # `re._parser._parse` the engine pops an empty value stack and
            # panics); its `sys.settrace` runs the same code correctly.
            monitoring = None
        if self.tick is not None:
            self.peak_seen = self.tick()[0]
        self.started = self.clock()
        if monitoring is not None:
            self._monitor(monitoring)
        else:
            self._settrace()

    def _monitor(self, m):
        tool = m.PROFILER_ID
        # Lines a run before silenced (DISABLE) must count again.
        m.restart_events()
        m.use_tool_id(tool, "pyrace profiler")
        e = m.events
        self._skip_lines = m.DISABLE
        for event in (e.PY_START, e.PY_RESUME, e.PY_THROW):
            m.register_callback(tool, event, self.on_start)
        for event in (e.PY_RETURN, e.PY_YIELD, e.PY_UNWIND):
            m.register_callback(tool, event, self.on_return)
        m.register_callback(tool, e.LINE, self.on_line)
        m.set_events(tool, e.PY_START | e.PY_RESUME | e.PY_THROW | e.PY_RETURN
                     | e.PY_YIELD | e.PY_UNWIND | e.LINE)
        self.hook = "sys.monitoring"

        def unhook():
            m.set_events(tool, 0)
            for event in (e.PY_START, e.PY_RESUME, e.PY_THROW, e.PY_RETURN,
                          e.PY_YIELD, e.PY_UNWIND, e.LINE):
                m.register_callback(tool, event, None)
            m.free_tool_id(tool)

        self._unhook = unhook

    def _settrace(self):
        self._skip_lines = None
        on_start, on_return, on_line = self.on_start, self.on_return, self.on_line

        def local(frame, event, arg):
            if event == "line":
                on_line(frame.f_code, frame.f_lineno)
            elif event == "return":
                on_return(frame.f_code)
            return local

        def call(frame, event, arg):
            if event != "call":
                return None
            code = frame.f_code
            frame_index, counted, _inline = self._code(code)
            if frame_index is None:
                return None
            if not counted:
                try:
                    frame.f_trace_lines = False
                except AttributeError:
                    pass
            on_start(code)
            return local

        sys.settrace(call)
        self.hook = "sys.settrace"
        self._unhook = lambda: sys.settrace(None)

    def stop(self):
        """Stops tracing; JSON of the profile (calls still open closed now)."""
        end = self.clock()
        self._unhook()
        now = end - self.lost
        current = self._enter_tick()[0] if self.tick is not None else 0
        while self.stack:
            self._pop(now, current)
        # The bias is a mean: a line or call it overcorrects reads zero.
        lines = [[f, line, e[0], max(0.0, e[1]), e[2]] for (f, line), e in self.lines.items()]
        for node in self.nodes:
            node[3] = max(0.0, node[3])
            node[4] = max(0.0, node[4])
        return json.dumps({
            "tracer": self.hook,
            "bias_seconds": self.bias,
            "total_seconds": max(0.0, now - self.started),
            "lines": lines,
            "dropped_hits": self.dropped_hits,
            "frames": [list(key) for key in self.frames],
            "nodes": self.nodes,
            "folded_calls": self.folded,
            "peak_seen": self.peak_seen if self.tick is not None else None,
            "own_bytes": self.own_bytes,
            "own_allocations": self.own_count,
        })


class MemoryMeter:
    """What a program allocates from `start` to `stop`: RustPython's own
    allocator's counts where the engine has them, `tracemalloc` on CPython."""

    def __init__(self):
        try:
            import _pyrace

            self.counter = _pyrace if hasattr(_pyrace, "allocations_start") else None
        except ImportError:
            self.counter = None
        self.started_tracemalloc = False
        self.base = 0

    def start(self):
        """Starts measuring; False where this engine cannot (RustPython
        embedded without pyrace's counting allocator)."""
        if self.counter is not None:
            if self.counter.allocations_start():
                return True
            self.counter.allocations_stop()
            return False
        import tracemalloc

        if not tracemalloc.is_tracing():
            tracemalloc.start()
            self.started_tracemalloc = True
        tracemalloc.reset_peak()
        self.base = tracemalloc.get_traced_memory()[0]
        return True

    def stop(self, traced=None):
        """JSON of a `MemoryProfile`. `traced`, the reply of a tracer that
        measured memory alongside: its peak (its own allocations left out)
        replaces the meter's, and its own allocations leave the totals."""
        traced = traced or {}
        own_bytes = traced.get("own_bytes", 0)
        own_allocations = traced.get("own_allocations", 0)
        seen = traced.get("peak_seen")
        if self.counter is not None:
            current, peak, total, count = self.counter.allocations_stop()
            if seen is not None:
                peak = seen
            return json.dumps({
                "source": "rustpython_allocator",
                "peak_bytes": max(0, peak),
                "allocated_bytes": max(0, total - own_bytes),
                "allocations": max(0, count - own_allocations),
                "retained_bytes": current,
            })
        import tracemalloc

        current, peak = tracemalloc.get_traced_memory()
        if seen is not None:
            peak = seen
        if self.started_tracemalloc:
            tracemalloc.stop()
        return json.dumps({
            "source": "tracemalloc",
            "peak_bytes": max(0, peak - self.base),
            "allocated_bytes": None,
            "allocations": None,
            "retained_bytes": current - self.base,
        })


class StatementMeter(MemoryMeter):
    """A timed statement's memory, for the harness's memory function
    (`model::timing_source::memory_source`): the peak of the statement's
    first execution (`first`), then, over all `loops` executions, the bytes
    and allocations per execution (`stop`), as JSON of a `StatementMemory`,
    or null where this engine cannot count."""

    def start(self):
        self.counting = MemoryMeter.start(self)
        self.first_peak = 0
        return self.counting

    def first(self):
        if not self.counting:
            return
        if self.counter is not None:
            self.first_peak = self.counter.allocations_tick()[1]
        else:
            import tracemalloc

            self.first_peak = tracemalloc.get_traced_memory()[1] - self.base

    def stop(self, loops):
        if not self.counting:
            return "null"
        whole = json.loads(MemoryMeter.stop(self))
        loops = max(1, loops)

        def per_loop(total):
            return None if total is None else total / loops

        return json.dumps({
            "source": whole["source"],
            "peak_bytes": max(0, self.first_peak),
            "loops": loops,
            "allocated_bytes_per_loop": per_loop(whole["allocated_bytes"]),
            "allocations_per_loop": per_loop(whole["allocations"]),
        })
