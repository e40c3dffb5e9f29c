// code-cache.mjs — whether later visits of engine.html take the engine's
// compiled code from Chromium's wasm code cache, with the service worker
// blocked (the dev server's headers) and with it controlling the page (a
// static host). Three visits in one fresh profile; for each, V8's trace
// events wasm.SerializeModule (the visit serialised the compiled module for
// the cache) and wasm.Deserialize (the visit read it back instead of
// compiling), and the first output. Chromium caches a module compiled from
// a streamed response once enough of its code has been optimised, which
// can take well over 10 s of a visit under the worker, so each visit but the
// last stays open for --dwell seconds (default 25). Under the worker the
// module comes from the worker's cache, whose compiled code is its own: the
// second visit writes it, the third reads it.
//
// usage: node bench/browser/code-cache.mjs [--dwell S] [--visits N]

import { startServer, launchProfile } from '../../tests/browser/harness.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const DWELL_S = option('--dwell', 25);
const VISITS = option('--visits', 3);
const CODE = 'print("first output")';

/** Records V8's wasm trace events on `page` while `action` runs. */
async function wasmEvents(page, action) {
  const session = await page.context().newCDPSession(page);
  const events = [];
  session.on('Tracing.dataCollected', ({ value }) => events.push(...value.filter((e) => e.cat === 'v8.wasm')));
  const done = new Promise((resolve) => session.once('Tracing.tracingComplete', resolve));
  await session.send('Tracing.start', { traceConfig: { includedCategories: ['v8.wasm'] }, transferMode: 'ReportEvents' });
  await action();
  await session.send('Tracing.end');
  await done;
  await session.detach();
  return events.map((e) => e.name);
}

const firstOutput = async (page) => {
  await page.evaluate(() => window.pyrace.autorun);
  return page.evaluate(() => window.pyrace.firstOutputAt);
};

const server = await startServer({ isolation: true });
const rows = [];
try {
  for (const serviceWorkers of ['block', 'allow']) {
    for (let i = 0; i < VISITS; i++) {
      const profile = await launchProfile({ serviceWorkers });
      const { page } = profile;
      const url = `${server.url}engine.html?run=${encodeURIComponent(CODE)}`;
      let first;
      const written = await wasmEvents(page, async () => {
        await page.goto(url);
        first = await firstOutput(page);
        await page.waitForTimeout(DWELL_S * 1000);
      });
      // A page the worker controls gets the module from the worker's cache,
      // which holds code of its own: the visit after the one that compiled
      // from that cache finds it.
      let second;
      const readSecond = await wasmEvents(page, async () => {
        await page.reload();
        second = await firstOutput(page);
        await page.waitForTimeout(DWELL_S * 1000);
      });
      let third;
      const readThird = await wasmEvents(page, async () => {
        await page.reload();
        third = await firstOutput(page);
      });
      const underWorker = await page.evaluate(() => Boolean(navigator.serviceWorker?.controller));
      rows.push({
        serviceWorkers,
        outputs: [first, second, third],
        serialized: [written, readSecond].map((names) => names.includes('wasm.SerializeModule')),
        hits: [readSecond, readThird].map((names) => names.includes('wasm.Deserialize')),
        underWorker,
      });
      await profile.close();
    }
  }
} finally {
  server.close();
}
console.log(`each visit but the last dwells ${DWELL_S} s; ms from navigation to first output of visits 1, 2, 3`);
console.log('service worker  visit 1  visit 2  visit 3  1 serialised  2 serialised  2 deserialised  3 deserialised  under the worker');
const cell = (v, n) => String(typeof v === 'number' ? Math.round(v) : v).padStart(n);
for (const r of rows) {
  console.log([r.serviceWorkers.padEnd(14), ...r.outputs.map((v) => cell(v, 8)), ...r.serialized.map((v) => cell(v, 13)), ...r.hits.map((v) => cell(v, 15)), cell(r.underWorker, 17)].join(' '));
}
