// sw.js — the service worker: makes the playground cross-origin isolated on
// static hosts that cannot send COOP/COEP headers (it adds them to every
// same-origin response it serves), and keeps the engine for offline use.
//
// Caching: engine.json is fetched from the network when possible (it names
// the current engine build); everything else is served from the cache of
// that build's version, falling back to the network and filling the cache.
// Old versions' caches are deleted when a new engine is seen.

const PREFIX = 'pyrace-';
let currentVersion = null;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      try {
        const manifest = await (await fetch('engine.json', { cache: 'no-cache' })).json();
        const cache = await caches.open(PREFIX + manifest.version);
        await cache.addAll(['./', 'engine.json', ...manifest.files]);
        currentVersion = manifest.version;
      } catch {
        // Offline at install: nothing to precache; the fetch handler fills it later.
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(serve(request, url));
});

async function serve(request, url) {
  const isManifest = url.pathname.endsWith('/engine.json');
  let response;
  if (isManifest) {
    response = await networkThenCache(request);
  } else {
    const version = currentVersion ?? (await versionFromCache());
    const cache = version ? await caches.open(PREFIX + version) : null;
    response = (cache && (await cache.match(request, { ignoreSearch: true }))) ?? (await networkThenCache(request, cache));
  }
  return withIsolationHeaders(response);
}

async function networkThenCache(request, cache = null) {
  try {
    const response = await fetch(request);
    if (response.ok) {
      if (request.url.endsWith('/engine.json') || request.url.includes('/engine.json?')) {
        const manifest = await response.clone().json();
        await adoptVersion(manifest.version);
        cache = await caches.open(PREFIX + manifest.version);
      }
      if (cache) await cache.put(request, response.clone());
    }
    return response;
  } catch (err) {
    const cached = await caches.match(request, { ignoreSearch: true });
    if (cached) return cached;
    throw err;
  }
}

async function adoptVersion(version) {
  if (version === currentVersion) return;
  currentVersion = version;
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX) && name !== PREFIX + version) await caches.delete(name);
  }
}

async function versionFromCache() {
  const names = (await caches.keys()).filter((n) => n.startsWith(PREFIX));
  return names.length ? names[names.length - 1].slice(PREFIX.length) : null;
}

function withIsolationHeaders(response) {
  if (response.status === 0) return response; // opaque: headers cannot be changed
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
