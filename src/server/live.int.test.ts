import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../test/support/test-database';
import { TestApp } from '../../test/support/test-app';

/** Everyone in the room sees changes without reloading: a write at the clinic reaches open streams. */
describe.skipIf(postgresSkipped())('live updates', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await TestApp.open();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => t?.close());

  it('a write at the clinic is announced on its event stream, and not on another clinic\'s', async () => {
    const clinic = await t.newClinic();
    const other = await t.newClinic();
    const open = (who: typeof clinic.admin, url: string) => {
      const controller = new AbortController();
      const response = fetch(`${base}${url}`, { headers: { cookie: who.client.cookie! }, signal: controller.signal });
      return { response, controller };
    };
    const mine = open(clinic.admin, clinic.url('/events'));
    const theirs = open(other.admin, other.url('/events'));
    const reader = (await mine.response).body!.getReader();
    const otherReader = (await theirs.response).body!.getReader();
    const decoder = new TextDecoder();
    expect(decoder.decode((await reader.read()).value)).toContain(': connected');
    expect(decoder.decode((await otherReader.read()).value)).toContain(': connected');

    await clinic.admin.client.post(clinic.url('/staff'), { email: `live-${Date.now()}@c.test`, displayName: 'Live', roles: ['hca'], temporaryPassword: 'temporary pass phrase' });
    const message = decoder.decode((await reader.read()).value);
    expect(message).toContain('event: change');
    expect(message).toContain('"path":"/staff"');

    const nothing = await Promise.race([otherReader.read().then(() => 'message'), new Promise((r) => setTimeout(() => r('silence'), 300))]);
    expect(nothing).toBe('silence');
    mine.controller.abort();
    theirs.controller.abort();
  });

  it('refuses the stream to someone without a role at the clinic', async () => {
    const clinic = await t.newClinic();
    const outsider = await t.newClinic();
    const res = await outsider.admin.client.get(clinic.url('/events?once=1'));
    expect(res.status).toBe(404);
  });
});
