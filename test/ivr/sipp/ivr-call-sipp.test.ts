import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DtmfMethod } from '../../../src/media/dtmf/dtmf-digit';
import { writeInbandDtmfCaptures } from '../../fixtures/media/inband-dtmf-capture';
import { runSipp } from '../../support/sipp';
import { prompts, startIvrEndpoint } from '../support/ivr-endpoint';
import { dialInScenario, type DialInStep } from './dial-in-scenario';

/** The RFC 2833 captures SIPp ships: one key press each, telephone-event payload type 101. */
const RFC2833_CAPTURES = '/usr/share/sip-tester';
const rfc2833 = (keys: string): DialInStep[] =>
  [...keys].map((key) => ({
    pcap: join(RFC2833_CAPTURES, `dtmf_2833_${key === '#' ? 'pound' : key === '*' ? 'star' : key}.pcap`),
    thenPauseMs: 400,
  }));

/** confgate's IVR phase (SIP, media and IVR together) with SIPp as the caller, all on loopback. */
describe.each(['native', 'dgram'] as const)('IVR calls from SIPp dialling conf@ (%s RTP I/O)', (rtpIo) => {
  let endpoint: Awaited<ReturnType<typeof startIvrEndpoint>>;
  let captures: string;
  beforeAll(() => {
    captures = mkdtempSync(join(tmpdir(), 'confgate-ivr-captures-'));
  });
  afterAll(() => rmSync(captures, { recursive: true, force: true }));
  afterEach(() => endpoint.close());

  /** Runs one SIPp call and checks the IVR collected exactly 5387# then 8688#, by `method`, and connected. */
  async function collects(payloadTypes: '0 101' | '0', steps: DialInStep[], method: DtmfMethod): Promise<void> {
    endpoint = await startIvrEndpoint({}, undefined, rtpIo);
    const xml = dialInScenario({ payloadTypes, steps, byeTimeoutMs: 20000 });
    const r = await runSipp({ scenario: { xml }, remote: endpoint.remote, calls: 1, timeoutSec: 40 });
    expect(r).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    const { admission, admitted } = endpoint;
    expect(admission.entries()).toEqual(['5387', '5387/8688']);
    expect(admission.requests[0]).toMatchObject({
      number: '5387',
      code: '8688',
      via: 'ivr',
      source: { address: '127.0.0.1' },
    });
    expect(admitted).toHaveLength(1);
    const call = admitted[0]!;
    expect(call).toMatchObject({ answered: true, number: '5387', language: 'fr' });
    if (!call.answered) throw new Error('answered call expected');
    expect(call.media.rtpBackend).toBe(rtpIo);
    expect(call.media.dtmf).toMatchObject({ firstMethod: method, accepted: { [method]: 10 } });
    // The prompts went out as 20 ms RTP packets: at least the whole "vous allez être connecté" before the hand-over.
    expect(call.media.rtpStats.sent).toBeGreaterThanOrEqual(prompts.get('fr', 'connecting').durationMs / 20);
    await endpoint.portsReleased();
    expect(endpoint.allocator.inUse).toBe(0);
    expect(endpoint.clock.size).toBe(0);
  }

  it('keys by SIP INFO (dtmf-relay; the last # as RFC 4733 event 11): the IVR collects exactly 5387# then 8688#', async () => {
    const info = [...'5387#8688'].map((key): DialInStep => ({ info: key }));
    await collects('0 101', [{ pauseMs: 300 }, ...info, { info: '11' }], 'sip-info');
  });

  it("keys by RFC 2833 events replayed from SIPp's captures: the IVR collects exactly 5387# then 8688#", async () => {
    await collects('0 101', [{ pauseMs: 300 }, ...rfc2833('5387#'), { pauseMs: 300 }, ...rfc2833('8688#')], 'rfc4733');
  });

  it('keys by in-band tones in G.711 audio (no telephone-event offered): the IVR collects exactly 5387# then 8688#', async () => {
    const pcap = writeInbandDtmfCaptures(captures, 'PCMU');
    await collects(
      '0',
      [
        { pauseMs: 300 },
        { pcap: pcap.conferenceNumber, thenPauseMs: 1800 },
        { pcap: pcap.accessCode, thenPauseMs: 1800 },
      ],
      'inband',
    );
  });

  it('a caller who never keys a digit is hung up (BYE, Reason 403) and its RTP ports are released', async () => {
    endpoint = await startIvrEndpoint({ firstDigitTimeoutMs: 1000, maxAttempts: 1 }, undefined, rtpIo);
    const xml = dialInScenario({
      payloadTypes: '0 101',
      steps: [],
      byeReason: 'cause=403;text="No Valid Entry"',
      byeTimeoutMs: 30000,
    });
    const r = await runSipp({ scenario: { xml }, remote: endpoint.remote, calls: 1, timeoutSec: 40 });
    expect(r).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect(endpoint.admission.entries()).toEqual([]);
    expect(endpoint.admitted).toEqual([]);
    await endpoint.portsReleased();
    expect(endpoint.allocator.inUse).toBe(0);
    expect(endpoint.clock.size).toBe(0);
    expect(endpoint.srf.stats.dialogs).toBe(0);
  });
});
