// timeline.mjs — bench/timeline in headless Chromium: what recording asyncio
// tasks on the timeline costs per task step in the browser engine. The
// program is bench/timeline's own (read from it), run once in a Run-mode
// request: it times the same asyncio workload with task recording off and
// on, in interleaved rounds.
//
// usage: node bench/browser/timeline.mjs [--rounds N] [--tasks N] [--steps N]
//        (after scripts/build-web.sh)

import { startServer, launchBrowser, openPlayground } from '../../tests/browser/harness.mjs';
import { benchProgram, runProgram } from './program.mjs';

const arg = (name, fallback) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || fallback;
const sizes = { rounds: arg('rounds', 11), tasks: arg('tasks', 100), steps: arg('steps', 20) };
// As in bench/timeline: a recording keeps at most 100 000 changes.
if ((sizes.rounds + 1) * sizes.tasks * (sizes.steps + 1) * 2 > 100_000) {
  throw new Error('rounds x tasks x steps too large for one recording');
}

const code = benchProgram('bench/timeline', 'PROGRAM').replace(/\{(tasks|steps|rounds)\}/g, (_, k) => String(sizes[k]));

const server = await startServer({ isolation: true });
const browser = await launchBrowser();
try {
  const { page } = await openPlayground(browser, `${server.url}engine.html`);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const output = await runProgram(page, code);
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
