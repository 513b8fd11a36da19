import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';

// Server-side prepared statements for the hot queries (db/prepared.ts registers their SQL).
// Kysely sends every query as an unnamed statement, so PostgreSQL parses and plans it on every
// call; the order's statement is one large CTE, and on a box where PostgreSQL shares the
// cores with the app, planning it for each order was CPU the orders could not use. A named
// statement is parsed once per connection (node-postgres remembers which it has sent) and,
// after PostgreSQL's first few custom plans, runs on a cached plan.

const names = new Map<string, string>();

/** Runs this SQL text as a named statement from now on (on PostgreSQL; PGlite ignores it). */
export function nameStatement(sql: string): void {
  if (!names.has(sql)) names.set(sql, `linli_${names.size + 1}`);
}

/** The pool Kysely is given: pg's own, whose clients send registered texts by name. */
export function namingPool(pool: pg.Pool): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    function query<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>>;
    function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
    function query<R>(
      sqlOrCursor: string | PostgresCursor<R>,
      parameters?: readonly unknown[],
    ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
      if (typeof sqlOrCursor !== 'string') {
        return client.query(sqlOrCursor as never);
      }
      const values = parameters ? [...parameters] : [];
      const name = names.get(sqlOrCursor);
      return (name
        ? client.query({ name, text: sqlOrCursor, values })
        : client.query(sqlOrCursor, values)) as unknown as Promise<PostgresQueryResult<R>>;
    }
    return {
      // Kysely reads it to cancel a query on its own connection
      get processID() {
        return (client as pg.PoolClient & { processID?: number }).processID;
      },
      query,
      release: (destroy?: boolean) => client.release(destroy),
    };
  };
  return {
    options: pool.options,
    end: () => pool.end(),
    async connect() {
      const client = await pool.connect();
      let kept = wrapped.get(client);
      if (!kept) {
        kept = wrap(client);
        wrapped.set(client, kept);
      }
      return kept;
    },
  };
}
