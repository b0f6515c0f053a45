import { join } from 'node:path';
import { lockDataFolder } from './data-folder-lock';
import { openPglite, openPostgres, type Database } from './database';
import { migrate } from './migrate';

export interface DatabaseSettings {
  databaseUrl: string | null;
  dataDir: string;
  databasePoolSize?: number;
}

/**
 * The database the configuration asks for: PostgreSQL when DATABASE_URL is set, otherwise PGlite
 * in the data folder, locked against a second process. Closing the database releases the lock.
 */
export async function openDatabase(
  settings: DatabaseSettings,
  options: { migrate?: boolean; onError?: (err: Error) => void } = {},
): Promise<Database> {
  let db: Database;
  if (settings.databaseUrl) {
    db = await openPostgres({
      url: settings.databaseUrl,
      maxConnections: settings.databasePoolSize ?? 10,
      ...(options.onError ? { onError: options.onError } : {}),
    });
  } else {
    const lock = lockDataFolder(settings.dataDir);
    try {
      const pglite = await openPglite({ dataDir: join(settings.dataDir, 'pgdata') });
      const close = pglite.close.bind(pglite);
      db = {
        ...pglite,
        close: async () => {
          try {
            await close();
          } finally {
            lock.release();
          }
        },
      };
    } catch (err) {
      lock.release();
      throw err;
    }
  }
  if (options.migrate !== false) {
    try {
      await migrate(db);
    } catch (err) {
      await db.close();
      throw err;
    }
  }
  return db;
}
