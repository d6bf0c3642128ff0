import { z } from 'zod';

/**
 * Route schemas are zod schemas (the same ones handlers parse with); this turns each into the
 * JSON Schema (2020-12, as OpenAPI 3.1 uses) that `@fastify/swagger` puts into `/api/docs`.
 */
export function toOpenApiSchema(schema: unknown): unknown {
  if (!(schema instanceof z.ZodType)) return schema;
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return json;
}

/** `transform` for `@fastify/swagger`: converts every zod part of a route schema. */
export function zodRouteSchemaToOpenApi({
  schema,
  url,
}: {
  schema: Record<string, unknown> | undefined;
  url: string;
}): { schema: Record<string, unknown>; url: string } {
  if (!schema) return { schema: {}, url };
  const out: Record<string, unknown> = {};
  for (const [part, value] of Object.entries(schema)) {
    if (part === 'response' && value && typeof value === 'object') {
      out.response = Object.fromEntries(Object.entries(value).map(([status, s]) => [status, toOpenApiSchema(s)]));
    } else {
      out[part] = toOpenApiSchema(value);
    }
  }
  return { schema: out, url };
}
