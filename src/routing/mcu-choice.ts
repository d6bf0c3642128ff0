/** One MCU as placement sees it: how many ports its conferences already reserve. */
export interface McuLoad {
  id: string;
  capacity: number;
  weight: number;
  /** Sum of `estimatedConnections` of the conferences placed on it and not yet over. */
  reserved: number;
}

/**
 * Picks the MCU for a new conference needing `ports` (its booking's `estimatedConnections`):
 * MCUs where it fits (`reserved + ports <= capacity`) first, then the least reserved ports, then
 * the higher weight, then the order of configuration. When none has room the least loaded is
 * still chosen (an MCU's capacity is a planning figure, the call cap is admission's job).
 * `candidates` are the MCUs that are up; undefined when there are none.
 * The Redis placement script mirrors this rule (`redis-placement-store.ts`).
 */
export function chooseMcu(candidates: readonly McuLoad[], ports: number): McuLoad | undefined {
  let best: McuLoad | undefined;
  let bestFits = false;
  for (const c of candidates) {
    const fits = c.reserved + ports <= c.capacity;
    if (
      best === undefined ||
      (fits && !bestFits) ||
      (fits === bestFits && (c.reserved < best.reserved || (c.reserved === best.reserved && c.weight > best.weight)))
    ) {
      best = c;
      bestFits = fits;
    }
  }
  return best;
}
