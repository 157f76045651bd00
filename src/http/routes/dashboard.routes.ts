import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HttpApp } from '../server.ts';

/** The page's own files: plain ES modules and CSS in the repository, no build step. */
const PAGE_DIR = fileURLToPath(new URL('../../../dashboard/', import.meta.url));
const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** Browser builds of installed dependencies, served as `/dashboard/vendor/<name>/<file>`. */
const VENDOR: Readonly<Record<string, string>> = {
  leaflet: join(packageDir('leaflet'), 'dist'),
  uplot: join(packageDir('uplot'), 'dist'),
  'socket.io': join(packageDir('socket.io-client'), 'dist'),
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * Same-origin scripts and sockets only; images from anywhere (map tiles, whose
 * host is configurable); inline styles because Leaflet positions its layers with them.
 */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src * data: blob:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

export interface DashboardRouteOptions {
  tileUrl: string;
  tileAttribution: string;
}

/**
 * `GET /dashboard`: the operator page and its files. Public like any page:
 * it holds nothing until the operator signs in with an admin token, which
 * the page sends only to the API and the `/admin` namespace.
 */
export function registerDashboardRoutes(app: HttpApp, opts: DashboardRouteOptions): void {
  // Relative imports in the page resolve against the directory.
  app.get('/dashboard', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/dashboard/', 302));
  app.get('/dashboard/config.json', { schema: { hide: true } }, async (_req, reply) => {
    reply.header('cache-control', 'no-cache');
    return { tileUrl: opts.tileUrl, tileAttribution: opts.tileAttribution };
  });
  app.get('/dashboard/*', { schema: { hide: true } }, async (req, reply) => {
    const file = resolveFile((req.params as { '*': string })['*'] || 'index.html');
    const body = file && (await readFile(file.path).catch(() => undefined));
    if (!file || !body) return reply.code(404).type('application/json').send({ error: { code: 'NOT_FOUND', message: 'No such dashboard file' } });
    reply.header('content-type', file.type);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cache-control', file.vendor ? 'public, max-age=86400' : 'no-cache');
    if (file.type.startsWith('text/html')) reply.header('content-security-policy', CSP);
    return reply.send(body);
  });
}

/** A request path → a file inside the page directory or a vendor directory; undefined for anything else (`..`, unknown types). */
export function resolveFile(requested: string): { path: string; type: string; vendor: boolean } | undefined {
  let rel: string;
  try {
    rel = decodeURIComponent(requested);
  } catch {
    return undefined;
  }
  if (rel.includes('\0') || rel.includes('\\')) return undefined;
  const type = CONTENT_TYPES[extname(rel).toLowerCase()];
  if (!type) return undefined;
  const vendor = /^vendor\/([^/]+)\/(.+)$/.exec(rel);
  if (vendor && !Object.hasOwn(VENDOR, vendor[1]!)) return undefined;
  const root = vendor ? VENDOR[vendor[1]!]! : PAGE_DIR;
  const path = within(root, vendor ? vendor[2]! : rel);
  return path ? { path, type, vendor: Boolean(vendor) } : undefined;
}

function within(root: string, rel: string): string | undefined {
  const base = resolve(root);
  const path = resolve(base, rel);
  return path.startsWith(base + sep) ? path : undefined;
}
