import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSipp } from '../../support/sipp';
import { prompts, startIvrEndpoint } from '../support/ivr-endpoint';

const scenario = (name: string): { xml: string } => ({ xml: readFileSync(join(__dirname, name), 'utf8') });

/** confgate's IVR phase (SIP, media and IVR together) with SIPp as the caller, all on loopback. */
describe('IVR calls from SIPp', () => {
  let endpoint: Awaited<ReturnType<typeof startIvrEndpoint>>;
  afterEach(() => endpoint.close());

  it('dialling conf@ and keying digits by SIP INFO: the IVR collects exactly 5387# then 8688#', async () => {
    endpoint = await startIvrEndpoint();
    const r = await runSipp({ scenario: scenario('conf-info-dtmf.xml'), remote: endpoint.remote, calls: 1, timeoutSec: 30 });
    expect(r).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    const { admission, admitted } = endpoint;
    expect(admission.entries()).toEqual(['5387', '5387/8688']);
    expect(admission.requests[0]).toMatchObject({ number: '5387', code: '8688', via: 'ivr', source: { address: '127.0.0.1' } });
    expect(admitted).toHaveLength(1);
    const call = admitted[0]!;
    expect(call).toMatchObject({ answered: true, number: '5387', language: 'fr' });
    if (!call.answered) throw new Error('answered call expected');
    expect(call.media.dtmf).toMatchObject({ firstMethod: 'sip-info', accepted: { 'sip-info': 10, rfc4733: 0, inband: 0 } });
    // The prompts went out as 20 ms RTP packets: at least the whole "vous allez être connecté" before the hand-over.
    expect(call.media.rtpStats.sent).toBeGreaterThanOrEqual(prompts.get('fr', 'connecting').durationMs / 20);
    await endpoint.portsReleased();
    expect(endpoint.allocator.inUse).toBe(0);
    expect(endpoint.clock.size).toBe(0);
  });

  it('a caller who never keys a digit is hung up (BYE, Reason 403) and its RTP ports are released', async () => {
    endpoint = await startIvrEndpoint({ firstDigitTimeoutMs: 1000, maxAttempts: 1 });
    const r = await runSipp({ scenario: scenario('conf-silent.xml'), remote: endpoint.remote, calls: 1, timeoutSec: 40 });
    expect(r).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect(endpoint.admission.entries()).toEqual([]);
    expect(endpoint.admitted).toEqual([]);
    await endpoint.portsReleased();
    expect(endpoint.allocator.inUse).toBe(0);
    expect(endpoint.clock.size).toBe(0);
    expect(endpoint.srf.stats.dialogs).toBe(0);
  });
});
