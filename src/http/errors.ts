import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, validationError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { Metrics } from '../observability/metrics.ts';

interface ValidationIssue { instancePath?: string; message?: string; params?: { issue?: { path?: PropertyKey[] } } }

/** Fastify's own errors (validation, body size, bad JSON) mapped onto the catalogue. */
function fromFastify(err: FastifyError): AppError | undefined {
  if (err.validation) {
    const issues = (err.validation as ValidationIssue[]).map((v) => ({
      path: v.params?.issue?.path ?? (v.instancePath?.replace(/^\//, '').split('/').filter(Boolean) ?? []),
      message: v.message ?? 'invalid',
    }));
    return validationError('request', issues, err.validationContext === 'body' ? '' : err.validationContext);
  }
  if (err.statusCode === 413) return new AppError('PAYLOAD_TOO_LARGE');
  if (err.statusCode === 404) return new AppError('NOT_FOUND');
  if (err.statusCode === 429) return new AppError('RATE_LIMIT_EXCEEDED');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return new AppError('VALIDATION_ERROR', err.message.slice(0, 200));
  return undefined;
}

/** Renders every error as `{ error: { code, message, details? } }`; 5xx details stay in the log. */
export function createErrorHandler(log: Logger, metrics: Metrics) {
  return (err: FastifyError | AppError, req: FastifyRequest, reply: FastifyReply) => {
    const appError = err instanceof AppError ? err : (fromFastify(err) ?? new AppError('INTERNAL_ERROR'));
    if (appError.status >= 500) log.error({ err: (err as Error).cause ?? err, url: req.url, method: req.method }, 'request failed');
    metrics.errorAnswered(appError.code, 'http');
    return reply.status(appError.status).send({ error: appError.toWire() });
  };
}
