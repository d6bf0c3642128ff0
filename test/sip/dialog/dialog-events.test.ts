import type { Dialog, DialogEvents, SrfRequest, SrfResponse } from '../../../src/sip';
import { PASSED_THROUGH } from '../../../src/sip/dialog/dialog-events';

/** Compiled by `npm run typecheck`: the event map types the listeners, and the ACK signals are not events. */
export function listen(dialog: Dialog): void {
  dialog.on('info', (req: SrfRequest, res: SrfResponse) => res.send(200, { body: req.body }));
  dialog.on('destroy', (cause) => void ('reason' in cause ? cause.reason : cause.method));
  // @ts-expect-error the ACK of our 2xx is the stack's signal, not an application event
  dialog.on('ack', () => undefined);
  // @ts-expect-error neither is a missing ACK
  dialog.on('no-ack', () => undefined);
}

describe('Dialog events', () => {
  it('passes through every in-dialog method it has an event for, by that event name', () => {
    for (const [method, event] of PASSED_THROUGH) {
      expect(event).toBe(method.toLowerCase());
      const key: keyof DialogEvents = event;
      expect(key).toBe(event);
    }
    expect([...PASSED_THROUGH.keys()]).toEqual(['INFO', 'NOTIFY', 'REFER', 'OPTIONS', 'MESSAGE']);
  });
});
