import { ApiFailure, apiJson, type BookingView } from './api.js';
import { t } from './i18n.js';
import { describeFailure, element, startPage } from './layout.js';

/**
 * `/bookings`: the organiser's upcoming or past conferences (`GET /api/conferences?when=`), each
 * with links to its confirmation and its edit form, and a Cancel button that asks first (a modal
 * `<dialog>`, keyboard-trapped by the browser, "Keep it" focused) before `DELETE`.
 */
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const body = document.querySelector<HTMLTableSectionElement>('#bookings tbody')!;
const dialog = $<HTMLDialogElement>('cancel-dialog');
let shown: BookingView[] = [];

function when(): string {
  return document.querySelector<HTMLInputElement>('input[name=when]:checked')!.value;
}

const startText = (b: BookingView): string => `${b.start.replace('T', ' ')} ${b.timeZone}`;

function row(b: BookingView): HTMLTableRowElement {
  const tr = element('tr', { 'data-id': b.id });
  const titleCell = element('td');
  titleCell.append(element('a', { href: `/bookings/${encodeURIComponent(b.id)}` }, b.title));
  tr.append(
    element('td', {}, b.number),
    titleCell,
    element('td', {}, startText(b)),
    element('td', {}, b.duration),
    element('td', {}, t(`status.${b.status}`)),
  );
  const actions = element('td', { class: 'actions' });
  actions.append(
    element(
      'a',
      { href: `/bookings/${encodeURIComponent(b.id)}`, 'aria-label': `${t('list.view')} ${b.title}` },
      t('list.view'),
    ),
  );
  if (b.status === 'active' && when() === 'upcoming') {
    actions.append(
      element(
        'a',
        { href: `/bookings/${encodeURIComponent(b.id)}/edit`, 'aria-label': `${t('list.edit')} ${b.title}` },
        t('list.edit'),
      ),
    );
    const cancel = element(
      'button',
      { type: 'button', class: 'danger', 'aria-label': `${t('list.cancel')} ${b.title}` },
      t('list.cancel'),
    );
    cancel.addEventListener('click', () => void askCancel(b, cancel));
    actions.append(cancel);
  }
  tr.append(actions);
  return tr;
}

function render(): void {
  body.replaceChildren(...shown.map(row));
  $('list-empty').hidden = shown.length > 0;
}

async function load(): Promise<void> {
  try {
    shown = (await apiJson<{ conferences: BookingView[] }>('GET', `/api/conferences?when=${when()}`)).conferences.sort(
      (a, b) => a.startsAt.localeCompare(b.startsAt),
    );
    render();
  } catch (error) {
    if (!(error instanceof ApiFailure && error.status === 401)) $('list-status').textContent = describeFailure(error);
  }
}

async function askCancel(b: BookingView, opener: HTMLButtonElement): Promise<void> {
  $('cancel-question').textContent = t('cancel.question', { title: b.title, start: startText(b) });
  dialog.returnValue = '';
  dialog.showModal();
  await new Promise((resolve) => dialog.addEventListener('close', resolve, { once: true }));
  if (dialog.returnValue !== 'cancel') {
    opener.focus();
    return;
  }
  try {
    await apiJson<BookingView>('DELETE', `/api/conferences/${encodeURIComponent(b.id)}`);
    await load();
    $('list-status').textContent = t('cancel.done', { title: b.title });
    $('list-status').focus();
  } catch (error) {
    if (!(error instanceof ApiFailure && error.status === 401)) $('list-status').textContent = describeFailure(error);
  }
}

async function main(): Promise<void> {
  if (!startPage({ requiresLogin: true, onLanguage: render })) return;
  $('list-status').tabIndex = -1;
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name=when]'))
    radio.addEventListener('change', () => void load());
  await load();
}

void main();
