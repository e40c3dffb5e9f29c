// wasm-manifest.mjs — writes dist/engine.json for the browser host: where the
// engine module is, the limits of the shared memory it imports (the page
// creates that memory before instantiating, and a WebAssembly.Module does not
// reveal import limits to JavaScript), a content hash that versions the
// module's URL, and the engine's files. (The service worker caches the whole
// site from the list scripts/site-pages.mjs stamps into it.)
//
// usage: node scripts/wasm-manifest.mjs DIST_DIR WASM_NAME

import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';

const [dist, wasmName] = process.argv.slice(2);
const bytes = readFileSync(join(dist, wasmName));

/** Reads the limits of the imported memory from the module's import section. */
function importedMemoryLimits(wasm) {
  let at = 8; // magic + version
  const u32 = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = wasm[at++];
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return result;
    }
  };
  const name = () => {
    const len = u32();
    const s = new TextDecoder().decode(wasm.subarray(at, at + len));
    at += len;
    return s;
  };
  while (at < wasm.length) {
    const id = wasm[at++];
    const size = u32();
    const end = at + size;
    if (id === 2) {
      const count = u32();
      for (let i = 0; i < count; i++) {
        const module = name();
        const field = name();
        const kind = wasm[at++];
        if (kind === 0) u32(); // function: type index
        else if (kind === 1) { at++; const f = wasm[at++]; u32(); if (f & 1) u32(); } // table
        else if (kind === 3) { at += 2; } // global: valtype + mutability
        else if (kind === 2) {
          const flags = wasm[at++];
          const initial = u32();
          const maximum = flags & 1 ? u32() : undefined;
          return { module, field, initial, maximum, shared: (flags & 2) !== 0 };
        } else throw new Error(`unknown import kind ${kind}`);
      }
    }
    at = end;
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
  version: createHash('sha256').update(bytes).digest('hex').slice(0, 16),
  memory: { initial: memory.initial, maximum: memory.maximum },
  // .gz copies are for the dev server only.
  files: listFiles(dist)
    .map((p) => relative(dist, p).split('\\').join('/'))
    .filter((p) => !p.endsWith('.gz') && p !== 'engine.json')
    .sort(),
};
writeFileSync(join(dist, 'engine.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`engine.json: ${wasmName} ${bytes.length} bytes, memory ${memory.initial}..${memory.maximum} pages`);
