// site.test.mjs — the deployable site end to end in headless Chromium:
// dist/ (scripts/build-web.sh) served by a
// plain static server without any special header; an embed in a blog page
// of another site; the blog script; the embed generator of the app; and no
// content security policy violation anywhere.
//
// Screenshots go to $PYRACE_SCREENSHOTS (default /tmp/pyrace-screens).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import LZString from 'lz-string';
import { launchBrowser, repoRoot, startServer } from '../browser/harness.mjs';
import { serveStatic } from './static-server.mjs';

const SHOTS = process.env.PYRACE_SCREENSHOTS ?? '/tmp/pyrace-screens';
const RUN_TIMEOUT = 120_000;
const dist = `${repoRoot}dist`;

let site; // dist/ on a plain static server
let browser;

before(async () => {
  for (const file of ['app/index.html', 'app/embed.html', 'embed.js', 'sw.js', 'engine.json']) {
    if (!existsSync(`${dist}/${file}`)) throw new Error(`dist/${file} is missing: run scripts/build-web.sh`);
  }
  mkdirSync(SHOTS, { recursive: true });
  site = await serveStatic(dist);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  site?.close();
});

/** A list-vs-set comparison as a share-link fragment (the format the app reads). */
function membershipFragment() {
  const state = {
    pyrace: 1,
    mode: 'compare',
    setup: 'L = list(range(2000))\nS = set(L)',
    variants: [
      { name: 'list', code: '-1 in L' },
      { name: 'set', code: '-1 in S' },
    ],
    options: { budget: 2 },
  };
  return `v1.${LZString.compressToEncodedURIComponent(JSON.stringify(state))}`;
}

/**
 * Records what the content security policy blocks on every page and frame of
 * a context: the browser's console report and the violation events.
 */
async function watchPolicy(context) {
  const violations = [];
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  context.on('console', (msg) => {
    const text = msg.text();
    if (/Content Security Policy|CSP violation/i.test(text)) violations.push(text);
  });
  return violations;
}

/** Waits until `scope`'s results say a run finished; returns the table's rows. */
async function finishedRows(scope) {
  await scope.locator('.results[data-phase="finished"]').waitFor({ timeout: RUN_TIMEOUT });
  return scope.locator('.results-table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({ name: tr.dataset.variant, cells: [...tr.querySelectorAll('td')].map((td) => td.textContent) })),
  );
}

function assertSetBeatsList(rows) {
  assert.deepEqual(rows.map((r) => r.name).sort(), ['list', 'set']);
  assert.match(rows.find((r) => r.name === 'set').cells[4], /fastest/);
  assert.match(rows.find((r) => r.name === 'list').cells[4], /× slower/);
}

