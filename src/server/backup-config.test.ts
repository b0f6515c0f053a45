import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

/** OPENHAT_BACKUP_DIR, OPENHAT_BACKUP_INTERVAL, OPENHAT_BACKUP_KEEP. */
describe('scheduled backup configuration', () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (err) {
      if (err instanceof ConfigError) return err.message;
      throw err;
    }
    return null;
  };

  it('is off unless OPENHAT_BACKUP_DIR is set; then daily, keeping 14', () => {
    expect(loadConfig({}).backups).toBeNull();
    expect(loadConfig({ OPENHAT_BACKUP_DIR: '/srv/backups' }).backups).toEqual({ dir: '/srv/backups', intervalMs: 86_400_000, keep: { count: 14, days: null } });
  });

  it('reads the interval and the retention', () => {
    expect(loadConfig({ OPENHAT_BACKUP_DIR: '/b', OPENHAT_BACKUP_INTERVAL: '6h', OPENHAT_BACKUP_KEEP: '28,30d' }).backups).toEqual({
      dir: '/b',
      intervalMs: 6 * 3_600_000,
      keep: { count: 28, days: 30 },
    });
  });

  it('names the variable and the value when one is wrong', () => {
    expect(problems({ OPENHAT_BACKUP_DIR: '/b', OPENHAT_BACKUP_INTERVAL: 'hourly' })).toContain(
      'OPENHAT_BACKUP_INTERVAL: must be a whole number and a unit: s, m, h or d (e.g. 6h, 90m, 1d) (got "hourly")',
    );
    expect(problems({ OPENHAT_BACKUP_DIR: '/b', OPENHAT_BACKUP_INTERVAL: '1s' })).toContain('OPENHAT_BACKUP_INTERVAL: must be at least 10 seconds');
    expect(problems({ OPENHAT_BACKUP_DIR: '/b', OPENHAT_BACKUP_KEEP: '0' })).toContain('OPENHAT_BACKUP_KEEP: must keep at least 1 backup (or 1 day) (got "0")');
  });

  it('wants the folder when the interval or retention is given', () => {
    expect(problems({ OPENHAT_BACKUP_INTERVAL: '6h' })).toContain('OPENHAT_BACKUP_DIR: set it to the folder for scheduled backups');
    expect(problems({ OPENHAT_BACKUP_KEEP: '7' })).toContain('OPENHAT_BACKUP_DIR');
  });
});
