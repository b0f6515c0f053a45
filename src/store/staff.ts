import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Registration, ProfessionalBody } from '../domain/staff/registration';
import type { Role } from '../domain/staff/roles';
import type { Orm } from './database';
import { staff, staffRoles } from './schema';
import type { WriteContext } from './transaction';

export type StaffRow = typeof staff.$inferSelect;

/** Staff fields that are safe to show and to put in audit details (never the password hash). */
export interface StaffProfile {
  staffId: string;
  email: string;
  displayName: string;
  active: boolean;
  deploymentAdmin: boolean;
  mustChangePassword: boolean;
  lockedUntil: Date | null;
  registration: ProfessionalRegistration;
}

export type ProfessionalRegistration = Registration;

export function toProfile(row: StaffRow): StaffProfile {
  return {
    staffId: row.staffId,
    email: row.email,
    displayName: row.displayName,
    active: row.active,
    deploymentAdmin: row.deploymentAdmin,
    mustChangePassword: row.mustChangePassword,
    lockedUntil: row.lockedUntil,
    registration: {
      professionalBody: row.professionalBody as ProfessionalBody | null,
      registrationNumber: row.registrationNumber,
      homeOfficeLicenceNumber: row.homeOfficeLicenceNumber,
      homeOfficeLicenceExpiry: row.homeOfficeLicenceExpiry,
    },
  };
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findStaffByEmail(orm: Orm, email: string): Promise<StaffRow | null> {
  const rows = await orm.select().from(staff).where(eq(staff.email, normaliseEmail(email))).limit(1);
  return rows[0] ?? null;
}

export async function getStaff(orm: Orm, staffId: string): Promise<StaffRow | null> {
  const rows = await orm.select().from(staff).where(eq(staff.staffId, staffId)).limit(1);
  return rows[0] ?? null;
}

/** The row, locked until the transaction ends, so that concurrent sign-in failures count one by one. */
export async function getStaffForUpdate(orm: Orm, staffId: string): Promise<StaffRow | null> {
  const rows = await orm.select().from(staff).where(eq(staff.staffId, staffId)).for('update');
  return rows[0] ?? null;
}

export async function countStaff(orm: Orm): Promise<number> {
  const rows = await orm.select({ n: sql<number>`count(*)::int` }).from(staff);
  return rows[0]?.n ?? 0;
}

export interface NewStaff {
  email: string;
  displayName: string;
  passwordHash: string;
  mustChangePassword: boolean;
  deploymentAdmin?: boolean;
}

export async function createStaff(w: WriteContext, input: NewStaff, clinicId: string | null): Promise<StaffRow> {
  const row = {
    staffId: uuidv7(),
    email: normaliseEmail(input.email),
    displayName: input.displayName.trim(),
    passwordHash: input.passwordHash,
    mustChangePassword: input.mustChangePassword,
    deploymentAdmin: input.deploymentAdmin ?? false,
    passwordChangedAt: w.now,
    createdAt: w.now,
  };
  const [inserted] = await w.tx.insert(staff).values(row).returning();
  await w.audit({
    clinicId,
    action: 'create',
    entityType: 'staff',
    entityId: row.staffId,
    details: { email: row.email, displayName: row.displayName, deploymentAdmin: row.deploymentAdmin },
  });
  return inserted!;
}

/** Each clinic a person works at, with their roles there. */
export async function rolesByClinic(orm: Orm, staffId: string): Promise<Map<string, Role[]>> {
  const rows = await orm
    .select({ clinicId: staffRoles.clinicId, role: staffRoles.role })
    .from(staffRoles)
    .where(eq(staffRoles.staffId, staffId))
    .orderBy(asc(staffRoles.clinicId), asc(staffRoles.role));
  const map = new Map<string, Role[]>();
  for (const row of rows) {
    const list = map.get(row.clinicId) ?? [];
    list.push(row.role as Role);
    map.set(row.clinicId, list);
  }
  return map;
}

export async function rolesAt(orm: Orm, clinicId: string, staffId: string): Promise<Role[]> {
  const rows = await orm
    .select({ role: staffRoles.role })
    .from(staffRoles)
    .where(and(eq(staffRoles.clinicId, clinicId), eq(staffRoles.staffId, staffId)))
    .orderBy(asc(staffRoles.role));
  return rows.map((r) => r.role as Role);
}

export interface ClinicStaffMember extends StaffProfile {
  roles: Role[];
}

export async function clinicStaff(orm: Orm, clinicId: string, onlyStaffId?: string): Promise<ClinicStaffMember[]> {
  const rows = await orm
    .select({ person: staff, role: staffRoles.role })
    .from(staffRoles)
    .innerJoin(staff, eq(staff.staffId, staffRoles.staffId))
    .where(
      onlyStaffId
        ? and(eq(staffRoles.clinicId, clinicId), eq(staffRoles.staffId, onlyStaffId))
        : eq(staffRoles.clinicId, clinicId),
    )
    .orderBy(asc(staff.displayName), asc(staffRoles.role));
  const byId = new Map<string, ClinicStaffMember>();
  for (const { person, role } of rows) {
    const member = byId.get(person.staffId) ?? { ...toProfile(person), roles: [] };
    member.roles.push(role as Role);
    byId.set(person.staffId, member);
  }
  return [...byId.values()];
}

/** Replace someone's roles at one clinic; an empty list removes them from the clinic. */
export async function setRoles(w: WriteContext, clinicId: string, staffId: string, roles: readonly Role[]): Promise<void> {
  const before = await rolesAt(w.tx, clinicId, staffId);
  const wanted = [...new Set(roles)].sort();
  const removed = before.filter((r) => !wanted.includes(r));
  const added = wanted.filter((r) => !before.includes(r));
  if (removed.length > 0) {
    await w.tx
      .delete(staffRoles)
      .where(and(eq(staffRoles.clinicId, clinicId), eq(staffRoles.staffId, staffId), inArray(staffRoles.role, removed)));
  }
  if (added.length > 0) {
    await w.tx
      .insert(staffRoles)
      .values(added.map((role) => ({ clinicId, staffId, role, grantedAt: w.now, grantedBy: w.actor.staffId })));
  }
  await w.audit({
    clinicId,
    action: 'update',
    entityType: 'staff_roles',
    entityId: staffId,
    details: { before, after: wanted },
  });
}

export async function recordLoginOutcome(
  w: WriteContext,
  staffId: string,
  state: { failedCount: number; lockedUntil: Date | null },
): Promise<void> {
  await w.tx
    .update(staff)
    .set({ failedLoginCount: state.failedCount, lockedUntil: state.lockedUntil })
    .where(eq(staff.staffId, staffId));
}

export async function setPassword(
  w: WriteContext,
  staffId: string,
  passwordHash: string,
  mustChangePassword: boolean,
  clinicId: string | null,
  reason: 'changed' | 'reset',
): Promise<void> {
  await w.tx
    .update(staff)
    .set({ passwordHash, mustChangePassword, passwordChangedAt: w.now, failedLoginCount: 0, lockedUntil: null })
    .where(eq(staff.staffId, staffId));
  await w.audit({
    clinicId,
    action: reason === 'changed' ? 'change_password' : 'reset_password',
    entityType: 'staff',
    entityId: staffId,
    details: { mustChangePassword },
  });
}

export async function unlockAccount(w: WriteContext, staffId: string, clinicId: string): Promise<void> {
  await w.tx.update(staff).set({ failedLoginCount: 0, lockedUntil: null }).where(eq(staff.staffId, staffId));
  await w.audit({ clinicId, action: 'unlock', entityType: 'staff', entityId: staffId });
}

export async function updateProfile(
  w: WriteContext,
  clinicId: string,
  before: StaffRow,
  change: Partial<ProfessionalRegistration> & { displayName?: string },
): Promise<StaffRow> {
  const [after] = await w.tx.update(staff).set(change).where(eq(staff.staffId, before.staffId)).returning();
  const beforeProfile = toProfile(before);
  const afterProfile = toProfile(after!);
  await w.audit({
    clinicId,
    action: 'update',
    entityType: 'staff',
    entityId: before.staffId,
    details: {
      before: { displayName: beforeProfile.displayName, ...beforeProfile.registration },
      after: { displayName: afterProfile.displayName, ...afterProfile.registration },
    },
  });
  return after!;
}
