// @ts-check
// ring.js — the wrap-around copy in and out of a byte ring: the output ring
// of a process (written by its instances, process-shared.js, read by the page in
// engine.js) and the kernel's pipes (kernel.js). Positions are running byte
// counts that wrap at 2^32, as the shared counters hold them; the ring's
// length must therefore be a power of two (so that it divides 2^32), and a
// copy is never longer than the ring.

/**
 * Copies `n` bytes out of `ring`, starting at running position `position`.
 * @param {Uint8Array} ring
 * @param {number} position
 * @param {number} n  at most ring.length
 * @returns {Uint8Array} a new array
 */
export function readRing(ring, position, n) {
  const bytes = new Uint8Array(n);
  const at = (position >>> 0) % ring.length;
  const first = Math.min(n, ring.length - at);
  bytes.set(ring.subarray(at, at + first), 0);
  bytes.set(ring.subarray(0, n - first), first);
  return bytes;
}

/**
 * Copies `bytes` into `ring`, starting at running position `position`.
 * @param {Uint8Array} ring
 * @param {number} position
 * @param {Uint8Array} bytes  at most ring.length of them
 */
export function writeRing(ring, position, bytes) {
  const at = (position >>> 0) % ring.length;
  const first = Math.min(bytes.length, ring.length - at);
  ring.set(bytes.subarray(0, first), at);
  ring.set(bytes.subarray(first), 0);
}
