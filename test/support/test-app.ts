import type { LightMyRequestResponse } from 'fastify';
import { uuidv7 } from 'uuidv7';
import { defaultClinicSettings } from '../../src/domain/clinic/clinic-settings';
import type { Role } from '../../src/domain/staff/roles';
import { FakeClock } from '../../src/domain/time/clock';
import type { Database } from '../../src/store/database';
import { createClinic } from '../../src/store/clinics';
import { createStaff, setRoles } from '../../src/store/staff';
import { inTransaction, SYSTEM_ACTOR } from '../../src/store/transaction';
import { buildApp } from '../../src/server/app';
import { loadConfig, type ServerConfig } from '../../src/server/config';
import { recentConfirmations } from '../../src/server/auth/recent-confirmations';
import type { App, AppContext } from '../../src/server/context';
import { argon2Hasher } from '../../src/server/auth/passwords';
import { openTestDatabase } from './test-database';
import { answerSecondFactor, type SecondFactorKeyring } from './second-factor';

export const TEST_PASSWORD = 'correct horse battery staple';

const TEST_AUTHENTICATORS: SecondFactorKeyring['people'] = new Map();

/** Argon2id at its cheapest: the tests check behaviour, not hashing cost. */
export const testPasswords = argon2Hasher({ memoryKiB: 1024, iterations: 1 });

export interface Response<T = any> {
  status: number;
  body: T;
  headers: LightMyRequestResponse['headers'];
}

/** A browser-like client: keeps the session cookie and sends the CSRF token with writes. */
export class Client {
  cookie: string | null = null;
  csrfToken: string | null = null;
  staffId: string | null = null;
  ip = '203.0.113.7';
  userAgent = 'openhat-test';

  /**
   * Pass the TOTP second factor by itself at sign-in (enrolling if asked), computing codes from the
   * secret the enrolment returned and the app's test clock. Tests of the second factor turn it off.
   */
  autoSecondFactor = true;

  constructor(
    readonly app: App,
    readonly keyring?: SecondFactorKeyring,
  ) {}

  async request<T = any>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response<T>> {
    const res = await this.app.inject({
      method,
      url,
      remoteAddress: this.ip,
      headers: {
        'user-agent': this.userAgent,
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrfToken && method !== 'GET' ? { 'x-csrf-token': this.csrfToken } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    const setCookie = res.cookies.find((c) => c.name === 'openhat_session');
    if (setCookie) this.cookie = setCookie.value ? `openhat_session=${setCookie.value}` : null;
    const parsed = res.body && res.headers['content-type']?.toString().includes('json') ? JSON.parse(res.body) : res.body;
    if (parsed && typeof parsed === 'object' && 'csrfToken' in parsed) this.csrfToken = parsed.csrfToken;
    return { status: res.statusCode, body: parsed as T, headers: res.headers };
  }

  get = <T = any>(url: string, headers?: Record<string, string>) => this.request<T>('GET', url, undefined, headers);
  post = <T = any>(url: string, body?: unknown, headers?: Record<string, string>) => this.request<T>('POST', url, body ?? {}, headers);
  put = <T = any>(url: string, body?: unknown, headers?: Record<string, string>) => this.request<T>('PUT', url, body ?? {}, headers);
  patch = <T = any>(url: string, body?: unknown, headers?: Record<string, string>) => this.request<T>('PATCH', url, body ?? {}, headers);

  async signIn(email: string, password = TEST_PASSWORD): Promise<Response> {
    const res = await this.post('/api/v1/auth/login', { email, password });
    if (res.status === 200) this.staffId = res.body.staff.staffId;
    if (res.status === 200 && res.body.secondFactor && this.autoSecondFactor && this.keyring) {
      return answerSecondFactor(this, this.keyring, email, res);
    }
    return res;
  }
}

export interface TestStaff {
  staffId: string;
  email: string;
  client: Client;
}

export interface TestClinic {
  clinicId: string;
  admin: TestStaff;
  url(path?: string): string;
}

/**
 * One app and database per test file; each test makes its own clinic(s) and people, so tests
 * never see each other's data.
 */
export class TestApp {
  private constructor(
    readonly app: App,
    readonly db: Database,
    readonly clock: FakeClock,
    readonly ctx: AppContext,
  ) {}

  static async open(overrides: Partial<ServerConfig> = {}, options: { webDir?: string } = {}): Promise<TestApp> {
    return TestApp.on(await openTestDatabase(), overrides, options);
  }

  /** An app on a database the test opened itself (e.g. one it restored a backup into). */
  static async on(db: Database, overrides: Partial<ServerConfig> = {}, options: { webDir?: string } = {}): Promise<TestApp> {
    const clock = new FakeClock('2026-03-02T09:00:00Z');
    // The sign-in rate limit has its own test; elsewhere it would only get in the way.
    const config = { ...loadConfig({}), loginRateLimitPerMinute: 100_000, ...overrides };
    const ctx: AppContext = { db, clock, config, passwords: testPasswords, confirmations: recentConfirmations({ minutes: config.confirmationCacheMinutes }) };
    const app = await buildApp(ctx, {
      ...(process.env.OPENHAT_TEST_LOG ? { loggerInstance: (await import('pino')).default({ level: 'error' }) } : {}),
      ...(options.webDir ? { webDir: options.webDir } : {}),
    });
    return new TestApp(app, db, clock, ctx);
  }

  /**
   * Second-factor secrets, recovery codes and last steps used, by email (see ./second-factor.ts):
   * shared by every app of this test file, so that a database restored into a new app still signs in.
   */
  readonly keyring: SecondFactorKeyring = { clock: () => this.clock.now().epochMilliseconds, people: TEST_AUTHENTICATORS };

  async close(): Promise<void> {
    await this.app.close();
    await this.db.close();
  }

  client(): Client {
    return new Client(this.app, this.keyring);
  }

  /** A clinic with an administrator who is already signed in. */
  async newClinic(name = `Clinic ${uuidv7().slice(-6)}`): Promise<TestClinic> {
    const clinicId = await inTransaction(this.db, this.clock, SYSTEM_ACTOR, (w) => createClinic(w, defaultClinicSettings(name)));
    const admin = await this.newStaff(clinicId, ['admin']);
    return { clinicId, admin, url: (path = '') => `/api/v1/clinics/${clinicId}${path}` };
  }

  /** A member of staff with the given roles at a clinic, signed in unless told otherwise. */
  async newStaff(
    clinicId: string | null,
    roles: Role[],
    options: { signIn?: boolean; deploymentAdmin?: boolean; mustChangePassword?: boolean; password?: string } = {},
  ): Promise<TestStaff> {
    const email = `staff-${uuidv7()}@clinic.test`;
    const passwordHash = await testPasswords.hash(options.password ?? TEST_PASSWORD);
    const staffId = await inTransaction(this.db, this.clock, SYSTEM_ACTOR, async (w) => {
      const person = await createStaff(
        w,
        {
          email,
          displayName: `Test ${roles.join('+') || 'person'}`,
          passwordHash,
          mustChangePassword: options.mustChangePassword ?? false,
          deploymentAdmin: options.deploymentAdmin ?? false,
        },
        clinicId,
      );
      if (clinicId && roles.length > 0) await setRoles(w, clinicId, person.staffId, roles);
      return person.staffId;
    });
    const client = this.client();
    if (options.signIn !== false) {
      const res = await client.signIn(email, options.password ?? TEST_PASSWORD);
      if (res.status !== 200) throw new Error(`test sign-in failed: ${JSON.stringify(res.body)}`);
    }
    return { staffId, email, client };
  }
}
