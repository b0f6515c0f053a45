import { boolean, customType, date, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Typed view of the tables that the SQL migrations in ./migrations create. The migrations are the
 * source of truth; schema.int.test.ts checks that this file and the migrated database agree.
 */

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const day = (name: string) => date(name, { mode: 'string' });
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

export const staff = pgTable('staff', {
  staffId: uuid('staff_id').primaryKey(),
  email: text('email').notNull(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  mustChangePassword: boolean('must_change_password').notNull().default(false),
  deploymentAdmin: boolean('deployment_admin').notNull().default(false),
  active: boolean('active').notNull().default(true),
  failedLoginCount: integer('failed_login_count').notNull().default(0),
  lockedUntil: at('locked_until'),
  passwordChangedAt: at('password_changed_at').notNull(),
  professionalBody: text('professional_body'),
  registrationNumber: text('registration_number'),
  homeOfficeLicenceNumber: text('home_office_licence_number'),
  homeOfficeLicenceExpiry: date('home_office_licence_expiry', { mode: 'string' }),
  createdAt: at('created_at').notNull(),
});

export const clinics = pgTable('clinics', {
  clinicId: uuid('clinic_id').primaryKey(),
  createdAt: at('created_at').notNull(),
  createdBy: uuid('created_by'),
});

export const clinicSettings = pgTable(
  'clinic_settings',
  {
    clinicId: uuid('clinic_id').notNull(),
    version: integer('version').notNull(),
    settings: jsonb('settings').notNull(),
    reason: text('reason'),
    changedAt: at('changed_at').notNull(),
    changedBy: uuid('changed_by'),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.version] })],
);

export const staffRoles = pgTable(
  'staff_roles',
  {
    clinicId: uuid('clinic_id').notNull(),
    staffId: uuid('staff_id').notNull(),
    role: text('role').notNull(),
    grantedAt: at('granted_at').notNull(),
    grantedBy: uuid('granted_by'),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.staffId, t.role] })],
);

export const authSessions = pgTable('auth_sessions', {
  sessionId: uuid('session_id').primaryKey(),
  tokenHash: text('token_hash').notNull(),
  staffId: uuid('staff_id').notNull(),
  createdAt: at('created_at').notNull(),
  lastSeenAt: at('last_seen_at').notNull(),
  revokedAt: at('revoked_at'),
  revokedReason: text('revoked_reason'),
  ip: text('ip'),
  userAgent: text('user_agent'),
  /** Set while the session waits for the second factor (migration 0007); null for a full session. */
  secondFactorPending: text('second_factor_pending').$type<'enrolment_required' | 'code_required'>(),
});

/** TOTP second factor, one row per member of staff (migration 0007): deployment-wide and mutable. */
export const staffSecondFactors = pgTable('staff_second_factors', {
  staffId: uuid('staff_id').primaryKey(),
  secret: text('secret').notNull(),
  createdAt: at('created_at').notNull(),
  confirmedAt: at('confirmed_at'),
  lastUsedStep: integer('last_used_step'),
  failedCount: integer('failed_count').notNull().default(0),
  lockedUntil: at('locked_until'),
  recoveryCodeHashes: jsonb('recovery_code_hashes').$type<string[]>().notNull().default([]),
});

export const auditEvents = pgTable('audit_events', {
  auditId: uuid('audit_id').primaryKey(),
  clinicId: uuid('clinic_id'),
  occurredAt: at('occurred_at').notNull(),
  staffId: uuid('staff_id'),
  action: text('action').notNull(),
  entityType: text('entity_type').notNull(),
  entityId: text('entity_id'),
  ip: text('ip'),
  userAgent: text('user_agent'),
  requestId: text('request_id'),
  details: jsonb('details'),
});

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    clinicId: uuid('clinic_id').notNull(),
    staffId: uuid('staff_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    requestFingerprint: text('request_fingerprint').notNull(),
    statusCode: integer('status_code').notNull(),
    responseBody: jsonb('response_body').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.staffId, t.idempotencyKey] })],
);

export const serviceUsers = pgTable(
  'service_users',
  {
    clinicId: uuid('clinic_id').notNull(),
    serviceUserId: uuid('service_user_id').notNull(),
    createdAt: at('created_at').notNull(),
    createdBy: uuid('created_by'),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.serviceUserId] })],
);

