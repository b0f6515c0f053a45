import type { FastifyRequest } from 'fastify';
import { mayManageAccount } from '../domain/staff/account-management';
import type { Orm } from '../store/database';
import { clinicStaff, getStaff, rolesByClinic, type ClinicStaffMember, type StaffRow } from '../store/staff';
import { signedIn } from './authorize';
import { clinicIdOf } from './clinic-output';
import { forbidden, notFound } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function staffOut(m: ClinicStaffMember) {
  return {
    staffId: m.staffId,
    email: m.email,
    displayName: m.displayName,
    active: m.active,
    mustChangePassword: m.mustChangePassword,
    lockedUntil: m.lockedUntil?.toISOString() ?? null,
    roles: m.roles,
    registration: m.registration,
  };
}

/** A member of staff of the clinic in the URL; anyone else is "not found", wherever else they work. */
export async function memberOfThisClinic(orm: Orm, req: FastifyRequest): Promise<ClinicStaffMember> {
  const staffId = (req.params as { staffId: string }).staffId;
  if (!UUID.test(staffId)) throw notFound('Staff member');
  const [member] = await clinicStaff(orm, clinicIdOf(req), staffId.toLowerCase());
  if (!member) throw notFound('Staff member');
  return member;
}

/** Credentials may be changed only by someone who administers every clinic the person works at. */
export async function ensureMayManage(orm: Orm, req: FastifyRequest, staffId: string): Promise<StaffRow> {
  const manager = signedIn(req).staff;
  const managerRoles = await rolesByClinic(orm, manager.staffId);
  const target = (await getStaff(orm, staffId))!;
  const decision = mayManageAccount(
    {
      deploymentAdmin: manager.deploymentAdmin,
      adminAtClinics: new Set([...managerRoles].filter(([, roles]) => roles.includes('admin')).map(([c]) => c)),
    },
    { deploymentAdmin: target.deploymentAdmin, clinics: new Set((await rolesByClinic(orm, staffId)).keys()) },
  );
  if (!decision.allowed) throw forbidden(decision.reason, 'account_managed_elsewhere');
  return target;
}
