/**
 * `npm run bench:ivr`: how many concurrent IVR calls one confgate process carries on loopback while
 * every call plays a prompt through the shared pacing clock and runs RFC 4733 decoding and the
 * in-band Goertzel detector on the audio it receives.
 *
 * The confgate side (this process) opens N CallMedia, each with its own RTP/RTCP socket pair. A
 * load generator in a child process (its own core) plays N callers from one socket: 20 ms μ-law
 * packets looping 5387#8688# as in-band tones; every second caller also sends the keys as RFC 4733
 * events, like a gateway that leaves the tones in the audio.
 *
 * Pacing jitter is measured on the wire: dumpcap captures the prompt packets of 20 calls on the
 * loopback interface with kernel timestamps, and the jitter of a packet is |capture spacing -
 * timestamp spacing| (RFC 3550 §6.4.1's D without smoothing). The generator also measures it at its
 * socket, which adds its own event-loop delays (it sends up to 60k packets/s in bursts). This process
 * reports its tick lateness and CPU time. When taskset exists, confgate runs on CPU 0 and the
 * generator on CPU 1. Levels rise until the jitter p99 passes 5 ms or confgate needs more than one
 * core. Bounded: about 15 s per level, at most six levels.
 *
 * Usage: npm run bench:ivr [-- 250,500,1000]; BENCH_WARMUP_MS / BENCH_MEASURE_MS change the phases;
 * BENCH_FLOOR=1 measures the same traffic through bare sockets, without any media work; BENCH_SLOTS
 * sets the pacing clock's slots; BENCH_RTP_IO=native|dgram|auto picks the RTP I/O backend (default auto:
 * the native addon when built); BENCH_GENERATOR_IO=native lets the load generator send and receive through
 * the addon too (one socket, so each tick is a few sendmmsg calls), for levels where dgram cannot keep up.
 * Each level also reports the generator's real send rate and the
 * datagrams the kernel dropped (at confgate's sockets, and system-wide), which tell an overloaded
 * generator or an overflowing receive queue from a pacing problem.
 * On a machine shared with other work, `chrt -f 10 npm run bench:ivr` (root) keeps the scheduler's
 * queueing out of the jitter figures; docs/benchmarks.md gives both.
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type RemoteInfo } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallMedia, type MediaEndpointContext } from '../src/media/call-media';
import { encodeG711 } from '../src/media/codec/g711';
import { LatenessHistogram } from '../src/media/rtp/lateness-histogram';
import { NativeRtpIo, RECORD } from '../src/media/rtp/native-rtp-io';
import { PacingClock } from '../src/media/rtp/pacing-clock';
import { parseRtpPacket, serializeRtpPacket } from '../src/media/rtp/rtp-packet';
import { RtpPortAllocator } from '../src/media/rtp/rtp-port-allocator';
import type { RtpEndpointAddress } from '../src/media/rtp/rtp-endpoint-address';
import type { RtpIoChoice } from '../src/media/rtp/rtp-socket-backend';
import { openRtpSocketPair } from '../src/media/rtp/open-rtp-socket-pair';
import type { RtpSocketPair } from '../src/media/rtp/rtp-socket-pair';
import { rtpSocketBackend } from '../src/media/rtp/select-rtp-socket-backend';
import { concatPcm, dtmfSequence, silence } from '../test/fixtures/media/dtmf-tones';
import { readUdpPcap } from '../test/media/pcap-reader';

const KEYS = '5387#8688#';
const TONE_MS = 100;
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 3000);
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 10000);
const JITTER_TARGET_MS = 5;
const TELEPHONE_EVENT_PT = 101;
/** BENCH_FLOOR=1: sockets and clock only, no media work (see BareRtpCall). */
const FLOOR = process.env.BENCH_FLOOR === '1';
/** Calls whose prompt packets are captured on the wire (kernel timestamps) to measure pacing jitter. */
const SAMPLED_CALLS = 20;
/** BENCH_SLOTS: slots of confgate's pacing clock (its default when unset). */
const PACER_SLOTS = process.env.BENCH_SLOTS === undefined ? undefined : Number(process.env.BENCH_SLOTS);
/** BENCH_RTP_IO: confgate's RTP I/O backend (media.rtpIo). */
const RTP_IO = (process.env.BENCH_RTP_IO ?? 'auto') as RtpIoChoice;
if (!['auto', 'native', 'dgram'].includes(RTP_IO))
  throw new Error(`BENCH_RTP_IO must be auto, native or dgram, not ${RTP_IO}`);
