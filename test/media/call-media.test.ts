import { createSocket, type Socket } from 'node:dgram';
import { alaw, mulaw } from 'alawmulaw';
import { CallMedia, type MediaEndpointContext } from '../../src/media/call-media';
import type { CollectedDigit } from '../../src/media/dtmf/dtmf-collector';
import { PacingClock } from '../../src/media/rtp/pacing-clock';
import { parseRtpPacket, serializeRtpPacket, type RtpPacket } from '../../src/media/rtp/rtp-packet';
import { RtpPortAllocator } from '../../src/media/rtp/rtp-port-allocator';
import type { NegotiatedAudio } from '../../src/media/sdp/negotiated-audio';
import { dtmfSequence } from '../fixtures/media/dtmf-tones';
import { waitFor } from './support/udp-peer';

/** A loopback peer playing the caller: receives our RTP, sends its own. */
class Peer {
  readonly packets: RtpPacket[] = [];
  private constructor(readonly socket: Socket) {
    socket.on('message', (datagram) => {
      const packet = parseRtpPacket(datagram);
      if (typeof packet !== 'string') this.packets.push(packet);
    });
  }
  static async open(): Promise<Peer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new Peer(socket);
  }
  get port(): number {
    return this.socket.address().port;
  }
  send(to: number, datagram: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) =>
      this.socket.send(datagram, to, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
    );
  }
  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

function audioTo(peer: Peer, overrides: Partial<NegotiatedAudio> = {}): NegotiatedAudio {
  return {
    codec: 'PCMU',
    payloadType: 0,
    telephoneEventPayloadType: 101,
    remote: { address: '127.0.0.1', port: peer.port },
    direction: 'sendrecv',
    ...overrides,
  };
}

function ramp(samples: number): Int16Array {
  return Int16Array.from({ length: samples }, (_, i) => ((i * 37) % 2000) - 1000);
}

