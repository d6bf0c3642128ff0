/** Headers as an application writes them: an object, or ordered pairs when order or repetition matters. */
export type HeaderInput = Record<string, string> | ReadonlyArray<readonly [string, string]>;

/** {@link HeaderInput} as ordered name/value pairs. */
export function headerPairs(input: HeaderInput | undefined): Array<readonly [string, string]> {
  if (!input) return [];
  return Array.isArray(input) ? [...(input as ReadonlyArray<readonly [string, string]>)] : Object.entries(input);
}
