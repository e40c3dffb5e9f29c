// share.test.mjs — share links, files and export end to end in headless
// Chromium, over the real dev server and engine: a shared playground opens
// in another browser as it was typed, the code it replaced stays
// restorable, damaged and future links say what is wrong over a working
// playground, results travel as "recorded" figures, long states go by file,
// and exports download what they say. Needs scripts/build-web.sh and
// scripts/build-app.sh to have run.
//
// Screenshots go to $PYRACE_SCREENSHOTS (default /tmp/pyrace-screens).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import LZString from 'lz-string';
import { typeInto, editorText } from '../browser/harness.mjs';
import { appSuite } from './suite.mjs';

const SHOTS = process.env.PYRACE_SCREENSHOTS ?? '/tmp/pyrace-screens';
const RUN_TIMEOUT = 90_000;
// Several pages start engines at once here, on a busy machine.
const ENGINE_TIMEOUT = 180_000;

let appUrl;
const app = appSuite({ dirs: [SHOTS], then: async () => {
  appUrl = `${app.server.url}app/`;
} });

/** A fresh browser profile (its own localStorage), as another person's would be. */
async function newPerson() {
  const context = await app.browser.newContext({ serviceWorkers: 'block', viewport: { width: 1400, height: 1000 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.server.url.replace(/\/$/, '') });
  const errors = [];
  context.on('page', (page) => page.on('pageerror', (err) => errors.push(String(err))));
  return { context, errors };
}

async function openPage(context, url) {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('.variant-pane .cm-content');
  return page;
}

const pane = (page, name) => page.locator(`.variant-pane[data-variant="${name}"]`);

/** Everything the panes show: mode, setup, and each variant's name, code and own setup. */
async function panesOf(page) {
  return {
    mode: await page.locator('.mode-switch input:checked').getAttribute('value'),
    setup: await editorText(page.locator('.setup-pane')),
    variants: await Promise.all(
      (await page.locator('.variant-pane').all()).map(async (p) => ({
        name: await p.locator('.variant-name').inputValue(),
        code: await editorText(p.locator('.cm-editor').first()),
      })),
    ),
  };
}

async function shareLink(page) {
  await page.click('.share-button');
  await page.waitForSelector('.share-dialog');
  return page.locator('.share-link').inputValue();
}

async function runAndWait(page) {
  await page.waitForSelector('.engine-status[data-status="ready"]', { timeout: ENGINE_TIMEOUT });
  await page.click('.run-button');
  await page.waitForSelector('.results[data-phase="finished"]', { timeout: RUN_TIMEOUT });
}

test('a shared playground opens in another browser as typed; nothing runs; the code it replaced stays restorable', async () => {
  const alice = await newPerson();
  const page = await openPage(alice.context, appUrl);
  const setup = 'L = list(range(500))\nS = set(L)  # שלום 😀';
  await typeInto(page.locator('.setup-pane'), setup);
  await typeInto(pane(page, 'list'), '250 in L');
  await page.locator('.variant-pane').first().locator('.variant-name').fill('scan ✓');
  const sent = await panesOf(page);

  const link = await shareLink(page);
  assert.ok(link.startsWith(`${appUrl}#v1.`), link);
  await page.waitForSelector('.copy-status.copied');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link, 'the link is on the clipboard');
  const length = await page.locator('.share-chars').textContent();
  assert.equal(length, `${link.length} characters`);
  await page.screenshot({ path: `${SHOTS}/share-dialog.png` });
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('.share-dialog').count(), 0);

  const bob = await newPerson();
  const opened = await openPage(bob.context, link);
  assert.deepEqual(await panesOf(opened), sent, 'the same panes');
  assert.match(await opened.locator('.link-notice.opened').textContent(), /Nothing has run/);
  assert.equal(await opened.locator('.results').getAttribute('data-run-id'), null, 'nothing ran');
  assert.equal(new URL(opened.url()).hash, '', 'the fragment is dropped so a reload keeps edits');
  await typeInto(pane(opened, 'set'), '-2 in S');
  await opened.reload();
  await opened.waitForSelector('.variant-pane .cm-content');
  assert.equal(await editorText(pane(opened, 'set')), '-2 in S', 'an edit to an opened link survives a reload');

  // Alice, with her own work saved, follows a link: her code is kept.
  await typeInto(pane(page, 'set'), 'my own work');
  const mine = await panesOf(page);
  const again = await openPage(alice.context, link);
  assert.deepEqual(await panesOf(again), sent);
  await again.click('.link-notice .restore');
  assert.deepEqual(await panesOf(again), mine, 'restored');
  assert.equal(await again.locator('.link-notice').count(), 0);
  assert.deepEqual(alice.errors.concat(bob.errors), []);
  await alice.context.close();
  await bob.context.close();
});

