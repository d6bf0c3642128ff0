import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeG711 } from '../../src/media/codec/g711';
import { InbandDtmfDetector } from '../../src/media/dtmf/inband-dtmf-detector';
import { TelephoneEventDecoder } from '../../src/media/dtmf/telephone-event-decoder';
import { parseRtpPacket, type RtpPacket } from '../../src/media/rtp/rtp-packet';
import { CAPTURE_DESTINATION, writeInbandDtmfCaptures } from '../fixtures/media/inband-dtmf-capture';
import { readUdpPcap } from './pcap-reader';

const SIPP_CAPTURES = '/usr/share/sip-tester';

function rtpPackets(file: string): RtpPacket[] {
  return readUdpPcap(readFileSync(file)).map((d) => {
    const packet = parseRtpPacket(d.payload);
    if (typeof packet === 'string') throw new Error(`${file}: ${packet}`);
    return packet;
  });
}

const KEY_OF_FILE: Record<string, string> = { pound: '#', star: '*' };

describe("SIPp's RFC 2833 captures", () => {
  const files = readdirSync(SIPP_CAPTURES).filter((f) => /^dtmf_2833_\w+\.pcap$/.test(f));

  test('the twelve captures are there', () => {
    expect(files.sort()).toHaveLength(12);
  });

  test.each(files)('%s decodes to its key, once', (file) => {
    const name = /^dtmf_2833_(\w+)\.pcap$/.exec(file)![1]!;
    const decoder = new TelephoneEventDecoder();
    const digits = rtpPackets(join(SIPP_CAPTURES, file)).map((p, i) => {
      expect(p.payloadType).toBe(101);
      return decoder.push(p.timestamp, p.payload, i * 20)?.digit ?? '';
    });
    expect(digits.join('')).toBe(KEY_OF_FILE[name] ?? name);
  });

  test('played one after another as the SIPp scenario does, 5387# and 8688# come out exactly', () => {
    const decoder = new TelephoneEventDecoder();
    let now = 0;
    const play = (keys: string): string =>
      [...keys]
        .map((key) => {
          const name = key === '#' ? 'pound' : key === '*' ? 'star' : key;
          const out = rtpPackets(join(SIPP_CAPTURES, `dtmf_2833_${name}.pcap`)).map(
            (p) => decoder.push(p.timestamp, p.payload, (now += 20))?.digit ?? '',
          );
          now += 200; // the scenario's pause between two plays
          return out.join('');
        })
        .join('');
    expect(play('5387#')).toBe('5387#');
    expect(play('8688#')).toBe('8688#');
  });
});

describe('generated in-band DTMF capture (for SIPp play_pcap_audio)', () => {
  let dir: string;
  let captures: ReturnType<typeof writeInbandDtmfCaptures>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cg-inband-'));
    captures = writeInbandDtmfCaptures(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('tshark dissects it as RTP: PCMU, contiguous sequence and timestamps, marker first, good checksums, nothing malformed', () => {
    const out = execFileSync(
      'tshark',
      [
        '-r',
        captures.both,
        '-d',
        `udp.port==${CAPTURE_DESTINATION.port},rtp`,
        '-o',
        'udp.check_checksum:TRUE',
        '-o',
        'ip.check_checksum:TRUE',
        '-T',
        'fields',
        '-E',
        'separator=,',
        '-e',
        'rtp.p_type',
        '-e',
        'rtp.seq',
        '-e',
        'rtp.timestamp',
        '-e',
        'rtp.marker',
        '-e',
        'udp.checksum.status',
        '-e',
        'ip.checksum.status',
        '-e',
        '_ws.malformed',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const rows = out
      .trim()
      .split('\n')
      .map((line) => line.split(','));
    expect(rows.length).toBe(rtpPackets(captures.both).length);
    expect(rows.length).toBeGreaterThan(100);
    rows.forEach(([pt, seq, ts, marker, udpStatus, ipStatus, malformed], i) => {
      expect([pt, Number(seq), Number(ts), marker, udpStatus, ipStatus, malformed]).toEqual([
        '0',
        1000 + i,
        i * 160,
        i === 0 ? '1' : '0',
        '1',
        '1',
        '',
      ]);
    });
  });

  test('multimon-ng, an independent decoder, hears 5387#8688# in it; so does our detector', () => {
    const pcm = Buffer.concat(rtpPackets(captures.both).map((p) => Buffer.from(decodeG711('PCMU', p.payload).buffer)));
    const raw8k = join(dir, 'audio-8k.raw');
    const raw22k = join(dir, 'audio-22k.raw');
    writeFileSync(raw8k, pcm);
    // multimon-ng reads raw audio at 22050 Hz.
    execFileSync('sox', [
      '-t',
      'raw',
      '-r',
      '8000',
      '-e',
      'signed-integer',
      '-b',
      '16',
      '-c',
      '1',
      raw8k,
      '-t',
      'raw',
      '-r',
      '22050',
      '-e',
      'signed-integer',
      '-b',
      '16',
      '-c',
      '1',
      raw22k,
    ]);
    const heard = execFileSync('multimon-ng', ['-q', '-a', 'DTMF', '-t', 'raw', raw22k], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect([...heard.matchAll(/^DTMF: (.)$/gm)].map((m) => m[1]).join('')).toBe('5387#8688#');

    const ours: string[] = [];
    const detector = new InbandDtmfDetector((d) => ours.push(d));
    for (const p of rtpPackets(captures.both)) detector.push(decodeG711('PCMU', p.payload));
    expect(ours.join('')).toBe('5387#8688#');
  });

  test('the per-entry captures hold 5387# and 8688#', () => {
    for (const [file, expected] of [
      [captures.conferenceNumber, '5387#'],
      [captures.accessCode, '8688#'],
    ] as const) {
      const ours: string[] = [];
      const detector = new InbandDtmfDetector((d) => ours.push(d));
      for (const p of rtpPackets(file)) detector.push(decodeG711('PCMU', p.payload));
      expect(ours.join('')).toBe(expected);
    }
  });
});
