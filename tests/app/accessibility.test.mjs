// accessibility.test.mjs — axe-core (npm, pinned) over the playground after
// a run, in the light and the dark colour scheme: no violations of WCAG 2.1
// A/AA, the best practices, or the check that a control's accessible name
// contains its visible text (label-content-name-mismatch, experimental in
// axe and so turned on here). Needs scripts/build-web.sh and
// scripts/build-app.sh to have run.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openAppAfterRun } from '../browser/harness.mjs';
import { loadAxe, axeViolations } from './axe.mjs';

let server;
let browser;
let page;

before(async () => {
  ({ server, browser, page } = await openAppAfterRun());
  await loadAxe(page);
});

after(async () => {
  await browser?.close();
  server?.close();
});

for (const scheme of ['light', 'dark']) {
  test(`the playground after a run has no accessibility violations (${scheme})`, async () => {
    await page.emulateMedia({ colorScheme: scheme });
    const found = await axeViolations(page);
    assert.deepEqual(found, [], found.join('\n'));
  });
}
