// sw-register.js — installs the service worker (sw.js) and, on a static host
// that sends no isolation headers, reloads the page once the worker controls
// it, so that the page comes back cross-origin isolated and threads work.
// A page embedded in another site's iframe cannot become isolated this way;
// the sessionStorage flag stops it from reloading more than once.

const RELOAD_FLAG = 'pyrace-isolation-reload';

export async function registerIsolationWorker() {
  if (!('serviceWorker' in navigator)) return;
  try {
    const registration = await navigator.serviceWorker.register(new URL('sw.js', import.meta.url));
    if (!registration) return; // blocked (e.g. by test automation)
    if (globalThis.crossOriginIsolated) {
      sessionStorage.removeItem(RELOAD_FLAG);
      return;
    }
    if (sessionStorage.getItem(RELOAD_FLAG)) return;
    const reload = () => {
      sessionStorage.setItem(RELOAD_FLAG, '1');
      location.reload();
    };
    if (navigator.serviceWorker.controller) reload();
    else {
      navigator.serviceWorker.addEventListener('controllerchange', reload, { once: true });
      // Already active but not controlling (e.g. after a hard reload).
      if (registration?.active && !navigator.serviceWorker.controller) await registration.update();
    }
  } catch (err) {
    console.warn('pyrace: service worker unavailable:', err);
  }
}
