import type { Language } from '../booking/booking';
import type { PromptClip, PromptLibrary } from '../ivr/prompt-library';

/**
 * What an admitted caller no MCU takes hears before it is released (RFC 3261 §21.5.4 503 in its
 * BYE's `Reason` or final response): "the service is temporarily unavailable", then "goodbye".
 */
export function noMcuWords(prompts: Pick<PromptLibrary, 'resolve'>, language: Language): PromptClip[] {
  return prompts.resolve(language, ['unavailable', 'goodbye']);
}
