import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { StoredCallEvent } from '../../call-log/call-events';
import type { CallEventBus } from '../../live/event-bus';
import { compareStreamIds, STREAM_ID } from '../../live/stream-id';
import { ApiError } from '../api-error';

export interface EventStreamRouteOptions {
  bus: CallEventBus;
  adminOnly: (request: FastifyRequest) => Promise<void>;
  heartbeatMs: number;
}

/** Events read from the stream per round trip while catching up. */
const PAGE = 500;
/** A viewer this far behind (bytes queued) is cut off; it resumes with Last-Event-ID and loses nothing. */
const MAX_QUEUED_BYTES = 1 << 20;

function frame(stored: StoredCallEvent): string {
  return `id: ${stored.id}\nevent: ${stored.event.kind}\ndata: ${JSON.stringify(stored.event)}\n\n`;
}

/**
 * The last frame of a stream this server closes as it stops: no id, so a viewer that reconnects
 * (to another instance) resumes after the last call event it got.
 */
const CLOSING_FRAME = `event: closing\ndata: ${JSON.stringify({ reason: 'shutting down' })}\n\n`;

/**
 * `GET /api/events`: the call events of every instance as Server-Sent Events (WHATWG HTML §9.2).
 * Each event's id is its Redis stream id; a client that reconnects with `Last-Event-ID` (header,
 * or `?lastEventId=` for clients that cannot set it) first gets every stored event after it. The
 * live subscription starts before the catch-up read, and anything at or before the last id sent is
 * skipped, so the switch from stored to live events neither loses nor repeats one. When the server
 * closes, each open stream gets a `closing` event and ends: a hijacked reply is not the server's any
 * more, so `app.close()` would otherwise wait on it for ever.
 */
export async function eventStreamRoute(app: FastifyInstance, options: EventStreamRouteOptions): Promise<void> {
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const endStream of [...open]) endStream();
  });
  app.get(
    '/api/events',
    {
      schema: {
        tags: ['live'],
        summary: 'Call events (Server-Sent Events, Last-Event-ID resume)',
        security: [{ bearer: [] }],
      },
      preHandler: options.adminOnly,
    },
    async (request, reply) => {
      const header = request.headers['last-event-id'];
      const query = (request.query as { lastEventId?: unknown }).lastEventId;
      const resumeFrom =
        typeof header === 'string' && header !== ''
          ? header
          : typeof query === 'string' && query !== ''
            ? query
            : undefined;
      if (resumeFrom !== undefined && !STREAM_ID.test(resumeFrom))
        throw new ApiError(400, 'invalid_event_id', 'Last-Event-ID must be an event id this stream sent (<ms>-<seq>)');

      let last = resumeFrom;
      let closed = false;
      let catchingUp = true;
      const early: StoredCallEvent[] = [];
      // Subscribed before the client sees the stream open: every event published after that is delivered.
      const unsubscribe = await options.bus.subscribe((stored) => (catchingUp ? early.push(stored) : send(stored)));
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(`retry: 2000\n: confgate events\n\n`);
      function send(stored: StoredCallEvent): void {
        if (closed || (last !== undefined && compareStreamIds(stored.id, last) <= 0)) return;
        last = stored.id;
        res.write(frame(stored));
        if (res.writableLength > MAX_QUEUED_BYTES) {
          request.log.warn('SSE viewer too slow; closing (it resumes with Last-Event-ID)');
          res.end();
        }
      }
      const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), options.heartbeatMs);
      const close = (): void => {
        if (closed) return;
        closed = true;
        open.delete(endStream);
        clearInterval(heartbeat);
        unsubscribe();
      };
      const endStream = (): void => {
        if (!closed) res.end(CLOSING_FRAME);
        close();
      };
      open.add(endStream);
      request.raw.once('close', close);
      res.once('close', close);
      try {
        if (resumeFrom !== undefined) {
          for (;;) {
            const page = await options.bus.since(last!, PAGE);
            page.forEach(send);
            if (page.length < PAGE || closed) break;
          }
        }
        early.forEach(send);
      } catch (err) {
        request.log.error({ err }, 'SSE catch-up failed');
        res.end();
      } finally {
        catchingUp = false;
        early.length = 0;
      }
    },
  );
}
