/**
 * A copy of `s` that shares no memory with the text it was cut from.
 *
 * WHY: V8 represents a substring as a view of its parent (a "sliced" string) and `a + b` as a pair
 * of pointers (a "cons" string). A transaction key built from the branch and sent-by of a parsed
 * Via therefore keeps the whole decoded head of the request alive for as long as the key lives —
 * 32 s (Timer J/L) for every lingering transaction. Prepending one character and slicing it off
 * again makes V8 flatten the text into a fresh sequential string that the result points into.
 */
export function detached(s: string): string {
  return (' ' + s).slice(1);
}
