"""Python-side helpers of a pyrace session: source registration for
tracebacks, error description, and the stdout flush before blocking sleeps."""

import json
import linecache
import sys
import traceback

_sources = {}


def register_source(filename, source):
    """Make tracebacks through `filename` show its lines, as for a real file."""
    _sources[filename] = source
    lines = source.splitlines(True)
    linecache.cache[filename] = (len(source), None, lines, filename)


def describe(exc):
    """JSON of [type name, message, filename, line, column, traceback text]."""
    name = type(exc).__name__
    filename = line = column = None
    if isinstance(exc, SyntaxError):
        message = exc.msg if exc.msg is not None else str(exc)
        filename, line, column = exc.filename, exc.lineno, exc.offset
    else:
        message = str(exc)
        tb = exc.__traceback__
        while tb is not None:
            code_file = tb.tb_frame.f_code.co_filename
            if code_file in _sources:
                filename, line = code_file, tb.tb_lineno
            tb = tb.tb_next
    try:
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    except BaseException:
        text = "%s: %s\n" % (name, message)
    return json.dumps([name, message, filename, line, column, text])


def install_sleep_flush(flush):
    """Deliver pending output before a sleep, so it is not held back for its length."""
    import time

    real_sleep = time.sleep

    def sleep(seconds):
        flush()
        return real_sleep(seconds)

    sleep.__doc__ = real_sleep.__doc__
    time.sleep = sleep
