/** The faults a soak run injects: Redis frozen (SIGSTOP) and an MCU killed then started again. */
export type FaultKind = 'redis-freeze' | 'mcu-restart';

/** One fault, in seconds from the start of the calls. */
export interface Fault {
  kind: FaultKind;
  atS: number;
  /** How long the fault lasts (Redis frozen, the MCU gone). */
  seconds: number;
}

export interface FaultPlanOptions {
  durationS: number;
  /** A Redis freeze every this many seconds, the first one after this many. */
  freezeEveryS: number;
  freezeSeconds: number;
  /** When the MCU is killed; default: halfway between the middle two freezes. */
  mcuAtS?: number;
  mcuDownSeconds: number;
}

/** Faults end this long before the calls stop, so the run shows the recovery after the last one. */
const QUIET_END_S = 20;

/**
 * The run's faults in time order: Redis frozen every `freezeEveryS` (never after the end minus a quiet
 * spell), and one MCU restart between two freezes, where neither hides the other.
 */
export function planFaults(o: FaultPlanOptions): Fault[] {
  const faults: Fault[] = [];
  const lastEnd = o.durationS - QUIET_END_S;
  for (let at = o.freezeEveryS; at + o.freezeSeconds <= lastEnd; at += o.freezeEveryS) {
    faults.push({ kind: 'redis-freeze', atS: at, seconds: o.freezeSeconds });
  }
  const mcuAtS = o.mcuAtS ?? o.freezeEveryS * (Math.floor(faults.length / 2) + 0.5);
  if (mcuAtS + o.mcuDownSeconds <= lastEnd)
    faults.push({ kind: 'mcu-restart', atS: mcuAtS, seconds: o.mcuDownSeconds });
  return faults.sort((a, b) => a.atS - b.atS);
}
