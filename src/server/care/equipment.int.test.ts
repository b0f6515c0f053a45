import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp } from '../../../test/support/test-app';
import { licensedPrescriber, personInInduction } from '../../../test/support/clinical';

describe.skipIf(postgresSkipped())('injecting equipment', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  async function setUp() {
    t.clock.set('2026-03-02T10:00:00Z');
    const clinic = await t.newClinic();
    const doctor = await licensedPrescriber(t, clinic);
    const person = await personInInduction(t, clinic, doctor);
    const hca = await t.newStaff(clinic.clinicId, ['hca']);
    return { clinic, person, hca, path: clinic.url(`/service-users/${person.serviceUserId}/equipment`) };
  }

  const exchange = {
    given: [
      { item: 'needles', quantity: 20, description: 'orange 25G' },
      { item: 'syringes', quantity: 20 },
      { item: 'filters', quantity: 20 },
      { item: 'other', quantity: 2, description: 'tourniquet' },
    ],
    sharpsReturned: { bins: 1, loose: 3 },
  };

  it('records what was given and returned; a return of sharps alone is an exchange too; corrections keep the history', async () => {
    const { clinic, hca, path } = await setUp();
    const made = await hca.client.post(path, exchange);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.data).toEqual({
      given: [
        { item: 'needles', quantity: 20, description: 'orange 25G' },
        { item: 'syringes', quantity: 20, description: null },
        { item: 'filters', quantity: 20, description: null },
        { item: 'other', quantity: 2, description: 'tourniquet' },
      ],
      sharpsReturned: { bins: 1, loose: 3 },
      notes: null,
    });
    const returnOnly = await hca.client.post(path, { sharpsReturned: { bins: 2, loose: 0 }, notes: 'Returned for a friend too' });
    expect(returnOnly.status, JSON.stringify(returnOnly.body)).toBe(201);
    expect(returnOnly.body.data.given).toEqual([]);

    const fixed = await hca.client.post(clinic.url(`/equipment/${made.body.recordId}/corrections`), { reason: 'counted 10 needles, not 20', data: { ...exchange, given: [{ item: 'needles', quantity: 10 }] } });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(201);
    expect(fixed.body).toMatchObject({ version: 2, reason: 'counted 10 needles, not 20' });
    const versions = (await hca.client.get(clinic.url(`/equipment/${made.body.recordId}`))).body.versions;
    expect(versions.map((v: { data: { given: { quantity: number }[] } }) => v.data.given[0]!.quantity)).toEqual([20, 10]);
    expect((await hca.client.get(path)).body.records).toHaveLength(2);
  });

  it('refuses an empty exchange and bad items, naming the field; writes nothing', async () => {
    const { hca, path } = await setUp();
    const empty = await hca.client.post(path, { given: [], sharpsReturned: { bins: 0, loose: 0 } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.field).toBe('given');
    const undescribed = await hca.client.post(path, { given: [{ item: 'needles', quantity: 5 }, { item: 'other', quantity: 1 }] });
    expect(undescribed.status).toBe(400);
    expect(undescribed.body.error.field).toBe('given[1].description');
    const tooMany = await hca.client.post(path, { given: [{ item: 'swabs', quantity: 501 }] });
    expect(tooMany.body.error.field).toBe('given[0].quantity');
    const bins = await hca.client.post(path, { given: [{ item: 'swabs', quantity: 5 }], sharpsReturned: { bins: 21, loose: 0 } });
    expect(bins.body.error.field).toBe('sharpsReturned.bins');
    expect((await hca.client.get(path)).body.records).toEqual([]);
  });

  it('the CD accountable officer reads but does not record; a commissioner sees nothing', async () => {
    const { clinic, path } = await setUp();
    const cd = await t.newStaff(clinic.clinicId, ['cd_accountable']);
    expect((await cd.client.post(path, exchange)).status).toBe(403);
    expect((await cd.client.get(path)).status).toBe(200);
    const commissioner = await t.newStaff(clinic.clinicId, ['commissioner']);
    expect((await commissioner.client.get(path)).status).toBe(403);
    const keyworker = await t.newStaff(clinic.clinicId, ['keyworker']);
    expect((await keyworker.client.post(path, exchange)).status).toBe(201);
  });
});
