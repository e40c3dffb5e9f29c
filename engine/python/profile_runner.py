"""`pyrace profile --python PY`: runs one program under CPython with the
profiler above it (pyrace_profiler.py, sent in front of this file), as the
engine runs it. The request comes as JSON on stdin: the program's `source`
and `filename`, whether to trace `lines` and measure `memory`, the
`timeout` in seconds (or null), the bounds `max_lines` and `max_nodes`, and
`reply`, the path to write the reply to (stdout and stderr are the
program's). The reply: `traced` and `memory` (the profiler's JSON, or null)
and `error` (null, or the exception that ended the program: `exc_type`,
`message`, `line`, `traceback`, `timeout`)."""

import _thread
import json
import sys
import threading
import traceback
import types


def _describe(exc, filename, timed_out):
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    if isinstance(exc, SyntaxError):
        line = exc.lineno
    return {
        "exc_type": type(exc).__name__,
        "message": str(exc),
        "line": line,
        "traceback": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
        "timeout": timed_out,
    }


def main():
    request = json.loads(sys.stdin.read())
    filename = request["filename"]
    reply = {"traced": None, "memory": None, "error": None}
    try:
        code = compile(request["source"], filename, "exec")
    except SyntaxError as exc:
        reply["error"] = _describe(exc, filename, False)
        code = None
    if code is not None:
        main_module = types.ModuleType("__main__")
        main_module.__file__ = filename
        main_module.__builtins__ = __builtins__
        sys.modules["__main__"] = main_module
        meter = MemoryMeter() if request["memory"] else None
        tracer = None
        if request["lines"]:
            tracer = Tracer([filename], [], request["max_lines"], request["max_nodes"],
                            memory=meter is not None)
        fired = []

        def stop_program():
            fired.append(True)
            _thread.interrupt_main()

        timer = None
        if request.get("timeout"):
            timer = threading.Timer(request["timeout"], stop_program)
            timer.daemon = True
            timer.start()
        if meter is not None and not meter.start():
            meter = None
        if tracer is not None:
            tracer.start()
        failure = None
        traced = None
        try:
            exec(code, main_module.__dict__)
        except BaseException as exc:
            failure = exc
        finally:
            # The profile first, so that neither the timer nor describing
            # the error is in it.
            if tracer is not None:
                reply["traced"] = tracer.stop()
                traced = json.loads(reply["traced"])
            if timer is not None:
                timer.cancel()
        if meter is not None:
            reply["memory"] = meter.stop(traced)
        clean = isinstance(failure, SystemExit) and failure.code in (None, 0)
        if failure is not None and not clean:
            reply["error"] = _describe(failure, filename, bool(fired))
    with open(request["reply"], "w") as out:
        json.dump(reply, out)


main()
