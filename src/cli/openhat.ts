import { createWriteStream, existsSync, renameSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { input, password as passwordPrompt } from '@inquirer/prompts';
import { systemClock } from '../domain/time/clock';
import { BackupError, openBackupFile, restoreBackup, writeBackup } from '../store/backup';
import { openPglite } from '../store/database';
import { checkIntegrity, formatIntegrityReport } from '../store/integrity';
import { auditRead, SYSTEM_ACTOR } from '../store/transaction';
import { describeRetention, parseRetention } from '../domain/backup/schedule';
import { backupIntoFolder } from '../server/backup-scheduler';
import { DataFolderLockedError } from '../store/data-folder-lock';
import type { Database } from '../store/database';
import { MigrationError } from '../store/migrate';
import { openDatabase } from '../store/open';
import { ConfigError, loadConfig } from '../server/config';
import { ensureFirstAdministrator, FirstAdministratorError } from '../server/first-administrator';
import { argon2Hasher } from '../server/auth/passwords';

/**
 * `npm run openhat -- <command>`: init, migrate, backup FILE, restore FILE. Uses the same
 * configuration as the server (DATABASE_URL or OPENHAT_DATA_DIR).
 */

const USAGE = `usage: npm run openhat -- <command>

  init [--email E] [--password P] [--name NAME] [--clinic-name NAME]
                    create the first clinic and its administrator (asks for what is missing)
  migrate           apply pending database migrations
  backup FILE       write a backup of the whole database to FILE (gzipped JSON lines)
  backup --dir DIR [--keep 14,30d]
                    write a backup named by its UTC time into DIR, then remove old ones beyond
                    the retention (a count, days, or both; never the newest). With no FILE and no
                    --dir, OPENHAT_BACKUP_DIR and OPENHAT_BACKUP_KEEP are used.
  restore FILE      load a backup into an empty database (new data folder or new PostgreSQL database)
  verify-backup FILE
                    restore FILE into a throw-away in-memory database and check it: counts and
                    hash, every register page's hash chain and balances, dose steps with their
                    register supplies and audit rows, record histories. Exit 1 if anything fails.
  cd verify [--clinic ID]
                    check every controlled-drug register page's hash chain and balances

The database is PostgreSQL when DATABASE_URL is set, otherwise PGlite in OPENHAT_DATA_DIR (./data).
A PGlite data folder can be used by one process at a time: stop the server first.`;

class UsageError extends Error {}

async function withDatabase<T>(migrate: boolean, work: (db: Database) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase(config, { migrate });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

async function init(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      'clinic-name': { type: 'string' },
    },
  });
  const interactive = process.stdin.isTTY === true;
  const ask = async (flag: string, message: string, secret = false) => {
    if (!interactive) throw new UsageError(`--${flag} is required (or run init in a terminal to be asked)`);
    return secret ? passwordPrompt({ message, mask: '*' }) : input({ message });
  };
  const email = values.email ?? (await ask('email', 'Administrator\'s email'));
  const password = values.password ?? (await ask('password', 'Password (at least 12 characters)', true));
  const displayName = values.name ?? (interactive ? await input({ message: 'Name', default: 'Administrator' }) : 'Administrator');
  const clinicName = values['clinic-name'] ?? (interactive ? await input({ message: 'First clinic\'s name', default: 'My clinic' }) : 'My clinic');
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new UsageError('--email must be an email address');

  const config = loadConfig();
  await withDatabase(true, async (db) => {
    const created = await ensureFirstAdministrator(
      { db, clock: systemClock, passwords: argon2Hasher(config.argon2) },
      { email, password, displayName, clinicName },
    );
    if (!created) throw new FirstAdministratorError('openhat is already initialised: staff accounts exist. Add people from the clinic\'s staff page.');
    process.stdout.write(`Created clinic "${clinicName}" and administrator ${created.email}. Start openhat with: npm start\n`);
  });
}

async function migrateCommand() {
  const config = loadConfig();
  const db = await openDatabase(config, { migrate: false });
  try {
    const { migrate } = await import('../store/migrate');
    const applied = await migrate(db);
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'The database is up to date.\n');
  } finally {
    await db.close();
  }
}

