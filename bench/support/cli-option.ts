/** `--name value` from the command line as a number at least 0 (`fallback` when absent); `whole` wants an integer. */
export function numberOption(name: string, fallback: number, whole = false): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i < 0 ? fallback : Number(process.argv[i + 1]);
  if (!(whole ? Number.isInteger(value) : Number.isFinite(value)) || value < 0) {
    throw new Error(`--${name} wants a ${whole ? 'whole ' : ''}number of at least 0`);
  }
  return value;
}

/** True when `--name` is on the command line. */
export function hasOption(name: string): boolean {
  return process.argv.includes(`--${name}`);
}
