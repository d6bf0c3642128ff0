/**
 * Wireshark as an independent judge of the frames a call exchanged: they are written into a pcap
 * (synthetic loopback packets, nothing is sent; call signalling on port 1720, where tshark finds Q.931
 * over TPKT by itself, separate H.245 on a port decoded as H.245) and dissected by tshark.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePcap } from '../../h323/support/pcap';
import type { LoggedFrame } from './call-report';

export const haveTshark = spawnSync('tshark', ['--version']).status === 0;

const PORTS = {
  h225: { ours: 31000, peer: 1720 },
  h245: { ours: 31002, peer: 31003 },
} as const;

/**
 * tshark's `-T fields` output of a pcap: one row per packet, one column per field, several occurrences
 * of a field joined by `;`. `decodeAs` adds `-d` rules (`tcp.port==31003,h245`).
 */
export function tsharkFields(
  file: string,
  fields: readonly string[],
  decodeAs: readonly string[] = [],
): { status: number | null; rows: string[][]; stderr: string } {
  const r = spawnSync(
    'tshark',
    [
      '-r',
      file,
      ...decodeAs.flatMap((d) => ['-d', d]),
      '-T',
      'fields',
      '-E',
      'separator=|',
      '-E',
      'occurrence=a',
      '-E',
      'aggregator=;',
      ...fields.flatMap((f) => ['-e', f]),
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  const rows = r.stdout
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split('|'));
  return { status: r.status, rows, stderr: r.stderr };
}

export interface DissectedFrame {
  channel: LoggedFrame['channel'];
  direction: LoggedFrame['direction'];
  /** `eth:ethertype:ip:tcp:tpkt:q931:h225` */
  protocols: string;
  /** Wireshark's `_ws.malformed` was set */
  malformed: boolean;
  /** Wireshark's expert messages, joined */
  expert: string;
}

/** Dissects every frame, in order; throws when tshark fails. */
export function dissectFrames(frames: readonly LoggedFrame[]): DissectedFrame[] {
  const dir = mkdtempSync(join(tmpdir(), 'confgate-h323-endpoint-'));
  try {
    const file = join(dir, 'call.pcap');
    writePcap(
      file,
      frames.map((f) => {
        const p = PORTS[f.channel];
        const sent = f.direction === 'sent';
        return { transport: 'tcp', srcPort: sent ? p.ours : p.peer, dstPort: sent ? p.peer : p.ours, payload: f.bytes };
      }),
    );
    const fields = ['frame.protocols', '_ws.malformed', '_ws.expert.message'];
    const { status, rows, stderr } = tsharkFields(file, fields, [`tcp.port==${PORTS.h245.peer},h245`]);
    if (status !== 0) throw new Error(`tshark failed (${status}): ${stderr}`);
    if (rows.length !== frames.length) throw new Error(`tshark read ${rows.length} packets, wrote ${frames.length}`);
    return rows.map(([protocols = '', malformed = '', expert = ''], i) => ({
      channel: frames[i]!.channel,
      direction: frames[i]!.direction,
      protocols,
      malformed: malformed !== '',
      expert,
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