/** BENCH_GENERATOR_IO: the load generator's socket I/O. */
const GENERATOR_IO = process.env.BENCH_GENERATOR_IO ?? 'dgram';
if (!['native', 'dgram'].includes(GENERATOR_IO))
  throw new Error(`BENCH_GENERATOR_IO must be native or dgram, not ${GENERATOR_IO}`);

/** Messages between the two processes. */
type ToGenerator = { kind: 'start'; ports: number[] } | { kind: 'reset' } | { kind: 'report' } | { kind: 'stop' };
type FromGenerator =
  | { kind: 'ready'; port: number }
  | {
      kind: 'report';
      jitterP50: number;
      jitterP99: number;
      jitterMax: number;
      received: number;
      sent: number;
      cpuMs: number;
      wallMs: number;
    };

/** Child processes of a level still running (dumpcap), for the watchdog. */
const children = new Set<ChildProcess>();

if (process.argv[2] === 'load-generator') runLoadGenerator();
else void runBenchmark();

// ---------------------------------------------------------------- confgate side

interface LevelResult {
  calls: number;
  /** The RTP I/O backend the calls ran on. */
  backend: string;
  cpuPercent: number;
  generatorCpuPercent: number;
  tickStartP99: number;
  tickEndP99: number;
  tickEndMax: number;
  jitterP50: number;
  jitterP99: number;
  jitterMax: number;
  wireSamples: number;
  generatorJitterP99: number;
  /** Packets the generator sent per second: below the expected rate, the generator itself fell behind. */
  generatorSentPerSecond: number;
  /** UDP datagrams the kernel dropped for a full receive buffer during the measurement (system-wide counter). */
  udpRcvbufErrors: number;
  /** Of those, datagrams dropped at confgate's RTP sockets over the whole level, warm-up included (/proc/net/udp). */
  confgateSocketDrops: number;
  packetsOutPerSecond: number;
  packetsInPerSecond: number;
  digitsOk: number;
  digitsByMethod: string;
  skippedTicks: number;
  streamErrors: number;
}

async function runBenchmark(): Promise<void> {
  const levels = (process.argv[2] ?? '250,500,1000,1500,2000,2500').split(',').map(Number).slice(0, 6);
  const generator = fork(__filename, ['load-generator'], { stdio: 'inherit' });
  pinToCpu(process.pid, 0);
  pinToCpu(generator.pid!, 1);
  const generatorPort = await nextMessage(generator, 'ready').then((m) => m.port);
  const prompt = promptAudio();
  const results: LevelResult[] = [];
  try {
    for (const calls of levels) {
      // An overloaded level can hang: dumpcap inherits CPU 0 and SCHED_FIFO, and never runs while
      // confgate is busy. Past 3x the level's time, stop everything rather than hold both cores.
      const watchdog = setTimeout(
        () => {
          console.error(`level ${calls}: no result after ${3 * (WARMUP_MS + MEASURE_MS)} ms (overloaded); stopping`);
          for (const child of [generator, ...children]) child.kill('SIGKILL');
          process.exit(2);
        },
        3 * (WARMUP_MS + MEASURE_MS),
      );
      const result = await runLevel(calls, generator, generatorPort, prompt).finally(() => clearTimeout(watchdog));
      results.push(result);
      console.error(JSON.stringify(result));
      if (result.cpuPercent > 100 || (!FLOOR && result.jitterP99 > JITTER_TARGET_MS)) break;
    }
  } finally {
    generator.send({ kind: 'stop' } satisfies ToGenerator);
  }
  printMarkdown(results);
}

