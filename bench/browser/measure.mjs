// measure.mjs — the measurements the browser benchmarks share: figures a
// program prints in a fresh page, the same program on a native command, and
// the phases of a cold start of engine.html.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs each of `codes` in turn on one fresh page (new context: nothing
 * cached); returns the figure each printed after `marker`. `global` names
 * the page's state object: window.pyrace on engine.html, window.bench on
 * the Pyodide page.
 */
export async function figuresInFreshPage(browser, url, global, codes, marker) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(url);
  const figures = [];
  for (const code of codes) {
    const output = await page.evaluate(async ({ code, global }) => {
      const state = window[global];
      await state.ready;
      if (global === 'pyrace') {
        // engine.html keeps the events of the last run only.
        await state.runCode(code);
        return state.events.filter((e) => e.event === 'output').map((e) => e.text).join('');
      }
      const from = state.output.length;
      await state.runCode(code);
      return state.output.slice(from);
    }, { code, global });
    figures.push(Number(output.match(new RegExp(`${marker} ([0-9.]+)`))?.[1]));
  }
  await context.close();
  return figures;
}

/**
 * The figure `program` prints after `marker` when run as a file by
 * `command args… file`; null when the command is missing or fails.
 */
export function nativeFigure(command, args, program, marker) {
  if (!existsSync(command) && !command.startsWith('python')) return null;
  const file = join(mkdtempSync(join(tmpdir(), 'pyrace-bench-')), 'program.py');
  writeFileSync(file, program);
  try {
    const out = execFileSync(command, [...args, file], { encoding: 'utf8' });
    return Number(out.match(new RegExp(`${marker} ([0-9.]+)`))?.[1]);
  } catch {
    return null;
  }
}

/**
 * One cold start of engine.html at `url` (a fresh context: nothing cached)
 * running `code`: ms from navigation to the module compiled
 * (compileStreaming resolved), to the first process's runner and to all its
 * workers that were up before the first output instantiated, and to the
 * first output; then ms from Run to output of a run asked for as soon as
 * the first ended (`next`), and of one asked for 3 s after that (`later`).
 */
export async function coldStart(browser, url, code) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  await context.addInitScript(() => {
    const marks = { workers: [] };
    Object.defineProperty(window, '__startup', { value: marks });
    const compile = WebAssembly.compileStreaming;
    WebAssembly.compileStreaming = (source) =>
      compile(source).then((module) => {
        marks.compiled ??= performance.now();
        return module;
      });
    const BaseWorker = window.Worker;
    window.Worker = class extends BaseWorker {
      constructor(url, options) {
        super(url, options);
        const mark = { name: options?.name ?? '', ready: null };
        marks.workers.push(mark);
        this.addEventListener('message', (e) => {
          if (e.data?.type === 'ready') mark.ready ??= performance.now();
        });
      }
    };
  });
  const page = await context.newPage();
  await page.goto(`${url}?run=${encodeURIComponent(code)}`);
  const phases = await page.evaluate(async () => {
    await window.pyrace.autorun;
    const marks = window.__startup;
    // The first process: its runner and the thread workers made before the
    // next runner (it may start none: they start as its program asks).
    const next = marks.workers.findIndex((w, i) => i > 0 && w.name === 'pyrace-runner');
    const first = marks.workers.slice(0, next < 0 ? undefined : next).filter((w) => w.ready !== null && w.ready <= window.pyrace.firstOutputAt).map((w) => w.ready);
    return { compiled: marks.compiled, runner: first[0], workers: Math.max(...first), output: window.pyrace.firstOutputAt };
  });
  // Run pressed again at once (the next process may still be starting),
  // then once the page has been idle for 3 s (the spare is up).
  const next = await runToOutput(page, code);
  await page.waitForTimeout(3000);
  const later = await runToOutput(page, code);
  await context.close();
  return { ...phases, next, later };
}

/** Milliseconds from a run's request to its first output on engine.html. */
function runToOutput(page, code) {
  return page.evaluate(async (code) => {
    const t0 = performance.now();
    let first = null;
    const request = { run_id: ++window.pyrace.runId, mode: 'run', variants: [{ name: 'main', code }] };
    await window.pyrace.engine.run(request, (event) => {
      if (event.event === 'output' && first === null) first = performance.now();
    });
    return first - t0;
  }, code);
}
