import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { absoluteExpiry } from '../../domain/auth/session-expiry';
import { dateToInstant } from '../../domain/time/clock';
import type { SessionInfo } from '../../contract/auth';
import { createAuthSession, type AuthSessionRow } from '../../store/auth-sessions';
import { listClinics } from '../../store/clinics';
import type { Orm } from '../../store/database';
import { getSecondFactor } from '../../store/second-factor';
import { rolesByClinic, type StaffRow } from '../../store/staff';
import type { WriteContext } from '../../store/transaction';
import type { AppContext } from '../context';
import { SESSION_COOKIE } from '../authorize';
import { csrfTokenFor, hashToken, newToken } from './tokens';

/** A new session for a member of staff: a fresh token, never one the browser already had. */
export async function startSession(
  w: WriteContext,
  staff: StaffRow,
  secondFactorPending: 'enrolment_required' | 'code_required' | null = null,
): Promise<{ session: AuthSessionRow; token: string }> {
  const token = newToken();
  const session = await createAuthSession(w, { staffId: staff.staffId, tokenHash: hashToken(token), secondFactorPending });
  return { session, token };
}

export function setSessionCookie(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, token: string): void {
  const secure = ctx.config.cookieSecure === 'auto' ? req.protocol === 'https' : ctx.config.cookieSecure;
  // No Max-Age: the cookie goes when the browser closes, which suits shared machines at the hatch.
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

export async function sessionInfo(
  ctx: AppContext,
  orm: Orm,
  staff: StaffRow,
  session: AuthSessionRow,
  token: string,
): Promise<z.infer<typeof SessionInfo>> {
  const pending = session.secondFactorPending ?? null;
  // Until the second factor is passed, the session says nothing about where the person works.
  const roles = pending ? new Map<string, never[]>() : await rolesByClinic(orm, staff.staffId);
  const clinics = pending ? [] : await listClinics(orm, [...roles.keys()]);
  const factor = await getSecondFactor(orm, staff.staffId);
  return {
    staff: {
      staffId: staff.staffId,
      email: staff.email,
      displayName: staff.displayName,
      deploymentAdmin: staff.deploymentAdmin,
      mustChangePassword: staff.mustChangePassword,
      secondFactorEnrolled: !!factor?.confirmedAt,
    },
    secondFactor: pending,
    clinics: clinics.map((c) => ({ clinicId: c.clinicId, clinicName: c.name, roles: roles.get(c.clinicId) ?? [] })),
    csrfToken: csrfTokenFor(token),
    expiresAt: absoluteExpiry({ createdAt: dateToInstant(session.createdAt) }, ctx.config.session).toString(),
    idleMinutes: ctx.config.session.idleMinutes,
  };
}
