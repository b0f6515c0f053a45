import { and, asc, eq, gte, inArray, lte } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { currentRecords, type CareRecord, type CareRecordKind } from '../domain/care/care-record';
import type { Orm } from './database';
import { careImports, careRecords } from './schema';
import { BULK_CHUNK, type WriteContext } from './transaction';

type Row = typeof careRecords.$inferSelect;

function toRecord<D>(r: Row): CareRecord<D> {
  return {
    recordId: r.recordId,
    version: r.version,
    serviceUserId: r.serviceUserId,
    kind: r.kind as CareRecordKind,
    effectiveDate: r.effectiveDate,
    occurredAt: r.occurredAt ? r.occurredAt.toISOString() : null,
    data: r.data as D,
    enteredInError: r.enteredInError,
    reason: r.reason,
    source: r.source as 'staff' | 'import',
    importId: r.importId,
    recordedAt: r.recordedAt.toISOString(),
    recordedBy: r.recordedBy,
  };
}

export interface NewCareRecord {
  serviceUserId: string;
  kind: CareRecordKind;
  effectiveDate: string;
  occurredAt?: Date | null;
  data: unknown;
  importId?: string | null;
}

/** The row of a new record's first version. */
const firstVersion = (w: WriteContext, clinicId: string, r: NewCareRecord) => ({
  clinicId,
  recordId: uuidv7(),
  version: 1,
  serviceUserId: r.serviceUserId,
  kind: r.kind,
  effectiveDate: r.effectiveDate,
  occurredAt: r.occurredAt ?? null,
  data: r.data,
  enteredInError: false,
  reason: null,
  source: r.importId ? 'import' : 'staff',
  importId: r.importId ?? null,
  recordedAt: w.now,
  recordedBy: w.actor.staffId,
});

/** Record something new (version 1), audited in the same transaction. */
export async function insertCareRecord<D>(w: WriteContext, clinicId: string, r: NewCareRecord): Promise<CareRecord<D>> {
  const [row] = await w.tx
    .insert(careRecords)
    .values(firstVersion(w, clinicId, r))
    .returning();
  await w.audit({ clinicId, action: 'create', entityType: r.kind, entityId: row!.recordId, details: { serviceUserId: r.serviceUserId, effectiveDate: r.effectiveDate, version: 1, ...(r.importId ? { importId: r.importId } : {}) } });
  return toRecord<D>(row!);
}

/**
 * Many new records at once (a pharmacy import): a few multi-row INSERTs and their audit entries,
 * in the caller's transaction, instead of two statements a record.
 */
export async function insertCareRecords<D>(w: WriteContext, clinicId: string, rs: readonly NewCareRecord[]): Promise<CareRecord<D>[]> {
  const out: CareRecord<D>[] = [];
  for (let i = 0; i < rs.length; i += BULK_CHUNK) {
    const rows = await w.tx
      .insert(careRecords)
      .values(rs.slice(i, i + BULK_CHUNK).map((r) => firstVersion(w, clinicId, r)))
      .returning();
    out.push(...rows.map((row) => toRecord<D>(row)));
  }
  await w.auditMany(
    out.map((r) => ({ clinicId, action: 'create', entityType: r.kind, entityId: r.recordId, details: { serviceUserId: r.serviceUserId, effectiveDate: r.effectiveDate, version: 1, ...(r.importId ? { importId: r.importId } : {}) } })),
  );
  return out;
}

/**
 * A new version of a record: a correction (new data, with a reason) or "entered in error". Two
 * staff correcting at once cannot both win: the version is part of the primary key.
 */
export async function insertCareRecordVersion<D>(
  w: WriteContext,
  clinicId: string,
  previous: CareRecord,
  change: { effectiveDate: string; occurredAt: Date | null; data: unknown; enteredInError: boolean; reason: string },
): Promise<CareRecord<D>> {
  const [row] = await w.tx
    .insert(careRecords)
    .values({
      clinicId,
      recordId: previous.recordId,
      version: previous.version + 1,
      serviceUserId: previous.serviceUserId,
      kind: previous.kind,
      effectiveDate: change.effectiveDate,
      occurredAt: change.occurredAt,
      data: change.data,
      enteredInError: change.enteredInError,
      reason: change.reason,
      source: 'staff',
      importId: null,
      recordedAt: w.now,
      recordedBy: w.actor.staffId,
    })
    .returning();
  await w.audit({
    clinicId,
    action: change.enteredInError ? 'entered_in_error' : 'correct',
    entityType: previous.kind,
    entityId: previous.recordId,
    details: { serviceUserId: previous.serviceUserId, version: previous.version + 1, corrects: previous.version, reason: change.reason },
  });
  return toRecord<D>(row!);
}

