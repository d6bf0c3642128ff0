import { createRequest } from '../../../src/sip/message/message-factory';
import {
  negotiateAsUas,
  readSessionExpires,
  sessionFromUasAnswer,
  uacRequestHeaders,
} from '../../../src/sip/dialog/session-timer-negotiation';

const cfg = { enabled: true, expires: 1800, minSE: 90 };

function invite(headers: Array<[string, string]>) {
  return createRequest({
    method: 'INVITE',
    uri: 'sip:4021@127.0.0.1',
    from: '<sip:a@127.0.0.1>;tag=1',
    to: '<sip:4021@127.0.0.1>',
    callId: 'c1',
    cseq: 1,
    headers,
  });
}

/** RFC 4028 §9 (UAS) and §7 (UAC), pure. */
describe('session timer negotiation', () => {
  it('keeps the interval and refresher the UAC asked for, with Require: timer when the UAC refreshes', () => {
    const d = negotiateAsUas(
      invite([
        ['Supported', 'timer'],
        ['Session-Expires', '600;refresher=uac'],
      ]),
      cfg,
    );
    expect(d).toEqual({
      reject: false,
      headers: [
        ['Session-Expires', '600;refresher=uac'],
        ['Require', 'timer'],
      ],
      session: { interval: 600, refresher: 'remote' },
    });
  });

  it('picks the UAC as refresher when it supports timer and did not say, the UAS when it does not support it', () => {
    expect(
      negotiateAsUas(
        invite([
          ['Supported', 'timer'],
          ['Session-Expires', '600'],
        ]),
        cfg,
      ),
    ).toMatchObject({ session: { refresher: 'remote' } });
    expect(negotiateAsUas(invite([['Session-Expires', '600;refresher=uac']]), cfg)).toMatchObject({
      session: { refresher: 'local' },
      headers: [['Session-Expires', '600;refresher=uas']],
    });
  });

  it('offers its own interval, refreshing itself, when the UAC asked for none; nothing when disabled', () => {
    expect(negotiateAsUas(invite([]), cfg)).toMatchObject({ session: { interval: 1800, refresher: 'local' } });
    expect(negotiateAsUas(invite([]), { ...cfg, enabled: false })).toEqual({ reject: false, headers: [] });
  });

  it('refuses an interval below Min-SE with 422 (§5)', () => {
    expect(negotiateAsUas(invite([['Session-Expires', '30']]), cfg)).toEqual({ reject: true, minSE: 90 });
  });

  it('reads Session-Expires, also compact (x), and ignores a malformed one', () => {
    expect(readSessionExpires(invite([['x', '1200 ; refresher=UAS']]))).toEqual({ interval: 1200, refresher: 'uas' });
    expect(readSessionExpires(invite([['Session-Expires', 'soon']]))).toBeUndefined();
  });

  it('as UAC: asks with Supported, Session-Expires and Min-SE, and reads the role from the 2xx', () => {
    expect(uacRequestHeaders(cfg)).toEqual([
      ['Supported', 'timer'],
      ['Session-Expires', '1800;refresher=uac'],
      ['Min-SE', '90'],
    ]);
    expect(sessionFromUasAnswer(invite([['Session-Expires', '900;refresher=uas']]), cfg)).toEqual({
      interval: 900,
      refresher: 'remote',
    });
    expect(sessionFromUasAnswer(invite([['Session-Expires', '900;refresher=uac']]), cfg)).toEqual({
      interval: 900,
      refresher: 'local',
    });
    expect(sessionFromUasAnswer(invite([]), cfg)).toBeUndefined();
  });
});
