import { errors } from '../../contract/common';
import { CreatePortalAccountRequest, PortalAccount, PortalAccountParams, PortalAccountResponse, UpdatePortalAccountRequest } from '../../contract/portal';
import type { ClinicSettings } from '../../domain/clinic/clinic-settings';
import { sessionStatus } from '../../domain/auth/session-expiry';
import { normaliseUsername, portalAccountRefusals, portalPasswordProblems, usernameProblems, type PersonNames } from '../../domain/portal/portal-account';
import { portalSessionPolicy } from '../../domain/portal/portal-session';
import { dateToInstant } from '../../domain/time/clock';
import type { Orm } from '../../store/database';
import {
  findPortalAccountByUsername,
  getPortalAccount,
  insertPortalAccount,
  lockPortalAccount,
  portalSessionsOf,
  revokeAllPortalSessions,
  updatePortalAccount,
  type PortalAccountRow,
} from '../../store/portal';
import { currentVersion, lockServiceUser } from '../../store/service-users';
import { auditRead } from '../../store/transaction';
import type { App, AppContext } from '../context';
import { clinicIdOf } from '../clinic-output';
import { badRequest, conflict, invalid, notFound, refused, sqlState } from '../errors';
import { idParam } from '../clinical/output';
import { sendWrite } from '../write';
import { clinicSettingsOf, inTreatment } from './portal-auth';

const PATH = '/api/v1/clinics/:clinicId/service-users/:serviceUserId/portal-account';

async function accountOut(orm: Orm, account: PortalAccountRow, settings: ClinicSettings, now: Date) {
  const sessions = await portalSessionsOf(orm, account.clinicId, account.serviceUserId);
  const policy = portalSessionPolicy(settings.portal);
  const at = dateToInstant(now);
  const active = sessions.filter(
    (s) =>
      sessionStatus({ createdAt: dateToInstant(s.createdAt), lastSeenAt: dateToInstant(s.lastSeenAt), revokedAt: s.revokedAt ? dateToInstant(s.revokedAt) : null }, at, policy) ===
      'active',
  );
  return {
    serviceUserId: account.serviceUserId,
    username: account.username,
    enabled: account.enabled,
    mustChangePassword: account.mustChangePassword,
    lockedUntil: account.lockedUntil && account.lockedUntil > now ? account.lockedUntil.toISOString() : null,
    passwordChangedAt: account.passwordChangedAt.toISOString(),
    createdAt: account.createdAt.toISOString(),
    createdBy: account.createdBy,
    lastSignInAt: sessions[0]?.createdAt.toISOString() ?? null,
    activeSessions: account.enabled && settings.portal.enabled ? active.length : 0,
  };
}

async function namesOf(orm: Orm, clinicId: string, serviceUserId: string): Promise<PersonNames> {
  const version = await currentVersion(orm, clinicId, serviceUserId);
  if (!version) throw notFound('Service user');
  return { givenName: version.record.givenName, familyName: version.record.familyName, preferredName: version.record.preferredName ?? null };
}

/**
 * Staff open, switch off and reset a service user's portal account. Opening needs the clinic's
 * portal switched on, the person in treatment, and their consent recorded (explained; warned about
 * shared phones and coercion). Switching off, or a new temporary password, ends their sessions at once.
 */
