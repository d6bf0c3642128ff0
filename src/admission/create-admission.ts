import type { Config } from '../config/config-schema';
import type { Logger } from '../log/logger';
import type { RedisClient } from '../store/redis-connection';
import type { Store } from '../store/store';
import { admissionSettings } from './admission-settings';
import { ConferenceAdmission, type ConferenceAdmissionOptions } from './conference-admission';
import { InProcessAdmissionEngine } from './in-process-admission-engine';
import { RedisAdmissionEngine } from './redis-admission-engine';

export interface CreateAdmissionOptions extends Pick<
  ConferenceAdmissionOptions,
  'instanceId' | 'onAlert' | 'onLeaseLost' | 'now' | 'storeUp'
> {
  config: Config;
  store: Store;
  /** The store's Redis client, when `store.kind` is `redis`: admission then shares state with every instance. */
  redis?: RedisClient;
  log: Logger;
}

/**
 * The admission for this process: on Redis when the store is (every instance then shares the
 * caps, leases and failure windows), else in this process's memory. Call `start()` to run lease
 * renewal and the reaper, `stop()` at shutdown.
 */
export function createAdmission(options: CreateAdmissionOptions): ConferenceAdmission {
  const settings = admissionSettings(options.config);
  if (options.store.kind === 'redis' && !options.redis)
    throw new Error('a Redis store needs its Redis client for admission');
  const engine =
    options.store.kind === 'redis'
      ? new RedisAdmissionEngine(options.redis!, settings)
      : new InProcessAdmissionEngine(options.store.bookings, settings);
  const { config: _config, store: _store, redis: _redis, ...rest } = options;
  return new ConferenceAdmission({ ...rest, engine, settings, log: options.log.child({ component: 'admission' }) });
}
