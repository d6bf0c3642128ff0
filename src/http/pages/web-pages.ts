import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Language } from '../../booking/booking';
import type { BookingService } from '../../booking/booking-service';
import type { JoinSettings } from '../../booking/join-info';
import { confirmationHtmlRoute } from './confirmation-html-route';
import { defaultWebRoot, loadWebAssets, type WebAsset } from './web-assets';

export interface WebPagesOptions {
  bookings: BookingService;
  join: JoinSettings;
  defaultLanguage: Language;
  authenticate: (request: FastifyRequest) => Promise<void>;
  /** The built front end (`npm run build:web`); default `dist/web` of this checkout. */
  webRoot?: string;
}

/** Page paths and the built HTML file each one serves; the page's script reads its own path. */
const pages: Array<[string, string]> = [
  ['/', 'index.html'],
  ['/login', 'login.html'],
  ['/bookings', 'bookings.html'],
  ['/bookings/:id', 'confirmation.html'],
  ['/bookings/:id/edit', 'index.html'],
];

/**
 * Scripts, styles and API calls only from this origin; no inline script, no framing (clickjacking),
 * no plugins. The pages hold a bearer token, so an injected script must have nowhere to run.
 */
const securityHeaders = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

const notBuilt = 'confgate: the web pages are not built; run `npm run build:web` (npm start and npm test do it).\n';

function send(request: FastifyRequest, reply: FastifyReply, asset: WebAsset): FastifyReply {
  void reply.headers(securityHeaders).header('etag', asset.etag);
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  return reply.type(asset.contentType).send(asset.body);
}

/**
 * The organiser pages (booking form, login, confirmation, my bookings), served by the product from
 * the built front end held in memory, and the confirmation endpoint they use. Pages carry no data:
 * each page's script calls the API with the token kept in the tab's sessionStorage. Without a build
 * the API still works and the pages answer 503 with the command that builds them.
 */
export async function webPages(app: FastifyInstance, options: WebPagesOptions): Promise<void> {
  const assets = loadWebAssets(options.webRoot ?? defaultWebRoot);
  if (!assets)
    app.log.warn({ webRoot: options.webRoot ?? defaultWebRoot }, 'web pages not built: run npm run build:web');

  for (const [path, file] of pages) {
    app.get(path, { schema: { hide: true } }, async (request, reply) => {
      const asset = assets?.get(file);
      return asset ? send(request, reply, asset) : reply.code(503).type('text/plain; charset=utf-8').send(notBuilt);
    });
  }
  app.get('/assets/*', { schema: { hide: true } }, async (request, reply) => {
    const name = (request.params as { '*': string })['*'];
    const asset = assets?.get(`assets/${name}`);
    if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('not found\n');
    return send(request, reply, asset);
  });

  await app.register(confirmationHtmlRoute, options);
}
