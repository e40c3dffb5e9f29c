// jobs.mjs — what the method benches (cpython-method.mjs, per-loop.mjs)
// hand Pyodide and the machine's CPython: the timing functions pyrace
// writes for a pair (model/examples/reference_spec.rs, built by cargo: the
// model only, no engine), and method_bench.py's functions run natively.

import { execFileSync } from 'node:child_process';
import { repoRoot } from '../../../tests/browser/harness.mjs';

/** The timing functions pyrace writes for a pair, as the engines receive them. */
export function specOf(pair, budget) {
  const request = {
    mode: 'compare',
    setup: pair.setup ?? '',
    variants: [{ name: pair.slow[0], code: pair.slow[1] }, { name: pair.fast[0], code: pair.fast[1] }],
    options: { budget },
  };
  const out = execFileSync('cargo', ['run', '--quiet', '-p', 'pyrace-model', '--example', 'reference_spec'], { cwd: repoRoot, input: JSON.stringify(request) });
  return JSON.parse(String(out));
}

/** A job for method_bench.py, natively: the machine's CPython (PYTHON, default python3), same code. */
export function nativeJob(fn, job) {
  const env = { ...process.env, PYTHONPATH: `${repoRoot}engine/python:${repoRoot}bench/browser/pyodide` };
  const script = `import sys, method_bench; print(method_bench.${fn}(sys.stdin.read()))`;
  return JSON.parse(String(execFileSync(process.env.PYTHON ?? 'python3', ['-c', script], { input: JSON.stringify(job), env })));
}

/** The native CPython's version line. */
export const nativeVersion = () => String(execFileSync(process.env.PYTHON ?? 'python3', ['--version'])).trim();
