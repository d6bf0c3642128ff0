/**
 * The admin's calls to the live API, with the token the login page keeps in this tab's
 * sessionStorage (key `confgate.token`, shared with the organiser pages). A 401 or 403 sends the
 * visitor back to the login page.
 */
const TOKEN_KEY = 'confgate.token';

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function toLogin(reason?: 'expired'): void {
  const params = new URLSearchParams({ next: '/admin' });
  if (reason) params.set('reason', reason);
  location.replace(`/login?${params}`);
}

export function logout(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  location.assign('/login?next=/admin');
}

export async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${token() ?? ''}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  if (r.status === 401 || r.status === 403) {
    toLogin('expired');
    throw new Error('not signed in as admin');
  }
  const data = (await r.json()) as T & { message?: string };
  if (!r.ok) throw new Error(data.message ?? `HTTP ${r.status}`);
  return data;
}

export interface Participant {
  participantId: string;
  displayName: string | null;
  callingNumber: string | null;
  source: string;
  protocol: string | null;
  transport: string | null;
  dialled: string;
  dtmf: string | null;
  userAgent: string | null;
  mcu: string | null;
  joinedAt: string;
  durationSeconds: number;
}

export interface Conference {
  bookingId: string;
  number: string;
  title: string;
  startsAt: string;
  endsAt: string;
  duration: string;
  cap: number;
  participantsCount: number;
  mcu: string | null;
  locked: boolean;
  participants: Participant[];
}

export interface IvrCall {
  callId: string;
  source: string | null;
  protocol: string | null;
  transport: string | null;
  displayName: string | null;
  callingNumber: string | null;
  dtmf: string | null;
  number: string | null;
  durationSeconds: number;
}

export interface Mcu {
  id: string;
  uri: string;
  up: boolean | null;
}

/** A call event as `/api/events` sends it (the fields the dashboard reads). */
export interface LiveEvent {
  kind: string;
  at: number;
  /** For `alert` events: `too-many-attempts`, `under-attack`, `attack-budget-spent`, or an overload limit. */
  alert?: string;
  reason?: string;
  number?: string;
  source?: string;
  scope?: string;
  subject?: string;
  count?: number;
  limit?: number;
  /** `moved`: the lost MCU and the one the caller went to. */
  from?: string;
  to?: string;
  /** `store` and `mcu` events: reachable again (true) or not. */
  up?: boolean;
  /** `store` event coming up: when the outage began (epoch ms). */
  downSince?: number;
}
