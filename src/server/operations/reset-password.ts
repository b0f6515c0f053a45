import { errors } from '../../contract/common';
import { ResetPasswordRequest, StaffMember, StaffParams } from '../../contract/staff';
import { passwordProblems } from '../../domain/auth/password-policy';
import { revokeAllAuthSessions } from '../../store/auth-sessions';
import { clinicStaff, setPassword } from '../../store/staff';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { invalid } from '../errors';
import { ensureMayManage, memberOfThisClinic, staffOut } from '../staff-access';
import { sendWrite } from '../write';

/** Give someone a temporary password (they must change it at sign-in) and end their sessions. */
export function registerResetPassword(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/clinics/:clinicId/staff/:staffId/reset-password',
    {
      schema: {
        summary: 'Set a temporary password for a staff member',
        tags: ['staff'],
        params: StaffParams,
        body: ResetPasswordRequest,
        response: { 200: StaffMember, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const member = await memberOfThisClinic(ctx.db.orm, req);
      await ensureMayManage(ctx.db.orm, req, member.staffId);
      const problems = passwordProblems(req.body.temporaryPassword, { email: member.email, name: member.displayName }, 'temporaryPassword');
      if (problems.length > 0) throw invalid(problems);
      const hash = await ctx.passwords.hash(req.body.temporaryPassword);
      return sendWrite(ctx, req, reply, 200, async (w) => {
        await setPassword(w, member.staffId, hash, true, clinicId, 'reset');
        await revokeAllAuthSessions(w, member.staffId, 'password_reset');
        const [after] = await clinicStaff(w.tx, clinicId, member.staffId);
        return staffOut(after!);
      });
    },
  );
}
