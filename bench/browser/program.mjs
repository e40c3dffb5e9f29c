// program.mjs — what the browser benches share: a bench script's Python
// program (so the native and browser tables time the same code), the CPU
// micro-mix (bench.mjs times it, profile.mjs profiles it) and one run of a
// program on the engine page, with what it printed.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../tests/browser/harness.mjs';

/**
 * The CPU micro-mix: calls (fib), a dict and a set built and probed; it
 * prints the best of three rounds as `WORKLOAD <seconds>`.
 */
export const CPU_MIX = `
import time
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
def mix():
    d = {i: i * i for i in range(100000)}
    s = set(range(0, 200000, 3))
    return fib(25) + sum(v for k, v in d.items() if k in s)
best = None
for _ in range(3):
    t0 = time.perf_counter()
    mix()
    t = time.perf_counter() - t0
    best = t if best is None else min(best, t)
print(f"WORKLOAD {best:.4f}")
`;

/** The Python string constant `name` (`NAME = """…"""`) of the bench script `script`. */
export function benchProgram(script, name) {
  const source = readFileSync(join(repoRoot, script), 'utf8');
  const m = source.match(new RegExp(`^${name} = """\\n([\\s\\S]*?)"""`, 'm'));
  if (!m) throw new Error(`${script} has no program ${name}`);
  return m[1];
}

/**
 * Runs `code` once as a Run-mode program in `threadMode`; throws with its
 * output if it fails, else returns what it printed. `warm`: the run starts
 * once the page has a child process warm.
 */
export async function runProgram(page, code, { threadMode = 'free', runId = 1, warm = false } = {}) {
  const { status, output } = await page.evaluate(
    async ({ code, threadMode, runId, warm }) => {
      const engine = await window.pyrace.ready;
      await engine.ready;
      while (warm && engine.processes.warm < 1) await new Promise((r) => setTimeout(r, 50));
      let output = '';
      const request = { run_id: runId, mode: 'run', variants: [{ name: 'bench', code }], options: { thread_mode: threadMode } };
      const end = await engine.run(request, (e) => {
        if (e.event === 'output') output += e.text;
        if (e.event === 'error') output += e.error.traceback || `${e.error.exc_type}: ${e.error.message}\n`;
      });
      return { status: end.status, output };
    },
    { code, threadMode, runId, warm },
  );
  if (status !== 'ok') throw new Error(`the program failed (${status}):\n${output}`);
  return output;
}
