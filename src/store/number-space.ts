import { randomInt } from 'node:crypto';
import { NoFreeNumberError } from '../booking/repository-errors';

/** The conference numbers a store may hand out. */
export interface NumberSpace {
  readonly size: number;
  /** `count` numbers drawn at random (cryptographic source), possibly repeated. */
  sample(count: number): string[];
  /** Every number of the space, in random order. */
  shuffled(): string[];
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Numbers of exactly `length` digits without a leading zero (4 digits: 1000–9999). */
export function digitsNumberSpace(length: number): NumberSpace {
  const first = 10 ** (length - 1);
  const size = 9 * first;
  return {
    size,
    sample: (count) => Array.from({ length: count }, () => String(first + randomInt(size))),
    shuffled: () => shuffle(Array.from({ length: size }, (_, i) => String(first + i))),
  };
}

/** An explicit list of numbers (a narrow space, for tests and small deployments). */
export function listedNumberSpace(numbers: readonly string[]): NumberSpace {
  return {
    size: numbers.length,
    sample: (count) => Array.from({ length: count }, () => numbers[randomInt(numbers.length)]!),
    shuffled: () => shuffle([...numbers]),
  };
}

/** Above this size, trying the whole space in one atomic step would cost too much. */
const EXHAUSTIVE_LIMIT = 100_000;

/**
 * Feeds batches of candidate numbers to `attempt` (an atomic "take the first free one" of the
 * store) until one is taken. A first small random batch almost always succeeds; a small space is
 * then tried in full, so `NoFreeNumberError` means every number really is taken, while a large
 * space gets a few more random batches.
 */
export async function allocateNumber<T>(
  space: NumberSpace,
  attempt: (candidates: string[]) => Promise<T | undefined>,
): Promise<T> {
  const batches: Array<() => string[]> = [() => space.sample(32)];
  if (space.size <= EXHAUSTIVE_LIMIT) batches.push(() => space.shuffled());
  else for (let i = 0; i < 4; i++) batches.push(() => space.sample(256));
  for (const batch of batches) {
    const result = await attempt(batch());
    if (result !== undefined) return result;
  }
  throw new NoFreeNumberError();
}
