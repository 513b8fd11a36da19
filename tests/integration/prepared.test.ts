import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { prepared } from '../../db/prepared';
import { buildTestApp } from '../helpers/app';

// Queries compiled once and run with new values (db/prepared.ts) answer exactly as the same
// query built afresh, for every pattern of null arguments, and refuse a builder that
// computes with an argument instead of passing it as a value.

const { db } = buildTestApp();
afterAll(() => db.destroy());

type Args = { a: string; b: string | null; n: number };
const build = (q: typeof db, x: Args) =>
  q.selectNoFrom([
    sql<string>`${x.a}::text`.as('a'),
    (x.b === null ? sql<string | null>`'none'::text` : sql<string>`${x.b}::text`).as('b'),
    sql<number>`${x.n}::int + 1`.as('n'),
    sql<number>`${7}::int`.as('seven'),
  ]);

describe('a prepared query', () => {
  it('answers as the query built afresh, whatever the values and which are null', async () => {
    const run = prepared(build);
    const cases: Args[] = [
      { a: 'x', b: 'y', n: 1 },
      { a: '草莓', b: null, n: 41 },
      { a: 'z', b: 'w', n: -3 },
      { a: 'q', b: null, n: 0 },
    ];
    for (const args of cases) {
      expect(await run(db, args)).toEqual(await build(db, args).execute());
    }
    expect(await run(db, { a: 'p', b: null, n: 2 })).toEqual([
      { a: 'p', b: 'none', n: 3, seven: 7 },
    ]);
  });

  it('runs as a named statement: parsed once on its connection, then only executed', async () => {
    const run = prepared((q, x: { a: string }) =>
      q.selectNoFrom(sql<string>`${x.a}::text`.as('probe')),
    );
    await db.connection().execute(async (conn) => {
      expect(await run(conn, { a: 'one' })).toEqual([{ probe: 'one' }]);
      const statements = () =>
        sql<{ name: string; calls: number }>`
          select name, generic_plans + custom_plans as calls from pg_prepared_statements
           where statement like '%as "probe"%'`.execute(conn);
      const [first] = (await statements()).rows;
      expect(first?.name).toMatch(/^linli_\d+$/);
      expect(await run(conn, { a: 'two' })).toEqual([{ probe: 'two' }]);
      // the same statement again, not a second one
      const after = (await statements()).rows;
      expect(after.map((r) => r.name)).toEqual([first!.name]);
      expect(Number(after[0]!.calls)).toBe(Number(first!.calls) + 1);
    });
  });

  it('refuses an argument used other than as a value', async () => {
    const misuse = prepared((q, x: { a: string }) =>
      q.selectNoFrom(sql<string>`${`%${x.a}%`}::text`.as('a')),
    );
    await expect(misuse(db, { a: 'x' })).rejects.toThrow(/other than as a value/);
    const inText = prepared((q, x: { a: string }) =>
      q.selectNoFrom(sql<string>`${sql.lit(x.a)}::text`.as('a')),
    );
    await expect(inText(db, { a: 'x' })).rejects.toThrow(/other than as a value/);
  });
});