test('dist/ on a plain static host: the front page leads to the app, the service worker isolates it, it runs, and again offline', { timeout: 300_000 }, async () => {
  const context = await browser.newContext({ serviceWorkers: 'allow', viewport: { width: 1300, height: 900 } });
  const violations = await watchPolicy(context);
  const page = await context.newPage();
  const headers = [];
  page.on('response', (r) => {
    if (r.url().endsWith('/app/')) headers.push(r.headers());
  });
  await page.goto(site.url);
  // The front page forwards to app/; the app registers the worker and
  // reloads once under it, cross-origin isolated.
  await page.waitForURL(/\/app\/$/);
  await page.waitForFunction(() => crossOriginIsolated, null, { timeout: 60_000 });
  // The first load came from the server itself, without isolation headers;
  // the reload came through the worker, with them.
  assert.ok(headers.length >= 2, `app/ was loaded ${headers.length} times`);
  assert.equal(headers[0]['cross-origin-opener-policy'], undefined);
  assert.equal(headers.at(-1)['cross-origin-opener-policy'], 'same-origin');
  await page.waitForSelector('.engine-status[data-status="ready"]', { timeout: 60_000 });
  assert.match(await page.locator('.engine-status').textContent(), /threads/);
  // The page waited for the worker (which caches the site) before loading
  // the engine: the module crossed the network once, counted by the server.
  const moduleFetches = site.requests.filter((path) => /\/pyrace\.[0-9a-f]{16}\.wasm$/.test(path));
  assert.equal(moduleFetches.length, 1, `the engine module was served ${moduleFetches.length} times`);
  await page.selectOption('.budget-select', '2');
  await page.click('.run-button');
  assertSetBeatsList(await finishedRows(page));
  assert.match(await page.locator('.conditions').textContent(), /cross-origin isolated · threads on/);

  // Everything the site needs is in the worker's cache: offline, it loads and runs.
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector('.engine-status[data-status="ready"]', { timeout: 60_000 });
  assert.ok(await page.evaluate(() => crossOriginIsolated));
  await page.click('.run-button');
  assertSetBeatsList(await finishedRows(page));
  // The embed page too, though never visited online.
  await page.goto(`${site.url}app/embed.html#${membershipFragment()}`);
  await page.waitForSelector('.embed-status[data-status="ready"]', { timeout: 60_000 });
  await context.setOffline(false);
  assert.deepEqual(violations, []);
  await context.close();
});

/** A program for Run mode as a share-link fragment. */
function programFragment(name, code) {
  const state = { pyrace: 1, mode: 'run', variants: [{ name, code }] };
  return `v1.${LZString.compressToEncodedURIComponent(JSON.stringify(state))}`;
}

test('a stdlib module that is not frozen downloads on first import, each file once, and imports offline after that', { timeout: 300_000 }, async () => {
  const context = await browser.newContext({ serviceWorkers: 'allow' });
  const page = await context.newPage();
  const program = 'import email.message\nm = email.message.EmailMessage()\nm["Subject"] = "hello"\nprint(str(m).strip())';
  await page.goto(`${site.url}app/#${programFragment('mail', program)}`);
  await page.waitForFunction(() => crossOriginIsolated, null, { timeout: 60_000 });
  await page.waitForSelector('.engine-status[data-status="ready"]', { timeout: 60_000 });
  const stdlibFetches = (from) => site.requests.slice(from).filter((path) => path.startsWith('/stdlib/'));
  // Nothing of the stdlib's files came with the site (the service worker's install included).
  assert.deepEqual(stdlibFetches(0), []);
  const output = page.locator('.variant-pane[data-variant="mail"] .pane-output .output');

  const beforeRun = site.requests.length;
  await page.click('.run-button');
  await output.getByText('Subject: hello').waitFor({ timeout: RUN_TIMEOUT });
  const fetched = stdlibFetches(beforeRun);
  assert.ok(fetched.some((path) => /^\/stdlib\/email\/message\.[0-9a-f]{16}\.py$/.test(path)), fetched.join(' '));
  assert.equal(new Set(fetched).size, fetched.length, `a file was served twice: ${fetched}`);

  // Offline, in a new page load: the service worker has every file it fetched.
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector('.engine-status[data-status="ready"]', { timeout: 60_000 });
  assert.doesNotMatch(await page.locator('.variant-pane[data-variant="mail"]').textContent(), /Subject: hello/);
  const offlineFrom = site.requests.length;
  await page.click('.run-button');
  await output.getByText('Subject: hello').waitFor({ timeout: RUN_TIMEOUT });
  assert.equal(site.requests.length, offlineFrom, 'nothing reached the server offline');
  await page.screenshot({ path: `${SHOTS}/site-stdlib-offline.png`, fullPage: true });
  await context.setOffline(false);
  await context.close();
});

