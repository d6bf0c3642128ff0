import { splitList } from './syntax';

/**
 * Compact header forms (RFC 3261 §7.3.3, §20; RFC 3265 `o`, `u`; RFC 3515 `r`; RFC 3892 `b`;
 * RFC 4028 `x`; RFC 3841 `a`, `j`, `d`; RFC 4474 `y`, `n`), mapped to the lower-case full name.
 */
const COMPACT: Readonly<Record<string, string>> = {
  i: 'call-id',
  m: 'contact',
  f: 'from',
  t: 'to',
  v: 'via',
  l: 'content-length',
  c: 'content-type',
  k: 'supported',
  s: 'subject',
  e: 'content-encoding',
  o: 'event',
  r: 'refer-to',
  u: 'allow-events',
  x: 'session-expires',
  y: 'identity',
  n: 'identity-info',
  b: 'referred-by',
  a: 'accept-contact',
  j: 'reject-contact',
  d: 'request-disposition',
};

/**
 * Headers whose values are comma-separated lists, equivalent to repeating the header
 * (RFC 3261 §7.3.1). Others (Date, the authentication headers, ...) contain commas as text.
 */
const LIST_HEADERS: ReadonlySet<string> = new Set([
  'via',
  'route',
  'record-route',
  'contact',
  'allow',
  'supported',
  'require',
  'proxy-require',
  'unsupported',
  'accept',
  'accept-encoding',
  'accept-language',
  'content-encoding',
  'content-language',
  'allow-events',
  'alert-info',
  'call-info',
  'error-info',
  'in-reply-to',
  'warning',
  'path',
  'service-route',
  'accept-contact',
  'reject-contact',
  'request-disposition',
  'p-asserted-identity',
  'reason',
  'security-client',
  'security-server',
  'security-verify',
  'history-info',
]);

/**
 * The lower-case full name a header is looked up by: compact forms resolved, case folded
 * (header names are case-insensitive, RFC 3261 §7.3.1).
 */
export function headerKey(name: string): string {
  const lower = name.toLowerCase();
  return lower.length === 1 ? (COMPACT[lower] ?? lower) : lower;
}

/** Whether a header (by any spelling) is a comma-separated list header. */
export function isListHeader(name: string): boolean {
  return LIST_HEADERS.has(headerKey(name));
}

/** One header line as received or added: `name` keeps its spelling, `value` is unfolded and trimmed. */
export interface HeaderField {
  readonly name: string;
  readonly value: string;
}

interface Field {
  name: string;
  key: string;
  value: string;
}

/**
 * The ordered header fields of a message. Lookups are case-insensitive and resolve compact forms;
 * fields keep their order and their spelling, so unknown headers are forwarded exactly as received
 * (RFC 3261 §7.3, §16.6 step 1). `version` changes on every edit so parsed views can be cached.
 */
export class Headers implements Iterable<HeaderField> {
  private readonly fields: Field[] = [];
  /** Bumped by every change; {@link SipMessage} keeps parsed header values while it is unchanged. */
  version = 0;

  constructor(init?: Iterable<readonly [string, string]>) {
    if (init) for (const [name, value] of init) this.append(name, value);
  }

  /** The value of the first field named `name` (a whole line, list or not), or `undefined`. */
  get(name: string): string | undefined {
    const key = headerKey(name);
    for (let i = 0; i < this.fields.length; i++) if (this.fields[i].key === key) return this.fields[i].value;
    return undefined;
  }

  /**
   * Every value of `name` in order. For list headers (Via, Route, Contact, Supported, ...) the
   * comma-separated elements of all lines, so `Via: a, b` and two Via lines read the same (§7.3.1).
   */
  getAll(name: string): string[] {
    const key = headerKey(name);
    const list = LIST_HEADERS.has(key);
    const out: string[] = [];
    for (let i = 0; i < this.fields.length; i++) {
      const f = this.fields[i];
      if (f.key !== key) continue;
      if (list) for (const v of splitList(f.value)) out.push(v);
      else out.push(f.value);
    }
    return out;
  }

  /** How many lines carry `name` (a list header's elements count once per line). */
  count(name: string): number {
    const key = headerKey(name);
    let n = 0;
    for (let i = 0; i < this.fields.length; i++) if (this.fields[i].key === key) n++;
    return n;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Replaces every `name` line with one line holding `value`, where the first one stood (else at the end). */
  set(name: string, value: string): this {
    const key = headerKey(name);
    const first = this.fields.findIndex((f) => f.key === key);
    if (first < 0) return this.append(name, value);
    this.fields[first] = { name, key, value };
    for (let i = this.fields.length - 1; i > first; i--) if (this.fields[i].key === key) this.fields.splice(i, 1);
    this.version++;
    return this;
  }

  /** Adds a line after all others. */
  append(name: string, value: string): this {
    this.fields.push({ name, key: headerKey(name), value });
    this.version++;
    return this;
  }

  /** Adds a line before the first line of the same header, else at the end; for Via and Record-Route (§16.6, §18.1.1). */
  prepend(name: string, value: string): this {
    const key = headerKey(name);
    const first = this.fields.findIndex((f) => f.key === key);
    if (first < 0) return this.append(name, value);
    this.fields.splice(first, 0, { name, key, value });
    this.version++;
    return this;
  }

  /**
   * Replaces the first element of a header: for a list line `a, b` only `a`. Used to write back a
   * changed top Via (received/rport, §18.2.1) without touching the others.
   */
  setFirst(name: string, value: string): this {
    const key = headerKey(name);
    const f = this.fields.find((x) => x.key === key);
    if (!f) return this.append(name, value);
    const parts = LIST_HEADERS.has(key) ? splitList(f.value) : [f.value];
    parts[0] = value;
    f.value = parts.join(', ');
    this.version++;
    return this;
  }

  /** Removes the first element of a header (a list element or a whole line); for stripping the top Via (§18.1.2). */
  removeFirst(name: string): boolean {
    const key = headerKey(name);
    const idx = this.fields.findIndex((x) => x.key === key);
    if (idx < 0) return false;
    const f = this.fields[idx];
    const parts = LIST_HEADERS.has(key) ? splitList(f.value) : [f.value];
    if (parts.length > 1) f.value = parts.slice(1).join(', ');
    else this.fields.splice(idx, 1);
    this.version++;
    return true;
  }

  /** Removes every `name` line; returns how many were removed. */
  remove(name: string): number {
    const key = headerKey(name);
    let n = 0;
    for (let i = this.fields.length - 1; i >= 0; i--) {
      if (this.fields[i].key === key) {
        this.fields.splice(i, 1);
        n++;
      }
    }
    if (n > 0) this.version++;
    return n;
  }

  /** Number of header lines. */
  get size(): number {
    return this.fields.length;
  }

  *[Symbol.iterator](): Iterator<HeaderField> {
    for (const f of this.fields) yield { name: f.name, value: f.value };
  }

  clone(): Headers {
    const h = new Headers();
    for (const f of this.fields) h.fields.push({ name: f.name, key: f.key, value: f.value });
    return h;
  }

  /** Internal fast path for the parser and serializer: the raw field list. */
  _fields(): ReadonlyArray<Readonly<Field>> {
    return this.fields;
  }

  /** Internal fast path for the parser: appends a field whose key is already known. */
  _push(name: string, key: string, value: string): void {
    this.fields.push({ name, key, value });
  }
}