export const serviceUserVersions = pgTable(
  'service_user_versions',
  {
    clinicId: uuid('clinic_id').notNull(),
    serviceUserId: uuid('service_user_id').notNull(),
    version: integer('version').notNull(),
    record: jsonb('record').notNull(),
    familyName: text('family_name').notNull(),
    givenName: text('given_name').notNull(),
    dateOfBirth: day('date_of_birth').notNull(),
    nhsNumber: text('nhs_number'),
    reason: text('reason').notNull(),
    recordedAt: at('recorded_at').notNull(),
    recordedBy: uuid('recorded_by'),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.serviceUserId, t.version] })],
);

export const serviceUserPhotos = pgTable(
  'service_user_photos',
  {
    clinicId: uuid('clinic_id').notNull(),
    photoId: uuid('photo_id').notNull(),
    serviceUserId: uuid('service_user_id').notNull(),
    contentType: text('content_type').notNull(),
    image: bytea('image').notNull(),
    byteSize: integer('byte_size').notNull(),
    sha256: text('sha256').notNull(),
    recordedAt: at('recorded_at').notNull(),
    recordedBy: uuid('recorded_by'),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.photoId] })],
);

export const episodes = pgTable(
  'episodes',
  {
    clinicId: uuid('clinic_id').notNull(),
    episodeId: uuid('episode_id').notNull(),
    serviceUserId: uuid('service_user_id').notNull(),
    openedAt: at('opened_at').notNull(),
    openedBy: uuid('opened_by'),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.episodeId] })],
);

export const episodeEvents = pgTable(
  'episode_events',
  {
    clinicId: uuid('clinic_id').notNull(),
    episodeId: uuid('episode_id').notNull(),
    seq: integer('seq').notNull(),
    eventType: text('event_type').notNull(),
    occurredAt: at('occurred_at').notNull(),
    event: jsonb('event').notNull(),
    recordedAt: at('recorded_at').notNull(),
    recordedBy: uuid('recorded_by'),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.episodeId, t.seq] })],
);

export const prescriptionVersions = pgTable(
  'prescription_versions',
  {
    clinicId: uuid('clinic_id').notNull(),
    serviceUserId: uuid('service_user_id').notNull(),
    version: integer('version').notNull(),
    episodeId: uuid('episode_id').notNull(),
    status: text('status').notNull(),
    content: jsonb('content').notNull(),
    effectiveFrom: at('effective_from').notNull(),
    reason: text('reason').notNull(),
    signedAt: at('signed_at').notNull(),
    signedBy: uuid('signed_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.serviceUserId, t.version] })],
);

export const reviews = pgTable(
  'reviews',
  {
    clinicId: uuid('clinic_id').notNull(),
    reviewId: uuid('review_id').notNull(),
    serviceUserId: uuid('service_user_id').notNull(),
    episodeId: uuid('episode_id').notNull(),
    reviewedAt: at('reviewed_at').notNull(),
    reviewedBy: uuid('reviewed_by').notNull(),
    notes: text('notes').notNull(),
    retitrationPlanned: boolean('retitration_planned').notNull(),
    nextReviewDue: day('next_review_due').notNull(),
    prescriptionVersion: integer('prescription_version'),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.reviewId] })],
);

export const cdItems = pgTable(
  'cd_items',
  {
    clinicId: uuid('clinic_id').notNull(),
    itemId: uuid('item_id').notNull(),
    drug: text('drug').notNull(),
    form: text('form').notNull(),
    strengthMg: integer('strength_mg').notNull(),
    location: text('location').notNull(),
    createdAt: at('created_at').notNull(),
    createdBy: uuid('created_by'),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.itemId] })],
);

export const cdEntries = pgTable(
  'cd_entries',
  {
    clinicId: uuid('clinic_id').notNull(),
    itemId: uuid('item_id').notNull(),
    seq: integer('seq').notNull(),
    kind: text('kind').notNull(),
    details: jsonb('details').notNull(),
    quantity: integer('quantity').notNull(),
    quantityChange: integer('quantity_change').notNull(),
    balanceAfter: integer('balance_after').notNull(),
    occurredAt: at('occurred_at').notNull(),
    recordedAt: at('recorded_at').notNull(),
    recordedBy: uuid('recorded_by').notNull(),
    witnessId: uuid('witness_id'),
    note: text('note'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.itemId, t.seq] })],
);

