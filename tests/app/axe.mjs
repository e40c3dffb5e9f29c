// axe.mjs — axe-core (npm, pinned) in a page of the app: loading it and
// listing its violations of WCAG 2.1 A/AA, the best practices and the check
// that a control's accessible name contains its visible text
// (label-content-name-mismatch, experimental in axe and so turned on here).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Loads axe into `page`: through the browser's tools, not a script tag, as
 *  the page's Content-Security-Policy allows only its own scripts. */
export async function loadAxe(page) {
  await page.evaluate(AXE);
}

/** axe's violations on the page as it is now, one line each. */
export async function axeViolations(page) {
  const result = await page.evaluate(() =>
    window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      rules: { 'label-content-name-mismatch': { enabled: true } },
    }),
  );
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary.replace(/\s+/g, ' ')}`));
}
