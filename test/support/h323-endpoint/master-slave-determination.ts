/**
 * Master/slave determination (H.245 §8.2 and Annex C.2): the larger terminalType is master; with equal
 * types, the difference of the status determination numbers modulo 2^24 decides, and 0 or 2^23 is
 * indeterminate (both sides then draw new numbers).
 */
import { randomInt } from 'node:crypto';

/** H.323 §6.2.8.4 table 1: a terminal without an MC. */
export const TERMINAL_TYPE = 50;
const MODULUS = 0x1000000;

export type MasterSlaveDecision = 'master' | 'slave' | 'indeterminate';

/** A fresh random status determination number, 0 .. 2^24 - 1. */
export function statusDeterminationNumber(): number {
  return randomInt(MODULUS);
}

/** The local terminal's role given both sides' values (H.245 §C.2.1.3). */
export function decideMasterSlave(
  local: { terminalType: number; number: number },
  remote: { terminalType: number; number: number },
): MasterSlaveDecision {
  if (local.terminalType !== remote.terminalType) return local.terminalType > remote.terminalType ? 'master' : 'slave';
  const difference = (((remote.number - local.number) % MODULUS) + MODULUS) % MODULUS;
  if (difference === 0 || difference === MODULUS / 2) return 'indeterminate';
  return difference < MODULUS / 2 ? 'master' : 'slave';
}
