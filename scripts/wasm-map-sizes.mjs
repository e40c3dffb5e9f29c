// wasm-map-sizes.mjs — what each crate puts in the engine module: its
// functions (the code section) and its constants (the data section), raw and
// brotli'd, read from the linker's map of the module (build with
// PYRACE_WASM_LINK_MAP=FILE scripts/build-web.sh) and the module as linked
// (the one in the target directory, which the map's offsets describe).
// Brotli is quality 9 with a 16 MB window over each crate's bytes on their
// own, so a crate's figure is what it costs on the wire give or take what it
// shares with the rest.
//
// usage: node scripts/wasm-map-sizes.mjs MAP MODULE.wasm [--top N]

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const [mapPath, wasmPath] = process.argv.slice(2);
if (!wasmPath) {
  console.error('usage: node scripts/wasm-map-sizes.mjs MAP MODULE.wasm [--top N]');
  process.exit(2);
}
const topAt = process.argv.indexOf('--top');
const top = topAt >= 0 ? Number(process.argv[topAt + 1]) : 15;
const wasm = readFileSync(wasmPath);

/**
 * The crate an input section comes from. LTO names each object after the
 * binary and then the crate (`pyrace-<hash>.<crate>-<hash>.….rcgu.o`); the
 * binary's own code carries only the binary's name; libc and the start-up
 * objects are named by their file.
 */
function crateOf(object) {
  const crates = [...object.matchAll(/([A-Za-z0-9_]+)-[0-9a-f]{16}\./g)].map((m) => m[1]);
  if (crates.length >= 2) return crates[1];
  if (crates.length === 1) return `${crates[0]} (the binary)`;
  if (object.includes('libc.a')) return 'wasi-libc';
  return basename(object);
}

// Lines are `Addr Off Size` and then, indented by depth, an output section
// (CODE, DATA and its .rodata, .data…), an input section (`object:(name)`)
// or a symbol of it.
/** @type {Map<string, Map<string, Buffer[]>>} group → crate → byte ranges */
const groups = new Map([['code', new Map()], ['data', new Map()]]);
let section = null;
for (const line of readFileSync(mapPath, 'utf8').split('\n')) {
  const m = line.match(/^\s*\S+\s+([0-9a-f]+)\s+([0-9a-f]+)( +)(.*)$/);
  if (!m) continue;
  const [, off, size, indent, what] = m;
  if (indent.length === 1) {
    section = what.trim();
    continue;
  }
  const at = what.indexOf(':(');
  if (at < 0 || indent.length > 12) continue;
  const group = section === 'CODE' ? 'code' : ['.rodata', '.data', '.tdata'].includes(section) ? 'data' : null;
  if (!group) continue;
  const crate = crateOf(what.slice(0, at));
  const start = parseInt(off, 16);
  const crates = groups.get(group);
  if (!crates.has(crate)) crates.set(crate, []);
  crates.get(crate).push(wasm.subarray(start, start + parseInt(size, 16)));
}

const brotli = (bytes) =>
  brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_LGWIN]: 24 } }).length;
const mb = (n) => `${(n / 1e6).toFixed(3)} MB`.padStart(10);
for (const [group, crates] of groups) {
  const rows = [...crates].map(([crate, parts]) => {
    const bytes = Buffer.concat(parts);
    return { crate, raw: bytes.length, br: brotli(bytes) };
  });
  rows.sort((a, b) => b.br - a.br);
  const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, br: t.br + r.br }), { raw: 0, br: 0 });
  console.log(`${group}: ${mb(total.raw)} raw ${mb(total.br)} brotli (sum over crates)`);
  const width = Math.max(...rows.slice(0, top).map((r) => r.crate.length));
  for (const r of rows.slice(0, top)) console.log(`  ${r.crate.padEnd(width)} ${mb(r.raw)} raw ${mb(r.br)} brotli`);
  const rest = rows.slice(top);
  if (rest.length) {
    const raw = rest.reduce((t, r) => t + r.raw, 0);
    const br = rest.reduce((t, r) => t + r.br, 0);
    console.log(`  ${`${rest.length} more`.padEnd(width)} ${mb(raw)} raw ${mb(br)} brotli`);
  }
}
