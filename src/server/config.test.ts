import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

function problemsFor(env: Record<string, string>) {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('has working defaults: port 8080, ./data, PGlite, 30 min idle, 12 h sessions, lockout after 5', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(config.databaseUrl).toBeNull();
    expect(config.session).toEqual({ idleMinutes: 30, absoluteHours: 12 });
    expect(config.lockout).toEqual({ maxFailures: 5, lockMinutes: 15 });
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      PORT: '9090',
      OPENHAT_DATA_DIR: '/var/lib/openhat',
      DATABASE_URL: 'postgres://u:p@db:5432/openhat',
      OPENHAT_COOKIE_SECURE: 'true',
      OPENHAT_TRUST_PROXY: 'yes',
      OPENHAT_ADMIN_EMAIL: 'admin@clinic.example',
      OPENHAT_ADMIN_PASSWORD: 'a long enough password',
    });
    expect(config.port).toBe(9090);
    expect(config.dataDir).toBe('/var/lib/openhat');
    expect(config.databaseUrl).toBe('postgres://u:p@db:5432/openhat');
    expect(config.cookieSecure).toBe(true);
    expect(config.trustProxy).toBe(true);
    expect(config.initialAdmin?.email).toBe('admin@clinic.example');
  });

  it('names the variable, the value and the rule for each bad value', () => {
    expect(problemsFor({ PORT: 'eighty' })).toEqual([
      { variable: 'PORT', message: 'must be a whole number between 1 and 65535 (got "eighty")' },
    ]);
    expect(problemsFor({ PORT: '70000' })).toEqual([{ variable: 'PORT', message: 'must be at most 65535 (got "70000")' }]);
    expect(problemsFor({ DATABASE_URL: 'mysql://x' })[0]?.variable).toBe('DATABASE_URL');
    expect(problemsFor({ LOG_LEVEL: 'loud' })[0]?.variable).toBe('LOG_LEVEL');
    expect(problemsFor({ OPENHAT_TRUST_PROXY: 'maybe' })).toEqual([
      { variable: 'OPENHAT_TRUST_PROXY', message: 'must be true or false (got "maybe")' },
    ]);
    expect(problemsFor({ OPENHAT_SESSION_IDLE_MINUTES: '0' })[0]?.variable).toBe('OPENHAT_SESSION_IDLE_MINUTES');
    expect(problemsFor({ OPENHAT_CONFIRMATION_CACHE_MINUTES: '61' })).toEqual([
      { variable: 'OPENHAT_CONFIRMATION_CACHE_MINUTES', message: 'must be at most 60 (got "61")' },
    ]);
  });

  it('remembers a proved witness password for 15 minutes unless told otherwise (0 turns it off)', () => {
    expect(loadConfig({}).confirmationCacheMinutes).toBe(15);
    expect(loadConfig({ OPENHAT_CONFIRMATION_CACHE_MINUTES: '0' }).confirmationCacheMinutes).toBe(0);
  });

  it('reports every bad value at once, and never echoes a password', () => {
    const problems = problemsFor({ PORT: 'x', OPENHAT_ADMIN_EMAIL: 'not-an-email', OPENHAT_ADMIN_PASSWORD: 'secret' });
    expect(problems.map((p) => p.variable).sort()).toEqual(['OPENHAT_ADMIN_EMAIL', 'PORT']);
    expect(JSON.stringify(problems)).not.toContain('secret');
  });

  it('wants the initial admin email and password together', () => {
    expect(problemsFor({ OPENHAT_ADMIN_EMAIL: 'a@b.example' })).toEqual([
      { variable: 'OPENHAT_ADMIN_PASSWORD', message: 'set both OPENHAT_ADMIN_EMAIL and OPENHAT_ADMIN_PASSWORD, or neither' },
    ]);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '' }).port).toBe(8080);
  });
});
