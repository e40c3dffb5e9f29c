// stdlib-files.mjs — puts the standard library's source files into dist/ for
// the browser engine to import on demand (www/stdlib-fs.js): each .py file
// of RustPython's Lib (the rustpython-pylib crate's, the one the engine
// freezes from) as dist/stdlib/<path>.<hash>.py, named by its content so that
// browsers keep it for good and a rebuild that leaves it unchanged leaves
// its URL unchanged too, and an index, dist/stdlib.<hash>.json, of every
// file's hash and size, which engine.json names. The frozen modules are
// listed too (a frozen package's submodules are looked for in its
// directory); the page never fetches them. Packages that cannot work in a
// browser (Tk, IDLE, pip's installer) are left out, and so are the modules
// of engine/frozen-stdlib.txt's [not served] section (they need a native
// module the engine lacks: a failed import of one costs no download).
//
// usage: node scripts/stdlib-files.mjs DIST_DIR   (after wasm-manifest.mjs)

import { readFileSync, writeFileSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { join, dirname, relative } from 'node:path';

const dist = process.argv[2];
/** Top-level packages of Lib that no browser can use. */
const LEFT_OUT = new Set(['idlelib', 'tkinter', 'turtledemo', 'ensurepip', 'venv', '__pycache__']);

/** Lib of the rustpython-pylib crate that Cargo.lock pins. */
function libDir() {
  const metadata = JSON.parse(
    execFileSync('cargo', ['metadata', '--format-version', '1', '--locked'], { maxBuffer: 1 << 28, encoding: 'utf8' }),
  );
  const pylib = metadata.packages.find((p) => p.name === 'rustpython-pylib');
  if (!pylib) throw new Error('rustpython-pylib is not in the dependency graph');
  return join(dirname(pylib.manifest_path), 'Lib');
}

/** @returns {string[]} the .py files under dir, relative to root */
function pythonFiles(root, dir = root) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return dir === root && LEFT_OUT.has(entry) ? [] : pythonFiles(root, path);
    return entry.endsWith('.py') ? [relative(root, path).split('\\').join('/')] : [];
  });
}

/** The names of one `[section]` of engine/frozen-stdlib.txt. */
function listSection(name) {
  const lines = readFileSync(new URL('../engine/frozen-stdlib.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.split('#')[0].trim());
  const start = lines.indexOf(`[${name}]`);
  if (start < 0) return [];
  const end = lines.findIndex((line, i) => i > start && line.startsWith('['));
  return lines.slice(start + 1, end < 0 ? undefined : end).filter(Boolean);
}

/** Whether a file of Lib belongs to one of `modules` (the module, or a package's files). */
const belongsTo = (path, modules) =>
  modules.some((name) => {
    const base = name.split('.').join('/');
    return path === `${base}.py` || path.startsWith(`${base}/`);
  });

const hash16 = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

const lib = libDir();
const notServed = listSection('not served');
const files = {};
let total = 0;
for (const path of pythonFiles(lib).sort()) {
  if (belongsTo(path, notServed)) continue;
  const bytes = readFileSync(join(lib, path));
  const hash = hash16(bytes);
  const target = join(dist, 'stdlib', path.replace(/\.py$/, `.${hash}.py`));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, bytes);
  files[path] = [hash, bytes.length];
  total += bytes.length;
}
const index = JSON.stringify({ root: 'stdlib/', files });
const indexName = `stdlib.${hash16(index)}.json`;
writeFileSync(join(dist, indexName), index + '\n');

const manifestPath = join(dist, 'engine.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
manifest.stdlib = indexName;
manifest.files = [...new Set([...manifest.files.filter((f) => !f.startsWith('stdlib')), indexName])].sort();
writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
console.log(`stdlib: ${Object.keys(files).length} files (${(total / 1e6).toFixed(1)} MB) under dist/stdlib/, index ${indexName}`);
