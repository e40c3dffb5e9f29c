// @ts-check
// embed-glue.js — the browser side of the embed mode (app/embed.html), which
// Rust reaches through glue.js: the embed's height, set and told to the page
// that frames it.

/** True when this page is inside another page's frame. */
export function isFramed() {
  try {
    return window.top !== window;
  } catch {
    return true; // reading window.top of a foreign page may throw
  }
}

/**
 * The origin that height messages go to: the one given in the embed's
 * options, else the framing page's as the browser reports it. null: none
 * known, so nothing is posted (never to '*').
 * @param {string} given  the origin named in the embed's options, or ''
 * @returns {string | null}
 */
function hostOrigin(given) {
  if (given) return given;
  const ancestors = location.ancestorOrigins;
  if (ancestors && ancestors.length > 0 && ancestors[0] !== 'null') return ancestors[0];
  try {
    return document.referrer ? new URL(document.referrer).origin : null;
  } catch {
    return null;
  }
}

/**
 * Sizes the embed: a fixed `height` (pixels, 0 for none) makes `root` that
 * tall and scroll inside; otherwise it grows with its content. In a frame,
 * the height is posted to the host page as { type: 'pyrace:height', height }
 * whenever it changes, so the host can size the iframe.
 * @param {HTMLElement} root
 * @param {number} height
 * @param {string} origin
 */
export function watchEmbedHeight(root, height, origin) {
  if (height > 0) {
    // Through the CSSOM: the content security policy forbids style attributes.
    root.style.height = `${height}px`;
    root.style.overflow = 'auto';
  }
  const target = isFramed() ? hostOrigin(origin) : null;
  if (!target || typeof ResizeObserver === 'undefined') return;
  let last = -1;
  const report = () => {
    const h = Math.ceil(height > 0 ? height : root.scrollHeight);
    if (h === last) return;
    last = h;
    window.parent.postMessage({ type: 'pyrace:height', height: h }, target);
  };
  new ResizeObserver(report).observe(root);
  report();
}

/**
 * `relative` resolved against this page: the absolute URLs of a snippet.
 * @param {string} relative
 */
export function absoluteUrl(relative) {
  return new URL(relative, location.href).href;
}
