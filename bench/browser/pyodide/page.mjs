// page.mjs — Pyodide in a worker of a page of its own, for the benches
// that set pyrace's figures beside what Pyodide's own tools read: the
// repository served with the isolation headers (Pyodide from
// node_modules, the same package dist/pyodide/ is copied from; pyrace's
// reference harness from engine/python), and worker.mjs running
// method_bench.py's functions as jobs.

import { repoRoot } from '../../../tests/browser/harness.mjs';
import { ISOLATION_HEADERS, serveStatic } from '../../../tests/site/static-server.mjs';

/**
 * Opens the page in `browser` and starts Pyodide; resolves with
 * { version, job(fn, job, jspi) → parsed JSON reply, close }.
 */
export async function openPyodideBench(browser) {
  const server = await serveStatic(repoRoot, { '/bench.html': '<!doctype html><title>pyrace bench</title>' }, ISOLATION_HEADERS);
  const page = await browser.newPage();
  await page.goto(`${server.url}bench.html`);
  const version = await page.evaluate(() => new Promise((resolve, reject) => {
    const worker = new Worker('/bench/browser/pyodide/worker.mjs', { type: 'module' });
    const waiting = new Map();
    let next = 0;
    worker.onmessage = ({ data }) => {
      if (data.type === 'ready') resolve(data.version);
      else if (data.type === 'result') waiting.get(data.id).resolve(data.json);
      else if (data.type === 'failed') waiting.get(data.id).reject(new Error(data.reason));
    };
    worker.onerror = (e) => reject(new Error(e.message));
    // @ts-ignore: the bench's own hook
    window.job = (fn, json, jspi) => new Promise((ok, fail) => {
      const id = next++;
      waiting.set(id, { resolve: ok, reject: fail });
      worker.postMessage({ type: 'job', id, fn, json, jspi });
    });
    worker.postMessage({ type: 'start' });
  }));
  return {
    version,
    // @ts-ignore: the bench's own hook
    job: async (fn, job, jspi = true) => JSON.parse(await page.evaluate(([f, j, s]) => window.job(f, j, s), [fn, JSON.stringify(job), jspi])),
    close: async () => {
      await page.close();
      server.close();
    },
  };
}

/** `timeit` on Pyodide as people use it (autorange, best of 5): seconds per loop of `code`. */
export function pyodideTimeit(bench, code, setup) {
  return bench.job('timeit_per_loop', { code, setup: setup ?? '' });
}
