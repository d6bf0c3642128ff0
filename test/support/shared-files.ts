import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `../shared` beside the repository: the ITU ASN.1 module texts and the real H.323 capture, present
 * where confgate is developed but not on a fresh clone.
 */
export const SHARED_DIR = join(__dirname, '..', '..', '..', 'shared');

/** Whether `../shared` is there; tests that read it run only then. */
export const sharedPresent = existsSync(SHARED_DIR);

/**
 * The runner for tests that read `../shared`: `describe` or `it` where it exists, their `.skip` where it
 * does not, so a fresh clone counts those tests as skipped instead of failing them. Files are read in
 * `beforeAll` or in the tests, never while jest collects them (a skipped block's body still runs).
 */
export function needsShared(runner: jest.Describe): jest.Describe;
export function needsShared(runner: jest.It): jest.It;
export function needsShared(runner: jest.Describe | jest.It): jest.Describe | jest.It {
  return sharedPresent ? runner : runner.skip;
}
