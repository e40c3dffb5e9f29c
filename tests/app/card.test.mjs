// card.test.mjs — the result card (Share → Card) end to end in headless
// Chromium over the real dev server and engines: after a compare on one
// engine and on both, the card downloads as a PNG the browser decodes at
// 1200×630 (and not blank) and as an SVG that names every variant, the
// verdict the page shows and the engines; its Markdown and HTML put the
// picture in a post linked to the dialog's share link. A sweep's card says
// at which size; Run mode, which times nothing, gets a message, not a card.
// Needs scripts/build-web.sh to have run.
//
// The cards are also written to $PYRACE_CARDS (default /tmp/pyrace-screens)
// as card-*.png, to be looked at.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { appSuite } from './suite.mjs';

const CARDS = process.env.PYRACE_CARDS ?? process.env.PYRACE_SCREENSHOTS ?? '/tmp/pyrace-screens';
/** Both engines in turn, plus CPython's first download and start. */
const RUN_TIMEOUT = 180_000;

const app = appSuite({ dirs: [CARDS] });

const MEMBERSHIP = {
  mode: 'compare',
  setup: 'L = list(range(10000))\nS = set(L)',
  variants: [
    { name: 'list', code: '-1 in L' },
    { name: 'set', code: '-1 in S' },
    { name: 'tuple', code: 'T = tuple(L)\n-1 in T' },
  ],
  options: { budget: 1 },
};

/** Opens `state`, runs it (on every engine it goes to) and waits for the end. */
async function openAndRun(state, { cpython = false } = {}) {
  const context = await app.browser.newContext({ serviceWorkers: 'block', viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.server.url.replace(/\/$/, '') });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.goto(app.link(state));
  await page.waitForSelector('.engine-status[data-status="ready"]', { timeout: 120_000 });
  if (cpython) await page.waitForSelector('.cpython-status[data-status="ready"]', { timeout: 150_000 });
  await page.click('.run-button');
  await page.waitForFunction(() => {
    const r = document.querySelector('.results');
    return r && r.dataset.runId && r.dataset.phase === 'finished';
  }, null, { timeout: RUN_TIMEOUT });
  return { context, page, errors };
}

/** Share → Card; resolves with the dialog's share link. */
async function openCard(page) {
  await page.click('.share-button');
  await page.waitForSelector('.share-dialog');
  const shareLink = await page.locator('.share-link').first().inputValue();
  await page.click('.card-button');
  await page.waitForSelector('.card-panel');
  return shareLink;
}

/** Clicks `button` and resolves with the downloaded file's name and bytes. */
async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

/** The PNG's size from its header, and as the browser decodes it; how much of it is not background. */
async function decodePng(page, bytes) {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');
  assert.equal(bytes.subarray(12, 16).toString('latin1'), 'IHDR');
  const header = { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  const decoded = await page.evaluate(async (base64) => {
    const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([data], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    context.drawImage(bitmap, 0, 0);
    const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let inked = 0;
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i] + pixels[i + 1] + pixels[i + 2] < 600) inked += 1;
    return { width: bitmap.width, height: bitmap.height, inked: inked / (pixels.length / 4) };
  }, bytes.toString('base64'));
  return { header, decoded };
}

/** The SVG document's text as the browser reads it, and the number of bars in its chart. */
async function readSvg(page, text) {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    if (doc.querySelector('parsererror')) return { error: doc.querySelector('parsererror').textContent };
    const root = doc.documentElement;
    return {
      root: root.localName,
      width: root.getAttribute('width'),
      height: root.getAttribute('height'),
      texts: [...root.querySelectorAll('text')].map((t) => t.textContent),
      bars: root.querySelectorAll('.card-chart rect').length,
      external: [...root.querySelectorAll('[href], image, [*|href]')].length,
    };
  }, text);
}

/** The page's verdict sentences (without the engine's label). */
async function pageVerdicts(page) {
  return page.locator('.verdict-sentence').evaluateAll((ps) => ps.map((p) => {
    const copy = p.cloneNode(true);
    copy.querySelector('.engine-label')?.remove();
    return copy.textContent.trim();
  }));
}

