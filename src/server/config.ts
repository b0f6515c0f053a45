import { resolve } from 'node:path';
import { z } from 'zod';
import { fieldPath } from '../domain/validation';
import { parseInterval, parseRetention, type Parsed, type Retention } from '../domain/backup/schedule';
import { isRole, ROLES, type Role } from '../domain/staff/roles';

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
  OPENHAT_CONFIRMATION_CACHE_MINUTES: integer(0, 60).default(15),
  OPENHAT_SHUTDOWN_GRACE_SECONDS: integer(1, 600).default(20),
  OPENHAT_CLOCK_FILE: z.string().trim().min(1).optional(),
  OPENHAT_SECOND_FACTOR_ROLES: z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => v === 'none' || v.split(',').every((r) => isRole(r.trim())), `must be none or a comma-separated list of roles (${ROLES.join(', ')})`)
    .default('admin,prescriber,cd_accountable'),
  OPENHAT_SECOND_FACTOR_MAX_FAILURES: integer(1, 100).default(5),
  OPENHAT_SECOND_FACTOR_KEY: z
    .string()
    .trim()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 random bytes in base64 (openssl rand -base64 32)')
    .optional(),
  OPENHAT_BACKUP_DIR: z.string().trim().min(1, 'must not be empty').optional(),
  OPENHAT_BACKUP_INTERVAL: z.string().superRefine(parsedBy(parseInterval)).optional(),
  OPENHAT_BACKUP_KEEP: z.string().superRefine(parsedBy(parseRetention)).optional(),
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
  /** How long a witness's or signer's password, once proved against its Argon2 hash, is checked by an HMAC instead (0: never). */
  confirmationCacheMinutes: number;
  shutdownGraceSeconds: number;
  /** Tests and training only: the server's "now" follows the instant written in this file. */
  clockFile: string | null;
  /**
   * TOTP second factor: required at sign-in for anyone holding one of these roles at any clinic
   * (and for deployment administrators whenever admin is listed); anyone may enrol. The key, when
   * set, encrypts the stored secrets (AES-256-GCM).
   */
  secondFactor: { requiredRoles: Role[]; maxFailures: number; key: Buffer | null };
  /** Scheduled backups into a folder (OPENHAT_BACKUP_DIR), or null when not configured. */
  backups: { dir: string; intervalMs: number; keep: Retention } | null;
}

/** A zod check from a parser that answers { ok, value } or { ok: false, message }. */
function parsedBy<T>(parse: (text: string) => Parsed<T>) {
  return (value: string, ctx: z.RefinementCtx) => {
    const r = parse(value);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message });
  };
}

function valueOf<T>(r: Parsed<T>): T {
  if (!r.ok) throw new Error(r.message);
  return r.value;
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
        const shown = variable.includes('PASSWORD') || variable.endsWith('_KEY') || got === undefined ? '' : ` (got ${JSON.stringify(got)})`;
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
  if (!e.OPENHAT_BACKUP_DIR && (e.OPENHAT_BACKUP_INTERVAL || e.OPENHAT_BACKUP_KEEP)) {
    problems.push({ variable: 'OPENHAT_BACKUP_DIR', message: 'set it to the folder for scheduled backups (OPENHAT_BACKUP_INTERVAL and OPENHAT_BACKUP_KEEP need it)' });
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
    confirmationCacheMinutes: e.OPENHAT_CONFIRMATION_CACHE_MINUTES,
    shutdownGraceSeconds: e.OPENHAT_SHUTDOWN_GRACE_SECONDS,
    clockFile: e.OPENHAT_CLOCK_FILE ?? null,
    secondFactor: {
      requiredRoles: e.OPENHAT_SECOND_FACTOR_ROLES === 'none' ? [] : e.OPENHAT_SECOND_FACTOR_ROLES.split(',').map((r) => r.trim()).filter(isRole),
      maxFailures: e.OPENHAT_SECOND_FACTOR_MAX_FAILURES,
      key: e.OPENHAT_SECOND_FACTOR_KEY ? Buffer.from(e.OPENHAT_SECOND_FACTOR_KEY, 'base64') : null,
    },
    backups: e.OPENHAT_BACKUP_DIR
      ? {
          dir: resolve(e.OPENHAT_BACKUP_DIR),
          intervalMs: valueOf(parseInterval(e.OPENHAT_BACKUP_INTERVAL ?? '24h')),
          keep: valueOf(parseRetention(e.OPENHAT_BACKUP_KEEP ?? '14')),
        }
      : null,
  };
}