export const cdDiscrepancies = pgTable(
  'cd_discrepancies',
  {
    clinicId: uuid('clinic_id').notNull(),
    discrepancyId: uuid('discrepancy_id').notNull(),
    itemId: uuid('item_id').notNull(),
    stockCheckSeq: integer('stock_check_seq').notNull(),
    expected: integer('expected').notNull(),
    counted: integer('counted').notNull(),
    openedAt: at('opened_at').notNull(),
    openedBy: uuid('opened_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.discrepancyId] })],
);

export const cdDiscrepancyResolutions = pgTable(
  'cd_discrepancy_resolutions',
  {
    clinicId: uuid('clinic_id').notNull(),
    discrepancyId: uuid('discrepancy_id').notNull(),
    resolvedAt: at('resolved_at').notNull(),
    resolvedBy: uuid('resolved_by').notNull(),
    note: text('note').notNull(),
    correctionItemId: uuid('correction_item_id'),
    correctionSeq: integer('correction_seq'),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.discrepancyId] })],
);

export const cdPatientReturns = pgTable(
  'cd_patient_returns',
  {
    clinicId: uuid('clinic_id').notNull(),
    returnId: uuid('return_id').notNull(),
    serviceUserId: uuid('service_user_id').notNull(),
    description: text('description').notNull(),
    strengthMg: integer('strength_mg').notNull(),
    quantity: integer('quantity').notNull(),
    returnedAt: at('returned_at').notNull(),
    receivedBy: uuid('received_by').notNull(),
    witnessId: uuid('witness_id').notNull(),
    note: text('note'),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.returnId] })],
);

export const cdPatientReturnDestructions = pgTable(
  'cd_patient_return_destructions',
  {
    clinicId: uuid('clinic_id').notNull(),
    returnId: uuid('return_id').notNull(),
    destroyedAt: at('destroyed_at').notNull(),
    destroyedBy: uuid('destroyed_by').notNull(),
    witnessId: uuid('witness_id').notNull(),
    method: text('method').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.returnId] })],
);

export const dosingSessions = pgTable(
  'dosing_sessions',
  {
    clinicId: uuid('clinic_id').notNull(),
    sessionId: uuid('session_id').notNull(),
    clinicDate: day('clinic_date').notNull(),
    sessionCode: text('session_code').notNull(),
    windowOpens: at('window_opens').notNull(),
    windowCloses: at('window_closes').notNull(),
    openedAt: at('opened_at').notNull(),
    openedBy: uuid('opened_by'),
    opening: jsonb('opening').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.sessionId] })],
);

export const dosingSessionClosures = pgTable(
  'dosing_session_closures',
  {
    clinicId: uuid('clinic_id').notNull(),
    sessionId: uuid('session_id').notNull(),
    closedAt: at('closed_at').notNull(),
    closedBy: uuid('closed_by'),
    automatic: boolean('automatic').notNull(),
    missed: integer('missed').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.sessionId] })],
);

export const handoverNotes = pgTable(
  'handover_notes',
  {
    clinicId: uuid('clinic_id').notNull(),
    noteId: uuid('note_id').notNull(),
    sessionId: uuid('session_id').notNull(),
    writtenAt: at('written_at').notNull(),
    writtenBy: uuid('written_by').notNull(),
    note: text('note').notNull(),
    aboutServiceUserId: uuid('about_service_user_id'),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.noteId] })],
);

export const doses = pgTable(
  'doses',
  {
    clinicId: uuid('clinic_id').notNull(),
    doseId: uuid('dose_id').notNull(),
    serviceUserId: uuid('service_user_id').notNull(),
    clinicDate: day('clinic_date').notNull(),
    sessionCode: text('session_code').notNull(),
    kind: text('kind').notNull(),
    sessionId: uuid('session_id'),
    createdAt: at('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.doseId] })],
);

export const doseEvents = pgTable(
  'dose_events',
  {
    clinicId: uuid('clinic_id').notNull(),
    doseId: uuid('dose_id').notNull(),
    seq: integer('seq').notNull(),
    eventType: text('event_type').notNull(),
    event: jsonb('event').notNull(),
    occurredAt: at('occurred_at').notNull(),
    recordedAt: at('recorded_at').notNull(),
    recordedBy: uuid('recorded_by'),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.doseId, t.seq] })],
);

/** Derived: one row per dose summarising its dose_events for the reports, updated in place (migration 0010). */
export const doseOutcomes = pgTable(
  'dose_outcomes',
  {
    clinicId: uuid('clinic_id').notNull(),
    doseId: uuid('dose_id').notNull(),
    serviceUserId: uuid('service_user_id').notNull(),
    clinicDate: day('clinic_date').notNull(),
    sessionCode: text('session_code').notNull(),
    kind: text('kind').notNull(),
    outcome: text('outcome').notNull(),
    adverseEvents: text('adverse_events').array().notNull(),
    naloxoneUsed: boolean('naloxone_used').notNull(),
    lastSeq: integer('last_seq').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.doseId] })],
);