/** Every version of one record, oldest first; empty if there is no such record at the clinic. */
export async function careRecordVersions<D>(orm: Orm, clinicId: string, recordId: string): Promise<CareRecord<D>[]> {
  const rows = await orm
    .select()
    .from(careRecords)
    .where(and(eq(careRecords.clinicId, clinicId), eq(careRecords.recordId, recordId)))
    .orderBy(asc(careRecords.version));
  return rows.map((r) => toRecord<D>(r));
}

/** A person's records of some kinds, the latest version of each (entered-in-error left out). */
export async function personCareRecords<D = unknown>(
  orm: Orm,
  clinicId: string,
  serviceUserId: string,
  kinds: readonly CareRecordKind[],
): Promise<CareRecord<D>[]> {
  const rows = await orm
    .select()
    .from(careRecords)
    .where(and(eq(careRecords.clinicId, clinicId), eq(careRecords.serviceUserId, serviceUserId), inArray(careRecords.kind, [...kinds])));
  return currentRecords(rows.map((r) => toRecord<D>(r)));
}

/** personCareRecords for several people in one query: each person's records of some kinds, the latest version of each. */
export async function peopleCareRecords<D = unknown>(
  orm: Orm,
  clinicId: string,
  serviceUserIds: readonly string[],
  kinds: readonly CareRecordKind[],
): Promise<Map<string, CareRecord<D>[]>> {
  const out = new Map<string, CareRecord<D>[]>(serviceUserIds.map((id) => [id, []]));
  if (serviceUserIds.length === 0) return out;
  const rows = await orm
    .select()
    .from(careRecords)
    .where(and(eq(careRecords.clinicId, clinicId), inArray(careRecords.serviceUserId, [...serviceUserIds]), inArray(careRecords.kind, [...kinds])));
  for (const r of currentRecords(rows.map((row) => toRecord<D>(row)))) out.get(r.serviceUserId)?.push(r);
  return out;
}

/** The clinic's records of some kinds (optionally within dates), the latest version of each. */
export async function clinicCareRecords<D = unknown>(
  orm: Orm,
  clinicId: string,
  kinds: readonly CareRecordKind[],
  dates?: { from?: string; to?: string },
): Promise<CareRecord<D>[]> {
  const rows = await orm
    .select()
    .from(careRecords)
    .where(
      and(
        eq(careRecords.clinicId, clinicId),
        inArray(careRecords.kind, [...kinds]),
        dates?.from ? gte(careRecords.effectiveDate, dates.from) : undefined,
        dates?.to ? lte(careRecords.effectiveDate, dates.to) : undefined,
      ),
    );
  return currentRecords(rows.map((r) => toRecord<D>(r)));
}

export interface ImportSummary {
  importId: string;
  kind: string;
  fileName: string | null;
  sha256: string;
  mode: 'all_or_nothing' | 'valid_rows_only';
  rowsTotal: number;
  rowsImported: number;
  rejected: { row: number; field: string; message: string }[];
}

/** The import itself, written first so that each imported record can point at it. */
export async function insertCareImport(w: WriteContext, clinicId: string, i: Omit<ImportSummary, 'importId'>): Promise<ImportSummary> {
  const importId = uuidv7();
  await w.tx.insert(careImports).values({ clinicId, importId, ...i, importedAt: w.now, importedBy: w.actor.staffId });
  await w.audit({ clinicId, action: 'import', entityType: `${i.kind}_import`, entityId: importId, details: { fileName: i.fileName, sha256: i.sha256, mode: i.mode, rowsTotal: i.rowsTotal, rowsImported: i.rowsImported, rowsRejected: i.rejected.length } });
  return { importId, ...i };
}

export async function listCareImports(orm: Orm, clinicId: string, kind: string) {
  return orm.select().from(careImports).where(and(eq(careImports.clinicId, clinicId), eq(careImports.kind, kind))).orderBy(asc(careImports.importedAt));
}