test('a damaged or future link shows what is wrong over a working playground, and nothing of it runs', async () => {
  const carol = await newPerson();
  const page = await openPage(carol.context, appUrl);
  const before = await panesOf(page);
  const link = await shareLink(page);
  await page.keyboard.press('Escape');

  const cut = link.slice(0, link.length - 12);
  const broken = await openPage(carol.context, cut);
  const failed = broken.locator('.link-notice.failed');
  assert.match(await failed.textContent(), /This link could not be opened: it is damaged/);
  assert.match(await failed.textContent(), /Nothing from it was loaded or run/);
  assert.equal(await failed.getAttribute('role'), 'alert');
  assert.deepEqual(await panesOf(broken), before, 'the playground is as it was');
  await broken.screenshot({ path: `${SHOTS}/share-broken-link.png` });
  // The playground works: its own code runs.
  await broken.click('.mode-switch input[value="run"]');
  await typeInto(pane(broken, 'set'), 'print("still works")');
  await runAndWait(broken);
  assert.match(await pane(broken, 'set').locator('.output').textContent(), /still works/);

  const future = await openPage(carol.context, link.replace('#v1.', '#v9.'));
  assert.match(await future.locator('.link-notice.failed').textContent(), /made by a newer pyrace \(format v9/);
  // A link pasted into the address bar of an open playground changes only the fragment.
  await future.evaluate((fragment) => { location.hash = fragment; }, link.split('#')[1]);
  await future.waitForSelector('.link-notice.opened');
  assert.equal(new URL(future.url()).hash, '');

  // Text that would be markup if it were ever inserted as HTML stays text.
  const json = JSON.stringify({ pyrace: 1, mode: 'run', variants: [{ name: '<img src=x onerror=window.__pwned=1>', code: 'print(1)' }] });
  const crafted = await openPage(carol.context, `${appUrl}#v1.${LZString.compressToEncodedURIComponent(json)}`);
  assert.equal(await crafted.locator('.variant-pane').first().locator('.variant-name').inputValue(), '<img src=x onerror=window.__pwned=1>');
  assert.equal(await crafted.locator('img[src="x"]').count(), 0);
  assert.equal(await crafted.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(carol.errors, []);
  await carol.context.close();
});

test('results travel as recorded figures, and export downloads the table, JSON, SVG and PNG', async () => {
  const dave = await newPerson();
  const page = await openPage(dave.context, appUrl);
  await page.selectOption('.budget-select', '2');
  await runAndWait(page);
  await page.waitForSelector('.export-menu');

  const download = async (button) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
    return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
  };
  const markdown = await download('.export-markdown');
  assert.equal(markdown.name, 'pyrace-results.md');
  const table = markdown.bytes.toString('utf8');
  assert.match(table, /^\| variant \| median per loop \| 95% CI \| vs fastest \|$/m);
  assert.match(table, /^\| set \| [\d.]+ (ns|µs) \| .+ \| \*\*fastest\*\* \|$/m);
  assert.match(table, /^\| list \| .+× slower/m);
  assert.match(table, /Measured with RustPython/);
  const json = JSON.parse((await download('.export-json')).bytes.toString('utf8'));
  assert.deepEqual(json.variants.map((v) => v.name).sort(), ['list', 'set']);
  const svg = (await download('.export-svg')).bytes.toString('utf8');
  assert.match(svg, /^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /data-variant="set"/);
  const png = (await download('.export-png')).bytes;
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
  assert.ok(png.length > 2000, `PNG of ${png.length} bytes`);
  writeFileSync(`${SHOTS}/share-exported-chart.png`, png);
  await page.locator('.results').screenshot({ path: `${SHOTS}/share-export-menu.png` });

  const link = await shareLink(page);
  assert.equal(await page.locator('.share-results input').isChecked(), true);
  const erin = await newPerson();
  const opened = await openPage(erin.context, link);
  const recorded = opened.locator('.results.recorded');
  assert.match(await recorded.locator('.recorded-label').textContent(), /^Recorded on \d{4}-\d\d-\d\d \d\d:\d\d UTC, engine RustPython/);
  assert.deepEqual((await recorded.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.variant))).sort(), ['list', 'set']);
  await opened.screenshot({ path: `${SHOTS}/share-recorded-results.png`, fullPage: true });
  // A run here replaces the recorded figures.
  await opened.selectOption('.budget-select', '2');
  await runAndWait(opened);
  assert.equal(await opened.locator('.results.recorded').count(), 0);
  assert.doesNotMatch(await opened.locator('.link-notice').textContent(), /Nothing has run/);
  assert.deepEqual(dave.errors.concat(erin.errors), []);
  await dave.context.close();
  await erin.context.close();
});

