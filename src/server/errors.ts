import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { Refusal } from '../domain/refusal';
import type { FieldProblem } from '../domain/validation';

/**
 * One error shape for the whole API: `{ error: { code, message, field? } }`. Handlers throw
 * ApiError; anything else becomes a 500 that says nothing was saved (the transaction rolled back).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly problems?: FieldProblem[],
    readonly refusals?: Refusal[],
  ) {
    super(message);
  }
}

/** A request refused by a named rule (a safety limit, a clinical rule): 422, nothing written. */
export function refused(refusals: Refusal[]): ApiError {
  const first = refusals[0]!;
  const message = refusals.length === 1 ? first.message : refusals.map((r) => r.message).join('; ');
  return new ApiError(422, first.rule, message, first.field, undefined, refusals);
}

export function invalid(problems: FieldProblem[], code = 'validation_failed'): ApiError {
  const first = problems[0] ?? { field: '(body)', message: 'is invalid' };
  const message = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
  return new ApiError(400, code, message, first.field, problems.length > 1 ? problems : undefined);
}

export const badRequest = (field: string, message: string, code = 'validation_failed') =>
  invalid([{ field, message }], code);

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} was not found`);

/** Said the same way whether the clinic does not exist or exists but you do not work there. */
export const clinicNotFound = () =>
  new ApiError(404, 'clinic_not_found', 'No such clinic, or you do not hold a role there');

export const forbidden = (message: string, code = 'forbidden') => new ApiError(403, code, message);
export const conflict = (code: string, message: string) => new ApiError(409, code, message);
export const unauthorized = (code: string, message: string) => new ApiError(401, code, message);

function pathToField(instancePath: string, context: string | undefined): string {
  const parts = instancePath.split('/').filter(Boolean);
  let out = '';
  for (const part of parts) out += /^\d+$/.test(part) ? `[${part}]` : out ? `.${part}` : part;
  if (out) return out;
  return context === 'body' ? '(body)' : (context ?? '(request)');
}

export function sendError(reply: FastifyReply, error: ApiError) {
  return reply.code(error.status).send({
    error: {
      code: error.code,
      message: error.message,
      ...(error.field ? { field: error.field } : {}),
      ...(error.problems ? { problems: error.problems } : {}),
      ...(error.refusals ? { refusals: error.refusals } : {}),
    },
  });
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof ApiError) return sendError(reply, error);

  if (hasZodFastifySchemaValidationErrors(error)) {
    const problems = error.validation.map((v) => ({
      field: pathToField(v.instancePath, error.validationContext),
      message: v.message ?? 'is invalid',
    }));
    return sendError(reply, invalid(problems));
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error, issues: error.cause.issues }, 'response did not match its schema');
    return sendError(reply, new ApiError(500, 'internal_error', 'The server produced an invalid response'));
  }
  const status = error.statusCode ?? 500;
  if (status === 429) {
    return sendError(reply, new ApiError(429, 'rate_limited', 'Too many requests; wait a minute and try again'));
  }
  if (status >= 400 && status < 500) {
    const code =
      error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? 'unsupported_media_type'
        : error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'body_too_large'
          : 'bad_request';
    const field = code === 'bad_request' ? '(body)' : undefined;
    return sendError(reply, new ApiError(status, code, error.message, field));
  }
  request.log.error({ err: error }, 'request failed');
  return sendError(reply, new ApiError(500, 'internal_error', 'Something went wrong on the server; nothing was saved'));
}

/** The SQLSTATE of a database error, looking through Drizzle's wrapper. */
export function sqlState(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
