import { ClinicParams, errors } from '../../contract/common';
import { AddStaffRequest, AddStaffResponse } from '../../contract/staff';
import { passwordProblems } from '../../domain/auth/password-policy';
import { clinicStaff, createStaff, findStaffByEmail, setRoles } from '../../store/staff';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { badRequest, conflict, invalid } from '../errors';
import { staffOut } from '../staff-access';
import { sendWrite } from '../write';

/**
 * Add someone to a clinic's staff. A new email gets an account with a temporary password that must
 * be changed at first sign-in; an email that already has an account (someone who works at another
 * clinic too) is given roles here, and keeps their own password.
 */
export function registerAddStaff(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/clinics/:clinicId/staff',
    {
      schema: {
        summary: 'Add a member of staff to this clinic',
        tags: ['staff'],
        params: ClinicParams,
        body: AddStaffRequest,
        response: {
          201: AddStaffResponse,
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const { email, displayName, roles, temporaryPassword } = req.body;
      const existing = await findStaffByEmail(ctx.db.orm, email);
      let passwordHash: string | null = null;
      if (existing) {
        if ((await clinicStaff(ctx.db.orm, clinicId, existing.staffId)).length > 0) {
          throw conflict('already_staff_here', `${existing.email} already works at this clinic; change their roles instead`);
        }
      } else {
        if (!temporaryPassword) throw badRequest('temporaryPassword', 'is required for a new account');
        const problems = passwordProblems(temporaryPassword, { email, name: displayName }, 'temporaryPassword');
        if (problems.length > 0) throw invalid(problems);
        passwordHash = await ctx.passwords.hash(temporaryPassword);
      }
      return sendWrite(ctx, req, reply, 201, async (w) => {
        const person =
          existing ?? (await createStaff(w, { email, displayName, passwordHash: passwordHash!, mustChangePassword: true }, clinicId));
        await setRoles(w, clinicId, person.staffId, roles);
        const [member] = await clinicStaff(w.tx, clinicId, person.staffId);
        return { staff: staffOut(member!), existingAccount: existing !== null };
      });
    },
  );
}
