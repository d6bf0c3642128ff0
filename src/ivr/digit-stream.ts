import type { DigitSource } from './ivr-session';

/** Keys held for a session not listening yet: more than an entry and its `#` are never needed. */
const HELD_KEYS = 32;

/**
 * A call's digit stream as an IVR session listens to it: the call's media pushes each key it
 * accepted (from RFC 4733, SIP INFO, H.323 signalling or in-band tones), the session subscribes
 * and unsubscribes. It exists before the session so the media can be opened first; keys pushed
 * before anyone listened (an H.323 Setup's Keypad IE, a key sent with the Connect still in flight)
 * are held and handed to the first subscriber, so none is lost to that order.
 */
export class DigitStream implements DigitSource {
  private readonly listeners = new Set<(digit: string) => void>();
  /** Keys pushed before the first subscriber; undefined once one subscribed. */
  private held: string[] | undefined = [];

  onDigit(listener: (digit: string) => void): () => void {
    this.listeners.add(listener);
    const held = this.held ?? [];
    this.held = undefined;
    for (const digit of held) listener(digit);
    return () => this.listeners.delete(listener);
  }

  push(digit: string): void {
    if (this.held && this.held.length < HELD_KEYS) this.held.push(digit);
    for (const listener of this.listeners) listener(digit);
  }

  /** How many subscribers are listening (0 once the call's session ended). */
  get listenerCount(): number {
    return this.listeners.size;
  }
}
