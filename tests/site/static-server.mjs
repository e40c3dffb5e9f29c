// static-server.mjs — a plain static file server for the site tests, like an
// ordinary static host: files and index.html for directories, with content
// types, and nothing else — no COOP/COEP, no content security policy, no
// compression. Extra in-memory pages can be added (the test host pages).

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { join, normalize, extname } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** The headers that make a page cross-origin isolated (shared memory, 5 µs timers). */
export const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

/**
 * Serves `root` (or nothing, when null) plus `pages` ({ '/path': html }),
 * with `headers` added to every answer. Resolves with { url, close,
 * requests }: `requests` lists the path of every GET it answered, in order
 * (what crossed the network, whoever asked).
 */
export async function serveStatic(root, pages = {}, headers = {}) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (req.method === 'GET') requests.push(path);
    if (pages[path] !== undefined) {
      res.writeHead(200, { ...headers, 'content-type': TYPES['.html'], 'cache-control': 'no-cache' });
      res.end(pages[path]);
      return;
    }
    if (!root) return notFound(res);
    let file = normalize(join(root, path));
    if (!file.startsWith(normalize(root))) return notFound(res);
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        if (!path.endsWith('/')) {
          res.writeHead(301, { location: `${path}/` });
          res.end();
          return;
        }
        file = join(file, 'index.html');
        info = await stat(file);
      }
      const body = await readFile(file);
      res.writeHead(200, {
        ...headers,
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': body.length,
        'cache-control': 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      notFound(res);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

function notFound(res) {
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
}
