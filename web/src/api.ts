import { clearToken, currentLanguage, goToLogin, storedToken } from './session.js';

/** One rule violation as the API reports it (`POST/PATCH /api/conferences` → 400). */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/**
 * What the pages read of a booking in `GET /api/conferences/:id` (the API sends more; see
 * `/api/docs`). The join lines shown to people come from the server-rendered confirmation.
 */
export interface BookingView {
  id: string;
  status: 'active' | 'cancelled';
  title: string;
  start: string;
  timeZone: string;
  startsAt: string;
  duration: string;
  type: 'video' | 'audio';
  estimatedConnections: number;
  accessCode: number;
  comment: string;
  recipients: string[];
  calendarInvite: boolean;
  number: string;
  joinInfo: { sipUri: string; number: string; accessCode: number };
  mail: { state: 'none' | 'pending' | 'sent' | 'retrying' | 'failed' };
}

/** A non-2xx answer other than 401: its status, the API's error code and message, and field errors on 400. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
  }
}

/**
 * Calls the API with the session's token and language. A 401 means the token is gone or refused:
 * the session ends and the login page takes over, so no page works without a valid token.
 */
async function send(method: string, path: string, accept: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${storedToken() ?? ''}`,
    'accept-language': currentLanguage(),
    accept,
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 401) {
    clearToken();
    goToLogin('expired');
    throw new ApiFailure(401, 'unauthorized', 'not logged in');
  }
  if (!response.ok) {
    const text = await response.text();
    let parsed: { error?: string; message?: string; errors?: FieldError[] } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      parsed = { message: text };
    }
    throw new ApiFailure(
      response.status,
      parsed.error ?? 'http_error',
      parsed.message ?? response.statusText,
      parsed.errors ?? [],
    );
  }
  return response;
}

export async function apiJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  return (await send(method, path, 'application/json', body)).json() as Promise<T>;
}

export async function apiHtml(path: string): Promise<string> {
  return (await send('GET', path, 'text/html')).text();
}

/** Tries a token before it is kept: the HTTP status of an authenticated read (200 when accepted). */
export async function tokenStatus(token: string): Promise<number> {
  const response = await fetch('/api/conferences?when=upcoming', { headers: { authorization: `Bearer ${token}` } });
  return response.status;
}
