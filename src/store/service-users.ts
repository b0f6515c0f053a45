import { createHash } from 'node:crypto';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { readStoredRecord, type ServiceUserRecord } from '../domain/service-user/record';
import type { Orm } from './database';
import { serviceUserPhotos, serviceUsers, serviceUserVersions } from './schema';
import type { WriteContext } from './transaction';

export interface ServiceUserVersion {
  serviceUserId: string;
  version: number;
  record: ServiceUserRecord;
  reason: string;
  recordedAt: Date;
  recordedBy: string | null;
}

function toVersion(row: typeof serviceUserVersions.$inferSelect): ServiceUserVersion {
  return {
    serviceUserId: row.serviceUserId,
    version: row.version,
    record: readStoredRecord(row.record),
    reason: row.reason,
    recordedAt: row.recordedAt,
    recordedBy: row.recordedBy,
  };
}

/** Lock one person's rows for the rest of the transaction, so that their writes happen one at a time. */
export async function lockServiceUser(orm: Orm, clinicId: string, serviceUserId: string): Promise<boolean> {
  const rows = await orm
    .select({ id: serviceUsers.serviceUserId })
    .from(serviceUsers)
    .where(and(eq(serviceUsers.clinicId, clinicId), eq(serviceUsers.serviceUserId, serviceUserId)))
    .for('update');
  return rows.length > 0;
}

export async function serviceUserExists(orm: Orm, clinicId: string, serviceUserId: string): Promise<boolean> {
  const rows = await orm
    .select({ id: serviceUsers.serviceUserId })
    .from(serviceUsers)
    .where(and(eq(serviceUsers.clinicId, clinicId), eq(serviceUsers.serviceUserId, serviceUserId)));
  return rows.length > 0;
}

/**
 * The people whose current record at this clinic has this NHS number. Call it inside the write's
 * transaction: it holds a lock on the number until commit, so two people cannot be given the same
 * number at once.
 */
export async function findByNhsNumber(orm: Orm, clinicId: string, nhsNumber: string): Promise<string[]> {
  await orm.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${clinicId}:nhs:${nhsNumber}`}, 0))`);
  const rows = await orm.execute(sql`
    SELECT v.service_user_id FROM service_user_versions v
    WHERE v.clinic_id = ${clinicId} AND v.nhs_number = ${nhsNumber}
      AND v.version = (SELECT max(version) FROM service_user_versions w WHERE w.clinic_id = v.clinic_id AND w.service_user_id = v.service_user_id)`);
  return (rows as unknown as { rows: { service_user_id: string }[] }).rows.map((r) => r.service_user_id);
}

export async function createServiceUser(w: WriteContext, clinicId: string, record: ServiceUserRecord): Promise<ServiceUserVersion> {
  const serviceUserId = uuidv7();
  await w.tx.insert(serviceUsers).values({ clinicId, serviceUserId, createdAt: w.now, createdBy: w.actor.staffId });
  const version = await insertVersion(w, clinicId, serviceUserId, 1, record, 'record created');
  await w.audit({ clinicId, action: 'create', entityType: 'service_user', entityId: serviceUserId });
  return version;
}

export async function recordNewVersion(
  w: WriteContext,
  clinicId: string,
  serviceUserId: string,
  version: number,
  record: ServiceUserRecord,
  reason: string,
): Promise<ServiceUserVersion> {
  const saved = await insertVersion(w, clinicId, serviceUserId, version, record, reason);
  await w.audit({ clinicId, action: 'update', entityType: 'service_user', entityId: serviceUserId, details: { version, reason } });
  return saved;
}

async function insertVersion(
  w: WriteContext,
  clinicId: string,
  serviceUserId: string,
  version: number,
  record: ServiceUserRecord,
  reason: string,
): Promise<ServiceUserVersion> {
  const [row] = await w.tx
    .insert(serviceUserVersions)
    .values({
      clinicId,
      serviceUserId,
      version,
      record,
      familyName: record.familyName,
      givenName: record.givenName,
      dateOfBirth: record.dateOfBirth,
      nhsNumber: record.nhsNumber,
      reason,
      recordedAt: w.now,
      recordedBy: w.actor.staffId,
    })
    .returning();
  return toVersion(row!);
}

export async function currentVersion(orm: Orm, clinicId: string, serviceUserId: string): Promise<ServiceUserVersion | null> {
  const rows = await orm
    .select()
    .from(serviceUserVersions)
    .where(and(eq(serviceUserVersions.clinicId, clinicId), eq(serviceUserVersions.serviceUserId, serviceUserId)))
    .orderBy(desc(serviceUserVersions.version))
    .limit(1);
  return rows[0] ? toVersion(rows[0]) : null;
}