async function runLevel(
  calls: number,
  generator: ChildProcess,
  generatorPort: number,
  prompt: Int16Array,
): Promise<LevelResult> {
  let streamErrors = 0;
  const clock = new PacingClock({ slots: PACER_SLOTS, onStreamError: () => streamErrors++ });
  const context: MediaEndpointContext = {
    allocator: new RtpPortAllocator(30000, 39999),
    clock,
    bindAddress: '127.0.0.1',
    rtpIo: RTP_IO,
  };
  const collected: string[] = Array.from({ length: calls }, () => '');
  let media: BenchCall[];
  if (FLOOR) media = await Promise.all(Array.from({ length: calls }, () => BareRtpCall.open(context, generatorPort)));
  else {
    const opened = await Promise.all(
      Array.from({ length: calls }, (_, i) => CallMedia.open(context, (d) => (collected[i] += d.digit))),
    );
    for (const call of opened) {
      call.start({
        codec: 'PCMU',
        payloadType: 0,
        telephoneEventPayloadType: TELEPHONE_EVENT_PT,
        remote: { address: '127.0.0.1', port: generatorPort },
        direction: 'sendrecv',
      });
      const loop = (): void => call.play(prompt, loop);
      loop();
    }
    media = opened;
  }
  generator.send({ kind: 'start', ports: media.map((m) => m.port) } satisfies ToGenerator);
  await sleep(WARMUP_MS);
  context.clock.tickStartLateness.reset();
  context.clock.tickEndLateness.reset();
  collected.fill('');
  const sentBefore = media.reduce((n, m) => n + m.rtpStats.sent, 0);
  const receivedBefore = media.reduce((n, m) => n + m.rtpStats.received, 0);
  const byMethodBefore = digitsByMethod(media);
  generator.send({ kind: 'reset' } satisfies ToGenerator);
  const capture = captureWire(
    media.slice(0, SAMPLED_CALLS).map((m) => m.port),
    generatorPort,
    MEASURE_MS,
  );
  const rcvbufErrorsBefore = udpRcvbufErrors();
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  await sleep(MEASURE_MS);
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - wallBefore;
  const sent = media.reduce((n, m) => n + m.rtpStats.sent, 0) - sentBefore;
  const received = media.reduce((n, m) => n + m.rtpStats.received, 0) - receivedBefore;
  const rcvbufErrors = udpRcvbufErrors() - rcvbufErrorsBefore;
  generator.send({ kind: 'report' } satisfies ToGenerator);
  const report = await nextMessage(generator, 'report');
  const wire = await capture;
  const byMethod = digitsByMethod(media);
  // Each call's digits must be a run of the looped key sequence: nothing lost, doubled or invented.
  const pattern = KEYS.repeat(Math.ceil(MEASURE_MS / 1000) + 2);
  const digitsOk = collected.filter((d) => d.length >= 10 && pattern.includes(d)).length;
  const confgateSocketDrops = udpSocketDrops(new Set(media.map((m) => m.port)));
  await Promise.all(media.map((m) => m.close()));
  if (context.allocator.inUse !== 0 || context.clock.running) throw new Error('ports or clock leaked');
  return {
    calls,
    backend: media[0]?.rtpBackend ?? 'none',
    cpuPercent: round(((cpu.user + cpu.system) / 1000 / wallMs) * 100),
    generatorCpuPercent: round((report.cpuMs / report.wallMs) * 100),
    tickStartP99: context.clock.tickStartLateness.percentile(0.99),
    tickEndP99: context.clock.tickEndLateness.percentile(0.99),
    tickEndMax: round(context.clock.tickEndLateness.max),
    jitterP50: wire.percentile(0.5),
    jitterP99: wire.percentile(0.99),
    jitterMax: round(wire.max),
    wireSamples: wire.samples,
    generatorJitterP99: report.jitterP99,
    generatorSentPerSecond: Math.round(report.sent / (report.wallMs / 1000)),
    udpRcvbufErrors: rcvbufErrors,
    confgateSocketDrops,
    packetsOutPerSecond: Math.round(sent / (wallMs / 1000)),
    packetsInPerSecond: Math.round(received / (wallMs / 1000)),
    digitsOk,
    digitsByMethod: `${byMethod.rfc4733 - byMethodBefore.rfc4733} rfc4733 / ${byMethod.inband - byMethodBefore.inband} in-band`,
    skippedTicks: context.clock.skippedTicks,
    streamErrors,
  };
}

