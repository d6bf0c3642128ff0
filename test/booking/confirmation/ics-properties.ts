/** One iCalendar content line (RFC 5545 §3.1): `NAME;PARAM=V;...:VALUE`, after unfolding. */
export interface IcsProperty {
  name: string;
  params: Record<string, string>;
  value: string;
}

/**
 * A small independent reader of iCalendar text for tests: unfolds lines (§3.1), splits name,
 * parameters and value, honouring quoted parameter values.
 */
export function icsProperties(text: string): IcsProperty[] {
  expect(text).toMatch(/\r\n$/);
  const unfolded = text.replace(/\r\n[ \t]/g, '');
  return unfolded
    .split('\r\n')
    .filter((l) => l !== '')
    .map((line) => {
      let i = 0;
      let inQuotes = false;
      while (i < line.length && (inQuotes || line[i] !== ':')) {
        if (line[i] === '"') inQuotes = !inQuotes;
        i++;
      }
      const head = line.slice(0, i);
      const [name, ...paramParts] = head.split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/);
      const params: Record<string, string> = {};
      for (const p of paramParts) {
        const eq = p.indexOf('=');
        params[p.slice(0, eq).toUpperCase()] = p.slice(eq + 1).replace(/^"(.*)"$/, '$1');
      }
      return { name: name!.toUpperCase(), params, value: line.slice(i + 1) };
    });
}

/** The properties of the first component named `component` (e.g. VEVENT), without nested ones. */
export function componentProperties(props: IcsProperty[], component: string): IcsProperty[] {
  const start = props.findIndex((p) => p.name === 'BEGIN' && p.value === component);
  expect(start).toBeGreaterThanOrEqual(0);
  const out: IcsProperty[] = [];
  let depth = 0;
  for (const p of props.slice(start + 1)) {
    if (p.name === 'END' && depth === 0) break;
    if (p.name === 'BEGIN') depth++;
    else if (p.name === 'END') depth--;
    else if (depth === 0) out.push(p);
  }
  return out;
}

export function single(props: IcsProperty[], name: string): IcsProperty {
  const found = props.filter((p) => p.name === name);
  expect(found.map((p) => p.name)).toEqual([name]);
  return found[0]!;
}

/** TEXT value unescaping (RFC 5545 §3.3.11). */
export function icsText(value: string): string {
  return value.replace(/\\([nN\\;,])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}
