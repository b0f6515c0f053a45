import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { readStoredClinicSettings, type ClinicSettings } from '../domain/clinic/clinic-settings';
import type { Orm } from './database';
import { clinicSettings, clinics, staffRoles } from './schema';
import type { WriteContext } from './transaction';

export interface ClinicSettingsVersion {
  clinicId: string;
  version: number;
  settings: ClinicSettings;
  reason: string | null;
  changedAt: Date;
  changedBy: string | null;
}

export async function createClinic(w: WriteContext, settings: ClinicSettings, reason = 'clinic created'): Promise<string> {
  const clinicId = uuidv7();
  await w.tx.insert(clinics).values({ clinicId, createdAt: w.now, createdBy: w.actor.staffId });
  await w.tx.insert(clinicSettings).values({
    clinicId,
    version: 1,
    settings,
    reason,
    changedAt: w.now,
    changedBy: w.actor.staffId,
  });
  await w.audit({ clinicId, action: 'create', entityType: 'clinic', entityId: clinicId, details: { settings } });
  return clinicId;
}

export async function currentSettings(orm: Orm, clinicId: string): Promise<ClinicSettingsVersion | null> {
  const rows = await orm
    .select()
    .from(clinicSettings)
    .where(eq(clinicSettings.clinicId, clinicId))
    .orderBy(desc(clinicSettings.version))
    .limit(1);
  const row = rows[0];
  return row ? { ...row, settings: readStoredClinicSettings(row.settings) } : null;
}

export async function settingsHistory(orm: Orm, clinicId: string): Promise<ClinicSettingsVersion[]> {
  const rows = await orm
    .select()
    .from(clinicSettings)
    .where(eq(clinicSettings.clinicId, clinicId))
    .orderBy(desc(clinicSettings.version));
  return rows.map((row) => ({ ...row, settings: readStoredClinicSettings(row.settings) }));
}

export class StaleVersionError extends Error {
  constructor(readonly current: number) {
    super(`the settings have changed since you loaded them (now version ${current}); reload and try again`);
  }
}

/** A new version of the settings; `expectedVersion` stops two administrators overwriting each other. */
export async function changeSettings(
  w: WriteContext,
  clinicId: string,
  settings: ClinicSettings,
  reason: string,
  expectedVersion: number,
): Promise<ClinicSettingsVersion> {
  const current = await currentSettings(w.tx, clinicId);
  if (!current) throw new Error(`clinic ${clinicId} has no settings`);
  if (current.version !== expectedVersion) throw new StaleVersionError(current.version);
  const next = {
    clinicId,
    version: current.version + 1,
    settings,
    reason,
    changedAt: w.now,
    changedBy: w.actor.staffId,
  };
  await w.tx.insert(clinicSettings).values(next);
  await w.audit({
    clinicId,
    action: 'update',
    entityType: 'clinic_settings',
    entityId: `${clinicId}/v${next.version}`,
    details: { reason, before: current.settings, after: settings },
  });
  return next;
}

export interface ClinicSummary {
  clinicId: string;
  name: string;
  timeZone: string;
  createdAt: Date;
}

/** Clinics with their current name; all of them, or only those listed. */
export async function listClinics(orm: Orm, only?: readonly string[]): Promise<ClinicSummary[]> {
  if (only && only.length === 0) return [];
  const latest = orm
    .selectDistinctOn([clinicSettings.clinicId], {
      clinicId: clinicSettings.clinicId,
      settings: clinicSettings.settings,
    })
    .from(clinicSettings)
    .where(only ? inArray(clinicSettings.clinicId, [...only]) : sql`true`)
    .orderBy(clinicSettings.clinicId, desc(clinicSettings.version))
    .as('latest');
  const rows = await orm
    .select({ clinicId: clinics.clinicId, createdAt: clinics.createdAt, settings: latest.settings })
    .from(clinics)
    .innerJoin(latest, eq(latest.clinicId, clinics.clinicId));
  return rows
    .map((row) => {
      const settings = readStoredClinicSettings(row.settings);
      return { clinicId: row.clinicId, name: settings.name, timeZone: settings.timeZone, createdAt: row.createdAt };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function clinicExists(orm: Orm, clinicId: string): Promise<boolean> {
  const rows = await orm.select({ id: clinics.clinicId }).from(clinics).where(eq(clinics.clinicId, clinicId)).limit(1);
  return rows.length > 0;
}

export async function countClinics(orm: Orm): Promise<number> {
  const rows = await orm.select({ n: sql<number>`count(*)::int` }).from(clinics);
  return rows[0]?.n ?? 0;
}

/** Whether a staff member holds any role at the clinic. */
export async function isMember(orm: Orm, clinicId: string, staffId: string): Promise<boolean> {
  const rows = await orm
    .select({ role: staffRoles.role })
    .from(staffRoles)
    .where(and(eq(staffRoles.clinicId, clinicId), eq(staffRoles.staffId, staffId)))
    .limit(1);
  return rows.length > 0;
}
