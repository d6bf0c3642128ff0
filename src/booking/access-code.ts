import { randomInt } from 'node:crypto';
import { bookingLimits } from './booking-input';

/** A fresh access code, 1000–9999, from the operating system's cryptographic random source. */
export function generateAccessCode(): number {
  return randomInt(bookingLimits.accessCodeMin, bookingLimits.accessCodeMax + 1);
}
