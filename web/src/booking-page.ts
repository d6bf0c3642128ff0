import { ApiFailure, apiJson, type BookingView } from './api.js';
import { clearFieldErrors, showFieldErrors } from './field-errors.js';
import { t } from './i18n.js';
import { describeFailure, element, startPage } from './layout.js';
import { RecipientList } from './recipient-list.js';
import { currentLanguage } from './session.js';
import { browserTimeZone, timeZoneChoices } from './time-zones.js';

/**
 * The booking form at `/` (new booking, `POST /api/conferences`) and `/bookings/:id/edit` (change,
 * `PATCH` with only the fields that changed, so an untouched start is not re-checked against the
 * clock). The API is the authority: its field errors are shown next to the fields; the page only
 * adds hints (character counters, number limits).
 */
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

const form = $<HTMLFormElement>('booking-form');
const summary = $('error-summary');
const status = $('form-status');
const fields = {
  title: $<HTMLInputElement>('title'),
  accessCode: $<HTMLInputElement>('accessCode'),
  generateCode: $<HTMLInputElement>('generateCode'),
  date: $<HTMLInputElement>('date'),
  time: $<HTMLInputElement>('time'),
  timeZone: $<HTMLSelectElement>('timeZone'),
  duration: $<HTMLSelectElement>('duration'),
  estimatedConnections: $<HTMLInputElement>('estimatedConnections'),
  comment: $<HTMLTextAreaElement>('comment'),
  calendarInvite: $<HTMLInputElement>('calendarInvite'),
  acceptTerms: $<HTMLInputElement>('acceptTerms'),
};
const recipients = new RecipientList($<HTMLOListElement>('recipient-list'), $<HTMLButtonElement>('add-recipient'));
const editId = /^\/bookings\/([^/]+)\/edit$/.exec(location.pathname)?.[1];
let loaded: Record<string, unknown> | undefined;
let busy = false;

function fillOptions(select: HTMLSelectElement, values: string[], selected: string): void {
  select.replaceChildren(...values.map((v) => element('option', { value: v }, v)));
  select.value = selected;
}

/** 00:30 to 08:00 by quarter hours, plus `extra` (a booking made through the API may use any minute). */
function durations(extra?: string): string[] {
  const list: string[] = [];
  for (let minutes = 30; minutes <= 480; minutes += 15)
    list.push(`${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`);
  return extra && !list.includes(extra) ? [...list, extra].sort() : list;
}

/** A typed number is sent as a number; anything else as typed, so the API names the problem. */
function numberOrText(text: string): number | string | undefined {
  const v = text.trim();
  if (v === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
}

/** The form as an API body; absent values are left out so the API reports them as required or applies its default. */
function readForm(): Record<string, unknown> {
  const body: Record<string, unknown> = {
    title: fields.title.value,
    timeZone: fields.timeZone.value,
    duration: fields.duration.value,
    type: form.querySelector<HTMLInputElement>('input[name=type]:checked')?.value ?? 'video',
    comment: fields.comment.value,
    recipients: recipients.values(),
    calendarInvite: fields.calendarInvite.checked,
  };
  if (fields.date.value && fields.time.value) body.start = `${fields.date.value}T${fields.time.value}`;
  const code = fields.generateCode.checked ? undefined : numberOrText(fields.accessCode.value);
  if (code !== undefined) body.accessCode = code;
  const connections = numberOrText(fields.estimatedConnections.value);
  if (connections !== undefined) body.estimatedConnections = connections;
  return body;
}

/** The fields of `now` that differ from the booking as loaded. */
function changes(now: Record<string, unknown>, before: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(now).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(before[key])),
  );
}

function counter(input: HTMLInputElement | HTMLTextAreaElement, output: HTMLElement, max: number): void {
  const update = (): void => {
    // The API counts the trimmed, NFC-normalised text in UTF-16 units; so does the hint.
    const length = input.value.trim().normalize('NFC').length;
    output.textContent = `${length}/${max}`;
    output.classList.toggle('over', length > max);
  };
  input.addEventListener('input', update);
  update();
}

function syncCodeInput(): void {
  fields.accessCode.disabled = fields.generateCode.checked;
  if (fields.generateCode.checked) fields.accessCode.value = '';
}

function renderTexts(): void {
  $('page-title').textContent = t(editId ? 'book.editTitle' : 'book.title');
  document.title = `${t(editId ? 'book.editTitle' : 'book.title')} · confgate`;
  $('submit').textContent = t(editId ? 'book.save' : 'book.submit');
  recipients.renumber();
}

function fill(booking: BookingView): void {
  fields.title.value = booking.title;
  fields.generateCode.checked = false;
  fields.generateCode.closest('.check')!.remove();
  syncCodeInput();
  fields.accessCode.value = String(booking.accessCode);
  [fields.date.value, fields.time.value] = booking.start.split('T') as [string, string];
  fillOptions(fields.timeZone, timeZoneChoices(browserTimeZone(), booking.timeZone), booking.timeZone);
  fillOptions(fields.duration, durations(booking.duration), booking.duration);
  form.querySelector<HTMLInputElement>(`input[name=type][value=${booking.type}]`)!.checked = true;
  fields.estimatedConnections.value = String(booking.estimatedConnections);
  fields.comment.value = booking.comment;
  fields.calendarInvite.checked = booking.calendarInvite;
  recipients.set(booking.recipients);
  $('terms-field').remove();
  fields.title.dispatchEvent(new Event('input'));
  fields.comment.dispatchEvent(new Event('input'));
  loaded = readForm();
}

async function submit(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  if (busy) return;
  busy = true;
  status.textContent = t('book.busy');
  try {
    const body = readForm();
    if (editId) {
      const changed = changes(body, loaded ?? {});
      // Nothing changed: no PATCH, so no new SEQUENCE and no "changed" mail to every recipient.
      if (Object.keys(changed).length > 0)
        await apiJson<BookingView>('PATCH', `/api/conferences/${encodeURIComponent(editId)}`, changed);
      location.assign(`/bookings/${encodeURIComponent(editId)}`);
    } else {
      const booking = await apiJson<BookingView>('POST', '/api/conferences', {
        ...body,
        acceptTerms: fields.acceptTerms.checked,
        language: currentLanguage(),
      });
      location.assign(`/bookings/${encodeURIComponent(booking.id)}`);
    }
    clearFieldErrors(form, summary);
  } catch (error) {
    status.textContent = '';
    if (error instanceof ApiFailure && error.status === 401) return;
    if (error instanceof ApiFailure && error.fieldErrors.length > 0) showFieldErrors(form, error.fieldErrors, summary);
    else status.textContent = describeFailure(error);
  } finally {
    busy = false;
  }
}

async function main(): Promise<void> {
  if (!startPage({ requiresLogin: true, onLanguage: renderTexts })) return;
  fillOptions(fields.timeZone, timeZoneChoices(browserTimeZone()), browserTimeZone());
  fillOptions(fields.duration, durations(), '01:00');
  counter(fields.title, $('title-count'), 24);
  counter(fields.comment, $('comment-count'), 500);
  fields.generateCode.addEventListener('change', syncCodeInput);
  form.addEventListener('submit', (event) => void submit(event));
  renderTexts();
  if (editId) {
    try {
      fill(await apiJson<BookingView>('GET', `/api/conferences/${encodeURIComponent(editId)}`));
    } catch (error) {
      if (!(error instanceof ApiFailure && error.status === 401)) status.textContent = describeFailure(error);
    }
  }
}

void main();
