import { encodeG711, G711_SILENCE, SAMPLES_PER_20MS, type G711Codec } from './codec/g711';

/**
 * G.711 encodings of prompt audio, per law, kept as long as the prompt's PCM is alive: the IVR plays
 * the same few prompts to every caller, so each is encoded once per law, not once per call (encoding
 * a 3 s prompt for a thousand calls in one tick would stall the pacing clock).
 */
const encodings = new WeakMap<Int16Array, Partial<Record<G711Codec, Uint8Array>>>();

function encodedFrames(codec: G711Codec, pcm: Int16Array): Uint8Array {
  let cached = encodings.get(pcm);
  if (!cached) encodings.set(pcm, (cached = {}));
  let frames = cached[codec];
  if (!frames) {
    frames = new Uint8Array(Math.ceil(pcm.length / SAMPLES_PER_20MS) * SAMPLES_PER_20MS).fill(G711_SILENCE[codec]);
    frames.set(encodeG711(codec, pcm));
    cached[codec] = frames;
  }
  return frames;
}

/**
 * The queue of prompts a call is playing, cut into 20 ms G.711 frames (the last one padded with
 * silence), so the per-tick work is a subarray. `stop()` is the IVR's barge-in: a key press cuts
 * the prompt at the next tick.
 */
export class PromptPlayout {
  private readonly queue: Array<{ pcm: Int16Array; frames: Uint8Array; onEnd: (() => void) | undefined }> = [];
  private offset = 0;

  constructor(private codec: G711Codec) {}

  /** Switches law (a re-INVITE changed codec): queued prompts go on from where they were, re-encoded. */
  setCodec(codec: G711Codec): void {
    if (codec === this.codec) return;
    this.codec = codec;
    for (const item of this.queue) item.frames = encodedFrames(codec, item.pcm);
  }

  /** Queues 8 kHz 16-bit linear audio (treated as immutable: its encoding is cached); `onEnd` runs when its last frame has been sent. */
  enqueue(pcm: Int16Array, onEnd?: () => void): void {
    if (pcm.length === 0) {
      if (onEnd) queueMicrotask(onEnd);
      return;
    }
    this.queue.push({ pcm, frames: encodedFrames(this.codec, pcm), onEnd });
  }

  /** The next 20 ms frame, or undefined when nothing is queued (silence, not sent). */
  nextFrame(): Uint8Array | undefined {
    const current = this.queue[0];
    if (!current) return undefined;
    const frame = current.frames.subarray(this.offset, this.offset + SAMPLES_PER_20MS);
    this.offset += SAMPLES_PER_20MS;
    if (this.offset >= current.frames.length) {
      this.queue.shift();
      this.offset = 0;
      current.onEnd?.();
    }
    return frame;
  }

  get playing(): boolean {
    return this.queue.length > 0;
  }

  /** Drops everything queued without calling the `onEnd` callbacks. */
  stop(): void {
    this.queue.length = 0;
    this.offset = 0;
  }
}
