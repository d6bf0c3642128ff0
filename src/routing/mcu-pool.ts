import type { McuConfig } from '../config/config-schema';
import type { KnownPlacement } from '../admission/admission-port';
import type { McuHealth } from './mcu-health';
import { expandMcuUri } from './mcu-uri';
import type { PlacementRequest, PlacementStore, PoolMcu } from './placement-store';

/** The pool's MCUs with their ids: `mcu1`, `mcu2`, ... in configuration order. */
export function poolMcus(configured: readonly McuConfig[]): PoolMcu[] {
  return configured.map((m, i) => ({ ...m, id: `mcu${i + 1}` }));
}

/** Where a leg goes: the MCU and the URI built from its template, or why it cannot go anywhere. */
export type Route =
  { kind: 'mcu'; mcu: PoolMcu; uri: string } | { kind: 'unavailable'; why: 'no-mcu' | 'mcu-down' | 'no-booking' };

/**
 * The MCU pool: health (which MCUs are up) and placement (which MCU hosts a conference) together
 * answer where a newly admitted participant's leg goes.
 */
export class McuPool {
  constructor(
    readonly mcus: readonly PoolMcu[],
    readonly health: McuHealth,
    private readonly placements: PlacementStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when at least one MCU is up: otherwise new calls are refused at once (503). */
  anyUp(): boolean {
    return this.mcus.some((m) => this.health.isUp(m.id));
  }

  /** Ids of the MCUs up now, for admission to report a placement among them (AdmissionRequest.upMcus). */
  upIds(): string[] {
    return this.health.up().map((m) => m.id);
  }

  /**
   * Where a leg goes when admission already read the conference's placement (KnownPlacement):
   * no second round trip. Falls back to `route` when that MCU is no longer configured or up.
   */
  async routeAdmitted(
    bookingId: string,
    participantId: string,
    number: string,
    placedOn: KnownPlacement | undefined,
  ): Promise<Route> {
    const mcu = placedOn && this.mcus.find((m) => m.id === placedOn.mcuId);
    if (!placedOn || !mcu || !this.health.isUp(mcu.id)) return this.route(bookingId, participantId);
    return { kind: 'mcu', mcu, uri: expandMcuUri(mcu.uri, { number, title: placedOn.title, id: bookingId }) };
  }

  /**
   * Where a leg goes, by the placement store; `failed` are MCUs that just refused or did not answer
   * this leg's INVITE: they are left out, so a conference with no other live leg is placed again.
   */
  route(bookingId: string, participantId: string, failed: readonly string[] = []): Promise<Route> {
    return this.place({ bookingId, participantId, up: this.upExcept(failed), now: this.now() });
  }

  /**
   * Where a live leg goes when its MCU `lost` is down or failed under it (and `failed` MCUs refused
   * the move): the conference is placed again (once, atomically, whichever instance asks first; the
   * others follow), other legs or not.
   */
  moveOff(bookingId: string, participantId: string, lost: string, failed: readonly string[] = []): Promise<Route> {
    const up = this.upExcept([lost, ...failed]);
    return this.place({ bookingId, participantId, up, now: this.now(), lost });
  }

  private upExcept(mcuIds: readonly string[]): PoolMcu[] {
    return this.health.up().filter((m) => !mcuIds.includes(m.id));
  }

  private async place(request: PlacementRequest): Promise<Route> {
    const placement = await this.placements.place(request);
    if (placement.kind !== 'placed') return { kind: 'unavailable', why: placement.kind };
    const mcu = this.mcus.find((m) => m.id === placement.mcuId);
    // An MCU id no longer configured (the pool changed under a placed conference) is not up either.
    if (!mcu) return { kind: 'unavailable', why: 'mcu-down' };
    return {
      kind: 'mcu',
      mcu,
      uri: expandMcuUri(mcu.uri, { number: placement.number, title: placement.title, id: placement.bookingId }),
    };
  }
}
