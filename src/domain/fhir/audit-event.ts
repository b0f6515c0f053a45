import type { AuditEvent } from '@medplum/fhirtypes';
import { OPENHAT_AUDIT_ENTITY, type AuditAction } from './codes';

export interface AuditForFhir {
  auditId: string;
  occurredAt: string;
  staffId: string | null;
  staffName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  requestId: string | null;
}

/** openhat's audit actions as R4 AuditEvent.action (C create, R read, U update, D delete, E execute). */
export function auditAction(action: string): AuditAction {
  if (action === 'create' || action === 'import') return 'C';
  if (action === 'read') return 'R';
  if (action === 'update' || action === 'correct' || action === 'close') return 'U';
  if (action === 'delete') return 'D';
  return 'E';
}

/** Audit entity types whose id is a service user's: the entity is then a reference to the Patient. */
const PERSON_ENTITIES = new Set(['service_user', 'fhir_Patient', 'fhir_everything', 'reviews']);

/** An audit-log entry: who (agent = the member of staff, or openhat itself), what (entity), when. */
export function toAuditEvent(a: AuditForFhir): AuditEvent {
  return {
    resourceType: 'AuditEvent',
    id: a.auditId,
    type: { system: OPENHAT_AUDIT_ENTITY, code: a.entityType, display: a.entityType.replace(/_/g, ' ') },
    subtype: [{ system: OPENHAT_AUDIT_ENTITY, code: a.action, display: a.action }],
    action: auditAction(a.action),
    recorded: a.occurredAt,
    agent: [
      a.staffId
        ? { who: { reference: `Practitioner/${a.staffId}`, ...(a.staffName ? { display: a.staffName } : {}) }, requestor: true }
        : { who: { display: 'openhat (system)' }, requestor: false },
    ],
    source: { observer: { display: 'openhat' } },
    ...(a.entityId ? { entity: [{ what: PERSON_ENTITIES.has(a.entityType) ? { reference: `Patient/${a.entityId}` } : { identifier: { system: `${OPENHAT_AUDIT_ENTITY}:${a.entityType}`, value: a.entityId } }, type: { system: OPENHAT_AUDIT_ENTITY, code: a.entityType } }] } : {}),
  };
}
