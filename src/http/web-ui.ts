import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, MiddlewareHandler } from 'hono';

/**
 * Serves the built web UI (web/dist) at /. Files under /assets/ carry a
 * content hash in their name, so they are cached for a year; index.html is
 * revalidated on every load (ETag), so a deploy is picked up at once. Any
 * other GET that wants HTML and names no file gets index.html: the UI routes
 * on the client (/history, /jobs/j1, /admin/...). API paths are never
 * answered here, and a request this handler does not serve falls through to
 * the next handler (the API's 404).
 */
export interface WebUiOptions {
  /** Folder holding index.html and assets/; default web/dist of this checkout. */
  readonly distDir?: string;
}

export const defaultDistDir = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

/** Paths that belong to the API and its docs: never shadowed by the UI, never answered with index.html. */
const API_PREFIXES = ['/v1/', '/docs', '/openapi.json', '/healthz', '/livez', '/readyz', '/metrics'];

/** No script or style from elsewhere, no inline script, no framing: the UI needs nothing more. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const MAX_CACHED_FILES = 200;
const MAX_PATH_LENGTH = 512;

interface CachedFile {
  readonly body: Uint8Array<ArrayBuffer>;
  readonly etag: string;
  readonly mtimeMs: number;
}

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Connects</title></head>
<body><h1>Connects</h1><p>The web UI is not built. Run <code>npm run build:web</code> and reload.
The API is running: see <a href="/docs">/docs</a>.</p></body></html>`;

export function webUi(options: WebUiOptions = {}): MiddlewareHandler {
  const root = resolve(options.distDir ?? defaultDistDir);
  const cache = new Map<string, CachedFile>();

  async function load(relative: string): Promise<CachedFile | undefined> {
    const file = resolve(join(root, normalize(relative)));
    // A path that escapes the folder (../, encoded or not) is simply not a UI file.
    if (file !== root && !file.startsWith(root + sep)) return undefined;
    let info;
    try {
      info = await stat(file);
    } catch {
      return undefined;
    }
    if (!info.isFile()) return undefined;
    const cached = cache.get(file);
    // A rebuild while the server runs replaces files; the mtime tells.
    if (cached !== undefined && cached.mtimeMs === info.mtimeMs) return cached;
    const body = new Uint8Array(await readFile(file));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    const entry = { body, etag, mtimeMs: info.mtimeMs };
    if (cache.size >= MAX_CACHED_FILES) cache.clear();
    cache.set(file, entry);
    return entry;
  }

  return async (c, next) => {
    const method = c.req.method;
    const path = c.req.path;
    // An empty segment (//v1/...) is no UI route; a proxy may read it as an API path, so it is the API's 404.
    if ((method !== 'GET' && method !== 'HEAD') || path.length > MAX_PATH_LENGTH || path.includes('//')) {
      return next();
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return next();
    }
    if (decoded.includes('\0') || decoded.includes('//') || isApiPath(path) || isApiPath(decoded))
      return next();
    const isIndex = decoded === '/' || decoded === '/index.html';
    const asset = isIndex ? undefined : await load(decoded.slice(1));
    if (asset !== undefined) return send(c, asset, decoded, false);
    // Client-side routes: an HTML navigation to a path with no file extension.
    if (!isIndex && (extname(decoded) !== '' || !wantsHtml(c))) return next();
    const index = await load('index.html');
    if (index === undefined) return c.html(NOT_BUILT_PAGE, 503, { 'Cache-Control': 'no-store' });
    return send(c, index, '/index.html', true);
  };
}

function isApiPath(path: string): boolean {
  return API_PREFIXES.some((prefix) => path === prefix.replace(/\/$/, '') || path.startsWith(prefix));
}

function wantsHtml(c: Context): boolean {
  const accept = c.req.header('accept') ?? '';
  return accept === '' || accept.includes('text/html') || accept.includes('*/*');
}

function send(c: Context, file: CachedFile, path: string, isIndex: boolean): Response {
  const type = contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';
  const headers: Record<string, string> = {
    'Content-Type': type,
    ETag: file.etag,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    // Hashed build output never changes under its name; everything else is revalidated.
    'Cache-Control': path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
  if (isIndex || type.startsWith('text/html')) {
    headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
    headers['X-Frame-Options'] = 'DENY';
  }
  if (c.req.header('if-none-match') === file.etag) return c.body(null, 304, headers);
  if (c.req.method === 'HEAD') {
    return c.body(null, 200, { ...headers, 'Content-Length': String(file.body.byteLength) });
  }
  return c.body(file.body, 200, headers);
}