test('the CPython engine, once loaded, loads and runs offline: the service worker keeps what it fetched', { timeout: 300_000 }, async () => {
  const context = await browser.newContext({ serviceWorkers: 'allow' });
  const page = await context.newPage();
  const state = {
    pyrace: 1,
    mode: 'run',
    variants: [{ name: 'which', code: 'import sys\nprint(sys.implementation.name, *sys.version_info[:2])' }],
    engines: ['cpython'],
  };
  await page.goto(`${site.url}app/#v1.${LZString.compressToEncodedURIComponent(JSON.stringify(state))}`);
  await page.waitForFunction(() => crossOriginIsolated, null, { timeout: 60_000 });
  await page.waitForSelector('.cpython-status[data-status="ready"]', { timeout: 180_000 });
  const cpython = page.locator('.variant-pane[data-variant="which"] .pane-cpython');
  await page.click('.run-button');
  await cpython.getByText('cpython 3 14').waitFor({ timeout: RUN_TIMEOUT });

  await context.setOffline(true);
  await page.reload();
  // "CPython too" is remembered; Pyodide comes from the worker's cache.
  await page.waitForSelector('.cpython-status[data-status="ready"]', { timeout: 180_000 });
  assert.doesNotMatch(await page.locator('.variant-pane[data-variant="which"]').textContent(), /cpython 3 14/);
  const offlineFrom = site.requests.length;
  await page.click('.run-button');
  await cpython.getByText('cpython 3 14').waitFor({ timeout: RUN_TIMEOUT });
  assert.equal(site.requests.length, offlineFrom, 'nothing reached the server offline');
  await page.screenshot({ path: `${SHOTS}/site-cpython-offline.png`, fullPage: true });
  await context.setOffline(false);
  await context.close();
});

