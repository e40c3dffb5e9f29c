// concat-heap.mjs — how the heap that earlier code left moves `s += p`:
// the concat pair (`parts = ['abcdefghij'] * 1000`; `+=` over the parts
// against `''.join(parts)`) timed by `timeit` (autorange, best of 5) on one
// interpreter, fresh, then after the work other pairs of
// bench/browser/engine-pairs.json do, then with a heap left in holes.
// CPython grows `s` in place when the allocator can extend its block; what
// earlier code left decides whether it can. Pyodide (the npm package the
// page serves, in Node) and native CPython (PYTHON, default python3) side
// by side.
//
// usage: node bench/concat-heap.mjs

import { execFileSync } from 'node:child_process';
import { loadPyodide } from 'pyodide';

// Prints one JSON object: {label: [+= seconds, join seconds]}, in order.
const HISTORY = String.raw`
import gc, heapq, json, random, timeit
from collections import deque

SETUP = "parts = ['abcdefghij'] * 1000"
PLUS = "s = ''\nfor p in parts:\n    s += p"
JOIN = "s = ''.join(parts)"
readings = {}

def per_loop(stmt):
    timer = timeit.Timer(stmt, SETUP)
    n, _ = timer.autorange()
    return min(timer.repeat(5, n)) / n

def read(label):
    readings[label] = [per_loop(PLUS), per_loop(JOIN)]

read("fresh")
read("fresh, again")
random.seed(1)
L = [random.random() for _ in range(100000)]
for _ in range(20):
    sorted(L)[:10]
    heapq.nsmallest(10, L)
read("after nsmallest's work")
del L
gc.collect()
read("after it, its list freed")
L = list(range(20000))
D = deque(L)
for _ in range(20000):
    L.insert(0, 1)
    L.pop(0)
read("after deque's work")
holes = [bytearray(i % 4096 + 1) for i in range(20000)]
del holes[::2]
read("with a heap left in holes")
print(json.dumps(readings))
`;

const pyodide = await loadPyodide();
let printed = '';
pyodide.setStdout({ batched: (line) => { printed += line; } });
pyodide.runPython(HISTORY);
const inPyodide = JSON.parse(printed);
const python = process.env.PYTHON ?? 'python3';
const native = JSON.parse(execFileSync(python, ['-c', HISTORY], { encoding: 'utf8' }));
const version = execFileSync(python, ['--version'], { encoding: 'utf8' }).trim();

const us = (s) => (s * 1e6).toFixed(1).padStart(7);
console.log(`concat pair by timeit, per loop (µs): Pyodide ${pyodide.version} (CPython ${pyodide.runPython('import sys; sys.version.split()[0]')}) in Node ${process.version}; native ${version}`);
console.log(`${'history'.padEnd(28)} ${'Pyodide +='.padStart(10)} ${'join'.padStart(7)} ${'ratio'.padStart(6)}   ${'native +='.padStart(9)} ${'join'.padStart(7)} ${'ratio'.padStart(6)}`);
for (const label of Object.keys(inPyodide)) {
  const [p, j] = inPyodide[label];
  const [np, nj] = native[label];
  console.log(`${label.padEnd(28)} ${us(p).padStart(10)} ${us(j)} ${(p / j).toFixed(2).padStart(6)}   ${us(np).padStart(9)} ${us(nj)} ${(np / nj).toFixed(2).padStart(6)}`);
}
const spread = (r) => {
  const ratios = Object.values(r).map(([p, j]) => p / j);
  return (Math.max(...ratios) / Math.min(...ratios)).toFixed(2);
};
console.log(`largest/smallest ratio across histories: Pyodide ${spread(inPyodide)}, native ${spread(native)}`);
