import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Language } from '../../booking/booking';
import type { Config } from '../../config/config-schema';
import type { AdminActions } from '../../live/admin-actions';
import type { Live } from '../../live/live';
import { defaultWebRoot, loadWebAssets } from '../pages/web-assets';
import { adminActionRoutes } from './admin-action-routes';
import { eventStreamRoute } from './event-stream-route';
import { liveReadRoutes } from './live-read-routes';
import { metricsRoute } from './metrics-route';
import { requireAdmin } from './require-admin';

export interface LiveHttpOptions {
  live: Live;
  actions: AdminActions;
  config: Config;
  authenticate: (request: FastifyRequest) => Promise<void>;
  now?: () => Date;
  /** The built front end (default `dist/web`); `/admin` serves its `admin/index.html`. */
  webRoot?: string;
}

/** The live services the admin's routes read and act through. */
export type LiveAdmin = Pick<LiveHttpOptions, 'live' | 'actions'>;

/** Same policy as the organiser pages: the page holds the admin token, so no script but ours may run. */
const pageHeaders = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/**
 * The admin's live view (`/api/live/*`, `/api/events`, `/api/calls`), its actions, `/metrics`
 * and the `/admin` dashboard page (docs/live.md).
 */
export async function liveHttp(app: FastifyInstance, options: LiveHttpOptions): Promise<void> {
  const { live, config } = options;
  const now = options.now ?? (() => new Date());
  await live.start();
  const adminOnly = requireAdmin(options.authenticate);
  const defaultLanguage: Language = config.language;
  await app.register(liveReadRoutes, { live, defaultLanguage, adminOnly, now });
  await app.register(adminActionRoutes, { actions: options.actions, defaultLanguage, adminOnly });
  await app.register(eventStreamRoute, {
    bus: live.bus,
    adminOnly,
    heartbeatMs: config.live.sseHeartbeatSeconds * 1000,
  });
  await app.register(metricsRoute, { metrics: live.metrics, token: config.metricsToken });

  const page = loadWebAssets(options.webRoot ?? defaultWebRoot)?.get('admin/index.html');
  app.get('/admin', { schema: { hide: true } }, async (_request, reply) => {
    if (!page)
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('confgate: the admin page is not built; run `npm run build:web`.\n');
    return reply.headers(pageHeaders).header('etag', page.etag).type(page.contentType).send(page.body);
  });
}
