import type { FastifyInstance, FastifyRequest } from 'fastify';
import { tokensEqual } from '../../booking/organizer-token';
import type { LiveMetrics } from '../../live/live-metrics';

export interface MetricsRouteOptions {
  metrics: LiveMetrics;
  /** `CONFGATE_METRICS_TOKEN`: when set, `/metrics` wants `Authorization: Bearer <it>` (RFC 6750 §2.1). */
  token: string | undefined;
}

function authorised(request: FastifyRequest, token: string | undefined): boolean {
  if (token === undefined) return true;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return m !== null && tokensEqual(m[1]!, token);
}

/** `GET /metrics`: Prometheus text exposition format 0.0.4, open unless a metrics token is configured. */
export async function metricsRoute(app: FastifyInstance, options: MetricsRouteOptions): Promise<void> {
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!authorised(request, options.token)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="confgate-metrics"')
        .send({ error: 'unauthorized', message: 'send Authorization: Bearer <metrics token>' });
    }
    return reply.type(options.metrics.registry.contentType).send(await options.metrics.metrics());
  });
}
