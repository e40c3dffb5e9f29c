"""cProfile for pyrace: the `cProfile` interface over the pure-Python
`profile` module (RustPython has no `_lsprof`). Same functions, same
`pstats` output and the same wall clock; the figures carry `profile`'s
higher per-call overhead."""

import profile as _profile
import sys
import time

__all__ = ["run", "runctx", "Profile"]


class Profile(_profile.Profile):
    """`cProfile.Profile`: adds enable/disable and the context manager."""

    def __init__(self, timer=None, timeunit=0.0, subcalls=True, builtins=True):
        # cProfile's default clock is the high-resolution wall clock, not
        # `profile`'s process time (which WASI does not have).
        super().__init__(time.perf_counter if timer is None else timer)

    def enable(self, subcalls=True, builtins=True):
        self.set_cmd("<enabled>")

        def start(frame, event, arg):
            # Returns from enable() and __enter__ belong to frames the
            # profiler never saw called: profiling starts at the next call.
            if event in ("call", "c_call"):
                sys.setprofile(self.dispatcher)
                self.dispatcher(frame, event, arg)

        sys.setprofile(start)

    def disable(self):
        sys.setprofile(None)

    def __enter__(self):
        self.enable()
        return self

    def __exit__(self, *exc_info):
        self.disable()


def run(statement, filename=None, sort=-1):
    return _profile._Utils(Profile).run(statement, filename, sort)


def runctx(statement, globals, locals, filename=None, sort=-1):
    return _profile._Utils(Profile).runctx(statement, globals, locals, filename, sort)


run.__doc__ = _profile.run.__doc__
runctx.__doc__ = _profile.runctx.__doc__
