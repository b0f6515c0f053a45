import { passwordProblems } from '../domain/auth/password-policy';
import { defaultClinicSettings } from '../domain/clinic/clinic-settings';
import { createClinic } from '../store/clinics';
import { countStaff, createStaff, setRoles } from '../store/staff';
import { inTransaction, SYSTEM_ACTOR } from '../store/transaction';
import type { AppContext } from './context';
import { newTemporaryPassword } from './auth/tokens';

export const GENERATED_ADMIN_EMAIL = 'admin@openhat.local';

export interface FirstAdministrator {
  email: string;
  /** Set only when openhat made the password up; it must be changed at first sign-in. */
  generatedPassword: string | null;
  clinicId: string;
}

export class FirstAdministratorError extends Error {}

/**
 * On an empty database, create the first clinic and its administrator (who also administers the
 * deployment), so that a new installation can be signed into at once. With no email and password
 * given, openhat makes up a temporary password to be changed at first sign-in.
 * Does nothing when any account exists.
 */
export async function ensureFirstAdministrator(
  ctx: Pick<AppContext, 'db' | 'clock' | 'passwords'>,
  given: { email: string; password: string; displayName?: string; clinicName?: string } | null,
): Promise<FirstAdministrator | null> {
  if ((await countStaff(ctx.db.orm)) > 0) return null;
  const email = given?.email ?? GENERATED_ADMIN_EMAIL;
  const password = given?.password ?? newTemporaryPassword();
  if (given) {
    const problems = passwordProblems(given.password, { email: given.email }, 'password');
    if (problems.length > 0) {
      throw new FirstAdministratorError(`the administrator's password ${problems.map((p) => p.message).join('; ')}`);
    }
  }
  const passwordHash = await ctx.passwords.hash(password);
  return inTransaction(ctx.db, ctx.clock, SYSTEM_ACTOR, async (w) => {
    if ((await countStaff(w.tx)) > 0) return null;
    const clinicId = await createClinic(w, defaultClinicSettings(given?.clinicName ?? 'My clinic'), 'first start');
    const admin = await createStaff(
      w,
      {
        email,
        displayName: given?.displayName ?? 'Administrator',
        passwordHash,
        mustChangePassword: given === null,
        deploymentAdmin: true,
      },
      clinicId,
    );
    await setRoles(w, clinicId, admin.staffId, ['admin']);
    return { email, generatedPassword: given ? null : password, clinicId };
  });
}
