import { ApiFailure, apiHtml, apiJson, type BookingView } from './api.js';
import { t, type MessageKey } from './i18n.js';
import { describeFailure, startPage } from './layout.js';

/**
 * `/bookings/:id`: the confirmation exactly as the e-mail shows it (HTML rendered by the server
 * with the mail's renderer, `GET /api/conferences/:id/confirmation`), with copy buttons for the
 * SIP URI, the conference number and the access code.
 */
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const id = decodeURIComponent(/^\/bookings\/([^/]+)$/.exec(location.pathname)?.[1] ?? '');
let booking: BookingView | undefined;

const copyLabels: Record<string, MessageKey> = {
  sipUri: 'confirm.sipUri',
  number: 'confirm.number',
  accessCode: 'confirm.accessCode',
};

function copyValues(b: BookingView): Record<string, string> {
  return { sipUri: b.joinInfo.sipUri, number: b.joinInfo.number, accessCode: String(b.joinInfo.accessCode) };
}

function renderTexts(): void {
  if (!booking) return;
  $('mail-state').textContent = t('confirm.mailState', { state: t(`mail.${booking.mail.state}`) });
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy]')) {
    button.setAttribute('aria-label', `${t('confirm.copy')} ${t(copyLabels[button.dataset.copy!]!)}`);
  }
}

async function copy(button: HTMLButtonElement): Promise<void> {
  if (!booking) return;
  const what = button.dataset.copy!;
  try {
    await navigator.clipboard.writeText(copyValues(booking)[what]!);
    $('copy-status').textContent = t('confirm.copied', { what: t(copyLabels[what]!) });
  } catch {
    $('copy-status').textContent = t('confirm.copyFailed');
  }
}

/** Puts the server-rendered mail body into the page; DOMParser never runs scripts, and the server escapes every value. */
function showMail(html: string): void {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  $('mail-body').replaceChildren(...Array.from(doc.body.childNodes, (node) => document.importNode(node, true)));
}

async function main(): Promise<void> {
  if (!startPage({ requiresLogin: true, onLanguage: renderTexts })) return;
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy]'))
    button.addEventListener('click', () => void copy(button));
  try {
    const path = `/api/conferences/${encodeURIComponent(id)}`;
    const [view, html] = await Promise.all([apiJson<BookingView>('GET', path), apiHtml(`${path}/confirmation`)]);
    booking = view;
    const values = copyValues(view);
    for (const key of Object.keys(values)) $(`code-${key}`).textContent = values[key]!;
    showMail(html);
    const cancelled = view.status === 'cancelled';
    $('cancelled-notice').hidden = !cancelled;
    $('codes').hidden = cancelled;
    $('mail').hidden = false;
    const edit = $<HTMLAnchorElement>('edit-link');
    edit.href = `/bookings/${encodeURIComponent(view.id)}/edit`;
    edit.hidden = cancelled;
    renderTexts();
  } catch (error) {
    if (!(error instanceof ApiFailure && error.status === 401)) $('page-status').textContent = describeFailure(error);
  }
}

void main();
