/**
 * Turns parsed ASN.1 modules into the flat PER type table (`src/h323/per/type-table.ts`) and
 * TypeScript value types for every type reachable from the given roots.
 */
import type { AlternativeSpec, FieldSpec, TypeNode, TypeTable } from '../../src/h323/per/type-table';
import type { Constraint, ModuleAst, TypeAst } from './asn1-parser';

type Env = ReadonlyMap<string, number>;

interface NamedType {
  module: string;
  name: string;
  ast: TypeAst;
}

/** TS identifier for an ASN.1 type reference: `H323-UU-PDU` → `H323UUPDU`. */
export function tsTypeName(asn1Name: string): string {
  return asn1Name.replace(/-/g, '');
}

class TableBuilder {
  readonly nodes: TypeNode[] = [];
  readonly names: Record<string, number> = {};
  /** node index → the named assignment it was generated from */
  readonly namedNodes = new Map<number, NamedType>();
  private readonly memo = new Map<string, number>();
  private readonly leaves = new Map<string, number>();
  private readonly building = new Set<number>();

  constructor(private readonly modules: ReadonlyMap<string, ModuleAst>) {}

  private lookup(module: string, name: string): { module: string; ast: ModuleAst } {
    const m = this.modules.get(module);
    if (!m) throw new Error(`unknown module ${module}`);
    const from = m.imports.get(name);
    if (from !== undefined) return this.lookup(from, name);
    if (!m.assignments.has(name)) throw new Error(`${module}: undefined type ${name}`);
    return { module, ast: m };
  }

  named(module: string, name: string): number {
    const found = this.lookup(module, name);
    const key = `${found.module}.${name}`;
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    const a = found.ast.assignments.get(name)!;
    if (a.params) throw new Error(`${key} is parameterised and needs arguments`);
    const idx = this.nodes.length;
    this.nodes.push({ k: 'null' });
    this.memo.set(key, idx);
    this.names[key] = idx;
    this.namedNodes.set(idx, { module: found.module, name, ast: a.type });
    this.building.add(idx);
    this.nodes[idx] = { ...this.node(a.type, found.module, new Map()), n: name };
    this.building.delete(idx);
    return idx;
  }

  /** The node index for a component's type: named types are shared, inline ones added. */
  ref(ast: TypeAst, module: string, env: Env): number {
    if (ast.t === 'ref' && !ast.args && !ast.c) {
      return env.get(ast.name) ?? this.named(module, ast.name);
    }
    if (ast.t === 'ref' && ast.args && !ast.c) {
      const args = ast.args.map((a) => this.ref(a, module, env));
      const key = `${this.lookup(module, ast.name).module}.${ast.name}{${args.join(',')}}`;
      const known = this.memo.get(key);
      if (known !== undefined) return known;
      const idx = this.add(this.node(ast, module, env), false);
      this.memo.set(key, idx);
      return idx;
    }
    const node = this.node(ast, module, env);
    return this.add(node, node.k !== 'seq' && node.k !== 'choice');
  }

  private add(node: TypeNode, shareable: boolean): number {
    const key = shareable ? JSON.stringify(node) : undefined;
    if (key !== undefined) {
      const known = this.leaves.get(key);
      if (known !== undefined) return known;
    }
    this.nodes.push(node);
    if (key !== undefined) this.leaves.set(key, this.nodes.length - 1);
    return this.nodes.length - 1;
  }

  private node(ast: TypeAst, module: string, env: Env): TypeNode {
    const base = this.baseNode(ast, module, env);
    return ast.c ? constrain(base, ast.c) : base;
  }

