import type { Database } from '../database';

// What 接龙 ("+1" in the chat) reads besides placing the order itself (order.repository).

/** The offer the stream has pinned right now, or null. Read per "+1": pins change live. */
export async function findPinnedOfferId(db: Database, streamId: string): Promise<string | null> {
  const row = await db
    .selectFrom('streams')
    .select('pinned_offer_id')
    .where('id', '=', streamId)
    .executeTakeFirst();
  return row?.pinned_offer_id ?? null;
}

/**
 * The phone and pickup point of the buyer's most recent order in this shop (any state: a
 * cancelled order still says where they pick up), or undefined when they never ordered here.
 * `orders_buyer_created_idx` (buyer_id, created_at) finds it.
 */
export async function findLastOrderDetails(
  db: Database,
  buyerId: string,
  shopId: string,
): Promise<{ phone: string; pickupLeaderId: string | null } | undefined> {
  const row = await db
    .selectFrom('orders')
    .select(['phone', 'pickup_leader_id'])
    .where('buyer_id', '=', buyerId)
    .where('shop_id', '=', shopId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && { phone: row.phone, pickupLeaderId: row.pickup_leader_id };
}

/**
 * The 接龙 list of an offer: its orders that still count, oldest first, with the buyer's
 * name (the caller masks it). `orders_offer_buyer_idx` leads with offer_id.
 */
export async function listOfferOrdersForJielong(
  db: Database,
  streamId: string,
  offerId: string,
  limit: number,
): Promise<{ id: string; buyer_name: string; quantity: number }[]> {
  return db
    .selectFrom('orders')
    .innerJoin('users', 'users.id', 'orders.buyer_id')
    .select(['orders.id', 'users.name as buyer_name', 'orders.quantity'])
    .where('orders.offer_id', '=', offerId)
    .where('orders.stream_id', '=', streamId)
    .where('orders.state', 'not in', ['cancelled', 'refunded'])
    .orderBy('orders.created_at', 'asc')
    .orderBy('orders.id', 'asc')
    .limit(limit)
    .execute();
}
