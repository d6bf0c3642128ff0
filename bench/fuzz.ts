/**
 * Fuzz of the process users run (`dist/main.js`): mutated SIP messages (bench/fuzz/mutate.ts) over
 * UDP and TCP in batches; after each batch an OPTIONS must be answered 200 within the probe timeout
 * and the process must be alive. A crash or a hang saves the batch (seed, index, mutations, bytes)
 * under /tmp and, for a crash, replays it one message at a time against a fresh process to name the
 * message that kills it. Runs only inside a private network namespace with loopback alone: it
 * re-executes itself under `unshare -n` (as root) and refuses to run anywhere else.
 * `npm run bench:fuzz` sends 100,000 messages and writes the `## Fuzz` section of docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { configSchema } from '../src/config/config-schema';
import { freePort } from '../test/support/free-port';
import { seededRandom } from '../test/support/seeded-random';
import { fuzzCorpus, type FuzzEndpoints } from './fuzz/corpus';
import { mutate } from './fuzz/mutate';
import { inPrivateLoopbackNamespace, privateLoopbackNamespaceArgs } from './fuzz/netns';
import { hasOption, numberOption } from './support/cli-option';
import { writeRunsSection } from './support/doc-section';
import { startDistProduct, type DistProduct } from './support/dist-product';
import { loadAverages, machineLine } from './support/machine';

const MESSAGES = numberOption('messages', 100_000, true);
const BATCH = Math.max(1, numberOption('batch', 1000, true));
const SEED = numberOption('seed', 12, true);
const PROBE_TIMEOUT_MS = numberOption('probe-timeout-ms', 5000, true);
/** The largest UDP payload over IPv4; longer mutants go over TCP only, cut to this over UDP. */
const MAX_DATAGRAM = 65_507;
/** Mutants leave from several loopback sources, so per-source limits do not turn every INVITE away at once. */
const SOURCES = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Mutant {
  index: number;
  transport: 'UDP' | 'TCP';
  source: string;
  mutations: string[];
  bytes: Buffer;
}

/** Message `index` of the run: corpus entry, source and mutations all drawn from (SEED, index), so it can be replayed. */
function mutant(index: number, transport: 'UDP' | 'TCP', sipPort: number, sourcePort: number): Mutant {
  const random = seededRandom(SEED * 1_000_003 + index);
  const source = SOURCES[index % SOURCES.length]!;
  const endpoints: FuzzEndpoints = {
    target: { host: '127.0.0.1', port: sipPort },
    source: { host: source, port: sourcePort },
    transport,
  };
  const corpus = fuzzCorpus(endpoints, index);
  const { bytes, mutations } = mutate(corpus[Math.floor(random() * corpus.length)]!, random);
  return { index, transport, source, mutations, bytes: transport === 'UDP' ? bytes.subarray(0, MAX_DATAGRAM) : bytes };
}

/** Sends one batch: UDP datagrams from one socket per source, or TCP connections of 100 messages each. */
async function send(batch: readonly Mutant[], sipPort: number, udp: Map<string, Socket>): Promise<void> {
  if (batch[0]?.transport === 'UDP') {
    for (let i = 0; i < batch.length; i++) {
      const m = batch[i]!;
      udp.get(m.source)!.send(m.bytes, sipPort, '127.0.0.1');
      // Paced, so the product's socket buffer keeps (most of) what is sent.
      if (i % 50 === 49) await sleep(5);
    }
    return;
  }
  for (let i = 0; i < batch.length; i += 100) {
    const chunk = batch.slice(i, i + 100);
    await new Promise<void>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: sipPort, localAddress: chunk[0]!.source });
      const done = (): void => {
        socket.destroy();
        resolve();
      };
      socket.setTimeout(2000, done);
      socket.on('error', done);
      socket.on('data', () => undefined);
      socket.on('connect', () => {
        for (const m of chunk) socket.write(m.bytes);
        // Half-close, then a moment for the product to answer what it framed (what it read stays read).
        socket.end();
        setTimeout(done, 50);
      });
    });
  }
}

