import { z } from 'zod';
import { configSchema } from './config-schema';

/** One leaf setting: its dotted path (`mcu[].uri` inside lists) and its default, if any. */
export interface ConfigKey {
  path: string;
  default: unknown;
}

interface JsonSchemaNode {
  type?: string | string[];
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  default?: unknown;
}

function walk(node: JsonSchemaNode, path: string, out: ConfigKey[]): void {
  if (node.properties) {
    for (const [key, child] of Object.entries(node.properties)) walk(child, path ? `${path}.${key}` : key, out);
  } else if (node.items?.properties) {
    walk(node.items, `${path}[]`, out);
  } else {
    out.push({ path, default: node.default });
  }
}

/**
 * Every leaf key of the settings schema, from the schema itself, so the README's table can be
 * checked against it (a key added without documentation fails a test).
 */
export function configKeys(): ConfigKey[] {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  const out: ConfigKey[] = [];
  walk(schema, '', out);
  return out;
}
