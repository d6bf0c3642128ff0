/**
 * Compiles `src/cli` and `src/h323` to JavaScript under .cache/h323-cli (SWC, as jest does), so the
 * CLI tests spawn plain `node` the way the installed `confgate` bin runs, without a per-process
 * TypeScript loader.
 */
import { mkdirSync, readdirSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { transformSync } from '@swc/core';

const root = join(__dirname, '..', '..', '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Returns the path of the compiled `confgate.js`. */
export function buildCli(): string {
  const out = join(root, '.cache', 'h323-cli');
  for (const file of [...tsFiles(join(root, 'src', 'cli')), ...tsFiles(join(root, 'src', 'h323'))]) {
    const { code } = transformSync(readFileSync(file, 'utf8'), {
      filename: file,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    });
    const target = join(out, relative(join(root, 'src'), file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, code);
  }
  return join(out, 'cli', 'confgate.js');
}
