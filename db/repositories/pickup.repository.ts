import type { Database } from '../database';

export interface LeaderPickupPointRow {
  id: string;
  display_name: string;
  pickup_address: string;
  pickup_hours: string | null;
  user_id: string;
}

/** Approved leaders of the shop who run a pickup point. */
export async function listLeaderPickupPoints(
  db: Database,
  shopId: string,
): Promise<LeaderPickupPointRow[]> {
  const rows = await db
    .selectFrom('leaders')
    .select(['id', 'display_name', 'pickup_address', 'pickup_hours', 'user_id'])
    .where('shop_id', '=', shopId)
    .where('status', '=', 'approved')
    .where('pickup_address', 'is not', null)
    .orderBy('created_at')
    .execute();
  return rows.flatMap((r) =>
    r.pickup_address ? [{ ...r, pickup_address: r.pickup_address }] : [],
  );
}

export async function findLeaderPickupPoint(
  db: Database,
  shopId: string,
  leaderId: string,
): Promise<LeaderPickupPointRow | undefined> {
  const points = await db
    .selectFrom('leaders')
    .select(['id', 'display_name', 'pickup_address', 'pickup_hours', 'user_id'])
    .where('shop_id', '=', shopId)
    .where('id', '=', leaderId)
    .where('status', '=', 'approved')
    .where('pickup_address', 'is not', null)
    .execute();
  const r = points[0];
  return r?.pickup_address ? { ...r, pickup_address: r.pickup_address } : undefined;
}

/** The approved leader row of this user in this shop, if any. */
export async function findApprovedLeaderOfUser(
  db: Database,
  shopId: string,
  userId: string,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('leaders')
    .select('id')
    .where('shop_id', '=', shopId)
    .where('user_id', '=', userId)
    .where('status', '=', 'approved')
    .executeTakeFirst();
}

export async function findShopById(db: Database, shopId: string) {
  return db.selectFrom('shops').selectAll().where('id', '=', shopId).executeTakeFirst();
}