test('a state too long for a link goes by file, and Open file… opens it', async () => {
  // Code that does not compress: a link of well over 8 000 characters.
  let seed = 7;
  const noise = Array.from({ length: 10000 }, () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return 'abcdefghijklmnopqrstuvwxyz0123456789'[(seed >>> 16) % 36];
  }).join('');
  const state = { pyrace: 1, mode: 'compare', setup: 'x = 1', variants: [{ name: 'long', code: `s = "${noise}"` }, { name: 'short', code: 'x + 1' }] };
  const link = `${appUrl}#v1.${LZString.compressToEncodedURIComponent(JSON.stringify(state))}`;
  assert.ok(link.length > 8000);

  const frank = await newPerson();
  const page = await openPage(frank.context, link);
  await shareLink(page);
  assert.match(await page.locator('.share-long').textContent(), /characters long: past about 8 000/);
  await page.screenshot({ path: `${SHOTS}/share-long-link.png` });
  assert.match(await page.locator('.copy-status').textContent(), /not copied/);
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('.download-file')]);
  assert.equal(file.suggestedFilename(), 'playground.pyrace.json');
  const path = await file.path();

  const grace = await newPerson();
  const other = await openPage(grace.context, appUrl);
  await other.setInputFiles('.open-file input[type=file]', { name: 'shared.pyrace.json', mimeType: 'application/json', buffer: readFileSync(path) });
  await other.waitForSelector('.link-notice.opened');
  assert.match(await other.locator('.link-notice').textContent(), /shared in this file/);
  const panes = await panesOf(other);
  assert.deepEqual(panes.variants.map((v) => v.name), ['long', 'short']);
  // The editor draws only the visible part of a long line: read the saved draft.
  const saved = await other.evaluate(() => JSON.parse(localStorage.getItem('pyrace.draft.v1')));
  assert.ok(saved.panes[0].code === `s = "${noise}"`, 'the long code arrived whole');

  await other.setInputFiles('.open-file input[type=file]', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a state') });
  assert.match(await other.locator('.link-notice.failed').textContent(), /The file “notes.txt” could not be opened: its content is not a pyrace state/);
  assert.deepEqual(await panesOf(other), panes, 'a bad file changes nothing');
  assert.deepEqual(frank.errors.concat(grace.errors), []);
  await frank.context.close();
  await grace.context.close();
});