/** What a level needs of a call: CallMedia, or the bare sockets of the floor mode. */
interface BenchCall {
  port: number;
  rtpBackend: string;
  rtpStats: { sent: number; received: number };
  dtmf: { accepted: { rfc4733: number; inband: number } };
  close(): Promise<void>;
}

/**
 * The floor: the same sockets and clock with no media work (no parsing, decoding, detection or
 * encoding), to tell the cost of Node's UDP I/O on this machine from the cost of the media code.
 */
class BareRtpCall implements BenchCall {
  readonly rtpStats = { sent: 0, received: 0 };
  readonly dtmf = { accepted: { rfc4733: 0, inband: 0 } };
  private static nextSsrc = 1;
  private readonly packet = serializeRtpPacket({
    marker: false,
    payloadType: 0,
    sequenceNumber: 0,
    timestamp: 0,
    ssrc: BareRtpCall.nextSsrc++,
    payload: new Uint8Array(160),
  });
  private constructor(
    private readonly sockets: RtpSocketPair,
    private readonly detach: () => void,
    private readonly generator: RtpEndpointAddress,
  ) {}

  static async open(context: MediaEndpointContext, generatorPort: number): Promise<BareRtpCall> {
    const sockets = await openRtpSocketPair(context.allocator, context.bindAddress, rtpSocketBackend(context.rtpIo));
    const generator: RtpEndpointAddress = { address: '127.0.0.1', port: generatorPort };
    sockets.pin(generator);
    let call: BareRtpCall | undefined;
    const detach = context.clock.add({ tick: () => call?.send() });
    call = new BareRtpCall(sockets, detach, generator);
    sockets.listen({
      rtp: () => {
        // The same pacing as CallMedia: due prompts go out from the receive path too.
        context.clock.serveIfDue();
        call!.rtpStats.received++;
      },
      rtcp: () => undefined,
      dropped: () => undefined,
      oversize: () => undefined,
    });
    return call;
  }

  get port(): number {
    return this.sockets.port;
  }

  get rtpBackend(): string {
    return this.sockets.backend;
  }

  private send(): void {
    // Same buffer each time, with its sequence number and timestamp moved on, so the wire capture can time it.
    this.packet.writeUInt16BE((this.rtpStats.sent + 1) & 0xffff, 2);
    this.packet.writeUInt32BE(((this.rtpStats.sent + 1) * 160) >>> 0, 4);
    // Re-used buffer: a connected dgram socket sends at once, the native backend copies it.
    this.sockets.send(this.packet, this.generator);
    this.rtpStats.sent++;
  }

  close(): Promise<void> {
    this.detach();
    return this.sockets.close();
  }
}

function digitsByMethod(media: readonly BenchCall[]): { rfc4733: number; inband: number } {
  return media.reduce(
    (sum, m) => ({ rfc4733: sum.rfc4733 + m.dtmf.accepted.rfc4733, inband: sum.inband + m.dtmf.accepted.inband }),
    { rfc4733: 0, inband: 0 },
  );
}

/** Three seconds of voice-like audio: a 140 Hz harmonic series with a syllable-rate envelope. */
function promptAudio(): Int16Array {
  const out = new Int16Array(24000);
  for (let i = 0; i < out.length; i++) {
    const t = i / 8000;
    let v = 0;
    for (let h = 1; h <= 12; h++) v += Math.sin(2 * Math.PI * 140 * h * t) / h;
    out[i] = Math.round(4000 * v * (0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t)));
  }
  return out;
}

