import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Store } from '../../store/store';

const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  store: z.object({ kind: z.enum(['redis', 'memory']), reachable: z.boolean() }),
});

/** `GET /healthz`: 200 when the store answers within `timeoutMs`, 503 otherwise. */
export async function healthRoutes(app: FastifyInstance, options: { store: Store; timeoutMs?: number }): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 1000;
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness and store reachability',
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
      return reply
        .code(reachable ? 200 : 503)
        .send({ status: reachable ? 'ok' : 'degraded', store: { kind: options.store.kind, reachable } });
    },
  );
}
