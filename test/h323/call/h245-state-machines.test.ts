/** H.245 procedures as pure state machines on a hand-driven clock (H.245 §8.2–8.4, Annex C). */
import { decodeH245Message, encodeH245Message } from '../../../src/h323/asn1-codec';
import type { MultimediaSystemControlMessage, OpenLogicalChannel } from '../../../src/h323/generated/h245-types';
import { CapabilityExchange } from '../../../src/h323/h245/capability-exchange';
import { H245Session } from '../../../src/h323/h245/h245-session';
import { H245_TIMERS } from '../../../src/h323/h245/h245-timer';
import { LogicalChannels } from '../../../src/h323/h245/logical-channels';
import { MasterSlaveDetermination, type MsdOutcome } from '../../../src/h323/h245/master-slave-determination';
import { g711OpenLogicalChannel, terminalCapabilitySet } from '../../fixtures/h323/sample-messages';
import { FakeTimer } from './fake-timer';

const local = { address: '127.0.0.1', rtpPort: 20000 };

function msdHarness(numbers: number[], terminalType = 50) {
  const sent: MultimediaSystemControlMessage[] = [];
  const outcomes: MsdOutcome[] = [];
  const timer = new FakeTimer();
  const msd = new MasterSlaveDetermination({
    terminalType,
    send: (m) => sent.push(m),
    random: () => numbers.shift() ?? 1,
    timer: timer.start,
    t106Ms: 1000,
    n100: 3,
    done: (o) => outcomes.push(o),
  });
  return { msd, sent, outcomes, timer };
}

describe('master-slave determination', () => {
  it('makes the larger terminal type master and acknowledges with the peer status', () => {
    const h = msdHarness([100]);
    h.msd.start();
    h.msd.onRequest(190, 5); // an MCU: it is master
    expect(h.sent[1]).toEqual({ response: { masterSlaveDeterminationAck: { decision: { master: null } } } });
    h.msd.onAck('slave');
    expect(h.outcomes).toEqual([{ ok: true, status: 'slave' }]);
    expect(h.timer.armed).toBe(0);
  });

  it('decides equal types by the numbers modulo 2^24 (H.245 §C.2.1.5)', () => {
    const h = msdHarness([0x000010]);
    h.msd.onRequest(50, 0x000020); // peer − local = 0x10 < 2^23: confgate is master
    expect(h.sent[0]).toEqual({ response: { masterSlaveDeterminationAck: { decision: { slave: null } } } });
    h.msd.onAck('master');
    expect(h.msd.status).toBe('master');
    const g = msdHarness([0x000020]);
    g.msd.onRequest(50, 0x000010); // difference wraps to 0xfffff0: slave
    g.msd.onAck('slave');
    expect(g.msd.status).toBe('slave');
  });

  it('answers an outgoing request acknowledged by the peer with its own ack', () => {
    const h = msdHarness([7]);
    h.msd.start();
    h.msd.onAck('master');
    expect(h.sent[1]).toEqual({ response: { masterSlaveDeterminationAck: { decision: { slave: null } } } });
    expect(h.outcomes).toEqual([{ ok: true, status: 'master' }]);
  });

  it('rejects identical numbers, retries indeterminate crossings up to N100, and gives up', () => {
    const idle = msdHarness([5]);
    idle.msd.onRequest(50, 5);
    expect(idle.sent[0]).toEqual({
      response: { masterSlaveDeterminationReject: { cause: { identicalNumbers: null } } },
    });
    const h = msdHarness([5, 6, 7]);
    h.msd.start();
    h.msd.onRequest(50, 5);
    h.msd.onRequest(50, 6);
    expect(h.sent.filter((m) => 'request' in m)).toHaveLength(3);
    h.msd.onRequest(50, 7);
    expect(h.outcomes).toEqual([{ ok: false, reason: 'master-slave determination indeterminate N100 times' }]);
    const r = msdHarness([1, 2, 3]);
    r.msd.start();
    r.msd.onReject();
    r.msd.onReject();
    expect(r.outcomes).toEqual([]);
    r.msd.onReject();
    expect(r.outcomes[0]!.ok).toBe(false);
  });

  it('sends MasterSlaveDeterminationRelease when T106 expires', () => {
    const h = msdHarness([1]);
    h.msd.start();
    h.timer.advance(999);
    expect(h.outcomes).toEqual([]);
    h.timer.advance(1);
    expect(h.sent[1]).toEqual({ indication: { masterSlaveDeterminationRelease: {} } });
    expect(h.outcomes[0]).toEqual({ ok: false, reason: 'T106 expired: no master-slave determination answer' });
  });
});

