import fc from 'fast-check';
import type { ZodType } from 'zod';
import type { TestStaff } from '../support/test-app';
import { changedTables, fingerprint, type Fingerprint } from './fingerprint';
import { applyMutation, mutationArb, RAW, type Mutation } from './mutations';
import type { WriteRoute } from './routes';
import type { FuzzWorld } from './world';
import { examples, type Example } from './examples';

export interface Problem {
  route: string;
  mutation: string;
  status: number;
  problem: string;
  body?: string;
}

export interface FuzzStats {
  requests: number;
  byStatus: Record<string, number>;
  /** Mutations the route's schema accepts and the server then accepted (2xx): stored as given. */
  accepted: Record<string, number>;
  /** Example bodies, unmutated: what each route answered (a 422 is a business refusal, fine). */
  examples: Record<string, number>;
  problems: Problem[];
  routes: number;
}

interface Sent {
  status: number;
  body: any;
}

/**
 * Refusals the system audits on purpose, and counts towards lock-out: a wrong witness or signing
 * password, a wrong sign-in, a wrong second-factor code. They may write the audit log and the
 * failed-attempt counters, nothing else.
 */
const AUDITED_REFUSALS: Record<string, string[]> = {
  witness_password_invalid: ['audit_events', 'staff'],
  signature_invalid: ['audit_events', 'staff'],
  invalid_credentials: ['audit_events', 'staff', 'portal_accounts'],
  account_locked: ['audit_events', 'staff', 'portal_accounts'],
  second_factor_invalid: ['audit_events', 'staff_second_factors'],
  second_factor_locked: ['audit_events', 'staff_second_factors'],
};

const isJsonType = (ct: string | null) => ct !== null && ct.startsWith('application/json');

function zodAccepts(schema: ZodType | undefined, value: unknown): boolean {
  if (!schema) return true;
  return schema.safeParse(value).success;
}

/** Ensure the signed-in client a route needs (some routes sign their client out). */
let signedInAgain = false;

async function clientFor(world: FuzzWorld, ex: Example): Promise<{ cookie: string | null; csrf: string | null }> {
  switch (ex.client ?? 'staff') {
    case 'anonymous':
      return { cookie: null, csrf: null };
    case 'portal': {
      const p = world.portal;
      if (!p.cookie) {
        signedInAgain = true;
        const res = await p.signIn(world.portalUsername, world.portalPassword);
        if (res.status !== 200) throw new Error(`portal re-sign-in: ${JSON.stringify(res.body)}`);
      }
      return { cookie: `openhat_portal=${p.cookie}`, csrf: p.csrfToken };
    }
    case 'spare': {
      const s: TestStaff = world.spare;
      if (!s.client.cookie) {
        signedInAgain = true;
        const res = await s.client.signIn(s.email, world.sparePassword);
        if (res.status !== 200) throw new Error(`spare re-sign-in: ${JSON.stringify(res.body)}`);
      }
      return { cookie: s.client.cookie, csrf: s.client.csrfToken };
    }
    default:
      return { cookie: world.actor.client.cookie, csrf: world.actor.client.csrfToken };
  }
}

function urlFor(world: FuzzWorld, route: WriteRoute, ex: Example, mutation: Mutation | null): string {
  return route.url.replace(/:(\w+)/g, (_, name: string) => {
    if (mutation?.kind === 'param' && mutation.param === name) return mutation.value.startsWith(RAW) ? mutation.value.slice(RAW.length) : encodeURIComponent(mutation.value);
    const id = world.ids[ex.params?.[name] ?? name];
    if (!id) throw new Error(`${route.key}: no id for :${name}`);
    return id;
  });
}

async function send(world: FuzzWorld, route: WriteRoute, ex: Example, example: unknown, mutation: Mutation | null): Promise<Sent & { payloadValue: unknown; parsedOk: boolean; jsonType: boolean }> {
  const { cookie, csrf } = await clientFor(world, ex);
  let payload: string | undefined;
  let contentType: string | null = 'application/json';
  let payloadValue: unknown;
  let parsedOk = true;
  if (mutation?.kind === 'raw') {
    payload = mutation.payload;
    contentType = mutation.contentType;
    try {
      payloadValue = JSON.parse(mutation.payload.replace(/^\uFEFF/, ''));
    } catch {
      parsedOk = false;
    }
  } else {
    payloadValue = mutation ? applyMutation(example, mutation) : example;
    payload = payloadValue === undefined ? undefined : JSON.stringify(payloadValue);
    if (payload === undefined) contentType = null;
  }
  const res = await world.t.app.inject({
    method: route.method,
    url: urlFor(world, route, ex, mutation),
    remoteAddress: '203.0.113.9',
    headers: {
      'user-agent': 'openhat-fuzz',
      ...(contentType ? { 'content-type': contentType } : {}),
      ...(cookie ? { cookie } : {}),
      ...(csrf ? { 'x-csrf-token': csrf } : {}),
    },
    ...(payload !== undefined ? { payload } : {}),
  });
  let body: any = res.body;
  try {
    body = JSON.parse(res.body);
  } catch {
    /* not JSON: checked below */
  }
  // A route that signs its client out: forget the session so the next request signs in again.
  if ((res.statusCode < 300 && ex.signsOut) || res.statusCode === 401) {
    if (ex.client === 'portal') world.portal.cookie = null;
    if (ex.client === 'spare') world.spare.client.cookie = null;
  }
  return { status: res.statusCode, body, payloadValue, parsedOk, jsonType: isJsonType(contentType) };
}

