// harness.mjs — shared setup of the browser tests and the benchmark: starts
// the real dev server (pyrace-devserver, with or without the isolation
// headers) on a free port over dist/, and headless Debian Chromium through
// playwright-core.
//
// PYRACE_DEVSERVER  path of a built pyrace-devserver (default: cargo builds it)
// CHROMIUM          browser binary (default: /usr/bin/chromium)

import { spawn, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Flags measured to be needed for headless Chromium on these machines. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The dev server binary: PYRACE_DEVSERVER, or built here with cargo. */
function devserverBinary() {
  if (process.env.PYRACE_DEVSERVER) return process.env.PYRACE_DEVSERVER;
  execFileSync('cargo', ['build', '--quiet', '--release', '-p', 'pyrace-devserver'], { cwd: repoRoot, stdio: 'inherit' });
  const targetDir = process.env.CARGO_TARGET_DIR ?? join(repoRoot, 'target');
  return join(targetDir, 'release', 'pyrace-devserver');
}

/** Starts the dev server over `dir` (default dist/); resolves with { url, close }. */
export async function startServer({ isolation = true, dir = `${repoRoot}dist` } = {}) {
  if (!existsSync(dir === `${repoRoot}dist` ? `${dir}/engine.json` : dir)) throw new Error('dist/ is not built: run scripts/build-web.sh');
  const args = ['--dir', dir, '--port', '0', ...(process.env.PYRACE_DEVSERVER_LOG ? ['--log'] : []), ...(isolation ? [] : ['--no-isolation'])];
  const child = spawn(devserverBinary(), args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  // Not through `cargo run`: killing cargo would leave the server running.
  process.on('exit', () => child.kill());
  const url = await new Promise((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const m = seen.match(/on (http:\/\/[^/ ]+\/)/);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`dev server exited with ${code}`)));
  });
  return { url, close: () => child.kill() };
}

/**
 * A browser with a profile of its own on disk (a fresh, empty one): unlike a
 * context of launchBrowser(), whose HTTP cache lives in memory and keeps no
 * large entry, it caches as a person's browser does, compiled wasm included.
 * Resolves with { context, page, close }.
 */
export async function launchProfile({ serviceWorkers = 'block' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pyrace-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    serviceWorkers,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => console.error('page error:', err));
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Headless Chromium; `extraArgs` are added to its command line (bench/browser/startup.mjs). */
export async function launchBrowser({ extraArgs = [] } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

/**
 * Opens the test page in a fresh context and waits for the engine.
 * Service workers are blocked unless asked for, so that the headers under
 * test are the server's own.
 */
export async function openPlayground(browser, url, { serviceWorkers = 'block' } = {}) {
  const context = await browser.newContext({ serviceWorkers });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err));
  await page.goto(url);
  await page.evaluate(() => window.pyrace.ready.then(() => undefined));
  return { context, page };
}

/**
 * Runs `code` on the page, in `threadMode` ('gil' or 'free') when given;
 * returns { end, events, output, wallSeconds }. With `deadlineMs`, a run
 * still going by then is stopped and `end` is 'late'.
 */
export async function runCode(page, code, { threadMode, deadlineMs } = {}) {
  return page.evaluate(async ({ code, threadMode, deadlineMs }) => {
    const t0 = performance.now();
    let timer;
    const late = new Promise((resolve) => {
      if (deadlineMs) timer = setTimeout(() => resolve('late'), deadlineMs);
    });
    const end = await Promise.race([window.pyrace.runCode(code, threadMode), late]);
    clearTimeout(timer);
    if (end === 'late') window.pyrace.engine.stop();
    const wallSeconds = (performance.now() - t0) / 1000;
    const events = window.pyrace.events;
    const output = events.filter((e) => e.event === 'output').map((e) => e.text).join('');
    return { end, events, output, wallSeconds };
  }, { code, threadMode, deadlineMs });
}

/**
 * Waits until the playground's results say that a run other than
 * `previousRunId` has finished; resolves with its run id.
 */
export async function waitForRunAfter(page, previousRunId, timeout) {
  await page.waitForFunction(
    (prev) => {
      const r = document.querySelector('.results');
      return r && r.dataset.runId && r.dataset.runId !== prev && r.dataset.phase === 'finished';
    },
    previousRunId,
    { timeout },
  );
  return page.locator('.results').getAttribute('data-run-id');
}

/**
 * The playground app (dist/app/) on a server of its own, in a fresh
 * 1400×1000 page of a new browser, loaded: resolves with { server, browser, page }.
 */
export async function openApp() {
  if (!existsSync(`${repoRoot}/dist/app/index.html`)) throw new Error('dist/app is not built: run scripts/build-web.sh');
  const server = await startServer({ isolation: true });
  const browser = await launchBrowser();
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err));
  await page.goto(`${server.url}app/`);
  await page.waitForSelector('.top-bar');
  return { server, browser, page };
}

/**
 * Opens the app and runs its default comparison (list vs set membership)
 * with the shortest budget, so that results, charts and timing cards are
 * on the page.
 */
export async function openAppAfterRun() {
  const opened = await openApp();
  await opened.page.waitForSelector('.engine-status[data-status="ready"]', { timeout: 60_000 });
  await opened.page.selectOption('.budget-select', '2');
  await runInApp(opened.page, 90_000);
  return opened;
}

/** Clicks the app's Run and waits until the results say that run finished. */
export async function runInApp(page, timeout) {
  const before = await page.locator('.results').getAttribute('data-run-id');
  await page.click('.run-button');
  return waitForRunAfter(page, before, timeout);
}

/** Replaces the text of a CodeMirror editor (a locator inside it) by typing, as a person would. */
export async function typeInto(editor, text) {
  const page = editor.page();
  await editor.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Backspace');
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (i > 0) {
      await page.keyboard.press('Enter');
      // Drop the indentation CodeMirror inserts: the lines carry their own.
      await page.keyboard.press('Shift+Home');
      await page.keyboard.press('Delete');
    }
    await page.keyboard.type(line);
  }
}

/** The text of a CodeMirror editor, as its lines are drawn. */
export async function editorText(editor) {
  return editor.locator('.cm-content').evaluate((el) => [...el.querySelectorAll('.cm-line')].map((l) => l.textContent).join('\n'));
}
