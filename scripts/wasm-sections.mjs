// wasm-sections.mjs — reads a WebAssembly module's sections: where its bytes
// go (code, data, the name section of debug names, …) for bench/browser, and
// the import section for scripts/wasm-manifest.mjs.

import { brotliCompressSync, constants } from 'node:zlib';

const SECTION_NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'];

/** A cursor over `bytes`: LEB128 unsigned integers, names, single bytes. */
export function reader(bytes, at = 0) {
  const r = {
    at,
    u32() {
      let result = 0;
      let shift = 0;
      for (;;) {
        const b = bytes[r.at++];
        result += (b & 0x7f) * 2 ** shift;
        shift += 7;
        if ((b & 0x80) === 0) return result;
      }
    },
    byte: () => bytes[r.at++],
    name() {
      const len = r.u32();
      const s = new TextDecoder().decode(bytes.subarray(r.at, r.at + len));
      r.at += len;
      return s;
    },
  };
  return r;
}

/** [{ id, name, bytes }] in file order; custom sections by their own name (`name`, `producers`, …). */
export function sections(wasm) {
  const r = reader(wasm, 8); // after magic + version
  const out = [];
  while (r.at < wasm.length) {
    const id = r.byte();
    const size = r.u32();
    const start = r.at;
    let name = SECTION_NAMES[id] ?? `section ${id}`;
    if (id === 0) name = `custom "${r.name()}"`;
    out.push({ id, name, bytes: wasm.subarray(start, start + size) });
    r.at = start + size;
  }
  return out;
}

/** Brotli at quality 9 (quality 11, which the build uses, takes minutes on a code section). */
export function brotliSize(bytes) {
  return brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  }).length;
}

/** The sections that matter for size (over 1 % of the module), with their brotli size. */
export function sectionTable(wasm) {
  return sections(wasm)
    .filter((s) => s.bytes.length > wasm.length / 100)
    .map((s) => ({ name: s.name, raw: s.bytes.length, brotli: brotliSize(s.bytes) }));
}
