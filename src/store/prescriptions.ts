import { and, asc, eq, inArray } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import type { PrescriptionContent } from '../domain/prescription/prescription';
import type { VersionTiming } from '../domain/prescription/versions';
import type { Orm } from './database';
import { prescriptionVersions } from './schema';
import type { WriteContext } from './transaction';

export interface StoredPrescriptionVersion extends VersionTiming {
  serviceUserId: string;
  episodeId: string;
  content: PrescriptionContent;
  reason: string;
  signedBy: string;
}

function toStored(row: typeof prescriptionVersions.$inferSelect): StoredPrescriptionVersion {
  return {
    serviceUserId: row.serviceUserId,
    episodeId: row.episodeId,
    version: row.version,
    content: row.content as PrescriptionContent,
    reason: row.reason,
    signedBy: row.signedBy,
    signedAt: Temporal.Instant.fromEpochMilliseconds(row.signedAt.getTime()),
    effectiveFrom: Temporal.Instant.fromEpochMilliseconds(row.effectiveFrom.getTime()),
  };
}

/** A person's prescription versions, oldest first. */
export async function prescriptionHistory(orm: Orm, clinicId: string, serviceUserId: string): Promise<StoredPrescriptionVersion[]> {
  const rows = await orm
    .select()
    .from(prescriptionVersions)
    .where(and(eq(prescriptionVersions.clinicId, clinicId), eq(prescriptionVersions.serviceUserId, serviceUserId)))
    .orderBy(asc(prescriptionVersions.version));
  return rows.map(toStored);
}

/** prescriptionHistory for several people in one query: each person's versions, oldest first. */
export async function peoplePrescriptions(orm: Orm, clinicId: string, serviceUserIds: readonly string[]): Promise<Map<string, StoredPrescriptionVersion[]>> {
  const out = new Map<string, StoredPrescriptionVersion[]>(serviceUserIds.map((id) => [id, []]));
  if (serviceUserIds.length === 0) return out;
  const rows = await orm
    .select()
    .from(prescriptionVersions)
    .where(and(eq(prescriptionVersions.clinicId, clinicId), inArray(prescriptionVersions.serviceUserId, [...serviceUserIds])))
    .orderBy(asc(prescriptionVersions.serviceUserId), asc(prescriptionVersions.version));
  for (const r of rows) out.get(r.serviceUserId)?.push(toStored(r));
  return out;
}

/** Every version at the clinic, oldest first (for lists across people). */
export async function clinicPrescriptions(orm: Orm, clinicId: string): Promise<StoredPrescriptionVersion[]> {
  const rows = await orm
    .select()
    .from(prescriptionVersions)
    .where(eq(prescriptionVersions.clinicId, clinicId))
    .orderBy(asc(prescriptionVersions.serviceUserId), asc(prescriptionVersions.version));
  return rows.map(toStored);
}

export async function insertPrescriptionVersion(
  w: WriteContext,
  clinicId: string,
  v: { serviceUserId: string; episodeId: string; version: number; content: PrescriptionContent; effectiveFrom: Date; reason: string },
): Promise<StoredPrescriptionVersion> {
  const [row] = await w.tx
    .insert(prescriptionVersions)
    .values({
      clinicId,
      serviceUserId: v.serviceUserId,
      version: v.version,
      episodeId: v.episodeId,
      status: v.content.status,
      content: v.content,
      effectiveFrom: v.effectiveFrom,
      reason: v.reason,
      signedAt: w.now,
      signedBy: w.actor.staffId!,
    })
    .returning();
  await w.audit({
    clinicId,
    action: 'create',
    entityType: 'prescription_version',
    entityId: `${v.serviceUserId}/v${v.version}`,
    details: { status: v.content.status, effectiveFrom: v.effectiveFrom.toISOString(), reason: v.reason, content: v.content },
  });
  return toStored(row!);
}
