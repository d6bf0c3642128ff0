import type { DtmfDigit } from './dtmf-digit';

/** ITU-T Q.23 §2: low (row) and high (column) group frequencies in Hz. */
const ROW_HZ = [697, 770, 852, 941] as const;
const COLUMN_HZ = [1209, 1336, 1477, 1633] as const;
const FREQUENCIES_HZ = [...ROW_HZ, ...COLUMN_HZ];
/** Q.23 table 1, row-major. */
const KEYPAD: readonly DtmfDigit[] = ['1', '2', '3', 'A', '4', '5', '6', 'B', '7', '8', '9', 'C', '*', '0', '#', 'D'];

/**
 * Parameters of the in-band detector, with the Q.24 requirement each one serves.
 * See docs/media.md for the reasoning and the measured margins.
 */
export const INBAND_DTMF_PARAMETERS = {
  sampleRate: 8000,
  /**
   * Goertzel segment (hop): 68 samples = 8.5 ms; a window is two consecutive segments (136 samples).
   * 68 keeps the half-window phase unambiguous to ±58.8 Hz (beyond 3.5% of 1633 Hz) while its
   * sidelobes keep the other group's tone from biasing the frequency estimate.
   */
  segmentSamples: 68,
  /**
   * Largest accepted frequency offset. Q.24: accept within ±1.5%, reject beyond ±3.5%;
   * the boundary sits midway so estimation noise at 15 dB SNR stays clear of both limits.
   */
  maxFrequencyOffset: 0.025,
  /**
   * Q.24 twist: the high group may be about 8 dB above the low group (normal twist) and 4 dB below
   * it (reverse twist). The limits sit 1 dB beyond, because leakage of the strong tone into the weak
   * tone's filter spreads the measured twist by about ±1 dB: 7/4 dB are always accepted, 11/6 dB never.
   */
  normalTwistDb: 9,
  reverseTwistDb: 5,
  /** The chosen row/column must stand this far above the others of its group (rejects chords, speech). */
  relativePeakDb: 8,
  /** The two tones must carry this share of the window's energy (rejects speech and broadband noise). */
  toneEnergyShare: 0.75,
  /** Both halves of a window must hold the tone within this level difference (window not on a tone edge). */
  halfBalanceDb: 4,
  /** Weakest tone accepted, per frequency (the Q.24 operating range reaches -25 to -30 dBm0 depending on the administration). */
  minLevelDbm0: -33,
  /**
   * Consecutive valid windows to accept a tone (Q.24 minimum duration about 40 ms): measured, tones of
   * 25 ms are never accepted, 30 ms 22%, 34 ms 71%, 38 ms and longer always, whatever their alignment.
   */
  onWindows: 3,
  /** Consecutive windows without the tone that end it: breaks of 10 ms are bridged, 40 ms pauses always end it. */
  offWindows: 4,
} as const;

/** Peak amplitude of a 0 dBm0 sine in 16-bit linear PCM (G.711: +3.17 dBm0 is full scale 32767 for μ-law). */
const DBM0_AMPLITUDE = 22700;

const P = INBAND_DTMF_PARAMETERS;
const L = P.segmentSamples;
const N = 2 * L;
const K = FREQUENCIES_HZ.length;
const OMEGA = FREQUENCIES_HZ.map((f) => (2 * Math.PI * f) / P.sampleRate);
const COEF: readonly number[] = OMEGA.map((w) => 2 * Math.cos(w));
const COS_W = Float64Array.from(OMEGA, Math.cos);
const SIN_W = Float64Array.from(OMEGA, Math.sin);
/** e^{-jω(L-1)}: moves a Goertzel output to a DFT referenced to the segment's first sample. */
const REF_RE = Float64Array.from(OMEGA, (w) => Math.cos(w * (L - 1)));
const REF_IM = Float64Array.from(OMEGA, (w) => -Math.sin(w * (L - 1)));
/** e^{-jωL}: moves the second segment's DFT to the window's first sample. */
const SHIFT_RE = Float64Array.from(OMEGA, (w) => Math.cos(w * L));
const SHIFT_IM = Float64Array.from(OMEGA, (w) => -Math.sin(w * L));
const MIN_AMPLITUDE = DBM0_AMPLITUDE * 10 ** (P.minLevelDbm0 / 20);
/** One tone at the minimum level over a window; below this the window is silence and is not analysed. */
const MIN_WINDOW_ENERGY = (N * MIN_AMPLITUDE * MIN_AMPLITUDE) / 2;
const RELATIVE_PEAK = 10 ** (P.relativePeakDb / 10);
const HALF_BALANCE = 10 ** (P.halfBalanceDb / 10);
const NORMAL_TWIST = 10 ** (P.normalTwistDb / 20);
const REVERSE_TWIST = 10 ** (P.reverseTwistDb / 20);

