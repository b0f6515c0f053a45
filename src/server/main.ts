import pino from 'pino';
import { readFileSync, watchFile } from 'node:fs';
import { Temporal } from 'temporal-polyfill';
import { OffsetClock, systemClock } from '../domain/time/clock';
import { DataFolderLockedError } from '../store/data-folder-lock';
import { openDatabase } from '../store/open';
import { MigrationError } from '../store/migrate';
import { buildApp } from './app';
import { ConfigError, loadConfig, type ServerConfig } from './config';
import { ensureFirstAdministrator, FirstAdministratorError, type FirstAdministrator } from './first-administrator';
import { argon2Hasher } from './auth/passwords';
import { recentConfirmations } from './auth/recent-confirmations';
import { catchUpMissedDoses } from './dosing/missed-doses';
import { BackupScheduler, dosingSessionUnderWay } from './backup-scheduler';
import { describeRetention } from '../domain/backup/schedule';

/** `npm start`: configuration, database (migrated), first administrator, HTTP server, clean shutdown. */
async function main(): Promise<void> {
  let config: ServerConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = pino({ level: config.logLevel, base: { service: 'openhat' } });

  let db;
  try {
    db = await openDatabase(config, { onError: (err) => logger.error({ err }, 'database connection error') });
  } catch (err) {
    if (err instanceof DataFolderLockedError || err instanceof MigrationError) {
      process.stderr.write(`openhat cannot start: ${err.message}\n`);
      process.exit(3);
    }
    process.stderr.write(`openhat cannot open its database: ${(err as Error).message}\n`);
    process.exit(3);
  }
  logger.info({ database: db.location }, 'database ready');

  const ctx = { db, clock: config.clockFile ? fileClock(config.clockFile, logger) : systemClock, config, passwords: argon2Hasher(config.argon2), confirmations: recentConfirmations({ minutes: config.confirmationCacheMinutes }) };
  let first: FirstAdministrator | null;
  try {
    first = await ensureFirstAdministrator(ctx, config.initialAdmin);
  } catch (err) {
    if (err instanceof FirstAdministratorError) {
      process.stderr.write(`openhat cannot start: ${err.message} (OPENHAT_ADMIN_PASSWORD)\n`);
      await db.close();
      process.exit(2);
    }
    throw err;
  }

  const app = await buildApp(ctx, { loggerInstance: logger });
  await app.listen({ port: config.port, host: config.host });
  // Missed doses are recorded when a session's window has ended, even if nobody closed it (and
  // after a restart): the job catches up on the last days and is idempotent.
  const missedDoseJob = async () => {
    try {
      const missed = await catchUpMissedDoses(ctx);
      if (missed > 0) logger.info({ missed }, 'recorded missed doses for ended sessions');
    } catch (err) {
      logger.error({ err }, 'missed-dose job failed; it will try again');
    }
  };
  await missedDoseJob();
  const missedDoseTimer = setInterval(() => void missedDoseJob(), 60_000);
  missedDoseTimer.unref();
  // Scheduled backups (OPENHAT_BACKUP_DIR): into the folder, by the clock, pruned by retention.
  // On PGlite a backup holds the one connection while it reads its snapshot: it waits for a
  // moment when no clinic is dosing (at most 12 hours). PostgreSQL backs up alongside the work.
  let backups: BackupScheduler | null = null;
  if (config.backups) {
    try {
      backups = new BackupScheduler({ db, clock: ctx.clock, ...config.backups, logger, ...(db.kind === 'pglite' ? { busy: (now: Temporal.Instant) => dosingSessionUnderWay(db, now) } : {}) });
    } catch (err) {
      process.stderr.write(`openhat cannot start: OPENHAT_BACKUP_DIR: cannot use ${config.backups.dir} (${(err as Error).message})\n`);
      await app.close();
      await db.close();
      process.exit(2);
    }
  }
  if (backups && config.backups) {
    backups.start();
    logger.info({ dir: config.backups.dir, everyMinutes: config.backups.intervalMs / 60_000, retention: describeRetention(config.backups.keep) }, 'scheduled backups on');
  }

  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shown}:${config.port}`;
  if (first) printFirstSignIn(first, url, config.secondFactor.requiredRoles);
  else process.stdout.write(`openhat is running at ${url} (${db.location})\n`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    clearInterval(missedDoseTimer);
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    const force = setTimeout(() => {
      logger.error('requests did not finish in time; exiting');
      process.exit(1);
    }, config.shutdownGraceSeconds * 1000);
    force.unref();
    // Keep-alive connections that fall idle once their request is answered would hold close() open.
    const sweeper = setInterval(() => app.server.closeIdleConnections(), 100);
    sweeper.unref();
    try {
      await app.close();
      await backups?.stop();
      await db.close();
      logger.info('stopped cleanly');
      logger.flush();
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'error while shutting down');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/**
 * For end-to-end tests and training only: the clock runs from the instant written in the file and
 * follows it when the file changes. Real clinics must never set OPENHAT_CLOCK_FILE.
 */
function fileClock(path: string, logger: pino.Logger) {
  const read = () => Temporal.Instant.from(readFileSync(path, 'utf8').trim());
  const clock = new OffsetClock(read(), () => Date.now());
  watchFile(path, { interval: 50 }, () => {
    try {
      clock.setTo(read());
    } catch (err) {
      logger.error({ err }, 'could not read the clock file');
    }
  });
  logger.warn({ path }, 'OPENHAT_CLOCK_FILE is set: the clock is NOT the real time (tests and training only)');
  return clock;
}

function printFirstSignIn(first: FirstAdministrator, url: string, secondFactorRoles: readonly string[]) {
  const lines = [
    '',
    'openhat: this is a new installation. A first clinic ("My clinic") and its administrator were created.',
    `  Sign in at ${url} with`,
    `    email:    ${first.email}`,
    first.generatedPassword
      ? `    password: ${first.generatedPassword}   (temporary: you must change it when you first sign in; it is not shown again)`
      : '    password: the one in OPENHAT_ADMIN_PASSWORD',
    secondFactorRoles.includes('admin')
      ? '  You will set up a second factor (an authenticator app on your phone) at the first sign-in.'
      : null,
    `  From a terminal: curl -i -X POST ${url}/api/v1/auth/login -H 'content-type: application/json' \\`,
    `    -d '{"email":"${first.email}","password":"…"}'`,
    '',
  ];
  process.stdout.write(`${lines.filter((l) => l !== null).join('\n')}\n`);
}

await main();
