import type { CallMedia } from '../media/call-media';
import type { PromptPlayer } from './ivr-session';
import type { PromptClip } from './prompt-library';

/**
 * Plays IVR prompts through a call's media: clips are queued back to back on its playout (sent as
 * 20 ms G.711 packets on the shared pacing clock); the end of the last clip ends the prompt, and
 * `stop()` (barge-in) drops the queue.
 */
export class CallMediaPlayer implements PromptPlayer {
  private pending: ((result: 'finished' | 'stopped') => void) | undefined;

  constructor(private readonly media: Pick<CallMedia, 'play' | 'stopPlayback'>) {}

  play(clips: readonly PromptClip[]): Promise<'finished' | 'stopped'> {
    this.stop();
    return new Promise((resolve) => {
      this.pending = resolve;
      const ended = (): void => {
        if (this.pending !== resolve) return;
        this.pending = undefined;
        resolve('finished');
      };
      clips.forEach((clip, i) => this.media.play(clip.pcm, i === clips.length - 1 ? ended : undefined));
    });
  }

  stop(): void {
    this.media.stopPlayback();
    const pending = this.pending;
    this.pending = undefined;
    pending?.('stopped');
  }
}
