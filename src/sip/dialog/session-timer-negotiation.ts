import type { SipMessage } from '../message/sip-message';

/** Session timer settings (RFC 4028): the interval asked for and the smallest one accepted. */
export interface SessionTimerConfig {
  readonly enabled: boolean;
  /** Session-Expires confgate asks for or offers, seconds (RFC 4028 §4 recommends 1800). */
  readonly expires: number;
  /** Min-SE: shorter intervals get 422 (RFC 4028 §5, at least 90). */
  readonly minSE: number;
}

export const DEFAULT_SESSION_TIMER: SessionTimerConfig = { enabled: true, expires: 1800, minSE: 90 };

/** Who refreshes, seen from this side of the dialog. */
export type RefresherRole = 'local' | 'remote';

/** An agreed session interval and who refreshes it. */
export interface SessionInterval {
  readonly interval: number;
  readonly refresher: RefresherRole;
}

/** Reads `Session-Expires: delta-seconds[;refresher=uac|uas]` (RFC 4028 §4); undefined when absent or bad. */
export function readSessionExpires(msg: SipMessage): { interval: number; refresher?: 'uac' | 'uas' } | undefined {
  const v = msg.headers.get('session-expires');
  if (!v) return undefined;
  const m = /^\s*(\d{1,10})\s*(;.*)?$/.exec(v);
  if (!m) return undefined;
  const r = /;\s*refresher\s*=\s*(uac|uas)\b/i.exec(m[2] ?? '');
  const interval = Number(m[1]);
  return r ? { interval, refresher: r[1]!.toLowerCase() as 'uac' | 'uas' } : { interval };
}

function supportsTimer(msg: SipMessage): boolean {
  return (
    msg.optionTags('Supported').some((t) => t.toLowerCase() === 'timer') ||
    msg.optionTags('Require').some((t) => t.toLowerCase() === 'timer')
  );
}

/** The UAS decision for an INVITE or UPDATE (RFC 4028 §9). */
export type UasSessionDecision =
  | { reject: true; minSE: number }
  | { reject: false; headers: Array<readonly [string, string]>; session?: SessionInterval };

/**
 * RFC 4028 §9: an interval below Min-SE is refused with 422; otherwise the interval asked for is
 * kept, the refresher is the one asked for, else the UAC when it supports the extension, else the
 * UAS; a request without Session-Expires gets confgate's own interval with confgate refreshing.
 * "If the refresher is uac, Require: timer" goes into the 2xx.
 */
export function negotiateAsUas(req: SipMessage, cfg: SessionTimerConfig): UasSessionDecision {
  if (!cfg.enabled) return { reject: false, headers: [] };
  const asked = readSessionExpires(req);
  const uacSupports = supportsTimer(req);
  if (asked && asked.interval < cfg.minSE) return { reject: true, minSE: cfg.minSE };
  const interval = asked?.interval ?? cfg.expires;
  let refresher: 'uac' | 'uas' = asked?.refresher ?? (asked && uacSupports ? 'uac' : 'uas');
  if (refresher === 'uac' && !uacSupports) refresher = 'uas';
  const headers: Array<readonly [string, string]> = [['Session-Expires', `${interval};refresher=${refresher}`]];
  if (refresher === 'uac') headers.push(['Require', 'timer']);
  return { reject: false, headers, session: { interval, refresher: refresher === 'uas' ? 'local' : 'remote' } };
}

/** Headers a UAC puts in an INVITE or a refresh to ask for session timers (RFC 4028 §7.1). */
export function uacRequestHeaders(cfg: SessionTimerConfig, interval = cfg.expires): Array<readonly [string, string]> {
  if (!cfg.enabled) return [];
  return [
    ['Supported', 'timer'],
    ['Session-Expires', `${interval};refresher=uac`],
    ['Min-SE', String(cfg.minSE)],
  ];
}

/** RFC 4028 §7.2: the 2xx's Session-Expires says the interval and who refreshes; none means no timer. */
export function sessionFromUasAnswer(res: SipMessage, cfg: SessionTimerConfig): SessionInterval | undefined {
  if (!cfg.enabled) return undefined;
  const se = readSessionExpires(res);
  if (!se) return undefined;
  return { interval: se.interval, refresher: se.refresher === 'uas' ? 'remote' : 'local' };
}

/** The Min-SE of a 422 (RFC 4028 §6), so the UAC can retry with at least that much. */
export function minSEOf(res: SipMessage): number | undefined {
  const v = res.headers.get('min-se');
  const m = v ? /^\s*(\d{1,10})/.exec(v) : null;
  return m ? Number(m[1]) : undefined;
}