async function backup(args: string[]) {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { dir: { type: 'string' }, keep: { type: 'string' } } });
  const config = loadConfig();
  const dir = values.dir ?? (positionals.length === 0 ? config.backups?.dir : undefined);
  if (dir) {
    if (positionals.length > 0) throw new UsageError('give either FILE or --dir DIR, not both');
    let keep = values.dir ? null : config.backups!.keep;
    if (values.keep !== undefined) {
      const parsed = parseRetention(values.keep);
      if (!parsed.ok) throw new UsageError(`--keep ${parsed.message}`);
      keep = parsed.value;
    }
    await withDatabase(true, async (db) => {
      const taken = await backupIntoFolder(db, dir, systemClock.now(), keep);
      await auditRead(db, systemClock, { ...SYSTEM_ACTOR, userAgent: 'openhat CLI' }, { clinicId: null, entityType: 'backup', details: { file: taken.file, bytes: taken.bytes, sha256: taken.sha256, pruned: taken.pruned } });
      process.stdout.write(`Backed up ${taken.rows} rows from ${db.location} to ${taken.file} (${taken.bytes} bytes, ${taken.ms} ms, sha256 ${taken.sha256}).\n`);
      if (keep) process.stdout.write(`Retention ${describeRetention(keep)}: ${taken.pruned.length ? `removed ${taken.pruned.join(', ')}` : 'nothing to remove'}.\n`);
    });
    return;
  }
  if (values.keep !== undefined) throw new UsageError('--keep goes with --dir');
  const file = positionals[0];
  if (!file) throw new UsageError('backup needs a FILE to write, or --dir DIR (or OPENHAT_BACKUP_DIR set)');
  if (positionals.length > 1) throw new UsageError('backup writes one FILE');
  if (existsSync(file)) throw new UsageError(`${file} already exists; choose a new name`);
  const partial = `${file}.partial`;
  await withDatabase(true, async (db) => {
    const summary = await writeBackup(db, createWriteStream(partial, { mode: 0o600 }), new Date());
    renameSync(partial, file);
    const rows = Object.values(summary.counts).reduce((a, b) => a + b, 0);
    process.stdout.write(`Backed up ${rows} rows from ${db.location} to ${file} (${statSync(file).size} bytes, sha256 ${summary.sha256}).\n`);
  });
}

async function restore(args: string[]) {
  const file = args[0];
  if (!file) throw new UsageError('restore needs a FILE to read');
  if (!existsSync(file)) throw new UsageError(`${file} does not exist`);
  await withDatabase(false, async (db) => {
    const summary = await restoreBackup(db, openBackupFile(file));
    const rows = Object.values(summary.counts).reduce((a, b) => a + b, 0);
    process.stdout.write(`Restored ${rows} rows into ${db.location}.\n`);
  });
}

/**
 * Restore a backup into a throw-away in-memory database and check it: the file's counts and hash
 * (as restore does), then every register page's hash chain and balances, the dosing steps and their
 * register supplies and audit rows, and every versioned record's history.
 */
async function verifyBackup(args: string[]): Promise<number> {
  const file = args[0];
  if (!file || args.length > 1) throw new UsageError('verify-backup needs one FILE to check');
  if (!existsSync(file)) throw new UsageError(`${file} does not exist`);
  const started = performance.now();
  const db = await openPglite({});
  try {
    let summary;
    try {
      summary = await restoreBackup(db, openBackupFile(file));
    } catch (err) {
      if (!(err instanceof BackupError)) throw err;
      process.stdout.write(`FAILED  ${file}: ${err.message}\nThe backup does NOT verify.\n`);
      return 1;
    }
    const rows = Object.values(summary.counts).reduce((a, b) => a + b, 0);
    process.stdout.write(`ok      ${file}: restored ${rows} rows into an empty database; counts and sha256 ${summary.sha256} match\n`);
    const report = await checkIntegrity(db);
    process.stdout.write(`${formatIntegrityReport(report)}\n`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(report.ok ? `The backup verifies (${seconds} s).\n` : 'The backup does NOT verify: see FAILED above.\n');
    return report.ok ? 0 : 1;
  } finally {
    await db.close();
  }
}

async function cd(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify') throw new UsageError('the cd command has one subcommand: cd verify');
  const { values } = parseArgs({ args: rest, options: { clinic: { type: 'string' } } });
  return withDatabase(true, async (db) => {
    const { verifyRegister } = await import('../server/cd/verify');
    const report = await verifyRegister(db.orm, values.clinic);
    for (const page of report.pages) {
      process.stdout.write(
        page.ok
          ? `ok      ${page.clinicId} ${page.name}: ${page.entries} entries, balance ${page.balance}\n`
          : `BROKEN  ${page.clinicId} ${page.name}: entry ${page.brokenAtSeq}: ${page.problem}\n`,
      );
    }
    process.stdout.write(report.ok ? `The register verifies: ${report.pages.length} pages.\n` : 'The register does NOT verify: see BROKEN above.\n');
    return report.ok ? 0 : 1;
  });
}

export async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'init':
        await init(rest);
        return 0;
      case 'migrate':
        await migrateCommand();
        return 0;
      case 'backup':
        await backup(rest);
        return 0;
      case 'restore':
        await restore(rest);
        return 0;
      case 'cd':
        return await cd(rest);
      case 'verify-backup':
        return await verifyBackup(rest);
      case undefined:
      case 'help':
      case '--help':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`openhat: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    if (err instanceof DataFolderLockedError || err instanceof BackupError || err instanceof MigrationError || err instanceof FirstAdministratorError) {
      process.stderr.write(`openhat: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`openhat: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

process.exitCode = await run(process.argv.slice(2));
