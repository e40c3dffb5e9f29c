// app-page.mjs — assembles the web app's directory from what
// scripts/build-app.sh built: wasm-bindgen's module and its JS, the style
// sheet, and the page.
//
//   - pyrace-app-<hash>.js and pyrace-app-<hash>_bg.wasm: wasm-bindgen's
//     output, renamed by the hash of both (they belong together); the JS is
//     minified with --minify;
//   - app-<hash>.css: www/app/app.css, renamed by its hash;
//   - start.js: the start-up script (a file, so that the content security
//     policy admits no inline script), which loads the module;
//   - index.html: www/app/index.html with the style sheet, a modulepreload
//     of the JS, a preload of the wasm and start.js linked at the end of
//     <head>, so the browser fetches all of them at once.
//
// A hashed name never changes content, so hosts and the dev server let
// browsers keep it for good (devserver/src/cache_policy.rs); the page and
// start.js, unhashed, are revalidated. glue.js (esbuild's bundle of
// www/app/glue.js, imported by wasm-bindgen's JS as ./glue.js) is already in
// OUT_DIR and is left as it is.
//
// usage: node scripts/app-page.mjs --bindgen DIR --out OUT_DIR [--minify]

import { readFileSync, writeFileSync, copyFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { transformSync } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** wasm-bindgen's --out-name: the app's binary in Cargo.toml. */
const NAME = 'pyrace-app';
/** Hex digits of a content hash in a file name (the dev server's cache rule needs 16). */
const HASH_DIGITS = 16;

const { values } = parseArgs({
  options: {
    bindgen: { type: 'string' },
    out: { type: 'string' },
    minify: { type: 'boolean', default: false },
  },
});
if (!values.bindgen || !values.out) {
  console.error('usage: node scripts/app-page.mjs --bindgen DIR --out OUT_DIR [--minify]');
  process.exit(2);
}
const out = values.out;

/** The first HASH_DIGITS hex digits of the SHA-256 of `parts`. */
function hashOf(...parts) {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex').slice(0, HASH_DIGITS);
}

const bindgenJs = join(values.bindgen, `${NAME}.js`);
const bindgenWasm = join(values.bindgen, `${NAME}_bg.wasm`);
for (const file of [bindgenJs, bindgenWasm, join(out, 'glue.js')]) {
  if (!existsSync(file)) throw new Error(`app-page.mjs: ${file} is missing (scripts/build-app.sh builds it)`);
}

let js = readFileSync(bindgenJs, 'utf8');
if (values.minify) {
  // Imports (./glue.js) and import.meta.url stay as they are: no bundling.
  js = transformSync(js, { format: 'esm', minify: true, legalComments: 'none', logLevel: 'warning' }).code;
}
const wasm = readFileSync(bindgenWasm);
const base = `${NAME}-${hashOf(js, wasm)}`;
const jsName = `${base}.js`;
const wasmName = `${base}_bg.wasm`;
writeFileSync(join(out, jsName), js);
writeFileSync(join(out, wasmName), wasm);

const cssSource = join(root, 'www', 'app', 'app.css');
const cssName = `app-${hashOf(readFileSync(cssSource))}.css`;
copyFileSync(cssSource, join(out, cssName));

writeFileSync(
  join(out, 'start.js'),
  `// start.js — starts the app: loads wasm-bindgen's JS and instantiates the app's module (written by scripts/app-page.mjs).
import init from './${jsName}';
await init({ module_or_path: './${wasmName}' });
`,
);

// crossorigin="anonymous" makes the preloads match the requests that
// start.js makes (module scripts and fetch() are CORS requests), so the
// browser uses them instead of fetching twice.
const head = [
  `<link rel="stylesheet" href="./${cssName}">`,
  `<link rel="modulepreload" href="./${jsName}" crossorigin="anonymous">`,
  `<link rel="preload" href="./${wasmName}" crossorigin="anonymous" as="fetch" type="application/wasm">`,
  '<script type="module" src="./start.js"></script>',
];
const template = readFileSync(join(root, 'www', 'app', 'index.html'), 'utf8');
if (!template.includes('</head>')) throw new Error('www/app/index.html has no </head>');
writeFileSync(
  join(out, 'index.html'),
  template.replace('</head>', `${head.map((tag) => `  ${tag}\n`).join('')}</head>`),
);
console.log(`app page: ${jsName}, ${wasmName} (${(wasm.length / 1e6).toFixed(2)} MB), ${cssName}, start.js`);
