import { SessionInfo } from '../../contract/auth';
import { errors } from '../../contract/common';
import type { App, AppContext } from '../context';
import { signedIn } from '../authorize';
import { sessionInfo } from '../auth/sign-in';

export function registerSession(app: App, ctx: AppContext) {
  app.get(
    '/api/v1/auth/session',
    {
      schema: {
        summary: 'Who is signed in, at which clinics with which roles, and the CSRF token',
        tags: ['auth'],
        response: { 200: SessionInfo, ...errors(401) },
      },
    },
    async (req) => {
      const { staff, session, sessionToken } = signedIn(req);
      return sessionInfo(ctx, ctx.db.orm, staff, session, sessionToken);
    },
  );
}
