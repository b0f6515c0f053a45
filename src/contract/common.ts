import { z } from 'zod';

/** Request and response shapes of the HTTP API, shared by the server and the web client. */

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().describe('Stable, machine-readable reason, e.g. validation_failed, clinic_not_found'),
      message: z.string().describe('What went wrong, in words a member of staff can act on'),
      field: z.string().optional().describe('The request field at fault, e.g. sessions[1].start'),
      problems: z
        .array(z.object({ field: z.string(), message: z.string() }))
        .optional()
        .describe('Every problem found, when there was more than one'),
      refusals: z
        .array(z.object({ rule: z.string(), message: z.string(), field: z.string().optional() }))
        .optional()
        .describe('For a request refused by a safety or clinical rule: every rule that refused it, with the figures'),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorResponse = z.infer<typeof ErrorResponse>;

export const Uuid = z.uuid();
export const Timestamp = z.iso.datetime({ offset: true }).describe('An instant, ISO 8601 in UTC');

export const ClinicParams = z.object({ clinicId: z.string().describe('Clinic id (UUID)') });

export const Ok = z.object({ ok: z.literal(true) });

/** The standard error responses a route can give, for the OpenAPI document. */
export const errorResponses = {
  400: ErrorResponse.describe('Bad input: the field is named'),
  401: ErrorResponse.describe('Not signed in, or the session has expired'),
  403: ErrorResponse.describe('Signed in, but not allowed'),
  404: ErrorResponse.describe('No such record (or not in a clinic you work at)'),
  409: ErrorResponse.describe('Conflicts with the current state'),
  422: ErrorResponse.describe('Refused by a safety or clinical rule (code = the rule); nothing was written'),
} as const;

type ErrorStatus = keyof typeof errorResponses;

/** `...errors(400, 401, 404)` in a route's response map. */
export function errors<S extends ErrorStatus>(...statuses: S[]): Pick<typeof errorResponses, S> {
  return Object.fromEntries(statuses.map((s) => [s, errorResponses[s]])) as Pick<typeof errorResponses, S>;
}
