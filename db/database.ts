import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DB } from './schema';

export type Database = Kysely<DB>;

export interface DatabaseHandle {
  db: Database;
  kind: 'postgres' | 'pglite';
  /** Closes the pool or the embedded database. */
  close(): Promise<void>;
}

// timestamptz and bigint arrive as Date and string by default; counts and cents fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/**
 * PostgreSQL when a URL is given, otherwise an embedded PGlite persisted under dataDir,
 * so a newcomer needs nothing installed.
 */
export function openDatabase(opts: { url?: string | undefined; dataDir: string }): DatabaseHandle {
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: 20 });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const dir = resolve(opts.dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  const pglite = new PGlite(dir, {
    parsers: { 20: (v: string) => Number(v) },
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  return { db, kind: 'pglite', close: () => db.destroy() };
}

/**
 * Runs `fn` so that, inside a transaction, its failure undoes only its own writes: a failed
 * statement would otherwise abort the whole transaction and rule out a retry. Outside a
 * transaction every statement stands alone anyway.
 */
export async function inSavepoint<T>(db: Database, name: string, fn: () => Promise<T>): Promise<T> {
  if (!db.isTransaction) return fn();
  await sql`savepoint ${sql.id(name)}`.execute(db);
  try {
    const result = await fn();
    await sql`release savepoint ${sql.id(name)}`.execute(db);
    return result;
  } catch (err) {
    await sql`rollback to savepoint ${sql.id(name)}`.execute(db);
    throw err;
  }
}
