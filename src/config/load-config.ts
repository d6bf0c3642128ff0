import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema, type Config } from './config-schema';

/** Raised when a setting is invalid; the message names every bad key and its rule. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

type Raw = Record<string, unknown>;

function isObject(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge where later layers win; arrays are replaced, not concatenated. */
export function mergeLayers(...layers: Raw[]): Raw {
  const out: Raw = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) {
      out[k] = isObject(v) && isObject(out[k]) ? mergeLayers(out[k] as Raw, v) : v;
    }
  }
  return out;
}

function readJson(path: string): Raw {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError([`${path}: cannot read (${(e as Error).message})`]);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isObject(parsed)) throw new Error('top level must be an object');
    return parsed;
  } catch (e) {
    throw new ConfigError([`${path}: not valid JSON (${(e as Error).message})`]);
  }
}

function intOrRaw(v: string): number | string {
  return /^\d+$/.test(v) ? Number(v) : v;
}

/**
 * Environment variables operators and scripts rely on. Each maps to one key of the schema;
 * numbers are converted here so the schema reports `must be a number` on garbage.
 */
export function envLayer(env: NodeJS.ProcessEnv): Raw {
  const layer: Raw = {};
  const set = (path: string[], value: unknown): void => {
    let node = layer;
    for (const key of path.slice(0, -1)) node = (node[key] = isObject(node[key]) ? node[key] : {}) as Raw;
    node[path[path.length - 1]!] = value;
  };
  const map: Array<[string, string[], (v: string) => unknown]> = [
    ['REDIS_URL', ['redisUrl'], (v) => v],
    ['CONFGATE_HTTP_PORT', ['http', 'port'], intOrRaw],
    ['CONFGATE_HTTP_HOST', ['http', 'host'], (v) => v],
    ['CONFGATE_SIP_PORT', ['sip', 'port'], intOrRaw],
    ['CONFGATE_SIP_HOST', ['sip', 'host'], (v) => v],
    ['CONFGATE_H323_PORT', ['h323', 'port'], intOrRaw],
    ['CONFGATE_PUBLIC_HOST', ['publicHost'], (v) => v],
    ['CONFGATE_PHONE_NUMBER', ['phoneNumber'], (v) => v],
    ['CONFGATE_ADMIN_TOKEN', ['adminToken'], (v) => v],
    ['CONFGATE_METRICS_TOKEN', ['metricsToken'], (v) => v],
    ['CONFGATE_LANGUAGE', ['language'], (v) => v],
    ['CONFGATE_LOG_LEVEL', ['log', 'level'], (v) => v],
    ['CONFGATE_DRAIN_SECONDS', ['shutdown', 'drainSeconds'], intOrRaw],
    [
      'CONFGATE_MCU',
      ['mcu'],
      (v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((uri) => ({ uri })),
    ],
    ['CONFGATE_SMTP_HOST', ['smtp', 'host'], (v) => v],
    ['CONFGATE_SMTP_PORT', ['smtp', 'port'], intOrRaw],
    ['CONFGATE_SMTP_SECURE', ['smtp', 'secure'], (v) => (v === 'true' ? true : v === 'false' ? false : v)],
    ['CONFGATE_SMTP_USER', ['smtp', 'user'], (v) => v],
    ['CONFGATE_SMTP_PASSWORD', ['smtp', 'password'], (v) => v],
    ['CONFGATE_SMTP_FROM', ['smtp', 'from'], (v) => v],
  ];
  for (const [name, path, convert] of map) {
    const value = env[name];
    if (value !== undefined && value !== '') set(path, convert(value));
  }
  return layer;
}

/**
 * Loads `config/default.json`, then the file named by `CONFGATE_CONFIG`, then the
 * environment, and validates the result.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, rootDir = join(__dirname, '..', '..')): Config {
  const layers: Raw[] = [readJson(join(rootDir, 'config', 'default.json'))];
  if (env.CONFGATE_CONFIG) layers.push(readJson(env.CONFGATE_CONFIG));
  layers.push(envLayer(env));
  return parseConfig(mergeLayers(...layers));
}

/** Validates a raw settings object. */
export function parseConfig(raw: unknown): Config {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return result.data;
}
