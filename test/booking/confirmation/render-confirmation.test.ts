import type { NotificationKind } from '../../../src/booking/booking-notifier';
import { joinInfo } from '../../../src/booking/join-info';
import { confirmationContent, formatStart } from '../../../src/booking/confirmation/confirmation-content';
import {
  escapeHtml,
  renderConfirmationHtml,
  renderConfirmationText,
} from '../../../src/booking/confirmation/render-confirmation';
import { booking, englishConfirmationLines, joinSettings } from './booking-fixture';

function render(
  overrides: Parameters<typeof booking>[0] = {},
  kind: NotificationKind = 'created',
  settings = joinSettings,
) {
  const b = booking(overrides);
  const content = confirmationContent(b, joinInfo(b, settings), kind);
  return { content, text: renderConfirmationText(content), html: renderConfirmationHtml(content, b.language) };
}

describe('confirmation text', () => {
  it('lists every way to join and the conference, in English, in RENAvisio order', () => {
    const { text } = render();
    const expected = ['Your conference "Réunion projet" is booked.', ...englishConfirmationLines];
    const lines = text.split('\n').filter((l) => l !== '');
    expect(lines).toEqual(expected);
  });

  it('speaks French with French typography', () => {
    const { text, content } = render({ language: 'fr', type: 'audio' });
    for (const line of [
      'Votre conférence « Réunion projet » est réservée.',
      'Pour rejoindre la conférence',
      'Depuis un terminal individuel (poste de travail)\u00a0: https://visio.example.org/join/5387',
      'IP\u00a0: visio.example.org',
      'Téléphone\u00a0: +33 1 23 45 67 89',
      'URI SIP\u00a0: sip:5387@visio.example.org',
      'URI H.323\u00a0: h323:5387@visio.example.org',
      'Numéro de conférence\u00a0: 5387 (terminer par #)',
      'Code d’accès\u00a0: 8688 (terminer par #)',
      'Titre\u00a0: Réunion projet',
      'Début\u00a0: 2026-12-01 10:00 Europe/Paris',
      'Durée\u00a0: 01:30',
      'Nombre de connexions estimé\u00a0: 6',
      'Type\u00a0: audio seul',
    ]) {
      expect(text.split('\n')).toContain(line);
    }
    expect(content.subject).toBe('Conférence réservée : Réunion projet, 2026-12-01 10:00 Europe/Paris');
  });

  it('hides the telephone line when no number is configured, and the comment line when there is none', () => {
    const { text } = render({ comment: '' }, 'created', { ...joinSettings, phoneNumber: '' });
    expect(text).not.toMatch(/Telephone/);
    expect(text).not.toMatch(/Comment/);
    expect(text).toMatch(/SIP URI: sip:5387@visio\.example\.org/);
  });

  it('leaves the join lines out of a cancellation', () => {
    const { text } = render({}, 'cancelled');
    expect(text).toMatch(/^The conference "Réunion projet" has been cancelled\./);
    expect(text).not.toMatch(/8688|SIP URI|end with #/);
    expect(text).toMatch(/Start: 2026-12-01 10:00 Europe\/Paris/);
  });

  it('brackets an IPv6 public host in URIs and links', () => {
    const { text } = render({}, 'created', { ...joinSettings, publicHost: '2001:db8::10' });
    expect(text).toMatch(/SIP URI: sip:5387@\[2001:db8::10\]/);
    expect(text).toMatch(/IP: 2001:db8::10$/m);
  });

  it.each<[NotificationKind, string, string]>([
    [
      'created',
      'Conference booked: Réunion projet, 2026-12-01 10:00 Europe/Paris',
      'Conférence réservée : Réunion projet, 2026-12-01 10:00 Europe/Paris',
    ],
    [
      'updated',
      'Conference changed: Réunion projet, 2026-12-01 10:00 Europe/Paris',
      'Conférence modifiée : Réunion projet, 2026-12-01 10:00 Europe/Paris',
    ],
    [
      'cancelled',
      'Conference cancelled: Réunion projet, 2026-12-01 10:00 Europe/Paris',
      'Conférence annulée : Réunion projet, 2026-12-01 10:00 Europe/Paris',
    ],
    [
      'resend',
      'Conference details: Réunion projet, 2026-12-01 10:00 Europe/Paris',
      'Informations de conférence : Réunion projet, 2026-12-01 10:00 Europe/Paris',
    ],
  ])('has a subject for %s in both languages', (kind, en, fr) => {
    expect(render({}, kind).content.subject).toBe(en);
    expect(render({ language: 'fr' }, kind).content.subject).toBe(fr);
  });

  it('formats the start as date, time and zone', () => {
    expect(formatStart({ start: '2027-02-28T08:05', timeZone: 'America/New_York' })).toBe(
      '2027-02-28 08:05 America/New_York',
    );
  });
});

describe('confirmation HTML', () => {
  it('holds the same lines as the text, in a table', () => {
    const { html } = render();
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(html).toContain('<tr><th align="left">Conference number</th><td>5387 (end with #)</td></tr>');
    expect(html).toContain('<tr><th align="left">Access code</th><td>8688 (end with #)</td></tr>');
    expect(html).toContain('<tr><th align="left">SIP URI</th><td>sip:5387@visio.example.org</td></tr>');
    expect(html).toContain('<tr><th align="left">H.323 URI</th><td>h323:5387@visio.example.org</td></tr>');
    expect(html).toContain(
      '<tr><th align="left">From an individual terminal (desktop)</th><td><a href="https://visio.example.org/join/5387">https://visio.example.org/join/5387</a></td></tr>',
    );
    expect(html).toContain('<td>Ordre du jour en pièce jointe.<br>Merci d’être à l’heure.</td>');
  });

  it('escapes everything a user wrote', () => {
    const { html } = render({
      title: 'R&D <script>alert(1)</script>',
      comment: 'a < b & "c" \'d\' <img src=x onerror=alert(1)>',
    });
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain('R&amp;D &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('a &lt; b &amp; &quot;c&quot; &#39;d&#39; &lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<title>Conference booked: R&amp;D &lt;script&gt;');
  });

  it('does not turn a non-web desktop link into an anchor', () => {
    const { html } = render({}, 'created', { ...joinSettings, desktopLinkTemplate: 'javascript:alert("{number}")' });
    expect(html).not.toContain('<a ');
    expect(html).toContain('javascript:alert(&quot;5387&quot;)');
  });

  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
