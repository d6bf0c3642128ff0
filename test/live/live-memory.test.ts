import { InProcessLiveCallStore } from '../../src/live/live-call-store';
import { ADMIN, admitThrough, bookNow, liveInstance, ringing, type LiveInstance } from './live-world';
import { SseClient } from './sse-client';

/** Without REDIS_URL: the same routes on the in-process bus, registry, locks and command channel. */
let i: LiveInstance;
beforeAll(async () => {
  i = await liveInstance(undefined);
});
afterAll(() => i.close());

it('live view, lock, kick command and SSE resume work on the in-process implementations', async () => {
  const booking = await bookNow(i);
  const kicked: string[] = [];
  const stop = await i.live.commands.listen({ kick: (id) => kicked.push(id) > 0, end: () => 0 });
  const first = new SseClient(`${i.baseUrl}/api/events`, ADMIN);
  await first.opened;
  const pid = await admitThrough(i, booking, ringing('mem'));
  await first.until(() => first.events.length === 4);
  await first.close();

  const conf = (await i.call('GET', `/api/live/conferences/${booking.number}`, ADMIN)).json();
  expect(conf).toMatchObject({
    participantsCount: 1,
    participants: [{ participantId: pid, transport: 'tls', dtmf: 'rfc4733', mcu: 'mcu1' }],
  });
  await i.call('POST', `/api/live/conferences/${booking.number}/lock`, ADMIN);
  expect((await i.call('GET', `/api/live/conferences/${booking.number}`, ADMIN)).json().locked).toBe(true);
  expect(
    (
      await i.live.admission.admit({
        number: booking.number,
        code: '8688',
        via: 'ivr',
        source: { address: '127.0.0.9', callId: 'm2' },
      })
    ).kind,
  ).toBe('locked');

  const kick = await i.call('POST', `/api/live/conferences/${booking.number}/participants/${pid}/kick`, ADMIN);
  expect(kick.json()).toEqual({ kicked: pid, instancesNotified: 1 });
  expect(kicked).toEqual([pid]);
  expect((await i.call('GET', `/api/live/conferences/${booking.number}`, ADMIN)).json().participantsCount).toBe(0);

  // Resume: the lock and kick events published while disconnected come first, in order.
  const second = new SseClient(`${i.baseUrl}/api/events`, ADMIN, first.events.at(-1)!.id);
  await second.until(() => second.events.length === 2);
  expect(second.events.map((e) => e.event)).toEqual(['conference', 'kicked']);
  await second.close();
  await stop();
  // No Redis and no dial-in: no call records to read.
  expect((await i.call('GET', '/api/calls', ADMIN)).status).toBe(503);
});

it('a call in the IVR leaves the list when its lease runs out (its instance died)', async () => {
  const calls = new InProcessLiveCallStore();
  await calls.putIvrCall({ callId: 'a', ringingAt: '1000', instanceId: 'x' }, 5000);
  await calls.putIvrCall({ callId: 'b', ringingAt: '2000', instanceId: 'x' }, 9000);
  expect((await calls.ivrCalls(4000)).map((c) => c.callId)).toEqual(['a', 'b']);
  expect((await calls.ivrCalls(6000)).map((c) => c.callId)).toEqual(['b']);
});
