import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** The 1, 5 and 15 minute load averages (`/proc/loadavg`): the machine is shared, so every run states them. */
export function loadAverages(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/** One line naming the machine and the Node version, for a benchmark's report. */
export function machineLine(): string {
  return `${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}`;
}