/** Checks the card's PNG, SVG and snippets against the page; writes the PNG to `shot`. */
async function checkCard(page, shareLink, { variants, engines, code, shot }) {
  await page.waitForSelector('.card-preview', { timeout: 20_000 });
  const png = await download(page, '.card-png');
  assert.equal(png.name, 'pyrace-card.png');
  writeFileSync(`${CARDS}/${shot}`, png.bytes);
  const { header, decoded } = await decodePng(page, png.bytes);
  assert.deepEqual(header, { width: 1200, height: 630 });
  assert.equal(decoded.width, 1200);
  assert.equal(decoded.height, 630);
  assert.ok(decoded.inked > 0.01 && decoded.inked < 0.6, `the PNG has something drawn on it (${decoded.inked})`);

  const svgFile = await download(page, '.card-svg');
  assert.equal(svgFile.name, 'pyrace-card.svg');
  const svg = await readSvg(page, svgFile.bytes.toString('utf8'));
  assert.equal(svg.error, undefined, svg.error);
  assert.deepEqual([svg.root, svg.width, svg.height], ['svg', '1200', '630']);
  assert.equal(svg.external, 0, 'the card refers to nothing outside itself');
  const all = svg.texts.join('\n');
  for (const name of variants) assert.ok(svg.texts.includes(name), `the card names ${name}: ${all}`);
  for (const line of code) assert.ok(svg.texts.includes(line), `the card shows the code line ${line}`);
  assert.ok(svg.bars >= variants.length * engines.length, `the chart has a bar per variant and engine (${svg.bars})`);
  const verdicts = await pageVerdicts(page);
  assert.equal(verdicts.length, engines.length);
  for (const verdict of verdicts) {
    // The card may wrap a long verdict over two lines.
    assert.ok(all.replace(/\n/g, ' ').includes(verdict), `the card says "${verdict}": ${all}`);
  }
  const measured = svg.texts.find((t) => t.startsWith('Measured '));
  for (const engine of engines) assert.match(measured ?? '', new RegExp(engine), `the card names ${engine}`);
  assert.ok(svg.texts.some((t) => t.length > 20 && shareLink.startsWith(t.replace(/…$/, ''))), 'the card writes the link out');

  const markdown = await page.locator('.card-snippet-markdown textarea').inputValue();
  const html = await page.locator('.card-snippet-html textarea').inputValue();
  assert.ok(markdown.startsWith('[![pyrace: '), markdown);
  assert.ok(markdown.endsWith(`](pyrace-card.png)](${shareLink})`), 'the Markdown links the picture to the share link');
  const anchor = await page.evaluate((html) => {
    const a = new DOMParser().parseFromString(html, 'text/html').querySelector('a');
    const img = a?.querySelector('img');
    return { href: a?.getAttribute('href'), src: img?.getAttribute('src'), width: img?.getAttribute('width'), height: img?.getAttribute('height'), alt: img?.getAttribute('alt') };
  }, html);
  assert.deepEqual(
    { href: anchor.href, src: anchor.src, width: anchor.width, height: anchor.height },
    { href: shareLink, src: 'pyrace-card.png', width: '1200', height: '630' },
  );
  assert.ok(anchor.alt.startsWith('pyrace: '), anchor.alt);
  await page.click('.card-snippet-markdown .copy-snippet');
  await page.waitForFunction(() => document.querySelector('.card-snippet-markdown [role=status]')?.textContent === 'copied');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), markdown);
  await page.locator('.share-dialog').screenshot({ path: `${CARDS}/${shot.replace(/\.png$/, '-dialog.png')}` });
}

test('a compare on RustPython: the card as PNG and SVG, and its snippets', async () => {
  const { context, page, errors } = await openAndRun(MEMBERSHIP);
  const shareLink = await openCard(page);
  await checkCard(page, shareLink, {
    variants: ['list', 'set', 'tuple'],
    engines: ['RustPython'],
    code: ['setup', 'L = list(range(10000))', 'S = set(L)', '-1 in L', '-1 in S', 'T = tuple(L)', '-1 in T'],
    shot: 'card-rustpython.png',
  });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a compare on both engines: both verdicts, both engines, a bar per engine', async () => {
  const state = { ...MEMBERSHIP, variants: MEMBERSHIP.variants.slice(0, 2), engines: ['cpython'] };
  const { context, page, errors } = await openAndRun(state, { cpython: true });
  assert.equal(await page.locator('.results').getAttribute('data-engines'), 'rustpython cpython');
  const shareLink = await openCard(page);
  await checkCard(page, shareLink, {
    variants: ['list', 'set'],
    engines: ['RustPython', 'CPython'],
    code: ['-1 in L', '-1 in S'],
    shot: 'card-both-engines.png',
  });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a sweep gets the card of its largest size; Run mode gets a message instead', async () => {
  const sweep = await openAndRun({
    mode: 'sweep',
    setup: 'L = list(range(n))\nS = set(L)',
    variants: [{ name: 'list', code: '-1 in L' }, { name: 'set', code: '-1 in S' }],
    sweep: 'n=10,1000',
    options: { budget: 1 },
  });
  const shareLink = await openCard(sweep.page);
  await sweep.page.waitForSelector('.card-preview', { timeout: 20_000 });
  const svgFile = await download(sweep.page, '.card-svg');
  const svg = await readSvg(sweep.page, svgFile.bytes.toString('utf8'));
  assert.ok(svg.texts.includes('list vs set at n=1k'), svg.texts.join('\n'));
  const png = await download(sweep.page, '.card-png');
  writeFileSync(`${CARDS}/card-sweep.png`, png.bytes);
  assert.deepEqual((await decodePng(sweep.page, png.bytes)).header, { width: 1200, height: 630 });
  assert.ok(shareLink.length > 0);
  assert.deepEqual(sweep.errors, []);
  await sweep.context.close();

  const run = await openAndRun({ mode: 'run', variants: [{ name: 'main', code: 'print(6 * 7)' }] });
  await openCard(run.page);
  assert.match(await run.page.locator('.card-none').textContent(), /Run mode times nothing/);
  assert.equal(await run.page.locator('.card-preview').count(), 0);
  assert.equal(await run.page.locator('.card-png').count(), 0);
  assert.deepEqual(run.errors, []);
  await run.context.close();
});
