// @ts-check
// svg-export.js — SVG made to leave the page: a chart of the page copied
// with its computed colours and fonts written into each element (a file, or
// an image drawn from it, has no stylesheet), an SVG document drawn as a PNG
// on a canvas, and the download of a file made here. The chart export
// (glue.js) and the result card (card.js) both go through it.

/** Properties the charts take from the page's CSS. */
const SVG_STYLE = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'opacity',
  'font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor', 'dominant-baseline', 'display'];

/**
 * A copy of `svg` with each element's computed style inlined and its classes dropped.
 * @param {SVGSVGElement} svg
 * @returns {SVGSVGElement}
 */
export function inlinedCopy(svg) {
  const clone = /** @type {SVGSVGElement} */ (svg.cloneNode(true));
  const from = [svg, ...svg.querySelectorAll('*')];
  const to = [clone, ...clone.querySelectorAll('*')];
  from.forEach((el, i) => {
    const style = getComputedStyle(el);
    to[i].setAttribute('style', SVG_STYLE.map((p) => `${p}:${style.getPropertyValue(p)}`).join(';'));
    to[i].removeAttribute('class');
  });
  return clone;
}

/**
 * The SVG document `text`, `width` × `height`, drawn as a PNG `scale` times that size.
 * @param {string} text
 * @param {number} width
 * @param {number} height
 * @param {number} scale
 * @returns {Promise<Blob>}
 */
export async function pngOf(text, width, height, scale) {
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil(height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('the browser could not draw the PNG');
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, width, height);
    return await new Promise((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the browser could not draw the PNG'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * Offers `blob` as a file download named `name`.
 * @param {string} name
 * @param {Blob} blob
 */
export function downloadBlob(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started by now; keep the URL a little in case it has not.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
