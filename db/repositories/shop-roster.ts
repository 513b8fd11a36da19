import type { Database } from '../database';

/** The shop's lists of people, one row per (shop, user): its members and its moderators. */
export type ShopRoster = 'shop_members' | 'shop_moderators';

/** Takes a user off one of the shop's lists; whether they were on it. */
export async function deleteFromRoster(
  db: Database,
  roster: ShopRoster,
  shopId: string,
  userId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom(roster)
    .where('shop_id', '=', shopId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
