// @ts-check
// sw-register.js — installs the service worker (sw.js) and, on a static host
// that sends no isolation headers, reloads the page once the worker controls
// it, so that the page comes back cross-origin isolated and threads work.
// A page embedded in another site's iframe cannot become isolated this way;
// the sessionStorage flag stops it from reloading more than once.
// While a reload is coming, the page should load nothing large: the worker's
// install is downloading the whole site (the engine module too) into its
// cache, and the reloaded page gets it from there.

const RELOAD_FLAG = 'pyrace-isolation-reload';

/**
 * Registers the worker. Resolves with null when the page stays as it is, or,
 * when it is about to reload under the worker, with a promise that resolves
 * only if that reload is abandoned (the worker failed to install): the page
 * waits on it before loading the engine.
 */
export async function registerIsolationWorker() {
  if (!('serviceWorker' in navigator)) return null;
  try {
    const registration = await navigator.serviceWorker.register(new URL('sw.js', import.meta.url));
    if (!registration) return null; // blocked (e.g. by test automation)
    if (globalThis.crossOriginIsolated) {
      sessionStorage.removeItem(RELOAD_FLAG);
      return null;
    }
    if (sessionStorage.getItem(RELOAD_FLAG)) return null;
    const reload = () => {
      sessionStorage.setItem(RELOAD_FLAG, '1');
      location.reload();
    };
    if (navigator.serviceWorker.controller) {
      reload();
      return new Promise(() => {}); // the page reloads: nothing after this runs
    }
    navigator.serviceWorker.addEventListener('controllerchange', reload, { once: true });
    const installing = registration.installing ?? registration.waiting;
    // Already active but not controlling (e.g. after a hard reload).
    if (!installing && registration.active) await registration.update();
    /** @type {Promise<void>} */
    const abandoned = new Promise((resolve) => {
      installing?.addEventListener('statechange', () => {
        if (installing.state === 'redundant') resolve();
      });
    });
    return installing ? abandoned : null;
  } catch (err) {
    console.warn('pyrace: service worker unavailable:', err);
    return null;
  }
}
