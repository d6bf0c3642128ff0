import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeG711, encodeG711 } from '../../src/media/codec/g711';
import { InbandDtmfDetector } from '../../src/media/dtmf/inband-dtmf-detector';
import { addNoise, concatPcm, dtmfSequence, dtmfTone, silence, type ToneOptions } from '../fixtures/media/dtmf-tones';

const ALL_KEYS = '0123456789*#ABCD';

function detect(pcm: Int16Array, chunk = 160): string {
  const digits: string[] = [];
  const detector = new InbandDtmfDetector((d) => digits.push(d));
  for (let i = 0; i < pcm.length; i += chunk) detector.push(pcm.subarray(i, i + chunk));
  return digits.join('');
}

/** Every key, alone, with `options`, preceded by each of several silence lengths so windows fall at every alignment. */
function eachKeyAtSeveralAlignments(toneMs: number, options: ToneOptions, noiseDb?: number): string[] {
  const results: string[] = [];
  for (const lead of [0, 7, 19, 26, 33, 50, 61]) {
    const parts = [...ALL_KEYS].flatMap((k) => [silence(60 + lead / 8), dtmfTone(k, toneMs, options), silence(60)]);
    const pcm = concatPcm(parts);
    results.push(detect(noiseDb === undefined ? pcm : addNoise(pcm, noiseDb, options.levelDbm0 ?? -7, lead + 1)));
  }
  return results;
}

