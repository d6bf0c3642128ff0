import {
  api,
  logout,
  token,
  toLogin,
  type Conference,
  type IvrCall,
  type LiveEvent,
  type Mcu,
  type Participant,
} from './admin-api.js';
import { followEvents } from './event-stream.js';

/**
 * `/admin`: conferences in progress, calls in the IVR, MCU health and a feed of refusals and
 * alerts. The state is always re-read from the API (the store's truth); events only say when.
 */
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

const time = (iso: string): string => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const mmss = (s: number): string => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;

const dialog = document.getElementById('confirm') as HTMLDialogElement;
/** Asks before an action; resolves true on Confirm. The native dialog keeps focus inside and closes on Escape. */
function confirmAction(text: string): Promise<boolean> {
  document.getElementById('confirm-text')!.textContent = text;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) =>
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true }),
  );
}

async function act(question: string, path: string, body?: unknown): Promise<void> {
  if (!(await confirmAction(question))) return;
  try {
    await api('POST', path, body);
  } catch (e) {
    feedLine(`Action failed: ${(e as Error).message}`, true);
  }
  await refresh();
}

function participantRow(c: Conference, p: Participant): HTMLTableRowElement {
  const tr = el('tr', { 'data-participant': p.participantId });
  const who = [p.displayName, p.callingNumber].filter(Boolean).join(' · ') || '(anonymous)';
  for (const v of [
    who,
    p.source,
    p.protocol ?? '?',
    p.transport ?? '?',
    p.dialled,
    p.dtmf ?? '–',
    p.userAgent ?? '–',
    p.mcu ?? '–',
    time(p.joinedAt),
    mmss(p.durationSeconds),
  ])
    tr.append(el('td', {}, v));
  const kick = el('button', { type: 'button', class: 'danger', 'aria-label': `Kick ${who}` }, 'Kick');
  kick.addEventListener(
    'click',
    () =>
      void act(
        `Remove ${who} from conference ${c.number}? Both legs get a BYE.`,
        `/api/live/conferences/${c.number}/participants/${p.participantId}/kick`,
      ),
  );
  const td = el('td');
  td.append(kick);
  tr.append(td);
  return tr;
}

function conferenceCard(c: Conference): HTMLElement {
  const card = el('article', { class: 'conference', 'data-number': c.number, 'aria-labelledby': `conf-${c.number}` });
  card.append(el('h3', { id: `conf-${c.number}` }, `${c.number} · ${c.title}`));
  const facts = el('div', { class: 'facts' });
  facts.append(el('span', {}, `${time(c.startsAt)}–${time(c.endsAt)} (${c.duration})`));
  const meter = el('meter', {
    min: '0',
    max: String(c.cap),
    value: String(c.participantsCount),
    high: String(Math.max(1, c.cap - 1)),
    'aria-label': `Connections used for ${c.number}`,
  });
  facts.append(meter, el('span', { class: 'used' }, `${c.participantsCount} / ${c.cap} connections`));
  facts.append(el('span', {}, `MCU: ${c.mcu ?? '–'}`));
  if (c.locked) facts.append(el('span', { class: 'locked' }, 'locked'));
  card.append(facts);

  const actions = el('div', { class: 'actions' });
  const lock = el('button', { type: 'button' }, c.locked ? 'Unlock' : 'Lock');
  lock.addEventListener(
    'click',
    () =>
      void act(
        c.locked
          ? `Unlock ${c.number}? New callers may join again.`
          : `Lock ${c.number}? New callers are told it is locked.`,
        `/api/live/conferences/${c.number}/${c.locked ? 'unlock' : 'lock'}`,
      ),
  );
  const extendLabel = el('label', { for: `extend-${c.number}` }, 'Extend by');
  const extend = el('select', { id: `extend-${c.number}` });
  for (const m of [15, 30, 60]) extend.append(el('option', { value: String(m) }, `${m} min`));
  const extendButton = el('button', { type: 'button' }, 'Extend');
  extendButton.addEventListener(
    'click',
    () =>
      void act(`Extend ${c.number} by ${extend.value} minutes?`, `/api/live/conferences/${c.number}/extend`, {
        minutes: Number(extend.value),
      }),
  );
  const end = el('button', { type: 'button', class: 'danger' }, 'End conference');
  end.addEventListener(
    'click',
    () =>
      void act(`End conference ${c.number}? Every participant gets a BYE.`, `/api/live/conferences/${c.number}/end`),
  );
  actions.append(lock, extendLabel, extend, extendButton, end);
  card.append(actions);

  if (c.participants.length > 0) {
    const table = el('table');
    const head = el('tr');
    for (const h of [
      'Participant',
      'From',
      'Protocol',
      'Transport',
      'Dialled',
      'DTMF',
      'Device',
      'MCU',
      'Joined',
      'Duration',
      'Action',
    ])
      head.append(el('th', { scope: 'col' }, h));
    table.append(el('thead'), el('tbody'));
    table.tHead!.append(head);
    for (const p of c.participants) table.tBodies[0]!.append(participantRow(c, p));
    card.append(table);
  }
  return card;
}

