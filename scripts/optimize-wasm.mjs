// optimize-wasm.mjs — the engine module as shipped: wasm-opt (npm `binaryen`,
// pinned in package.json) with --strip-debug and --strip-producers, which drop
// the name section of debug names (5 MB that only a debugger or a symbolised
// crash report reads: the module cargo built, in the target directory, keeps
// them). No optimisation pass: measured on this module (docs/browser-engine.md,
// "Size and speed"), -O1 took 403 s for 3 % fewer bytes and no speed-up that
// stood out of the noise, -O3 6 min 42 s for about 14 %. wasm-opt runs as
// JavaScript, so its output is kept in CACHE_DIR under the hash of its input
// and settings: a build whose engine did not change reuses it.
//
// usage: node scripts/optimize-wasm.mjs IN.wasm OUT.wasm CACHE_DIR

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What rustc's wasm32-wasip1-threads output uses; wasm-opt must be told. */
const FEATURES = ['--enable-threads', '--enable-bulk-memory', '--enable-mutable-globals', '--enable-sign-ext', '--enable-nontrapping-float-to-int'];
const ARGS = [...FEATURES, '--strip-debug', '--strip-producers'];

const [input, output, cacheDir] = process.argv.slice(2);
if (!cacheDir) {
  console.error('usage: node scripts/optimize-wasm.mjs IN.wasm OUT.wasm CACHE_DIR');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wasmOpt = join(root, 'node_modules', '.bin', 'wasm-opt');
if (!existsSync(wasmOpt)) {
  console.error('optimize-wasm.mjs: wasm-opt missing: run npm ci');
  process.exit(1);
}
const version = execFileSync(wasmOpt, ['--version'], { encoding: 'utf8' }).trim();
const key = createHash('sha256').update(readFileSync(input)).update(JSON.stringify([version, ARGS])).digest('hex').slice(0, 32);
const cached = join(cacheDir, `${key}.wasm`);
if (!existsSync(cached)) {
  mkdirSync(cacheDir, { recursive: true });
  const started = Date.now();
  execFileSync(wasmOpt, [...ARGS, input, '-o', `${cached}.part`], { stdio: 'inherit' });
  renameSync(`${cached}.part`, cached);
  console.log(`wasm-opt: ${((Date.now() - started) / 1000).toFixed(0)} s (${version})`);
} else {
  console.log(`wasm-opt: reused ${cached}`);
}
copyFileSync(cached, output);
const mb = (path) => (statSync(path).size / 1e6).toFixed(2);
console.log(`engine module: ${mb(input)} MB built, ${mb(output)} MB shipped`);
