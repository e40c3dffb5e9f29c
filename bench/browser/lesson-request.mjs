// lesson-request.mjs — a lesson file's timed run as the engine's run request,
// for the benches that run lessons in the browser.

/**
 * The run request of a lesson (the subset of the format that timed lessons
 * use: front matter `mode`, `budget`, `sweep`; `python setup`,
 * `python variant=NAME [threads=gil|free]` and `python variant=NAME setup`).
 */
export function lessonRequest(text, runId = 1) {
  const front = Object.fromEntries(
    text.split(/^---$/m)[1].trim().split('\n').map((line) => line.split(/:\s*/, 2)).map(([k, v]) => [k.trim(), v?.trim()]),
  );
  let setup = '';
  const variants = [];
  const own = new Map();
  for (const [, info, body] of text.matchAll(/^```python ?([^\n]*)\n([\s\S]*?)^```$/gm)) {
    const words = info.trim().split(/\s+/);
    if (words[0] === 'setup') {
      setup = body;
      continue;
    }
    const attrs = Object.fromEntries(words.filter((w) => w.includes('=')).map((w) => w.split('=')));
    if (!attrs.variant) continue;
    if (words.includes('setup')) own.set(attrs.variant, body);
    else variants.push({ name: attrs.variant, code: body, ...(attrs.threads ? { thread_mode: attrs.threads } : {}) });
  }
  for (const v of variants) v.setup = own.get(v.name) ?? '';
  const options = { budget: Number(front.budget ?? 5) };
  if (front.sweep) {
    const [variable, sizes] = front.sweep.split('=');
    options.sweep = { var: variable.trim(), sizes: sizes.split(',').map(Number) };
  }
  return { run_id: runId, mode: front.mode, setup, variants, options };
}
