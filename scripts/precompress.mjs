// precompress.mjs — writes X.gz (gzip -9) and X.br (brotli, quality 11) next
// to every file X of the given paths that is worth compressing: the copies a
// static host (or pyrace-devserver) sends to browsers that accept them (see
// docs/hosting.md). Node's zlib does both: nothing to install. The site's
// one compression step: scripts/build-web.sh runs it once on the whole of
// dist/. A copy that is newer than its file is kept; with --cache DIR, every
// copy is also kept there under the hash of its file's content, so a build
// that did not change a file does not compress it again (brotli at quality
// 11 takes minutes on the engine module, which most builds do not change).
//
// usage: node scripts/precompress.mjs [--cache DIR] PATH...   (files, or directories walked whole)

import { readFileSync, writeFileSync, readdirSync, statSync, existsSync, mkdirSync, copyFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, extname } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

/**
 * Kinds of file that compress (wasm, text), and Pyodide's stdlib archive
 * (python_stdlib.zip: its entries are deflated, yet brotli still saves 2.5%);
 * images do not.
 */
const EXTENSIONS = new Set(['.wasm', '.js', '.mjs', '.css', '.html', '.json', '.svg', '.txt', '.md', '.py', '.zip']);
/** Kinds compressed in brotli's generic mode (the others are text). */
const BINARY = new Set(['.wasm', '.zip']);
/** Below this a compressed copy saves less than its own headers cost. */
const MIN_BYTES = 1024;

const args = process.argv.slice(2);
let cacheDir = null;
if (args[0] === '--cache') {
  cacheDir = args[1];
  args.splice(0, 2);
}

function filesUnder(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((entry) => filesUnder(join(path, entry)));
}

function fresh(copy, source) {
  return existsSync(copy) && statSync(copy).mtimeMs >= statSync(source).mtimeMs;
}

const gzip = (bytes) => gzipSync(bytes, { level: 9 });
const brotli = (bytes, file) =>
  brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      [constants.BROTLI_PARAM_MODE]: BINARY.has(extname(file)) ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
    },
  });

/** Writes `file + ext` from `compress`, through the cache if there is one. */
function writeCopy(file, bytes, ext, compress) {
  const copy = file + ext;
  if (fresh(copy, file)) return;
  if (!cacheDir) {
    writeFileSync(copy, compress(bytes, file));
    return;
  }
  mkdirSync(cacheDir, { recursive: true });
  const cached = join(cacheDir, createHash('sha256').update(bytes).digest('hex').slice(0, 32) + ext);
  if (!existsSync(cached)) writeFileSync(cached, compress(bytes, file));
  copyFileSync(cached, copy);
}

let raw = 0;
let gz = 0;
let br = 0;
for (const file of args.flatMap(filesUnder)) {
  if (!EXTENSIONS.has(extname(file)) || statSync(file).size < MIN_BYTES) continue;
  const bytes = readFileSync(file);
  writeCopy(file, bytes, '.gz', gzip);
  writeCopy(file, bytes, '.br', brotli);
  raw += bytes.length;
  gz += statSync(`${file}.gz`).size;
  br += statSync(`${file}.br`).size;
}
const mb = (n) => (n / 1e6).toFixed(2);
console.log(`precompressed: ${mb(raw)} MB → gzip ${mb(gz)} MB, brotli ${mb(br)} MB`);
