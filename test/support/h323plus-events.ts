/**
 * The grep-able event lines `h323client` (H323Plus, `../shared/h323-client`) prints, one per event:
 * `23:29:40.123 UII_RX via=h245-signal value="5" duration_ms=120 token=...`. Parsed into the kind,
 * the `key=value` fields (quoted values unquoted) and the bare words between them. Pure: it reads no
 * file, and the tests that run h323client skip, counted, where ../shared is absent.
 */
export interface H323PlusEvent {
  /** `RX_Q931`, `RX_H245`, `CHANNEL_START`, `ESTABLISHED`, `UII_RX`, `CLEARED`, `RESULT`, `SUMMARY`, ... */
  kind: string;
  /** `HH:MM:SS.mmm` (UTC) as printed */
  time: string;
  fields: Record<string, string>;
  /** words without `=`, e.g. `Setup` in `RX_Q931 Setup crv=...` or `request terminalCapabilitySet` */
  words: string[];
  line: string;
}

const LINE = /^(\d\d:\d\d:\d\d\.\d{3}) ([A-Z][A-Z0-9_]*)(?: (.*))?$/;
const TOKEN = /([^\s=]+)=(?:"([^"]*)"|(\S*))|(\S+)/g;

/** Parses one output line; undefined for anything that is not an event line (PTLib chatter, traces). */
export function parseH323PlusEvent(line: string): H323PlusEvent | undefined {
  const m = LINE.exec(line.trimEnd());
  if (!m) return undefined;
  const fields: Record<string, string> = {};
  const words: string[] = [];
  for (const t of (m[3] ?? '').matchAll(TOKEN)) {
    if (t[1] !== undefined) fields[t[1]] = t[2] ?? t[3] ?? '';
    else words.push(t[4]!);
  }
  return { kind: m[2]!, time: m[1]!, fields, words, line };
}
