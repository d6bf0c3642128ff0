import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { folderCycles } from '../../scripts/deps/folder-cycles';

const repoRoot = join(__dirname, '..', '..');

describe('folderCycles', () => {
  test('finds folders that import each other, directly or around a ring', () => {
    const graph = new Map([
      ['src/a', ['src/b', 'src/log']],
      ['src/b', ['src/a']],
      ['src/c', ['src/d']],
      ['src/d', ['src/e']],
      ['src/e', ['src/c', 'src/log']],
      ['src/log', []],
    ]);
    expect(folderCycles(graph)).toEqual([
      ['src/a', 'src/b'],
      ['src/c', 'src/d', 'src/e'],
    ]);
  });

  test('finds none in a layered graph', () => {
    const graph = new Map([
      ['src/routing', ['src/sip', 'src/log']],
      ['src/sip', []],
      ['src/log', []],
    ]);
    expect(folderCycles(graph)).toEqual([]);
  });
});

describe('the lint step on a scratch tree', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'confgate-folder-cycles-'));
    writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'node16', strict: true } }));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const check = () =>
    spawnSync(process.execPath, ['-r', './scripts/asn1/swc-register.js', 'scripts/deps/check-folder-cycles.ts', root], {
      cwd: repoRoot,
      encoding: 'utf8',
    });

  // dependency-cruiser's folder-scope rule links a/p to b/q and b/r to a/s: no cycle there, one here.
  test('fails when two top-level folders import each other only through their sub-folders', () => {
    write('src/a/p/x.ts', "import { y } from '../../b/q/y';\nexport const x = y;\n");
    write('src/a/s/w.ts', 'export const w = 1;\n');
    write('src/b/q/y.ts', 'export const y = 2;\n');
    write('src/b/r/z.ts', "import { w } from '../../a/s/w';\nexport const z = w;\n");
    const run = check();
    expect(run.stderr).toContain('error no-top-folder-cycle: src/a ⇄ src/b');
    expect(run.status).toBe(1);
  });

  test('passes when the imports go one way', () => {
    write('src/a/p/x.ts', "import { y } from '../../b/q/y';\nexport const x = y;\n");
    write('src/b/q/y.ts', 'export const y = 2;\n');
    const run = check();
    expect(run.stderr).toContain('no cycles between top-level folders');
    expect(run.status).toBe(0);
  });
});
