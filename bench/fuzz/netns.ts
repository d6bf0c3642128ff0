import { readFileSync } from 'node:fs';

/** The network interfaces this process sees (`/proc/net/dev`). */
function interfaces(): string[] {
  return readFileSync('/proc/net/dev', 'utf8')
    .split('\n')
    .slice(2)
    .map((l) => l.split(':')[0]!.trim())
    .filter(Boolean);
}

/**
 * True only where loopback is the one network interface, as in a fresh `unshare -n` namespace: fuzz
 * input can then reach nothing but the product started beside it, whatever address a mutant names.
 */
export function inPrivateLoopbackNamespace(): boolean {
  const names = interfaces();
  return names.length === 1 && names[0] === 'lo';
}

/**
 * `unshare` arguments that run `command` (program and its arguments) in a fresh network namespace
 * with loopback up and nothing else: foreign input given to it can reach no other host.
 */
export function privateLoopbackNamespaceArgs(command: readonly string[]): string[] {
  return ['-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...command];
}
