import { errors, Ok } from '../../contract/common';
import { revokeAuthSession } from '../../store/auth-sessions';
import type { App, AppContext } from '../context';
import { signedIn } from '../authorize';
import { clearSessionCookie } from '../auth/sign-in';
import { sendWrite } from '../write';

export function registerLogout(app: App, ctx: AppContext) {
  app.post(
    '/api/v1/auth/logout',
    { schema: { summary: 'Sign out: ends this session', tags: ['auth'], response: { 200: Ok, ...errors(401) } } },
    async (req, reply) => {
      const { session } = signedIn(req);
      clearSessionCookie(reply);
      return sendWrite(ctx, req, reply, 200, async (w) => {
        await revokeAuthSession(w, session.sessionId, 'signed_out');
        await w.audit({ clinicId: null, action: 'logout', entityType: 'auth_session', entityId: session.sessionId });
        return { ok: true as const };
      });
    },
  );
}
