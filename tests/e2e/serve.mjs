// The static server of the end-to-end tests: serves the release build (dist/) on loopback
// under a sub-path, as a static host such as GitHub Pages would. Shared by the Chromium
// harness (./harness.mjs) and the Firefox one (../e2e-firefox/harness.mjs), so both
// engines load the app the same way.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = process.env.SAGABANK_DIST ?? path.join(ROOT, 'dist');
export const SCREENSHOTS = path.join(ROOT, 'target', 'screenshots');
/** The sub-path the app is served under, with leading and trailing slashes. */
export const BASE_PATH = '/sagabank/';

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  mobile: { width: 375, height: 740 },
};

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** What a static host such as GitHub Pages sends gzipped (never images, already compressed). */
const GZIP_TYPES = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.json', '.svg', '.txt']);

/**
 * Serves `dir` under `basePath` on 127.0.0.1 at a free port. Like a static host: no SPA
 * fallback, `/sagabank` redirects to `/sagabank/`, a folder serves its index.html, and
 * anything outside the sub-path is a 404. With `gzip: true`, text and wasm go out
 * gzipped (level 9) to a client that accepts it, as GitHub Pages does (scripts/lighthouse).
 * `port` 0 picks a free one.
 */
export async function serveDist({ dir = DIST, basePath = BASE_PATH, gzip = false, port = 0 } = {}) {
  if (!existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`${dir}/index.html not found: run \`trunk build --release\` first`);
  }
  const root = path.resolve(dir);
  const requests = [];
  // Compressed once per file and version, so a measured load does not wait on the server.
  const gzipped = new Map();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    requests.push(url.pathname);
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'cache-control': 'no-store', ...headers });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    if (url.pathname === basePath.slice(0, -1)) return send(301, '', { location: basePath + url.search });
    if (!url.pathname.startsWith(basePath)) return send(404, 'not found');
    let rel;
    try {
      rel = decodeURIComponent(url.pathname.slice(basePath.length));
    } catch {
      return send(400, 'bad request');
    }
    let file = path.resolve(root, rel);
    if (file !== root && !file.startsWith(root + path.sep)) return send(403, 'forbidden');
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        file = path.join(file, 'index.html');
        info = await stat(file);
      }
      let body = await readFile(file);
      const ext = path.extname(file).toLowerCase();
      const headers = { 'content-type': MIME[ext] ?? 'application/octet-stream' };
      if (gzip && GZIP_TYPES.has(ext)) {
        headers.vary = 'accept-encoding';
        if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
          const key = `${file}:${info.mtimeMs}:${info.size}`;
          if (!gzipped.has(key)) gzipped.set(key, gzipSync(body, { level: 9 }));
          body = gzipped.get(key);
          headers['content-encoding'] = 'gzip';
        }
      }
      send(200, req.method === 'HEAD' ? undefined : body, headers);
    } catch {
      send(404, 'not found');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: origin + basePath,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