function render(conferences: Conference[], ivr: IvrCall[], mcus: Mcu[]): void {
  const box = document.getElementById('conferences')!;
  box.replaceChildren(...conferences.map(conferenceCard));
  document.getElementById('no-conferences')!.hidden = conferences.length > 0;
  const body = (document.getElementById('ivr-calls') as HTMLTableElement).tBodies[0]!;
  body.replaceChildren(
    ...ivr.map((c) => {
      const tr = el('tr', { 'data-call': c.callId });
      for (const v of [
        [c.displayName, c.callingNumber].filter(Boolean).join(' · ') || '(anonymous)',
        c.source ?? '?',
        c.protocol ?? '?',
        c.transport ?? '?',
        c.dtmf ?? '–',
        c.number ?? '–',
        mmss(c.durationSeconds),
      ])
        tr.append(el('td', {}, v));
      return tr;
    }),
  );
  document.getElementById('no-ivr-calls')!.hidden = ivr.length > 0;
  document.getElementById('mcus')!.replaceChildren(
    ...mcus.map((m) => {
      const li = el('li');
      li.append(
        el(
          'span',
          { class: m.up === null ? '' : m.up ? 'up' : 'down' },
          m.up === null ? 'unknown' : m.up ? 'up' : 'DOWN',
        ),
        document.createTextNode(` ${m.id} (${m.uri})`),
      );
      return li;
    }),
  );
}

function feedLine(text: string, alert: boolean): void {
  const feed = document.getElementById('feed')!;
  const li = el('li', alert ? { class: 'alert' } : {}, `${new Date().toLocaleTimeString()} ${text}`);
  feed.prepend(li);
  document.getElementById('feed-empty')!.hidden = true;
  while (feed.children.length > 50) feed.lastElementChild!.remove();
}

let pending: Promise<void> | undefined;
let again = false;
/** Re-reads the state; events arriving during a read cause one more read, not one per event. */
function refresh(): Promise<void> {
  if (pending) {
    again = true;
    return pending;
  }
  pending = (async () => {
    try {
      const [{ conferences }, { ivr }, { mcus }] = await Promise.all([
        api<{ conferences: Conference[] }>('GET', '/api/live/conferences'),
        api<{ ivr: IvrCall[] }>('GET', '/api/live/calls'),
        api<{ mcus: Mcu[] }>('GET', '/api/live/mcus'),
      ]);
      render(conferences, ivr, mcus);
    } finally {
      pending = undefined;
      if (again) {
        again = false;
        void refresh();
      }
    }
  })();
  return pending;
}

/** An alert as the feed says it: admission's brute-force alerts, or an overload limit reached. */
function alertText(e: LiveEvent): string {
  if (e.alert === 'under-attack')
    return `Conference ${e.number} under a guessing attack: ${e.count} wrong codes (threshold ${e.limit}); codes are now checked after a hold`;
  if (e.alert === 'attack-budget-spent')
    return `Conference ${e.number}: guessing budget spent (${e.count}/${e.limit} codes from new callers this hour); until the hour rolls only callers admitted lately are checked, others are refused`;
  if (e.alert === undefined || e.alert === 'too-many-attempts')
    return `Brute-force alert: ${e.scope} ${e.subject} reached ${e.count}/${e.limit} failures on ${e.number}`;
  return `Overload limit ${e.alert} (${e.scope}) reached by ${e.subject}: ${e.count}/${e.limit}`;
}

function onEvent(e: LiveEvent): void {
  if (e.kind === 'refused')
    feedLine(`Refused (${e.reason})${e.number ? ` on ${e.number}` : ''}${e.source ? ` from ${e.source}` : ''}`, false);
  if (e.kind === 'moved') feedLine(`Caller moved from ${e.from ?? '?'} to ${e.to ?? '?'} (MCU lost)`, true);
  if (e.kind === 'store')
    feedLine(
      e.up
        ? `Store reachable again${e.downSince ? ` after ${Math.round((e.at - e.downSince) / 1000)} s down` : ''}`
        : 'Store unreachable: new calls refused',
      !e.up,
    );
  if (e.kind === 'alert') feedLine(alertText(e), true);
  void refresh();
}

if (!token()) toLogin();
else {
  document.getElementById('logout')!.addEventListener('click', logout);
  void refresh().then(() => {
    document.querySelector('main')!.hidden = false;
  });
  const status = document.getElementById('connection')!;
  followEvents(onEvent, (up) => {
    status.textContent = up ? 'live' : 'reconnecting…';
    if (up) void refresh();
  });
  // Durations tick, and calls from a path that publishes no events still show up.
  setInterval(() => void refresh(), 5_000);
}