/** A tone's measure in one window. */
interface ToneMeasure {
  amplitude: number;
  offset: number;
  balanced: boolean;
}

/**
 * In-band DTMF receiver after ITU-T Q.23/Q.24 for 8 kHz linear PCM, fed in chunks of any size.
 *
 * Goertzel filters run over 51-sample segments; each window is two consecutive segments, so
 * windows overlap by half at the cost of one Goertzel pass. The phase advance of a tone between
 * the two halves gives its frequency offset, which is what lets the
 * receiver reject tones 3.5% off while Goertzel's main lobe alone would still pass them; the
 * offset also corrects the tone's level for the filter's roll-off before the twist checks.
 */
export class InbandDtmfDetector {
  private readonly s1 = new Float64Array(K);
  private readonly s2 = new Float64Array(K);
  private readonly prevRe = new Float64Array(K);
  private readonly prevIm = new Float64Array(K);
  private readonly curRe = new Float64Array(K);
  private readonly curIm = new Float64Array(K);
  private readonly power = new Float64Array(K);
  private inSegment = 0;
  private segmentEnergy = 0;
  private prevEnergy = -1;
  private samplesSeen = 0;
  private runDigit: DtmfDigit | undefined;
  private runLength = 0;
  private toneOn: DtmfDigit | undefined;
  private misses = 0;

  /** @param onDigit called once per accepted key press with the sample index where it was accepted. */
  constructor(private readonly onDigit: (digit: DtmfDigit, atSample: number) => void) {}

  /** Feeds 8 kHz 16-bit linear samples: the first `length` of `pcm` (a reused decode buffer), all by default. */
  push(pcm: Int16Array, length = pcm.length): void {
    for (let from = 0; from < length;) {
      const to = Math.min(length, from + L - this.inSegment);
      this.filter(pcm, from, to);
      this.inSegment += to - from;
      from = to;
      if (this.inSegment === L) {
        this.samplesSeen += L;
        this.endSegment();
      }
    }
  }

  /**
   * The Goertzel recursions s[n] = x[n] + 2cos(ω)s[n-1] - s[n-2] of the eight filters over
   * pcm[from, to). Unrolled into locals: this loop is most of the detector's cost on every call,
   * and V8 keeps locals in registers where typed-array slots cost a load and a store each.
   */
  private filter(pcm: Int16Array, from: number, to: number): void {
    const { s1, s2 } = this;
    const c0 = COEF[0]!,
      c1 = COEF[1]!,
      c2 = COEF[2]!,
      c3 = COEF[3]!,
      c4 = COEF[4]!,
      c5 = COEF[5]!,
      c6 = COEF[6]!,
      c7 = COEF[7]!;
    let a0 = s1[0]!,
      a1 = s1[1]!,
      a2 = s1[2]!,
      a3 = s1[3]!,
      a4 = s1[4]!,
      a5 = s1[5]!,
      a6 = s1[6]!,
      a7 = s1[7]!;
    let b0 = s2[0]!,
      b1 = s2[1]!,
      b2 = s2[2]!,
      b3 = s2[3]!,
      b4 = s2[4]!,
      b5 = s2[5]!,
      b6 = s2[6]!,
      b7 = s2[7]!;
    let energy = this.segmentEnergy;
    let t: number;
    for (let n = from; n < to; n++) {
      const x = pcm[n]!;
      energy += x * x;
      t = x + c0 * a0 - b0;
      b0 = a0;
      a0 = t;
      t = x + c1 * a1 - b1;
      b1 = a1;
      a1 = t;
      t = x + c2 * a2 - b2;
      b2 = a2;
      a2 = t;
      t = x + c3 * a3 - b3;
      b3 = a3;
      a3 = t;
      t = x + c4 * a4 - b4;
      b4 = a4;
      a4 = t;
      t = x + c5 * a5 - b5;
      b5 = a5;
      a5 = t;
      t = x + c6 * a6 - b6;
      b6 = a6;
      a6 = t;
      t = x + c7 * a7 - b7;
      b7 = a7;
      a7 = t;
    }
    s1[0] = a0;
    s1[1] = a1;
    s1[2] = a2;
    s1[3] = a3;
    s1[4] = a4;
    s1[5] = a5;
    s1[6] = a6;
    s1[7] = a7;
    s2[0] = b0;
    s2[1] = b1;
    s2[2] = b2;
    s2[3] = b3;
    s2[4] = b4;
    s2[5] = b5;
    s2[6] = b6;
    s2[7] = b7;
    this.segmentEnergy = energy;
  }

