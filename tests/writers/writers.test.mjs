// writers.test.mjs — pyrace where Python writers publish, end to end: the
// package in integrations/python/ installed with pip into a virtual
// environment made here, with pinned MkDocs, Material, pymdown-extensions and
// Sphinx; the example MkDocs and Sphinx sites built for real; served by a
// plain static host on another site than dist/; in headless Chromium a block
// shows its code, Run races it in the embed, and without JavaScript the page
// shows the code and an "Open in pyrace" link. A block with a mistake fails
// each build, naming the file and line. The package's own pytest suite runs
// in the same environment.
//
// Needs dist/ (scripts/build-web.sh), python3 (3.10+, with venv) and PyPI.
// Screenshots go to $PYRACE_SCREENSHOTS (default /tmp/pyrace-screens).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, repoRoot } from '../browser/harness.mjs';
import { serveStatic } from '../site/static-server.mjs';

const SHOTS = process.env.PYRACE_SCREENSHOTS ?? '/tmp/pyrace-screens';
const RUN_TIMEOUT = 120_000;
const PACKAGE = join(repoRoot, 'integrations/python');
const EXAMPLES = join(PACKAGE, 'examples');

let work; // a temporary directory: the venv, the built sites
let python; // the venv's interpreter
let dist; // dist/ on a plain static server
let sites; // the built MkDocs and Sphinx sites on another
let browser;

