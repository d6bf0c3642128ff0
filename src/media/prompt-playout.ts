import { encodeG711, G711_SILENCE, SAMPLES_PER_20MS, type G711Codec } from './codec/g711';

/**
 * The queue of prompts a call is playing, cut into 20 ms G.711 frames. Prompts are encoded once when
 * queued, so the per-tick work is a subarray. `stop()` is the IVR's barge-in: a key press cuts the
 * prompt at the next tick.
 */
export class PromptPlayout {
  private readonly queue: Array<{ frames: Uint8Array; onEnd: (() => void) | undefined }> = [];
  private offset = 0;

  constructor(private readonly codec: G711Codec) {}

  /** Queues 8 kHz 16-bit linear audio; `onEnd` runs when its last frame has been sent. */
  enqueue(pcm: Int16Array, onEnd?: () => void): void {
    if (pcm.length === 0) {
      if (onEnd) queueMicrotask(onEnd);
      return;
    }
    const encoded = encodeG711(this.codec, pcm);
    const padded = new Uint8Array(Math.ceil(encoded.length / SAMPLES_PER_20MS) * SAMPLES_PER_20MS).fill(G711_SILENCE[this.codec]);
    padded.set(encoded);
    this.queue.push({ frames: padded, onEnd });
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