  private baseNode(ast: TypeAst, module: string, env: Env): TypeNode {
    const fields = (fs: Array<{ name: string; type: TypeAst; optional: boolean }>): FieldSpec[] =>
      fs.map((f) => [f.name, this.ref(f.type, module, env), f.optional] as const);
    switch (ast.t) {
      case 'seq':
        return { k: 'seq', x: ast.ext, f: fields(ast.fields), a: fields(ast.adds) };
      case 'choice': {
        const alts = (fs: Array<{ name: string; type: TypeAst }>): AlternativeSpec[] =>
          fs.map((f) => [f.name, this.ref(f.type, module, env)] as const);
        return { k: 'choice', x: ast.ext, r: alts(ast.fields), a: alts(ast.adds) };
      }
      case 'of':
        return { k: 'of', t: this.ref(ast.elem, module, env) };
      case 'enum':
        return { k: 'enum', x: ast.ext, r: enumRootOrder(ast.root), a: ast.adds };
      case 'str':
        return { k: 'str', s: ast.s };
      case 'open':
        return { k: 'open', t: this.ref(ast.inner, module, env) };
      case 'ref': {
        const target = env.get(ast.name);
        if (target !== undefined) return this.resolved(target);
        if (!ast.args) return this.resolved(this.named(module, ast.name));
        const found = this.lookup(module, ast.name);
        const a = found.ast.assignments.get(ast.name)!;
        const params = a.params ?? [];
        if (params.length !== ast.args.length) throw new Error(`${ast.name}: wrong number of arguments`);
        const inner = new Map(params.map((p, i) => [p, this.ref(ast.args![i]!, module, env)]));
        return { ...this.node(a.type, found.module, inner), n: ast.name };
      }
      default:
        return { k: ast.t };
    }
  }

  private resolved(idx: number): TypeNode {
    if (this.building.has(idx))
      throw new Error(`constrained reference to ${this.namedNodes.get(idx)?.name} inside its own definition`);
    const { n, ...rest } = this.nodes[idx]!;
    return rest as TypeNode;
  }
}

/** X.691 §14.2: root enumerations are numbered by ascending value; X.680 §20.3 fills in unnumbered ones. */
function enumRootOrder(root: Array<[string, number | undefined]>): string[] {
  const used = new Set(root.map(([, v]) => v).filter((v): v is number => v !== undefined));
  let next = 0;
  const valued = root.map(([name, v]) => {
    if (v !== undefined) return [name, v] as const;
    while (used.has(next)) next++;
    used.add(next);
    return [name, next] as const;
  });
  return valued.sort((a, b) => a[1] - b[1]).map(([name]) => name);
}

/** Serial application of a PER-visible constraint (X.691 §10.3): the later one narrows. */
function constrain(node: TypeNode, c: Constraint): TypeNode {
  const bounds = (r: { lb?: number; ub?: number; x: boolean }): { lb?: number; ub?: number; x?: boolean } => ({
    ...(r.lb !== undefined ? { lb: r.lb } : {}),
    ...(r.ub !== undefined ? { ub: r.ub } : {}),
    ...(r.x ? { x: true } : {}),
  });
  switch (node.k) {
    case 'int':
      return c.value ? { k: 'int', ...bounds(c.value) } : node;
    case 'oct':
    case 'bit':
    case 'of':
      return c.size ? { ...stripBounds(node), ...bounds(c.size) } : node;
    case 'str': {
      const sized: TypeNode = c.size ? { ...stripBounds(node), ...bounds(c.size) } : node;
      if (c.from === undefined) return sized;
      const alphabet = [...new Set(c.from)].sort((a, b) => a.charCodeAt(0) - b.charCodeAt(0)).join('');
      return { ...sized, p: alphabet } as TypeNode;
    }
    default:
      return node;
  }
}

function stripBounds<T extends TypeNode>(node: T): T {
  const copy: Record<string, unknown> = { ...node };
  delete copy['lb'];
  delete copy['ub'];
  delete copy['x'];
  return copy as T;
}

export interface GeneratedFiles {
  [relativePath: string]: string;
}

/** Module name → short name used for the generated TS namespaces and files. */
const MODULE_FILES: Record<string, string> = {
  'H323-MESSAGES': 'h225',
  'H235-SECURITY-MESSAGES': 'h235',
  'MULTIMEDIA-SYSTEM-CONTROL': 'h245',
};

const HEADER =
  '// Generated by scripts/asn1/generate.ts from ../shared/asn1 — do not edit; run `npm run asn1:generate`.\n';

function propName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : `'${name}'`;
}

