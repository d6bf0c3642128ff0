/**
 * Replays the Setups of the real capture into confgate itself (`src/main.ts`, H.323 on a free port,
 * in-process store), from inside a private network namespace with loopback alone: the capture is a
 * foreign test vector, so whatever address a Setup names, confgate can reach nothing but this script.
 * Run by test/h323/replay-into-confgate.test.ts under `unshare -n`; refuses to run anywhere else.
 * Prints one JSON {@link NetnsReplayReport} on stdout's last line.
 */
import { readFileSync } from 'node:fs';
import { inPrivateLoopbackNamespace } from '../../bench/fuzz/netns';
import { freePort } from './free-port';
import { captureSetups } from './h323-capture-setups';
import { replayFrame } from './h323-capture-replay';
import { startProduct, stopProduct } from './product-process';

export interface ReplayedSetup {
  frame: number;
  valid: boolean;
  /** every TPKT frame confgate sent back, hex */
  answers: string[];
  ended: 'closed' | 'quiet';
  /** remote addresses of the namespace's TCP and UDP sockets while the call was up, other than loopback and unbound */
  foreignPeers: string[];
}

export interface NetnsReplayReport {
  replays: ReplayedSetup[];
  /** the first valid Setup sent again after all the others: confgate still answers */
  again: ReplayedSetup;
  /** the process had not exited once the replays were over */
  alive: boolean;
  /** `/healthz` status after the replays */
  health: number;
  /** confgate's log (level info): a connect it tried outside loopback shows here as ENETUNREACH */
  log: string;
}

/** `/proc/net/{tcp,udp}` remote addresses (little-endian hex IPv4) that are neither 127/8 nor 0.0.0.0. */
function foreignPeers(): string[] {
  const peers: string[] = [];
  for (const table of ['tcp', 'udp']) {
    for (const line of readFileSync(`/proc/net/${table}`, 'utf8').split('\n').slice(1)) {
      const remote = line.trim().split(/\s+/)[2];
      if (!remote) continue;
      const [hexIp, hexPort] = remote.split(':') as [string, string];
      const ip = [3, 2, 1, 0].map((i) => parseInt(hexIp.slice(i * 2, i * 2 + 2), 16));
      if (ip[0] === 127 || ip.every((b) => b === 0)) continue;
      peers.push(`${table} ${ip.join('.')}:${parseInt(hexPort, 16)}`);
    }
  }
  return peers;
}

async function replay(
  port: number,
  setup: { frame: number; valid: boolean; tpkt: Uint8Array },
): Promise<ReplayedSetup> {
  let peers: string[] = [];
  const sampler = setInterval(() => (peers = [...new Set([...peers, ...foreignPeers()])]), 100);
  try {
    const r = await replayFrame('127.0.0.1', port, setup.tpkt, { quietMs: 1000 });
    return {
      frame: setup.frame,
      valid: setup.valid,
      answers: r.answers.map((a) => Buffer.from(a).toString('hex')),
      ended: r.ended,
      foreignPeers: peers,
    };
  } finally {
    clearInterval(sampler);
  }
}

async function main(): Promise<void> {
  const setups = captureSetups();
  const h323Port = await freePort();
  const product = await startProduct({
    CONFGATE_H323_PORT: String(h323Port),
    CONFGATE_MCU: `sip:mcu@127.0.0.1:${await freePort()}`,
  });
  try {
    const replays: ReplayedSetup[] = [];
    for (const setup of setups) replays.push(await replay(h323Port, setup));
    const again = await replay(
      h323Port,
      setups.find((s) => s.valid)!,
    );
    const health = (await fetch(`${product.base}/healthz`, { signal: AbortSignal.timeout(5000) })).status;
    const alive = product.child.exitCode === null && product.child.signalCode === null;
    await stopProduct(product);
    const report: NetnsReplayReport = { replays, again, alive, health, log: product.output() };
    console.log(JSON.stringify(report));
  } finally {
    product.child.kill('SIGKILL');
  }
}

if (!inPrivateLoopbackNamespace()) {
  console.error('h323 capture replay: not in a private network namespace with loopback alone; refusing');
  process.exit(2);
}
main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
