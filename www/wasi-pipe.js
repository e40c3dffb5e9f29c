// @ts-check
// wasi-pipe.js — the descriptor calls on pipes (numbered from the kernel's
// FD_BASE): fd_read, fd_write and fd_close go to the kernel (kernel.js),
// whose pipe table every thread of a process shares; seeking fails as on
// a pipe. Every other descriptor stays with the shim.

import { wasi as defs } from './vendor/browser_wasi_shim/index.js';

/** @typedef {{ [name: string]: (...args: any[]) => unknown }} ImportTable */

/**
 * Copies the iovecs' lengths and addresses out of memory.
 * @param {DataView} dv
 * @param {number} iovsPtr
 * @param {number} iovsLen
 * @returns {[number, number][]}  [address, length] of each
 */
function iovecs(dv, iovsPtr, iovsLen) {
  /** @type {[number, number][]} */
  const parts = [];
  for (let i = 0; i < iovsLen; i++) parts.push([dv.getUint32(iovsPtr + i * 8, true), dv.getUint32(iovsPtr + i * 8 + 4, true)]);
  return parts;
}

/**
 * Puts the pipe calls in front of the shim's in `imp`.
 * @param {ImportTable} imp  the shim's wasi_snapshot_preview1 imports, changed in place
 * @param {import('./kernel-client.js').KernelClient} procs  the kernel as this instance sees it
 * @param {WebAssembly.Memory} memory  the process's shared memory
 */
export function routePipes(imp, procs, memory) {
  const view = () => new DataView(memory.buffer);
  /**
   * @param {string} name
   * @param {(fd: number, ...rest: number[]) => number} pipe
   */
  const onPipe = (name, pipe) => {
    const other = imp[name];
    imp[name] = (fd, ...rest) => (procs.isPipeFd(fd) ? pipe(fd, ...rest) : other(fd, ...rest));
  };
  onPipe('fd_read', (fd, iovsPtr, iovsLen, nreadPtr) => {
    const parts = iovecs(view(), iovsPtr, iovsLen);
    const read = procs.read(fd, parts.reduce((size, [, len]) => size + len, 0));
    if (read.bytes === undefined) return read.errno;
    const bytes = read.bytes;
    const mem = new Uint8Array(memory.buffer);
    let done = 0;
    for (const [buf, len] of parts) {
      if (done >= bytes.length) break;
      const n = Math.min(len, bytes.length - done);
      mem.set(bytes.subarray(done, done + n), buf);
      done += n;
    }
    view().setUint32(nreadPtr, bytes.length, true);
    return defs.ERRNO_SUCCESS;
  });
  onPipe('fd_write', (fd, iovsPtr, iovsLen, nwrittenPtr) => {
    const parts = iovecs(view(), iovsPtr, iovsLen);
    const bytes = new Uint8Array(parts.reduce((size, [, len]) => size + len, 0));
    const mem = new Uint8Array(memory.buffer);
    let at = 0;
    for (const [buf, len] of parts) {
      bytes.set(mem.subarray(buf, buf + len), at);
      at += len;
    }
    const written = procs.write(fd, bytes);
    if (written.n === undefined) return written.errno;
    view().setUint32(nwrittenPtr, written.n, true);
    return defs.ERRNO_SUCCESS;
  });
  onPipe('fd_close', (fd) => procs.close(fd));
  onPipe('fd_seek', () => defs.ERRNO_SPIPE);
  onPipe('fd_tell', () => defs.ERRNO_SPIPE);
  onPipe('fd_fdstat_set_flags', () => defs.ERRNO_SUCCESS);
  // A pipe's type is "unknown", as WASI runtimes report pipes: a character
  // device without seek rights would read as a tty.
  onPipe('fd_fdstat_get', (fd, ptr) => {
    const fdstat = new defs.Fdstat(defs.FILETYPE_UNKNOWN, 0);
    fdstat.fs_rights_base = BigInt(defs.RIGHTS_FD_READ | defs.RIGHTS_FD_WRITE | defs.RIGHTS_POLL_FD_READWRITE);
    fdstat.write_bytes(view(), ptr);
    return defs.ERRNO_SUCCESS;
  });
  onPipe('fd_filestat_get', (fd, ptr) => {
    new defs.Filestat(BigInt(fd), defs.FILETYPE_UNKNOWN, 0n).write_bytes(view(), ptr);
    return defs.ERRNO_SUCCESS;
  });
}
