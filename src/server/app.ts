import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyError } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { App, AppContext } from './context';
import { installAuthorization, CSRF_HEADER, SESSION_COOKIE } from './authorize';
import { ApiError, errorHandler, sendError } from './errors';
import { operations } from './operations/index';
import { installLiveUpdates } from './live';
import { installTextSafety } from './text-safety';
import { installWebApp } from './web-app';
import { PORTAL_COOKIE } from './portal/portal-auth';
import { IDEMPOTENCY_HEADER, installIdempotency, replayAfterFailure } from './write';

export const API_VERSION = '0.1.0';

/**
 * The Content-Security-Policy on every response (src/server/security-headers.int.test.ts checks it).
 * Scripts come only from this origin's built files: no inline script, no eval, no plugins; nothing
 * may frame the app, and forms post only here. Styles allow 'unsafe-inline' because Mantine writes
 * its CSS variables into a <style> element at run time and, like Recharts, sets style="…"
 * attributes on elements (sizes, colours, chart geometry); a nonce cannot cover style attributes.
 * Inline styles cannot run code. Images also from data: and blob: (the second-factor QR code, photos
 * of service users). No upgrade-insecure-requests: a clinic may serve the app over plain HTTP on
 * its own network, where that directive would break every asset; behind TLS, use HSTS instead.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** The whole HTTP server, without listening: tests drive it with inject(), main.ts listens. */
export async function buildApp(ctx: AppContext, options: { loggerInstance?: FastifyBaseLogger; webDir?: string } = {}): Promise<App> {
  const app = Fastify({
    ...(options.loggerInstance ? { loggerInstance: options.loggerInstance } : { logger: false }),
    trustProxy: ctx.config.trustProxy,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    // A malformed or overlong URL still gets the API's error shape (found by the fuzzer).
    frameworkErrors: (error, _req, reply) =>
      error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? sendError(reply, new ApiError(414, 'url_too_long', 'A part of the URL is too long', '(url)'))
        : sendError(reply, new ApiError(400, 'bad_url', 'The URL is not valid', '(url)')),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(async (error: FastifyError, req, reply) => {
    if (error.statusCode !== 422 && (await replayAfterFailure(ctx, req, reply).catch(() => false))) return reply;
    return errorHandler(error, req, reply);
  });
  let webBuilt = false;
  app.setNotFoundHandler((req, reply) => {
    // The web app's own pages (/today, /people/…) are client-side routes: give them the app.
    const path = req.url.split('?')[0]!;
    if (webBuilt && req.method === 'GET' && !path.startsWith('/api/') && (req.headers.accept ?? '').includes('text/html')) {
      return reply.header('cache-control', 'no-store').sendFile('index.html');
    }
    return sendError(reply, new ApiError(404, 'not_found', `There is no ${req.method} ${path}`));
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  await app.register(fastifyHelmet, { contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY } });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'openhat API',
        version: API_VERSION,
        description:
          'Clinical system for Heroin-Assisted Treatment clinics. Errors have one shape: { error: { code, message, field? } }. ' +
          `Sign in with POST /api/v1/auth/login; the session is an HttpOnly cookie (${SESSION_COOKIE}); every write must carry ` +
          `the ${CSRF_HEADER} header from the sign-in response. Writes on clinic routes accept an ${IDEMPOTENCY_HEADER} header. ` +
          'When the sign-in answers secondFactor "enrolment_required" or "code_required", that session can only enrol or answer a TOTP code ' +
          '(/api/v1/auth/second-factor/*), which gives a new session. ' +
          `Service users sign in to their portal with POST /api/v1/portal/login: its own cookie (${PORTAL_COOKIE}), only for /api/v1/portal/*.`,
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE }, portalSession: { type: 'apiKey', in: 'cookie', name: PORTAL_COOKIE } },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  installAuthorization(app, ctx);
  installIdempotency(app, ctx);
  installTextSafety(app);
  installLiveUpdates(app, ctx);
  webBuilt = await installWebApp(app, options.webDir);
  for (const register of operations) register(app, ctx);
  await app.ready();
  return app;
}
