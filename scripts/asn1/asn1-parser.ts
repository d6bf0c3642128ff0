/**
 * A parser for the ASN.1 (ITU-T X.680) dialect of the H.225.0, H.235 and H.245 modules: type
 * assignments (some parameterised, X.683), SEQUENCE/SET/CHOICE with extension markers, SEQUENCE OF /
 * SET OF with SIZE, INTEGER/ENUMERATED, BIT/OCTET STRING, OBJECT IDENTIFIER, restricted character
 * strings with SIZE and FROM constraints, `TYPE-IDENTIFIER.&Type (T)` open types, IMPORTS.
 * Constraints that PER does not see (WITH COMPONENTS, CONSTRAINED BY) are skipped.
 */

export interface Range {
  lb?: number;
  ub?: number;
  x: boolean;
}

export interface Constraint {
  value?: Range;
  size?: Range;
  from?: string;
}

export interface FieldAst {
  name: string;
  type: TypeAst;
  optional: boolean;
}

export type TypeAst = { c?: Constraint } & (
  | { t: 'seq'; fields: FieldAst[]; ext: boolean; adds: FieldAst[] }
  | { t: 'choice'; fields: FieldAst[]; ext: boolean; adds: FieldAst[] }
  | { t: 'of'; elem: TypeAst }
  | { t: 'enum'; root: Array<[string, number | undefined]>; ext: boolean; adds: string[] }
  | { t: 'int' | 'bool' | 'null' | 'oid' | 'oct' | 'bit' }
  | { t: 'str'; s: 'IA5' | 'BMP' | 'Numeric' | 'Printable' | 'General' }
  | { t: 'ref'; name: string; args?: TypeAst[] }
  | { t: 'open'; inner: TypeAst }
);

export interface Assignment {
  name: string;
  params?: string[];
  type: TypeAst;
}

export interface ModuleAst {
  name: string;
  /** imported type name → module it comes from */
  imports: Map<string, string>;
  assignments: Map<string, Assignment>;
}

/** Raised on text outside the supported dialect, with the line it was found on. */
export class Asn1SyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'Asn1SyntaxError';
  }
}

interface Token {
  v: string;
  line: number;
  str?: boolean;
}

const STRING_TYPES: Record<string, 'IA5' | 'BMP' | 'Numeric' | 'Printable' | 'General'> = {
  IA5String: 'IA5',
  BMPString: 'BMP',
  NumericString: 'Numeric',
  PrintableString: 'Printable',
  GeneralString: 'General',
};

/** X.680 §12.6: a comment runs from `--` to the next `--` or the end of the line. */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') {
      line++;
      i++;
    } else if (/\s/.test(ch)) {
      i++;
    } else if (text.startsWith('--', i)) {
      i += 2;
      while (i < text.length && text[i] !== '\n' && !text.startsWith('--', i)) i++;
      if (text.startsWith('--', i)) i += 2;
    } else if (ch === '"') {
      const end = text.indexOf('"', i + 1);
      out.push({ v: text.slice(i + 1, end), line, str: true });
      i = end + 1;
    } else {
      const m = /^(::=|\.\.\.|\.\.|&?[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*|\d+|[{}(),;^|.\-[\]])/.exec(
        text.slice(i, i + 200),
      );
      if (!m) throw new Asn1SyntaxError(`unexpected character '${ch}'`, line);
      out.push({ v: m[1]!, line });
      i += m[1]!.length;
    }
  }
  return out;
}

class Parser {
  private pos = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(o = 0): string | undefined {
    return this.toks[this.pos + o]?.v;
  }
  private next(): Token {
    const t = this.toks[this.pos++];
    if (!t) throw new Asn1SyntaxError('unexpected end of module', this.toks[this.toks.length - 1]?.line ?? 0);
    return t;
  }
  private expect(v: string): void {
    const t = this.next();
    if (t.v !== v || t.str) throw new Asn1SyntaxError(`expected '${v}', found '${t.v}'`, t.line);
  }
  private accept(v: string): boolean {
    if (this.peek() === v && !this.toks[this.pos]!.str) {
      this.pos++;
      return true;
    }
    return false;
  }
  private fail(msg: string): never {
    throw new Asn1SyntaxError(msg, this.toks[this.pos]?.line ?? 0);
  }
  private skipBalanced(open: string, close: string): void {
    this.expect(open);
    let depth = 1;
    while (depth > 0) {
      const t = this.next();
      if (t.str) continue;
      if (t.v === open) depth++;
      else if (t.v === close) depth--;
    }
  }

  module(): ModuleAst {
    const name = this.next().v;
    this.expect('DEFINITIONS');
    this.expect('AUTOMATIC');
    this.expect('TAGS');
    this.expect('::=');
    this.expect('BEGIN');
    const imports = new Map<string, string>();
    if (this.accept('IMPORTS')) {
      let pending: string[] = [];
      while (!this.accept(';')) {
        if (this.accept('FROM')) {
          const from = this.next().v;
          for (const p of pending) imports.set(p, from);
          pending = [];
        } else if (this.accept(',')) {
          continue;
        } else {
          pending.push(this.next().v);
          if (this.peek() === '{') this.skipBalanced('{', '}');
        }
      }
    }
    const assignments = new Map<string, Assignment>();
    while (!this.accept('END')) {
      const a = this.assignment();
      assignments.set(a.name, a);
    }
    return { name, imports, assignments };
  }

  private assignment(): Assignment {
    const name = this.next().v;
    let params: string[] | undefined;
    if (this.accept('{')) {
      params = [];
      while (!this.accept('}')) {
        if (!this.accept(',')) params.push(this.next().v);
      }
    }
    this.expect('::=');
    const type = this.type();
    return params ? { name, params, type } : { name, type };
  }

