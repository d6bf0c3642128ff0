import type { BookingRepository } from '../booking/booking-repository';
import { chooseMcu } from './mcu-choice';
import type { Placement, PlacementRequest, PlacementStore } from './placement-store';

interface Placed {
  mcuId: string;
  ports: number;
  /** Booking window end (ms): past it the reservation no longer counts. */
  until: number;
}

/**
 * Placement in this process's memory (no `REDIS_URL`: one instance). The booking is read first,
 * then the decision and the reservation are taken with no `await` in between, so concurrent calls
 * of the process cannot both place one conference.
 */
export class MemoryPlacementStore implements PlacementStore {
  private readonly placed = new Map<string, Placed>();

  constructor(
    private readonly bookings: BookingRepository,
    /** Live legs of a booking on this instance other than `participantId`. */
    private readonly otherLegs: (bookingId: string, participantId: string) => number,
    /** `booking.graceMinutes` in ms: a reservation lasts until the booking's window ends. */
    private readonly graceMs: number,
  ) {}

  async place(request: PlacementRequest): Promise<Placement> {
    const booking = await this.bookings.get(request.bookingId);
    if (!booking) return { kind: 'no-booking' };
    const facts = { title: booking.title, number: booking.number, bookingId: booking.id };
    const current = this.placed.get(booking.id);
    if (current) {
      if (request.up.some((m) => m.id === current.mcuId)) return { kind: 'placed', mcuId: current.mcuId, ...facts };
      if (request.lost === undefined && this.otherLegs(booking.id, request.participantId) > 0)
        return { kind: 'mcu-down', mcuId: current.mcuId };
      this.placed.delete(booking.id);
    }
    const loads = request.up.map((m) => ({
      id: m.id,
      capacity: m.capacity,
      weight: m.weight,
      reserved: this.reserved(m.id, request.now),
    }));
    const chosen = chooseMcu(loads, booking.estimatedConnections);
    if (!chosen) return { kind: 'no-mcu' };
    this.placed.set(booking.id, {
      mcuId: chosen.id,
      ports: booking.estimatedConnections,
      until: Date.parse(booking.endsAt) + this.graceMs,
    });
    return { kind: 'placed', mcuId: chosen.id, ...facts };
  }

  private reserved(mcuId: string, now: number): number {
    let sum = 0;
    for (const [id, p] of this.placed) {
      if (p.until < now) this.placed.delete(id);
      else if (p.mcuId === mcuId) sum += p.ports;
    }
    return sum;
  }
}