/** Runs the venv's python with `args` in `cwd`; returns { status, output }. */
function py(args, cwd, env = {}) {
  const run = spawnSync(python, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_MKDOCS_2_WARNING: '1', ...env },
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Builds an example site (or a copy of it) with PYRACE_URL at dist's server; returns { status, output }. */
function buildSite(tool, dir, out) {
  const args = tool === 'mkdocs' ? ['-m', 'mkdocs', 'build', '--strict', '-q', '-d', out] : ['-m', 'sphinx', '-q', '-b', 'html', '.', out];
  return py(args, dir, { PYRACE_URL: dist.url });
}

before(async () => {
  for (const file of ['app/embed.html', 'embed.js', 'engine.json']) {
    if (!existsSync(join(repoRoot, 'dist', file))) throw new Error(`dist/${file} is missing: run scripts/build-web.sh`);
  }
  mkdirSync(SHOTS, { recursive: true });
  work = mkdtempSync(join(tmpdir(), 'pyrace-writers-'));
  execFileSync('python3', ['-m', 'venv', join(work, 'venv')], { stdio: 'inherit' });
  python = join(work, 'venv/bin/python');
  // The package with its pinned test extra: pytest, mkdocs, mkdocs-material, pymdown-extensions, sphinx.
  execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `${PACKAGE}[test]`], { stdio: 'inherit' });
  dist = await serveStatic(join(repoRoot, 'dist'));
  for (const tool of ['mkdocs', 'sphinx']) {
    const built = buildSite(tool, join(EXAMPLES, tool), join(work, 'sites', tool));
    if (built.status !== 0) throw new Error(`the example ${tool} site did not build:\n${built.output}`);
  }
  sites = await serveStatic(join(work, 'sites'));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  dist?.close();
  sites?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The writer's site as a reader reaches it: another site than pyrace's (localhost vs 127.0.0.1). */
function siteUrl(path) {
  return `${sites.url.replace('127.0.0.1', 'localhost')}${path}`;
}

async function finishedRows(frame) {
  await frame.locator('.results[data-phase="finished"]').waitFor({ timeout: RUN_TIMEOUT });
  return frame.locator('.results-table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({ name: tr.dataset.variant, cells: [...tr.querySelectorAll('td')].map((td) => td.textContent) })),
  );
}

for (const [tool, path] of [
  ['mkdocs', 'mkdocs/'],
  ['sphinx', 'sphinx/index.html'],
]) {
  test(`${tool}: a block shows its highlighted code and Run, loads nothing before Run, and Run races list vs set`, { timeout: 240_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 1000 } });
    const page = await context.newPage();
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(siteUrl(path));
    const block = page.locator('pyrace-compare').first();
    await page.waitForFunction(() => document.querySelector('pyrace-compare')?.hasAttribute('data-pyrace-upgraded'));
    // Exactly one blog script on the page, from the configured site.
    assert.deepEqual(await page.locator('script[src$="embed.js"]').evaluateAll((s) => s.map((e) => e.getAttribute('src'))), [`${dist.url}embed.js`]);

    // The box shows the page's own highlighted <pre> elements in its cells.
    const shown = await block.evaluate((el) =>
      [...el.shadowRoot.querySelectorAll('.cell')].map((cell) => ({
        name: cell.querySelector('.name')?.textContent,
        code: cell.querySelector('slot')?.assignedElements().map((e) => e.textContent.trim()).join('\n'),
        spans: cell.querySelector('slot')?.assignedElements()[0]?.querySelectorAll('pre span').length ?? 0,
      })),
    );
    assert.deepEqual(shown.map(({ name, code }) => ({ name, code })), [
      { name: 'setup', code: 'L = list(range(10_000)); S = set(L)' },
      { name: 'list', code: '-1 in L' },
      { name: 'set', code: '-1 in S' },
    ]);
    assert.ok(shown.every((c) => c.spans > 0), 'the code is highlighted');
    const title = block.getByText('list vs set');
    assert.ok(await title.isVisible());

    // The package's link is the one the script writes from the markup.
    const link = await block.locator('.pyrace-open a').getAttribute('href');
    const fromScript = await block.evaluate((el) => /** @type {any} */ (window).pyraceEmbed.fragmentOf(/** @type {any} */ (window).pyraceEmbed.stateOf(el).state));
    assert.equal(link, `${dist.url}app/#${fromScript}`);
    const open = await block.evaluate((el) => el.shadowRoot.querySelector('a')?.href);
    assert.equal(open, link);
    assert.ok(!requests.some((u) => /engine|\.wasm|embed\.html/.test(u)), 'nothing of the engine before Run');
    await page.screenshot({ path: `${SHOTS}/writers-${tool}-before-run.png`, fullPage: true });

    await block.getByRole('button', { name: '▶ Run' }).click();
    const rows = await finishedRows(block.frameLocator('iframe'));
    assert.deepEqual(rows.map((r) => r.name).sort(), ['list', 'set']);
    assert.match(rows.find((r) => r.name === 'set').cells[4], /fastest/);
    assert.match(rows.find((r) => r.name === 'list').cells[4], /× slower/);
    await page.screenshot({ path: `${SHOTS}/writers-${tool}-after-run.png`, fullPage: true });
    await context.close();
  });

  test(`${tool}: without JavaScript the page shows the code and an "Open in pyrace" link`, { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    await page.goto(siteUrl(path));
    const block = page.locator('pyrace-compare').first();
    for (const code of ['L = list(range(10_000)); S = set(L)', '-1 in L', '-1 in S']) {
      assert.ok(await block.locator('pre', { hasText: code }).isVisible(), code);
    }
    const link = block.getByRole('link', { name: 'Open in pyrace ↗' });
    assert.ok(await link.isVisible());
    const href = await link.getAttribute('href');
    assert.match(href, new RegExp(`^${dist.url}app/#v1\\.[A-Za-z0-9+$-]+$`));
    await page.screenshot({ path: `${SHOTS}/writers-${tool}-no-js.png`, fullPage: true });
    await context.close();

    // The link opens the playground on the block's code.
    const reader = await browser.newContext({ viewport: { width: 1300, height: 900 } });
    const app = await reader.newPage();
    await app.goto(href);
    await app.locator('.cm-content').first().waitFor({ timeout: 60_000 });
    const editors = await app.locator('.cm-content').allTextContents();
    assert.ok(editors.includes('-1 in L') && editors.includes('-1 in S'), editors.join(' | '));
    await reader.close();
  });

  test(`${tool}: a block with a syntax mistake fails the build, naming the file and line`, { timeout: 60_000 }, () => {
    const copy = join(work, `broken-${tool}`);
    cpSync(join(EXAMPLES, tool), copy, { recursive: true });
    const page = tool === 'mkdocs' ? 'docs/index.md' : 'index.rst';
    const text = readFileSync(join(copy, page), 'utf8');
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.trim() === '-1 in S') + 1;
    lines[line - 1] = lines[line - 1].replace('-1 in S', '-1 in S +');
    writeFileSync(join(copy, page), lines.join('\n'));
    const built = buildSite(tool, copy, join(work, `broken-${tool}-out`));
    assert.notEqual(built.status, 0, built.output);
    assert.match(built.output, new RegExp(`${page.replace('.', '\\.')}:${line}: pyrace block: variant “set”: Python syntax error`));
  });
}

test('the package’s own tests pass (pytest)', { timeout: 180_000 }, () => {
  const run = py(['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], PACKAGE);
  assert.equal(run.status, 0, run.output);
  assert.match(run.output, /\d+ passed/);
});
