// ring.test.mjs — the wrap-around copy of www/ring.js (the output ring and
// the kernel's pipes): bytes come out as they went in across the ring's end
// and across the 2^32 wrap of the running positions.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readRing, writeRing } from '../../www/ring.js';

test('bytes written across the end of the ring read back in order', () => {
  const ring = new Uint8Array(16);
  const bytes = Uint8Array.from({ length: 10 }, (_, i) => i + 1);
  writeRing(ring, 12, bytes);
  assert.deepEqual([...ring.subarray(12)], [1, 2, 3, 4]);
  assert.deepEqual([...ring.subarray(0, 6)], [5, 6, 7, 8, 9, 10]);
  assert.deepEqual([...readRing(ring, 12, 10)], [...bytes]);
  // A whole ring's worth, from the middle.
  const full = Uint8Array.from({ length: 16 }, (_, i) => 100 + i);
  writeRing(ring, 7, full);
  assert.deepEqual([...readRing(ring, 7, 16)], [...full]);
  assert.equal(readRing(ring, 3, 0).length, 0);
});

test('positions are running counts: the 2^32 wrap (as Int32 counters hold it) lands in the same place', () => {
  const ring = new Uint8Array(1 << 10);
  const bytes = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
  const position = 2 ** 32 - 100; // 100 bytes before the counter wraps
  writeRing(ring, position, bytes);
  // Read back through the counter as an Int32Array stores it (negative) and as it wrapped.
  assert.deepEqual([...readRing(ring, position | 0, 300)], [...bytes]);
  assert.deepEqual([...readRing(ring, (position + 100) | 0, 200)], [...bytes.subarray(100)]);
  assert.equal(ring[(2 ** 32 - 100) % 1024], 0);
});
