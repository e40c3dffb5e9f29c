// crash.test.mjs — what a person is told when an engine instance dies
// (www/crash.js): out of memory told apart, never a panic's text or a
// path of the machine the engine was built on.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineFailure } from '../../www/crash.js';

const PANIC = "thread 'main' (1) panicked at /home/builder/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/stacker-0.1.25/src/alloc_stack_restore_guard.rs:24:9:\nunable to allocate stack";
const GIB = 2 ** 30;

test('an engine whose memory is at its maximum ran out of memory', () => {
  const failure = engineFailure({ crash: 'RuntimeError: unreachable', stderr: '', memoryBytes: GIB - 5e6, maxBytes: GIB });
  assert.deepEqual(failure, {
    exc_type: 'MemoryError',
    message: 'the program used all the memory the engine may use (1024 MB); the engine restarted',
  });
});

test("the allocator's own words count as running out, wherever the memory stands", () => {
  for (const stderr of [PANIC, 'memory allocation of 1048576 bytes failed', 'pyrace: internal error in the engine: capacity overflow']) {
    assert.equal(engineFailure({ crash: 'RuntimeError: unreachable', stderr, memoryBytes: 100e6, maxBytes: GIB }).exc_type, 'MemoryError', stderr);
  }
});

test('a stack overflow says so', () => {
  const failure = engineFailure({ crash: 'RangeError: Maximum call stack size exceeded', stderr: '', memoryBytes: 100e6, maxBytes: GIB });
  assert.equal(failure.exc_type, 'EngineCrash');
  assert.match(failure.message, /deeper than the engine's stack allows; the engine restarted/);
});

test('another crash is an internal error, in plain words', () => {
  const failure = engineFailure({ crash: 'RuntimeError: unreachable', stderr: "thread 'main' panicked at /src/engine/src/session.rs:1:1:\nboom", memoryBytes: 100e6, maxBytes: GIB });
  assert.equal(failure.exc_type, 'EngineCrash');
  assert.doesNotMatch(JSON.stringify(failure), /panicked|\.rs|\/src\/|unreachable|boom/);
  assert.deepEqual(engineFailure({ code: 3 }), { exc_type: 'EngineExit', message: 'the engine exited with code 3 and restarted' });
});
