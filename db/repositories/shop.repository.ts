import type { Database } from '../database';
import type { NewShopRow, ShopRow, StreamRow } from '../schema';

/** Inserts a shop unless the slug is taken; null when it is. */
export async function insertShopUnlessSlugTaken(
  db: Database,
  shop: NewShopRow,
): Promise<ShopRow | null> {
  const row = await db
    .insertInto('shops')
    .values(shop)
    .onConflict((oc) => oc.column('slug').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

export async function findShopBySlug(db: Database, slug: string): Promise<ShopRow | undefined> {
  return db.selectFrom('shops').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function listShopStreams(db: Database, shopId: string): Promise<StreamRow[]> {
  return db
    .selectFrom('streams')
    .selectAll()
    .where('shop_id', '=', shopId)
    .orderBy('scheduled_at', (ob) => ob.desc().nullsLast())
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
}

export async function findShopById(db: Database, id: string): Promise<ShopRow | undefined> {
  return db.selectFrom('shops').selectAll().where('id', '=', id).executeTakeFirst();
}
