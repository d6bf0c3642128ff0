import type { ConfirmationContent, ConfirmationSection } from './confirmation-content';

/** Plain-text lines of sections; a multi-line value (the comment) continues indented under its label. */
export function sectionsAsText(sections: ConfirmationSection[], colon: string): string {
  return sections
    .map((s) =>
      [s.heading, ...s.lines.map((l) => `${l.label}${colon}${l.value.split(/\r?\n/).join('\n    ')}`)].join('\n'),
    )
    .join('\n\n');
}

/** The text/plain part. */
export function renderConfirmationText(c: ConfirmationContent): string {
  return `${c.intro}\n\n${sectionsAsText(c.sections, c.wording.colon)}\n`;
}

const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => htmlEntities[ch]!);
}

function htmlValue(value: string, href: string | undefined): string {
  const text = escapeHtml(value).replace(/\r?\n/g, '<br>');
  // Only web links become anchors: a configured template must not smuggle `javascript:` into a mail.
  return href && /^https?:\/\//i.test(href) ? `<a href="${escapeHtml(href)}">${text}</a>` : text;
}

/** The text/html part. Every value is escaped: titles, comments and addresses come from users. */
export function renderConfirmationHtml(c: ConfirmationContent, lang: string): string {
  const sections = c.sections
    .map(
      (s) =>
        `<h2>${escapeHtml(s.heading)}</h2>\n<table>\n` +
        s.lines
          .map((l) => `<tr><th align="left">${escapeHtml(l.label)}</th><td>${htmlValue(l.value, l.href)}</td></tr>\n`)
          .join('') +
        '</table>',
    )
    .join('\n');
  return (
    `<!DOCTYPE html>\n<html lang="${escapeHtml(lang)}">\n<head><meta charset="utf-8"><title>${escapeHtml(c.subject)}</title></head>\n` +
    `<body>\n<p>${escapeHtml(c.intro)}</p>\n${sections}\n</body>\n</html>\n`
  );
}