  private endSegment(): void {
    const { s1, s2, curRe, curIm } = this;
    for (let k = 0; k < K; k++) {
      const yRe = s1[k]! - COS_W[k]! * s2[k]!;
      const yIm = SIN_W[k]! * s2[k]!;
      curRe[k] = yRe * REF_RE[k]! - yIm * REF_IM[k]!;
      curIm[k] = yRe * REF_IM[k]! + yIm * REF_RE[k]!;
      s1[k] = 0;
      s2[k] = 0;
    }
    const windowEnergy = this.prevEnergy + this.segmentEnergy;
    const candidate =
      this.prevEnergy >= 0 && windowEnergy >= MIN_WINDOW_ENERGY ? this.classifyWindow(windowEnergy) : undefined;
    this.prevRe.set(curRe);
    this.prevIm.set(curIm);
    this.prevEnergy = this.segmentEnergy;
    this.segmentEnergy = 0;
    this.inSegment = 0;
    this.track(candidate);
  }

  /** Q.24 duration rules: a tone counts after `onWindows` valid windows and ends after `offWindows` misses. */
  private track(candidate: DtmfDigit | undefined): void {
    if (candidate !== undefined && candidate === this.runDigit) this.runLength++;
    else {
      this.runDigit = candidate;
      this.runLength = candidate === undefined ? 0 : 1;
    }
    if (this.toneOn !== undefined) {
      this.misses = candidate === this.toneOn ? 0 : this.misses + 1;
      if (this.misses >= P.offWindows) this.toneOn = undefined;
    }
    if (this.toneOn === undefined && this.runDigit !== undefined && this.runLength >= P.onWindows) {
      this.toneOn = this.runDigit;
      this.misses = 0;
      this.onDigit(this.runDigit, this.samplesSeen);
    }
  }

  private classifyWindow(windowEnergy: number): DtmfDigit | undefined {
    const { power, prevRe, prevIm, curRe, curIm } = this;
    for (let k = 0; k < K; k++) {
      const re = prevRe[k]! + curRe[k]! * SHIFT_RE[k]! - curIm[k]! * SHIFT_IM[k]!;
      const im = prevIm[k]! + curRe[k]! * SHIFT_IM[k]! + curIm[k]! * SHIFT_RE[k]!;
      power[k] = re * re + im * im;
    }
    const row = strongest(power, 0);
    const column = strongest(power, 4);
    if (row < 0 || column < 0) return undefined;
    const low = this.measure(row);
    const high = this.measure(column + 4);
    if (!low.balanced || !high.balanced) return undefined;
    if (Math.abs(low.offset) > P.maxFrequencyOffset || Math.abs(high.offset) > P.maxFrequencyOffset) return undefined;
    if (low.amplitude < MIN_AMPLITUDE || high.amplitude < MIN_AMPLITUDE) return undefined;
    const twist = high.amplitude / low.amplitude;
    if (twist > NORMAL_TWIST || twist < 1 / REVERSE_TWIST) return undefined;
    const toneEnergy = (N * (low.amplitude * low.amplitude + high.amplitude * high.amplitude)) / 2;
    if (toneEnergy < P.toneEnergyShare * windowEnergy) return undefined;
    return KEYPAD[row * 4 + column];
  }

  /** Frequency offset (from the phase advance between the halves) and roll-off-corrected amplitude of tone k. */
  private measure(k: number): ToneMeasure {
    const pRe = this.prevRe[k]!;
    const pIm = this.prevIm[k]!;
    const cRe = this.curRe[k]! * SHIFT_RE[k]! - this.curIm[k]! * SHIFT_IM[k]!;
    const cIm = this.curRe[k]! * SHIFT_IM[k]! + this.curIm[k]! * SHIFT_RE[k]!;
    const prevPower = pRe * pRe + pIm * pIm;
    const curPower = cRe * cRe + cIm * cIm;
    const balanced = curPower * HALF_BALANCE >= prevPower && prevPower * HALF_BALANCE >= curPower;
    const delta = Math.atan2(cIm * pRe - cRe * pIm, cRe * pRe + cIm * pIm) / L;
    const offset = (delta * P.sampleRate) / (2 * Math.PI) / FREQUENCIES_HZ[k]!;
    const rollOff = Math.abs(delta) < 1e-9 ? 1 : Math.abs(Math.sin((delta * N) / 2) / (N * Math.sin(delta / 2)));
    return { amplitude: (2 * Math.sqrt(this.power[k]!)) / (N * rollOff), offset, balanced };
  }
}

/** Index (0-3) of the strongest of the four filters from `first`, or -1 if it does not stand `relativePeakDb` above the rest. */
function strongest(power: Float64Array, first: number): number {
  let best = first;
  for (let k = first + 1; k < first + 4; k++) if (power[k]! > power[best]!) best = k;
  for (let k = first; k < first + 4; k++) if (k !== best && power[k]! * RELATIVE_PEAK > power[best]!) return -1;
  return best - first;
}
