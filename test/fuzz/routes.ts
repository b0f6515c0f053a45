import type { ZodType } from 'zod';
import type { App, AppContext } from '../../src/server/context';
import { operations } from '../../src/server/operations/index';
import { permissions, type Rule } from '../../src/server/permissions';

/**
 * The API's write routes, read from the OpenAPI document the server publishes, with the Zod
 * schemas the server validates them with (collected by registering every operation on a stub that
 * only records what it is given).
 */

export type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export const WRITE_METHODS: readonly WriteMethod[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

export interface RouteSchemas {
  body?: ZodType;
  params?: ZodType;
  querystring?: ZodType;
}

export interface WriteRoute {
  /** As in the permission table: "POST /api/v1/clinics/:clinicId/sessions". */
  key: string;
  method: WriteMethod;
  /** Fastify form, with :params. */
  url: string;
  params: string[];
  rule: Rule;
  /** The request body's JSON schema, from the OpenAPI document (components resolved). */
  bodySchema: JsonSchema | null;
  bodyRequired: boolean;
  zod: RouteSchemas;
}

export type JsonSchema = Record<string, any>;

/** Every route's Zod schemas, by "METHOD /url". */
export function collectZodSchemas(ctx: AppContext): Map<string, RouteSchemas> {
  const found = new Map<string, RouteSchemas>();
  const record = (method: string) => (url: string, opts: unknown) => {
    const schema = typeof opts === 'object' && opts !== null ? ((opts as { schema?: RouteSchemas }).schema ?? {}) : {};
    found.set(`${method} ${url}`, schema);
    return stub;
  };
  const methods: Record<string, unknown> = {
    get: record('GET'),
    post: record('POST'),
    put: record('PUT'),
    patch: record('PATCH'),
    delete: record('DELETE'),
    route: (opts: { method: string | string[]; url: string; schema?: RouteSchemas }) => {
      for (const m of [opts.method].flat()) found.set(`${m.toUpperCase()} ${opts.url}`, opts.schema ?? {});
      return stub;
    },
  };
  const stub: unknown = new Proxy(
    {},
    { get: (_target, prop) => (typeof prop === 'string' && prop in methods ? methods[prop] : () => stub) },
  );
  for (const register of operations) register(stub as App, ctx);
  return found;
}

function resolveRefs(schema: unknown, components: Record<string, JsonSchema>, depth = 0): any {
  if (depth > 40 || schema === null || typeof schema !== 'object') return schema;
  if (Array.isArray(schema)) return schema.map((s) => resolveRefs(s, components, depth + 1));
  const obj = schema as Record<string, unknown>;
  if (typeof obj.$ref === 'string') {
    const name = obj.$ref.split('/').pop()!;
    return resolveRefs(components[name], components, depth + 1);
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolveRefs(v, components, depth + 1)]));
}

/** The write routes of the running app, from its OpenAPI document. */
export function writeRoutes(app: App, ctx: AppContext): WriteRoute[] {
  const doc = app.swagger() as { paths: Record<string, Record<string, any>>; components?: { schemas?: Record<string, JsonSchema> } };
  const components = doc.components?.schemas ?? {};
  const zod = collectZodSchemas(ctx);
  const routes: WriteRoute[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(ops)) {
      const method = m.toUpperCase() as WriteMethod;
      if (!WRITE_METHODS.includes(method)) continue;
      const url = path.replace(/\{(\w+)\}/g, ':$1');
      const key = `${method} ${url}`;
      const rule = (permissions as Record<string, Rule>)[key];
      if (!rule) throw new Error(`${key} has no permission rule`);
      const body = op.requestBody?.content?.['application/json']?.schema;
      routes.push({
        key,
        method,
        url,
        params: [...url.matchAll(/:(\w+)/g)].map((x) => x[1]!),
        rule,
        bodySchema: body ? resolveRefs(body, components) : null,
        bodyRequired: Boolean(op.requestBody?.required),
        zod: zod.get(key) ?? {},
      });
    }
  }
  return routes;
}