test('an embed in a page of another site, without isolation headers, runs list vs set and says threads need the full page', { timeout: 240_000 }, async () => {
  const embedUrl = `${site.url}app/embed.html?readonly=1#${membershipFragment()}`;
  // The host's own origin, so messages can be checked against the embed's.
  const hostPage = `<!doctype html><meta charset="utf-8"><title>A blog</title>
    <h1>Why sets are fast</h1><p>Press Run below.</p>
    <iframe id="embed" src="${embedUrl}" width="100%" height="640" style="border:1px solid #ccc"></iframe>
    <script>
      window.heights = [];
      addEventListener('message', (e) => { if (e.data?.type === 'pyrace:height') heights.push({ origin: e.origin, height: e.data.height }); });
    </script>`;
  const host = await serveStatic(null, { '/post.html': hostPage });
  const context = await browser.newContext({ serviceWorkers: 'allow', viewport: { width: 1100, height: 900 } });
  const violations = await watchPolicy(context);
  const page = await context.newPage();
  // localhost and 127.0.0.1 are different sites: a real third-party embed.
  await page.goto(`${host.url.replace('127.0.0.1', 'localhost')}post.html`);
  const frame = page.frameLocator('#embed');
  await frame.locator('.embed-status[data-status="ready"]').waitFor({ timeout: 60_000 });
  const note = frame.locator('.threads-note');
  assert.match(await note.textContent(), /threads cannot start here/);
  const link = await note.locator('a').getAttribute('href');
  assert.match(link, /^\.\/#v1\./, 'the note links to the full page with the same state');
  assert.equal(await frame.locator('.cm-content[contenteditable="false"]').count(), 3, 'read-only setup and code');

  await frame.locator('.run-button').click();
  assertSetBeatsList(await finishedRows(frame));
  assert.equal(await frame.locator('.bar-chart .bar').count(), 2);
  // The embed told its host its height, and only to the host's origin.
  await page.waitForFunction(() => window.heights.length > 0);
  const heights = await page.evaluate(() => window.heights);
  assert.ok(heights.every((h) => h.origin === new URL(site.url).origin && h.height > 100), JSON.stringify(heights));
  await page.screenshot({ path: `${SHOTS}/site-embed-in-blog.png`, fullPage: true });
  assert.deepEqual(violations, []);
  await context.close();
  host.close();
});

test('the blog script upgrades two blocks on one page; the engine loads only on Run', { timeout: 240_000 }, async () => {
  const blog = `<!doctype html><meta charset="utf-8"><title>Two races</title>
    <script src="${site.url}embed.js" defer></script>
    <h1>Two races</h1>
    <p>First, membership:</p>
    <pre data-pyrace data-budget="2" data-theme="light">
#%% setup
L = list(range(2000)); S = set(L)
#%% list
-1 in L
#%% set
-1 in S
</pre>
    <p>Then a program that prints markup, which must stay text:</p>
    <pyrace-compare mode="run" theme="dark">
      <pre data-variant="shout">print("&lt;b&gt;loud&lt;/b&gt;")</pre>
    </pyrace-compare>`;
  const host = await serveStatic(null, { '/blog.html': blog });
  const context = await browser.newContext({ serviceWorkers: 'allow', viewport: { width: 1000, height: 1100 } });
  const page = await context.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${host.url.replace('127.0.0.1', 'localhost')}blog.html`);
  await page.waitForFunction(() => document.querySelectorAll('[data-pyrace-upgraded]').length === 2);

  // Both show their code before anything is loaded; no engine, no iframe.
  const first = page.locator('.pyrace-embed');
  const second = page.locator('pyrace-compare');
  assert.deepEqual(await first.locator('.name').allTextContents(), ['setup', 'list', 'set']);
  assert.match(await first.locator('.cell pre').nth(1).textContent(), /-1 in L/);
  assert.equal(await second.locator('pre code').textContent(), 'print("<b>loud</b>")');
  assert.equal(await second.evaluate((el) => el.shadowRoot.querySelectorAll('b').length), 0, 'page text is never parsed as HTML');
  assert.equal(await page.locator('iframe').count(), 0);
  assert.ok(!requests.some((u) => /engine|\.wasm|embed\.html/.test(u)), 'nothing of the engine before Run');
  await page.screenshot({ path: `${SHOTS}/site-blog-before-run.png`, fullPage: true });

  await first.getByRole('button', { name: '▶ Run' }).click();
  const frameEl = first.locator('iframe');
  await frameEl.waitFor();
  assert.doesNotMatch(await frameEl.getAttribute('src'), /cpython/, 'RustPython only unless the block asks');
  const frame = first.frameLocator('iframe');
  // autorun: pressing Run once on the page is enough.
  assertSetBeatsList(await finishedRows(frame));
  // The iframe takes the height the embed reports for its content.
  const contentHeight = await frame.locator('.embed').evaluate((el) => Math.ceil(el.scrollHeight));
  await page.waitForFunction(
    (h) => document.querySelector('.pyrace-embed').shadowRoot.querySelector('iframe').style.height === `${h}px`,
    contentHeight,
  );
  assert.equal(await second.locator('iframe').count(), 0, 'the other block still waits for its Run');

  await second.getByRole('button', { name: '▶ Run' }).click();
  const out = second.frameLocator('iframe').locator('.pane-output .output');
  await out.waitFor({ timeout: RUN_TIMEOUT });
  await second.frameLocator('iframe').locator('.embed[data-phase="finished"]').waitFor({ timeout: RUN_TIMEOUT });
  assert.equal(await second.frameLocator('iframe').locator('.results').count(), 0, 'Run mode: output only');
  assert.equal((await out.textContent()).trim(), '<b>loud</b>');
  assert.equal(await second.frameLocator('iframe').locator('html').getAttribute('data-theme'), 'dark');
  await page.screenshot({ path: `${SHOTS}/site-blog-after-run.png`, fullPage: true });
  await context.close();
  host.close();
});

test('a blog block with cpython="1" opens an embed that runs on CPython too', { timeout: 120_000 }, async () => {
  const blog = `<!doctype html><meta charset="utf-8"><title>Both engines</title>
    <script src="${site.url}embed.js" defer></script>
    <pyrace-compare mode="compare" budget="1" cpython="1">
      <pre data-variant="a">x = 1</pre>
      <pre data-variant="b">x = 2</pre>
    </pyrace-compare>`;
  const host = await serveStatic(null, { '/blog.html': blog });
  const context = await browser.newContext({ serviceWorkers: 'allow', viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${host.url.replace('127.0.0.1', 'localhost')}blog.html`);
  const block = page.locator('pyrace-compare');
  await block.getByRole('button', { name: '▶ Run' }).click();
  await block.locator('iframe').waitFor();
  assert.match(await block.locator('iframe').getAttribute('src'), /\/app\/embed\.html\?cpython=1&autorun=1&/);
  // The embed reads it: CPython's status shows in its bar as it loads.
  await block.frameLocator('iframe').locator('.embed-bar .cpython-status').waitFor({ timeout: 60_000 });
  await context.close();
  host.close();
});