describe.each(['native', 'dgram'] as const)('CallMedia over loopback (%s RTP I/O)', (rtpIo) => {
  let context: MediaEndpointContext;
  const opened: Array<{ close(): Promise<void> }> = [];
  beforeEach(() => {
    context = {
      allocator: new RtpPortAllocator(23000, 23199),
      clock: new PacingClock(),
      bindAddress: '127.0.0.1',
      rtpIo,
    };
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((o) => o.close()));
  });
  async function open(onDigit: (d: CollectedDigit) => void = () => undefined): Promise<CallMedia> {
    const media = await CallMedia.open(context, onDigit);
    opened.push(media);
    expect(media.rtpBackend).toBe(rtpIo);
    return media;
  }
  async function peer(): Promise<Peer> {
    const p = await Peer.open();
    opened.push(p);
    return p;
  }

  test('prompts go out as 20 ms G.711 packets: sequence +1, timestamp +160, one SSRC, marker on each talkspurt', async () => {
    const caller = await peer();
    const media = await open();
    media.start(audioTo(caller));
    const prompt = ramp(160 * 10 + 40); // 10.25 packets: the last one is padded with silence
    let ended = 0;
    media.play(prompt, () => ended++);
    await waitFor(() => ended === 1 && caller.packets.length === 11);
    await new Promise((resolve) => setTimeout(resolve, 100)); // silence: nothing is sent
    expect(caller.packets).toHaveLength(11);
    media.play(ramp(320), () => ended++);
    await waitFor(() => ended === 2 && caller.packets.length === 13);

    const [first, ...rest] = caller.packets;
    expect(first!.marker).toBe(true);
    expect(first!.payloadType).toBe(0);
    for (const [i, p] of rest.entries()) {
      expect(p.ssrc).toBe(first!.ssrc);
      expect(p.sequenceNumber).toBe((first!.sequenceNumber + i + 1) & 0xffff);
      expect(p.payload).toHaveLength(160);
    }
    // 160 per tick; a starved event loop makes the clock skip ticks, and the timestamp then follows real time (RFC 3550 §5.1).
    for (let i = 1; i < 11; i++) {
      const step = (caller.packets[i]!.timestamp - caller.packets[i - 1]!.timestamp) >>> 0;
      expect(step % 160 === 0 && step >= 160 && step <= 160 * 50).toBe(true);
    }
    expect(caller.packets.slice(1, 11).every((p) => !p.marker)).toBe(true);
    // The second prompt starts a talkspurt: marker set, timestamp moved on by the silent time too.
    const second = caller.packets[11]!;
    expect(second.marker).toBe(true);
    const gap = (second.timestamp - caller.packets[10]!.timestamp) >>> 0;
    expect(gap % 160).toBe(0);
    expect(gap).toBeGreaterThanOrEqual(160 * 5);
    // The audio is the prompt, μ-law encoded, padded with μ-law silence.
    const sent = Buffer.concat(caller.packets.slice(0, 11).map((p) => Buffer.from(p.payload)));
    expect(sent.subarray(0, prompt.length)).toEqual(Buffer.from(mulaw.encode(prompt)));
    expect([...sent.subarray(prompt.length)].every((b) => b === 0xff)).toBe(true);
  });

  test('all calls share one timer; barge-in stops a prompt; close frees ports and the clock', async () => {
    const caller = await peer();
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const baseline = timers();
    const calls = await Promise.all(Array.from({ length: 20 }, () => CallMedia.open(context, () => undefined)));
    for (const call of calls) {
      call.start(audioTo(caller));
      call.play(ramp(8000));
    }
    expect(context.clock.size).toBe(20);
    expect(timers()).toBe(baseline + 1);
    await waitFor(() => caller.packets.length >= 100);
    for (const call of calls) call.stopPlayback();
    expect(calls.every((c) => !c.playing)).toBe(true);
    await Promise.all(calls.map((c) => c.close()));
    expect(context.clock.running).toBe(false);
    expect(context.allocator.inUse).toBe(0);
  });

  test('symmetric RTP: latches to where the caller really sends from, ignores other sources', async () => {
    const sdpAddress = await peer();
    const natted = await peer();
    const intruder = await peer();
    const media = await open();
    media.start(audioTo(sdpAddress));
    const packet = (seq: number): Buffer =>
      serializeRtpPacket({
        marker: false,
        payloadType: 0,
        sequenceNumber: seq,
        timestamp: seq * 160,
        ssrc: 7,
        payload: new Uint8Array(160).fill(0xff),
      });
    await natted.send(media.port, packet(1));
    await waitFor(() => media.rtpStats.received === 1);
    await intruder.send(media.port, packet(2));
    await new Promise((resolve) => setTimeout(resolve, 50)); // dropped: by us, or by the kernel once the socket is connected
    expect(media.rtpStats.received).toBe(1);
    media.play(ramp(480));
    await waitFor(() => natted.packets.length === 3);
    expect(sdpAddress.packets).toHaveLength(0);
    expect(intruder.packets).toHaveLength(0);
    // A re-INVITE with a new address undoes the latch: the new SDP address gets the audio.
    const moved = await peer();
    media.start(audioTo(moved));
    media.play(ramp(320));
    await waitFor(() => moved.packets.length === 2);
    expect(natted.packets).toHaveLength(3);
  });

  test('RFC 4733, in-band and SIP INFO digits reach one stream, echoes suppressed, methods recorded; RTCP ignored', async () => {
    const caller = await peer();
    const digits: CollectedDigit[] = [];
    const media = await open((d) => digits.push(d));
    media.start(audioTo(caller, { telephoneEventPayloadType: 96 }));
    let seq = 0;
    let ts = 1000;
    const send = (payloadType: number, payload: Uint8Array, timestamp = ts): Promise<void> =>
      caller.send(
        media.port,
        serializeRtpPacket({ marker: false, payloadType, sequenceNumber: seq++, timestamp, ssrc: 42, payload }),
      );

    // An in-band-only gateway first: tones in μ-law audio, 20 ms packets.
    const tones = mulaw.encode(dtmfSequence('53', 80, 80));
    for (let i = 0; i + 160 <= tones.length; i += 160, ts += 160) await send(0, tones.subarray(i, i + 160));
    await waitFor(() => digits.length === 2);
    // Then RFC 4733 events (with the gateway also leaving the tone in the audio: once a call has
    // signalled out of band its audio is no longer run through the in-band detector, so no echo).
    const eventTs = ts;
    for (const [i, d] of [160, 320, 480, 480, 480].entries())
      await send(96, Uint8Array.of(8, i >= 2 ? 0x8a : 0x0a, d >> 8, d & 0xff), eventTs);
    const echo = mulaw.encode(dtmfSequence('8', 80, 40));
    for (let i = 0; i + 160 <= echo.length; i += 160, ts += 160) await send(0, echo.subarray(i, i + 160));
    await waitFor(() => digits.length === 3);
    // And a SIP INFO handed over by the SIP layer.
    expect(media.receiveSipInfo('application/dtmf-relay', 'Signal=#\r\nDuration=160')).toMatchObject({
      kind: 'digit',
      digit: '#',
      sipStatus: 200,
    });
    expect(media.receiveSipInfo('application/media_control+xml', '<x/>')).toMatchObject({ sipStatus: 415 });
    // RTCP to the odd port is read and ignored.
    await caller.send(media.port + 1, Buffer.from([0x80, 201, 0, 1, 0, 0, 0, 42]));
    await waitFor(() => media.rtpStats.rtcp === 1 && digits.length === 4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(digits.map((d) => `${d.digit}:${d.method}`)).toEqual(['5:inband', '3:inband', '8:rfc4733', '#:sip-info']);
    expect(media.dtmf).toEqual({
      accepted: { rfc4733: 1, 'sip-info': 1, inband: 2 },
      suppressed: 0,
      firstMethod: 'inband',
    });
  });

  test('a re-INVITE switching to PCMA mid-prompt: the prompt goes on in A-law, same SSRC, sequence unbroken, onEnd still called', async () => {
    const caller = await peer();
    const media = await open();
    media.start(audioTo(caller));
    const prompt = ramp(160 * 30);
    let ended = false;
    media.play(prompt, () => (ended = true));
    await waitFor(() => caller.packets.length >= 5);
    media.start(audioTo(caller, { codec: 'PCMA', payloadType: 8 }));
    await waitFor(() => ended);
    await waitFor(() => caller.packets.length === 30);
    const switchAt = caller.packets.findIndex((p) => p.payloadType === 8);
    expect(switchAt).toBeGreaterThanOrEqual(5);
    expect(caller.packets.slice(switchAt).every((p) => p.payloadType === 8 && p.ssrc === caller.packets[0]!.ssrc)).toBe(
      true,
    );
    caller.packets.forEach((p, i) => expect(p.sequenceNumber).toBe((caller.packets[0]!.sequenceNumber + i) & 0xffff));
    const expected = alaw.encode(prompt.subarray(switchAt * 160, switchAt * 160 + 160));
    expect(Buffer.from(caller.packets[switchAt]!.payload)).toEqual(Buffer.from(expected));
  });

  test('a prompt queued before the codec is known (offerless INVITE) plays once the answer arrives', async () => {
    const caller = await peer();
    const media = await open();
    let ended = false;
    media.play(ramp(320), () => (ended = true));
    expect(media.playing).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(caller.packets).toHaveLength(0);
    media.start(audioTo(caller, { codec: 'PCMA', payloadType: 8 }));
    await waitFor(() => ended && caller.packets.length === 2);
    expect(caller.packets.map((p) => p.payloadType)).toEqual([8, 8]);
  });

  test('a digit handler that throws does not crash the process: the packet is counted and the call goes on', async () => {
    const caller = await peer();
    const media = await open(() => {
      throw new Error('IVR bug');
    });
    media.start(audioTo(caller));
    const event = (ts: number): Buffer =>
      serializeRtpPacket({
        marker: true,
        payloadType: 101,
        sequenceNumber: ts,
        timestamp: ts,
        ssrc: 9,
        payload: Uint8Array.of(5, 0x0a, 0, 160),
      });
    await caller.send(media.port, event(100));
    await caller.send(media.port, event(2000));
    await waitFor(() => media.rtpStats.handlerErrors === 2);
    expect(media.dtmf.accepted.rfc4733).toBe(2);
  });

  test('sendonly callers (we are recvonly) hear nothing; a hold address sends nothing until their RTP arrives', async () => {
    const caller = await peer();
    const media = await open();
    media.start(audioTo(caller, { direction: 'recvonly' }));
    media.play(ramp(800));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(caller.packets).toHaveLength(0);
    media.start(audioTo(caller, { remote: undefined }));
    media.play(ramp(1600));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(caller.packets).toHaveLength(0);
    await caller.send(
      media.port,
      serializeRtpPacket({
        marker: true,
        payloadType: 0,
        sequenceNumber: 1,
        timestamp: 1,
        ssrc: 1,
        payload: new Uint8Array(160),
      }),
    );
    await waitFor(() => caller.packets.length > 0);
  });
});