/** One OPTIONS over `transport`; resolves with the status it got back, or undefined after the timeout. */
function probe(sipPort: number, transport: 'UDP' | 'TCP', n: number): Promise<{ status?: number; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const finish = (status?: number): void => {
      clearTimeout(timer);
      cleanup();
      resolve({ status, ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish(), PROBE_TIMEOUT_MS);
    const request = (port: number): Buffer =>
      Buffer.from(
        [
          `OPTIONS sip:127.0.0.1:${sipPort} SIP/2.0`,
          `Via: SIP/2.0/${transport} 127.0.0.9:${port};branch=z9hG4bK-probe-${SEED}-${n};rport`,
          'Max-Forwards: 70',
          'From: <sip:probe@127.0.0.9>;tag=probe',
          `To: <sip:127.0.0.1:${sipPort}>`,
          `Call-ID: probe-${SEED}-${n}@127.0.0.9`,
          'CSeq: 1 OPTIONS',
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
      );
    const status = (data: Buffer): number | undefined => {
      const m = /^SIP\/2\.0 (\d{3})/.exec(data.toString('latin1'));
      return m ? Number(m[1]) : undefined;
    };
    let cleanup = (): void => undefined;
    if (transport === 'UDP') {
      const socket = createSocket('udp4');
      cleanup = () => socket.close();
      socket.on('message', (m) => finish(status(m)));
      socket.bind(0, '127.0.0.9', () => socket.send(request(socket.address().port), sipPort, '127.0.0.1'));
    } else {
      const socket = connect({ host: '127.0.0.1', port: sipPort, localAddress: '127.0.0.9' });
      cleanup = () => socket.destroy();
      socket.on('error', () => finish());
      socket.on('connect', () => socket.write(request(socket.localPort ?? 0)));
      socket.on('data', (d) => finish(status(d)));
    }
  });
}

function productConfig(httpPort: number, sipPort: number): object {
  return configSchema.parse({
    publicHost: '127.0.0.1',
    http: { host: '127.0.0.1', port: httpPort },
    sip: { host: '127.0.0.1', port: sipPort, transports: ['udp', 'tcp'] },
    media: { bindAddress: '127.0.0.1' },
    // IVR calls the mutants open end soon: their RTP and timers do not pile up over the run.
    ivr: { firstDigitTimeoutMs: 1000, interDigitTimeoutMs: 1000, maxAttempts: 1 },
    log: { level: 'warn' },
  });
}

async function startProduct(): Promise<{ product: DistProduct; sipPort: number }> {
  const httpPort = await freePort();
  const sipPort = await freePort();
  return { product: await startDistProduct(productConfig(httpPort, sipPort), httpPort), sipPort };
}

/** Replays `batch` one message at a time against a fresh product; the first message after which it is dead. */
async function culprit(batch: readonly Mutant[], udp: Map<string, Socket>): Promise<Mutant | undefined> {
  const { product, sipPort } = await startProduct();
  try {
    for (const m of batch) {
      await send([mutant(m.index, m.transport, sipPort, udp.get(m.source)!.address().port)], sipPort, udp);
      await sleep(20);
      if (!product.alive()) return m;
    }
    return undefined;
  } finally {
    await product.stop(5000);
  }
}

function save(dir: string, name: string, batch: readonly Mutant[], note: string): string {
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/${name}.json`;
  writeFileSync(
    file,
    JSON.stringify(
      {
        note,
        seed: SEED,
        messages: batch.map((m) => ({ ...m, bytes: m.bytes.toString('base64') })),
      },
      null,
      1,
    ),
  );
  return file;
}

async function main(): Promise<void> {
  const loadBefore = loadAverages();
  const dir = `/tmp/confgate-fuzz-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  let { product, sipPort } = await startProduct();
  const udp = new Map<string, Socket>();
  const responses = new Map<string, number>();
  for (const source of SOURCES) {
    const socket = createSocket('udp4');
    socket.on('message', (m) => {
      const status = /^SIP\/2\.0 (\d{3})/.exec(m.toString('latin1', 0, 16))?.[1] ?? 'request';
      responses.set(status, (responses.get(status) ?? 0) + 1);
    });
    await new Promise<void>((resolve) => socket.bind(0, source, resolve));
    udp.set(source, socket);
  }
  const rss: number[] = [product.rssBytes()];
  // CPU of each product process, read while it lives (a dead one has no /proc entry).
  let cpuStart = product.cpuMs();
  let cpuLast = cpuStart;
  let cpuMs = 0;
  /** Time spent replaying a crash and restarting, left out of the throughput. */
  let recoveryMs = 0;
  const events: string[] = [];
  let probesOk = 0;
  let slowestProbeMs = 0;
  let crashes = 0;
  let hangs = 0;
  const sent = { UDP: 0, TCP: 0 };
  const started = Date.now();
  for (let first = 0, b = 0; first < MESSAGES; first += BATCH, b++) {
    const transport = b % 2 === 0 ? 'UDP' : 'TCP';
    const port = udp.get(SOURCES[0]!)!.address().port;
    const batch = Array.from({ length: Math.min(BATCH, MESSAGES - first) }, (_, k) =>
      mutant(first + k, transport, sipPort, port),
    );
    await send(batch, sipPort, udp);
    sent[transport] += batch.length;
    const answer = await probe(sipPort, transport, b);
    slowestProbeMs = Math.max(slowestProbeMs, answer.ms);
    rss.push(product.rssBytes());
    if (product.alive()) cpuLast = product.cpuMs();
    if (product.alive() && answer.status === 200) {
      probesOk++;
      continue;
    }
    const recoveryStart = Date.now();
    const dead = !product.alive();
    const file = save(dir, `batch-${b}`, batch, dead ? `crash: ${await product.exited}` : `OPTIONS: ${answer.status}`);
    if (dead) {
      crashes++;
      const killer = await culprit(batch, udp);
      const single = killer
        ? save(dir, `crash-${killer.index}`, [killer], 'kills dist/main.js alone')
        : 'not found alone';
      events.push(
        `batch ${b} (${transport}): confgate died (${await product.exited}); batch ${file}; culprit ${single}`,
      );
    } else {
      hangs++;
      events.push(
        `batch ${b} (${transport}): OPTIONS got ${answer.status ?? 'no answer'} in ${answer.ms} ms; batch ${file}`,
      );
    }
    console.log(events[events.length - 1]);
    cpuMs += cpuLast - cpuStart;
    await product.stop(5000);
    ({ product, sipPort } = await startProduct());
    cpuStart = cpuLast = product.cpuMs();
    recoveryMs += Date.now() - recoveryStart;
  }
  const seconds = (Date.now() - started - recoveryMs) / 1000;
  cpuMs += product.cpuMs() - cpuStart;
  const exit = await product.stop(10_000);
  for (const socket of udp.values()) socket.close();
  const mib = (n: number): string => (n / 1024 / 1024).toFixed(1);
  const batches = Math.ceil(MESSAGES / BATCH);
  const row = [
    new Date().toISOString().slice(0, 16).replace('T', ' '),
    `${loadBefore} → ${loadAverages()}`,
    SEED,
    `${sent.UDP} / ${sent.TCP}`,
    `${probesOk} / ${batches}`,
    crashes,
    hangs,
    Math.round(MESSAGES / seconds),
    `${mib(rss[0]!)} / ${mib(Math.max(...rss))} / ${mib(rss[rss.length - 1]!)}`,
  ].join(' | ');
  const details = [
    `${machineLine()}. ${MESSAGES} messages in batches of ${BATCH} (UDP and TCP alternating), seed ${SEED}, in ${seconds.toFixed(0)} s (crash replays and restarts left out);`,
    `confgate used ${(cpuMs / 1000).toFixed(1)} CPU s and exited ${exit} on SIGTERM. Slowest OPTIONS answer after a batch: ${slowestProbeMs} ms.`,
    `Answers the fuzzer's UDP sockets got, by status: ${[...responses]
      .sort()
      .map(([s, n]) => `${s}: ${n}`)
      .join(', ')}.`,
    events.length > 0 ? `\nEvents:\n\n${events.map((e) => `- ${e}`).join('\n')}` : 'No crash, no unanswered OPTIONS.',
  ].join('\n');
  console.log(`${row}\n\n${details}`);
  if (hasOption('write')) writeRunsSection('Fuzz', INTRO, HEADER, row, details);
  if (crashes + hangs > 0) process.exitCode = 1;
}

const INTRO = [
  '`npm run bench:fuzz` (`bench/fuzz.ts`, mutations in `bench/fuzz/mutate.ts`): `dist/main.js` with the in-process store',
  'inside a private network namespace (`unshare -n`, loopback only), 100,000 mutants of valid INVITE (IVR and direct),',
  'OPTIONS, BYE, REGISTER, INFO and CANCEL requests (bit flips, truncation, duplicated or removed headers, values up to 60 KB,',
  'bad CSeq, Content-Length, URIs and start lines, non-UTF-8, NUL bytes, bare CR or LF line ends; one to three per message)',
  'from four loopback sources, in batches of 1,000 alternating UDP and TCP (100 messages per connection). After each batch',
  'an OPTIONS must get its 200 within 5 s and the process must be alive. RSS from `/proc`: start / highest / end.',
].join('\n');
const HEADER = [
  '| date (UTC) | load before → after | seed | messages UDP / TCP | OPTIONS answered / batches | crashes | hangs | messages/s | RSS MiB |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
].join('\n');

/** Outside a private namespace: run again under `unshare -n` with loopback up, or refuse. */
function enterNamespace(): void {
  if (process.env.CONFGATE_FUZZ_NETNS === '1') {
    console.error('fuzz: not in a private network namespace with loopback alone; refusing to send fuzz input');
    process.exit(2);
  }
  const r = spawnSync(
    'unshare',
    privateLoopbackNamespaceArgs([process.execPath, ...process.execArgv, __filename, ...process.argv.slice(2)]),
    { stdio: 'inherit', env: { ...process.env, CONFGATE_FUZZ_NETNS: '1' } },
  );
  if (r.error) console.error(`fuzz: unshare -n failed (${r.error.message}); it needs root`);
  process.exit(r.status ?? 2);
}

if (inPrivateLoopbackNamespace()) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else enterNamespace();
