import { loadConfig, ConfigError } from './config/load-config';
import { createLogger } from './log/logger';

/** Process entry point: validates configuration, then starts the listeners. */
async function main(): Promise<void> {
  let config;
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
}

void main();