describe('in-band DTMF detector (ITU-T Q.23/Q.24)', () => {
  test('decodes all sixteen keys, fed in one piece or in odd chunks', () => {
    const pcm = dtmfSequence(ALL_KEYS);
    expect(detect(pcm, pcm.length)).toBe(ALL_KEYS);
    expect(detect(pcm, 37)).toBe(ALL_KEYS);
  });

  test('decodes after G.711 μ-law and A-law coding, at 15 dB SNR too', () => {
    for (const codec of ['PCMU', 'PCMA'] as const) {
      const through = (pcm: Int16Array): Int16Array => decodeG711(codec, encodeG711(codec, pcm));
      expect(detect(through(dtmfSequence(ALL_KEYS)))).toBe(ALL_KEYS);
      expect(detect(through(addNoise(dtmfSequence(ALL_KEYS), 15)))).toBe(ALL_KEYS);
      expect(detect(through(dtmfSequence(ALL_KEYS, 60, 60, { levelDbm0: -25 })))).toBe(ALL_KEYS);
    }
  });

  test.each([
    [+0.015, +0.015],
    [-0.015, -0.015],
    [+0.015, -0.015],
    [-0.015, +0.015],
  ])('accepts tones offset within ±1.5%% (row %p, column %p), at 15 dB SNR too', (rowOffset, columnOffset) => {
    for (const got of eachKeyAtSeveralAlignments(60, { rowOffset, columnOffset })) expect(got).toBe(ALL_KEYS);
    for (const got of eachKeyAtSeveralAlignments(60, { rowOffset, columnOffset }, 15)) expect(got).toBe(ALL_KEYS);
  });

  test.each([
    [+0.035, 0],
    [-0.035, 0],
    [0, +0.035],
    [0, -0.035],
    [+0.05, -0.05],
  ])('rejects a pair with a tone offset beyond ±3.5%% (row %p, column %p)', (rowOffset, columnOffset) => {
    for (const got of eachKeyAtSeveralAlignments(100, { rowOffset, columnOffset })) expect(got).toBe('');
    for (const got of eachKeyAtSeveralAlignments(100, { rowOffset, columnOffset }, 15)) expect(got).toBe('');
  });

  test('twist: accepts 7 dB normal and 4 dB reverse, rejects 11 dB normal and 6 dB reverse', () => {
    for (const got of eachKeyAtSeveralAlignments(60, { twistDb: 7 })) expect(got).toBe(ALL_KEYS);
    for (const got of eachKeyAtSeveralAlignments(60, { twistDb: -4 })) expect(got).toBe(ALL_KEYS);
    for (const got of eachKeyAtSeveralAlignments(60, { twistDb: 7 }, 15)) expect(got).toBe(ALL_KEYS);
    for (const got of eachKeyAtSeveralAlignments(100, { twistDb: 11 })) expect(got).toBe('');
    for (const got of eachKeyAtSeveralAlignments(100, { twistDb: -6 })) expect(got).toBe('');
  });

  test('duration: 40 ms tones are accepted and tones of 25 ms or less rejected at every alignment', () => {
    for (const got of eachKeyAtSeveralAlignments(40, {})) expect(got).toBe(ALL_KEYS);
    for (const got of eachKeyAtSeveralAlignments(25, {})) expect(got).toBe('');
    for (const got of eachKeyAtSeveralAlignments(20, {})) expect(got).toBe('');
  });

  test('pauses: 40 ms between repeats of one key separate them, a 10 ms break is bridged', () => {
    for (const lead of [0, 13, 25, 40]) {
      const repeated = concatPcm([
        silence(50 + lead / 8),
        dtmfTone('5', 50),
        silence(40),
        dtmfTone('5', 50),
        silence(40),
        dtmfTone('5', 50),
        silence(60),
      ]);
      expect(detect(repeated)).toBe('555');
      const broken = concatPcm([
        silence(50 + lead / 8),
        dtmfTone('8', 60),
        silence(10),
        dtmfTone('8', 60),
        silence(60),
      ]);
      expect(detect(broken)).toBe('8');
    }
  });

  test('levels: -25 dBm0 per tone accepted, -40 dBm0 ignored', () => {
    expect(detect(dtmfSequence(ALL_KEYS, 60, 60, { levelDbm0: -25 }))).toBe(ALL_KEYS);
    expect(detect(dtmfSequence(ALL_KEYS, 60, 60, { levelDbm0: -40 }))).toBe('');
  });

  test('works at 15 dB SNR over many noise seeds, and noise alone yields nothing', () => {
    const clean = dtmfSequence('5387#8688#', 60, 60);
    for (let seed = 1; seed <= 20; seed++) expect(detect(addNoise(clean, 15, -7, seed))).toBe('5387#8688#');
    expect(detect(addNoise(silence(10_000), 0, -7, 99))).toBe('');
  });

  test('the tone fixtures are real DTMF: multimon-ng, an independent decoder, hears every key (clean, 15 dB SNR, 40 ms, 4 dB reverse twist)', () => {
    // multimon-ng is stricter than Q.24 (it refuses ±1.5% offsets and 7 dB normal twist), so those
    // fixtures are checked by construction only (frequencies and levels computed in dtmf-tones.ts).
    const dir = mkdtempSync(join(tmpdir(), 'cg-multimon-'));
    try {
      const hear = (pcm: Int16Array): string => {
        const raw8k = join(dir, '8k.raw');
        const raw22k = join(dir, '22k.raw');
        writeFileSync(raw8k, Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
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
        const out = execFileSync('multimon-ng', ['-q', '-a', 'DTMF', '-t', 'raw', raw22k], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        return [...out.matchAll(/^DTMF: (.)$/gm)].map((m) => m[1]).join('');
      };
      expect(hear(dtmfSequence(ALL_KEYS, 60, 60))).toBe(ALL_KEYS);
      expect(hear(addNoise(dtmfSequence(ALL_KEYS, 60, 60), 15))).toBe(ALL_KEYS);
      expect(hear(dtmfSequence(ALL_KEYS, 40, 60))).toBe(ALL_KEYS);
      expect(hear(dtmfSequence(ALL_KEYS, 60, 60, { twistDb: -4 }))).toBe(ALL_KEYS);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('speech from espeak-ng (English and French, digits spoken) yields no digit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-speech-'));
    try {
      const texts: Array<[string, string]> = [
        [
          'en',
          'Welcome to the conference service. Please enter the conference number followed by the pound key. Five three eight seven. Eight six eight eight. Thank you, you are being connected.',
        ],
        [
          'fr',
          'Bienvenue sur le service de conférence. Veuillez saisir le numéro de conférence suivi de dièse. Cinq trois huit sept, huit six huit huit. Cette conférence commence à dix heures.',
        ],
        [
          'en-us',
          'One two three four five six seven eight nine zero star hash. The quick brown fox jumps over the lazy dog.',
        ],
      ];
      let total = 0;
      for (const [voice, text] of texts) {
        for (const pitch of ['30', '50', '80']) {
          const wav = join(dir, `${voice}-${pitch}.wav`);
          const raw = join(dir, `${voice}-${pitch}.raw`);
          execFileSync('espeak-ng', ['-v', voice, '-p', pitch, '-w', wav, text]);
          execFileSync('sox', [
            wav,
            '-r',
            '8000',
            '-c',
            '1',
            '-b',
            '16',
            '-e',
            'signed-integer',
            '-t',
            'raw',
            raw,
            'norm',
            '-3',
          ]);
          const bytes = readFileSync(raw);
          const pcm = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
          total += pcm.length;
          expect(detect(pcm)).toBe('');
        }
      }
      expect(total).toBeGreaterThan(8000 * 60); // over a minute of speech was actually tested
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
