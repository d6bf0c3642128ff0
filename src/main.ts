import type { Config } from './config/config-schema';
import { ConfigError, loadConfig } from './config/load-config';
import { start, type RunningConfgate } from './app/start';
import { createLogger } from './log/logger';

/** Process entry point: validates configuration, starts, and stops cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`confgate: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const log = createLogger(config.log.level);
  log.info({ http: config.http.port, sip: config.sip.port }, 'confgate starting');
  let running: RunningConfgate;
  try {
    running = await start(config, log);
  } catch (e) {
    log.fatal({ err: e }, 'confgate could not start');
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'confgate stopping');
    // A stuck close must not keep a stopped service alive for ever.
    setTimeout(() => {
      log.error('shutdown took more than 10 s; exiting anyway');
      process.exit(1);
    }, 10_000).unref();
    running.stop().then(
      () => {
        log.info('confgate stopped');
        process.exit(0);
      },
      (e: unknown) => {
        log.error({ err: e }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

if (require.main === module) void main();
