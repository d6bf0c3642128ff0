/**
 * Lint step (`npm run lint`): fails when top-level folders of `src/` import each other, even through
 * their sub-folders, which dependency-cruiser's own folder-scope rule does not see (`folder-cycles.ts`).
 * Usage: check-folder-cycles.ts [root], root defaulting to the repository (a test points it at a scratch tree).
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { folderCycles, type FolderGraph } from './folder-cycles';

const repoRoot = join(__dirname, '..', '..');

/** The part of dependency-cruiser's JSON output read here. */
interface CruiseResult {
  modules: { source: string; dependencies: { resolved: string }[] }[];
}

/** Cruises `src/` under root with the repository's rules, every module collapsed to its top-level folder. */
function topFolderGraph(root: string): FolderGraph {
  const json = execFileSync(
    join(repoRoot, 'node_modules', '.bin', 'depcruise'),
    [
      ...['--config', join(repoRoot, '.dependency-cruiser.cjs'), '--output-type', 'json'],
      ...['--include-only', '^src/', '--collapse', '^src/[^/]+', 'src'],
    ],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const result = JSON.parse(json) as CruiseResult;
  return new Map(result.modules.map((m) => [m.source, m.dependencies.map((d) => d.resolved)]));
}

if (require.main === module) {
  const cycles = folderCycles(topFolderGraph(resolve(process.argv[2] ?? repoRoot)));
  for (const cycle of cycles) console.error(`error no-top-folder-cycle: ${cycle.join(' ⇄ ')}`);
  console.error(
    cycles.length === 0 ? '✔ no cycles between top-level folders of src/' : `x folder cycles: ${cycles.length}`,
  );
  process.exitCode = cycles.length === 0 ? 0 : 1;
}