function printMarkdown(results: readonly LevelResult[]): void {
  const lines = [
    `RTP I/O backend: ${results[0]?.backend ?? RTP_IO}; load generator: ${GENERATOR_IO}.`,
    '',
    '| calls | confgate CPU (% of one core) | pacing jitter on the wire p50 / p99 / max | tick start p99 | tick end p99 / max | jitter at the generator p99 | RTP out / in per s | calls with exact digits | digits accepted | generator CPU |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.calls} | ${r.cpuPercent} | ${r.jitterP50} / ${r.jitterP99} / ${r.jitterMax} ms (${r.wireSamples} packets) | ${r.tickStartP99} ms | ${r.tickEndP99} / ${r.tickEndMax} ms | ${r.generatorJitterP99} ms | ${r.packetsOutPerSecond} / ${r.packetsInPerSecond} | ${r.digitsOk}/${r.calls} | ${r.digitsByMethod} | ${r.generatorCpuPercent} |`,
    ),
  ];
  const passing = results.filter(
    (r) => r.jitterP99 <= JITTER_TARGET_MS && r.cpuPercent <= 100 && r.digitsOk === r.calls && r.streamErrors === 0,
  );
  lines.push(
    '',
    `Largest level meeting jitter p99 <= ${JITTER_TARGET_MS} ms on one core with every call's digits exact: ${passing.at(-1)?.calls ?? 'none'} calls.`,
  );
  console.log(lines.join('\n'));
}

/**
 * Captures, with dumpcap on the loopback interface, the prompt packets of the calls on `ports` for
 * `durationMs`, and returns the jitter of each packet against its RTP timestamp.
 */
async function captureWire(
  ports: readonly number[],
  generatorPort: number,
  durationMs: number,
): Promise<LatenessHistogram> {
  const dir = mkdtempSync(join(tmpdir(), 'cg-bench-ivr-'));
  const file = join(dir, 'prompts.pcap');
  const filter = `udp and dst port ${generatorPort} and (${ports.map((p) => `src port ${p}`).join(' or ')})`;
  const dumpcap = spawn(
    'dumpcap',
    ['-q', '-P', '-i', 'lo', '-f', filter, '-a', `duration:${Math.round(durationMs / 1000)}`, '-w', file],
    { stdio: 'ignore' },
  );
  children.add(dumpcap);
  dumpcap.on('exit', () => children.delete(dumpcap));
  await new Promise<void>((resolve, reject) => {
    dumpcap.on('error', reject);
    dumpcap.on('exit', () => resolve());
  });
  const jitter = new LatenessHistogram();
  try {
    const last = new Map<number, { timeUs: number; timestamp: number }>();
    for (const datagram of readUdpPcap(readFileSync(file))) {
      const packet = parseRtpPacket(datagram.payload);
      if (typeof packet === 'string') continue;
      const previous = last.get(packet.ssrc);
      if (previous && !packet.marker)
        jitter.record(
          Math.abs((datagram.timeUs - previous.timeUs) / 1000 - ((packet.timestamp - previous.timestamp) >>> 0) / 8),
        );
      last.set(packet.ssrc, { timeUs: datagram.timeUs, timestamp: packet.timestamp });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return jitter;
}

/** The kernel's count of UDP datagrams dropped for a full receive buffer (RcvbufErrors, /proc/net/snmp); 0 where unreadable. */
function udpRcvbufErrors(): number {
  try {
    const [names, values] = readFileSync('/proc/net/snmp', 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('Udp:'));
    const column = names!.split(/\s+/).indexOf('RcvbufErrors');
    return Number(values!.split(/\s+/)[column]) || 0;
  } catch {
    return 0;
  }
}

/** Datagrams dropped so far at the IPv4 UDP sockets bound to `ports` (last column of /proc/net/udp); 0 where unreadable. */
function udpSocketDrops(ports: ReadonlySet<number>): number {
  try {
    let drops = 0;
    for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length > 2 && ports.has(parseInt(fields[1]!.split(':')[1]!, 16))) drops += Number(fields.at(-1));
    }
    return drops;
  } catch {
    return 0;
  }
}

