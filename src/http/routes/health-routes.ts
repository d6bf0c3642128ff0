import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Store } from '../../store/store';

const healthSchema = z.object({
  status: z.enum(['ok', 'degraded', 'draining']),
  store: z.object({ kind: z.enum(['redis', 'memory']), reachable: z.boolean() }),
});

export interface HealthRouteOptions {
  store: Store;
  timeoutMs?: number;
  /** True while the instance drains (`src/app/drain.ts`): it takes no new calls, so a balancer should take it out. */
  draining?: () => boolean;
}

/** `GET /healthz`: 200 when the store answers within `timeoutMs`; 503 when it does not, or while draining. */
export async function healthRoutes(app: FastifyInstance, options: HealthRouteOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 1000;
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness, store reachability and drain',
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_request, reply) => {
      let timer: NodeJS.Timeout | undefined;
      const reachable = await Promise.race([
        options.store.ping().then(
          () => true,
          () => false,
        ),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
      ]);
      clearTimeout(timer);
      const status = options.draining?.() ? 'draining' : reachable ? 'ok' : 'degraded';
      return reply.code(status === 'ok' ? 200 : 503).send({ status, store: { kind: options.store.kind, reachable } });
    },
  );
}
