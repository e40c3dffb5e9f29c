// tier-up.mjs — how long V8 takes to optimise the engine's code for one
// comparison in a fresh page: every kept sample of a long run (those after
// the warm-up, as the engine streams them), in time order, summarised per
// second of the run as each variant's median per-loop time against the
// run's last second. Shows whether the samples still fall after the
// warm-up, which the warm-up is meant to outlast.
//
// usage: node bench/browser/tier-up.mjs [--budget S] [--runs N] [LESSON.md]
//   (after scripts/build-web.sh; default: lessons/records.md, 20 s, 2 runs)

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, openPlayground, repoRoot } from '../../tests/browser/harness.mjs';
import { lessonRequest } from './lesson-request.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const BUDGET = option('--budget', 20);
const RUNS = option('--runs', 2);
const lesson = args.find((a) => a.endsWith('.md')) ?? join(repoRoot, 'lessons', 'records.md');

const server = await startServer({ isolation: true });
const browser = await launchBrowser();
try {
  const { page } = await openPlayground(browser, `${server.url}engine.html`);
  for (let run = 1; run <= RUNS; run++) {
    const request = lessonRequest(readFileSync(lesson, 'utf8'), run);
    request.options.budget = BUDGET;
    delete request.options.sweep;
    request.mode = 'compare';
    const { samples, result } = await page.evaluate(async (request) => {
      const engine = await window.pyrace.ready;
      await engine.ready;
      const samples = [];
      let result = null;
      const t0 = performance.now();
      await engine.run(request, (e) => {
        if (e.event === 'sample') samples.push({ t: (performance.now() - t0) / 1e3, v: e.variant, x: e.seconds_per_loop });
        if (e.event === 'result') result = e;
      });
      return { samples, result };
    }, request);
    const names = [...new Set(samples.map((s) => s.v))];
    const end = Math.ceil(Math.max(...samples.map((s) => s.t)));
    const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)] : NaN; };
    const last = Object.fromEntries(names.map((n) => [n, median(samples.filter((s) => s.v === n && s.t >= end - 1).map((s) => s.x))]));
    const warm = result?.comparison?.warmup;
    console.log(`\n${lesson} run ${run}, budget ${BUDGET} s: kept samples' median per second over the last second's` + (warm ? `; warm-up ${JSON.stringify(warm)}` : ''));
    console.log(['second', ...names].map((s) => String(s).padStart(12)).join(''));
    for (let sec = 0; sec < end; sec++) {
      const row = names.map((n) => median(samples.filter((s) => s.v === n && s.t >= sec && s.t < sec + 1).map((s) => s.x)) / last[n]);
      console.log([String(sec), ...row.map((r) => (Number.isNaN(r) ? '-' : r.toFixed(2)))].map((s) => s.padStart(12)).join(''));
    }
  }
} finally {
  await browser.close();
  server.close();
}
