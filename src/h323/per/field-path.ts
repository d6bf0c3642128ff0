import { MAX_DEPTH } from './per-common';
import { PerError } from './per-error';

/**
 * The field path the codec is at, kept as a stack so that an error can name where it happened:
 * `path` from the innermost named type (`Setup-UUIE.fastStart[1]`), `fullPath` from the root.
 */
export class FieldPath {
  /** field names, or element indices of SEQUENCE OF; formatted only when an error needs them */
  private segs: Array<string | number> = [];
  private types: Array<string | undefined> = [];

  reset(rootName: string | undefined): void {
    this.segs = [''];
    this.types = [rootName];
  }

  enter(seg: string | number, typeName: string | undefined): void {
    if (this.segs.length >= MAX_DEPTH) throw new PerError('too-deep', `nesting deeper than ${MAX_DEPTH} levels`);
    this.segs.push(seg);
    this.types.push(typeName);
  }

  leave(): void {
    this.segs.pop();
    this.types.pop();
  }

  /** Wraps anything thrown below into a {@link PerError} located at the current path. */
  locate(e: unknown): PerError {
    const tail = (from: number): string =>
      this.segs
        .slice(from)
        .map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`))
        .join('');
    const full = (this.types[0] ?? '') + tail(1);
    let k = this.types.length - 2;
    while (k > 0 && this.types[k] === undefined) k--;
    const path = this.types.length === 1 ? full : (this.types[Math.max(k, 0)] ?? '') + tail(Math.max(k, 0) + 1);
    if (e instanceof PerError) return e.path ? e : e.at(path, full);
    // A RangeError or a codec bug must still reach the caller as a typed, located error.
    return new PerError('malformed', e instanceof Error ? e.message : String(e), path, full);
  }
}
