// loading.test.mjs — what a visit to the playground downloads, as the browser
// counts it (CDP Network events, tests/browser/wire.mjs), against the real
// dev server over dist/: a first visit fetches the engine module once, under
// its hashed name, cached for good and compressed; a reload fetches no module
// again and revalidates the rest (304). Needs build-web.sh and build-app.sh.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startServer, launchProfile, repoRoot } from '../browser/harness.mjs';
import { recordWire } from '../browser/wire.mjs';

const READY_TIMEOUT = 60_000;
const isModule = (r) => /\/pyrace\.[0-9a-f]{16}\.wasm$/.test(new URL(r.url).pathname);
const isManifest = (r) => new URL(r.url).pathname.endsWith('/engine.json');

let server;

before(async () => {
  if (!existsSync(`${repoRoot}/dist/app/index.html`)) throw new Error('dist/app is not built: run scripts/build-web.sh');
  server = await startServer({ isolation: true });
});

after(() => server?.close());

test('a first visit fetches the engine module once, and a reload fetches it not at all', async () => {
  // A profile on disk: a browser's own HTTP cache, as a person has.
  const profile = await launchProfile();
  const { page } = profile;
  const wire = await recordWire(page);
  try {
    await page.goto(`${server.url}app/`);
    await page.waitForSelector('.engine-status[data-status="ready"]', { timeout: READY_TIMEOUT });

    const modules = wire.responses.filter(isModule);
    assert.equal(modules.length, 1, `module fetched ${modules.length} times: ${modules.map((r) => r.url).join(', ')}`);
    const [module] = modules;
    assert.equal(module.status, 200);
    assert.match(module.headers['cache-control'], /max-age=31536000/);
    assert.match(module.headers['cache-control'], /immutable/);
    // Chromium asks for brotli: the .br copy is what crosses the wire.
    assert.equal(module.headers['content-encoding'], 'br');
    assert.match(module.headers.vary ?? '', /accept-encoding/i);
    assert.equal(wire.responses.filter(isManifest).length, 1, 'engine.json fetched more than once');

    const firstVisit = wire.responses.length;
    await page.reload();
    await page.waitForSelector('.engine-status[data-status="ready"]', { timeout: READY_TIMEOUT });
    const reload = wire.responses.slice(firstVisit);
    const fetchedAgain = reload.filter((r) => isModule(r) && !r.fromCache);
    assert.deepEqual(fetchedAgain.map((r) => r.url), [], 'a reload downloaded the module again');
    const moduleBytes = reload.filter(isModule).reduce((sum, r) => sum + r.encodedDataLength, 0);
    assert.ok(moduleBytes < 1000, `a reload transferred ${moduleBytes} bytes of module`);
    // What is not hashed is asked for again and is unchanged: 304, no body.
    const manifest = reload.find(isManifest);
    assert.ok(manifest, 'a reload did not revalidate engine.json');
    assert.equal(manifest.wireStatus, 304);
    assert.ok(manifest.headers.etag, 'engine.json has no ETag');
  } finally {
    await wire.stop();
    await profile.close();
  }
});