/** Pins a process to one CPU when taskset is there, so confgate's figures are one core's. */
function pinToCpu(pid: number, cpu: number): void {
  try {
    execFileSync('taskset', ['-cp', String(cpu), String(pid)], { stdio: 'ignore' });
  } catch {
    // No taskset (or one CPU): the figures are then per process, not per pinned core.
  }
}

// ---------------------------------------------------------------- load generator (child process)

interface SimulatedCaller {
  port: number;
  ssrc: number;
  sequenceNumber: number;
  timestamp: number;
  frame: number;
  sendsEvents: boolean;
  /** Timestamp of the current event's first frame, for RFC 4733 (§2.5.1.2). */
  eventTimestamp: number;
}

/** The generator's one socket: Node's dgram, or the native addon (batched sends on one socket). */
interface GeneratorSocket {
  send(datagram: Uint8Array, port: number): void;
  close(): void;
}

function openGeneratorSocket(
  onDatagram: (datagram: Uint8Array) => void,
  ready: (port: number) => void,
): GeneratorSocket {
  if (GENERATOR_IO === 'native') {
    const io = NativeRtpIo.load();
    // The addon binds a given port only; one below confgate's range (30000-39999) that is free.
    let port = 29000;
    let id = io.open('127.0.0.1', port);
    while (id < 0 && port < 29999) id = io.open('127.0.0.1', ++port);
    if (id < 0) throw new Error('no free port for the native load generator');
    io.attach({
      id,
      received: (records, at, data) =>
        onDatagram(
          data.subarray(records[at + RECORD.offset]!, records[at + RECORD.offset]! + records[at + RECORD.length]!),
        ),
      sendFailed: () => undefined,
    });
    const destinations = new Map<number, Int32Array>();
    setImmediate(() => ready(port));
    return {
      send(datagram, to) {
        let destination = destinations.get(to);
        if (!destination) {
          destination = new Int32Array(io.stride);
          io.resolve('127.0.0.1', to, destination);
          destinations.set(to, destination);
        }
        io.queueSend(id, datagram, destination);
      },
      close: () => io.close(id),
    };
  }
  const socket = createSocket('udp4');
  socket.on('message', (datagram: Buffer, _from: RemoteInfo) => onDatagram(datagram));
  socket.bind(0, '127.0.0.1', () => ready(socket.address().port));
  return { send: (datagram, port) => socket.send(datagram, port, '127.0.0.1'), close: () => socket.close() };
}

