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
import { installWebApp } from './web-app';
import { PORTAL_COOKIE } from './portal/portal-auth';
import { IDEMPOTENCY_HEADER, installIdempotency, replayAfterFailure } from './write';

export const API_VERSION = '0.1.0';

/** The whole HTTP server, without listening: tests drive it with inject(), main.ts listens. */
export async function buildApp(ctx: AppContext, options: { loggerInstance?: FastifyBaseLogger; webDir?: string } = {}): Promise<App> {
  const app = Fastify({
    ...(options.loggerInstance ? { loggerInstance: options.loggerInstance } : { logger: false }),
    trustProxy: ctx.config.trustProxy,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
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

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      // Scripts only from this origin; Mantine and the charts set styles inline.
      directives: { defaultSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:', 'blob:'], frameAncestors: ["'none'"] },
    },
  });
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
  installLiveUpdates(app, ctx);
  webBuilt = await installWebApp(app, options.webDir);
  for (const register of operations) register(app, ctx);
  await app.ready();
  return app;
}
