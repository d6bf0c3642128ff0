/**
 * `npm run bench:h323`: encode and decode rates of the H.323 codec on one core, in messages per CPU
 * second (CPU time, best of three rounds, so that other work on the machine skews the figure less). No network.
 * Prints a Markdown table for docs/benchmarks.md (## H.323 codec).
 */
import { cpus } from 'node:os';
import {
  decodeH245Message,
  decodeUserInformation,
  encodeH245Message,
  encodeUserInformation,
} from '../src/h323/asn1-codec';
import { decodeSignallingFrame, encodeSignallingFrame, type SignallingFrame } from '../src/h323/signalling-frame';
import {
  SETUP_IES,
  setupWithFastStart,
  userInputAlphanumeric,
  userInputSignal,
} from '../test/fixtures/h323/sample-messages';

/** Best of three rounds of about `ms` CPU milliseconds each: the least disturbed by other work on the machine. */
function rate(fn: () => void, ms = 600): number {
  for (let i = 0; i < 2000; i++) fn();
  let best = 0;
  for (let round = 0; round < 3; round++) {
    let n = 0;
    const start = process.cpuUsage();
    const elapsed = (): number => {
      const u = process.cpuUsage(start);
      return (u.user + u.system) / 1000;
    };
    while (elapsed() < ms) {
      for (let i = 0; i < 200; i++) fn();
      n += 200;
    }
    best = Math.max(best, (n * 1000) / elapsed());
  }
  return best;
}

const setupFrame: SignallingFrame = {
  q931: {
    callReference: 0x21,
    fromDestination: false,
    messageType: 'setup',
    ies: SETUP_IES,
  },
  userInformation: setupWithFastStart(),
};
const setupBytes = encodeSignallingFrame(setupFrame);
const setupPer = encodeUserInformation(setupWithFastStart());
const uii = encodeH245Message(userInputAlphanumeric);
const signal = encodeH245Message(userInputSignal);

const cases: Array<[string, number, () => unknown]> = [
  [
    'Setup with fastStart + tunnelled TCS, H323-UserInformation: encode',
    setupPer.length,
    () => encodeUserInformation(setupFrame.userInformation!),
  ],
  [
    'Setup with fastStart + tunnelled TCS, H323-UserInformation: decode',
    setupPer.length,
    () => decodeUserInformation(setupPer),
  ],
  [
    'Setup frame (TPKT+Q.931+H.225.0, fastStart and TCS decoded too): encode',
    setupBytes.length,
    () => encodeSignallingFrame(setupFrame),
  ],
  [
    'Setup frame (TPKT+Q.931+H.225.0, fastStart and TCS decoded too): decode',
    setupBytes.length,
    () => decodeSignallingFrame(setupBytes),
  ],
  ['UserInputIndication alphanumeric "1234#": encode', uii.length, () => encodeH245Message(userInputAlphanumeric)],
  ['UserInputIndication alphanumeric "1234#": decode', uii.length, () => decodeH245Message(uii)],
  ['UserInputIndication signal with duration and rtp: encode', signal.length, () => encodeH245Message(userInputSignal)],
  ['UserInputIndication signal with duration and rtp: decode', signal.length, () => decodeH245Message(signal)],
];

console.log(
  `Machine: ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`,
);
console.log('| case | octets | messages per CPU-second | CPU µs/message |');
console.log('| --- | ---: | ---: | ---: |');
for (const [name, octets, fn] of cases) {
  const r = rate(fn);
  console.log(`| ${name} | ${octets} | ${Math.round(r).toLocaleString('en-US')} | ${(1e6 / r).toFixed(2)} |`);
}
