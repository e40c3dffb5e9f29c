// memory.test.mjs — a program that uses all the memory the engine may use:
// large buffers get a MemoryError the program could catch, small objects
// that fill memory end the engine with a plain message; never a Rust
// panic or a path of the machine the engine was built on; and the next
// run works at once.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCode } from './harness.mjs';
import { useEnginePage } from './engine-page.mjs';

let page;
useEnginePage((opened) => ({ page } = opened));

/** Whatever a person sees of a run: its output and its error. */
const shown = (run) => JSON.stringify(run.events.filter((e) => e.event === 'output' || e.event === 'error'));

/** Rust's panic report and build paths never reach the page. */
function assertPlain(run) {
  const text = shown(run);
  assert.doesNotMatch(text, /panicked at|\.cargo|registry|\/src\/[\w/]+\.rs|RUST_BACKTRACE/, text);
}

/**
 * The next run of a tiny program, after the one that ran out: it works,
 * within `seconds`.
 */
async function nextRunIsQuick(seconds = 1) {
  const run = await runCode(page, 'print("still here")');
  assert.equal(run.output, 'still here\n', JSON.stringify(run.events));
  console.log(`the next run took ${run.wallSeconds.toFixed(2)} s`);
  assert.ok(run.wallSeconds < seconds, `the next run took ${run.wallSeconds.toFixed(2)} s`);
}

test('appending 10 MB bytearrays until memory runs out raises MemoryError, and the next run works within 1 s', { timeout: 120000 }, async () => {
  const run = await runCode(page, 'chunks = []\nwhile True:\n    chunks.append(bytearray(10_000_000))', { deadlineMs: 60000 });
  assert.notEqual(run.end, 'late', shown(run));
  const error = run.events.find((e) => e.event === 'error')?.error;
  assert.ok(error, shown(run));
  assert.equal(error.exc_type, 'MemoryError', shown(run));
  assert.match(error.message, /the program used all the memory the engine may use \(\d+ MB\)/);
  assertPlain(run);
  await nextRunIsQuick();
});

test('a MemoryError can be caught, and the program goes on', { timeout: 120000 }, async () => {
  const run = await runCode(
    page,
    ['chunks = []', 'try:', '    while True:', '        chunks.append(bytearray(10_000_000))', 'except MemoryError:', '    n = len(chunks)', '    chunks.clear()', '    print("caught after", n > 10)'].join('\n'),
    { deadlineMs: 60000 },
  );
  assert.equal(run.events.at(-1).status, 'ok', shown(run));
  assert.equal(run.output, 'caught after True\n');
  await nextRunIsQuick();
});

test('filling memory with small objects ends the engine with a plain message, and the next run works within 1 s', { timeout: 180000 }, async () => {
  const run = await runCode(page, 'items = []\nwhile True:\n    items.append("x" * 2000 + str(len(items)))', { deadlineMs: 120000 });
  assert.notEqual(run.end, 'late', shown(run));
  const error = run.events.find((e) => e.event === 'error')?.error;
  assert.ok(error, shown(run));
  assert.equal(error.exc_type, 'MemoryError', shown(run));
  assert.match(error.message, /the program used all the memory the engine may use \(\d+ MB\)/);
  assertPlain(run);
  // The engine died: the spare process takes over at once (the next run
  // ends 0.3–0.6 s later here, with or without both cores busy).
  await nextRunIsQuick();
});
