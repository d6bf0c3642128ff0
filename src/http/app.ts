import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { BookingService } from '../booking/booking-service';
import type { Config } from '../config/config-schema';
import type { Logger } from '../log/logger';
import type { Store } from '../store/store';
import { ApiError } from './api-error';
import { bearerAuth } from './bearer-auth';
import { errorHandler } from './error-handler';
import { liveHttp, type LiveAdmin } from './live/live-http';
import { zodRouteSchemaToOpenApi } from './openapi';
import { webPages } from './pages/web-pages';
import { conferenceRoutes } from './routes/conference-routes';
import { healthRoutes, type HealthRouteOptions } from './routes/health-routes';
import { organizerRoutes } from './routes/organizer-routes';

export interface AppDeps {
  config: Config;
  store: Store;
  /** The booking use cases the API and the pages call. */
  bookings: BookingService;
  log: Logger;
  now?: () => Date;
  /** Live view, admin actions, `/api/events`, `/metrics` and `/admin` (src/live, docs/live.md); absent: not served. */
  live?: LiveAdmin;
  /** True while the instance drains: `/healthz` answers 503 `draining`. */
  draining?: () => boolean;
  /** The dial-in's view of the store (`/healthz` says at once that it is down). */
  storeHealth?: HealthRouteOptions['storeHealth'];
}

/**
 * The HTTP API. Route schemas are the zod schemas handlers parse with (so field errors come in
 * the request's language and can use the clock); fastify's own validation and serialisation are
 * therefore turned off, and the schemas serve the OpenAPI document at `/api/docs`.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, store, log } = deps;
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: false,
  });
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.setErrorHandler(errorHandler(config.language));
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(new ApiError(404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`).body()),
  );

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'confgate API',
        version: '0.1.0',
        description: 'Book conferences (RENAvisio rules) and issue organiser tokens.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: zodRouteSchemaToOpenApi as never,
  });

  const { bookings } = deps;
  const authenticate = bearerAuth(store.organizers, config.adminToken);
  const join = {
    publicHost: config.publicHost,
    phoneNumber: config.phoneNumber,
    desktopLinkTemplate: config.desktopLinkTemplate,
  };

  await app.register(healthRoutes, { store, draining: deps.draining, storeHealth: deps.storeHealth });
  await app.register(organizerRoutes, {
    organizers: store.organizers,
    defaultLanguage: config.language,
    authenticate,
    ...(deps.now ? { now: deps.now } : {}),
  });
  await app.register(conferenceRoutes, { bookings, join, defaultLanguage: config.language, authenticate });
  await app.register(webPages, { bookings, join, defaultLanguage: config.language, authenticate });
  if (deps.live)
    await app.register(liveHttp, {
      ...deps.live,
      config,
      authenticate,
      ...(deps.now ? { now: deps.now } : {}),
    });
  app.get('/api/docs', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
