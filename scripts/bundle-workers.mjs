// bundle-workers.mjs — bundles the engine's scripts in dist/ with esbuild so
// that starting a process costs one request per worker instead of one per
// module (a process is a runner and up to 8 thread workers, each of which
// would otherwise load its ten modules): runner.js and thread.js become
// runner.<hash>.js and thread.<hash>.js, named by their content so that a
// browser keeps them for good and starts every later worker from its cache,
// and engine.js (the page's side, whose URL the app and engine.html name)
// is bundled in place. engine.json tells engine.js the workers' names.
// The unbundled modules stay in dist/ for anything else that imports them.
//
// usage: node scripts/bundle-workers.mjs DIST_DIR   (after wasm-manifest.mjs)

import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

const dist = process.argv[2];

function bundle(entry) {
  const out = buildSync({
    entryPoints: [entry],
    // Paths in the bundle's comments are then dist/'s own, not this machine's.
    absWorkingDir: resolve(dist),
    bundle: true,
    format: 'esm',
    // Readable in a stack trace; brotli takes most of what minifying would.
    minify: false,
    legalComments: 'eof',
    logLevel: 'warning',
    write: false,
  });
  return out.outputFiles[0].text;
}

const workers = {};
for (const name of ['runner', 'thread']) {
  const text = bundle(`${name}.js`);
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  workers[name] = `${name}.${hash}.js`;
  writeFileSync(join(dist, workers[name]), text);
}
writeFileSync(join(dist, 'engine.js'), bundle('engine.js'));

const manifestPath = join(dist, 'engine.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
manifest.workers = workers;
manifest.files = [...new Set([...manifest.files, ...Object.values(workers)])].sort();
writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
console.log(`workers bundled: ${Object.values(workers).join(', ')}, engine.js`);
