"""pyrace's line profiler, call tracer and memory meter, run by every
engine: RustPython loads it as `_pyrace_profiler`, CPython runs it in front
of `profile_runner.py` (`pyrace profile --python`).

The tracer hooks `sys.monitoring` (LINE, PY_START/RESUME/THROW,
PY_RETURN/YIELD/UNWIND) on CPython 3.12+ and `sys.settrace` elsewhere
(RustPython 0.6 has `sys.monitoring`, but its LINE events break some code,
see `start`), on the thread that starts it and the threads started after
(sys.monitoring hears every thread; sys.settrace is passed on by
threading.settrace). It aggregates as it goes, each thread on its own:
one entry per line of the program's files and one node per call path
(both bounded), never a list of events; `stop` gives one call tree per
thread and the lines of all threads together. A line's time
runs from its start to the next line of the same call, callees included,
as line_profiler counts it; the tracer's own time is left out of every
figure (its clock stops while a hook runs). A line's hits are the times
it starts: a line that runs again at once (a loop on one line, a
generator expression, comprehension or lambda inside the line that uses
it) is one hit, as line_profiler 5 counts on CPython 3.12+, so that both
hooks count the same (sys.settrace alone would report such a line at
every turn and every resume). A program that raises or is
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

# A thread the tracer has not met yet (`Tracer.threads`, where None is a
# paused thread).
_UNSEEN = object()


def _thread_start_files():
    """The files of the frames that start a thread before its function
    (threading's `_bootstrap`, `_bootstrap_inner` and `run`, or what
    pyrace's GIL mode put in their place), which are no part of the
    program."""
    try:
        import threading
    except ImportError:  # an interpreter without threads
        return frozenset()
    methods = ("_bootstrap", "_bootstrap_inner", "run")
    codes = (getattr(getattr(threading.Thread, m, None), "__code__", None) for m in methods)
    return frozenset(code.co_filename for code in codes if code is not None)


def _thread_owner(ident):
    """The `threading.Thread` of thread `ident`, read without making one
    (`current_thread` would register a dummy for a thread still starting)."""
    threading = sys.modules.get("threading")
    active = getattr(threading, "_active", None)
    return active.get(ident) if active is not None else None


class _Thread:
    """What one thread ran: its own stack, call tree and lines, so that
    threads running at once never share a stack, and its own clock
    correction (the time its hooks took)."""

    # No __slots__: in the browser's RustPython every assignment to a slot
    # kept about 70 bytes (100 000 `+=` on one grew memory by 7.1 MB, on an
    # instance dict by 136 bytes), and `lost` is assigned at every hook.

    def __init__(self, ident, owner, main):
        self.ident = ident
        self.owner = owner
        self.main = main
        if owner is not None:
            self.name = owner.name
        else:
            self.name = "MainThread" if main else "thread %d" % ident
        self.lost = 0.0
        # Hooks run so far: what each span is corrected by at `stop`.
        self.hooks = 0
        # code -> frame index
        self.frame_of = {}
        self.frames = []
        self.frame_index = {}
        # [frame, parent, calls, inclusive, own (set at `stop`), hooks in
        #  inclusive]
        self.nodes = []
        self.children = {}
        self.folded = 0
        # Open calls: [node (-1 folded), code, counts lines, line entry,
        #              line start, line's memory at start, line's peak,
        #              call start, line's time counted by the caller's
        #              same line, hooks at the call's start, hooks at the
        #              line's start]
        self.stack = []
        # (file, line) -> [hits, seconds, peak bytes or None, hooks]
        self.lines = {}
        self.dropped_hits = 0

    def frame(self, code, key):
        frame = self.frame_of.get(code)
        if frame is None:
            frame = self.frame_index.get(key)
            if frame is None:
                frame = len(self.frames)
                self.frames.append(key)
                self.frame_index[key] = frame
            self.frame_of[code] = frame
        return frame

    def seconds(self):
        """Seconds under the thread's top calls."""
        return sum(n[3] for n in self.nodes if n[1] < 0)


def _own_times(nodes, bias):
    """Takes `bias` a hook out of each node's inclusive time, then sets its
    own time: its inclusive less its callees'. Own times taken out one by
    one and each kept at zero or more would add up to more than the
    inclusive time above them wherever many short calls read below zero
    (a recursion's leaves), and a flame graph's frames would overflow
    their caller; a call folded past the bound is its caller's own."""
    callees = [0.0] * len(nodes)
    for node in nodes:
        node[3] = max(0.0, node[3] - node[5] * bias)
        if node[1] >= 0:
            callees[node[1]] += node[3]
    for node, inner in zip(nodes, callees):
        node[4] = max(0.0, node[3] - inner)


class Tracer:
    """Lines of `files` and calls of every Python frame, on the thread that
    starts it and every thread started after, one call tree per thread,
    until `stop`."""

    def __init__(self, files, ignore_files, max_lines, max_nodes, memory=False,
                 clock=time.perf_counter, should_stop=None, poll_seconds=0.02):
        self.files = frozenset(files)
        self.ignore = frozenset(ignore_files) | {Tracer.__init__.__code__.co_filename}
        self.start_files = _thread_start_files()
        self.max_lines = max_lines
        self.max_nodes = max_nodes
        self.clock = clock
        self.tick = _memory_tick() if memory else None
        # Seconds each hook costs outside its own clock readings (the
        # interpreter calling it), measured by `calibrate`: left out too.
        self.bias = 0.0
        # The same cost, measured whether or not it is taken out (`start`):
        # what the reply's `hook_share` is read from.
        self.estimate = 0.0
        # Whether sys.settrace's hooks read the clock as they are entered (`start`).
        self.early_clock = False
        # The highest memory the program reached, the tracer's own left out
        # (the tracer's ticks restart the engine's peak).
        self.peak_seen = 0
        self.own_bytes = 0
        self.own_count = 0
        # Lines and nodes of all threads, against the bounds.
        self.line_count = 0
        self.node_count = 0
        # code -> (ignored, whether lines count, whether it runs inside
        #          its caller's line)
        self.kinds = {}
        # ident -> _Thread, or None while paused; threads whose ident a
        # later thread took, in `ended`.
        self.threads = {}
        self.paused = {}
        self.ended = []
        self.main = None
        self.hook = None
        self.running = False
        self.started = 0.0
        # Where the engine's host cannot interrupt the program (RustPython
        # in the browser), the reader's Stop is asked for from the main
        # thread's line hook at most every `poll_seconds`; the answer
        # raises KeyboardInterrupt in the program, once, and `stopped`
        # says why it ended.
        self.should_stop = should_stop
        self.poll_seconds = poll_seconds
        self.next_poll = 0.0
        self.stopped = False

    # -- the hooks' work ---------------------------------------------------

    def _kind(self, code):
        kind = self.kinds.get(code)
        if kind is None:
            filename = code.co_filename
            if filename in self.ignore:
                kind = (True, False, False)
            else:
                name = getattr(code, "co_qualname", code.co_name)
                # A comprehension, generator expression or lambda runs
                # inside a line of its caller, often the same line.
                inline = name.rsplit(".", 1)[-1] in _INLINE_NAMES
                kind = (False, filename in self.files, inline)
            self.kinds[code] = kind
        return kind

    def _root(self, state, code):
        """The thread to record a call of `code` on where the calling
        thread has no call open: a thread met for the first time, or a new
        thread that took the ident of one that ended. None while threading
        starts the thread (its frames are not the program's) or once the
        tracer stopped."""
        if not self.running or code.co_filename in self.start_files:
            return None
        ident = get_ident()
        owner = _thread_owner(ident)
        if state is not _UNSEEN:
            if state.owner is owner:
                return state
            self.ended.append(state)
        state = _Thread(ident, owner, False)
        self.threads[ident] = state
        return state

    def _close_line(self, state, rec, now, current):
        entry = rec[3]
        if entry is not None and not rec[8]:
            entry[1] += now - rec[4]
            entry[3] += state.hooks - rec[10]
            if self.tick is not None:
                grown = rec[6] - rec[5]
                if entry[2] is None or grown > entry[2]:
                    entry[2] = grown
        rec[3] = None

    def _leave(self, state, t0, m0):
        """Ends a hook begun at clock `t0` (memory counts `m0`): its time
        and allocations are the tracer's own."""
        if self.tick is not None:
            current, _peak, total, count = self.tick()
            if total is not None:
                self.own_bytes += total - m0[2]
                self.own_count += count - m0[3]
        state.lost += self.clock() - t0
        state.hooks += 1

    def _enter_tick(self, state):
        if self.tick is None:
            return None
        counts = self.tick()
        peak = counts[1]
        if peak > self.peak_seen:
            self.peak_seen = peak
        stack = state.stack
        if stack and peak > stack[-1][6]:
            stack[-1][6] = peak
        return counts

    def on_start(self, code, *_, t0=None):
        if t0 is None:
            t0 = self.clock()
        state = self.threads.get(get_ident(), _UNSEEN)
        if state is None:
            return
        if state is _UNSEEN or not (state.stack or state.main):
            state = self._root(state, code)
            if state is None:
                return
        m0 = self._enter_tick(state)
        ignored, counted, inline = self._kind(code)
        if not ignored:
            name = getattr(code, "co_qualname", code.co_name)
            frame = state.frame(code, (name, code.co_filename, code.co_firstlineno))
            now = t0 - state.lost
            stack = state.stack
            caller = stack[-1] if stack else None
            node = -1
            if caller is None or caller[0] >= 0:
                parent = caller[0] if caller is not None else -1
                node = state.children.get((parent, frame))
                if node is None:
                    if self.node_count < self.max_nodes:
                        self.node_count += 1
                        node = len(state.nodes)
                        state.nodes.append([frame, parent, 0, 0.0, 0.0, 0])
                        state.children[(parent, frame)] = node
                    else:
                        node = -1
            if node >= 0:
                state.nodes[node][2] += 1
            else:
                state.folded += 1
            current = m0[0] if m0 is not None else 0
            hooks = state.hooks
            stack.append([node, code, counted, None, now, current, current, now, inline,
                          hooks, hooks])
        self._leave(state, t0, m0)

    def on_return(self, code, *_, t0=None):
        if t0 is None:
            t0 = self.clock()
        state = self.threads.get(get_ident())
        if state is None:
            return
        m0 = self._enter_tick(state)
        stack = state.stack
        if stack and stack[-1][1] is code:
            self._pop(state, t0 - state.lost, m0[0] if m0 is not None else 0)
        self._leave(state, t0, m0)

    def _pop(self, state, now, current):
        stack = state.stack
        rec = stack.pop()
        self._close_line(state, rec, now, current)
        if stack and rec[6] > stack[-1][6]:
            stack[-1][6] = rec[6]
        node = rec[0]
        if node >= 0:
            n = state.nodes[node]
            n[3] += now - rec[7]
            n[5] += state.hooks - rec[9]

    def on_line(self, code, line, t0=None):
        if t0 is None:
            t0 = self.clock()
        state = self.threads.get(get_ident())
        if state is None:
            return None
        stack = state.stack
        rec = stack[-1] if stack else None
        if rec is None or rec[1] is not code or not rec[2]:
            counted = self._kind(code)[1]
            return None if counted else self._skip_lines
        m0 = self._enter_tick(state)
        now = t0 - state.lost
        current = m0[0] if m0 is not None else 0
        again = rec[3]
        self._close_line(state, rec, now, current)
        key = (code.co_filename, line)
        lines = state.lines
        entry = lines.get(key)
        if entry is None:
            if self.line_count < self.max_lines:
                self.line_count += 1
                entry = lines[key] = [0, 0.0, None, 0]
            else:
                state.dropped_hits += 1
        # An inlined body's line that is its caller's current line (a
        # generator expression, comprehension or lambda on the line that
        # uses it) is that line still running: its time is already the
        # caller's line's, and it is no new hit. line_profiler counts it so
        # (once per run of the line); the hooks would not agree otherwise:
        # sys.settrace reports the line at every resume of a generator and
        # every turn of its loop, sys.monitoring once per generator.
        inlined = (entry is not None and self.kinds[code][2] and len(stack) > 1
                   and stack[-2][3] is entry)
        if entry is not None and not inlined and entry is not again:
            entry[0] += 1
        # A line that runs again at once (a loop on one line, an inlined
        # comprehension) keeps its memory baseline: its peak is the whole
        # loop's, not one turn's.
        if entry is None or entry is not again:
            rec[5] = rec[6] = current
        rec[8] = inlined
        rec[3] = entry
        rec[4] = now
        rec[10] = state.hooks
        # Asked inside the hook, so that the question's time and memory
        # are the tracer's own.
        stop = (self.should_stop is not None and state is self.main
                and t0 >= self.next_poll and self._stop_asked(t0))
        self._leave(state, t0, m0)
        if stop:
            raise KeyboardInterrupt("Stopped")
        return None

    def _stop_asked(self, now):
        self.next_poll = now + self.poll_seconds
        if not self.should_stop():
            return False
        self.should_stop = None
        self.stopped = True
        return True

    # -- pausing -------------------------------------------------------------

    def pause(self):
        """Stops recording on the calling thread until `resume` (while
        pyrace does its own work there, as sending the program's output)."""
        ident = get_ident()
        self.paused[ident] = self.threads.get(ident, _UNSEEN)
        self.threads[ident] = None

    def resume(self):
        ident = get_ident()
        state = self.paused.pop(ident, _UNSEEN)
        if state is _UNSEEN:
            self.threads.pop(ident, None)
        else:
            self.threads[ident] = state

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
            probe.start(calibrated=False, early_clock=self.early_clock)
            loop(turns)
            probe._unhook()
            traced = clock() - t0
            hooks = probe.main.hooks
            per_hook = (traced - probe.main.lost - plain) / hooks
            best = per_hook if best is None else min(best, per_hook)
        self.bias = max(0.0, best)

    def start(self, calibrated=True, estimate=False, early_clock=None):
        """Traces from the next call on this thread, and threads started
        from now on. `calibrated`: the hooks' measured cost is taken out of
        every figure; `estimate`: it is measured all the same, and the
        reply says what share of the traced time it came to.

        `early_clock` (by default: when not calibrated): each sys.settrace
        hook reads the clock as it is entered, so that reading the frame
        and calling on, a Python call of its own per event (a microsecond
        or more on RustPython), is the tracer's time and not the line's.
        Left in, it made a generator expression's every resume weigh more
        than the quadratic concatenation beside it (bench/profile-accuracy.py,
        strings.py on RustPython). Calibrated, the clock is read later, as
        the correction was measured to work best (docs/method.md)."""
        self.early_clock = (not calibrated) if early_clock is None else early_clock
        if calibrated or estimate:
            self.calibrate()
            self.estimate = self.bias
        if not calibrated:
            self.bias = 0.0
        monitoring = getattr(sys, "monitoring", None)
        if sys.implementation.name != "cpython":
            # RustPython 0.6's LINE events break the code they watch (in
            # `re._parser._parse` the engine pops an empty value stack and
            # panics); its `sys.settrace` runs the same code correctly.
            monitoring = None
        if self.tick is not None:
            self.peak_seen = self.tick()[0]
        ident = get_ident()
        self.main = _Thread(ident, _thread_owner(ident), True)
        self.threads[ident] = self.main
        self.running = True
        self.started = self.clock()
        if monitoring is not None:
            self._monitor(monitoring)
        else:
            self._settrace()

    def _monitor(self, m):
        """sys.monitoring's events come from every thread."""
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
        """sys.settrace is one thread's: threads started later take it from
        threading.settrace."""
        self._skip_lines = None
        on_start, on_return, on_line, kind = self.on_start, self.on_return, self.on_line, self._kind
        clock, early = self.clock, self.early_clock

        def local(frame, event, arg):
            t0 = clock() if early else None
            if event == "line":
                on_line(frame.f_code, frame.f_lineno, t0=t0)
            elif event == "return":
                on_return(frame.f_code, t0=t0)
            return local

        def call(frame, event, arg):
            t0 = clock() if early else None
            if event != "call":
                return None
            code = frame.f_code
            ignored, counted, _inline = kind(code)
            if ignored:
                return None
            if not counted:
                try:
                    frame.f_trace_lines = False
                except AttributeError:
                    pass
            on_start(code, t0=t0)
            return local

        try:
            import threading
        except ImportError:  # an interpreter without threads
            threading = None
        if threading is not None:
            threading.settrace(call)
        sys.settrace(call)
        self.hook = "sys.settrace"

        def unhook():
            sys.settrace(None)
            if threading is not None:
                threading.settrace(None)

        self._unhook = unhook

    def stop(self):
        """Stops tracing; JSON of the profile (calls still open closed now,
        on every thread)."""
        end = self.clock()
        self.running = False
        self._unhook()
        current = self._enter_tick(self.main)[0] if self.tick is not None else 0
        states = [s for s in self.threads.values() if s is not None and s is not _UNSEEN]
        states += [s for s in self.paused.values() if s is not _UNSEEN]
        states += self.ended
        if self.main not in states:
            states.append(self.main)
        spans = {}
        for state in states:
            now = end - state.lost
            while state.stack:
                self._pop(state, now, current)
            spans[state] = now - self.started
        # The measured cost per hook (`estimate` is `bias` when calibrated),
        # taken out only when calibrated; and the hooks' share of the
        # traced time before any correction.
        per_hook = self._bounded(states, self.estimate)
        bias = per_hook if self.bias > 0.0 else 0.0
        traced = sum(spans[s] if s.main else s.seconds() for s in states)
        hooks = sum(s.hooks for s in states)
        hook_share = None
        if per_hook > 0.0 and traced > 0.0:
            hook_share = min(1.0, hooks * per_hook / traced)
        threads = []
        lines = {}
        dropped = 0
        for state in states:
            # Each span loses its hooks' cost; the bias is a mean, and a
            # line or call it overcorrects reads zero.
            _own_times(state.nodes, bias)
            if state.main:
                seconds = max(0.0, spans[state] - state.hooks * bias)
            else:
                seconds = state.seconds()
            threads.append((state, seconds))
            dropped += state.dropped_hits
            for key, (hits, spent, peak, hooks) in state.lines.items():
                spent = max(0.0, spent - hooks * bias)
                merged = lines.get(key)
                if merged is None:
                    lines[key] = [hits, spent, peak]
                else:
                    merged[0] += hits
                    merged[1] += spent
                    if peak is not None and (merged[2] is None or peak > merged[2]):
                        merged[2] = peak
        # The thread that started the tracer first, then the busiest.
        threads.sort(key=lambda t: (not t[0].main, -t[1]))
        return json.dumps({
            "tracer": self.hook,
            "bias_seconds": bias,
            "hook_share": hook_share,
            "total_seconds": sum(seconds for _, seconds in threads),
            "lines": [[f, line, e[0], e[1], e[2]] for (f, line), e in lines.items()],
            "dropped_hits": dropped,
            "threads": [{
                "name": state.name,
                "ident": state.ident,
                "main": state.main,
                "seconds": seconds,
                "frames": [list(key) for key in state.frames],
                "nodes": [node[:5] for node in state.nodes],
                "folded_calls": state.folded,
            } for state, seconds in threads],
            "peak_seen": self.peak_seen if self.tick is not None else None,
            "own_bytes": self.own_bytes,
            "own_allocations": self.own_count,
        })

    # The fewest hooks a line needs for its time per hook to bound the bias.
    BOUND_HOOKS = 100
    # How far the bias may stand above that bound: hooks of different kinds
    # cost different amounts, and the calibration's mean over a loop's
    # hooks read 0-6 % above the cheapest line's time per hook in Pyodide,
    # where taking it out whole put the bench's shares within 10 points of
    # the untraced ones for 9 of 9 functions and capping it at the bound for
    # 7 of 9 (bench/profile-accuracy-pyodide.mjs).
    BOUND_SLACK = 1.1

    def _bounded(self, states, per_hook_cost):
        """A calibrated cost per hook, at most `BOUND_SLACK` times the
        least time per hook of any line run `BOUND_HOOKS` times or more: no
        line can take less than nothing, so a calibration far above the
        program's cheapest line (one read while the machine was busier, or
        on code whose hooks cost more) would take real time away. CPython
        3.11's `sys.settrace` costs about 0.3 µs a hook outside its clock,
        for lines of 40 ns: uncapped, a calibration read the whole of a
        program as nothing (bench/profile-accuracy.py, primes.py)."""
        bound = None
        for state in states:
            for _hits, spent, _peak, hooks in state.lines.values():
                if hooks >= self.BOUND_HOOKS:
                    per_hook = max(0.0, spent) / hooks
                    bound = per_hook if bound is None else min(bound, per_hook)
        if bound is None:
            return per_hook_cost
        return min(per_hook_cost, bound * self.BOUND_SLACK)


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
