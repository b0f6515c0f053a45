import { ChangePasswordRequest, SessionInfo } from '../../contract/auth';
import { errors } from '../../contract/common';
import { passwordProblems } from '../../domain/auth/password-policy';
import { revokeAllAuthSessions } from '../../store/auth-sessions';
import { getStaff, setPassword } from '../../store/staff';
import { inTransaction } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { signedIn } from '../authorize';
import { badRequest, invalid } from '../errors';
import { sessionInfo, setSessionCookie, startSession } from '../auth/sign-in';

/**
 * Change your own password. Every session of yours ends, this one included, and you carry on in
 * a new one: whoever had another of your sessions (or this one's token) is signed out.
 */
export function registerChangePassword(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/auth/password',
    {
      schema: {
        summary: 'Change your password',
        tags: ['auth'],
        body: ChangePasswordRequest,
        response: { 200: SessionInfo, ...errors(400, 401) },
      },
    },
    async (req, reply) => {
      const { staff } = signedIn(req);
      const { currentPassword, newPassword } = req.body;
      if (!(await ctx.passwords.verify(staff.passwordHash, currentPassword))) {
        throw badRequest('currentPassword', 'is not your current password', 'wrong_password');
      }
      const problems = passwordProblems(newPassword, { email: staff.email, name: staff.displayName }, 'newPassword');
      if (newPassword === currentPassword) problems.push({ field: 'newPassword', message: 'must differ from the current password' });
      if (problems.length > 0) throw invalid(problems);
      const hash = await ctx.passwords.hash(newPassword);
      const { info, token } = await inTransaction(ctx.db, ctx.clock, req.actor, async (w) => {
        await setPassword(w, staff.staffId, hash, false, null, 'changed');
        await revokeAllAuthSessions(w, staff.staffId, 'password_changed');
        const updated = (await getStaff(w.tx, staff.staffId))!;
        const started = await startSession(w, updated);
        return { info: await sessionInfo(ctx, w.tx, updated, started.session, started.token), token: started.token };
      });
      setSessionCookie(ctx, req, reply, token);
      return info;
    },
  );
}
