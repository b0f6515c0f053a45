import { z } from 'zod';
import { Timestamp, Uuid } from './common';

export const AuditEventOut = z
  .object({
    auditId: Uuid,
    clinicId: Uuid.nullable(),
    occurredAt: Timestamp,
    staffId: Uuid.nullable(),
    staffEmail: z.string().nullable(),
    staffName: z.string().nullable(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    requestId: z.string().nullable(),
    details: z.unknown(),
  })
  .meta({ id: 'AuditEvent' });

export const AuditQueryParams = z.object({
  staffId: z.uuid().optional(),
  entityType: z.string().max(60).optional(),
  entityId: z.string().max(200).optional(),
  action: z.string().max(60).optional(),
  from: z.iso.datetime({ offset: true }).optional().describe('Inclusive'),
  to: z.iso.datetime({ offset: true }).optional().describe('Exclusive'),
  before: z.uuid().optional().describe('auditId of the last event of the previous page'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const AuditPage = z.object({
  events: z.array(AuditEventOut),
  nextBefore: Uuid.nullable().describe('Pass as `before` for the next page; null on the last page'),
});