describe('capability exchange', () => {
  function harness() {
    const sent: MultimediaSystemControlMessage[] = [];
    const done: unknown[] = [];
    const timer = new FakeTimer();
    const cese = new CapabilityExchange({
      send: (m) => sent.push(m),
      timer: timer.start,
      t101Ms: 500,
      outgoingDone: (o) => done.push(o),
      received: (p) => done.push(p),
    });
    return { cese, sent, done, timer };
  }

  it("sends confgate's set (G.711, basicString, dtmf, RFC 2833) and is done on the ack of its number", () => {
    const h = harness();
    h.cese.send();
    const tcs = h.sent[0]!;
    // The set is valid H.245: it survives the codec both ways.
    expect(decodeH245Message(encodeH245Message(tcs))).toEqual(tcs);
    const table =
      'request' in tcs && 'terminalCapabilitySet' in tcs.request
        ? tcs.request.terminalCapabilitySet.capabilityTable
        : [];
    expect(table!.map((e) => Object.keys(e.capability!)[0])).toEqual([
      'receiveAudioCapability',
      'receiveAudioCapability',
      'receiveUserInputCapability',
      'receiveUserInputCapability',
      'receiveRTPAudioTelephonyEventCapability',
    ]);
    h.cese.onAck(9);
    expect(h.done).toEqual([]);
    h.cese.onAck(1);
    expect(h.done).toEqual([{ ok: true }]);
    expect(h.cese.sentAndAcknowledged).toBe(true);
  });

  it("acknowledges the peer's set with its sequence number and keeps the G.711 laws it receives", () => {
    const h = harness();
    h.cese.onSet(
      'request' in terminalCapabilitySet && 'terminalCapabilitySet' in terminalCapabilitySet.request
        ? terminalCapabilitySet.request.terminalCapabilitySet
        : (undefined as never),
    );
    expect(h.sent).toEqual([{ response: { terminalCapabilitySetAck: { sequenceNumber: 1 } } }]);
    expect(h.done).toEqual([{ receiveAudio: ['PCMU', 'PCMA'], empty: false }]);
  });

  it('releases on T101 expiry', () => {
    const h = harness();
    h.cese.send();
    h.timer.advance(500);
    expect(h.sent[1]).toEqual({ indication: { terminalCapabilitySetRelease: {} } });
    expect(h.done).toEqual([{ ok: false, reason: 'T101 expired: capability set not acknowledged' }]);
  });
});

describe('logical channels', () => {
  function harness(media: { address: string; rtpPort: number } | undefined) {
    const sent: MultimediaSystemControlMessage[] = [];
    const events: unknown[] = [];
    const timer = new FakeTimer();
    const lc = new LogicalChannels({
      send: (m) => sent.push(m),
      timer: timer.start,
      t103Ms: 300,
      local: () => media,
      sending: (codec, remote) => events.push({ codec, remote }),
      sendFailed: (reason) => events.push(reason),
    });
    return { lc, sent, events, timer };
  }

  it("acknowledges the peer's G.711 channel with confgate's RTP and RTCP", () => {
    const h = harness(local);
    h.lc.onOpen(g711OpenLogicalChannel);
    const ack = h.sent[0]!;
    expect(ack).toMatchObject({ response: { openLogicalChannelAck: { forwardLogicalChannelNumber: 1 } } });
    expect(decodeH245Message(encodeH245Message(ack))).toEqual(ack);
    const params = JSON.stringify(ack, (_k, v: unknown) => (v instanceof Uint8Array ? [...v] : v));
    expect(params).toContain('"tsapIdentifier":20000');
    expect(params).toContain('"tsapIdentifier":20001');
  });

  it('declines video and channels before the media exists', () => {
    const video: OpenLogicalChannel = {
      ...g711OpenLogicalChannel,
      forwardLogicalChannelNumber: 3,
      forwardLogicalChannelParameters: {
        ...g711OpenLogicalChannel.forwardLogicalChannelParameters,
        dataType: {
          videoData: {
            h261VideoCapability: {
              qcifMPI: 1,
              temporalSpatialTradeOffCapability: false,
              maxBitRate: 3840,
              stillImageTransmission: false,
            },
          },
        },
      },
    };
    const h = harness(local);
    h.lc.onOpen(video);
    expect(h.sent[0]).toEqual({
      response: { openLogicalChannelReject: { forwardLogicalChannelNumber: 3, cause: { dataTypeNotSupported: null } } },
    });
    const early = harness(undefined);
    early.lc.onOpen(g711OpenLogicalChannel);
    expect(early.sent[0]).toMatchObject({ response: { openLogicalChannelReject: { cause: { unspecified: null } } } });
  });

  it("opens confgate's channel, learns the peer's RTP address from the ack, and closes on T103", () => {
    const h = harness(local);
    h.lc.open('PCMA');
    expect(h.sent[0]).toMatchObject({ request: { openLogicalChannel: { forwardLogicalChannelNumber: 1 } } });
    h.lc.onAck({
      forwardLogicalChannelNumber: 1,
      forwardMultiplexAckParameters: {
        h2250LogicalChannelAckParameters: {
          mediaChannel: {
            unicastAddress: { iPAddress: { network: Uint8Array.of(127, 0, 0, 9), tsapIdentifier: 40000 } },
          },
        },
      },
    });
    expect(h.events).toEqual([{ codec: 'PCMA', remote: { address: '127.0.0.9', port: 40000 } }]);
    const late = harness(local);
    late.lc.open('PCMU');
    late.timer.advance(300);
    expect(late.sent[1]).toEqual({
      request: { closeLogicalChannel: { forwardLogicalChannelNumber: 1, source: { user: null } } },
    });
    expect(late.events).toEqual(['T103 expired: the audio channel was not acknowledged']);
  });

  it('acknowledges CloseLogicalChannel and RequestChannelClose, closing its own channel', () => {
    const h = harness(local);
    h.lc.onClose(4);
    h.lc.open('PCMU');
    h.lc.onRequestClose(1);
    expect(h.sent).toEqual([
      { response: { closeLogicalChannelAck: { forwardLogicalChannelNumber: 4 } } },
      expect.objectContaining({ request: expect.objectContaining({ openLogicalChannel: expect.anything() }) }),
      { response: { requestChannelCloseAck: { forwardLogicalChannelNumber: 1 } } },
      { request: { closeLogicalChannel: { forwardLogicalChannelNumber: 1, source: { user: null } } } },
    ]);
    expect(h.timer.armed).toBe(0);
  });
});

