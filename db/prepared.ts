import { CompiledQuery, type Compilable, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from './database';
import { nameStatement } from './named-statements';
import type { DB } from './schema';

/** What a prepared query takes: plain values, each used by the query only as a value. */
export type PreparedArgs = Record<string, string | number | boolean | Date | null>;

const isStandIn = (v: unknown) => typeof v === 'string' && v.includes('\u0001');

/**
 * A query built and compiled once per shape, then run with each call's values. Kysely builds
 * an immutable tree and compiles it to SQL on every call; on the order path that was a fifth
 * of the app's CPU per order (scripts/bench/profile-summary.ts on `bench:orders`).
 *
 * `build` is called with stand-ins for the arguments (a null stays null, so a query that
 * branches on a null argument gets one shape per pattern of nulls); the compiled query's
 * parameters that are stand-ins are swapped for the call's values, and every other parameter
 * (a constant written in the query) is kept. The shape is which arguments there are and
 * which of them are null: the SQL text may depend on nothing else. The arguments must only
 * be used as values: a builder that computes with one (arithmetic, `sql.lit`, a method call)
 * would bake the stand-in into the text, and is refused. On PostgreSQL each compiled text
 * also runs as a named statement (db/named-statements.ts), parsed and planned once per
 * connection instead of on every call.
 */
export function prepared<A extends PreparedArgs, R>(
  build: (db: Database | Transaction<DB>, args: A) => Compilable<R> | RawBuilder<R>,
): (db: Database | Transaction<DB>, args: A) => Promise<R[]> {
  const compiled = new Map<string, { sql: string; slots: (string | { value: unknown })[] }>();
  return async (db, args) => {
    const keys = Object.keys(args);
    const key = keys.map((k) => (args[k] === null ? `${k}:null` : k)).join();
    let query = compiled.get(key);
    if (!query) {
      const standIns = Object.fromEntries(
        keys.map((k) => [k, args[k] === null ? null : `\u0001${k}\u0001`]),
      ) as A;
      const byStandIn = new Map(keys.map((k) => [`\u0001${k}\u0001`, k]));
      const built = build(db, standIns);
      // a query builder compiles on its own; raw sql`…` with the database's compiler
      const { sql, parameters } = 'isRawBuilder' in built ? built.compile(db) : built.compile();
      const slots = parameters.map((p) =>
        typeof p === 'string' && byStandIn.has(p) ? byStandIn.get(p)! : { value: p },
      );
      // an argument computed with, not passed as a value, would be baked into the text
      if (
        sql.includes('\u0001') ||
        slots.some((s) => typeof s !== 'string' && isStandIn(s.value))
      ) {
        throw new Error('prepared: an argument was used other than as a value');
      }
      query = { sql, slots };
      compiled.set(key, query);
      nameStatement(sql);
    }
    const parameters = query.slots.map((s) => (typeof s === 'string' ? args[s] : s.value));
    const result = await db.executeQuery<R>(CompiledQuery.raw(query.sql, parameters));
    return result.rows;
  };
}
