// timeline.mjs — bench/timeline in headless Chromium: what recording asyncio
// tasks on the timeline costs per task step in the browser engine. The
// program is bench/timeline's own (read from it), run once in a Run-mode
// request: it times the same asyncio workload with task recording off and
// on, in interleaved rounds.
//
// usage: node bench/browser/timeline.mjs [--rounds N] [--tasks N] [--steps N]
//        (after scripts/build-web.sh)

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, repoRoot } from '../../tests/browser/harness.mjs';

const arg = (name, fallback) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || fallback;
const sizes = { rounds: arg('rounds', 11), tasks: arg('tasks', 100), steps: arg('steps', 20) };
// As in bench/timeline: a recording keeps at most 100 000 changes.
if ((sizes.rounds + 1) * sizes.tasks * (sizes.steps + 1) * 2 > 100_000) {
  throw new Error('rounds x tasks x steps too large for one recording');
}

const source = readFileSync(join(repoRoot, 'bench/timeline'), 'utf8');
const m = source.match(/^PROGRAM = """\n([\s\S]*?)"""/m);
if (!m) throw new Error('bench/timeline has no PROGRAM');
const code = m[1].replace(/\{(tasks|steps|rounds)\}/g, (_, k) => String(sizes[k]));

const server = await startServer({ isolation: true });
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(`${server.url}engine.html`);
  await page.waitForFunction(() => window.pyrace !== undefined);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const { status, output } = await page.evaluate(async (code) => {
    const engine = await window.pyrace.ready;
    await engine.ready;
    let output = '';
    const request = { run_id: 1, mode: 'run', variants: [{ name: 'bench', code }], options: {} };
    const end = await engine.run(request, (e) => {
      if (e.event === 'output') output += e.text;
      if (e.event === 'error') output += e.error.traceback || `${e.error.exc_type}: ${e.error.message}\n`;
    });
    return { status: end.status, output };
  }, code);
  if (status !== 'ok') throw new Error(`the program failed (${status}):\n${output}`);
  const figures = Object.fromEntries(output.trim().split('\n').map((line) => line.split(' ')).map(([k, v]) => [k, Number(v)]));
  const us = (s) => (s * 1e6).toFixed(2).padStart(8);
  console.log(`asyncio task steps, pyrace in headless Chromium, ${cores} cores (navigator.hardwareConcurrency)`);
  console.log(`${sizes.tasks} tasks x ${sizes.steps + 1} steps of \`await asyncio.sleep(0)\`, median of ${sizes.rounds} interleaved rounds`);
  console.log(`  per step, not recorded   ${us(figures.plain)} us`);
  console.log(`  per step, recorded       ${us(figures.recorded)} us`);
  console.log(`  recorded / not recorded  ${figures.ratio.toFixed(2).padStart(8)} x  (median of per-round ratios)`);
  console.log(`  recorder's cost per step ${us(figures.recorded - figures.plain)} us`);
} finally {
  await browser.close();
  server.close();
}
