import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { namingPool } from './named-statements';
import type { DB } from './schema';

export type Database = Kysely<DB>;

/**
 * Bounds on every PostgreSQL connection, so a request that meets a broken or stuck database
 * fails within seconds instead of hanging (and is answered 503, see isDatabaseUnavailable).
 */
export const POSTGRES_LIMITS = {
  /** connecting, or waiting for a free client in the pool */
  connectionTimeoutMillis: 5_000,
  /** the server cancels any one statement after this long */
  statement_timeout: 15_000,
  /** client side: a statement whose answer never comes (a dead network) fails after this */
  query_timeout: 20_000,
  /** the server ends a session left idle inside a transaction (a stalled process) */
  idle_in_transaction_session_timeout: 30_000,
  /** idle clients are closed after this long */
  idleTimeoutMillis: 30_000,
} as const;

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
export function openDatabase(opts: {
  url?: string | undefined;
  dataDir: string;
  /** told about connection errors the pool survives (a restart, a terminated backend) */
  onConnectionError?: (err: Error) => void;
}): DatabaseHandle {
  if (opts.url) {
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: 20,
      keepAlive: true,
      ...POSTGRES_LIMITS,
    });
    const onError = opts.onConnectionError ?? (() => undefined);
    // Without these a terminated backend or a PostgreSQL restart emits 'error' on an idle
    // client (the pool's) or on one checked out between two statements of a transaction
    // (the client's), and an unhandled 'error' kills the process. The pool drops broken
    // clients by itself; the statement in flight fails and is answered 503.
    pool.on('error', onError);
    pool.on('connect', (client) => client.on('error', onError));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: namingPool(pool) }) });
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

const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: the backend was terminated, or the server is shutting down
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '53300', // too_many_connections
  '57014', // query_canceled: statement_timeout
  '25P03', // idle_in_transaction_session_timeout
]);
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/, // pg: the socket closed under a client
  /timeout exceeded when trying to connect/, // pg-pool: connectionTimeoutMillis
  /^Query read timeout/, // pg: query_timeout
  /is not queryable/, // pg: a client that already met a connection error
  /^Client was closed and is not queryable/,
];

/**
 * Whether an error means the database is unreachable or overloaded right now, so the
 * request may be retried shortly (answered 503 with Retry-After), rather than a bug.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = 'code' in err && typeof err.code === 'string' ? err.code : undefined;
  if (code && (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08'))) return true;
  if (code && UNAVAILABLE_NODE_CODES.has(code)) return true;
  // connecting to every address of a host failed (Node's happy eyeballs)
  if (err instanceof AggregateError) return err.errors.some(isDatabaseUnavailable);
  const message = err instanceof Error ? err.message : '';
  if (UNAVAILABLE_MESSAGES.some((re) => re.test(message))) return true;
  return err instanceof Error && err.cause !== undefined && isDatabaseUnavailable(err.cause);
}
