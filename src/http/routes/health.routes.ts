import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isLoopback } from '../../core/client-address.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { HttpApp } from '../server.ts';
import type { requireRole } from '../auth.ts';

export interface HealthDeps {
  metrics: Metrics;
  isDraining: () => boolean;
  /** Dependencies the node cannot serve without (database): down → /readyz fails. */
  checks: Record<string, () => Promise<boolean>>;
  /** Dependencies whose loss degrades the node but leaves it serving (Redis): down → /api/health "degraded". */
  optionalChecks?: Record<string, () => Promise<boolean>>;
  guard: ReturnType<typeof requireRole>;
  /** METRICS_PUBLIC: /metrics needs no token. */
  metricsPublic?: boolean;
}

/**
 * A scrape from this machine: the socket's own peer is loopback and nothing
 * was forwarded. A proxy on the same machine forwarding outside traffic adds
 * X-Forwarded-For, and that request needs a token like any other.
 */
function isLocalScrape(req: FastifyRequest): boolean {
  return isLoopback(req.socket.remoteAddress ?? '') && req.headers['x-forwarded-for'] === undefined && req.headers.forwarded === undefined;
}

async function runChecks(checks: HealthDeps['checks']): Promise<Record<string, 'up' | 'down'>> {
  const entries = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, (await check().catch(() => false)) ? 'up' : 'down'] as const));
  return Object.fromEntries(entries);
}

const checksShape = z.record(z.string(), z.enum(['up', 'down']));

/** /healthz, /readyz (public), /api/health and /api/metrics (seed 004 shapes), /metrics (Prometheus). */
export function registerHealthRoutes(app: HttpApp, deps: HealthDeps): void {
  app.get('/healthz', { schema: { tags: ['health'], summary: 'Liveness', security: [], response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({ status: 'ok' as const }));

  app.get(
    '/readyz',
    { schema: { tags: ['health'], summary: 'Readiness: fails while draining or when storage is down', security: [], response: { 200: z.object({ status: z.string(), checks: checksShape }), 503: z.object({ status: z.string(), checks: checksShape }) } } },
    async (_req, reply) => {
      const checks = await runChecks(deps.checks);
      const draining = deps.isDraining();
      const ready = !draining && Object.values(checks).every((c) => c === 'up');
      return reply.status(ready ? 200 : 503).send({ status: draining ? 'draining' : ready ? 'ready' : 'unavailable', checks });
    },
  );

  app.get(
    '/api/health',
    {
      preHandler: deps.guard,
      schema: {
        tags: ['health'],
        summary: 'Seed 004 health: status, connections, errorRate (%), averageLatency (ms)',
        response: { 200: z.object({ status: z.enum(['healthy', 'degraded']), connections: z.number(), errorRate: z.number(), averageLatency: z.number(), checks: checksShape }) },
      },
    },
    async () => {
      const checks = await runChecks({ ...deps.checks, ...deps.optionalChecks });
      const h = deps.metrics.health();
      const down = Object.values(checks).includes('down');
      return { ...h, status: down ? ('degraded' as const) : h.status, checks };
    },
  );

  app.get('/api/metrics', { preHandler: deps.guard, schema: { tags: ['health'], summary: 'Seed 004 metrics snapshot' } }, async () => deps.metrics.snapshot());

  const metricsGuard = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (deps.metricsPublic || isLocalScrape(req)) return;
    await deps.guard(req, reply);
  };
  app.get('/metrics', { preHandler: metricsGuard, schema: { tags: ['health'], summary: 'Prometheus text format: public with METRICS_PUBLIC=true or from loopback, else an admin or service token', hide: false } }, async (_req, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
