import { z } from 'zod';

/** A care record version as the API answers it, with its kind's data schema (kept open: older versions may carry fields since dropped). */
export function recordOut<S extends z.ZodObject>(data: S) {
  return z.object({
    recordId: z.string(),
    version: z.number().int(),
    serviceUserId: z.string(),
    kind: z.string(),
    effectiveDate: z.string(),
    occurredAt: z.string().nullable(),
    data: data.loose(),
    enteredInError: z.boolean(),
    reason: z.string().nullable(),
    source: z.enum(['staff', 'import']),
    importId: z.string().nullable(),
    recordedAt: z.string(),
    recordedBy: z.string().nullable(),
  });
}
