// accessibility.test.mjs — axe-core (npm, pinned) over the playground after
// a run, in the light and the dark colour scheme: no violations of WCAG 2.1
// A/AA, the best practices, or the check that a control's accessible name
// contains its visible text (label-content-name-mismatch, experimental in
// axe and so turned on here). Needs scripts/build-web.sh and
// scripts/build-app.sh to have run.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { openAppAfterRun } from '../browser/harness.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server;
let browser;
let page;

before(async () => {
  ({ server, browser, page } = await openAppAfterRun());
  // Evaluated through the browser's tools, not a script tag: the page's
  // Content-Security-Policy allows only its own scripts.
  await page.evaluate(AXE);
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** axe's violations on the page as it is now, one line each. */
async function violations() {
  const result = await page.evaluate(() =>
    window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      rules: { 'label-content-name-mismatch': { enabled: true } },
    }),
  );
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary.replace(/\s+/g, ' ')}`));
}

for (const scheme of ['light', 'dark']) {
  test(`the playground after a run has no accessibility violations (${scheme})`, async () => {
    await page.emulateMedia({ colorScheme: scheme });
    const found = await violations();
    assert.deepEqual(found, [], found.join('\n'));
  });
}
