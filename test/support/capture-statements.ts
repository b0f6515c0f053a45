import type { Database } from '../../src/store/database';

/**
 * Capture every SQL statement sent through a database: Drizzle's logger on the session (inherited
 * by its transactions) and the raw query method. Returns the list the statements are appended to,
 * in the order they are sent; read `statements.slice(start)` for what one request sent.
 */
export function captureStatements(db: Database): string[] {
  const statements: string[] = [];
  const logger = { logQuery: (query: string) => void statements.push(query) };
  const session = (db.orm as unknown as { session: { logger: unknown; options: { logger?: unknown } } }).session;
  session.logger = logger;
  session.options.logger = logger;
  const raw = db.query.bind(db);
  (db as { query: typeof db.query }).query = (text, params) => {
    statements.push(text);
    return raw(text, params);
  };
  return statements;
}
