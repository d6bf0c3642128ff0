/** H323Plus's scriptable endpoint (`../shared/h323-client`, a real independent H.323 stack) as a test caller. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_DIR, sharedPresent } from '../../support/shared-files';

const CLIENT_DIR = join(SHARED_DIR, 'h323-client');
const PREFIX = process.env.H323CLIENT_PREFIX ?? '/opt/h323client';
/** Whether ../shared and the built client (its build.sh, ~6 min, once) are there. */
export const h323PlusPresent = sharedPresent && existsSync(join(PREFIX, 'bin', 'h323client'));

/** `describe`/`it` where H323Plus can run, their `.skip` (counted as skipped) where it cannot. */
export function needsH323Plus(runner: jest.Describe): jest.Describe;
export function needsH323Plus(runner: jest.It): jest.It;
export function needsH323Plus(runner: jest.Describe | jest.It): jest.Describe | jest.It {
  return h323PlusPresent ? runner : runner.skip;
}

export interface H323PlusCall {
  port: number;
  digits: string;
  holdSeconds: number;
  /** User input mode (call.sh `UI_MODE`). */
  mode?: 'alphanumeric' | 'signal' | 'q931' | 'rfc2833';
  /** The destination alias (`CALLED_ALIAS`). */
  alias?: string;
  /** More h323client options: `-F`, `-T`, `--allow-remote-clear`, `-u NAME`, `-e NUMBER`. */
  options?: string[];
}

export interface H323PlusResult {
  exitCode: number | null;
  /** Every event line the client printed. */
  lines: string[];
}

/** Places one call with call.sh to 127.0.0.1:`port` and resolves when the client exits (bounded by call.sh's own timeout). */
export function callH323Plus(c: H323PlusCall): Promise<H323PlusResult> {
  const env = {
    ...process.env,
    PREFIX,
    UI_MODE: c.mode ?? 'alphanumeric',
    ...(c.alias ? { CALLED_ALIAS: c.alias } : {}),
  };
  const child = spawn(
    join(CLIENT_DIR, 'call.sh'),
    ['127.0.0.1', String(c.port), c.digits, String(c.holdSeconds), ...(c.options ?? [])],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) =>
    child.on('close', (code) => resolve({ exitCode: code, lines: out.split('\n').filter((l) => l.trim() !== '') })),
  );
}
