import { SipSyntaxError, TOKEN, PARAMCHAR, allIn, endOfQuoted, isWs, skipWs } from './syntax';

/**
 * An ordered list of `;name[=value]` parameters: URI parameters (RFC 3261 §19.1.1) or header
 * parameters (generic-param, §25.1). Names compare case-insensitively and keep their spelling;
 * values are kept as written (a quoted-string keeps its quotes), so serialization reproduces them.
 */
export class Params {
  private readonly names: string[] = [];
  private readonly values: (string | null)[] = [];

  /** The value of `name`: `null` for a flag parameter (`;lr`), `undefined` when absent. */
  get(name: string): string | null | undefined {
    const i = this.indexOf(name);
    return i < 0 ? undefined : this.values[i];
  }

  has(name: string): boolean {
    return this.indexOf(name) >= 0;
  }

  /** Sets `name` (replacing it in place if present, else appending); `null` makes a flag. */
  set(name: string, value: string | null): this {
    const i = this.indexOf(name);
    if (i >= 0) this.values[i] = value;
    else {
      this.names.push(name);
      this.values.push(value);
    }
    return this;
  }

  delete(name: string): boolean {
    const i = this.indexOf(name);
    if (i < 0) return false;
    this.names.splice(i, 1);
    this.values.splice(i, 1);
    return true;
  }

  get size(): number {
    return this.names.length;
  }

  /** The parameters in order, names as written. */
  entries(): Array<[string, string | null]> {
    return this.names.map((n, i) => [n, this.values[i]]);
  }

  /** `;name=value;flag...`, empty when there are none. */
  toString(): string {
    let s = '';
    for (let i = 0; i < this.names.length; i++) {
      s += ';' + this.names[i];
      const v = this.values[i];
      if (v !== null) s += '=' + v;
    }
    return s;
  }

  /**
   * Internal fast path for the parsers: appends without looking for an earlier parameter of the same
   * name (that search would make a message with thousands of parameters quadratic). {@link get}
   * returns the first of duplicates.
   */
  _push(name: string, value: string | null): void {
    this.names.push(name);
    this.values.push(value);
  }

  clone(): Params {
    const p = new Params();
    p.names.push(...this.names);
    p.values.push(...this.values);
    return p;
  }

  private indexOf(name: string): number {
    for (let i = 0; i < this.names.length; i++) {
      const n = this.names[i];
      if (n === name || (n.length === name.length && n.toLowerCase() === name.toLowerCase())) return i;
    }
    return -1;
  }
}

/**
 * Reads header parameters (`*( SEMI generic-param )`, RFC 3261 §25.1) from `s` at `i`, where
 * `s[i]` is `;` or the end. LWS is allowed around `;` and `=`. Throws {@link SipSyntaxError};
 * an empty parameter (`;;`) is an extraneous separator (RFC 4475 §3.1.2.1).
 * @returns the index where parameters stop (the end, or a character that is not `;`).
 */
export function readHeaderParams(s: string, i: number, into: Params, what: string): number {
  i = skipWs(s, i);
  while (i < s.length && s.charCodeAt(i) === 0x3b) {
    i = skipWs(s, i + 1);
    const nameStart = i;
    while (i < s.length && s.charCodeAt(i) < 128 && TOKEN[s.charCodeAt(i)] === 1) i++;
    if (i === nameStart) throw new SipSyntaxError(`Empty or bad parameter in ${what}`);
    const name = s.slice(nameStart, i);
    i = skipWs(s, i);
    let value: string | null = null;
    if (i < s.length && s.charCodeAt(i) === 0x3d) {
      i = skipWs(s, i + 1);
      if (s.charCodeAt(i) === 0x22) {
        const end = endOfQuoted(s, i);
        if (end < 0) throw new SipSyntaxError(`Unterminated quoted string in ${what}`);
        value = s.slice(i, end);
        i = end;
      } else {
        // gen-value = token / host; host adds `[`, `]` and `:` for IPv6 references (RFC 5118 §4.5).
        const vStart = i;
        for (; i < s.length; i++) {
          const c = s.charCodeAt(i);
          if (!(c < 128 && (TOKEN[c] === 1 || c === 0x5b || c === 0x5d || c === 0x3a))) break;
        }
        if (i === vStart) throw new SipSyntaxError(`Empty value of parameter ${name} in ${what}`);
        value = s.slice(vStart, i);
      }
      i = skipWs(s, i);
    }
    into._push(name, value);
  }
  return i;
}

/**
 * Reads URI parameters (`*( ";" uri-parameter )`, RFC 3261 §19.1.1, §25.1) from `s` between `i`
 * and `end`; no white space is allowed inside a URI. Throws {@link SipSyntaxError}.
 */
export function readUriParams(s: string, i: number, end: number, into: Params): void {
  while (i < end) {
    if (s.charCodeAt(i) !== 0x3b) throw new SipSyntaxError('Bad URI parameters');
    let j = i + 1;
    while (j < end && s.charCodeAt(j) !== 0x3b) j++;
    let eq = i + 1;
    while (eq < j && s.charCodeAt(eq) !== 0x3d) eq++;
    const hasValue = eq < j;
    const nameEnd = hasValue ? eq : j;
    if (nameEnd === i + 1 || !allIn(s, PARAMCHAR, i + 1, nameEnd, true))
      throw new SipSyntaxError('Bad URI parameter name');
    if (hasValue && (eq + 1 === j || !allIn(s, PARAMCHAR, eq + 1, j, true)))
      throw new SipSyntaxError('Bad URI parameter value');
    into._push(s.slice(i + 1, nameEnd), hasValue ? s.slice(eq + 1, j) : null);
    i = j;
  }
}

/** Whether `s` contains LWS (a URI never does; RFC 4475 §3.1.2.8 `lwsruri`). */
export function hasWs(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isWs(s.charCodeAt(i))) return true;
  return false;
}
