/**
 * Cycles between folders, found as the strongly connected components of a folder graph (Tarjan, 1972).
 * dependency-cruiser's folder-scope rule links a folder to the folder of each module it imports, so
 * `a/p → b/q` and `b/r → a/s` form no cycle there although `a` and `b` import each other; this graph is
 * built from modules already collapsed to the folders being compared.
 */

/** A folder and the folders its modules import. */
export type FolderGraph = ReadonlyMap<string, readonly string[]>;

/** Every set of two or more folders that import each other, each sorted, sorted by first folder. */
export function folderCycles(graph: FolderGraph): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];

  const visit = (folder: string): void => {
    index.set(folder, index.size);
    lowLink.set(folder, index.get(folder)!);
    stack.push(folder);
    onStack.add(folder);
    for (const next of graph.get(folder) ?? []) {
      if (!index.has(next)) {
        visit(next);
        lowLink.set(folder, Math.min(lowLink.get(folder)!, lowLink.get(next)!));
      } else if (onStack.has(next)) {
        lowLink.set(folder, Math.min(lowLink.get(folder)!, index.get(next)!));
      }
    }
    if (lowLink.get(folder) !== index.get(folder)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== folder);
    if (component.length > 1) cycles.push(component.sort());
  };

  for (const folder of [...graph.keys()].sort()) if (!index.has(folder)) visit(folder);
  return cycles.sort((a, b) => a[0]!.localeCompare(b[0]!));
}