/** Check one answer; returns the problems found. */
function judge(route: WriteRoute, ex: Example, mutation: Mutation, sent: Awaited<ReturnType<typeof send>>, before: Fingerprint, after: Fingerprint): string[] {
  const problems: string[] = [];
  const { status, body } = sent;
  if (status >= 500) problems.push(`server error ${status}`);
  if (status >= 400) {
    if (!body || typeof body !== 'object' || typeof body.error?.code !== 'string' || typeof body.error?.message !== 'string') {
      problems.push('error not in the { error: { code, message } } shape');
    } else if (status === 400 && (typeof body.error.field !== 'string' || body.error.field === '')) {
      problems.push('400 without a field naming the problem');
    }
    const changed = changedTables(before, after);
    for (const table of ex.refusalSideEffects ?? []) delete changed[table];
    // Deliberately audited refusals: a wrong witness or signing password is logged and counts towards lock-out.
    for (const table of AUDITED_REFUSALS[body?.error?.code as string] ?? []) delete changed[table];
    if (Object.keys(changed).length > 0) problems.push(`rejected, yet the database changed: ${JSON.stringify(changed)}`);
  } else if (status < 300) {
    const auditBefore = before.get('audit_events')?.rows ?? 0;
    const auditAfter = after.get('audit_events')?.rows ?? 0;
    const changed = changedTables(before, after);
    if (Object.keys(changed).length > 0 && auditAfter <= auditBefore) problems.push(`accepted and wrote ${JSON.stringify(changed)} without an audit entry`);
  }
  // What must have been refused.
  let mustReject: boolean;
  if (mutation.kind === 'param') mustReject = true;
  else if (mutation.kind === 'raw') {
    if (!sent.jsonType) mustReject = route.zod.body !== undefined; // a route without a body ignores what it is sent
    else mustReject = !sent.parsedOk || !zodAccepts(route.zod.body, sent.payloadValue);
  } else mustReject = !zodAccepts(route.zod.body, sent.payloadValue);
  if (mustReject && status < 400) problems.push(`accepted (${status}) although invalid`);
  const signedOut = status === 401 && ['session_expired', 'not_signed_in'].includes(body?.error?.code);
  if (mutation.kind !== 'param' && mutation.kind !== 'raw' && mustReject && status !== 400 && status < 500 && status >= 400 && !signedOut && !ex.authBeforeBody) {
    problems.push(`invalid body answered ${status}, not 400`);
  }
  return problems;
}

export async function fuzzRoutes(world: FuzzWorld, routes: WriteRoute[], runsPerRoute: number, seed: number, stats: FuzzStats): Promise<void> {
  const ordered = [...routes].sort((a, b) => (examples[a.key]?.order ?? 0) - (examples[b.key]?.order ?? 0));
  for (const route of ordered) {
    const ex = examples[route.key];
    if (!ex) continue; // the coverage test names it
    stats.routes++;
    const example = ex.body(world, route);
    // The example itself, once: it should pass validation (a 422 business refusal is fine).
    const first = await send(world, route, ex, example, null);
    stats.requests++;
    stats.examples[`${route.key} → ${first.status}`] = 1;
    if (!zodAccepts(route.zod.body, first.payloadValue) || first.status >= 500) {
      stats.problems.push({ route: route.key, mutation: '(valid example)', status: first.status, problem: 'the example body does not pass the route\'s schema', body: JSON.stringify(first.body).slice(0, 400) });
    }
    if (first.status < 300) ex.after?.(world, first.body, first.payloadValue);
    const mutations = fc.sample(mutationArb(example, route.params), { numRuns: runsPerRoute, seed: seed + hash(route.key) });
    let before = await fingerprint(world.t.db);
    for (const mutation of mutations) {
      signedInAgain = false;
      await clientFor(world, ex); // sign in again first, if the last request signed out
      if (signedInAgain) before = await fingerprint(world.t.db);
      const sent = await send(world, route, ex, example, mutation);
      const after = await fingerprint(world.t.db);
      stats.requests++;
      stats.byStatus[sent.status] = (stats.byStatus[sent.status] ?? 0) + 1;
      if (sent.status < 300) {
        stats.accepted[`${route.key} · ${mutation.label.slice(0, 60)}`] = sent.status;
        ex.after?.(world, sent.body, sent.payloadValue);
      }
      for (const problem of judge(route, ex, mutation, sent, before, after)) {
        stats.problems.push({ route: route.key, mutation: mutation.label, status: sent.status, problem, body: JSON.stringify(sent.body)?.slice(0, 300) });
      }
      before = after;
    }
  }
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return Math.abs(h);
}

export const emptyStats = (): FuzzStats => ({ requests: 0, byStatus: {}, accepted: {}, examples: {}, problems: [], routes: 0 });
