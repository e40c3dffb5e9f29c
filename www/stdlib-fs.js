// @ts-check
// stdlib-fs.js — the part of the standard library that is not frozen into
// the engine module, as a WASI directory whose files are downloaded when
// first read. The engine freezes what a session, the lessons and common
// snippets import (engine/frozen-stdlib.txt); every other module of
// RustPython's Lib is listed in the build's stdlib index
// (scripts/stdlib-files.mjs) and mounted at /stdlib, which is on the
// engine's sys.path (engine/src/browser_stdlib.rs). Python's path finder
// lists and stats these files without a download (the index has their
// sizes); opening one fetches it, synchronously — the engine is blocked in
// a WASI call, and a worker may wait for a request. Each file's URL carries
// its content hash, so the browser keeps it for good, and the service worker
// keeps every file once fetched, so an import that worked once works offline.

import { Directory, File, wasi as defs } from './vendor/browser_wasi_shim/index.js';

/**
 * The build's stdlib index: `files` maps a path under Lib (`email/utils.py`)
 * to its content hash and size; the file is served at `base` + that path
 * with the hash before its extension (`email/utils.<hash>.py`).
 * @typedef {{base: string, files: Record<string, [string, number]>}} StdlibIndex
 */

/** Where the engine finds the files (engine/src/browser_stdlib.rs). */
export const STDLIB_MOUNT = 'stdlib';

/**
 * Loads the index that engine.json names; an empty one where there is none
 * (www/ as it is, unbuilt: the frozen modules only).
 * @param {URL} base  the directory of engine.json
 * @param {string | undefined} name  the index's file name from engine.json
 * @returns {Promise<StdlibIndex>}
 */
export async function loadStdlibIndex(base, name) {
  if (!name) return { base: base.href, files: {} };
  const url = new URL(name, base);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
  const index = await response.json();
  return { base: new URL(index.root, base).href, files: index.files };
}

/** The URL of one file of the index. */
function fileUrl(/** @type {StdlibIndex} */ index, /** @type {string} */ path, /** @type {string} */ hash) {
  const dot = path.lastIndexOf('.');
  return new URL(`${path.slice(0, dot)}.${hash}${path.slice(dot)}`, index.base).href;
}

/** A read-only file that is downloaded the first time it is opened. */
class DownloadedFile extends File {
  /**
   * @param {string} url
   * @param {number} size  its size in the index: a stat needs no download
   */
  constructor(url, size) {
    super(new Uint8Array(), { readonly: true });
    this.url = url;
    this.byteSize = size;
    // `data` (the shim's bytes) stays empty until then: every read goes
    // through path_open below.
    this.downloaded = false;
  }

  get size() {
    return BigInt(this.downloaded ? this.data.byteLength : this.byteSize);
  }

  /**
   * @param {number} oflags
   * @param {bigint} rights
   * @param {number} fdflags
   */
  path_open(oflags, rights, fdflags) {
    if (!this.downloaded) {
      const bytes = download(this.url);
      // EIO: Python's import raises OSError naming the file (the console says why).
      if (!bytes) return /** @type {any} */ ({ ret: defs.ERRNO_IO, fd_obj: null });
      this.data = bytes;
      this.downloaded = true;
    }
    return super.path_open(oflags, rights, fdflags);
  }
}

/**
 * A blocking GET (workers may block; the engine waits in a WASI call).
 * @param {string} url
 * @returns {Uint8Array | null}  the body, or null when it could not be had
 */
function download(url) {
  const request = new XMLHttpRequest();
  request.open('GET', url, false);
  request.responseType = 'arraybuffer';
  try {
    request.send();
  } catch (err) {
    console.warn(`pyrace: could not download ${url} (offline, and not fetched before?)`, err);
    return null;
  }
  if (request.status !== 200) {
    console.warn(`pyrace: ${url}: HTTP ${request.status}`);
    return null;
  }
  return new Uint8Array(request.response);
}

/**
 * The index as a directory tree (built per engine instance: each WASI
 * instance has its own file table; the downloads are shared through the
 * browser's cache).
 * @param {StdlibIndex} index
 * @returns {Directory}
 */
export function stdlibDirectory(index) {
  /** @type {Map<string, any>} */
  const root = new Map();
  for (const [path, [hash, size]] of Object.entries(index.files)) {
    const parts = path.split('/');
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      let sub = dir.get(part);
      if (!sub) dir.set(part, (sub = new Map()));
      dir = sub;
    }
    dir.set(/** @type {string} */ (parts.at(-1)), new DownloadedFile(fileUrl(index, path, hash), size));
  }
  /** @param {Map<string, any>} entries @returns {Directory} */
  const build = (entries) =>
    new Directory(new Map([...entries].map(([name, entry]) => [name, entry instanceof Map ? build(entry) : entry])));
  return build(root);
}