function tsExpr(b: TableBuilder, idx: number, fromModule: string, seen: Set<number>): string {
  const named = b.namedNodes.get(idx);
  if (named && seen.size > 0) {
    const ns = named.module === fromModule ? '' : `${MODULE_FILES[named.module]}.`;
    return ns + tsTypeName(named.name);
  }
  seen.add(idx);
  const node = b.nodes[idx]!;
  const sub = (t: number): string => tsExpr(b, t, fromModule, seen);
  switch (node.k) {
    case 'seq': {
      const lines = [...node.f, ...node.a].map(([n, t, opt], i) => {
        const optional = opt || i >= node.f.length;
        return `${propName(n)}${optional ? '?' : ''}: ${sub(t)};`;
      });
      if (node.x) lines.push('$extensions?: UnknownExtensions;');
      return lines.length ? `{ ${lines.join(' ')} }` : 'Record<string, never>';
    }
    case 'choice': {
      const alts = [...node.r, ...node.a].map(([n, t]) => `{ ${propName(n)}: ${sub(t)} }`);
      if (node.x) alts.push('UnknownAlternative');
      return alts.join(' | ');
    }
    case 'of':
      return `Array<${sub(node.t)}>`;
    case 'int':
      return 'number';
    case 'enum':
      return [...node.r, ...node.a].map((n) => `'${n}'`).join(' | ');
    case 'bool':
      return 'boolean';
    case 'null':
      return 'null';
    case 'oid':
    case 'str':
      return 'string';
    case 'oct':
      return 'Uint8Array';
    case 'bit':
      return 'BitString';
    case 'open':
      return sub(node.t);
  }
}

/** Builds the table from the modules, reachable from `roots` (`MODULE.Type`), and renders the files. */
export function generate(
  modules: readonly ModuleAst[],
  roots: readonly string[],
): { table: TypeTable; files: GeneratedFiles } {
  const b = new TableBuilder(new Map(modules.map((m) => [m.name, m])));
  for (const r of roots) {
    const dot = r.indexOf('.');
    b.named(r.slice(0, dot), r.slice(dot + 1));
  }
  const table: TypeTable = { nodes: b.nodes, names: b.names };
  const files: GeneratedFiles = {};
  files['type-table.ts'] =
    HEADER +
    "import type { TypeTable } from '../per/type-table';\n\n" +
    '/** Every ASN.1 type reachable from H323-UserInformation, RasMessage and MultimediaSystemControlMessage. */\n' +
    'export const typeTable: TypeTable = {\n  names: {\n' +
    Object.entries(b.names)
      .sort(([a], [c]) => (a < c ? -1 : 1))
      .map(([k, v]) => `    '${k}': ${v},\n`)
      .join('') +
    '  },\n  nodes: [\n' +
    b.nodes.map((n, i) => `    ${JSON.stringify(n)}, // ${i}\n`).join('') +
    '  ],\n};\n';
  for (const [moduleName, short] of Object.entries(MODULE_FILES)) {
    const own = [...b.namedNodes.entries()]
      .filter(([, v]) => v.module === moduleName)
      .sort(([, a], [, c]) => (a.name < c.name ? -1 : 1));
    const others = Object.entries(MODULE_FILES).filter(([m]) => m !== moduleName);
    let text = HEADER + `/** Value types of ${moduleName}. */\n`;
    text += "import type { BitString, UnknownAlternative, UnknownExtensions } from '../per/values';\n";
    for (const [, o] of others) text += `import type * as ${o} from './${o}-types';\n`;
    text += '\n';
    const body = own.map(([idx, v]) => {
      const expr =
        v.ast.t === 'ref' && !v.ast.args
          ? tsExpr(b, b.named(v.module, v.ast.name), moduleName, new Set([-1]))
          : tsExpr(b, idx, moduleName, new Set());
      return `export type ${tsTypeName(v.name)} = ${expr};\n`;
    });
    text += body.join('');
    const used = (name: string): boolean => body.some((l) => new RegExp(`\\b${name}\\b`).test(l));
    text = text.replace(
      /import type \{ BitString, UnknownAlternative, UnknownExtensions \} from '\.\.\/per\/values';\n/,
      () => {
        const names = ['BitString', 'UnknownAlternative', 'UnknownExtensions'].filter(used);
        return names.length ? `import type { ${names.join(', ')} } from '../per/values';\n` : '';
      },
    );
    for (const [, o] of others) {
      if (!body.some((l) => l.includes(`${o}.`)))
        text = text.replace(`import type * as ${o} from './${o}-types';\n`, '');
    }
    files[`${short}-types.ts`] = text;
  }
  return { table, files };
}
