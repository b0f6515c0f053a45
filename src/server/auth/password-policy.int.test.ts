import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSkipped } from '../../../test/support/test-database';
import { TestApp, TEST_PASSWORD } from '../../../test/support/test-app';

describe.skipIf(postgresSkipped())('the offline common-password list on every route that sets a password', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.open();
  });
  afterAll(async () => t?.close());

  it('refuses a common password with a 400 naming the field and saying why, and writes nothing', async () => {
    const clinic = await t.newClinic();
    const nurse = await t.newStaff(clinic.clinicId, ['nurse']);
    const change = await nurse.client.post('/api/v1/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'Manchester2026!' });
    expect(change.status).toBe(400);
    expect(change.body.error.problems ?? [change.body.error]).toContainEqual(
      expect.objectContaining({ field: 'newPassword', message: expect.stringMatching(/most common passwords/) }),
    );
    // Still the old password.
    expect((await t.client().signIn(nurse.email)).status).toBe(200);

    const add = await clinic.admin.client.post(clinic.url('/staff'), {
      email: 'new.person@clinic.test',
      displayName: 'New Person',
      roles: ['hca'],
      temporaryPassword: '1qaz2wsx3edc',
    });
    expect(add.status).toBe(400);
    expect(JSON.stringify(add.body.error)).toMatch(/temporaryPassword.*most common passwords|most common passwords.*temporaryPassword/);
    expect((await clinic.admin.client.get(clinic.url('/staff'))).body.staff?.some?.((s: { email: string }) => s.email === 'new.person@clinic.test') ?? false).toBe(false);

    const reset = await clinic.admin.client.post(clinic.url(`/staff/${nurse.staffId}/reset-password`), { temporaryPassword: 'Sunshine2026!!' });
    expect(reset.status).toBe(400);
    expect(JSON.stringify(reset.body.error)).toMatch(/most common passwords/);
  });
});
