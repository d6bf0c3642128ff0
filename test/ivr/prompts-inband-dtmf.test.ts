import { join } from 'node:path';
import { decodeG711, encodeG711 } from '../../src/media/codec/g711';
import { InbandDtmfDetector } from '../../src/media/dtmf/inband-dtmf-detector';
import { PROMPT_LANGUAGES, promptCatalog } from '../../src/ivr/prompt-catalog';
import { PromptLibrary } from '../../src/ivr/prompt-library';

/**
 * Gateways echo what they hear, so the IVR's own prompts come back in the caller's audio while
 * they play. With barge-in, a false digit detected in that echo would cut the prompt and corrupt
 * the entry: no prompt may contain anything the in-band receiver takes for a key.
 */
describe('prompts and the in-band DTMF receiver', () => {
  const library = PromptLibrary.load(join(__dirname, '..', '..', 'prompts'));

  it.each(PROMPT_LANGUAGES)('no clip is heard as a digit, in either G.711 law (%s)', (language) => {
    const heard: string[] = [];
    for (const id of promptCatalog(language).keys()) {
      const clip = library.get(language, id);
      for (const codec of ['PCMU', 'PCMA'] as const) {
        const detector = new InbandDtmfDetector((digit) => heard.push(`${id}/${codec}: ${digit}`));
        detector.push(decodeG711(codec, encodeG711(codec, clip.pcm)));
      }
    }
    expect(heard).toEqual([]);
  });

  it('the receiver does hear a real key press after a prompt, so the test above can fail', () => {
    const heard: string[] = [];
    const detector = new InbandDtmfDetector((digit) => heard.push(digit));
    detector.push(library.get('en', 'welcome').pcm);
    // Key 5: 770 Hz + 1336 Hz (Q.23), 100 ms at about -10 dBm0 each, then 100 ms of silence.
    const tone = new Int16Array(1600);
    for (let n = 0; n < 800; n++)
      tone[n] = Math.round(
        5000 * (Math.sin((2 * Math.PI * 770 * n) / 8000) + Math.sin((2 * Math.PI * 1336 * n) / 8000)),
      );
    detector.push(tone);
    expect(heard).toEqual(['5']);
  });
});
