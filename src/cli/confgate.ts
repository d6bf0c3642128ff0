#!/usr/bin/env node
/** The `confgate` command (package.json `bin`): tools for operating and debugging confgate. */
import { readFileSync } from 'node:fs';
import { H323_USAGE, runH323Command } from './h323-command';

const USAGE = `usage: confgate <command>\n\ncommands:\n  h323    decode or encode H.323 frames (TPKT/Q.931/H.225.0/H.245, RAS)\n\n${H323_USAGE}`;

function main(argv: readonly string[]): number {
  const [command, ...rest] = argv;
  if (command !== 'h323') {
    process.stderr.write(`${USAGE}\n`);
    return command === undefined || command === '--help' ? 0 : 2;
  }
  const result = runH323Command(rest, rest[0] === 'decode' || rest[0] === 'encode' ? readFileSync(0, 'utf8') : '');
  if (result.ok) {
    process.stdout.write(`${result.output}\n`);
    return 0;
  }
  process.stderr.write(`confgate h323: ${result.error}\n`);
  return result.status;
}

process.exitCode = main(process.argv.slice(2));