test('the embed generator writes both snippets for the current state, with options and a preview', { timeout: 180_000 }, async () => {
  const server = await startServer({ isolation: true });
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1300, height: 1000 } });
  const violations = await watchPolicy(context);
  const page = await context.newPage();
  const response = await page.goto(`${server.url}app/`);
  // One policy: the dev server's header is the pages' meta tag.
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.equal(response.headers()['content-security-policy'], meta);
  await page.waitForSelector('.engine-status[data-status="ready"]', { timeout: 60_000 });

  await page.click('.embed-button');
  await page.locator('.embed-theme').selectOption('dark');
  await page.locator('.embed-readonly').check();
  await page.locator('.embed-height').fill('380');
  await page.locator('.embed-height').press('Tab');
  const iframe = await page.locator('.snippet-iframe').inputValue();
  const script = await page.locator('.snippet-script').inputValue();
  assert.match(iframe, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/app\/embed\.html\?readonly=1&amp;height=380&amp;theme=dark#v1\.[A-Za-z0-9+$-]+" /);
  assert.match(iframe, /height="380"/);
  assert.match(script, /^<script src="http:\/\/127\.0\.0\.1:\d+\/embed\.js" defer><\/script>\n<pyrace-compare mode="compare"/);
  assert.match(script, /<pre data-variant="list">-1 in L<\/pre>/);

  const preview = page.frameLocator('.embed-preview');
  await preview.locator('.embed').waitFor();
  assert.equal(await preview.locator('html').getAttribute('data-theme'), 'dark');
  assert.equal(await preview.locator('.embed.read-only').count(), 1);
  await page.screenshot({ path: `${SHOTS}/site-generator.png` });

  // The iframe's address opens the same state by itself.
  const src = iframe.match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
  const other = await context.newPage();
  await other.goto(src);
  await other.locator('.embed .variant-pane').first().waitFor();
  assert.deepEqual(await other.locator('.embed .variant-pane').evaluateAll((ps) => ps.map((p) => p.dataset.variant)), ['list', 'set']);
  await other.screenshot({ path: `${SHOTS}/site-embed-dark.png`, fullPage: true });
  assert.deepEqual(violations, []);
  await context.close();
  server.close();
});

test('a damaged embed link says so and runs nothing', { timeout: 60_000 }, async () => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(`${site.url}app/embed.html?theme=sepia#v1.Zm9vYmFy!!`);
  const alert = page.locator('.embed-note.error');
  await alert.waitFor();
  assert.match(await alert.textContent(), /cannot be read.*Nothing from it was run/);
  assert.match(await page.locator('.embed-note[role="note"]').first().textContent(), /sepia/);
  assert.equal(await page.locator('.variant-pane').count(), 0);
  assert.ok(await page.locator('.embed-bar .run-button').isDisabled());
  // The policy in the pages is the one the site script writes.
  assert.match(readFileSync(`${dist}/app/embed.html`, 'utf8'), /script-src 'self' 'wasm-unsafe-eval'/);
  await context.close();
});
