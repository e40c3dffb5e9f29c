// precompress.mjs — writes X.gz (gzip -9) and X.br (brotli, quality 11) next
// to every file X of the given paths that is worth compressing: the copies a
// static host (or pyrace-devserver) sends to browsers that accept them (see
// docs/hosting.md). Node's zlib does both: nothing to install. A copy that is
// newer than its file is kept, so running this again costs nothing.
//
// usage: node scripts/precompress.mjs PATH...   (files, or directories walked whole)

import { readFileSync, writeFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, extname } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

/** Kinds of file that compress (wasm, text); images and archives do not. */
const EXTENSIONS = new Set(['.wasm', '.js', '.mjs', '.css', '.html', '.json', '.svg', '.txt', '.md']);
/** Below this a compressed copy saves less than its own headers cost. */
const MIN_BYTES = 1024;

function filesUnder(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((entry) => filesUnder(join(path, entry)));
}

function fresh(copy, source) {
  return existsSync(copy) && statSync(copy).mtimeMs >= statSync(source).mtimeMs;
}

let raw = 0;
let gz = 0;
let br = 0;
for (const file of process.argv.slice(2).flatMap(filesUnder)) {
  if (!EXTENSIONS.has(extname(file)) || statSync(file).size < MIN_BYTES) continue;
  const bytes = readFileSync(file);
  if (!fresh(`${file}.gz`, file)) writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
  if (!fresh(`${file}.br`, file)) {
    writeFileSync(`${file}.br`, brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        [constants.BROTLI_PARAM_MODE]: extname(file) === '.wasm' ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
      },
    }));
  }
  raw += bytes.length;
  gz += statSync(`${file}.gz`).size;
  br += statSync(`${file}.br`).size;
}
const mb = (n) => (n / 1e6).toFixed(2);
console.log(`precompressed: ${mb(raw)} MB → gzip ${mb(gz)} MB, brotli ${mb(br)} MB`);
