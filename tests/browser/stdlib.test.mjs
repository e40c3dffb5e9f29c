// stdlib.test.mjs — the standard library in the browser: what the engine
// freezes (engine/frozen-stdlib.txt) imports with no request; any other
// module of Lib downloads when first imported (www/stdlib-fs.js), in the
// runner and in a thread's worker alike, each file once, under a URL that
// carries its hash and is cached for good (tests/site: and offline);
// a module that does not exist fails as it does in Python. The requests are
// the browser's own, as Playwright sees them (the engine's workers included).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, runCode } from './harness.mjs';

let server;
let browser;
let page;
/** Paths under /stdlib/ the page requested, and each response's Cache-Control. */
const stdlibRequests = [];

before(async () => {
  server = await startServer({ isolation: true });
  browser = await launchBrowser();
  const context = await browser.newContext({ serviceWorkers: 'block' });
  // From before the page loads: the first process's start-up is counted too.
  context.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    if (path.startsWith('/stdlib/')) {
      stdlibRequests.push({ path, status: response.status(), cacheControl: response.headers()['cache-control'] });
    }
  });
  page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err));
  await page.goto(`${server.url}engine.html`);
  await page.evaluate(() => window.pyrace.ready.then(() => undefined));
});

after(async () => {
  await browser?.close();
  server?.close();
});

const errorOf = (run) => run.events.find((e) => e.event === 'error')?.error;

test('what a session, its child processes and the lessons import is frozen: no stdlib file is fetched', { timeout: 60000 }, async () => {
  const run = await runCode(
    page,
    [
      'import asyncio, bisect, collections, dataclasses, functools, heapq, json, random, re',
      'import string, textwrap, timeit, threading, queue, cProfile, pstats',
      'import multiprocessing.pool, concurrent.futures.process',
      'print(heapq.nsmallest(2, [3, 1, 2]), json.dumps({"a": 1}), asyncio.run.__module__)',
    ].join('\n'),
  );
  assert.equal(run.output, '[1, 2] {"a": 1} asyncio.runners\n', JSON.stringify(run.events));
  assert.deepEqual(stdlibRequests, []);
});

test('a module that is not frozen imports, downloaded on first use and kept for good', { timeout: 60000 }, async () => {
  const run = await runCode(
    page,
    [
      'import email.message, xml.dom.minidom',
      'm = email.message.EmailMessage()',
      'm["Subject"] = "hello"',
      'print(m["Subject"], email.message.__file__)',
      'print(xml.dom.minidom.parseString("<a><b/></a>").documentElement.firstChild.tagName)',
      // A codec the engine does not freeze: encodings is frozen, cp1252 is
      // found in its directory on the host.
      'print("é€".encode("cp1252"))',
    ].join('\n'),
  );
  assert.equal(run.output, "hello /stdlib/email/message.py\nb\nb'\\xe9\\x80'\n", JSON.stringify(run.events));
  const fetched = stdlibRequests.map((r) => r.path);
  for (const name of ['email/message', 'xml/dom/minidom', 'encodings/cp1252']) {
    assert.ok(fetched.some((p) => p.startsWith(`/stdlib/${name}.`)), `${name} was not fetched: ${fetched}`);
  }
  for (const r of stdlibRequests) {
    assert.equal(r.status, 200, r.path);
    assert.match(r.path, /\.[0-9a-f]{16}\.py$/);
    assert.equal(r.cacheControl, 'public, max-age=31536000, immutable', r.path);
  }
  assert.equal(new Set(fetched).size, fetched.length, `a file was fetched twice: ${fetched}`);
});

test('a thread imports a module that is not frozen too (its worker has its own file table)', { timeout: 60000 }, async () => {
  const run = await runCode(
    page,
    [
      'import threading',
      'found = []',
      'def work():',
      '    import colorsys',
      '    found.append((colorsys.rgb_to_hsv(1, 0, 0), colorsys.__file__))',
      't = threading.Thread(target=work); t.start(); t.join()',
      'print(found)',
    ].join('\n'),
  );
  assert.equal(run.output, "[((0.0, 1.0, 1), '/stdlib/colorsys.py')]\n", JSON.stringify(run.events));
});

test('a module that exists nowhere fails as in Python', { timeout: 60000 }, async () => {
  const run = await runCode(page, 'import no_such_module_here');
  const error = errorOf(run);
  assert.ok(error, JSON.stringify(run.events));
  assert.equal(error.exc_type, 'ModuleNotFoundError');
  assert.match(error.message, /No module named 'no_such_module_here'/);
});

test('offline, a module never downloaded fails with an ImportError that says why; online again, it imports', { timeout: 60000 }, async () => {
  await page.context().setOffline(true);
  let run;
  try {
    run = await runCode(page, 'import calendar');
  } finally {
    await page.context().setOffline(false);
  }
  const error = errorOf(run);
  assert.ok(error, JSON.stringify(run.events));
  assert.equal(error.exc_type, 'ImportError');
  assert.match(error.message, /could not download calendar: pyrace fetches this module of the standard library when it is first imported, and the download failed \(offline\?/);
  assert.doesNotMatch(error.traceback ?? '', /OSError|Errno/);
  // Nothing was cached from the failure: the next import downloads it.
  const again = await runCode(page, 'import calendar\nprint(calendar.isleap(2028))');
  assert.equal(again.output, 'True\n', JSON.stringify(again.events));
});
