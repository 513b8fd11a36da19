import type { Database } from '../database';
import { deleteFromRoster } from './shop-roster';

// The people a shop's owner appointed to moderate its streams.

export interface ModeratorRow {
  userId: string;
  name: string;
  appointedAt: Date;
}

export async function listShopModerators(db: Database, shopId: string): Promise<ModeratorRow[]> {
  const rows = await db
    .selectFrom('shop_moderators')
    .innerJoin('users', 'users.id', 'shop_moderators.user_id')
    .select(['shop_moderators.user_id', 'users.name', 'shop_moderators.created_at'])
    .where('shop_moderators.shop_id', '=', shopId)
    .orderBy('shop_moderators.created_at')
    .orderBy('shop_moderators.user_id')
    .execute();
  return rows.map((r) => ({ userId: r.user_id, name: r.name, appointedAt: r.created_at }));
}

/** Appoints a moderator; appointing one twice changes nothing. */
export async function insertShopModerator(
  db: Database,
  row: { shopId: string; userId: string; appointedBy: string },
): Promise<void> {
  await db
    .insertInto('shop_moderators')
    .values({ shop_id: row.shopId, user_id: row.userId, appointed_by: row.appointedBy })
    .onConflict((oc) => oc.columns(['shop_id', 'user_id']).doNothing())
    .execute();
}

/** Whether a moderator was removed (false when they were not one). */
export async function deleteShopModerator(
  db: Database,
  shopId: string,
  userId: string,
): Promise<boolean> {
  return deleteFromRoster(db, 'shop_moderators', shopId, userId);
}

export async function isShopModerator(
  db: Database,
  shopId: string,
  userId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('shop_moderators')
    .select('user_id')
    .where('shop_id', '=', shopId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The user, if there is one with this id: name and whether it is a guest. */
export async function findUserForModeration(
  db: Database,
  userId: string,
): Promise<{ id: string; name: string; guest: boolean } | undefined> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'name', 'is_guest'])
    .where('id', '=', userId)
    .executeTakeFirst();
  return row && { id: row.id, name: row.name, guest: row.is_guest };
}

/** The shop's streams that are not over yet (moderator changes are told to their rooms). */
export async function listOpenStreamIds(db: Database, shopId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('streams')
    .select('id')
    .where('shop_id', '=', shopId)
    .where('status', '!=', 'ended')
    .execute();
  return rows.map((r) => r.id);
}
