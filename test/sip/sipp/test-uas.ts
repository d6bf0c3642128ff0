import pino from 'pino';
import { Srf } from '../../../src/sip/srf/srf';
import type { ListenSpec } from '../../../src/sip/transport/listen-spec';

/** SDP with loopback addresses only, as every test message must carry. */
export function loopbackSdp(port = 40000, host = '127.0.0.1'): string {
  return [
    'v=0',
    `o=confgate 1 1 IN IP4 ${host}`,
    's=confgate',
    `c=IN IP4 ${host}`,
    't=0 0',
    `m=audio ${port} RTP/AVP 0 8 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=sendrecv',
    '',
  ].join('\r\n');
}

/**
 * A confgate test UAS: answers every INVITE with 200 OK and loopback SDP, takes the ACK and answers
 * the BYE; counts INVITEs handled, calls ACKed (`answered`) and calls ended by BYE after the ACK.
 */
export async function startTestUas(
  listen: ListenSpec[],
  level = 'silent',
): Promise<{ srf: Srf; invites: () => number; answered: () => number; ended: () => number }> {
  const srf = new Srf({ listen, log: pino({ level }) });
  let invites = 0;
  let answered = 0;
  let ended = 0;
  srf.invite(async (req, res) => {
    invites++;
    const dialog = await srf.createUAS(req, res, { localSdp: loopbackSdp() });
    answered++;
    dialog.on('destroy', () => ended++);
  });
  await srf.listen();
  return { srf, invites: () => invites, answered: () => answered, ended: () => ended };
}
