// @ts-check
// sw.js — the service worker: makes the playground cross-origin isolated on
// static hosts that cannot send COOP/COEP headers (it adds them to every
// same-origin response it serves, with the site's content security policy),
// and keeps the whole site for offline use after the first visit.
//
// scripts/site-pages.mjs stamps SITE below at build time: the build's version
// (a hash of every file), the files to keep, and the content security policy.
// A new build therefore changes this file's bytes, which is how the browser
// learns of it: it installs the new worker, which caches the new build whole
// before taking over, and the old build's cache is deleted. Between builds
// every file is served from the cache of one build, so the app, its wasm, the
// engine and its workers always match, online or not.

/**
 * The build's version, its files, and the content security policy (SITE is
 * null in www/ as it is, unbuilt: nothing is cached).
 * @typedef {{version: string, files: string[], csp?: string}} Site
 */
const SITE = /** @type {Site | null} */ (/* stamped by scripts/site-pages.mjs */ null);
/** This script runs as a service worker. */
const worker = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

const PREFIX = 'pyrace-';
const CACHE = SITE ? PREFIX + SITE.version : null;

worker.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      if (SITE && CACHE) {
        const cache = await caches.open(CACHE);
        // One by one rather than addAll: a file that fails (e.g. offline at
        // install) is fetched and cached on first use instead of failing the
        // whole install, which would leave the page without isolation.
        await Promise.allSettled(
          SITE.files.map(async (file) => {
            const response = await fetch(file, { cache: 'no-cache' });
            if (response.ok) await cache.put(file, unredirected(response));
          }),
        );
      }
      // Take over at once: on a first visit the page waits for a controlling
      // worker to reload itself isolated.
      await worker.skipWaiting();
    })(),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await worker.clients.claim();
    })(),
  );
});

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== worker.location.origin) return;
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(serve(request));
});

/** @param {Request} request */
async function serve(request) {
  // The query is ignored: embed.html takes its options there.
  const cache = CACHE ? await caches.open(CACHE) : null;
  let response = cache ? await cache.match(request, { ignoreSearch: true }) : undefined;
  if (!response) {
    response = await fetch(request);
    if (cache && response.ok && response.type === 'basic') await cache.put(request, unredirected(response.clone()));
  }
  return needsSiteHeaders(request) ? withSiteHeaders(response) : response;
}

/**
 * Whether a response must carry the site's headers: pages (isolation and
 * policy are a document's) and worker scripts (a worker of an isolated page
 * must be isolated too, and has its own policy). Everything else goes out as
 * the cache or the network gave it: the engine's module above all, whose
 * compiled code Chromium caches beside the cached response it was compiled
 * from, and never for a response the worker made up.
 * @param {Request} request
 */
function needsSiteHeaders(request) {
  return request.mode === 'navigate' || ['document', 'iframe', 'frame', 'worker', 'sharedworker'].includes(request.destination);
}

/**
 * A response that a host reached through a redirect (e.g. `app/index.html` →
 * `app/`) is stored as a plain one: the browser refuses a redirected response
 * to a navigation that the worker answers from the cache.
 * @param {Response} response
 */
function unredirected(response) {
  return response.redirected ? new Response(response.body, response) : response;
}

/** @param {Response} response */
function withSiteHeaders(response) {
  if (response.status === 0) return response; // opaque: headers cannot be changed
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  if (SITE?.csp) headers.set('Content-Security-Policy', SITE.csp);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
