import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp } from '../../../test/support/test-app';
import { referredPerson } from '../../../test/support/clinical';

describe('perf', () => {
  let t: TestApp;
  beforeAll(async () => { t = await TestApp.open(); });
  afterAll(async () => t?.close());
  it('10k rows', async () => {
    t.clock.set('2026-03-02T09:00:00Z');
    const clinic = await t.newClinic();
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await referredPerson(clinic, { familyName: `P${i}` })).serviceUserId);
    const rows = ['service_user_id,date,status'];
    for (let i = 0; i < 10000; i++) { const d = new Date(Date.UTC(2025, 0, 1) + Math.floor(i / 30) * 86400000).toISOString().slice(0, 10); rows.push(`${ids[i % 30]},${d},collected`); }
    const start = Date.now();
    const res = await clinic.admin.client.post(clinic.url('/methadone-collections/imports'), { csv: rows.join('\n'), mode: 'all_or_nothing', dryRun: true });
    console.log('dry', res.status, Date.now() - start, res.body.rowsValid);
    const s2 = Date.now();
    const real = await clinic.admin.client.post(clinic.url('/methadone-collections/imports'), { csv: rows.join('\n'), mode: 'all_or_nothing' });
    console.log('real', real.status, Date.now() - s2, real.body.rowsImported ?? JSON.stringify(real.body).slice(0, 300));
    expect(real.status).toBe(201);
  }, 600_000);
});
