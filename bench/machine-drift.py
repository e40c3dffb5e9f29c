#!/usr/bin/env python3
"""How much the machine alone shifts speed: native CPython timing the same
`fib(18)` call over and over for --seconds, nothing traced and no JIT, and
printing each second's median call time over the last second's. A quiet
machine reads close to 1.00 throughout; the drift warning's control
(docs/method.md, "Warm-up that ends when the engine is warm").

Usage: bench/machine-drift.py [--seconds S]
"""

import argparse
import statistics
import time


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    seconds = parser.parse_args().seconds
    clock = time.perf_counter
    start = clock()
    per_second = []
    while (now := clock()) - start < seconds:
        second = int(now - start)
        while len(per_second) <= second:
            per_second.append([])
        fib(18)
        per_second[second].append(clock() - now)
    medians = [statistics.median(s) for s in per_second if s]
    last = medians[-1]
    print(f"fib(18), {len(medians)} s: each second's median call time over the last second's")
    print(" ".join(f"{m / last:.2f}" for m in medians))
    print(f"range {min(medians) / last:.2f}-{max(medians) / last:.2f}")


if __name__ == "__main__":
    main()
