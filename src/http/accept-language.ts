import type { Language } from '../booking/booking';

/**
 * Picks `fr` or `en` from an `Accept-Language` header (RFC 9110 §12.5.4): the supported
 * language with the highest quality wins, the header's order breaking ties; `fallback` otherwise.
 */
export function negotiateLanguage(header: string | undefined, fallback: Language): Language {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/i.exec(p)).find(Boolean);
      return { primary: tag.trim().toLowerCase().split('-')[0]!, q: q ? Number(q[1]) : 1, index };
    })
    .filter((r) => r.q > 0 && (r.primary === 'fr' || r.primary === 'en'))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return (ranked[0]?.primary as Language | undefined) ?? fallback;
}
