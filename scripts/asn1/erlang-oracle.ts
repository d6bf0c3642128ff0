/**
 * Drives `per-oracle.escript` (Erlang/OTP asn1, the independent PER implementation) over a pipe:
 * one request line in, one answer line out. The modules are compiled once and cached by
 * `compile-modules.sh`.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const here = __dirname;

export class ErlangOracle {
  private waiting: Array<(line: string) => void> = [];

  private constructor(private readonly proc: ChildProcessWithoutNullStreams) {
    createInterface({ input: proc.stdout }).on('line', (line) => this.waiting.shift()?.(line));
  }

  /** Compiled beam directory, or undefined when erlc is not installed. */
  static compiledModules(): string | undefined {
    const r = spawnSync('sh', [join(here, 'erlang', 'compile-modules.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (r.status === 3) return undefined;
    if (r.status !== 0) throw new Error(`compiling the ASN.1 modules with erlc failed (${r.status})`);
    return r.stdout.trim();
  }

  static start(beamDir = ErlangOracle.compiledModules()): ErlangOracle {
    if (!beamDir) throw new Error('erlc is not installed (Debian package erlang-asn1)');
    const proc = spawn('escript', [join(here, 'erlang', 'per-oracle.escript'), beamDir]);
    return new ErlangOracle(proc);
  }

  ask(request: string): Promise<string> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.proc.stdin.write(request.replace(/\n/g, ' ') + '\n');
    });
  }

  stop(): void {
    this.proc.stdin.end();
    this.proc.kill();
  }
}
