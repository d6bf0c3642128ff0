import type { DigitSource } from './ivr-session';

/**
 * A call's digit stream as an IVR session listens to it: the call's media pushes each key it
 * accepted (from RFC 4733, SIP INFO or in-band tones), the session subscribes and unsubscribes.
 * It exists before the session so the media can be opened first.
 */
export class DigitStream implements DigitSource {
  private readonly listeners = new Set<(digit: string) => void>();

  onDigit(listener: (digit: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  push(digit: string): void {
    for (const listener of this.listeners) listener(digit);
  }

  /** How many subscribers are listening (0 once the call's session ended). */
  get listenerCount(): number {
    return this.listeners.size;
  }
}
