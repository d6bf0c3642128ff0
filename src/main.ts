import type { Config } from './config/config-schema';
import { ConfigError, loadConfig } from './config/load-config';
import { start, type RunningConfgate } from './app/start';
import { createLogger } from './log/logger';

/**
 * Process entry point: validates configuration, starts, and on SIGTERM/SIGINT drains (new calls
 * refused, live calls go on until they end or `shutdown.drainSeconds`), then stops and exits 0.
 * A second signal ends the drain at once.
 */
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
  let signals = 0;
  const stop = (): void => {
    log.info('confgate stopping');
    // A stuck close must not keep a stopped service alive for ever (the drain, which may be long, is over).
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
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals === 1) {
      log.info({ signal }, 'confgate draining (a second signal ends the drain at once)');
      running.drain().then(stop, (e: unknown) => {
        log.error({ err: e }, 'error while draining');
        stop();
      });
    } else if (signals === 2) {
      log.info({ signal }, 'second signal: ending the drain now');
      running.endDrain();
    }
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

if (require.main === module) void main();
