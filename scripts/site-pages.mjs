// site-pages.mjs — turns the site directory that scripts/build-web.sh
// assembles (the engines, the app in app/) into a site that works from any
// static host:
//
//   - app/embed.html: the same app and files, started in its compact embed
//     mode (the body's data-pyrace-mode attribute);
//   - every page gets the content security policy as a <meta> tag;
//   - embed.js: the blog script (www/embed-script.js with lz-string) bundled;
//   - sw.js: stamped with the build's version, its files and the policy, so
//     the service worker caches exactly this build for offline use.
//
// Idempotent. build-web.sh runs it once every part is in, before the
// compressed copies are made.
// usage: node scripts/site-pages.mjs SITE_DIR

import { existsSync, readFileSync, writeFileSync, readdirSync, statSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = process.argv[2] ?? join(root, 'dist');

/**
 * The site loads nothing it did not ship: scripts, styles, workers, frames
 * and requests all come from its own origin. 'wasm-unsafe-eval' lets the page
 * compile WebAssembly (the app and the engine) without allowing eval().
 * Styles may be inline: CodeMirror puts its base theme in a <style> element
 * it creates at run time, which only a per-response nonce could admit
 * otherwise, and a static host cannot make one. Scripts stay strict.
 * data:/blob: images are pictures the page makes itself (chart exports).
 * No frame-ancestors: embeds are meant to be framed by any site.
 * The dev server sends the same policy as a header (devserver/src/main.rs).
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

const written = new Set();

function write(path, text) {
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return;
  writeFileSync(path, text);
  written.add(path);
}

function listFiles(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** Puts the policy first after <meta charset> (or updates the one there). */
function withPolicy(html) {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${CSP}">`;
  const existing = html.match(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/);
  if (existing) return html.replace(existing[0], meta);
  const charset = html.match(/<meta charset=[^>]*>/i);
  if (!charset) throw new Error('a page without <meta charset>: the policy must come early in <head>');
  return html.replace(charset[0], `${charset[0]}\n  ${meta}`);
}

function appPages() {
  const appDir = join(dist, 'app');
  const index = join(appDir, 'index.html');
  const html = withPolicy(readFileSync(index, 'utf8'));
  write(index, html);
  // The embed is the same app in another mode: one build, shared files.
  let embed = html.replace(/<body>/, '<body data-pyrace-mode="embed">');
  embed = embed.replace(/<title>[^<]*<\/title>/, '<title>pyrace embed</title>');
  embed = embed.replace('Loading the playground…', 'Loading…');
  if (!embed.includes('data-pyrace-mode="embed"')) throw new Error('app/index.html has no plain <body> to mark as the embed');
  write(join(appDir, 'embed.html'), embed);
}

function otherPages() {
  for (const name of readdirSync(dist)) {
    if (name.endsWith('.html')) write(join(dist, name), withPolicy(readFileSync(join(dist, name), 'utf8')));
  }
}

function blogScript() {
  const source = join(root, 'www', 'embed-script.js');
  if (!existsSync(source)) return;
  const out = buildSync({
    entryPoints: [source],
    bundle: true,
    format: 'iife',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    write: false,
  });
  write(join(dist, 'embed.js'), out.outputFiles[0].text);
  // build-web.sh copies www/*.js as they are; this one only works bundled.
  rmSync(join(dist, 'embed-script.js'), { force: true });
}

/** Stamps the service worker with this build's version, files and policy. */
function serviceWorker() {
  const source = readFileSync(join(root, 'www', 'sw.js'), 'utf8');
  const marker = 'const SITE = /** @type {Site | null} */ (/* stamped by scripts/site-pages.mjs */ null);';
  if (!source.includes(marker)) throw new Error('www/sw.js lost its SITE marker');
  const files = listFiles(dist)
    .map((p) => relative(dist, p).split('\\').join('/'))
    // .gz/.br copies are for servers that send them; sw.js is the worker itself.
    .filter((p) => !/\.(gz|br)$/.test(p) && p !== 'sw.js')
    .sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update('\0').update(readFileSync(join(dist, file))).update('\0');
  const version = hash.digest('hex').slice(0, 16);
  // Directory URLs too: navigations ask for app/, not app/index.html.
  // The CPython engine (pyodide/, cpython/: about 6 MB) and the stdlib's
  // files that are not frozen (stdlib/: imported on demand) are left to be
  // cached on first use: a visitor never downloads what they never use.
  const onDemand = (p) => p.startsWith('pyodide/') || p.startsWith('cpython/') || p.startsWith('stdlib/');
  const urls = [...files.filter((p) => !onDemand(p)), './', 'app/'];
  const site = { version, csp: CSP, files: urls };
  write(join(dist, 'sw.js'), source.replace(marker, `const SITE = ${JSON.stringify(site)};`));
  return { version, count: files.length };
}

for (const part of ['engine.json', 'app/index.html']) {
  if (!existsSync(join(dist, part))) throw new Error(`site pages: ${dist} has no ${part}: scripts/build-web.sh builds the whole site`);
}
appPages();
otherPages();
blogScript();
const { version, count } = serviceWorker();
// A stale .gz or .br would be sent in place of the page just rewritten.
for (const path of written) for (const copy of ['.gz', '.br']) rmSync(path + copy, { force: true });
console.log(`site pages: ${count} files, version ${version}, policy: ${CSP}`);
