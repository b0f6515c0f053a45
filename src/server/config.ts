import { resolve } from 'node:path';
import { z } from 'zod';
import { fieldPath } from '../domain/validation';

/**
 * Everything openhat reads from the environment, validated once at start. A bad value stops the
 * server with a message that names the variable, says what it got and what it wanted.
 */

const integer = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be a whole number between ${min} and ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const flag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['1', '0', 'true', 'false', 'yes', 'no'].includes(v), 'must be true or false')
  .transform((v) => ['1', 'true', 'yes'].includes(v));

const EnvSchema = z.object({
  PORT: integer(1, 65535).default(8080),
  HOST: z.string().trim().min(1, 'must not be empty').default('0.0.0.0'),
  OPENHAT_DATA_DIR: z.string().trim().min(1, 'must not be empty').default('./data'),
  DATABASE_URL: z
    .string()
    .trim()
    .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL')
    .refine((v) => URL.canParse(v), 'is not a valid URL')
    .optional(),
  DATABASE_POOL_SIZE: integer(1, 200).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OPENHAT_ADMIN_EMAIL: z.email('must be an email address').optional(),
  OPENHAT_ADMIN_PASSWORD: z.string().optional(),
  OPENHAT_SESSION_IDLE_MINUTES: integer(1, 24 * 60).default(30),
  OPENHAT_SESSION_ABSOLUTE_HOURS: integer(1, 72).default(12),
  OPENHAT_LOGIN_MAX_FAILURES: integer(1, 100).default(5),
  OPENHAT_LOCKOUT_MINUTES: integer(1, 24 * 60).default(15),
  OPENHAT_LOGIN_RATE_LIMIT_PER_MINUTE: integer(1, 10_000).default(20),
  OPENHAT_COOKIE_SECURE: z.enum(['auto', 'true', 'false'], 'must be auto, true or false').default('auto'),
  OPENHAT_TRUST_PROXY: flag.default(false),
  OPENHAT_ARGON2_MEMORY_KIB: integer(1024, 4 * 1024 * 1024).default(65536),
  OPENHAT_ARGON2_ITERATIONS: integer(1, 20).default(3),
  OPENHAT_SHUTDOWN_GRACE_SECONDS: integer(1, 600).default(20),
  OPENHAT_CLOCK_FILE: z.string().trim().min(1).optional(),
});

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  databasePoolSize: number;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  initialAdmin: { email: string; password: string } | null;
  session: { idleMinutes: number; absoluteHours: number };
  lockout: { maxFailures: number; lockMinutes: number };
  loginRateLimitPerMinute: number;
  cookieSecure: 'auto' | boolean;
  trustProxy: boolean;
  argon2: { memoryKiB: number; iterations: number };
  shutdownGraceSeconds: number;
  /** Tests and training only: the server's "now" follows the instant written in this file. */
  clockFile: string | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`openhat cannot start: bad configuration\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  // An empty variable means "not set", as in most shells' `VAR= command`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const variable = fieldPath(issue.path);
        const got = present[variable];
        const shown = variable.includes('PASSWORD') || got === undefined ? '' : ` (got ${JSON.stringify(got)})`;
        return { variable, message: `${issue.message}${shown}` };
      }),
    );
  }
  const e = parsed.data;
  const problems: { variable: string; message: string }[] = [];
  if ((e.OPENHAT_ADMIN_EMAIL === undefined) !== (e.OPENHAT_ADMIN_PASSWORD === undefined)) {
    problems.push({
      variable: e.OPENHAT_ADMIN_EMAIL ? 'OPENHAT_ADMIN_PASSWORD' : 'OPENHAT_ADMIN_EMAIL',
      message: 'set both OPENHAT_ADMIN_EMAIL and OPENHAT_ADMIN_PASSWORD, or neither',
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.OPENHAT_DATA_DIR),
    databaseUrl: e.DATABASE_URL ?? null,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    logLevel: e.LOG_LEVEL,
    initialAdmin:
      e.OPENHAT_ADMIN_EMAIL && e.OPENHAT_ADMIN_PASSWORD
        ? { email: e.OPENHAT_ADMIN_EMAIL, password: e.OPENHAT_ADMIN_PASSWORD }
        : null,
    session: { idleMinutes: e.OPENHAT_SESSION_IDLE_MINUTES, absoluteHours: e.OPENHAT_SESSION_ABSOLUTE_HOURS },
    lockout: { maxFailures: e.OPENHAT_LOGIN_MAX_FAILURES, lockMinutes: e.OPENHAT_LOCKOUT_MINUTES },
    loginRateLimitPerMinute: e.OPENHAT_LOGIN_RATE_LIMIT_PER_MINUTE,
    cookieSecure: e.OPENHAT_COOKIE_SECURE === 'auto' ? 'auto' : e.OPENHAT_COOKIE_SECURE === 'true',
    trustProxy: e.OPENHAT_TRUST_PROXY,
    argon2: { memoryKiB: e.OPENHAT_ARGON2_MEMORY_KIB, iterations: e.OPENHAT_ARGON2_ITERATIONS },
    shutdownGraceSeconds: e.OPENHAT_SHUTDOWN_GRACE_SECONDS,
    clockFile: e.OPENHAT_CLOCK_FILE ?? null,
  };
}
