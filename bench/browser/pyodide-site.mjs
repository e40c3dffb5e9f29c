// pyodide-site.mjs — a page that runs Pyodide (npm `pyodide`, pinned in
// package.json) the way bench.mjs runs pyrace's engine.html, for side-by-side
// figures: Pyodide's files copied into a temporary directory with gzip and
// brotli copies (scripts/precompress.mjs, as a CDN would compress them),
// served by the same pyrace-devserver. `?run=CODE` runs CODE once Pyodide
// is loaded; window.bench.firstOutputAt is when its first output came
// (performance.now(), from navigation).

import { copyFileSync, mkdtempSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../tests/browser/harness.mjs';

/** What loadPyodide fetches for a program that imports no packages. */
const FILES = ['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json'];

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pyodide (bench)</title>
<script type="module" src="./page.js"></script></head><body></body></html>
`;

const SCRIPT = `// page.js — loads Pyodide, runs ?run=CODE, records when the first output came.
import { loadPyodide } from './pyodide.mjs';
const state = { firstOutputAt: null, output: '' };
window.bench = state;
const code = new URLSearchParams(location.search).get('run');
state.ready = loadPyodide({
  indexURL: new URL('./', location.href).href,
  stdout: (line) => {
    if (state.firstOutputAt === null) state.firstOutputAt = performance.now();
    state.output += line + '\\n';
  },
});
state.runCode = async (source) => (await state.ready).runPython(source);
state.autorun = code === null ? Promise.resolve() : state.runCode(code);
`;

/** Writes the site; returns its directory, or null when the package is not installed. */
export function pyodideSite() {
  const from = join(repoRoot, 'node_modules', 'pyodide');
  if (!existsSync(join(from, 'pyodide.asm.wasm'))) return null;
  const dir = mkdtempSync(join(tmpdir(), 'pyrace-bench-pyodide-'));
  for (const file of FILES) copyFileSync(join(from, file), join(dir, file));
  writeFileSync(join(dir, 'index.html'), PAGE);
  writeFileSync(join(dir, 'page.js'), SCRIPT);
  execFileSync('node', [join(repoRoot, 'scripts/precompress.mjs'), dir], { stdio: 'ignore' });
  return dir;
}

/** Pyodide's version, as its package says. */
export function pyodideVersion() {
  return JSON.parse(readFileSync(join(repoRoot, 'node_modules/pyodide/package.json'), 'utf8')).version;
}
