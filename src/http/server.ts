import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyInstance, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { proxyTrust } from '../core/client-address.ts';
import type { Logger } from '../core/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { createErrorHandler } from './errors.ts';

export type HttpApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Logger, ZodTypeProvider>;

export interface HttpOptions {
  log: Logger;
  metrics: Metrics;
  /** TRUST_PROXY: addresses and CIDRs of the proxies whose X-Forwarded-For is believed. */
  trustProxy: readonly string[];
  bodyLimit: number;
}

/** Fastify with zod schemas for validation, serialization and the OpenAPI document. */
export async function createHttpServer(opts: HttpOptions): Promise<HttpApp> {
  const onError = createErrorHandler(opts.log, opts.metrics);
  const app = Fastify({
    loggerInstance: opts.log,
    // Per-request lines would dominate the log under load; errors are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    // `request.ip` walks X-Forwarded-For from the right while the hop is a trusted proxy, as sockets do (core/client-address.ts).
    trustProxy: opts.trustProxy.length ? proxyTrust(opts.trustProxy) : false,
    bodyLimit: opts.bodyLimit,
    return503OnClosing: true,
    // Ids may be 128 characters (protocol `id`); Fastify's default of 100 would answer 414 before the schema runs.
    routerOptions: { maxParamLength: 256 },
    // Bad URL encodings and over-long parameters are answered by the router itself; keep them in the `{ error }` shape.
    frameworkErrors: (err, req, reply) => onError(err, req, reply),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(onError);
  app.setNotFoundHandler((req, reply) => reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No route ${req.method} ${req.url.split('?')[0]}` } }));
  await app.register(swagger, {
    openapi: {
      info: { title: 'Livegate HTTP API', version: '0.1.0', description: 'Real-time gateway: users, connections, health and metrics. Errors are `{ error: { code, message } }`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
