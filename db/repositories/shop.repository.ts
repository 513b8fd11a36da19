import type { Database } from '../database';
import type { Updateable } from 'kysely';
import type { NewShopRow, ShopRow, ShopsTable, StreamRow } from '../schema';

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

/** Applies the owner's edit to a shop; the changed row, or undefined when there is no such shop. */
export async function updateShopSettings(
  db: Database,
  id: string,
  changes: Pick<
    Updateable<ShopsTable>,
    | 'name'
    | 'address'
    | 'pickup_hours'
    | 'story'
    | 'logo_url'
    | 'attribution_days'
    | 'default_buyer_limit'
    | 'response_promise_hours'
    | 'instant_refund_cents'
  >,
): Promise<ShopRow | undefined> {
  if (Object.keys(changes).length === 0) return findShopById(db, id);
  return db
    .updateTable('shops')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}
