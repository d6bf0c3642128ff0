// One confgate dial-in instance as its own process, for tests that need two instances sharing one
// Redis (and one to kill -9). Config JSON in argv[2]; prints `READY <udp port>` once listening.
import { configSchema } from '../../../src/config/config-schema';
import { startInstance } from './dial-in-harness';

async function main(): Promise<void> {
  const config = configSchema.parse(JSON.parse(process.argv[2]!));
  const instance = await startInstance(config);
  process.stdout.write(`READY ${instance.dialIn.srf.address('udp').port}\n`);
  process.once('SIGTERM', () => {
    void instance.stop().finally(() => process.exit(0));
  });
}

void main().catch((err: unknown) => {
  process.stderr.write(`dial-in child failed: ${String(err)}\n`);
  process.exit(1);
});