  private type(): TypeAst {
    let t = this.bareType();
    while (this.peek() === '(') t = withConstraint(t, this.constraint());
    return t;
  }

  private bareType(): TypeAst {
    const tok = this.next();
    switch (tok.v) {
      case 'SEQUENCE':
      case 'SET': {
        if (this.peek() === '{') return { t: 'seq', ...this.components() };
        let size: Range | undefined;
        if (this.accept('SIZE')) size = this.constraint('size').size;
        else if (this.peek() === '(') size = this.constraint().size;
        this.expect('OF');
        const of: TypeAst = { t: 'of', elem: this.type() };
        return size ? { ...of, c: { size } } : of;
      }
      case 'CHOICE':
        return { t: 'choice', ...this.components() };
      case 'ENUMERATED':
        return this.enumerated();
      case 'INTEGER':
        return { t: 'int' };
      case 'BOOLEAN':
        return { t: 'bool' };
      case 'NULL':
        return { t: 'null' };
      case 'OBJECT':
        this.expect('IDENTIFIER');
        return { t: 'oid' };
      case 'OCTET':
        this.expect('STRING');
        return { t: 'oct' };
      case 'BIT':
        this.expect('STRING');
        return { t: 'bit' };
      case 'TYPE-IDENTIFIER': {
        this.expect('.');
        this.expect('&Type');
        this.expect('(');
        const inner = this.type();
        this.expect(')');
        return { t: 'open', inner };
      }
      default: {
        const s = STRING_TYPES[tok.v];
        if (s) return { t: 'str', s };
        if (!/^[A-Z]/.test(tok.v)) throw new Asn1SyntaxError(`expected a type, found '${tok.v}'`, tok.line);
        if (this.peek() === '{') {
          this.expect('{');
          const args: TypeAst[] = [];
          while (!this.accept('}')) if (!this.accept(',')) args.push(this.type());
          return { t: 'ref', name: tok.v, args };
        }
        return { t: 'ref', name: tok.v };
      }
    }
  }

  /** X.680 §25, §29: root components, `...`, extension additions (no version brackets here). */
  private components(): { fields: FieldAst[]; ext: boolean; adds: FieldAst[] } {
    this.expect('{');
    const fields: FieldAst[] = [];
    const adds: FieldAst[] = [];
    let ext = false;
    let afterSecondMarker = false;
    for (;;) {
      if (this.accept('}')) break;
      if (this.accept(',')) continue;
      if (this.accept('...')) {
        if (ext) afterSecondMarker = true;
        ext = true;
        continue;
      }
      const name = this.next().v;
      const type = this.type();
      const optional = this.accept('OPTIONAL');
      (ext && !afterSecondMarker ? adds : fields).push({ name, type, optional });
    }
    return { fields, ext, adds };
  }

  private enumerated(): TypeAst {
    this.expect('{');
    const root: Array<[string, number | undefined]> = [];
    const adds: string[] = [];
    let ext = false;
    for (;;) {
      if (this.accept('}')) break;
      if (this.accept(',')) continue;
      if (this.accept('...')) {
        ext = true;
        continue;
      }
      const name = this.next().v;
      let value: number | undefined;
      if (this.accept('(')) {
        value = this.number();
        this.expect(')');
      }
      if (ext) adds.push(name);
      else root.push([name, value]);
    }
    return { t: 'enum', root, ext, adds };
  }

  private number(): number {
    const neg = this.accept('-');
    const t = this.next();
    if (!/^\d+$/.test(t.v)) throw new Asn1SyntaxError(`expected a number, found '${t.v}'`, t.line);
    return neg ? -Number(t.v) : Number(t.v);
  }

  private bound(): number | undefined {
    if (this.accept('MIN') || this.accept('MAX')) return undefined;
    return this.number();
  }

  /** `( ... )`: value ranges, SIZE, FROM, intersections and extension markers (X.680 §49–51). */
  private constraint(ctx: 'value' | 'size' | 'from' = 'value'): Constraint {
    this.expect('(');
    const c: Constraint = {};
    for (;;) {
      if (this.accept(')')) return c;
      if (this.accept('^') || this.accept(',') || this.accept('INTERSECTION')) continue;
      if (this.accept('...')) {
        const r = ctx === 'size' ? c.size : c.value;
        if (r) r.x = true;
        continue;
      }
      if (this.accept('SIZE')) {
        Object.assign(c, { size: this.constraint('size').size });
      } else if (this.accept('FROM')) {
        Object.assign(c, { from: this.constraint('from').from });
      } else if (this.peek() === 'WITH') {
        this.pos += 2;
        this.skipBalanced('{', '}');
      } else if (this.peek() === 'CONSTRAINED') {
        this.pos += 2;
        this.skipBalanced('{', '}');
      } else if (this.peek() === '(') {
        Object.assign(c, this.constraint(ctx));
      } else if (this.toks[this.pos]?.str) {
        const s = this.next().v;
        if (ctx !== 'from') this.fail('a character string constraint outside FROM is not supported');
        c.from = (c.from ?? '') + s;
      } else {
        const lb = this.bound();
        const ub = this.accept('..') ? this.bound() : lb;
        const r: Range = { x: false };
        if (lb !== undefined) r.lb = lb;
        if (ub !== undefined) r.ub = ub;
        if (ctx === 'size') c.size = r;
        else c.value = r;
      }
    }
  }
}

function withConstraint(t: TypeAst, c: Constraint): TypeAst {
  return { ...t, c: { ...t.c, ...c } };
}

/** Parses one module text. */
export function parseModule(text: string): ModuleAst {
  return new Parser(tokenize(text)).module();
}