export function registerPortalAccounts(app: App, ctx: AppContext) {
  app.get(
    PATH,
    {
      schema: {
        summary: "A service user's portal account, if they have one, and whether the clinic's portal is on",
        tags: ['portal'],
        params: PortalAccountParams,
        response: { 200: PortalAccountResponse, ...errors(401, 403, 404) },
      },
    },
    async (req) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      await namesOf(ctx.db.orm, clinicId, serviceUserId);
      const settings = await clinicSettingsOf(ctx.db.orm, clinicId);
      const account = await getPortalAccount(ctx.db.orm, clinicId, serviceUserId);
      await auditRead(ctx.db, ctx.clock, req.actor, { clinicId, entityType: 'portal_account', entityId: serviceUserId });
      return { portalEnabled: settings.portal.enabled, account: account ? await accountOut(ctx.db.orm, account, settings, new Date(ctx.clock.now().epochMilliseconds)) : null };
    },
  );

  app.post(
    PATH,
    {
      schema: {
        summary: 'Open a portal account for a service user in treatment (opt-in, with their consent); the password is temporary',
        tags: ['portal'],
        params: PortalAccountParams,
        body: CreatePortalAccountRequest,
        response: { 201: PortalAccount, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      const names = await namesOf(ctx.db.orm, clinicId, serviceUserId);
      const username = normaliseUsername(req.body.username);
      const problems = [...usernameProblems(username, names), ...portalPasswordProblems(req.body.temporaryPassword, { ...names, username }, 'temporaryPassword')];
      if (problems.length > 0) throw invalid(problems);
      const hash = await ctx.passwords.hash(req.body.temporaryPassword);
      return sendWrite(ctx, req, reply, 201, async (w) => {
        await lockServiceUser(w.tx, clinicId, serviceUserId);
        const settings = await clinicSettingsOf(w.tx, clinicId);
        const refusals = portalAccountRefusals({ portalEnabled: settings.portal.enabled, inTreatment: await inTreatment(w.tx, clinicId, serviceUserId) });
        if (refusals.length > 0) throw refused(refusals);
        if (await getPortalAccount(w.tx, clinicId, serviceUserId)) {
          throw conflict('portal_account_exists', 'This person already has a portal account: switch it on, or give it a new temporary password');
        }
        const taken = () => conflict('username_taken', 'This username is already in use; choose another');
        if (await findPortalAccountByUsername(w.tx, username)) throw taken();
        let account: PortalAccountRow;
        try {
          account = await insertPortalAccount(w, { clinicId, serviceUserId, username, passwordHash: hash });
        } catch (err) {
          if (sqlState(err) === '23505') throw taken(); // someone took it a moment ago
          throw err;
        }
        await w.audit({ clinicId, action: 'create', entityType: 'portal_account', entityId: serviceUserId, details: { username, consent: req.body.consent } });
        return accountOut(w.tx, account, settings, w.now);
      });
    },
  );

  app.patch(
    PATH,
    {
      schema: {
        summary: "Switch a service user's portal account off or on, or give it a new temporary password (with a reason); either ends its sessions",
        tags: ['portal'],
        params: PortalAccountParams,
        body: UpdatePortalAccountRequest,
        response: { 200: PortalAccount, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (req, reply) => {
      const clinicId = clinicIdOf(req);
      const serviceUserId = idParam(req, 'serviceUserId', 'Service user');
      const names = await namesOf(ctx.db.orm, clinicId, serviceUserId);
      const existing = await getPortalAccount(ctx.db.orm, clinicId, serviceUserId);
      if (!existing) throw notFound('Portal account');
      const { enabled, temporaryPassword, consent, reason } = req.body;
      if (enabled === true && !existing.enabled && !consent) {
        throw badRequest('consent', 'is needed to switch an account back on: explain the portal again and give the shared-phone warning');
      }
      if (temporaryPassword !== undefined) {
        const problems = portalPasswordProblems(temporaryPassword, { ...names, username: existing.username }, 'temporaryPassword');
        if (problems.length > 0) throw invalid(problems);
      }
      const hash = temporaryPassword !== undefined ? await ctx.passwords.hash(temporaryPassword) : null;
      return sendWrite(ctx, req, reply, 200, async (w) => {
        const before = await lockPortalAccount(w.tx, clinicId, serviceUserId);
        if (!before) throw notFound('Portal account');
        const settings = await clinicSettingsOf(w.tx, clinicId);
        // Switching off is always allowed (it is the safe way); switching on is opening it again.
        if (enabled === true && !before.enabled) {
          const refusals = portalAccountRefusals({ portalEnabled: settings.portal.enabled, inTreatment: await inTreatment(w.tx, clinicId, serviceUserId) });
          if (refusals.length > 0) throw refused(refusals);
        }
        const after = await updatePortalAccount(w, clinicId, serviceUserId, {
          ...(enabled !== undefined ? { enabled } : {}),
          ...(hash !== null ? { passwordHash: hash, mustChangePassword: true, failedLoginCount: 0, lockedUntil: null, passwordChangedAt: w.now } : {}),
        });
        const ends = enabled === false ? 'account_disabled' : hash !== null ? 'password_reset' : null;
        const sessionsEnded = ends ? await revokeAllPortalSessions(w, clinicId, serviceUserId, ends) : 0;
        await w.audit({
          clinicId,
          action: 'update',
          entityType: 'portal_account',
          entityId: serviceUserId,
          details: {
            reason,
            enabled: { before: before.enabled, after: after.enabled },
            passwordReset: hash !== null,
            sessionsEnded,
            ...(consent ? { consent } : {}),
          },
        });
        return accountOut(w.tx, after, settings, w.now);
      });
    },
  );
}