export const dosingExceptions = pgTable(
  'dosing_exceptions',
  {
    clinicId: uuid('clinic_id').notNull(),
    exceptionId: uuid('exception_id').notNull(),
    serviceUserId: uuid('service_user_id').notNull(),
    kind: text('kind').notNull(),
    sessionCode: text('session_code'),
    clinicDate: day('clinic_date'),
    site: text('site'),
    validUntil: at('valid_until').notNull(),
    reason: text('reason').notNull(),
    recordedAt: at('recorded_at').notNull(),
    recordedBy: uuid('recorded_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.exceptionId] })],
);

export const careImports = pgTable(
  'care_imports',
  {
    clinicId: uuid('clinic_id').notNull(),
    importId: uuid('import_id').notNull(),
    kind: text('kind').notNull(),
    fileName: text('file_name'),
    sha256: text('sha256').notNull(),
    mode: text('mode').notNull(),
    rowsTotal: integer('rows_total').notNull(),
    rowsImported: integer('rows_imported').notNull(),
    rejected: jsonb('rejected').notNull(),
    importedAt: at('imported_at').notNull(),
    importedBy: uuid('imported_by'),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.importId] })],
);

export const careRecords = pgTable(
  'care_records',
  {
    clinicId: uuid('clinic_id').notNull(),
    recordId: uuid('record_id').notNull(),
    version: integer('version').notNull(),
    serviceUserId: uuid('service_user_id').notNull(),
    kind: text('kind').notNull(),
    effectiveDate: day('effective_date').notNull(),
    occurredAt: at('occurred_at'),
    data: jsonb('data').notNull(),
    enteredInError: boolean('entered_in_error').notNull().default(false),
    reason: text('reason'),
    source: text('source').notNull(),
    importId: uuid('import_id'),
    recordedAt: at('recorded_at').notNull(),
    recordedBy: uuid('recorded_by'),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.recordId, t.version] })],
);

export const portalAccounts = pgTable(
  'portal_accounts',
  {
    clinicId: uuid('clinic_id').notNull(),
    serviceUserId: uuid('service_user_id').notNull(),
    username: text('username').notNull(),
    passwordHash: text('password_hash').notNull(),
    enabled: boolean('enabled').notNull(),
    mustChangePassword: boolean('must_change_password').notNull().default(true),
    failedLoginCount: integer('failed_login_count').notNull().default(0),
    lockedUntil: at('locked_until'),
    passwordChangedAt: at('password_changed_at').notNull(),
    createdAt: at('created_at').notNull(),
    createdBy: uuid('created_by'),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.serviceUserId] })],
);

export const portalSessions = pgTable(
  'portal_sessions',
  {
    clinicId: uuid('clinic_id').notNull(),
    sessionId: uuid('session_id').notNull(),
    serviceUserId: uuid('service_user_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: at('created_at').notNull(),
    lastSeenAt: at('last_seen_at').notNull(),
    revokedAt: at('revoked_at'),
    revokedReason: text('revoked_reason'),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.sessionId] })],
);

/** Break-glass grants (migration 0008): clinic_id is the clinic of the record opened. */
export const breakGlassGrants = pgTable(
  'break_glass_grants',
  {
    clinicId: uuid('clinic_id').notNull(),
    grantId: uuid('grant_id').notNull(),
    serviceUserId: uuid('service_user_id').notNull(),
    staffId: uuid('staff_id').notNull(),
    fromClinicId: uuid('from_clinic_id').notNull(),
    reason: text('reason').notNull(),
    grantedAt: at('granted_at').notNull(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.grantId] })],
);

export const schema = {
  staff,
  clinics,
  clinicSettings,
  staffRoles,
  authSessions,
  staffSecondFactors,
  auditEvents,
  idempotencyKeys,
  serviceUsers,
  serviceUserVersions,
  serviceUserPhotos,
  episodes,
  episodeEvents,
  prescriptionVersions,
  reviews,
  cdItems,
  cdEntries,
  cdDiscrepancies,
  cdDiscrepancyResolutions,
  cdPatientReturns,
  cdPatientReturnDestructions,
  dosingSessions,
  dosingSessionClosures,
  handoverNotes,
  doses,
  doseEvents,
  doseOutcomes,
  dosingExceptions,
  careImports,
  careRecords,
  portalAccounts,
  portalSessions,
  breakGlassGrants,
};
export type Schema = typeof schema;

/** Tables that belong to the whole deployment rather than a clinic (see migration 0001). */
export const DEPLOYMENT_TABLES = ['staff', 'auth_sessions', 'staff_second_factors', 'openhat_migrations'] as const;
