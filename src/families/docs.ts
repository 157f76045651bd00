import { buildAsyncApiDocument } from '../http/asyncapi/document.ts';
import { registerDocsRoutes } from '../http/routes/docs.routes.ts';
import type { FamilyContext } from './context.ts';

/** `/asyncapi.json` and `/docs` (public); the OpenAPI document is served by the HTTP server itself. */
export function attachDocs(ctx: FamilyContext): void {
  registerDocsRoutes(ctx.http, { asyncapi: buildAsyncApiDocument });
}
