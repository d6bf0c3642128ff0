import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Store } from '../../store/store';
import type { StoreHealth } from '../../store/store-health';

const healthSchema = z.object({
  status: z.enum(['ok', 'degraded', 'draining']),
  store: z.object({
    kind: z.enum(['redis', 'memory']),
    reachable: z.boolean(),
    /** While the dial-in knows the store is down: since when (ISO 8601). */
    downSince: z.string().optional(),
  }),
});

export interface HealthRouteOptions {
  store: Store;
  timeoutMs?: number;
  /** True while the instance drains (`src/app/drain.ts`): it takes no new calls, so a balancer should take it out. */
  draining?: () => boolean;
  /** The dial-in's view of the store: while it is down, `/healthz` says so at once, without a ping that would time out. */
  storeHealth?: Pick<StoreHealth, 'up' | 'downSince'>;
}

/**
 * `GET /healthz`, a readiness check: 200 when the store answers within `timeoutMs`; 503 when it does
 * not (`degraded`: new calls and bookings would fail, so a balancer should send none), or while
 * draining. Not a liveness check: restarting an instance because its store is down would drop the
 * live calls the outage itself spares (`docs/operations.md`).
 */
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
      const downSince = options.storeHealth?.downSince;
      let timer: NodeJS.Timeout | undefined;
      const reachable =
        downSince === undefined &&
        (await Promise.race([
          options.store.ping().then(
            () => true,
            () => false,
          ),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
        ]));
      clearTimeout(timer);
      const status = options.draining?.() ? 'draining' : reachable ? 'ok' : 'degraded';
      const store = {
        kind: options.store.kind,
        reachable,
        ...(downSince === undefined ? {} : { downSince: new Date(downSince).toISOString() }),
      };
      return reply.code(status === 'ok' ? 200 : 503).send({ status, store });
    },
  );
}