function runLoadGenerator(): void {
  const audio = encodeG711('PCMU', concatPcm([silence(500), dtmfSequence(KEYS, TONE_MS, TONE_MS), silence(400)]));
  const frames = Math.floor(audio.length / 160);
  const eventAt = eventFrames(frames);
  const jitter = new LatenessHistogram();
  const lastArrival = new Map<number, { at: number; timestamp: number }>();
  let callers: SimulatedCaller[] = [];
  let received = 0;
  let sent = 0;
  let cpuMark = process.cpuUsage();
  let wallMark = performance.now();
  const clock = new PacingClock();
  let detach: (() => void) | undefined;

  const socket = openGeneratorSocket(
    (datagram) => {
      const now = performance.now();
      const packet = parseRtpPacket(datagram);
      if (typeof packet === 'string') return;
      received++;
      const last = lastArrival.get(packet.ssrc);
      if (last && !packet.marker)
        jitter.record(Math.abs(now - last.at - ((packet.timestamp - last.timestamp) >>> 0) / 8));
      lastArrival.set(packet.ssrc, { at: now, timestamp: packet.timestamp });
    },
    (port) => process.send!({ kind: 'ready', port } satisfies FromGenerator),
  );

  const tick = (): void => {
    for (const caller of callers) {
      const f = caller.frame;
      const send = (payloadType: number, timestamp: number, payload: Uint8Array, marker: boolean): void => {
        socket.send(
          serializeRtpPacket({
            marker,
            payloadType,
            sequenceNumber: caller.sequenceNumber,
            timestamp,
            ssrc: caller.ssrc,
            payload,
          }),
          caller.port,
        );
        caller.sequenceNumber = (caller.sequenceNumber + 1) & 0xffff;
        sent++;
      };
      send(0, caller.timestamp, audio.subarray(f * 160, f * 160 + 160), false);
      const event = eventAt[f];
      if (caller.sendsEvents && event) {
        if (event.index === 0) caller.eventTimestamp = caller.timestamp;
        const end = event.index === event.length - 1;
        const payload = Uint8Array.of(
          event.code,
          (end ? 0x80 : 0) | 10,
          ((event.index + 1) * 160) >> 8,
          ((event.index + 1) * 160) & 0xff,
        );
        for (let r = 0; r < (end ? 3 : 1); r++)
          send(TELEPHONE_EVENT_PT, caller.eventTimestamp, payload, event.index === 0 && r === 0);
      }
      caller.timestamp = (caller.timestamp + 160) >>> 0;
      caller.frame = (f + 1) % frames;
    }
  };

  process.on('message', (message: ToGenerator) => {
    switch (message.kind) {
      case 'start':
        callers = message.ports.map((port, i) => ({
          port,
          ssrc: 0x10000 + i,
          sequenceNumber: i,
          timestamp: i * 1000,
          frame: (i * 7) % frames,
          sendsEvents: i % 2 === 1,
          eventTimestamp: 0,
        }));
        lastArrival.clear();
        detach ??= clock.add({ tick });
        break;
      case 'reset':
        jitter.reset();
        received = 0;
        sent = 0;
        cpuMark = process.cpuUsage();
        wallMark = performance.now();
        break;
      case 'report': {
        const cpu = process.cpuUsage(cpuMark);
        const reply: FromGenerator = {
          kind: 'report',
          jitterP50: jitter.percentile(0.5),
          jitterP99: jitter.percentile(0.99),
          jitterMax: jitter.max,
          received,
          sent,
          cpuMs: (cpu.user + cpu.system) / 1000,
          wallMs: performance.now() - wallMark,
        };
        callers = [];
        process.send!(reply);
        break;
      }
      case 'stop':
        detach?.();
        socket.close();
        process.disconnect();
        break;
    }
  });
}

interface EventFrame {
  code: number;
  index: number;
  length: number;
}

/** For each frame of the audio loop, the RFC 4733 event it belongs to (code, index in the event, event length in frames). */
function eventFrames(frames: number): Array<EventFrame | undefined> {
  const codes: Record<string, number> = { '#': 11, '*': 10 };
  const out = new Array<EventFrame | undefined>(frames);
  const toneFrames = TONE_MS / 20;
  // Layout of the loop: 500 ms silence, then per key: 100 ms pause, 100 ms tone (see dtmfSequence).
  [...KEYS].forEach((key, k) => {
    const first = 25 + toneFrames + k * 2 * toneFrames;
    for (let i = 0; i < toneFrames; i++)
      out[first + i] = { code: codes[key] ?? Number(key), index: i, length: toneFrames };
  });
  return out;
}

// ---------------------------------------------------------------- helpers

function nextMessage<K extends FromGenerator['kind']>(
  child: ChildProcess,
  kind: K,
): Promise<Extract<FromGenerator, { kind: K }>> {
  return new Promise((resolve) => {
    const listener = (message: FromGenerator): void => {
      if (message.kind !== kind) return;
      child.off('message', listener);
      resolve(message as Extract<FromGenerator, { kind: K }>);
    };
    child.on('message', listener);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