/** currentVersion for several people in one query (someone unknown at the clinic is left out). */
export async function currentVersions(orm: Orm, clinicId: string, serviceUserIds: readonly string[]): Promise<Map<string, ServiceUserVersion>> {
  if (serviceUserIds.length === 0) return new Map();
  const rows = await orm
    .selectDistinctOn([serviceUserVersions.serviceUserId])
    .from(serviceUserVersions)
    .where(and(eq(serviceUserVersions.clinicId, clinicId), inArray(serviceUserVersions.serviceUserId, [...serviceUserIds])))
    .orderBy(serviceUserVersions.serviceUserId, desc(serviceUserVersions.version));
  return new Map(rows.map((r) => [r.serviceUserId, toVersion(r)]));
}

export async function versionHistory(orm: Orm, clinicId: string, serviceUserId: string): Promise<ServiceUserVersion[]> {
  const rows = await orm
    .select()
    .from(serviceUserVersions)
    .where(and(eq(serviceUserVersions.clinicId, clinicId), eq(serviceUserVersions.serviceUserId, serviceUserId)))
    .orderBy(desc(serviceUserVersions.version));
  return rows.map(toVersion);
}

/** The current version of every person at the clinic (or those whose name or NHS number matches). */
export async function listServiceUsers(orm: Orm, clinicId: string, search?: string): Promise<ServiceUserVersion[]> {
  const term = search?.trim().toLowerCase();
  const digits = term?.replace(/[\s-]/g, '');
  const rows = await orm.execute(sql`
    SELECT DISTINCT ON (service_user_id) *
    FROM service_user_versions
    WHERE clinic_id = ${clinicId}
    ORDER BY service_user_id, version DESC`);
  const all = (rows as unknown as { rows: Record<string, unknown>[] }).rows.map((r) => ({
    serviceUserId: r.service_user_id as string,
    version: r.version as number,
    record: readStoredRecord(typeof r.record === 'string' ? JSON.parse(r.record) : r.record),
    reason: r.reason as string,
    recordedAt: new Date(r.recorded_at as string),
    recordedBy: (r.recorded_by as string | null) ?? null,
  }));
  const matches = term
    ? all.filter(
        (v) =>
          `${v.record.givenName} ${v.record.familyName} ${v.record.preferredName ?? ''}`.toLowerCase().includes(term) ||
          (digits !== undefined && digits.length >= 3 && (v.record.nhsNumber ?? '').includes(digits)),
      )
    : all;
  return matches.sort(
    (a, b) => a.record.familyName.localeCompare(b.record.familyName) || a.record.givenName.localeCompare(b.record.givenName),
  );
}

export interface PhotoMeta {
  photoId: string;
  contentType: string;
  byteSize: number;
  sha256: string;
  recordedAt: Date;
}

export async function addPhoto(
  w: WriteContext,
  clinicId: string,
  serviceUserId: string,
  contentType: string,
  image: Buffer,
): Promise<PhotoMeta> {
  const photo = {
    clinicId,
    photoId: uuidv7(),
    serviceUserId,
    contentType,
    image,
    byteSize: image.byteLength,
    sha256: createHash('sha256').update(image).digest('hex'),
    recordedAt: w.now,
    recordedBy: w.actor.staffId,
  };
  await w.tx.insert(serviceUserPhotos).values(photo);
  await w.audit({
    clinicId,
    action: 'create',
    entityType: 'service_user_photo',
    entityId: photo.photoId,
    details: { serviceUserId, contentType, byteSize: photo.byteSize, sha256: photo.sha256 },
  });
  return photo;
}

export async function currentPhotoMeta(orm: Orm, clinicId: string, serviceUserId: string): Promise<PhotoMeta | null> {
  const rows = await orm
    .select({
      photoId: serviceUserPhotos.photoId,
      contentType: serviceUserPhotos.contentType,
      byteSize: serviceUserPhotos.byteSize,
      sha256: serviceUserPhotos.sha256,
      recordedAt: serviceUserPhotos.recordedAt,
    })
    .from(serviceUserPhotos)
    .where(and(eq(serviceUserPhotos.clinicId, clinicId), eq(serviceUserPhotos.serviceUserId, serviceUserId)))
    .orderBy(desc(serviceUserPhotos.recordedAt), desc(serviceUserPhotos.photoId))
    .limit(1);
  return rows[0] ?? null;
}

export async function currentPhoto(
  orm: Orm,
  clinicId: string,
  serviceUserId: string,
): Promise<(PhotoMeta & { image: Uint8Array }) | null> {
  const rows = await orm
    .select()
    .from(serviceUserPhotos)
    .where(and(eq(serviceUserPhotos.clinicId, clinicId), eq(serviceUserPhotos.serviceUserId, serviceUserId)))
    .orderBy(desc(serviceUserPhotos.recordedAt), desc(serviceUserPhotos.photoId))
    .limit(1);
  return rows[0] ?? null;
}
