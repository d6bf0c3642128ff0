/**
 * RFC 3398 §8.2.6.1: the Q.850 cause a gateway puts in its release for a SIP final status. The
 * H.323 leg says its refusals in SIP statuses like every leg (CallEnd), and sends this cause in
 * the Release Complete. 487 (the caller's own cancel) is normal clearing; 488 and 606, which
 * RFC 3398 maps by their Warning, are "incompatible destination" (88).
 */
const CAUSE_BY_STATUS: ReadonlyMap<number, number> = new Map([
  [400, 41],
  [401, 21],
  [402, 21],
  [403, 21],
  [404, 1],
  [405, 63],
  [406, 79],
  [407, 21],
  [408, 102],
  [410, 22],
  [413, 127],
  [414, 127],
  [415, 79],
  [416, 127],
  [420, 127],
  [421, 127],
  [423, 127],
  [480, 18],
  [481, 41],
  [482, 25],
  [483, 25],
  [484, 28],
  [485, 1],
  [486, 17],
  [487, 16],
  [488, 88],
  [500, 41],
  [501, 79],
  [502, 38],
  [503, 41],
  [504, 102],
  [505, 127],
  [513, 127],
  [600, 17],
  [603, 21],
  [604, 1],
  [606, 88],
]);

/** The Q.850 cause for a SIP status; 31 "normal, unspecified" for one the table does not list, 16 for none. */
export function q850CauseFor(status: number | undefined): number {
  if (status === undefined) return 16;
  return CAUSE_BY_STATUS.get(status) ?? 31;
}
