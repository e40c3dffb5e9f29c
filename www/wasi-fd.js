// @ts-check
// wasi-fd.js — the descriptors an engine instance starts with: stdin (the
// request's bytes, or the mailbox a runner started ahead reads it from),
// stdout and stderr going to the sinks given (not ttys: no ANSI colour in
// tracebacks), and the root directory with /tmp and /stdlib.

import { Fd, Inode, File, OpenFile, PreopenDirectory, Directory, wasi as defs } from './vendor/browser_wasi_shim/index.js';
import { MAILBOX, MAILBOX_STATE } from './process-shared.js';
import { stdlibDirectory, STDLIB_MOUNT } from './stdlib-fs.js';

/** fd 0 of a pre-started runner: reads block until the page has written the request. */
export class MailboxStdin extends Fd {
  /**
   * @param {SharedArrayBuffer} buffer  the mailbox
   * @param {() => void} beforeBlock  called before a read waits
   */
  constructor(buffer, beforeBlock) {
    super();
    this.header = new Int32Array(buffer, 0, MAILBOX.HEADER_BYTES / 4);
    this.data = new Uint8Array(buffer, MAILBOX.HEADER_BYTES);
    this.offset = 0;
    this.ended = false;
    this.beforeBlock = beforeBlock;
  }
  /** @param {number} size */
  fd_read(size) {
    const h = this.header;
    while (!this.ended && Atomics.load(h, MAILBOX.STATE) !== MAILBOX_STATE.FULL) {
      this.beforeBlock();
      Atomics.store(h, MAILBOX.WAITING, 1);
      Atomics.wait(h, MAILBOX.STATE, MAILBOX_STATE.EMPTY);
    }
    if (this.ended) return { ret: 0, data: new Uint8Array() };
    const length = Atomics.load(h, MAILBOX.LENGTH);
    const n = Math.min(size, length - this.offset);
    const data = this.data.slice(this.offset, this.offset + n);
    this.offset += n;
    if (this.offset >= length) {
      this.offset = 0;
      this.ended = Atomics.load(h, MAILBOX.LAST) === 1;
      Atomics.store(h, MAILBOX.STATE, MAILBOX_STATE.EMPTY);
      Atomics.notify(h, MAILBOX.STATE);
    }
    return { ret: 0, data };
  }
  fd_fdstat_get() {
    return { ret: 0, fdstat: new defs.Fdstat(defs.FILETYPE_CHARACTER_DEVICE, 0) };
  }
  fd_filestat_get() {
    return { ret: 0, filestat: new defs.Filestat(0n, defs.FILETYPE_CHARACTER_DEVICE, 0n) };
  }
}

/** An fd whose writes go to a callback: stdout/stderr. Not a tty. */
class SinkFd extends Fd {
  /** @param {(bytes: Uint8Array) => void} sink */
  constructor(sink) {
    super();
    this.ino = Inode.issue_ino();
    this.sink = sink;
  }
  /** @param {Uint8Array} data */
  fd_write(data) {
    this.sink(data);
    return { ret: 0, nwritten: data.byteLength };
  }
  fd_fdstat_get() {
    // wasi-libc's isatty() is "fdstat says character device without seek
    // rights"; saying regular file here keeps tracebacks free of colour codes.
    const fdstat = new defs.Fdstat(defs.FILETYPE_REGULAR_FILE, 0);
    fdstat.fs_rights_base = BigInt(defs.RIGHTS_FD_WRITE);
    return { ret: 0, fdstat };
  }
  fd_filestat_get() {
    // Python's io stack fstat()s its standard streams at start-up; a
    // character device is a stream that cannot seek.
    return { ret: 0, filestat: new defs.Filestat(this.ino, defs.FILETYPE_CHARACTER_DEVICE, 0n) };
  }
}

/**
 * The root directory: /tmp, and /stdlib where the build has one.
 * @param {import('./stdlib-fs.js').StdlibIndex | undefined} stdlib
 * @returns {Map<string, Inode>}
 */
function rootEntries(stdlib) {
  /** @type {Map<string, Inode>} */
  const root = new Map([['tmp', new Directory(new Map())]]);
  if (stdlib) root.set(STDLIB_MOUNT, stdlibDirectory(stdlib));
  return root;
}

/**
 * fd 0 to 3: stdin, stdout, stderr and the preopened root.
 * @param {object} options
 * @param {Uint8Array} [options.stdin]  bytes of fd 0
 * @param {(bytes: Uint8Array) => void} options.stdout  takes a Uint8Array (copy it to keep it)
 * @param {(bytes: Uint8Array) => void} options.stderr  likewise
 * @param {import('./stdlib-fs.js').StdlibIndex} [options.stdlib]  the stdlib's files that are not frozen
 * @returns {Fd[]}
 */
export function standardFds({ stdin, stdout, stderr, stdlib }) {
  return [
    new OpenFile(new File(stdin ?? new Uint8Array())),
    new SinkFd(stdout),
    new SinkFd(stderr),
    new PreopenDirectory('/', rootEntries(stdlib)),
  ];
}
