import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `docs/benchmarks.md`, where each benchmark writes its own section. */
export const BENCHMARKS_DOC = join(__dirname, '..', '..', 'docs', 'benchmarks.md');

/** The body of `## title` in `doc` (after its heading line, up to the next `## `), or undefined when absent. */
export function readSection(doc: string, title: string): string | undefined {
  const start = doc.indexOf(`\n## ${title}\n`);
  if (start < 0) return undefined;
  const bodyStart = start + `\n## ${title}\n`.length;
  const next = doc.indexOf('\n## ', bodyStart);
  return doc.slice(bodyStart, next < 0 ? doc.length : next);
}

/** `doc` with the section `## title` replaced by `body` (appended at the end when absent). */
export function replaceSection(doc: string, title: string, body: string): string {
  const section = `## ${title}\n\n${body.trim()}\n`;
  const start = doc.indexOf(`\n## ${title}\n`);
  if (start < 0) return `${doc.trimEnd()}\n\n${section}`;
  const next = doc.indexOf('\n## ', start + 1);
  return `${doc.slice(0, start + 1)}${section}${next < 0 ? '' : doc.slice(next)}`;
}

/** Rewrites the section `## title` of docs/benchmarks.md. */
export function writeBenchmarkSection(title: string, body: string): void {
  writeFileSync(BENCHMARKS_DOC, replaceSection(readFileSync(BENCHMARKS_DOC, 'utf8'), title, body));
}

/** A table row of one run starts with its date: `| 2026-12-07 23:36 | ...`. */
const RUN_ROW = /^\| \d{4}-\d\d-\d\d /;

/**
 * Rewrites `## title` as `intro`, a table of runs (`header` rows, then every run row the section
 * already had and `row`, so a target is never read off one run) and the last run's `details`.
 */
export function writeRunsSection(title: string, intro: string, header: string, row: string, details: string): void {
  const previous = (readSection(readFileSync(BENCHMARKS_DOC, 'utf8'), title) ?? '')
    .split('\n')
    .filter((l) => RUN_ROW.test(l));
  writeBenchmarkSection(
    title,
    [intro, '', header, ...previous, `| ${row} |`, '', '### Last run', '', details].join('\n'),
  );
}
