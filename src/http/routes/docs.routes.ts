import { readFileSync } from 'node:fs';
import type { HttpApp } from '../server.ts';

const PAGE = new URL('../docs-page/', import.meta.url);
const ASSETS = {
  '/docs': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/docs/docs.js': { file: 'docs.js', type: 'text/javascript; charset=utf-8' },
  '/docs/docs.css': { file: 'docs.css', type: 'text/css; charset=utf-8' },
} as const;

export interface DocsDeps {
  /** Builds the AsyncAPI document; called once, on the first request for it (nothing at start-up). */
  asyncapi: () => object;
}

/**
 * Public documentation: `/asyncapi.json` (every event of every transport)
 * and `/docs`, a page that renders it together with `/openapi.json`. The
 * document is built on its first request and then served from memory; the
 * page's files are read once at start.
 */
export function registerDocsRoutes(app: HttpApp, deps: DocsDeps): void {
  let asyncapi: string | undefined;
  app.get('/asyncapi.json', { schema: { tags: ['docs'], summary: 'AsyncAPI 3.0: every event of every family on Socket.IO, /ws and /events', security: [] } }, async (_req, reply) =>
    reply.type('application/json; charset=utf-8').send((asyncapi ??= JSON.stringify(deps.asyncapi()))),
  );
  for (const [path, asset] of Object.entries(ASSETS)) {
    const body = readFileSync(new URL(asset.file, PAGE), 'utf8');
    const schema = path === '/docs' ? { tags: ['docs'], summary: 'A browsable page of the HTTP API and the event reference', security: [] } : { hide: true };
    app.get(path, { schema }, async (_req, reply) => reply.type(asset.type).header('cache-control', 'no-cache').send(body));
  }
}
