// wasm-manifest.mjs — puts the engine module into dist/ under a name that
// carries its content hash (pyrace.<hash>.wasm: a host may cache it for good,
// see docs/hosting.md) and writes dist/engine.json for the browser host: that
// name, the limits of the shared memory the module imports (the page creates
// that memory before instantiating, and a WebAssembly.Module does not reveal
// import limits to JavaScript), the hash, and the engine's files. (The service
// worker caches the whole site from the list scripts/site-pages.mjs stamps
// into it.)
//
// usage: node scripts/wasm-manifest.mjs DIST_DIR WASM_PATH

import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';
import { sections, reader } from './wasm-sections.mjs';

const [dist, wasmPath] = process.argv.slice(2);
const bytes = readFileSync(wasmPath);
const version = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
const wasmName = `pyrace.${version}.wasm`;
writeFileSync(join(dist, wasmName), bytes);

/** Reads the limits of the imported memory from the module's import section. */
function importedMemoryLimits(wasm) {
  const imports = sections(wasm).find((s) => s.id === 2);
  if (!imports) throw new Error('the module imports nothing');
  const r = reader(imports.bytes);
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const module = r.name();
    const field = r.name();
    const kind = r.byte();
    if (kind === 0) r.u32(); // function: type index
    else if (kind === 1) { r.byte(); const f = r.byte(); r.u32(); if (f & 1) r.u32(); } // table
    else if (kind === 3) { r.at += 2; } // global: valtype + mutability
    else if (kind === 2) {
      const flags = r.byte();
      const initial = r.u32();
      const maximum = flags & 1 ? r.u32() : undefined;
      return { module, field, initial, maximum, shared: (flags & 2) !== 0 };
    } else throw new Error(`unknown import kind ${kind}`);
  }
  throw new Error('the module imports no memory');
}

function listFiles(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

const memory = importedMemoryLimits(bytes);
if (!memory.shared || memory.maximum === undefined) throw new Error('the engine must import a shared memory with a maximum');
const manifest = {
  wasm: wasmName,
  wasmBytes: bytes.length,
  version,
  memory: { initial: memory.initial, maximum: memory.maximum },
  // .gz and .br copies are for servers that send them as they are.
  files: listFiles(dist)
    .map((p) => relative(dist, p).split('\\').join('/'))
    .filter((p) => !/\.(gz|br)$/.test(p) && p !== 'engine.json')
    .sort(),
};
writeFileSync(join(dist, 'engine.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`engine.json: ${wasmName} ${bytes.length} bytes, memory ${memory.initial}..${memory.maximum} pages`);
