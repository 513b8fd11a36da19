import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { Migrator, NO_MIGRATIONS } from 'kysely/migration';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/database';
import { migrateToLatest } from '../../db/migrate';
import { migrations } from '../../db/migrations/index';
import type { DB } from '../../db/schema';
import { DEMO_LEADER_CODE, DEMO_SHOP_SLUG, seedDemoIfEmpty } from '../../server/demo-seed';
import { createGuest, logIn, signUp } from '../../server/services/auth.service';
import { createTestDatabase, kyselyFor } from '../setup/services';

// the foundation's tables; later capabilities add their own
const CORE_TABLES = ['leaders', 'offers', 'products', 'sessions', 'shops', 'streams', 'users'];

async function tables(db: Database): Promise<string[]> {
  const rows = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_name not like 'kysely_%' order by table_name`.execute(
    db,
  );
  return rows.rows.map((r) => r.table_name);
}

/** What must hold on any engine we run on: both PostgreSQL and the embedded PGlite. */
async function exerciseEngine(db: Database) {
  await migrateToLatest(db);
  expect(await tables(db)).toEqual(expect.arrayContaining(CORE_TABLES));
  // migrating again is a no-op
  expect((await migrateToLatest(db)).results).toEqual([]);

  expect(await seedDemoIfEmpty(db)).toBe(true);
  expect(await seedDemoIfEmpty(db)).toBe(false);
  const shop = await db
    .selectFrom('shops')
    .selectAll()
    .where('slug', '=', DEMO_SHOP_SLUG)
    .executeTakeFirstOrThrow();
  const products = await db
    .selectFrom('products')
    .selectAll()
    .where('shop_id', '=', shop.id)
    .execute();
  expect(products.length).toBeGreaterThanOrEqual(3);
  for (const p of products) {
    expect(p.story).toBeTruthy();
    expect(p.image_url).toMatch(/^\/demo\/.+\.svg$/);
  }
  const stream = await db
    .selectFrom('streams')
    .selectAll()
    .where('shop_id', '=', shop.id)
    .executeTakeFirstOrThrow();
  expect(stream.status).toBe('scheduled');
  expect(stream.scheduled_at!.getTime()).toBeGreaterThan(Date.now());
  const offers = await db
    .selectFrom('offers')
    .selectAll()
    .where('stream_id', '=', stream.id)
    .execute();
  expect(offers.length).toBeGreaterThanOrEqual(2);
  expect(offers.some((o) => o.group_min !== null)).toBe(true);
  const leader = await db
    .selectFrom('leaders')
    .selectAll()
    .where('shop_id', '=', shop.id)
    .executeTakeFirstOrThrow();
  expect(leader).toMatchObject({ status: 'approved', code: DEMO_LEADER_CODE });
  expect(Number(leader.commission_rate)).toBeCloseTo(0.08);

  // the database keeps the invariants even when the code would not
  await expect(
    db
      .updateTable('offers')
      .set({ remaining: sql`quantity + 1` })
      .where('stream_id', '=', stream.id)
      .execute(),
  ).rejects.toThrow(/offers_remaining_in_range/);
  await expect(
    db.insertInto('users').values({ name: 'Mixed', is_guest: true, email: 'x@y.cn' }).execute(),
  ).rejects.toThrow(/users_guest_or_account/);

  // accounts work the same on both engines
  const user = await signUp(db, {
    email: 'Same@Engine.cn',
    password: 'longenough1',
    name: 'Engine',
  });
  expect(user.email).toBe('same@engine.cn');
  expect((await logIn(db, { email: 'same@engine.cn', password: 'longenough1' })).id).toBe(user.id);
  await expect(
    signUp(db, { email: 'same@engine.cn', password: 'longenough1', name: 'Again' }),
  ).rejects.toMatchObject({ code: 'email_taken' });
  expect((await createGuest(db, { name: '游客' })).guest).toBe(true);
}

describe('migrations and the demo seed', () => {
  it('run from empty on PostgreSQL, go all the way down and up again', async () => {
    const database = await createTestDatabase('mig');
    const db = kyselyFor<DB>(database.url);
    try {
      await exerciseEngine(db);
      const migrator = new Migrator({
        db,
        provider: { getMigrations: () => Promise.resolve(migrations) },
      });
      const down = await migrator.migrateTo(NO_MIGRATIONS);
      expect(down.error).toBeUndefined();
      expect(await tables(db)).toEqual([]);
      await migrateToLatest(db);
      expect(await tables(db)).toEqual(expect.arrayContaining(CORE_TABLES));
    } finally {
      await db.destroy();
      await database.drop();
    }
  });

  it('run from empty on the embedded PGlite, which persists across reopening', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-pglite-'));
    try {
      const first = openDatabase({ dataDir: dir });
      expect(first.kind).toBe('pglite');
      await exerciseEngine(first.db);
      await first.close();

      const second = openDatabase({ dataDir: dir });
      expect(await seedDemoIfEmpty(second.db)).toBe(false);
      expect(
        (await logIn(second.db, { email: 'same@engine.cn', password: 'longenough1' })).name,
      ).toBe('Engine');
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('seeds once when two processes start together', async () => {
    const database = await createTestDatabase('seed');
    const a = kyselyFor<DB>(database.url);
    const b = kyselyFor<DB>(database.url);
    try {
      await migrateToLatest(a);
      const results = await Promise.all([seedDemoIfEmpty(a), seedDemoIfEmpty(b)]);
      expect(results.sort()).toEqual([false, true]);
      expect(await a.selectFrom('shops').select('id').execute()).toHaveLength(1);
    } finally {
      await a.destroy();
      await b.destroy();
      await database.drop();
    }
  });
});
