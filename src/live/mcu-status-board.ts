import type { McuConfig } from '../config/config-schema';
import type { CallEventBus } from './event-bus';

/** One MCU as the dashboard shows it. */
export interface McuStatus {
  /** `mcu1`, `mcu2` ... by configuration order (ROUTING's pool ids). */
  id: string;
  uri: string;
  capacity: number;
  /** Last health reported by any instance's OPTIONS pings (RFC 3261 §11); null before the first report. */
  up: boolean | null;
  /** Epoch ms of that report. */
  since: number | null;
}

/**
 * MCU health as the instances report it on the bus (`mcu` events on each up/down transition).
 * Health lives in each instance's pinger, not in the store, so a viewer started after the last
 * transition shows `null` (unknown) until the next one.
 */
export class McuStatusBoard {
  private readonly status = new Map<string, { up: boolean; since: number }>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly mcus: readonly McuConfig[]) {}

  async start(bus: CallEventBus): Promise<void> {
    if (this.unsubscribe) return;
    this.unsubscribe = await bus.subscribe(({ event }) => {
      if (event.kind === 'mcu') this.status.set(event.mcu, { up: event.up, since: event.at });
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  list(): McuStatus[] {
    return this.mcus.map((m, i) => {
      const id = `mcu${i + 1}`;
      const s = this.status.get(id);
      return { id, uri: m.uri, capacity: m.capacity, up: s?.up ?? null, since: s?.since ?? null };
    });
  }
}