describe('the H.245 session', () => {
  function harness(fastStart = false) {
    const sent: MultimediaSystemControlMessage[] = [];
    const events: unknown[] = [];
    const timer = new FakeTimer();
    const session = new H245Session({
      send: (m) => sent.push(m),
      timer: timer.start,
      timers: H245_TIMERS,
      random: () => 0x10,
      terminalType: 50,
      local: () => local,
      audioByFastStart: () => fastStart,
      events: {
        key: (k) => events.push(k),
        sending: (codec, remote) => events.push({ codec, remote }),
        ended: () => events.push('ended'),
        failed: (r) => events.push(r),
      },
    });
    return { session, sent, events, timer };
  }
  const kinds = (sent: MultimediaSystemControlMessage[]) =>
    sent.map((m) => `${Object.keys(m)[0]}.${Object.keys(Object.values(m)[0] as object)[0]}`);

  it('runs slow start: TCS and MSD both ways, then opens the audio channel in a law the peer receives', () => {
    const h = harness();
    h.session.receive(terminalCapabilitySet);
    h.session.receive({ request: { masterSlaveDetermination: { terminalType: 50, statusDeterminationNumber: 0x20 } } });
    h.session.receive({ response: { terminalCapabilitySetAck: { sequenceNumber: 1 } } });
    h.session.receive({ response: { masterSlaveDeterminationAck: { decision: { master: null } } } });
    expect(kinds(h.sent)).toEqual([
      'request.terminalCapabilitySet',
      'request.masterSlaveDetermination',
      'response.terminalCapabilitySetAck',
      'response.masterSlaveDeterminationAck',
      'request.openLogicalChannel',
    ]);
    expect(JSON.stringify(h.sent[4])).toContain('g711Ulaw64k');
    expect(h.events).toEqual([]);
  });

  it('opens no channel of its own when fast start carries the audio', () => {
    const h = harness(true);
    h.session.receive(terminalCapabilitySet);
    h.session.receive({ response: { terminalCapabilitySetAck: { sequenceNumber: 1 } } });
    h.session.receive({ response: { masterSlaveDeterminationAck: { decision: { master: null } } } });
    expect(kinds(h.sent)).not.toContain('request.openLogicalChannel');
  });

  it('turns user input into keys: alphanumeric per character, signal once, signalUpdate none', () => {
    const h = harness();
    h.session.receive({ indication: { userInput: { alphanumeric: '12#' } } });
    h.session.receive({ indication: { userInput: { signal: { signalType: '*', duration: 100 } } } });
    h.session.receive({ indication: { userInput: { signalUpdate: { duration: 300 } } } });
    expect(h.events).toEqual([
      { key: '1', method: 'h245-alphanumeric' },
      { key: '2', method: 'h245-alphanumeric' },
      { key: '#', method: 'h245-alphanumeric' },
      { key: '*', method: 'h245-signal' },
    ]);
  });

  it('answers round-trip delay, refuses unknown requests with functionNotSupported, and ends on EndSessionCommand', () => {
    const h = harness();
    h.session.receive({ request: { roundTripDelayRequest: { sequenceNumber: 7 } } });
    const unknown: MultimediaSystemControlMessage = {
      request: { maintenanceLoopRequest: { type: { systemLoop: null } } },
    };
    h.session.receive(unknown);
    h.session.receive({ command: { endSessionCommand: { disconnect: null } } });
    expect(h.sent).toContainEqual({ response: { roundTripDelayResponse: { sequenceNumber: 7 } } });
    expect(h.sent).toContainEqual({
      indication: {
        functionNotSupported: { cause: { unknownFunction: null }, returnedFunction: encodeH245Message(unknown) },
      },
    });
    expect(h.sent.at(-1)).toEqual({ command: { endSessionCommand: { disconnect: null } } });
    expect(h.events).toEqual(['ended']);
    expect(h.timer.armed).toBe(0);
  });
});
