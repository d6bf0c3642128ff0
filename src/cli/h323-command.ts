/**
 * `confgate h323 decode|encode`: turns one H.323 frame, as hex, into JSON and back, for debugging
 * interop. By default the frame is a TPKT carrying Q.931 with H.225.0 (TCP 1720); `--h245` reads a
 * TPKT on a separate H.245 channel, `--ras` a RAS datagram (UDP 1719, no TPKT).
 */
import { decodeH245Message, decodeRasMessage, encodeH245Message, encodeRasMessage } from '../h323/asn1-codec';
import type { H323UserInformation, RasMessage } from '../h323/generated/h225-types';
import type { MultimediaSystemControlMessage, OpenLogicalChannel } from '../h323/generated/h245-types';
import { PerError } from '../h323/per/per-error';
import { decodeSignallingFrame, encodeSignallingFrame, type SignallingFrame } from '../h323/signalling-frame';
import { frameTpkt, unframeTpkt } from '../h323/tpkt';
import { WireError } from '../h323/wire-error';
import { frameJsonSchema, toJson } from './h323-json';

export const H323_USAGE = `usage: confgate h323 decode [--h245|--ras] < frame.hex
       confgate h323 encode < frame.json
decode reads one frame as hex on standard input (a TPKT with Q.931/H.225.0 unless --h245 or --ras)
and prints it as JSON; encode reads that JSON and prints the frame as hex.`;

/** The outcome of a command: text for standard output, or an error message and exit status. */
export type CommandResult = { ok: true; output: string } | { ok: false; error: string; status: number };

function parseHex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})+$/.test(clean)) throw new WireError('tpkt', 'input is not hex octets');
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

function decode(input: string, mode: 'q931' | 'h245' | 'ras'): string {
  const bytes = parseHex(input);
  if (mode === 'ras') return toJson({ ras: decodeRasMessage(bytes) });
  if (mode === 'h245') return toJson({ h245: decodeH245Message(unframeTpkt(bytes)) });
  return toJson(decodeSignallingFrame(bytes));
}

function encode(input: string): CommandResult {
  let json: unknown;
  try {
    json = JSON.parse(input);
  } catch (e) {
    return { ok: false, error: `input is not JSON: ${(e as Error).message}`, status: 2 };
  }
  const parsed = frameJsonSchema(json).safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return { ok: false, error: `invalid frame JSON:\n  ${problems.join('\n  ')}`, status: 2 };
  }
  const f = parsed.data;
  let bytes: Uint8Array;
  // The ASN.1 values are validated by the PER encoder, which names the offending field.
  if ('ras' in f) bytes = encodeRasMessage(f.ras as RasMessage);
  else if ('h245' in f) bytes = frameTpkt(encodeH245Message(f.h245 as MultimediaSystemControlMessage));
  else {
    const frame: SignallingFrame = { q931: f.q931 };
    if (f.userInformation) frame.userInformation = f.userInformation as H323UserInformation;
    if (f.tunnelled)
      frame.tunnelled = f.tunnelled as {
        fastStart?: OpenLogicalChannel[];
        h245Control?: MultimediaSystemControlMessage[];
      };
    bytes = encodeSignallingFrame(frame);
  }
  return { ok: true, output: Buffer.from(bytes).toString('hex') };
}

/** Runs `confgate h323 ARGS` on the given standard input. */
export function runH323Command(args: readonly string[], stdin: string): CommandResult {
  const [verb, ...flags] = args;
  const unknownFlag = flags.find((f) => f !== '--h245' && f !== '--ras');
  if (
    (verb !== 'decode' && verb !== 'encode') ||
    unknownFlag ||
    flags.length > 1 ||
    (verb === 'encode' && flags.length > 0)
  ) {
    return { ok: false, error: H323_USAGE, status: 2 };
  }
  try {
    if (verb === 'encode') return encode(stdin);
    return { ok: true, output: decode(stdin, flags[0] === '--h245' ? 'h245' : flags[0] === '--ras' ? 'ras' : 'q931') };
  } catch (e) {
    if (e instanceof PerError)
      return {
        ok: false,
        error: `${e.kind}: ${e.message}${e.fullPath && e.fullPath !== e.path ? ` (at ${e.fullPath})` : ''}`,
        status: 1,
      };
    if (e instanceof WireError) return { ok: false, error: e.message, status: 1 };
    throw e;
  }
}
